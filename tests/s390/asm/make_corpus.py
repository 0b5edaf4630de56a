"""Write corpus.json: every instruction of s390/optable.py (and every extended branch
mnemonic) in our assembler syntax, the bytes GNU as for s390 makes of the same
instruction in its own syntax, and objdump's disassembly of those bytes.

Run where binutils-s390x-linux-gnu is installed:
    python tests/s390/asm/make_corpus.py
The tests read only the committed corpus.json (CI has no cross binutils).

Instructions GNU as does not know (S/370-only: SIO, TIO, HIO, ..., SSK, ISK, RDD,
CONCS) are given to GNU as with ``.insn FORMAT,OPCODE,operands``: the operation
code is ours (GA22-7000 Appendix B), the field layout is GNU's; their entries say
"source": "insn".  The table includes the rows the CPU does not install (every
mnemonic of IBM HLASM's OPTABLE(370)) and the aliases MDE/MDER.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", ".."))
from s390.asm.encode import EXTENDED  # noqa: E402
from s390.optable import ALIASES, BY_MNEMONIC, FLOAT, TABLE, XFLOAT  # noqa: E402

AS = "s390x-linux-gnu-as"
OBJDUMP = "s390x-linux-gnu-objdump"
HERE = os.path.dirname(os.path.abspath(__file__))
#: control-register instructions name control registers %cN in GNU syntax
CONTROL_REGS = {"LCTL", "STCTL"}


def operands(op, variant):
    """(our operand text, GNU operand text, field values) for one instruction."""
    fp = op.group in (FLOAT, XFLOAT)
    if op.group == XFLOAT:  # extended operands: register pairs 0 and 4
        r1, r2 = ((0, 4), (4, 0))[variant]
    else:
        r1, r2 = ((2, 4), (6, 0))[variant] if fp else ((2, 12), (14, 4))[variant]
    x, b, d = ((4, 12, 100), (0, 13, 4095))[variant]
    b2, d2 = ((11, 200), (10, 0))[variant]
    pr = "%f" if fp else "%r"
    cr = "%c" if op.mnemonic in CONTROL_REGS else "%r"
    f = op.fmt
    if f == "RR":
        return f"{r1},{r2}", f"{pr}{r1},{pr}{r2}"
    if f == "RRM":
        return f"{r1},{r2}", f"{r1},%r{r2}"
    if f == "RR1":
        return f"{r1}", f"%r{r1}"
    if f == "I":
        n = (202, 0)[variant]
        return f"{n}", f"{n}"
    if f == "RX":
        return (
            f"{r1},{d}({x},{b})",
            f"{pr}{r1},{d}(%r{x},%r{b})" if x else f"{pr}{r1},{d}(%r0,%r{b})",
        )
    if f == "RXM":
        return f"{r1},{d}({x},{b})", f"{r1},{d}(%r{x},%r{b})"
    if f == "RS":
        return f"{r1},{r2},{d}({b})", f"{cr}{r1},{cr}{r2},{d}(%r{b})"
    if f == "RS2":
        return f"{r1},{d}({b})", f"%r{r1},{d}(%r{b})"
    if f == "RSM":
        m = (7, 15)[variant]
        return f"{r1},{m},{d}({b})", f"%r{r1},{m},{d}(%r{b})"
    if f == "SI":
        i = (64, 255)[variant]
        return f"{d}({b}),{i}", f"{d}(%r{b}),{i}"
    if f in ("S", "S1"):
        return f"{d}({b})", f"{d}(%r{b})"
    if f == "S0":
        return "", ""
    if f == "RRE":
        return f"{r1},{r2}", f"%r{r1},%r{r2}"
    if f == "RRE1":
        return f"{r1}", f"%r{r1}"
    if f == "SSE":
        return f"{d}({b}),{d2}({b2})", f"{d}(%r{b}),{d2}(%r{b2})"
    if f == "SS4":
        r3 = (5, 0)[variant]
        return f"{d}({r1},{b}),{d2}({b2}),{r3}", f"{d}(%r{r1},%r{b}),{d2}(%r{b2}),%r{r3}"
    if f == "SS1":
        ln = (8, 256)[variant]
        return f"{d}({ln},{b}),{d2}({b2})", f"{d}({ln},%r{b}),{d2}(%r{b2})"
    if f == "SS2":
        l1, l2 = ((8, 3), (16, 1))[variant]
        return f"{d}({l1},{b}),{d2}({l2},{b2})", f"{d}({l1},%r{b}),{d2}({l2},%r{b2})"
    if f == "SS3":
        l1, i3 = ((4, 5), (16, 15))[variant]
        return f"{d}({l1},{b}),{d2}({b2}),{i3}", f"{d}({l1},%r{b}),{d2}(%r{b2}),{i3}"
    raise ValueError(f)


#: .insn format names for the formats GNU as may lack a mnemonic in
INSN_FORMAT = {"RR": "rr", "RRM": "rr", "S": "s", "SI": "si"}


def insn_line(op, theirs: str) -> str:
    """The same instruction as ``.insn``: our operation code, GNU's field layout."""
    form = INSN_FORMAT[op.fmt]
    operands_ = theirs.split(" ", 1)[1]
    width = op.length * 2
    code = op.code << (8 * op.length - (16 if op.two_byte else 8))
    if op.fmt in ("RR", "RRM"):
        operands_ = ",".join("%r" + o.lstrip("%r") for o in operands_.split(","))
    return f".insn {form},0x{code:0{width}x},{operands_}"


def gas(lines: list[str]) -> bytes | None:
    with tempfile.TemporaryDirectory() as tmp:
        src, obj = os.path.join(tmp, "t.s"), os.path.join(tmp, "t.o")
        with open(src, "w") as f:
            f.write("\n".join(f" {l}" for l in lines) + "\n")
        r = subprocess.run(
            [AS, "-m31", "-march=g5", src, "-o", obj], capture_output=True, text=True
        )
        if r.returncode:
            return None
        out = os.path.join(tmp, "t.bin")
        subprocess.run(
            ["s390x-linux-gnu-objcopy", "-O", "binary", "-j", ".text", obj, out], check=True
        )
        with open(out, "rb") as f:
            return f.read()


def objdump(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        p = os.path.join(tmp, "t.bin")
        with open(p, "wb") as f:
            f.write(data)
        r = subprocess.run(
            [OBJDUMP, "-D", "-b", "binary", "-m", "s390:31-bit", p],
            capture_output=True,
            text=True,
            check=True,
        )
    for line in r.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[0].strip() == "0:":
            return "\t".join(p.strip() for p in parts[2:]).strip()
    return ""


def entries():
    for op in TABLE:
        for variant in (0, 1):
            ours, theirs = operands(op, variant)
            yield (
                op,
                f"{op.mnemonic} {ours}".strip(),
                f"{op.mnemonic.lower()} {theirs}".strip(),
                op.length,
            )
    for alias in ALIASES:
        op = BY_MNEMONIC[alias]
        ours, theirs = operands(op, 0)
        yield op, f"{alias} {ours}", f"{alias.lower()} {theirs}", op.length
    for name, (mask, base) in EXTENDED.items():
        if base == "BCR":
            yield None, f"{name} 14", (f"{name.lower()} %r14"), 2
        else:
            yield None, f"{name} 100(4,12)", f"{name.lower()} 100(%r4,%r12)", 4


def main() -> None:
    corpus = []
    for op, ours, theirs, length in entries():
        data = gas([theirs])
        source = "gas"
        if data is None or len(data) < length:
            if op is None:
                raise SystemExit(f"GNU as rejects {theirs}")
            theirs = insn_line(op, theirs)
            data = gas([theirs])
            source = "insn"
            print("insn:", ours, "| gas:", theirs)
            if data is None:
                raise SystemExit(f"GNU as rejects {theirs}")
        data = data[:length]
        corpus.append(
            {
                "asm": ours,
                "gas": theirs,
                "bytes": data.hex(),
                "objdump": objdump(data),
                "source": source,
            }
        )
    with open(os.path.join(HERE, "corpus.json"), "w") as f:
        json.dump(corpus, f, indent=1)
        f.write("\n")
    print(f"{len(corpus)} entries, {sum(e['source'] == 'insn' for e in corpus)} given as .insn")


if __name__ == "__main__":
    main()
