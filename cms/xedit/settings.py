"""SET, QUERY and EXTRACT (z/VM XEDIT Command Reference) for the options XEDIT has.

Each option has a setter (``SET name operands``) and a value: what QUERY
shows (``NAME value``) and what EXTRACT /name/ puts into ``name.0``,
``name.1``, ... of the running macro.
"""

from __future__ import annotations

from cms.errors import CMSError


def invalid(text: str) -> CMSError:
    return CMSError(2, "E", 5, f"Invalid operand: {text.strip()}")


def on_off(word: str) -> bool:
    w = word.upper()
    if w not in ("ON", "OFF"):
        raise invalid(word)
    return w == "ON"


def _int(word: str) -> int:
    if word == "*":
        return 0
    if not word.isdigit():
        raise invalid(word)
    return int(word)


def set_option(ed, ops: str) -> int:
    words = ops.split()
    if not words:
        raise invalid(ops)
    name, args = words[0].upper(), words[1:]
    f = ed.file
    s = f.settings
    if name.startswith("PF") and name[2:].isdigit():
        number = int(name[2:])
        text = ops.strip()[len(words[0]) :].strip()
        ed.pf[number] = text
        return 0
    setters = {
        "CASE": lambda: _set_case(s, args),
        "ZONE": lambda: setattr(s, "zone", _zone(args)),
        "TRUNC": lambda: setattr(s, "trunc", _trunc(f, args)),
        "VERIFY": lambda: _set_verify(s, args),
        "NUMBER": lambda: setattr(s, "number", on_off(args[0])),
        "PREFIX": lambda: setattr(s, "prefix", _prefix(args)),
        "SCALE": lambda: setattr(s, "scale", on_off(args[0])),
        "CURLINE": lambda: setattr(s, "curline", _curline(args)),
        "TABS": lambda: setattr(s, "tabs", [_int(a) for a in args]),
        "HEX": lambda: setattr(s, "hex", on_off(args[0])),
        "WRAP": lambda: setattr(s, "wrap", on_off(args[0])),
        "STAY": lambda: setattr(s, "stay", on_off(args[0])),
        "MSGMODE": lambda: setattr(s, "msgmode", on_off(args[0])),
        "LINEND": lambda: setattr(s, "linend", _linend(args)),
        "RECFM": lambda: _set_recfm(f, args),
        "LRECL": lambda: _set_lrecl(f, args),
        "SERIAL": lambda: setattr(s, "serial", None if args[0].upper() == "OFF" else args[0]),
        "NULLS": lambda: setattr(s, "nulls", on_off(args[0])),
    }
    setter = setters.get(name)
    if setter is None:
        raise invalid(name)
    if not args:
        raise CMSError(545, "E", 5, "Missing operand(s)")
    try:
        setter()
    except IndexError:
        raise CMSError(545, "E", 5, "Missing operand(s)") from None
    return 0


def _zone(args) -> tuple[int, int]:
    """SET ZONE zone1 [zone2|*]: the columns targets and CHANGE look at
    (zone2 ``*``: the truncation column); zone1 not past zone2."""
    first = _int(args[0])
    last = _int(args[1]) if len(args) > 1 else 0
    if first < 1 or (last and last < first):
        raise invalid(" ".join(args))
    return first, last


def _trunc(f, args) -> int:
    """SET TRUNC n|*: the truncation column, 1 to the record length."""
    column = _int(args[0])
    if column > f.lrecl:
        raise invalid(args[0])
    return column


def _set_case(s, args):
    first = args[0].upper()
    if first not in ("U", "UPPER", "M", "MIXED"):
        raise invalid(args[0])
    s.case = first[0]
    if len(args) > 1:
        second = args[1].upper()
        if second[:1] not in ("R", "I"):
            raise invalid(args[1])
        s.case_respect = second[0] == "R"


def _set_verify(s, args):
    words = [a for a in args if a.upper() not in ("ON", "OFF", "HEX")]
    s.verify = (_int(words[0]) if words else 1, _int(words[1]) if len(words) > 1 else 0)


def _prefix(args):
    word = args[0].upper()
    if word == "ON":
        return "RIGHT" if len(args) > 1 and args[1].upper() == "RIGHT" else "LEFT"
    if word == "OFF":
        return "OFF"
    raise invalid(args[0])


def _curline(args):
    word = args[0].upper()
    if word == "ON":
        word = args[1].upper() if len(args) > 1 else "M"
    if word != "M" and not word.isdigit():
        raise invalid(word)
    return word


def _linend(args):
    if args[0].upper() == "OFF":
        return None
    return args[1] if len(args) > 1 else "#"


def _set_recfm(f, args):
    word = args[0].upper()
    if word not in ("F", "V", "FP", "VP"):
        raise invalid(word)
    f.recfm = word[0]
    f.changed_once(0)


def _set_lrecl(f, args):
    value = _int(args[0])
    if not 1 <= value <= 65535:
        raise invalid(args[0])
    f.lrecl = value


def values(ed, name: str) -> list[str] | None:
    """The values of one option, as EXTRACT returns them (name.1, name.2, ...)."""
    f = ed.file
    s = f.settings
    line = f.line(f.current)
    table = {
        "ALT": lambda: [str(f.alt), str(f.alt)],
        "CASE": lambda: [
            "MIXED" if s.case == "M" else "UPPER",
            "RESPECT" if s.case_respect else "IGNORE",
        ],
        "CURLINE": lambda: [
            "ON",
            s.curline,
            line if 1 <= f.current <= f.size else "",
            "ON" if f.is_hidden(f.current) else "OFF",
        ],
        "FNAME": lambda: [f.fn],
        "FTYPE": lambda: [f.ft],
        "FMODE": lambda: [f.fm],
        "FNAME.": lambda: [f.fn],
        "HEX": lambda: ["ON" if s.hex else "OFF"],
        "LINE": lambda: [str(f.current)],
        "LINEND": lambda: ["ON", s.linend] if s.linend else ["OFF", "#"],
        "LRECL": lambda: [str(f.lrecl)],
        "MSGMODE": lambda: ["ON" if s.msgmode else "OFF"],
        "NULLS": lambda: ["ON" if s.nulls else "OFF"],
        "NUMBER": lambda: ["ON" if s.number else "OFF"],
        "PREFIX": lambda: ["OFF"] if s.prefix == "OFF" else ["ON", s.prefix],
        "RECFM": lambda: [f.recfm],
        "RING": lambda: [str(len(ed.ring))] + [x.fileid for x in ed.ring],
        "SCALE": lambda: ["ON" if s.scale else "OFF"],
        "SERIAL": lambda: [s.serial or "OFF"],
        "SIZE": lambda: [str(f.size)],
        "STAY": lambda: ["ON" if s.stay else "OFF"],
        "TABS": lambda: [" ".join(str(t) for t in s.tabs)],
        "TOF": lambda: ["ON" if f.current == 0 else "OFF"],
        "EOF": lambda: ["ON" if f.current > f.size else "OFF"],
        "TRUNC": lambda: [str(f.trunc)],
        "VERIFY": lambda: ["ON", str(s.verify[0]), str(s.verify[1] or f.trunc)],
        "WRAP": lambda: ["ON" if s.wrap else "OFF"],
        "ZONE": lambda: [str(f.zone[0]), str(f.zone[1])],
        "PF": lambda: [f"PF{n} {t}" for n, t in sorted(ed.pf.items())],
        "COLUMN": lambda: [str(f.column)],
    }
    if name.startswith("PF") and name[2:].isdigit():
        return [ed.pf.get(int(name[2:]), "")]
    getter = table.get(name)
    return getter() if getter else None


def names(ops: str) -> list[str]:
    text = ops.strip()
    if text and not text[0].isalnum():
        return [n.upper() for n in text[1:].split(text[0]) if n.strip()]
    return [n.upper() for n in text.split()]


def query(ed, ops: str) -> int:
    wanted = names(ops)
    if not wanted:
        raise CMSError(545, "E", 5, "Missing operand(s)")
    for name in wanted:
        got = values(ed, name)
        if got is None:
            raise invalid(name)
        if name == "CURLINE":
            got = got[:2]
        ed.msg(f"{name} " + " ".join(got))
    return 0


def extract(ed, ops: str) -> int:
    """EXTRACT /name/...: stem variables of the running macro."""
    interp = ed.interp
    if interp is None:
        raise CMSError(621, "E", 3, "EXTRACT is valid only from a macro")
    for name in names(ops):
        got = values(ed, name)
        if got is None:
            raise invalid(name)
        stem = name.rstrip(".")
        interp.set_variable(f"{stem}.0", str(len(got)))
        for i, value in enumerate(got, 1):
            interp.set_variable(f"{stem}.{i}", value)
    return 0
