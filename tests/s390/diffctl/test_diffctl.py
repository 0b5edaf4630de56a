"""Differential test of the S/370 control side: random programs of PSW,
interruption, storage-key and privileged-instruction items (gen.py),
results recorded on Hercules 3.13 (record.py), replayed on s390.cpu.CPU.

Compared: the end status and disabled-wait PSW, all 16 GPRs, the data
blocks (stores of STNSM/STOSM/STCTL/STIDP/STCKC/...), the log (every
interruption's old PSW and the words at X'84'-X'8F' and X'94'-X'9F', and a
checkpoint after every item: system mask, GPRs, BALR word, CR0) and the
final dump (GPRs, CRs, FPRs). No Hercules is needed here.

Default: the first FAST cases of each corpus on the compiled CPU and PURE
on the uncompiled one; ``pytest --slow`` replays all. Cases where our CPU
is known wrong (known_disagreements.json, DISAGREEMENTS.md) are strict
xfails keyed by corpus name (a whole corpus) or "name-seed".
"""

import json
from collections import Counter
from pathlib import Path

import pytest

from s390 import purepy
from s390.lowcore import PROGRAM_INTERRUPTION_NAMES
from tests.s390.diffctl import gen
from tests.s390.diffctl.corpus import corpus_paths, load
from tests.s390.diffctl.describe import describe_difference, storage
from tests.s390.diffctl.machine import run_on_cpu

HERE = Path(__file__).parent
FAST = 150
PURE = 15
KNOWN = json.loads((HERE / "known_disagreements.json").read_text())


def corpus_name(path):
    return path.name.split(".")[0][len("corpus_") :]


DOCS = {corpus_name(p): load(p) for p in corpus_paths()}


def params(count=None):
    out = []
    for name, doc in DOCS.items():
        for rec in doc["cases"][:count]:
            key = "%s-%d" % (name, rec["seed"])
            reason = KNOWN.get(key) or KNOWN.get(name)
            marks = (pytest.mark.xfail(reason=reason, strict=True),) if reason else ()
            out.append(pytest.param(doc, rec, id=key, marks=marks))
    return out


def check(doc, rec, cpu_class=None):
    case = gen.build_case(rec["seed"], wait_code=doc["wait_code"])
    assert case.digest == rec["digest"], "generator changed: re-record with record.py"
    assert rec["status"] == "wait"
    ours = run_on_cpu(case) if cpu_class is None else run_on_cpu(case, cpu_class)
    recorded = {key: rec[key] for key in ours}
    assert ours == recorded, "items %s\n%s" % (
        " ".join(case.mnemonics),
        describe_difference(case, rec, ours),
    )


@pytest.mark.parametrize("doc,rec", params(FAST))
def test_against_hercules(doc, rec):
    check(doc, rec)


@pytest.mark.parametrize("doc,rec", params(PURE))
def test_against_hercules_pure_build(doc, rec):
    """The same programs on the uncompiled CPU (cpu.py run as Python)."""
    check(doc, rec, purepy.load_pure("s390.cpu").CPU)


@pytest.mark.slow
@pytest.mark.parametrize("doc,rec", params())
def test_against_hercules_full(doc, rec):
    check(doc, rec)


def interruptions(doc):
    """(class, mode, code, ilc) of every interruption record Hercules logged."""
    seen = Counter()
    blank = bytearray(gen.IMAGE_SIZE)  # the log area starts zero in every image
    for rec in doc["cases"]:
        mem = storage(blank, rec["mem"])
        a = gen.LOG
        while a < gen.LOG_END and mem[a] in (
            gen.TAG_CHECKPOINT,
            gen.TAG_EXTERNAL,
            gen.TAG_SVC,
            gen.TAG_PROGRAM,
            gen.TAG_RESTART,
        ):
            tag = mem[a]
            if tag == gen.TAG_CHECKPOINT:
                a += gen.CHECKPOINT_RECORD
                continue
            old = mem[a + 4 : a + 12]
            words = mem[a + 12 : a + 24]  # X'84'-X'8F'
            ec = bool(old[1] & 0x08)
            code = ilc = None
            if tag == gen.TAG_PROGRAM:
                code = int.from_bytes(words[10:12] if ec else old[2:4], "big")
                ilc = (words[9] >> 1) & 3 if ec else old[4] >> 6
            elif tag == gen.TAG_SVC:
                ilc = (words[5] >> 1) & 3 if ec else old[4] >> 6
            elif tag == gen.TAG_EXTERNAL:
                code = int.from_bytes(words[2:4] if ec else old[2:4], "big")
            seen[(tag, "EC" if ec else "BC", code, ilc)] += 1
            a += gen.INT_RECORD
    return seen


def test_corpus_is_large_and_covers_every_interruption():
    """What the corpus proves: every program interruption code an S/370
    instruction here can raise, in both modes; SVC with ILC 1 and 2 (under
    EXECUTE); early PSW exceptions (ILC 0); external interruptions for the
    clock comparator, CPU timer, emergency signal and external call; the
    restart interruption."""
    doc = DOCS["control"]
    assert len(doc["cases"]) >= 3000
    seen = interruptions(doc)
    program_codes = {(mode, code) for (tag, mode, code, ilc) in seen if tag == gen.TAG_PROGRAM}
    wanted = set(PROGRAM_INTERRUPTION_NAMES) - {0x10, 0x11, 0x12}  # no DAT here
    for mode in ("BC", "EC"):
        assert {code for m, code in program_codes if m == mode} >= wanted, mode
    assert {ilc for (tag, _, _, ilc) in seen if tag == gen.TAG_PROGRAM} == {0, 1, 2, 3}
    assert {ilc for (tag, _, _, ilc) in seen if tag == gen.TAG_SVC} == {1, 2}
    assert {code for (tag, _, code, _) in seen if tag == gen.TAG_EXTERNAL} == {
        0x1004,
        0x1005,
        0x1201,
        0x1202,
    }
    assert {mode for (tag, mode, _, _) in seen if tag == gen.TAG_RESTART} == {"BC", "EC"}


def test_every_item_kind_is_in_the_corpus():
    items = Counter(item for rec in DOCS["control"]["cases"] for item in rec["items"])
    assert set(items) == set(gen.ITEMS)
    assert min(items.values()) >= 500
