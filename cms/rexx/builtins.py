"""Built-in functions (TRL2 chapter 4; VM/SP REXX Reference SC24-5239).

One table: name -> (function, minimum arguments, maximum arguments).
Every function takes the Executor and the argument list (None for an
omitted argument) and returns a string.  Bad arguments are Error 40
("Incorrect call to routine"), as the language requires.  Numeric
arguments are rounded at the current NUMERIC DIGITS, as if 0 were added.
"""

from __future__ import annotations

import random
import re
from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from . import dates, numbers, streams
from .errors import ERROR_TEXTS, MAX_ERROR_NUMBER, MAX_STRING, RexxError
from .lexer import SYMBOL_CHARS

WORD_RE = re.compile(r"[^ ]+")
#: RANDOM's largest range and largest bound (TRL2 "RANDOM").
RANDOM_RANGE = 100000
RANDOM_MAX = 999999999


# --- argument helpers ----------------------------------------------------------


def _bad(name: str) -> RexxError:
    return RexxError(40, name)


def _whole(ex, value: str, name: str) -> int:
    parts = numbers._PARTS.get(value)  # a remembered whole number of 9 digits or fewer
    if parts is not None and not parts[1] and parts[2] <= 9:
        return parts[0]
    try:
        return numbers.whole_number(value, max(ex.frame.numeric.digits, 9), 40)
    except RexxError:
        raise _bad(name) from None


def _length(ex, value, name, default=None) -> int:
    if value is None:
        if default is None:
            raise _bad(name)
        return default
    number = _whole(ex, value, name)
    if number < 0:
        raise _bad(name)
    if number > MAX_STRING:
        raise RexxError(5, name)
    return number


def _position(ex, value, name, default=None) -> int:
    if value is None:
        if default is None:
            raise _bad(name)
        return default
    number = _whole(ex, value, name)
    if number < 1:
        raise _bad(name)
    return number


def _pad(value, name) -> str:
    if value is None:
        return " "
    if len(value) != 1:
        raise _bad(name)
    return value


def _option(value, allowed: str, default: str, name: str) -> str:
    if value is None:
        return default
    if not value:
        raise _bad(name)
    letter = value[0].upper()
    if letter not in allowed:
        raise _bad(name)
    return letter


def _number(ex, value, name) -> Decimal:
    parsed = numbers.parse_number(value)
    if parsed is None:
        raise _bad(name)
    return parsed


def _format(ex, value: Decimal) -> str:
    numeric = ex.frame.numeric
    return numbers.format_number(
        numbers._context(numeric.digits).plus(value), numeric.digits, numeric.form
    )


def _words(text: str) -> list[re.Match]:
    return list(WORD_RE.finditer(text))


# --- string functions -------------------------------------------------------------


def bif_abbrev(ex, a):
    information, info = a[0], a[1]
    length = _length(ex, a[2] if len(a) > 2 else None, "ABBREV", len(info))
    return "1" if information.startswith(info) and len(info) >= length else "0"


def bif_center(ex, a):
    string = a[0]
    length = _length(ex, a[1], "CENTER")
    pad = _pad(a[2] if len(a) > 2 else None, "CENTER")
    size = len(string)
    if size >= length:
        cut = size - length
        left = cut // 2
        return string[left : left + length]
    grow = length - size
    left = grow // 2
    return pad * left + string + pad * (grow - left)


def bif_compare(ex, a):
    pad = _pad(a[2] if len(a) > 2 else None, "COMPARE")
    first, second = a[0], a[1]
    width = max(len(first), len(second))
    first, second = first.ljust(width, pad), second.ljust(width, pad)
    for index in range(width):
        if first[index] != second[index]:
            return str(index + 1)
    return "0"


def bif_copies(ex, a):
    count = _length(ex, a[1], "COPIES")
    if len(a[0]) * count > MAX_STRING:
        raise RexxError(5, "COPIES")
    return a[0] * count


def bif_delstr(ex, a):
    string = a[0]
    start = _position(ex, a[1], "DELSTR") - 1
    if len(a) > 2 and a[2] is not None:
        length = _length(ex, a[2], "DELSTR")
        return string[:start] + string[start + length :]
    return string[:start]


def bif_delword(ex, a):
    string = a[0]
    n = _position(ex, a[1], "DELWORD")
    length = (
        _length(ex, a[2] if len(a) > 2 else None, "DELWORD", -1)
        if len(a) > 2 and a[2] is not None
        else None
    )
    words = _words(string)
    if n > len(words):
        return string
    start = words[n - 1].start()
    if length is None or n - 1 + length >= len(words):
        return string[:start]
    return string[:start] + string[words[n - 1 + length].start() :]


def bif_insert(ex, a):
    new, target = a[0], a[1]
    n = _length(ex, a[2] if len(a) > 2 else None, "INSERT", 0)
    length = _length(ex, a[3] if len(a) > 3 else None, "INSERT", len(new))
    pad = _pad(a[4] if len(a) > 4 else None, "INSERT")
    new = new[:length].ljust(length, pad)
    target = target.ljust(n, pad)
    return target[:n] + new + target[n:]


def bif_lastpos(ex, a):
    needle, haystack = a[0], a[1]
    start = _position(ex, a[2] if len(a) > 2 else None, "LASTPOS", len(haystack))
    if not needle:
        return "0"
    return str(haystack.rfind(needle, 0, start) + 1)


def bif_left(ex, a):
    length = _length(ex, a[1], "LEFT")
    pad = _pad(a[2] if len(a) > 2 else None, "LEFT")
    return a[0][:length].ljust(length, pad)


def bif_length(ex, a):
    return str(len(a[0]))


def bif_overlay(ex, a):
    new, target = a[0], a[1]
    n = _position(ex, a[2] if len(a) > 2 else None, "OVERLAY", 1)
    length = _length(ex, a[3] if len(a) > 3 else None, "OVERLAY", len(new))
    pad = _pad(a[4] if len(a) > 4 else None, "OVERLAY")
    new = new[:length].ljust(length, pad)
    target = target.ljust(n - 1, pad)
    return target[: n - 1] + new + target[n - 1 + length :]


def bif_pos(ex, a):
    needle, haystack = a[0], a[1]
    start = _position(ex, a[2] if len(a) > 2 else None, "POS", 1)
    if not needle:
        return "0"
    return str(haystack.find(needle, start - 1) + 1)


def bif_index(ex, a):
    haystack, needle = a[0], a[1]
    return bif_pos(ex, [needle, haystack] + a[2:])


def bif_reverse(ex, a):
    return a[0][::-1]


def bif_right(ex, a):
    length = _length(ex, a[1], "RIGHT")
    pad = _pad(a[2] if len(a) > 2 else None, "RIGHT")
    string = a[0]
    if len(string) >= length:
        return string[len(string) - length :] if length else ""
    return string.rjust(length, pad)


def bif_space(ex, a):
    n = _length(ex, a[1] if len(a) > 1 else None, "SPACE", 1)
    pad = _pad(a[2] if len(a) > 2 else None, "SPACE")
    words = WORD_RE.findall(a[0])
    if n * max(0, len(words) - 1) > MAX_STRING:
        raise RexxError(5, "SPACE")
    return (pad * n).join(words)


def bif_strip(ex, a):
    option = _option(a[1] if len(a) > 1 else None, "BLT", "B", "STRIP")
    char = _pad(a[2] if len(a) > 2 else None, "STRIP")
    string = a[0]
    if option in "BL":
        string = string.lstrip(char)
    if option in "BT":
        string = string.rstrip(char)
    return string


def bif_substr(ex, a):
    string = a[0]
    start = _position(ex, a[1], "SUBSTR")
    pad = _pad(a[3] if len(a) > 3 else None, "SUBSTR")
    if len(a) > 2 and a[2] is not None:
        length = _length(ex, a[2], "SUBSTR")
    else:
        length = max(0, len(string) - start + 1)
    return string[start - 1 : start - 1 + length].ljust(length, pad)


def bif_subword(ex, a):
    string = a[0]
    n = _position(ex, a[1], "SUBWORD")
    words = _words(string)
    if len(a) > 2 and a[2] is not None:
        length = _length(ex, a[2], "SUBWORD")
    else:
        length = len(words)
    chosen = words[n - 1 : n - 1 + length]
    if not chosen:
        return ""
    return string[chosen[0].start() : chosen[-1].end()]


def bif_translate(ex, a):
    string = a[0]
    table_out = a[1] if len(a) > 1 else None
    table_in = a[2] if len(a) > 2 else None
    pad = _pad(a[3] if len(a) > 3 else None, "TRANSLATE")
    if table_out is None and table_in is None:
        return (
            string.upper()
            if string.isascii()
            else "".join(c.upper() if "a" <= c <= "z" else c for c in string)
        )
    key = (table_out, table_in, pad, ex.codepage)
    table = _TRANSLATIONS.get(key)
    if table is None:
        if table_in is None:
            table_in = ex.decode(bytes(range(256)))
        table_out = (table_out or "").ljust(len(table_in), pad)
        mapping = {}
        for index, char in enumerate(table_in):
            mapping.setdefault(ord(char), table_out[index])
        if len(_TRANSLATIONS) >= 64:
            _TRANSLATIONS.clear()
        table = _TRANSLATIONS[key] = mapping
    return string.translate(table)


#: TRANSLATE's tables, by (output table, input table, pad, code page).
_TRANSLATIONS: dict = {}


def bif_changestr(ex, a):
    """CHANGESTR(needle, haystack, newneedle) (ANSI X3.274): every
    non-overlapping needle, from the left, replaced; a null needle changes
    nothing."""
    needle, haystack, new = a[0], a[1], a[2]
    if not needle:
        return haystack
    return haystack.replace(needle, new)


def bif_countstr(ex, a):
    """COUNTSTR(needle, haystack) (ANSI X3.274): non-overlapping needles."""
    needle, haystack = a[0], a[1]
    return str(haystack.count(needle)) if needle else "0"


def _case_range(ex, a, name):
    start = _position(ex, a[1] if len(a) > 1 else None, name, 1)
    length = _length(ex, a[2] if len(a) > 2 else None, name, max(0, len(a[0]) - start + 1))
    return start - 1, start - 1 + length


def bif_upper(ex, a):
    """UPPER(string[, start[, length]]): an extension (Regina, ooRexx)."""
    begin, end = _case_range(ex, a, "UPPER")
    string = a[0]
    return string[:begin] + ex.translate_upper(string[begin:end]) + string[end:]


def bif_lower(ex, a):
    """LOWER(string[, start[, length]]): an extension (Regina, ooRexx)."""
    begin, end = _case_range(ex, a, "LOWER")
    string = a[0]
    return string[:begin] + ex.translate_lower(string[begin:end]) + string[end:]


def bif_verify(ex, a):
    string, reference = a[0], a[1]
    option = _option(a[2] if len(a) > 2 else None, "MN", "N", "VERIFY")
    start = _position(ex, a[3] if len(a) > 3 else None, "VERIFY", 1)
    wanted = option == "M"
    for index in range(start - 1, len(string)):
        if (string[index] in reference) == wanted:
            return str(index + 1)
    return "0"


def bif_word(ex, a):
    n = _position(ex, a[1], "WORD")
    words = _words(a[0])
    return words[n - 1].group() if n <= len(words) else ""


def bif_wordindex(ex, a):
    n = _position(ex, a[1], "WORDINDEX")
    words = _words(a[0])
    return str(words[n - 1].start() + 1) if n <= len(words) else "0"


def bif_wordlength(ex, a):
    n = _position(ex, a[1], "WORDLENGTH")
    words = _words(a[0])
    return str(len(words[n - 1].group())) if n <= len(words) else "0"


def bif_wordpos(ex, a):
    phrase = [m.group() for m in _words(a[0])]
    words = [m.group() for m in _words(a[1])]
    start = _position(ex, a[2] if len(a) > 2 else None, "WORDPOS", 1)
    if not phrase:
        return "0"
    for index in range(start - 1, len(words) - len(phrase) + 1):
        if words[index : index + len(phrase)] == phrase:
            return str(index + 1)
    return "0"


def bif_find(ex, a):
    return bif_wordpos(ex, [a[1], a[0]] + a[2:])


def bif_words(ex, a):
    return str(len(WORD_RE.findall(a[0])))


def bif_justify(ex, a):
    """JUSTIFY(string, length[, pad]) (CMS): normalize as SPACE() does, cut
    to length (dropping a trailing blank), then add pads evenly between the
    words from left to right; the blanks between words become pads."""
    length = _length(ex, a[1], "JUSTIFY")
    pad = _pad(a[2] if len(a) > 2 else None, "JUSTIFY")
    text = " ".join(m.group() for m in _words(a[0]))
    if len(text) > length:
        text = text[:length].rstrip(" ")
    words = text.split(" ") if text else []
    if len(words) < 2:
        return text.ljust(length, pad)
    gaps = len(words) - 1
    each, extra = divmod(length - sum(len(w) for w in words), gaps)
    pieces = [
        word + pad * (each + (1 if index < extra else 0)) for index, word in enumerate(words[:-1])
    ]
    return "".join(pieces) + words[-1]


def bif_xrange(ex, a):
    start = a[0] if a and a[0] is not None else ex.decode(b"\x00")
    end = a[1] if len(a) > 1 and a[1] is not None else ex.decode(b"\xff")
    if len(start) != 1 or len(end) != 1:
        raise _bad("XRANGE")
    first, last = ex.encode(start)[0], ex.encode(end)[0]
    if last >= first:
        return ex.decode(bytes(range(first, last + 1)))
    return ex.decode(bytes(list(range(first, 256)) + list(range(0, last + 1))))


# --- bit functions ----------------------------------------------------------------


def _bitwise(ex, a, operation, name):
    first = a[0]
    second = a[1] if len(a) > 1 and a[1] is not None else ""
    pad = a[2] if len(a) > 2 else None
    if pad is not None and len(pad) != 1:
        raise _bad(name)
    if len(first) < len(second):
        first, second = second, first
    if pad is not None:
        second = second.ljust(len(first), pad)
    left, right = ex.encode(first), ex.encode(second)
    result = bytes(operation(x, y) for x, y in zip(left, right))
    return ex.decode(result) + first[len(second) :]


def bif_bitand(ex, a):
    return _bitwise(ex, a, lambda x, y: x & y, "BITAND")


def bif_bitor(ex, a):
    return _bitwise(ex, a, lambda x, y: x | y, "BITOR")


def bif_bitxor(ex, a):
    return _bitwise(ex, a, lambda x, y: x ^ y, "BITXOR")


# --- conversions ------------------------------------------------------------------


def _check_digits(ex, value: int, name: str) -> str:
    text = str(value)
    if len(text.lstrip("-")) > ex.frame.numeric.digits:
        raise _bad(name)
    return text


def bif_c2d(ex, a):
    string = a[0]
    if len(a) > 1 and a[1] is not None:
        n = _length(ex, a[1], "C2D")
        if n == 0:
            return "0"
        string = string[-n:]
        data = ex.encode(string).rjust(n, b"\x00")
        return _check_digits(ex, int.from_bytes(data, "big", signed=True), "C2D")
    else:
        value = int.from_bytes(ex.encode(string), "big") if string else 0
    return _check_digits(ex, value, "C2D")


def bif_c2x(ex, a):
    return ex.encode(a[0]).hex().upper()


def _whole_arg(ex, value, name) -> int:
    try:
        return numbers.whole_number(value, ex.frame.numeric.digits, 40)
    except RexxError:
        raise _bad(name) from None


def bif_d2c(ex, a):
    value = _whole_arg(ex, a[0], "D2C")
    if len(a) > 1 and a[1] is not None:
        n = _length(ex, a[1], "D2C")
        if n == 0:
            return ""
        data = (value % (1 << (8 * n))).to_bytes(n, "big")
        return ex.decode(data)
    if value < 0:
        raise _bad("D2C")
    size = max(1, (value.bit_length() + 7) // 8)
    return ex.decode(value.to_bytes(size, "big"))


def bif_d2x(ex, a):
    value = _whole_arg(ex, a[0], "D2X")
    if len(a) > 1 and a[1] is not None:
        n = _length(ex, a[1], "D2X")
        if n == 0:
            return ""
        return format(value % (1 << (4 * n)), "X").rjust(n, "0")[-n:]
    if value < 0:
        raise _bad("D2X")
    return format(value, "X")


#: Hexadecimal digits without blanks (the common argument of X2D, X2C ...).
_PLAIN_HEX = re.compile(r"[0-9A-Fa-f]+")


def _hex_digits(text: str, name: str) -> str:
    if _PLAIN_HEX.fullmatch(text):
        return text
    if text and (text[0] == " " or text[-1] == " "):
        raise _bad(name)
    groups = text.split(" ")
    for index, group in enumerate(groups):
        if not group or (index and len(group) % 2):
            raise _bad(name)
    digits = "".join(groups)
    if any(c not in "0123456789abcdefABCDEF" for c in digits):
        raise _bad(name)
    return digits


def bif_x2c(ex, a):
    if not a[0]:
        return ""
    digits = _hex_digits(a[0], "X2C")
    if len(digits) % 2:
        digits = "0" + digits
    return ex.decode(bytes.fromhex(digits))


def bif_x2d(ex, a):
    n = _length(ex, a[1], "X2D") if len(a) > 1 and a[1] is not None else None
    if not a[0]:
        return "0"
    digits = _hex_digits(a[0], "X2D")
    if n is not None:
        if n == 0:
            return "0"
        digits = digits[-n:].rjust(n, "0")
        value = int(digits, 16)
        if value >= 1 << (4 * n - 1):
            value -= 1 << (4 * n)
    else:
        value = int(digits, 16)
    return _check_digits(ex, value, "X2D")


def bif_b2x(ex, a):
    text = a[0]
    if not text:
        return ""
    if text[0] == " " or text[-1] == " ":
        raise _bad("B2X")
    groups = text.split(" ")
    for index, group in enumerate(groups):
        if not group or (index and len(group) % 4) or any(c not in "01" for c in group):
            raise _bad("B2X")
    bits = "".join(groups)
    bits = bits.zfill((len(bits) + 3) // 4 * 4)
    return "".join(format(int(bits[i : i + 4], 2), "X") for i in range(0, len(bits), 4))


def bif_x2b(ex, a):
    if not a[0]:
        return ""
    digits = _hex_digits(a[0], "X2B")
    return "".join(format(int(c, 16), "04b") for c in digits)


# --- numbers ----------------------------------------------------------------------


def bif_abs(ex, a):
    quick = numbers.absolute(a[0], ex.frame.numeric)
    if quick is not None:
        return quick
    return _format(ex, _number(ex, a[0], "ABS").copy_abs())


def bif_sign(ex, a):
    value = numbers._context(ex.frame.numeric.digits).plus(_number(ex, a[0], "SIGN"))
    return "0" if value.is_zero() else ("-1" if value < 0 else "1")


def _extreme(ex, a, name, direction):
    """MAX (direction 1) or MIN (-1): the first number that no later one
    beats, as if 0 were added to it."""
    if not a or None in a:
        raise _bad(name)
    numeric = ex.frame.numeric
    # remembered whole numbers within DIGITS-FUZZ compare as ints, and such
    # a number plus 0 is its plain decimal form (numbers.compare, normalize)
    precision = numeric.digits - numeric.fuzz
    remembered = numbers._PARTS.get
    best = None
    for text in a:
        parts = remembered(text)
        if parts is None or parts[1] or parts[2] > precision:
            break
        value = parts[0]
        if best is None or (value > best if direction > 0 else value < best):
            best = value
    else:
        return str(best)
    best = None
    for text in a:
        if not numbers.is_number_fast(text):
            raise _bad(name)
        if best is None or numbers.compare(text, best, numeric) == direction:
            best = text
    return numbers.normalize(best, numeric)


def bif_max(ex, a):
    return _extreme(ex, a, "MAX", 1)


def bif_min(ex, a):
    return _extreme(ex, a, "MIN", -1)


def bif_trunc(ex, a):
    value = numbers._context(ex.frame.numeric.digits).plus(_number(ex, a[0], "TRUNC"))
    places = _length(ex, a[1] if len(a) > 1 else None, "TRUNC", 0)
    truncated = value.quantize(
        Decimal((0, (1,), -places)),
        rounding=ROUND_DOWN,
        context=numbers._context(max(1, value.adjusted() + places + 2), ROUND_DOWN),
    )
    text = f"{truncated.copy_abs():f}"
    if truncated < 0 and truncated != 0:
        text = "-" + text
    return text


def bif_format(ex, a):
    from .format import format_function

    return format_function(ex, a)


def bif_digits(ex, a):
    return str(ex.frame.numeric.digits)


def bif_fuzz(ex, a):
    return str(ex.frame.numeric.fuzz)


def bif_form(ex, a):
    return ex.frame.numeric.form


def bif_random(ex, a):
    args = list(a) + [None] * (3 - len(a))
    low_text, high_text, seed_text = args[:3]
    if len(a) == 1 and low_text is not None:
        low, high = 0, _length(ex, low_text, "RANDOM")
    else:
        low = _length(ex, low_text, "RANDOM", 0) if low_text is not None else 0
        high = _length(ex, high_text, "RANDOM", 999) if high_text is not None else 999
    if high < low or high - low > RANDOM_RANGE or high > RANDOM_MAX:
        raise _bad("RANDOM")
    if seed_text is not None:
        ex.random_state = random.Random(_length(ex, seed_text, "RANDOM"))
    elif ex.random_state is None:
        ex.random_state = random.Random()
    return str(ex.random_state.randint(low, high))


# --- information ------------------------------------------------------------------


def bif_address(ex, a):
    return ex.frame.address


def bif_arg(ex, a):
    args = ex.frame.args
    if not a:
        count = len(args)
        while count and args[count - 1] is None:
            count -= 1
        return str(count)
    n = _position(ex, a[0], "ARG")
    present = n <= len(args) and args[n - 1] is not None
    if len(a) > 1 and a[1] is not None:
        option = _option(a[1], "EO", "N", "ARG")
        return "1" if present == (option == "E") else "0"
    return args[n - 1] if present else ""


def bif_condition(ex, a):
    option = _option(a[0] if a else None, "CDIS", "I", "CONDITION")
    info = ex.condition_info()
    if info is None:
        return ""
    if option == "C":
        return info.name
    if option == "D":
        return info.description
    if option == "I":
        return info.instruction
    trap = ex.frame.traps.get(info.name)
    if trap is None:
        return "OFF"
    return trap.state


def bif_datatype(ex, a):
    string = a[0]
    if len(a) < 2 or a[1] is None:
        return "NUM" if numbers.is_number(string) else "CHAR"
    kind = _option(a[1], "ABLMNSUWX", "", "DATATYPE")
    return "1" if _is_type(ex, string, kind) else "0"


def _is_type(ex, string, kind) -> bool:
    if kind == "N":
        return numbers.is_number(string)
    if kind == "W":
        try:
            numbers.whole_number(string, ex.frame.numeric.digits)
            return True
        except RexxError:
            return False
    if kind == "X":
        if not string:
            return True
        try:
            _hex_digits(string, "DATATYPE")
            return True
        except RexxError:
            return False
    if kind == "B":
        if not string:
            return True
        try:
            bif_b2x(ex, [string])
            return True
        except RexxError:
            return False
    if not string:
        return False
    if kind == "A":
        return all(c.isascii() and c.isalnum() for c in string)
    if kind == "L":
        return all("a" <= c <= "z" for c in string)
    if kind == "U":
        return all("A" <= c <= "Z" for c in string)
    if kind == "M":
        return all(("a" <= c <= "z") or ("A" <= c <= "Z") for c in string)
    return all(c in SYMBOL_CHARS for c in string)  # "S"


def bif_errortext(ex, a):
    n = _length(ex, a[0], "ERRORTEXT")
    if n > MAX_ERROR_NUMBER:
        raise _bad("ERRORTEXT")
    return ERROR_TEXTS.get(n, "")


def bif_queued(ex, a):
    return str(ex.stack.queued())


def bif_externals(ex, a):
    """Lines typed ahead in the terminal buffer (CMS); the host knows them
    (a host function EXTERNALS), else there are none."""
    host = ex.host_functions.get("EXTERNALS")
    return str(host([])) if host is not None else "0"


def bif_linesize(ex, a):
    return str(ex.linesize)


def bif_userid(ex, a):
    return ex.userid


def bif_sourceline(ex, a):
    lines = ex.lines
    if not a or a[0] is None:
        return str(len(lines))
    n = _position(ex, a[0], "SOURCELINE")
    if n > len(lines):
        raise _bad("SOURCELINE")
    return lines[n - 1]


def bif_symbol(ex, a):
    name = a[0]
    if not name or any(c not in SYMBOL_CHARS for c in name):
        return "BAD"
    if name[0] in "0123456789.":
        return "LIT"
    node = ex.reference(name.upper())
    return "VAR" if node.is_set(ex) else "LIT"


def bif_trace(ex, a):
    current = ex.trace_setting()
    if a and a[0] is not None:
        try:
            ex.set_trace(a[0], ex.current_line)
        except RexxError:
            raise _bad("TRACE") from None
    return current


def bif_value(ex, a):
    name = a[0].upper()
    if len(a) > 2 and a[2] is not None:
        raise _bad("VALUE")
    if name and name[0] in "0123456789." and all(c in SYMBOL_CHARS for c in name):
        if len(a) > 1 and a[1] is not None:
            raise _bad("VALUE")
        return name  # a constant symbol's value is itself
    try:
        node = ex.reference(name)
    except RexxError:
        raise _bad("VALUE") from None
    if hasattr(node, "tail"):
        current = ex.frame.pool.get_compound(node.stem, node.tail(ex))
        shown = node.stem + node.tail(ex)
    elif node.is_stem:
        current = ex.frame.pool.get_stem(node.name)
        shown = node.name
    else:
        current = ex.frame.pool.get(node.name)
        shown = node.name
    if current is None:
        current = shown
    if len(a) > 1 and a[1] is not None:
        node.assign(ex, a[1])
    return current


# --- date and time ----------------------------------------------------------------


def bif_date(ex, a):
    return dates.date_function(ex, a, datetime.fromtimestamp(ex.clock()))


def bif_time(ex, a):
    return dates.time_function(ex, a, ex.clock())


#: name -> (function, minimum arguments, maximum arguments)
FUNCTIONS = {
    "ABBREV": (bif_abbrev, 2, 3),
    "ABS": (bif_abs, 1, 1),
    "ADDRESS": (bif_address, 0, 0),
    "ARG": (bif_arg, 0, 2),
    "BITAND": (bif_bitand, 1, 3),
    "BITOR": (bif_bitor, 1, 3),
    "BITXOR": (bif_bitxor, 1, 3),
    "B2X": (bif_b2x, 1, 1),
    "C2D": (bif_c2d, 1, 2),
    "C2X": (bif_c2x, 1, 1),
    "CENTER": (bif_center, 2, 3),
    "CENTRE": (bif_center, 2, 3),
    "COMPARE": (bif_compare, 2, 3),
    "CONDITION": (bif_condition, 0, 1),
    "COPIES": (bif_copies, 2, 2),
    "D2C": (bif_d2c, 1, 2),
    "D2X": (bif_d2x, 1, 2),
    "DATATYPE": (bif_datatype, 1, 2),
    "DATE": (bif_date, 0, 5),
    "DELSTR": (bif_delstr, 2, 3),
    "DELWORD": (bif_delword, 2, 3),
    "DIGITS": (bif_digits, 0, 0),
    "ERRORTEXT": (bif_errortext, 1, 1),
    "EXTERNALS": (bif_externals, 0, 0),
    "FIND": (bif_find, 2, 3),
    "FORM": (bif_form, 0, 0),
    "FORMAT": (bif_format, 1, 5),
    "FUZZ": (bif_fuzz, 0, 0),
    "INDEX": (bif_index, 2, 3),
    "INSERT": (bif_insert, 2, 5),
    "JUSTIFY": (bif_justify, 2, 3),
    "LASTPOS": (bif_lastpos, 2, 3),
    "LEFT": (bif_left, 2, 3),
    "LENGTH": (bif_length, 1, 1),
    "LINESIZE": (bif_linesize, 0, 0),
    "MAX": (bif_max, 1, 99),
    "MIN": (bif_min, 1, 99),
    "OVERLAY": (bif_overlay, 2, 5),
    "POS": (bif_pos, 2, 3),
    "QUEUED": (bif_queued, 0, 0),
    "RANDOM": (bif_random, 0, 3),
    "REVERSE": (bif_reverse, 1, 1),
    "RIGHT": (bif_right, 2, 3),
    "SIGN": (bif_sign, 1, 1),
    "SOURCELINE": (bif_sourceline, 0, 1),
    "SPACE": (bif_space, 1, 3),
    "STRIP": (bif_strip, 1, 3),
    "SUBSTR": (bif_substr, 2, 4),
    "SUBWORD": (bif_subword, 2, 3),
    "SYMBOL": (bif_symbol, 1, 1),
    "TIME": (bif_time, 0, 3),
    "TRACE": (bif_trace, 0, 1),
    "TRANSLATE": (bif_translate, 1, 4),
    "TRUNC": (bif_trunc, 1, 2),
    "USERID": (bif_userid, 0, 0),
    "VALUE": (bif_value, 1, 3),
    "VERIFY": (bif_verify, 2, 4),
    "WORD": (bif_word, 2, 2),
    "WORDINDEX": (bif_wordindex, 2, 2),
    "WORDLENGTH": (bif_wordlength, 2, 2),
    "WORDPOS": (bif_wordpos, 2, 3),
    "WORDS": (bif_words, 1, 1),
    "X2B": (bif_x2b, 1, 1),
    "X2C": (bif_x2c, 1, 1),
    "X2D": (bif_x2d, 1, 2),
    "XRANGE": (bif_xrange, 0, 2),
    # ANSI X3.274 additions
    "CHANGESTR": (bif_changestr, 3, 3),
    "COUNTSTR": (bif_countstr, 2, 2),
    # extensions (Regina, ooRexx)
    "UPPER": (bif_upper, 1, 3),
    "LOWER": (bif_lower, 1, 3),
}
FUNCTIONS.update(streams.FUNCTIONS)  # CHARIN ... STREAM (ANSI X3.274)

#: Functions whose omitted arguments are allowed anywhere (the others need
#: their first ``minimum`` arguments present).
_OMISSIBLE_FIRST = frozenset(["XRANGE", "RANDOM", "MAX", "MIN"])


def arguments_fit(name: str, entry, args: list) -> bool:
    """Are ``args`` (None for an omitted one) right in number for it?"""
    _, minimum, maximum = entry
    if len(args) > maximum:
        return False
    for index in range(minimum):
        if index >= len(args) or (args[index] is None and name not in _OMISSIBLE_FIRST):
            return False
    return True


def call(ex, name: str, entry, args: list) -> str:
    if not arguments_fit(name, entry, args):
        raise _bad(name)
    return entry[0](ex, args)


# --- built-in calls in generated code --------------------------------------------
#
# A compiled expression (cms.rexx.expressions) that calls one of these
# built-ins with its arguments right in number gets the function's work
# written inline: the same Python the function runs for arguments it
# accepts, and for any other argument the function itself (which raises
# the same Error 40 or 5 in the same order).  Whole-number arguments
# written as literals are converted once, when the code is made.


class _Inline:
    """What an inline writer sees of one call: the Python expressions of
    the argument values (already computed, left to right; None where an
    argument is omitted), the literal arguments' values, and the code writer
    (its ``emit``, ``temporary``, ``constant``)."""

    __slots__ = ("writer", "name", "values", "literals", "function")

    def __init__(self, writer, name, values, literals, function):
        self.writer = writer
        self.name = name
        self.values = values
        self.literals = literals
        self.function = function

    def arg(self, index: int) -> str | None:
        return self.values[index] if index < len(self.values) else None

    def literal(self, index: int) -> str | None:
        return self.literals[index] if index < len(self.literals) else None

    def present(self, index: int) -> bool:
        return self.arg(index) is not None

    def general(self) -> str:
        """The function itself, called with the argument list."""
        args = ", ".join("None" if v is None else v for v in self.values)
        return f"{self.writer.constant(self.function)}(ex, [{args}])"

    def temporary(self, code: str) -> str:
        name = self.writer.temporary()
        self.writer.emit(f"{name} = {code}")
        return name

    def whole(self, index: int, least: int, helper) -> str:
        """A count (``least`` 0) or position (1) argument as a Python int
        expression: a literal converted now when the helper (_length or
        _position) would accept it, else remembered parts read inline and
        the helper for anything else."""
        literal = self.literal(index)
        if literal is not None:
            if literal.isdigit() and literal.isascii() and len(literal) <= 9:
                number = int(literal)
                if least <= number <= MAX_STRING:
                    return str(number)
        value = self.arg(index)
        writer = self.writer
        writer.names["_PARTS"] = numbers._PARTS
        parts = writer.temporary()
        writer.emit(f"{parts} = _PARTS.get({value})")
        limit = " <= MAX_STRING" if least == 0 else ""
        return self.temporary(
            f"{parts}[0] if {parts} is not None and not {parts}[1] and {parts}[2] <= 9"
            f" and {least} <= {parts}[0]{limit}"
            f" else {writer.constant(helper)}(ex, {value}, {self.name!r})"
        )

    def pad(self, index: int) -> str | None:
        """A pad argument known to be right ('' for an omitted one), else None."""
        if not self.present(index):
            return ""
        literal = self.literal(index)
        if literal is not None and len(literal) == 1:
            return f", {literal!r}"
        return None


def _inline_length(call):
    return f"str(len({call.arg(0)}))"


def _inline_reverse(call):
    return f"{call.arg(0)}[::-1]"


def _inline_left(call):
    pad = call.pad(2)
    if pad is None:
        return None
    length = call.whole(1, 0, _length)
    return f"{call.arg(0)}[:{length}].ljust({length}{pad})"


def _inline_right(call):
    pad = call.pad(2)
    if pad is None:
        return None
    length = call.whole(1, 0, _length)
    string = call.arg(0)
    return f"({string}[-{length}:].rjust({length}{pad}) if {length} else '')"


def _inline_substr(call):
    pad = call.pad(3)
    if pad is None:
        return None
    start = call.whole(1, 1, _position)
    string = call.arg(0)
    if not call.present(2):
        return f"{string}[{start} - 1:]"
    length = call.whole(2, 0, _length)
    return f"{string}[{start} - 1:{start} - 1 + {length}].ljust({length}{pad})"


def _inline_pos(call):
    needle, haystack = call.arg(0), call.arg(1)
    start = call.whole(2, 1, _position) if call.present(2) else "1"
    return f"str({haystack}.find({needle}, {start} - 1) + 1 if {needle} else 0)"


def _inline_copies(call):
    count = call.whole(1, 0, _length)
    string = call.arg(0)
    general = call.general()
    return f"({string} * {count} if len({string}) * {count} <= MAX_STRING else {general})"


def _blank_split(call, text: str, most: str = "") -> str:
    """Python code for the words of ``text`` (a name or literal), at most
    ``most`` + 1 pieces: str.split() without a separator splits at every
    whitespace character, and besides the blank those are all unprintable,
    so a printable string's split is its REXX words (blank-delimited); any
    other string goes to WORD_RE."""
    call.writer.names["_WORDS"] = WORD_RE.findall
    limit = f"None, {most}" if most else ""
    return f"({text}.split({limit}) if {text}.isprintable() else _WORDS({text}))"


def _inline_words(call):
    return f"str(len({_blank_split(call, call.arg(0))}))"


def _inline_word(call):
    n = call.whole(1, 1, _position)
    words = call.temporary(_blank_split(call, call.arg(0), n))
    return f"({words}[{n} - 1] if {n} <= len({words}) else '')"


def _inline_space(call):
    if call.present(1) and call.literal(1) != "1" or call.present(2):
        return None
    return f"' '.join({_blank_split(call, call.arg(0))})"


def _inline_strip(call):
    option = call.literal(1) if call.present(1) else "B"
    char = call.literal(2) if call.present(2) else " "
    if not option or option[0].upper() not in "BLT" or char is None or len(char) != 1:
        return None
    method = {"B": "strip", "L": "lstrip", "T": "rstrip"}[option[0].upper()]
    return f"{call.arg(0)}.{method}({char!r})"


def _inline_translate(call):
    if len(call.values) == 1:
        string = call.arg(0)
        return f"({string}.upper() if {string}.isascii() else {call.general()})"
    if len(call.values) != 3 or call.literal(1) is None or call.literal(2) is None:
        return None
    table_out, table_in = call.literal(1), call.literal(2)
    table_out = table_out.ljust(len(table_in))
    mapping = {}
    for index, char in enumerate(table_in):
        mapping.setdefault(ord(char), table_out[index])
    return f"{call.arg(0)}.translate({call.writer.constant(mapping)})"


def _inline_c2x(call):
    # Interpreter.encode written out (no call): the interpreter's code page
    return f"{call.arg(0)}.encode(ex.codepage, 'replace').hex().upper()"


def _inline_overlay(call):
    if call.present(3) or call.present(4):
        return None
    start = call.whole(2, 1, _position) if call.present(2) else "1"
    new, target = call.arg(0), call.arg(1)
    padded = call.temporary(f"{target}.ljust({start} - 1)")
    return f"{padded}[:{start} - 1] + {new} + {padded}[{start} - 1 + len({new}):]"


def _inline_abs(call):
    """A remembered whole number within DIGITS: its magnitude as _text
    writes and remembers it; else numbers.absolute, else the function."""
    writer = call.writer
    writer.uses_numeric = True
    writer.names.update(
        {
            "_absolute": numbers.absolute,
            "_PARTS": numbers._PARTS,
            "_PARTS_LIMIT": numbers._PARTS_LIMIT,
        }
    )
    value = call.arg(0)
    result, parts, magnitude = writer.temporary(), writer.temporary(), writer.temporary()
    emit = writer.emit
    emit(f"{parts} = _PARTS.get({value})")
    emit(f"if {parts} is not None and not {parts}[1] and {parts}[2] <= numeric.digits:")
    emit(f"    {magnitude} = -{parts}[0] if {parts}[0] < 0 else {parts}[0]")
    emit(f"    {result} = str({magnitude})")
    emit("    if len(_PARTS) >= _PARTS_LIMIT: _PARTS.clear()")
    emit(f"    _PARTS[{result}] = ({magnitude}, 0, {parts}[2])")
    emit("else:")
    emit(f"    {result} = _absolute({value}, numeric)")
    emit(f"    if {result} is None: {result} = {call.general()}")
    return result


def _extreme_parts(call):
    """MAX or MIN of remembered whole numbers (literal ones taken apart
    now) within DIGITS-FUZZ: (the Python test that they are, the int
    chosen), else None."""
    if None in call.values:
        return None
    writer = call.writer
    writer.uses_numeric = True
    writer.names["_PARTS"] = numbers._PARTS
    tests, values = [], []
    precision = writer.temporary()
    for value, literal in zip(call.values, call.literals):
        if literal is not None:
            parts = numbers._parts(literal)
            if not parts or parts[1]:
                return None
            values.append(str(parts[0]))
            tests.append(f"{parts[2]} <= {precision}")
            continue
        parts = writer.temporary()
        writer.emit(f"{parts} = _PARTS.get({value})")
        values.append(f"{parts}[0]")
        tests.append(f"{parts} is not None and not {parts}[1] and {parts}[2] <= {precision}")
    writer.emit(f"{precision} = numeric.digits - numeric.fuzz")
    choose = "max" if call.name == "MAX" else "min"
    best = f"{choose}({', '.join(values)})" if len(values) > 1 else values[0]
    return " and ".join(tests), best


def _inline_extreme(call):
    """MAX or MIN of remembered whole numbers (literal ones taken apart
    now) within DIGITS-FUZZ: the int's decimal form, as _extreme gives."""
    code = _extreme_parts(call)
    if code is None:
        return None
    test, best = code
    return f"(str({best}) if {test} else {call.general()})"


def _inline_x2d(call):
    """X2D of a literal: its value when DIGITS allows it (_check_digits)."""
    literal = call.literal(0)
    if len(call.values) != 1 or literal is None or not _PLAIN_HEX.fullmatch(literal):
        return None
    value = str(int(literal, 16))
    call.writer.uses_numeric = True
    return f"({value!r} if numeric.digits >= {len(value)} else {call.general()})"


def _inline_arg(call):
    """ARG(n) of a literal n: the argument or ''; ARG(): their count."""
    if not call.values:
        args = call.temporary("ex.frame.args")
        count = call.temporary(f"len({args})")
        call.writer.emit(f"while {count} and {args}[{count} - 1] is None: {count} -= 1")
        return f"str({count})"
    if len(call.values) != 1 or call.literal(0) is None:
        return None
    n = call.whole(0, 1, _position)
    args = call.temporary("ex.frame.args")
    present = f"len({args}) >= {n} and {args}[{n} - 1] is not None"
    return f"({args}[{n} - 1] if {present} else '')"


def _whole_abs(call):
    """ABS of a remembered whole number within DIGITS: its magnitude."""
    call.writer.uses_numeric = True
    call.writer.names["_PARTS"] = numbers._PARTS
    parts = call.temporary(f"_PARTS.get({call.arg(0)})")
    test = f"{parts} is not None and not {parts}[1] and {parts}[2] <= numeric.digits"
    return test, f"abs({parts}[0])"


def _whole_x2d(call):
    """X2D of a literal within DIGITS: its value."""
    literal = call.literal(0)
    if len(call.values) != 1 or literal is None or not _PLAIN_HEX.fullmatch(literal):
        return None
    value = int(literal, 16)
    call.writer.uses_numeric = True
    return f"numeric.digits >= {len(str(value))}", str(value)


#: name -> writer of its whole-number form: (a Python test, true where the
#: built-in's result is a whole number within DIGITS, the int it is); the
#: string form (INLINE) is the result otherwise.
WHOLE = {"ABS": _whole_abs, "MAX": _extreme_parts, "MIN": _extreme_parts, "X2D": _whole_x2d}


def whole_call(writer, name: str, values: list, literals: list) -> tuple[str, str, str] | None:
    """(test, int, the function called) of built-in ``name``'s whole-number
    form (WHOLE) in code of ``writer``, or None where it has none."""
    whole = WHOLE.get(name)
    if whole is None:
        return None
    call = _Inline(writer, name, values, literals, FUNCTIONS[name][0])
    code = whole(call)
    return None if code is None else (*code, call.general())


#: name -> writer of its inline form (None: not this call; the function is
#: then called straight with its argument list)
INLINE = {
    "ABS": _inline_abs,
    "ARG": _inline_arg,
    "C2X": _inline_c2x,
    "COPIES": _inline_copies,
    "LEFT": _inline_left,
    "MAX": _inline_extreme,
    "MIN": _inline_extreme,
    "LENGTH": _inline_length,
    "OVERLAY": _inline_overlay,
    "POS": _inline_pos,
    "REVERSE": _inline_reverse,
    "RIGHT": _inline_right,
    "SPACE": _inline_space,
    "STRIP": _inline_strip,
    "SUBSTR": _inline_substr,
    "TRANSLATE": _inline_translate,
    "WORD": _inline_word,
    "WORDS": _inline_words,
    "X2D": _inline_x2d,
}


#: Built-ins whose result depends on their arguments alone (not on
#: NUMERIC settings, the code page or any state) while every number among
#: them is a plain whole number of at most 9 digits (which _whole reads
#: the same at any DIGITS): with literal arguments they are called once,
#: when the code is made.
PURE = frozenset(
    [
        "ABBREV", "B2X", "CENTER", "CENTRE", "CHANGESTR", "COMPARE", "COPIES", "COUNTSTR",
        "DELSTR", "DELWORD", "FIND", "INDEX", "INSERT", "JUSTIFY", "LASTPOS", "LEFT",
        "LENGTH", "OVERLAY", "POS", "REVERSE", "RIGHT", "SPACE", "STRIP", "SUBSTR",
        "SUBWORD", "TRANSLATE", "VERIFY", "WORD", "WORDINDEX", "WORDLENGTH", "WORDPOS",
        "WORDS", "X2B",
    ]
)  # fmt: skip
#: Built-ins that read nothing of the clause loop's (the clause count DATE
#: and TIME stamp with, the line), change no variable, no setting (TRACE,
#: NUMERIC, the stack) and call nothing of the host's: their arguments and
#: NUMERIC settings, the code page and the routine's arguments are all they
#: see.  A compiled loop (cms.rexx.loops) counts a clause that calls only
#: these (as built-ins, no label taking the name) in its locals, and a body
#: of such clauses reads the variables it does not assign once.
QUIET = PURE | frozenset(
    [
        "ABS", "ARG", "BITAND", "BITOR", "BITXOR", "C2D", "C2X", "D2C", "D2X", "DATATYPE",
        "DIGITS", "ERRORTEXT", "FORM", "FORMAT", "FUZZ", "LOWER", "MAX", "MIN", "SIGN",
        "TRUNC", "UPPER", "X2C", "X2D", "XRANGE",
    ]
)  # fmt: skip
#: The longest result kept as a constant.
FOLDED_LENGTH = 256


class _NoState:
    """The Executor a pure built-in is called with when the code is made:
    default NUMERIC settings and nothing else (a function that needs more,
    such as TRANSLATE's default input table, is not folded)."""

    class frame:  # noqa: N801 - stands for Executor.frame
        numeric = numbers.NumericSettings()


def _folded(name: str, literals: list) -> str | None:
    """The result of a pure built-in on literal arguments, or None."""
    if name not in PURE or None in literals:
        return None
    for literal in literals:
        if numbers.NUMBER_RE.match(literal) and not (
            literal.isdigit() and literal.isascii() and len(literal) <= 9
        ):
            return None
    try:
        value = FUNCTIONS[name][0](_NoState, list(literals))
    except (RexxError, AttributeError):
        return None  # an error is raised when the call is made
    if not isinstance(value, str) or len(value) > FOLDED_LENGTH:
        return None
    return value


#: Built-ins whose inline code is ``str(n)`` of an int n from 0 to MAX_STRING
#: (a length, a position, a count of words): an addition may take n itself.
COUNTS = frozenset(["LENGTH", "POS", "WORDS"])


def inline_call(writer, name: str, values: list, literals: list) -> str | None:
    """A Python expression computing built-in ``name`` (its arguments
    fit: FUNCTIONS' counts, required ones present) in code of ``writer``,
    or None where it is to be called as a function."""
    if len(literals) == len(values):
        folded = _folded(name, literals)
        if folded is not None:
            return repr(folded)
    inline = INLINE.get(name)
    if inline is None:
        return None
    return inline(_Inline(writer, name, values, literals, FUNCTIONS[name][0]))
