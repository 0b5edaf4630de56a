"""The S/370 assembler (Assembler F / HLASM language), object decks, loader and IPL decks.

    from s390.asm import assemble, MemberLibrary, MaclibFile
    result = assemble(source_text_or_lines, libraries=[MemberLibrary({...})], origin="PROG ASSEMBLE")
    result.deck         # object deck: list of 80-byte EBCDIC cards (ESD TXT RLD END)
    result.cards()      # the same deck card by card (large sections: not all held at once)
    result.listing      # listing lines
    result.diagnostics  # Diagnostic(stmt, msgid, text) with .severity
    result.rc           # 0, 4, 8 or 12

    from s390.asm.loader import load, LoadError
    loaded = load([deck1, deck2], cpu.mem, 0x20000)   # -> entry, map, end, warnings

    from s390.asm.ipldeck import build_ipl_deck
    cards = build_ipl_deck([deck], load_address=0x1000).cards

    from s390.asm.objdeck import read_deck, write_deck  # the card formats themselves

A macro library is any object with ``find(name) -> list of lines | None``:
MemberLibrary (a dict), MaclibFile (the text of a CMS-style MACLIB), or the CLI's
DirectoryLibrary (NAME.macro files).  Modules: source (card columns), expr
(expressions), constants (DC/DS), runs (object code as repeated patterns), encode
(machine instructions), model (what an assembly records), directives, macros +
condexpr (macro language), assembler (the passes), listing, objdeck, loader,
ipldeck, messages, cli (``vm370 asm``).
"""

from __future__ import annotations

from .assembler import Assembler
from .listing import Assembly
from .maclib import MaclibFile, MemberLibrary


def assemble(source, libraries=(), sysparm: str = "", origin: str = "") -> Assembly:
    """Assemble source (a string or a list of lines); ``origin`` names the file in
    messages (ASMA435I)."""
    lines = source.splitlines() if isinstance(source, str) else list(source)
    return Assembler(libraries, sysparm).run(lines, origin)


__all__ = ["assemble", "Assembly", "Assembler", "MaclibFile", "MemberLibrary"]
