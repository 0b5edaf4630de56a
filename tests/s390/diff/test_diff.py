"""Differential test: random S/370 programs, results recorded on Hercules 3.13,
replayed on our CPU (s390.cpu.CPU) and compared: the wait PSW, all 16 GPRs,
the four FPRs, the final CC/program-mask word, the program-interruption
count and old-PSW checksum, and the whole data area.

The corpus (corpus_*.json beside this file) is written by record.py; every
case stores the digest of the program image, so a changed generator fails
here instead of comparing against stale results. The default run takes a
small subset of every corpus; ``pytest --slow`` runs all of them.
Known CPU disagreements (see DISAGREEMENTS.md) are strict xfails.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from s390 import purepy
from s390.cpu import CPU, EXIT_DISABLED_WAIT
from tests.s390.diff import gen
from tests.s390.diff.compare import changed_runs, final_ranges

HERE = Path(__file__).parent
CORPORA = sorted(HERE.glob("corpus_*.json"))
FAST_PER_CORPUS = 100
PURE_PER_CORPUS = 15
CLI_PER_CORPUS = 3
STORAGE = 2 * 1024 * 1024  # as Hercules MAINSIZE 2
BUDGET = 100_000

#: "corpus-seed" -> reason, for cases where our CPU is known to differ from
#: Hercules in something that is not this harness's to fix (DISAGREEMENTS.md;
#: written by triage.py's findings). Strict: a fixed case must leave the list.
KNOWN_CPU_DISAGREEMENTS: dict[str, str] = json.loads(
    (HERE / "known_disagreements.json").read_text()
)


def load_corpus(path):
    doc = json.loads(path.read_text())
    return doc, doc["cases"]


def run_on_cpu(case, cpu_class=CPU):
    """Run the program on our CPU to its disabled wait; the same facts the
    recorder takes from Hercules."""
    cpu = cpu_class(storage_size=STORAGE)
    cpu.mem[0 : gen.IMAGE_SIZE] = case.image
    cpu.load_psw(case.psw)
    rc = None
    for _ in range(20):
        rc = cpu.run(BUDGET)
        if rc == EXIT_DISABLED_WAIT:
            break
    return {
        "status": "wait" if rc == EXIT_DISABLED_WAIT else "exit %r" % rc,
        "psw": cpu.get_psw().hex().upper(),
        "gpr": ["%08X" % cpu.gpr[i] for i in range(16)],
        "mem": changed_runs(case.image, final_ranges(cpu.mem)),
    }


def describe_difference(expected, ours):
    lines = []
    for key in ("status", "psw"):
        if expected[key] != ours[key]:
            lines.append("%s: hercules %s, ours %s" % (key, expected[key], ours[key]))
    for i, (e, o) in enumerate(zip(expected["gpr"], ours["gpr"])):
        if e != o:
            lines.append("GR%d: hercules %s, ours %s" % (i, e, o))
    exp_bytes = expand(expected["mem"])
    our_bytes = expand(ours["mem"])
    for addr in sorted(set(exp_bytes) | set(our_bytes)):
        if exp_bytes.get(addr) != our_bytes.get(addr):
            lines.append(
                "storage %06X: hercules %s, ours %s (%s)"
                % (addr, fmt(exp_bytes.get(addr)), fmt(our_bytes.get(addr)), region(addr))
            )
            if len(lines) > 24:
                break
    return "\n".join(lines)


def expand(runs):
    out = {}
    for addr, hexdata in runs:
        for i, b in enumerate(bytes.fromhex(hexdata)):
            out[addr + i] = b
    return out


def fmt(b):
    return "unchanged" if b is None else "%02X" % b


def region(addr):
    if gen.COUNT <= addr < gen.COUNT + 3:
        return "interruption count"
    if gen.CHECKSUM <= addr < gen.CHECKSUM + 8:
        return "program old PSW checksum"
    if gen.EC_CODES <= addr < gen.EC_CODES + 4:
        return "checksum of the words at X'8C' (EC-mode ILC and code)"
    if gen.DUMP <= addr < gen.DUMP + 0x40:
        return "GR%d dump" % ((addr - gen.DUMP) // 4)
    if gen.DUMP + 0x40 <= addr < gen.DUMP + 0x60:
        return "FPR%d" % (2 * ((addr - gen.DUMP - 0x40) // 8))
    if gen.DUMP + 0x60 <= addr < gen.DUMP + 0x64:
        return "BALR word: ILC CC program mask"
    return "data"


def cases(count=None):
    params = []
    for path in CORPORA:
        name = path.stem[len("corpus_") :]
        doc, recorded = load_corpus(path)
        chosen = recorded[:count]
        for expected in chosen:
            key = "%s-%d" % (name, expected["seed"])
            marks = ()
            if key in KNOWN_CPU_DISAGREEMENTS:
                marks = (pytest.mark.xfail(reason=KNOWN_CPU_DISAGREEMENTS[key], strict=True),)
            params.append(pytest.param(doc, expected, id=key, marks=marks))
    return params


def check(doc, expected, cpu_class=CPU):
    case = gen.build_case(expected["seed"], length=doc["length"], focus=tuple(doc["focus"]) or None)
    assert case.digest == expected["digest"], "generator changed: re-record with record.py"
    assert expected["status"] == "wait" and expected["psw"].endswith("%06X" % gen.WAIT_ADDRESS)
    ours = run_on_cpu(case, cpu_class)
    recorded = {key: expected[key] for key in ours}
    assert ours == recorded, "program %s\n%s" % (
        " ".join(case.mnemonics),
        describe_difference(expected, ours),
    )


def test_corpus_is_present_and_large():
    total = sum(len(load_corpus(p)[1]) for p in CORPORA)
    assert total >= 2000


@pytest.mark.parametrize("doc,expected", cases(FAST_PER_CORPUS))
def test_against_hercules(doc, expected):
    check(doc, expected)


@pytest.mark.parametrize("doc,expected", cases(PURE_PER_CORPUS))
def test_against_hercules_pure_build(doc, expected):
    """The same programs on the uncompiled CPU (cpu.py run as Python)."""
    check(doc, expected, purepy.load_pure("s390.cpu").CPU)


@pytest.mark.slow
@pytest.mark.parametrize("doc,expected", cases())
def test_against_hercules_full(doc, expected):
    check(doc, expected)


@pytest.mark.parametrize("doc,expected", cases(CLI_PER_CORPUS))
def test_against_hercules_through_python_m_s390_run(tmp_path, doc, expected):
    """A few cases through the command-line runner other tools use."""
    case = gen.build_case(expected["seed"], length=doc["length"], focus=tuple(doc["focus"]) or None)
    image = tmp_path / "case.bin"
    image.write_bytes(bytes(case.image))
    dumps = []
    for addr, length in gen.COMPARE_RANGES:
        dumps += ["--dump", "0x%X:0x%X" % (addr, length)]
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "s390",
            "run",
            "--image",
            "%s@0" % image,
            "--psw",
            case.psw.hex(),
            "--storage",
            "2M",
            *dumps,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result = json.loads(out.stdout)
    final = {int(addr, 16): bytes.fromhex(hexdata) for addr, hexdata in result["storage"].items()}
    ours = {
        "status": "wait" if result["reason"] == "disabled-wait" else result["reason"],
        "psw": result["psw"],
        "gpr": result["gpr"],
        "mem": changed_runs(case.image, final),
    }
    assert ours == {key: expected[key] for key in ours}
