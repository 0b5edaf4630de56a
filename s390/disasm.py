"""Disassembler derived from the opcode table (s390/optable.py).

Operands are written in assembler syntax with every field explicit, so that the
text assembles back to the same bytes:  RX  R1,D2(X2,B2);  SS1  D1(L,B1),D2(B2); ...
"""

from __future__ import annotations

from s390.optable import Op, instruction_length, lookup


def _d(disp: int, base: int) -> str:
    return f"{disp}({base})"


def operands(op: Op, ins: bytes) -> str:
    """The operand field of one instruction (``ins`` holds its bytes)."""
    fmt = op.fmt
    b1 = ins[1]
    r1, r2 = b1 >> 4, b1 & 15
    if fmt in ("RR", "RRM"):
        return f"{r1},{r2}"
    if fmt == "RR1":
        return f"{r1}"
    if fmt == "I":
        return f"{b1}"
    if fmt == "S0":
        return ""
    if fmt in ("RRE", "RRE1"):
        r1, r2 = ins[3] >> 4, ins[3] & 15
        return f"{r1},{r2}" if fmt == "RRE" else f"{r1}"
    base2, disp2 = ins[2] >> 4, int.from_bytes(ins[2:4], "big") & 0xFFF
    if fmt in ("RX", "RXM"):
        return f"{r1},{disp2}({r2},{base2})"
    if fmt in ("RS", "RSM"):
        return f"{r1},{r2},{_d(disp2, base2)}"
    if fmt == "RS2":
        return f"{r1},{_d(disp2, base2)}"
    if fmt == "SI":
        return f"{_d(disp2, base2)},{b1}"
    if fmt in ("S", "S1"):
        return _d(disp2, base2)
    base4, disp4 = ins[4] >> 4, int.from_bytes(ins[4:6], "big") & 0xFFF
    if fmt == "SSE":
        return f"{_d(disp2, base2)},{_d(disp4, base4)}"
    if fmt == "SS4":
        return f"{disp2}({r1},{base2}),{_d(disp4, base4)},{r2}"
    if fmt == "SS1":
        return f"{disp2}({b1 + 1},{base2}),{_d(disp4, base4)}"
    if fmt == "SS2":
        return f"{disp2}({r1 + 1},{base2}),{disp4}({r2 + 1},{base4})"
    if fmt == "SS3":
        return f"{disp2}({r1 + 1},{base2}),{_d(disp4, base4)},{r2}"
    raise ValueError(fmt)  # pragma: no cover - every format of the table is handled


def decode(data: bytes, offset: int = 0) -> tuple[int, str]:
    """(length, text) of the instruction at data[offset]; an unassigned operation code
    is shown as a DC of its halfword."""
    first = data[offset]
    length = instruction_length(first)
    ins = bytes(data[offset : offset + length])
    op = lookup(first, ins[1] if len(ins) > 1 else 0)
    if op is None or len(ins) < length:
        half = bytes(data[offset : offset + 2])
        return len(half), f"DC    X'{half.hex().upper()}'"
    return length, f"{op.mnemonic:<5} {operands(op, ins)}".rstrip()


def disassemble(data: bytes, address: int = 0) -> list[tuple[int, bytes, str]]:
    """Every instruction in data: (address, bytes, text)."""
    out = []
    i = 0
    while i < len(data):
        n, text = decode(data, i)
        n = max(n, 1)
        out.append((address + i, bytes(data[i : i + n]), text))
        i += n
    return out


def format_listing(data: bytes, address: int = 0) -> list[str]:
    return [f"{a:06X}  {b.hex().upper():<12}  {t}" for a, b, t in disassemble(data, address)]
