"""Machine instructions: operand parsing and encoding, by format of s390/optable.py.

The mnemonic table is the opcode table itself plus the extended branch mnemonics
(HLASM Language Reference, "Branching with extended mnemonic codes"), declared below
as (name, mask, base instruction) on top of BC and BCR.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from s390.optable import BY_MNEMONIC, Op

from .expr import Context, Value, evaluate
from .messages import AsmError
from .source import _is_attribute_quote, split_operands

#: Extended branch mnemonics: name, condition mask, base mnemonic (RX form; the
#: R form is the same name + "R" on BCR).
_BRANCH_CONDITIONS = (
    ("B", 15),
    ("NOP", 0),
    ("BH", 2),
    ("BL", 4),
    ("BE", 8),
    ("BNH", 13),
    ("BNL", 11),
    ("BNE", 7),
    ("BO", 1),
    ("BP", 2),
    ("BM", 4),
    ("BZ", 8),
    ("BNP", 13),
    ("BNM", 11),
    ("BNZ", 7),
    ("BNO", 14),
)
EXTENDED: dict[str, tuple[int, str]] = {}
for _name, _mask in _BRANCH_CONDITIONS:
    EXTENDED[_name] = (_mask, "BC")
    EXTENDED[_name + "R"] = (_mask, "BCR")


def lookup(mnemonic: str) -> tuple[Op, int | None] | None:
    """(table entry, implied mask) for a machine or extended mnemonic, else None."""
    if mnemonic in BY_MNEMONIC:
        return BY_MNEMONIC[mnemonic], None
    if mnemonic in EXTENDED:
        mask, base = EXTENDED[mnemonic]
        return BY_MNEMONIC[base], mask
    return None


class InstrContext(Context, Protocol):
    def resolve(self, v: Value, text: str) -> tuple[int, int]:
        """(base register, displacement) for an implicit address, per the active USINGs."""

    def literal(self, text: str) -> tuple[Value, int]:
        """Address and length attribute of a literal."""

    def length_of(self, text: str) -> int:
        """Implicit length: length attribute of the leftmost term of an expression."""


@dataclass
class Storage:
    """A storage operand after parsing: D(X,B) or D(L,B) or an implicit address."""

    base: int
    disp: int
    index: int = 0
    length: int | None = None  # explicit length in the operand, when written
    address: Value | None = None  # the effective address for the listing


def _register(text: str, ctx: Context, what: str = "ASMA029E", limit: int = 15) -> int:
    v = evaluate(text.strip(), ctx)
    if not v.absolute:
        raise AsmError("ASMA032E", text)
    if not 0 <= v.value <= limit:
        raise AsmError(what, text)
    return v.value


def _immediate(text: str, ctx: Context, bits: int = 8) -> int:
    v = evaluate(text.strip(), ctx)
    if not v.absolute:
        raise AsmError("ASMA032E", text)
    n = v.value
    if -(1 << (bits - 1)) <= n < 0:
        n &= (1 << bits) - 1
    if not 0 <= n < (1 << bits):
        raise AsmError("ASMA031E", text)
    return n


def _split_storage(text: str) -> tuple[str, list[str] | None]:
    """'D(X,B)' -> ('D', ['X','B']); an operand without a trailing group -> (text, None)."""
    if not text.endswith(")") or text.startswith("="):
        return text, None
    depth, quoted, opened = 0, False, -1
    for i, ch in enumerate(text):
        if ch == "'" and (quoted or not _is_attribute_quote(text, i)):
            quoted = not quoted
        elif quoted:
            continue
        elif ch == "(":
            if depth == 0:
                opened = i
            depth += 1
        elif ch == ")":
            depth -= 1
    if depth != 0 or opened <= 0 or text[opened - 1] in "+-*/(":
        return text, None
    return text[:opened], split_operands(text[opened + 1 : -1])


def storage_operand(
    text: str, ctx: InstrContext, allow_index: bool, allow_length: int = 0
) -> Storage:
    """Parse D(X,B) (allow_index), D(L,B) (allow_length = maximum length) or D(B)."""
    text = text.strip()
    if not text:
        raise AsmError("ASMA062E", text)
    if text.startswith("="):
        addr, _ = ctx.literal(text)
        base, disp = ctx.resolve(addr, text)
        return Storage(base, disp, address=addr)
    disp_text, group = _split_storage(text)
    if group is None:
        addr = evaluate(text, ctx)
        base, disp = _implicit(addr, ctx, text)
        return Storage(base, disp, address=addr)
    if not group or len(group) > 2 or (len(group) == 2 and not (allow_index or allow_length)):
        raise AsmError("ASMA062E", text)
    first, second = (group[0], group[1]) if len(group) == 2 else (group[0], None)
    index, length = 0, None
    if allow_index and first.strip():
        index = _register(first, ctx)
    if allow_length and first.strip():
        length = _immediate_length(first, ctx, allow_length)
    if not allow_index and not allow_length:
        second = first  # D(B): the only item is the base
    if second is None:  # D(X) or D(L): implicit address, index/length given
        addr = evaluate(disp_text, ctx)
        base, disp = _implicit(addr, ctx, text)
        return Storage(base, disp, index, length, addr)
    base = _register(second, ctx) if second.strip() else 0
    dv = evaluate(disp_text, ctx) if disp_text else Value(0)
    if not dv.absolute:
        raise AsmError("ASMA032E", text)
    if not 0 <= dv.value <= 4095:
        raise AsmError("ASMA028E", text)
    return Storage(base, dv.value, index, length, dv)


def _immediate_length(text: str, ctx: Context, limit: int) -> int:
    v = evaluate(text.strip(), ctx)
    if not v.absolute:
        raise AsmError("ASMA032E", text)
    if not 0 <= v.value <= limit:
        raise AsmError("ASMA068S", text)
    return v.value


def _implicit(addr: Value, ctx: InstrContext, text: str) -> tuple[int, int]:
    if addr.absolute and 0 <= addr.value <= 4095:
        return 0, addr.value
    return ctx.resolve(addr, text)


def _length_field(st: Storage, text: str, ctx: InstrContext, limit: int) -> int:
    """The machine length field (length - 1); an omitted length is the implicit one."""
    length = st.length if st.length is not None else ctx.length_of(text)
    if length == 0:
        return 0
    if not 1 <= length <= limit:
        raise AsmError("ASMA068S", text)
    return length - 1


def _expect(ops: list[str], n: int, text: str) -> None:
    if n == 0:
        if ops and any(o.strip() for o in ops):
            raise AsmError("ASMA062E", text)
        return
    if len(ops) != n or any(not o.strip() for o in ops):
        raise AsmError("ASMA062E", text)


def encode(op: Op, mask: int | None, operand_text: str, ctx: InstrContext) -> tuple[bytes, list]:
    """Encode one instruction; returns its bytes and the effective addresses (for the listing)."""
    ops = split_operands(operand_text)
    if mask is not None:
        ops = [str(mask)] + ops
    code = op.code
    fmt = op.fmt
    addrs: list = []
    if fmt in ("RR", "RRM"):
        _expect(ops, 2, operand_text)
        data = bytes([code, _register(ops[0], ctx) << 4 | _register(ops[1], ctx)])
    elif fmt == "RR1":
        _expect(ops, 1, operand_text)
        data = bytes([code, _register(ops[0], ctx) << 4])
    elif fmt == "I":
        _expect(ops, 1, operand_text)
        data = bytes([code, _immediate(ops[0], ctx)])
    elif fmt in ("RX", "RXM"):
        _expect(ops, 2, operand_text)
        r1 = _register(ops[0], ctx)
        st = storage_operand(ops[1], ctx, allow_index=True)
        addrs.append(st.address)
        data = _rx(code, r1, st.index, st.base, st.disp)
    elif fmt in ("RS", "RSM"):
        _expect(ops, 3, operand_text)
        r1, r3 = _register(ops[0], ctx), _register(ops[1], ctx)
        st = storage_operand(ops[2], ctx, allow_index=False)
        addrs.append(st.address)
        data = _rx(code, r1, r3, st.base, st.disp)
    elif fmt == "RS2":
        _expect(ops, 2, operand_text)
        r1 = _register(ops[0], ctx)
        st = storage_operand(ops[1], ctx, allow_index=False)
        addrs.append(st.address)
        data = _rx(code, r1, 0, st.base, st.disp)
    elif fmt == "SI":
        _expect(ops, 2, operand_text)
        st = storage_operand(ops[0], ctx, allow_index=False)
        addrs.append(st.address)
        data = _rx(
            code, _immediate(ops[1], ctx) >> 4, _immediate(ops[1], ctx) & 15, st.base, st.disp
        )
    elif fmt == "S0":
        _expect(ops, 0, operand_text)
        data = code.to_bytes(2, "big") + bytes(2)
    elif fmt in ("RRE", "RRE1"):
        _expect(ops, 2 if fmt == "RRE" else 1, operand_text)
        r2 = _register(ops[1], ctx) if fmt == "RRE" else 0
        data = code.to_bytes(2, "big") + bytes([0, _register(ops[0], ctx) << 4 | r2])
    elif fmt == "SSE":
        _expect(ops, 2, operand_text)
        s1 = storage_operand(ops[0], ctx, allow_index=False)
        s2 = storage_operand(ops[1], ctx, allow_index=False)
        addrs += [s1.address, s2.address]
        data = code.to_bytes(2, "big") + _bd(s1.base, s1.disp) + _bd(s2.base, s2.disp)
    elif fmt == "SS4":
        # D1(R1,B1),D2(B2),R3: the "length" slot of the first operand names R1
        _expect(ops, 3, operand_text)
        s1 = storage_operand(ops[0], ctx, allow_index=True)
        s2 = storage_operand(ops[1], ctx, allow_index=False)
        addrs += [s1.address, s2.address]
        data = (
            bytes([code, s1.index << 4 | _register(ops[2], ctx)])
            + _bd(s1.base, s1.disp)
            + _bd(s2.base, s2.disp)
        )
    elif fmt in ("S", "S1"):
        _expect(ops, 1, operand_text)
        st = storage_operand(ops[0], ctx, allow_index=False)
        addrs.append(st.address)
        if op.two_byte:
            data = code.to_bytes(2, "big") + _bd(st.base, st.disp)
        else:
            data = bytes([code, 0]) + _bd(st.base, st.disp)
    elif fmt == "SS1":
        _expect(ops, 2, operand_text)
        s1 = storage_operand(ops[0], ctx, allow_index=False, allow_length=256)
        s2 = storage_operand(ops[1], ctx, allow_index=False)
        addrs += [s1.address, s2.address]
        ln = _length_field(s1, ops[0], ctx, 256)
        data = bytes([code, ln]) + _bd(s1.base, s1.disp) + _bd(s2.base, s2.disp)
    elif fmt in ("SS2", "SS3"):
        _expect(ops, 3 if fmt == "SS3" else 2, operand_text)
        s1 = storage_operand(ops[0], ctx, allow_index=False, allow_length=16)
        s2 = storage_operand(ops[1], ctx, allow_index=False, allow_length=16 if fmt == "SS2" else 0)
        addrs += [s1.address, s2.address]
        l1 = _length_field(s1, ops[0], ctx, 16)
        l2 = _length_field(s2, ops[1], ctx, 16) if fmt == "SS2" else _immediate(ops[2], ctx, 4)
        data = bytes([code, l1 << 4 | l2]) + _bd(s1.base, s1.disp) + _bd(s2.base, s2.disp)
    else:  # pragma: no cover - the opcode table has only the formats above
        raise AsmError("ASMA062E", fmt)
    return data, addrs


def _bd(base: int, disp: int) -> bytes:
    return (base << 12 | disp).to_bytes(2, "big")


def _rx(code: int, r1: int, x2: int, base: int, disp: int) -> bytes:
    return bytes([code, r1 << 4 | x2]) + _bd(base, disp)
