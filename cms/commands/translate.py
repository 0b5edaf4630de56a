"""SET INPUT and SET OUTPUT: the terminal translation tables (VM/370 CMS
Command and Macro Reference, SET INPUT / SET OUTPUT).

``SET INPUT a xx`` makes the character a typed at the terminal arrive as
the EBCDIC code X'xx'; ``SET OUTPUT xx a`` shows the code X'xx' as a on
the terminal.  ``SET INPUT a`` / ``SET OUTPUT xx`` drops one entry and the
keyword alone drops them all.  The tables apply to every line this CMS
reads from or writes to the terminal: the CMS's services are wrapped by a
translating front (installed with the first entry).
"""

from __future__ import annotations

from cms.errors import invalid_parameter
from s390.ebcdic import from_ebcdic


class TranslatingServices:
    """The guest services with the terminal's input and output translated."""

    def __init__(self, inner):
        self._inner = inner
        self.input: dict[str, str] = {}  # typed character -> character of the code
        self.output: dict[str, str] = {}  # character of the code -> character shown

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def write_line(self, text: str, *args, **kwargs):
        if self.output:
            text = "".join(self.output.get(c, c) for c in text)
        return self._inner.write_line(text, *args, **kwargs)

    async def read_line(self) -> str:
        line = await self._inner.read_line()
        if self.input:
            line = "".join(self.input.get(c, c) for c in line)
        return line


def tables(cms) -> TranslatingServices:
    if not isinstance(cms.services, TranslatingServices):
        cms.services = TranslatingServices(cms.services)
    return cms.services


def code_character(word: str) -> str:
    """The character of a two-digit hexadecimal EBCDIC code."""
    if len(word) != 2:
        raise invalid_parameter(word)
    try:
        return from_ebcdic(bytes([int(word, 16)]))
    except ValueError:
        raise invalid_parameter(word) from None


def set_translation(cms, which: str, text: str) -> None:
    """SET INPUT|OUTPUT with the operands as typed (the character keeps its case)."""
    words = text.split()
    table = tables(cms).input if which == "INPUT" else tables(cms).output
    if not words:
        table.clear()
    elif which == "INPUT":
        if len(words[0]) != 1 or len(words) > 2:
            raise invalid_parameter(words[0] if len(words[0]) != 1 else words[2])
        if len(words) == 1:
            table.pop(words[0], None)
        else:
            table[words[0]] = code_character(words[1])
    else:
        if len(words) > 2 or (len(words) == 2 and len(words[1]) != 1):
            raise invalid_parameter(words[-1])
        code = code_character(words[0])
        if len(words) == 1:
            table.pop(code, None)
        else:
            table[code] = words[1]


def query_translation(cms, which: str) -> list[str]:
    services = cms.services
    if not isinstance(services, TranslatingServices):
        return [f"{which} = OFF"]
    table = services.input if which == "INPUT" else services.output
    if not table:
        return [f"{which} = OFF"]
    from s390.ebcdic import to_ebcdic

    if which == "INPUT":
        return [f"INPUT {typed} {to_ebcdic(code)[0]:02X}" for typed, code in sorted(table.items())]
    return [f"OUTPUT {to_ebcdic(code)[0]:02X} {shown}" for code, shown in sorted(table.items())]
