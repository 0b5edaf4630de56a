"""DC and DS operands: constants and storage areas (HLASM Language Reference, "DC instruction").

An operand is  [duplication factor] type [length modifier] [nominal value].  Each
type has one row in TYPES: implicit length, alignment, and the function that turns
one nominal value into bytes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

from s390.ebcdic import to_ebcdic
from .encode import storage_operand
from .expr import Context, Value, evaluate, evaluate_absolute, tokenize
from .messages import AsmError
from .runs import Runs
from .source import split_operands


@dataclass(frozen=True)
class ConstType:
    letter: str
    implicit_length: int | None   # None: from the nominal value
    align: int
    address: bool = False         # nominal values are (expressions)
    max_length: int = 256


TYPES = {t.letter: t for t in (
    ConstType("C", None, 1),
    ConstType("X", None, 1),
    ConstType("B", None, 1),
    ConstType("P", None, 1, max_length=16),
    ConstType("Z", None, 1, max_length=16),
    ConstType("F", 4, 4, max_length=8),
    ConstType("H", 2, 2, max_length=8),
    ConstType("E", 4, 4, max_length=8),
    ConstType("D", 8, 8, max_length=8),
    ConstType("L", 16, 8, max_length=16),
    ConstType("A", 4, 4, address=True, max_length=4),
    ConstType("Y", 2, 2, address=True, max_length=2),
    ConstType("V", 4, 4, address=True, max_length=4),
    ConstType("S", 2, 2, address=True, max_length=2),
)}


@dataclass
class Fixup:
    """An address constant that the loader must relocate (becomes an RLD item)."""
    offset: int          # from the start of the operand's bytes
    length: int
    rel: tuple           # relocatability of the value
    vcon: bool = False


@dataclass
class DCOperand:
    text: str
    dup: int
    ctype: ConstType
    length: int                  # length of one item (the length attribute)
    explicit: bool
    values: list[str] = field(default_factory=list)

    @property
    def align(self) -> int:
        return 1 if self.explicit else self.ctype.align

    @property
    def item_lengths(self) -> list[int]:
        if not self.values:
            return [self.length]
        if self.ctype.letter in "PZ" and not self.explicit:
            return [_decimal_length(self.ctype.letter, v) for v in self.values]
        return [self.length] * len(self.values)

    @property
    def size(self) -> int:
        return self.dup * sum(self.item_lengths)

    def generate(self, ctx: "DataContext", start: int, literal: bool = False) -> tuple[Runs, list[Fixup]]:
        """The bytes of a DC operand (all duplications) placed at section offset start,
        and its relocatable fixups.  In an address constant '*' is the constant's own
        first byte, for each value and each duplication; in a literal it stays the
        address of the instruction using it (HLASM "Summary of literal rules").
        Other constants are the same for every duplication: their bytes are one
        pattern repeated (Runs), however large the duplication factor."""
        if not self.ctype.address:
            unit = b"".join(GENERATORS[self.ctype.letter](value, length, self.explicit)
                            for value, length in zip(self.values, self.item_lengths))
            runs = Runs()
            runs.append(unit, self.dup)
            return runs, []
        if literal or not self.uses_location:
            unit, unit_fixups = self._address_unit(ctx, None)
            fixups = [Fixup(k * len(unit) + f.offset, f.length, f.rel, f.vcon)
                      for k in range(self.dup if unit_fixups else 0) for f in unit_fixups]
            runs = Runs()
            runs.append(unit, self.dup)
            return runs, fixups
        out = bytearray()
        fixups = []
        for _ in range(self.dup):
            data, unit_fixups = self._address_unit(ctx, start + len(out))
            fixups += [Fixup(len(out) + f.offset, f.length, f.rel, f.vcon) for f in unit_fixups]
            out += data
        return Runs(bytes(out)), fixups

    @property
    def uses_location(self) -> bool:
        """Whether a nominal value refers to '*' (then each duplication differs)."""
        return any(("loc", "*") in tokenize(v) for v in self.values)

    def _address_unit(self, ctx: "DataContext", start: int | None) -> tuple[bytes, list[Fixup]]:
        """One duplication of an address constant; '*' is ``start`` + its offset
        (None: '*' keeps its meaning for the statement, as in a literal)."""
        out = bytearray()
        fixups: list[Fixup] = []
        for value, length in zip(self.values, self.item_lengths):
            if start is not None:
                ctx.constant_at(start + len(out))
            try:
                data, rel = _address_constant(self.ctype.letter, value, length, ctx)
            finally:
                ctx.constant_at(None)
            if rel:
                fixups.append(Fixup(len(out), length, rel, self.ctype.letter == "V"))
            out += data
        return bytes(out), fixups


class DataContext(Context):
    def resolve(self, v: Value, text: str) -> tuple[int, int]: ...
    def constant_at(self, offset: int | None) -> None: ...
    def external(self, name: str) -> Value: ...


_OPERAND_RE = re.compile(r"^(\d+|\([^()]*(?:\([^()]*\)[^()]*)*\))?([A-Za-z])(.*)$", re.S)


def parse_operand(text: str, ctx: Context, need_value: bool) -> DCOperand:
    """Parse one DC/DS operand.  Duplication factor and length must be absolute and
    already defined (they fix the location counter in the first pass)."""
    m = _OPERAND_RE.match(text)
    if not m:
        raise AsmError("ASMA062E", text)
    dup_text, letter, rest = m.groups()
    letter = letter.upper()
    ctype = TYPES.get(letter)
    if ctype is None:
        raise AsmError("ASMA065E", text)
    dup = 1
    if dup_text:
        dup = evaluate_absolute(dup_text.strip("()") if dup_text.startswith("(") else dup_text, ctx)
        if dup < 0:
            raise AsmError("ASMA067S", text)
    length, explicit = ctype.implicit_length, False
    lm = re.match(r"^[Ll](\d+|\([^()]*\))", rest)
    if lm:
        lt = lm.group(1)
        length = evaluate_absolute(lt[1:-1] if lt.startswith("(") else lt, ctx)
        explicit = True
        rest = rest[lm.end():]
        if not 1 <= length <= ctype.max_length:
            raise AsmError("ASMA068S", text)
    values: list[str] = []
    if rest:
        if ctype.address:
            if not (rest.startswith("(") and rest.endswith(")")):
                raise AsmError("ASMA062E", text)
            values = split_operands(rest[1:-1])
        else:
            if not (rest.startswith("'") and rest.endswith("'") and len(rest) >= 2):
                raise AsmError("ASMA063E", text)
            body = rest[1:-1]
            values = [body] if letter == "C" else [v.strip() for v in body.split(",")]
    elif need_value and not (dup == 0):
        raise AsmError("ASMA062E", text)
    if length is None:
        length = _implicit_length(letter, values, text)
    return DCOperand(text, dup, ctype, length, explicit, values)


def _implicit_length(letter: str, values: list[str], text: str) -> int:
    if not values:
        return 1
    v = values[0]
    if letter == "C":
        return max(1, len(_chars(v)))
    if letter == "X":
        return max(1, (len(v) + 1) // 2)
    if letter == "B":
        return max(1, (len(v) + 7) // 8)
    return _decimal_length(letter, v)


def _decimal_length(letter: str, v: str) -> int:
    digits = sum(c.isdigit() for c in v)
    return max(1, (digits + 2) // 2) if letter == "P" else max(1, digits)


def _chars(text: str) -> bytes:
    return to_ebcdic(text.replace("''", "'").replace("&&", "&"))


def _gen_c(value: str, length: int, explicit: bool) -> bytes:
    return _chars(value)[:length].ljust(length, b"\x40")


def _gen_x(value: str, length: int, explicit: bool) -> bytes:
    if not value or not re.fullmatch(r"[0-9A-Fa-f]+", value):
        raise AsmError("ASMA037E", value)
    digits = value if len(value) % 2 == 0 else "0" + value
    data = bytes.fromhex(digits)
    return data[-length:].rjust(length, b"\0")


def _gen_b(value: str, length: int, explicit: bool) -> bytes:
    if not value or not re.fullmatch(r"[01]+", value):
        raise AsmError("ASMA037E", value)
    n = int(value, 2)
    return (n & ((1 << (8 * length)) - 1)).to_bytes(length, "big")


def _integer(value: str) -> int:
    """A fixed-point nominal value: signed decimal, optionally with a decimal point and
    an exponent (F'1E3', H'-2.5E1'); a fraction is rounded to the nearest integer."""
    m = re.fullmatch(r"([+-]?)(\d*\.?\d*)(?:[Ee]([+-]?\d+))?", value.replace(" ", ""))
    if not m or not any(c.isdigit() for c in m.group(2)):
        raise AsmError("ASMA037E", value)
    x = Fraction(m.group(2)) * Fraction(10) ** int(m.group(3) or 0)
    n = int(x + Fraction(1, 2))            # round half up on the magnitude
    return -n if m.group(1) == "-" else n


def _gen_fixed(value: str, length: int, explicit: bool) -> bytes:
    n = _integer(value)
    if not -(1 << (8 * length - 1)) <= n < (1 << (8 * length)):
        raise AsmError("ASMA072E", value)
    return (n & ((1 << (8 * length)) - 1)).to_bytes(length, "big")


def _decimal_digits(value: str) -> tuple[str, bool]:
    m = re.fullmatch(r"([+-]?)(\d*)\.?(\d*)", value.replace(" ", ""))
    if not m or not (m.group(2) or m.group(3)):
        raise AsmError("ASMA037E", value)
    return m.group(2) + m.group(3), m.group(1) == "-"


def _gen_p(value: str, length: int, explicit: bool) -> bytes:
    """Packed decimal: digits, then the sign C (plus) or D (minus) in the last half byte."""
    digits, negative = _decimal_digits(value)
    nibbles = digits + ("D" if negative else "C")
    if len(nibbles) % 2:
        nibbles = "0" + nibbles
    data = bytes.fromhex(nibbles)
    return data[-length:].rjust(length, b"\0")


def _gen_z(value: str, length: int, explicit: bool) -> bytes:
    """Zoned decimal: F zones, the last zone C or D carries the sign."""
    digits, negative = _decimal_digits(value)
    digits = digits[-length:].rjust(length, "0")
    data = bytearray(0xF0 | int(d) for d in digits)
    data[-1] = (0xD0 if negative else 0xC0) | (data[-1] & 0x0F)
    return bytes(data)


def hfp_bytes(value: str, length: int) -> bytes:
    """Hexadecimal floating point (GA22-7000 chapter 9): sign, excess-64 characteristic,
    hexadecimal fraction; rounded to the nearest last digit."""
    try:
        x = Fraction(value.replace(" ", ""))
    except (ValueError, ZeroDivisionError):
        raise AsmError("ASMA037E", value) from None
    digits = {4: 6, 8: 14, 16: 28}.get(length, 14)
    if x == 0:
        return bytes(length)
    sign = 0x80 if x < 0 else 0
    x = abs(x)
    exp = 0
    while x >= 1:
        x /= 16
        exp += 1
    while x < Fraction(1, 16):
        x *= 16
        exp -= 1
    frac = round(x * (16 ** digits))
    if frac >= 16 ** digits:
        frac //= 16
        exp += 1
    char = exp + 64
    if not 0 <= char <= 127:
        raise AsmError("ASMA072E", value)
    if length == 16:
        hi, lo = frac >> 56, frac & ((1 << 56) - 1)
        return (bytes([sign | char]) + hi.to_bytes(7, "big")
                + bytes([sign | ((char - 14) & 0x7F)]) + lo.to_bytes(7, "big"))
    width = 8 if length > 4 else 4
    data = bytes([sign | char]) + frac.to_bytes(width - 1, "big")
    return data[:length] if length <= width else data.ljust(length, b"\0")


def _gen_float(value: str, length: int, explicit: bool) -> bytes:
    return hfp_bytes(value, length)


GENERATORS = {
    "C": _gen_c, "X": _gen_x, "B": _gen_b, "P": _gen_p, "Z": _gen_z,
    "F": _gen_fixed, "H": _gen_fixed, "E": _gen_float, "D": _gen_float, "L": _gen_float,
}


def _address_constant(letter: str, text: str, length: int, ctx: DataContext) -> tuple[bytes, tuple]:
    if letter == "V":
        v = ctx.external(text.strip().upper())
    elif letter == "S":
        st = storage_operand(text, ctx, allow_index=False)
        v = Value(st.base << 12 | st.disp)
    else:
        v = evaluate(text, ctx)
    n = (v.value if letter == "S" else ctx.assembled(v)) & ((1 << (8 * length)) - 1)
    if v.rel and length < (3 if letter == "V" else 2):
        # relocatable address constants are 2 to 4 bytes (V: 3 or 4) -- HLASM "Address constants"
        raise AsmError("ASMA068S", text)
    return n.to_bytes(length, "big"), v.rel


def parse_operands(text: str, ctx: Context, need_value: bool) -> list[DCOperand]:
    ops = split_operands(text)
    if not ops or any(not o for o in ops):
        raise AsmError("ASMA062E", text)
    return [parse_operand(o, ctx, need_value) for o in ops]
