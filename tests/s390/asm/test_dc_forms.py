"""DC/DS forms HLASM accepts: blanks in numeric constants, type extensions, bit
lengths, scale and exponent modifiers (HLASM Language Reference, "DC instruction").
Expected object code follows the Language Reference examples where it gives them
(cited by topic) and otherwise the rules it states."""

from __future__ import annotations

import datetime

import pytest

from s390.asm import assemble

from .helpers import messages


def _dc(*statements: str):
    """Assemble the statements in a CSECT; returns (result, object code)."""
    r = assemble("T        CSECT\n" + "".join(f"{s}\n" for s in statements) + "         END\n")
    return r, r.text


def _ok(*statements: str) -> str:
    r, text = _dc(*statements)
    assert r.rc == 0, [str(d) for d in r.diagnostics]
    return text.hex().upper()


@pytest.mark.parametrize(
    "stmt, code",
    [
        # "Hexadecimal constant - X": the digit A is dropped, the constant is 6F4E
        ("         DC    XL2'A6F4E'", "6F4E"),
        # "Bit-length modifier": DC FL.12'-1' generates X'FFF0'
        ("         DC    FL.12'-1'", "FFF0"),
        # "Binary constant - B": BCON, BTRUNC (leftmost bit truncated), BPAD, BFOUR
        ("BCON     DC    B'11011101'", "DD"),
        ("BTRUNC   DC    BL1'100100011'", "23"),
        ("BPAD     DC    BL1'101'", "05"),
        ("BFOUR    DC    B'1111 0100 1111 0100'", "F4F4"),
        # "Subfield 5: Modifier" examples
        ("LENGTH   DC    XL10'FF'", "00000000000000000000FF"[-20:]),
        ("EXPON    DC    EE3'3.414'", "43D56000"),  # 3414 = X'D56'
        ("SCALE    DC    FS8'35.92'", "000023EC"),  # 35.92 * 2**8 = 9195.52, rounded
    ],
)
def test_language_reference_examples(stmt, code):
    assert _ok(stmt) == code


def test_modifier_symbols_may_be_defined_later():
    # "Subfield 5: Modifier": SYM DC FS(X)'35.92' with X EQU 7 after it
    assert _ok("SYM      DC    FS(X)'35.92'", "X        EQU   7") == "000011F6"  # 4597.76


@pytest.mark.parametrize(
    "stmt, code",
    [
        ("         DC    X'0002 0000'", "00020000"),
        ("         DC    B'1010 0101'", "A5"),
        ("         DC    F'1 000'", "000003E8"),
        ("         DC    P'1 234'", "01234C"),
        ("         DC    X'12 34,5 6'", "123456"),
    ],
)
def test_blanks_inside_numeric_constants_are_ignored(stmt, code):
    assert _ok(stmt) == code


def test_eight_byte_fixed_point_and_address_constants():
    assert _ok("         DC    X'01'", "         DC    FD'-2'") == "01" + "00" * 7 + "FF" * 7 + "FE"
    assert _ok("         DC    AD(X'123456789')") == "0000000123456789"
    r, text = _dc("         DC    AD(T+1)")  # an 8-byte RLD item: flag X'40' + length 4
    assert r.rc == 0 and text.hex() == "0000000000000001"
    [rld] = r.module.rld
    assert rld.length == 8
    card = next(c for c in r.deck if c[1:4] == "RLD".encode("cp037"))
    assert card[20] == 0x4C  # X'40' add 4, length - 1 - 4 = 3, A-type


@pytest.mark.parametrize(
    "stmt, code",
    [
        ("         DC    CE'A'", "C1"),
        ("         DC    CA'AB'", "4142"),
        ("         DC    CAL3'A'", "412020"),  # ASCII blanks pad
        ("         DC    CU'AB'", "00410042"),
        ("         DC    C'A'", "C1"),
    ],
)
def test_character_type_extensions(stmt, code):
    assert _ok(stmt) == code


@pytest.mark.parametrize(
    "stmt, code",
    [
        ("         DC    E'1.5'", "41180000"),
        ("         DC    EH'1.5'", "41180000"),
        ("         DC    D'-2.5'", "C128000000000000"),
        ("         DC    DH'-2.5'", "C128000000000000"),
        ("         DC    E'0'", "00000000"),
        ("         DC    ES1'1'", "42010000"),  # one hexadecimal digit unnormalized
        ("         DC    EE2'1'", "42640000"),  # 100 = X'64'
        ("         DC    FE3'1'", "000003E8"),
        ("         DC    HS-1'6'", "0003"),
        ("         DC    EL2'1'", "4110"),  # rounded at the explicit length
    ],
)
def test_hexadecimal_floating_point_and_modifiers(stmt, code):
    assert _ok(stmt) == code


@pytest.mark.parametrize("stmt", ["DC    EB'1'", "DC    DB'1.5'", "DC    LD'1'"])
def test_binary_and_decimal_floating_point_are_not_s370(stmt):
    r, _ = _dc("         " + stmt)
    assert messages(r) == ["ASMA065E"]


def test_scale_that_shifts_out_every_digit_is_precision_lost():
    r, _ = _dc("         DC    ES6'1'")
    assert messages(r) == ["ASMA073E"]


@pytest.mark.parametrize(
    "stmt, code",
    [
        # consecutive bit-length operands share a bit stream, padded at its end
        ("         DC    BL.3'101',BL.5'11'", "A3"),
        ("         DC    FL.3'-5',FL.5'7'", "67"),
        ("         DC    XL.12'ABC'", "ABC0"),
        ("         DC    CL.12'AB'", "C1C0"),  # character: the leftmost bits
        ("         DC    EL.12'1'", "4110"),  # floating point: the leftmost bits
        ("         DC    20BL.4'1010'", "AA" * 10),
        ("         DC    3BL.3'111',X'01'", "FF8001"[:4] + "01"),
    ],
)
def test_bit_length_constants(stmt, code):
    assert _ok(stmt) == code


@pytest.mark.parametrize(
    "stmt", ["DC    VL.24(X)", "DC    SL.12(0)", "DC    CUL.16'A'", "DC    AL.24(T)"]
)
def test_bit_length_not_allowed(stmt):
    r, _ = _dc("         " + stmt)
    assert messages(r) == ["ASMA068S"]


def test_bit_length_statement_size_and_length_attribute():
    r, text = _dc("BITS     DC    BL.12'1'", "NEXT     DC    X'FF'")
    assert r.rc == 0
    assert r.symbols["BITS"].length == 2 and r.symbols["NEXT"].value.value == 2
    assert text.hex().upper() == "0010FF"


def test_sysdatc_systime_sysdate_in_open_code():
    r, text = _dc(
        "         DC    C'&SYSDATC'", "         DC    C'&SYSTIME'", "         DC    C'&SYSDATE'"
    )
    assert r.rc == 0
    shown = text.decode("cp037")
    datc, time_, date = shown[:8], shown[8:13], shown[13:]
    assert datc.isdigit() and datc[:2] in ("19", "20")
    day = datetime.date(int(datc[:4]), int(datc[4:6]), int(datc[6:]))
    assert date == day.strftime("%m/%d/%y") and time_[2] == "."


def test_global_and_local_set_symbols_declared_without_ampersand():
    r, text = _dc(
        "         GBLB  FLAG",
        "         GBLC  NAME",
        "         LCLA  COUNT",
        "&FLAG    SETB  1",
        "&NAME    SETC  'XY'",
        "&COUNT   SETA  3",
        "         DC    C'&NAME&FLAG&COUNT'",
    )
    assert r.rc == 0 and text.decode("cp037") == "XY13"


# ---------------------------------------------------------------- listing
LISTED = """T        CSECT
         PRINT DATA
LENGTH   DC    XL10'FF'
         PRINT NODATA
EXPON    DC    EE3'3.414'
SCALE    DC    FS8'35.92'
BITS     DC    BL.3'101',BL.5'11'
         DC    CE'AB',FD'-2'
PR1      DXD   F
         DC    Q(PR1)
TOT      CXD
BLK      COM
         DS    F
         END
"""


def _line(listing: list[str], stmt: int) -> str:
    """The listing line of statement ``stmt`` (columns: loc, object code, addresses, number)."""
    return next(l for l in listing if l[36:41].strip() == str(stmt) and l[41:42] in " +")


def test_listing_shows_constants_as_hlasm_does():
    r = assemble(LISTED)
    assert r.rc == 0
    lst = r.listing
    # location, then at most 8 bytes of object code printed as one string
    assert _line(lst, 3).startswith("000000 0000000000000000 ")
    assert lst[lst.index(_line(lst, 3)) + 1] == "000008 00FF"  # PRINT DATA: the rest
    assert _line(lst, 5).startswith("00000C 43D56000 ")
    assert _line(lst, 6).startswith("000010 000023EC ")
    assert _line(lst, 7).startswith("000014 A3 ")
    # CE'AB' at X'15', then FD'-2' aligned to X'18': the pad byte is zero
    assert _line(lst, 8).startswith("000015 C1C200FFFFFFFFFF ")
    assert _line(lst, 9).startswith("       ")  # DXD: no location
    assert _line(lst, 10).startswith("000020 00000000 ")
    assert _line(lst, 11).startswith("000024 00000000 ")


def test_listing_esd_and_rld_show_pseudo_registers_and_common():
    lst = assemble(LISTED).listing
    esd = lst[lst.index("Symbol   Type   Id     Address  Length   LD ID") + 1 :][:3]
    assert esd == [
        "T        SD   00000001 00000000 00000028",
        "PR1      XD   00000002 00000000 00000004",
        "BLK      CM   00000003 00000000 00000004",
    ]
    rld = lst[lst.index("   Pos.Id   Rel.Id   Address  Type  Action") + 1 :][:2]
    assert rld == [
        "   00000001 00000002 00000020  Q4    +",
        "   00000001 00000000 00000024  CXD4  +",
    ]


def test_listing_of_a_location_counter_error_names_the_statement():
    r = assemble(
        "BIG      CSECT\n         DS    16000000X\n         DC    1000000X'00'\n         END\n"
    )
    lst = r.listing
    at = lst.index(_line(lst, 3))
    assert lst[at + 1].startswith("** ASMA039S Location counter error")
    assert "  ASMA039S statement 3: Location counter error" in "\n".join(lst)
