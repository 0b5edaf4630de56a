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
    implicit_length: int | None  # None: from the nominal value
    align: int
    address: bool = False  # nominal values are (expressions)
    max_length: int = 256


TYPES = {
    t.letter: t
    for t in (
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
        ConstType("Q", 4, 4, address=True, max_length=4),
    )
}

#: Type extensions (HLASM Language Reference, "Type extension"): the S/370 forms.
#: AD FD VD QD: 8-byte fixed point and address constants; CA CE CU: ASCII, EBCDIC
#: and Unicode (UTF-16) characters; EH DH LH: hexadecimal floating point, the same
#: as E D L; LQ: L on a quadword boundary.  Binary and decimal floating point
#: (EB DB LB ED DD LD) have no S/370 instructions and stay ASMA065E.
EXTENDED_TYPES = {
    "AD": ConstType("A", 8, 8, address=True, max_length=8),
    "FD": ConstType("F", 8, 8, max_length=8),
    "VD": ConstType("V", 8, 8, address=True, max_length=8),
    "QD": ConstType("Q", 8, 8, address=True, max_length=8),
    "CA": ConstType("C", None, 1),
    "CE": ConstType("C", None, 1),
    "CU": ConstType("C", None, 1),
    "EH": TYPES["E"],
    "DH": TYPES["D"],
    "LH": TYPES["L"],
    "LQ": ConstType("L", 16, 16, max_length=16),
}
#: Scale modifiers apply to these types, exponent modifiers too (HLASM "Scale modifier").
SCALED = "FHEDL"


@dataclass
class Fixup:
    """An address constant that the loader must relocate (becomes an RLD item)."""

    offset: int  # from the start of the operand's bytes
    length: int
    rel: tuple  # relocatability of the value
    vcon: bool = False
    pseudo: str = ""  # "Q": the offset of an external dummy section


@dataclass
class DCOperand:
    text: str
    dup: int
    ctype: ConstType
    length: int  # length of one item (the length attribute)
    explicit: bool
    values: list[str] = field(default_factory=list)
    extension: str = ""  # type extension letter (CE: "E", FD: "D")
    bits: int | None = None  # bit-length modifier L.n
    scale: int = 0  # scale modifier S
    exponent: int = 0  # exponent modifier E
    deferred: bool = False  # a modifier names a symbol defined later: redo in pass 2

    @property
    def type_attribute(self) -> str:
        return self.ctype.letter

    @property
    def item_count(self) -> int:
        return max(1, len(self.values))

    @property
    def bit_size(self) -> int:
        """Bits of a bit-length operand (all duplications)."""
        return self.dup * self.item_count * (self.bits or 0)

    @property
    def align(self) -> int:
        return 1 if self.explicit else self.ctype.align

    @property
    def item_lengths(self) -> list[int]:
        if not self.values:
            return [self.length]
        if self.ctype.letter in "PZXB" and not self.explicit:
            # each nominal value has its own implicit length; the first gives L'
            return [_implicit_length(self.ctype.letter, [v]) for v in self.values]
        return [self.length] * len(self.values)

    @property
    def size(self) -> int:
        return self.dup * sum(self.item_lengths)

    def generate(
        self, ctx: DataContext, start: int, literal: bool = False, room: int | None = None
    ) -> tuple[Runs, list[Fixup]]:
        """The bytes of a DC operand (all duplications) placed at section offset start,
        and its relocatable fixups.  In an address constant '*' is the constant's own
        first byte, for each value and each duplication; in a literal it stays the
        address of the instruction using it (HLASM "Summary of literal rules").
        Other constants are the same for every duplication: their bytes are one
        pattern repeated (Runs), however large the duplication factor.  ``room``
        (bytes left in the 24-bit address space) bounds the duplications of an
        address constant that are made: beyond it nothing is written (ASMA039S)."""
        if not self.ctype.address:
            unit = b"".join(
                self.item_bytes(value, length)
                for value, length in zip(self.values, self.item_lengths)
            )
            runs = Runs()
            runs.append(unit, self.dup)
            return runs, []
        unit_size = sum(self.item_lengths)
        dup = self.dup if room is None else min(self.dup, max(0, -(-room // max(unit_size, 1))))
        if literal or not self.uses_location:
            unit, unit_fixups = self._address_unit(ctx, None)
            fixups = [
                Fixup(k * len(unit) + f.offset, f.length, f.rel, f.vcon, f.pseudo)
                for k in range(dup if unit_fixups else 0)
                for f in unit_fixups
            ]
            runs = Runs()
            runs.append(unit, dup)
            return runs, fixups
        out = bytearray()
        fixups = []
        for _ in range(dup):
            data, unit_fixups = self._address_unit(ctx, start + len(out))
            fixups += [
                Fixup(len(out) + f.offset, f.length, f.rel, f.vcon, f.pseudo) for f in unit_fixups
            ]
            out += data
        return Runs(bytes(out)), fixups

    def item_bytes(self, value: str, length: int) -> bytes:
        """One nominal value of a constant that is not an address constant."""
        letter = self.ctype.letter
        if letter == "C":
            return _gen_c(value, length, self.extension)
        if letter in "FH":
            return _gen_fixed(value, length, self.scale, self.exponent)
        if letter in "EDL":
            return hfp_bytes(value, length, self.scale, self.exponent)
        return GENERATORS[letter](_unblank(value), length, self.explicit)

    def item_bits(self, ctx: DataContext, value: str) -> int:
        """One nominal value of a bit-length constant as an integer of ``bits`` bits: the
        rightmost bits, or for character and floating-point constants the leftmost
        (HLASM "Bit-length modifier")."""
        nbytes = -(-self.bits // 8)
        if self.ctype.address:
            v = evaluate(value, ctx)
            if v.rel:
                raise AsmError("ASMA068S", self.text)
            data = (v.value & ((1 << (8 * nbytes)) - 1)).to_bytes(nbytes, "big")
        else:
            data = self.item_bytes(value, nbytes)
        n = int.from_bytes(data, "big")
        if self.ctype.letter in "CEDL":
            return n >> (8 * nbytes - self.bits)
        return n & ((1 << self.bits) - 1)

    @property
    def uses_location(self) -> bool:
        """Whether a nominal value refers to '*' (then each duplication differs)."""
        return any(("loc", "*") in tokenize(v) for v in self.values)

    def _address_unit(self, ctx: DataContext, start: int | None) -> tuple[bytes, list[Fixup]]:
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
                fixups.append(
                    Fixup(
                        len(out),
                        length,
                        rel,
                        self.ctype.letter == "V",
                        "Q" if self.ctype.letter == "Q" else "",
                    )
                )
            out += data
        return bytes(out), fixups


def statement_size(ops: list[DCOperand], loc: int) -> int:
    """Bytes a DC/DS statement takes from section offset ``loc`` (after the first
    operand's alignment): each operand aligned to its boundary; consecutive
    bit-length operands share one bit stream, padded to a byte at its end."""
    size = bits = 0
    for dc in ops:
        if dc.bits:
            bits += dc.bit_size
            continue
        size += -(-bits // 8)
        bits = 0
        size += (-(loc + size)) % dc.align + dc.size
    return size + -(-bits // 8)


def bit_stream(ops: list[DCOperand], ctx: DataContext) -> Runs:
    """The bytes of consecutive bit-length operands: their values packed left to
    right, the last byte padded with zero bits on the right."""
    acc = nbits = 0
    out = Runs()
    for dc in ops:
        unit_acc = unit_bits = 0
        for value in dc.values or ["0"]:
            unit_acc = unit_acc << dc.bits | dc.item_bits(ctx, value)
            unit_bits += dc.bits
        dup = dc.dup
        if nbits % 8 == 0 and dup > 8:
            # whole bytes so far: a run of 8 units is byte-aligned, repeat it
            out.append(acc.to_bytes(nbits // 8, "big") if nbits else b"")
            acc = nbits = 0
            block = 0
            for _ in range(8):
                block = block << unit_bits | unit_acc
            out.append(block.to_bytes(unit_bits, "big"), dup // 8)
            dup %= 8
        for _ in range(dup):
            acc = acc << unit_bits | unit_acc
            nbits += unit_bits
    if nbits:
        pad = -nbits % 8
        out.append((acc << pad).to_bytes((nbits + pad) // 8, "big"))
    return out


class DataContext(Context):
    def resolve(self, v: Value, text: str) -> tuple[int, int]: ...
    def constant_at(self, offset: int | None) -> None: ...
    def external(self, name: str) -> Value: ...
    def pseudo_register(self, name: str) -> Value: ...


_OPERAND_RE = re.compile(r"^(\d+|\([^()]*(?:\([^()]*\)[^()]*)*\))?([A-Za-z])(.*)$", re.S)


def parse_operand(text: str, ctx: Context, need_value: bool) -> DCOperand:
    """Parse one DC/DS operand: [duplication] type [extension] [Ln | L.n] [Sn] [En]
    nominal.  Duplication factor, length and modifiers must be absolute and already
    defined (they fix the location counter in the first pass)."""
    m = _OPERAND_RE.match(text)
    if not m:
        raise AsmError("ASMA062E", text)
    dup_text, letter, rest = m.groups()
    letter = letter.upper()
    ctype = TYPES.get(letter)
    extension = ""
    if rest[:1].isalpha() and (letter + rest[0]).upper() in EXTENDED_TYPES:
        extension = rest[0].upper()
        ctype = EXTENDED_TYPES[letter + extension]
        rest = rest[1:]
    elif (
        rest[:1]
        and rest[:1].upper() in "BD"
        and letter in "EDL"
        and rest[1:2] in ("'", "L", "l", "")
    ):
        raise AsmError("ASMA065E", text)  # binary / decimal floating point
    if ctype is None:
        raise AsmError("ASMA065E", text)
    dup = 1
    if dup_text:
        dup = evaluate_absolute(dup_text.strip("()") if dup_text.startswith("(") else dup_text, ctx)
        if dup < 0:
            raise AsmError("ASMA067S", text)
    length, explicit, bits = ctype.implicit_length, False, None
    lm = re.match(r"^[Ll](\.)?(\d+|\([^()]*\))", rest)
    if lm:
        n = _modifier(lm.group(2), ctx)
        explicit = True
        rest = rest[lm.end() :]
        if lm.group(1):
            bits, length = n, -(-n // 8)
            # never with CU, S, V or Q constants (HLASM "Bit-length modifier")
            if not 1 <= n <= 8 * ctype.max_length or letter in "SVQ" or letter + extension == "CU":
                raise AsmError("ASMA068S", text)
        else:
            length = n
            if not 1 <= length <= ctype.max_length:
                raise AsmError("ASMA068S", text)
    scale = exponent = 0
    deferred = []
    sm = re.match(r"^[Ss]([+-]?\d+|\([^()]*\))", rest)
    if sm:
        if letter not in SCALED:
            raise AsmError("ASMA070E", text)
        scale = _later_modifier(sm.group(1), ctx, deferred)
        rest = rest[sm.end() :]
    em = re.match(r"^[Ee]([+-]?\d+|\([^()]*\))", rest)
    if em:
        if letter not in SCALED:
            raise AsmError("ASMA062E", text)
        exponent = _later_modifier(em.group(1), ctx, deferred)
        rest = rest[em.end() :]
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
        length = _implicit_length(letter, values, extension)
    return DCOperand(
        text, dup, ctype, length, explicit, values, extension, bits, scale, exponent, bool(deferred)
    )


def _modifier(text: str, ctx: Context) -> int:
    """A length, scale or exponent modifier: a signed decimal or (expression)."""
    if text.startswith("("):
        return evaluate_absolute(text[1:-1], ctx)
    return int(text)


def _later_modifier(text: str, ctx: Context, deferred: list) -> int:
    """A scale or exponent modifier may name a symbol defined further on (HLASM
    "Subfield 5: Modifier"): in the first pass it counts as 0 and the operand is
    parsed again in the second."""
    try:
        return _modifier(text, ctx)
    except AsmError as e:
        if e.msgid != "ASMA044E" or getattr(ctx, "pass2", True):
            raise
        deferred.append(text)
        return 0


def _unblank(value: str) -> str:
    """Blanks inside binary, hexadecimal and decimal nominal values only help reading
    (HLASM Release 3: blanks are allowed in quote-delimited numeric constants)."""
    return value.replace(" ", "")


def _implicit_length(letter: str, values: list[str], extension: str = "") -> int:
    if not values:
        return 1
    v = _unblank(values[0]) if letter != "C" else values[0]
    if letter == "C":
        return max(1, len(_chars(v)) * (2 if extension == "U" else 1))
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


def _gen_c(value: str, length: int, extension: str = "") -> bytes:
    """Character constants: EBCDIC (C, CE), ASCII (CA, padded with ASCII blanks) or
    Unicode UTF-16 (CU); padded on the right and truncated on the right."""
    text = value.replace("''", "'").replace("&&", "&")
    if extension == "A":
        return text.encode("ascii", "replace")[:length].ljust(length, b" ")
    if extension == "U":
        if length % 2:
            raise AsmError("ASMA068S", value)
        return _utf16(text, length)
    return to_ebcdic(text)[:length].ljust(length, b"\x40")


def _utf16(text: str, length: int) -> bytes:
    data = text.encode("utf-16-be")[:length]
    return data + b"\x00\x20" * ((length - len(data)) // 2)


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


def _integer(value: str, scale: int = 0, exponent: int = 0) -> int:
    """A fixed-point nominal value: signed decimal, optionally with a decimal point and
    an exponent (F'1E3', H'-2.5E1'); a fraction is rounded to the nearest integer."""
    m = re.fullmatch(r"([+-]?)(\d*\.?\d*)(?:[Ee]([+-]?\d+))?", value.replace(" ", ""))
    if not m or not any(c.isdigit() for c in m.group(2)):
        raise AsmError("ASMA037E", value)
    x = (
        Fraction(m.group(2))
        * Fraction(10) ** (int(m.group(3) or 0) + exponent)
        * Fraction(2) ** scale
    )
    n = int(x + Fraction(1, 2))  # round half up on the magnitude
    return -n if m.group(1) == "-" else n


def _extended(sign: int, char: int, frac: int) -> bytes:
    """An extended (L) constant: two long numbers, the second's characteristic 14 less."""
    hi, lo = frac >> 56, frac & ((1 << 56) - 1)
    return (
        bytes([sign | char])
        + hi.to_bytes(7, "big")
        + bytes([sign | ((char - 14) & 0x7F)])
        + lo.to_bytes(7, "big")
    )


def _gen_fixed(value: str, length: int, scale: int = 0, exponent: int = 0) -> bytes:
    """Fixed point: the nominal value times 10**exponent times 2**scale, rounded
    (HLASM "Scale modifier", "Exponent modifier")."""
    n = _integer(value, scale, exponent)
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


def hfp_bytes(value: str, length: int, scale: int = 0, exponent: int = 0) -> bytes:
    """Hexadecimal floating point (GA22-7000 chapter 9): sign, excess-64 characteristic,
    hexadecimal fraction; rounded to the nearest last digit.  The exponent modifier
    multiplies by 10**exponent; a scale modifier of n keeps the value but shifts the
    fraction n hexadecimal digits right (unnormalized; HLASM "Scale modifier")."""
    try:
        x = Fraction(value.replace(" ", "")) * Fraction(10) ** exponent
    except (ValueError, ZeroDivisionError):
        raise AsmError("ASMA037E", value) from None
    if scale < 0:
        raise AsmError("ASMA070E", value)
    # the fraction is rounded at the last digit the (explicit) length keeps
    digits = 28 if length > 8 else 2 * length - 2
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
    if scale and scale >= digits:
        raise AsmError("ASMA073E", value)  # every significant digit shifted out
    x /= Fraction(16) ** scale
    exp += scale
    frac = round(x * (16**digits))
    if frac >= 16**digits:
        frac //= 16
        exp += 1
    char = exp + 64
    if not 0 <= char <= 127:
        raise AsmError("ASMA072E", value)
    if length == 16:
        return _extended(sign, char, frac)
    if length > 8:  # 9..15 bytes: the extended form, cut on the right
        return _extended(sign, char, frac)[:length]
    data = bytes([sign | char]) + (frac << 4 * (2 * length - 2 - digits)).to_bytes(
        length - 1, "big"
    )
    return data


GENERATORS = {"X": _gen_x, "B": _gen_b, "P": _gen_p, "Z": _gen_z}


def _address_constant(letter: str, text: str, length: int, ctx: DataContext) -> tuple[bytes, tuple]:
    if letter == "V":
        v = ctx.external(text.strip().upper())
    elif letter == "Q":
        v = ctx.pseudo_register(text.strip().upper())
    elif letter == "S":
        st = storage_operand(text, ctx, allow_index=False)
        v = Value(st.base << 12 | st.disp)
    else:
        v = evaluate(text, ctx)
    n = (v.value if letter == "S" else ctx.assembled(v)) & ((1 << (8 * length)) - 1)
    if v.rel and length < {"V": 3, "Q": 1}.get(letter, 2):
        # relocatable address constants are 2 to 8 bytes (V: 3, 4 or 8) -- HLASM
        # "Address constants"; the RLD flag's X'40' bit adds 4 to its length field
        raise AsmError("ASMA068S", text)
    return n.to_bytes(length, "big"), v.rel


def parse_operands(text: str, ctx: Context, need_value: bool) -> list[DCOperand]:
    ops = split_operands(text)
    if not ops or any(not o for o in ops):
        raise AsmError("ASMA062E", text)
    return [parse_operand(o, ctx, need_value) for o in ops]
