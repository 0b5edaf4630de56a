"""The S/370 assembler (Assembler F / HLASM language), object decks, loader and IPL decks.

    from s390.asm import assemble
    result = assemble(source_text_or_lines, libraries=[...])
    result.deck      # object deck: list of 80-byte EBCDIC cards
    result.listing   # listing lines
    result.rc        # 0, 4, 8 or 12
"""
from __future__ import annotations

from .assembler import Assembler
from .listing import Assembly
from .maclib import MaclibFile, MemberLibrary


def assemble(source, libraries=(), sysparm: str = "", origin: str = "") -> Assembly:
    """Assemble source (a string or a list of lines)."""
    lines = source.splitlines() if isinstance(source, str) else list(source)
    return Assembler(libraries, sysparm).run(lines, origin)


__all__ = ["assemble", "Assembly", "Assembler", "MaclibFile", "MemberLibrary"]
