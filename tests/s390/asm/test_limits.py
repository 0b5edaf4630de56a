"""The 24-bit location counter (HLASM Language Reference, "Location counter and length
limits"): past X'FFFFFF' HLASM issues ASMA039S and goes on with the counter wrapped to
zero; large duplicated constants and storage areas cost their pattern, not their size."""

from __future__ import annotations

import subprocess
import sys

from s390.asm import assemble
from s390.asm.objdeck import read_deck
from s390.asm.runs import Runs
from s390.ebcdic import split_cards

from .helpers import messages

MB16 = 1 << 24


def _asm(*lines: str):
    return assemble("\n".join(lines) + "\n")


def test_dc_of_sixteen_million_bytes_is_one_pattern_and_a_full_deck():
    r = _asm(
        "BIG      CSECT", "         DC    16000000X'00'", "         DC    X'FF'", "         END"
    )
    assert r.rc == 0
    dc = r.entries[1]
    assert isinstance(dc.data, Runs) and len(dc.data) == 16000000
    assert len(dc.data._runs) == 1  # one pattern, not 16 million bytes
    [module] = read_deck(r.deck)
    assert sum(len(t.data) for t in module.text) == 16000001
    assert module.esd[0].length == 16000001
    txt = [c for c in r.deck if c[1:4] == "TXT".encode("cp037")]
    assert len(txt) == -(-16000001 // 56)
    count = int.from_bytes(txt[-1][10:12], "big")
    assert txt[-1][16 + count - 1] == 0xFF  # the last byte is the X'FF'


def test_csect_over_16_mb_is_asma039s_not_a_traceback():
    r = _asm(
        "BIG      CSECT",
        "         DC    16000000X'00'",
        "         DC    1000000X'00'",
        "NEXT     DC    X'01'",
        "         END",
    )
    assert messages(r) == ["ASMA039S"]
    assert r.diagnostics[0].stmt == 3 and r.rc == 12
    [module] = read_deck(r.deck)  # a whole, readable deck
    assert module.esd[0].length == MB16 - 1
    assert all(t.address + len(t.data) <= MB16 - 1 for t in module.text)
    # the location counter wrapped to zero: NEXT is at 1000000 + 16000000 - 2**24
    assert r.symbols["NEXT"].value.value == 17000000 - MB16


def test_huge_ds_huge_duplication_and_org_beyond_16_mb():
    for stmt in (
        "DS    20000000C",
        "DC    100000000CL256'A'",
        "DS    3000000D",
        "ORG   *+X'1000000'",
        "DC    (X'7FFFFFFF')X'00'",
    ):
        r = _asm("BIG      CSECT", "         " + stmt, "         END")
        assert messages(r) == ["ASMA039S"], stmt


def test_start_near_the_top_overflows_at_the_top():
    r = _asm("HIGH     START X'FFFF00'", "         DC    256X'00'", "         END")
    assert messages(r) == ["ASMA039S"]
    r = _asm("HIGH     START X'FFFF00'", "         DC    255X'00'", "         END")
    assert r.rc == 0


def test_a_second_section_pushed_past_16_mb():
    r = _asm(
        "A        CSECT",
        "         DS    (X'FFFFF0')X",
        "B        CSECT",
        "         DC    64X'00'",
        "         END",
    )
    assert messages(r) == ["ASMA039S"]
    read_deck(r.deck)


def test_literal_pool_past_16_mb():
    r = _asm(
        "A        CSECT",
        "         USING *,12",
        "         L     1,=F'1'",
        "         ORG   A+X'FFFFFE'",
        "         LTORG",
        "         END",
    )
    assert "ASMA039S" in messages(r)
    read_deck(r.deck)


def test_org_into_another_section_is_asma038s():
    r = _asm("A        CSECT", "B        CSECT", "         ORG   A", "         END")
    assert messages(r) == ["ASMA038S"]


def test_address_constant_duplicated_keeps_one_rld_item_per_copy():
    r = _asm("A        CSECT", "         DC    3A(A,*)", "         END")
    assert r.text.hex() == "0000000000000004000000000000000c0000000000000014"
    assert len(r.module.rld) == 6


def test_cli_over_16_mb_writes_a_whole_deck_and_no_traceback(tmp_path):
    src = tmp_path / "big.asm"
    src.write_text(
        "BIG      CSECT\n         DC    16000000X'00'\n         DC    1000000X'00'\n         END\n"
    )
    p = subprocess.run(
        [sys.executable, "-m", "vm370", "asm", str(src)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert p.returncode == 12
    assert "Traceback" not in p.stderr and "ASMA039S" in p.stderr
    cards = split_cards((tmp_path / "big.text").read_bytes())
    assert cards[-1][1:4] == "END".encode("cp037")
    read_deck(cards)


def test_huge_duplication_of_address_constants_stops_at_16_mb():
    # 400 MB of relocatable or '*'-relative words: ASMA039S, and only what fits below
    # X'1000000' is made (RLD items included): 4 KB here, from a START near the top
    for stmt in ("DC    100000000A(BIG)", "DC    100000000A(*)"):
        r = _asm("BIG      START X'FFF000'", "         " + stmt, "         END")
        assert messages(r) == ["ASMA039S"], stmt
        assert len(r.module.rld) == 1024
        read_deck(r.deck)
