"""``vm370 asm FILE [-o OBJ] [--list LST] [--maclib DIR ...] [--sysparm TEXT]``

Assembles FILE (card-image text, one statement per line), writes the object deck
(80-byte EBCDIC cards; default FILE with suffix .text, as CMS ASSEMBLE writes
``fn TEXT``) and the listing (default suffix .listing), prints the diagnostics and
returns the assembly's return code (0, 4, 8 or 12).
"""

from __future__ import annotations

import argparse
import os
import sys

from . import assemble
from .maclib import MaclibFile


class DirectoryLibrary:
    """A directory of member files: NAME.macro (or .copy, .mac, no suffix), one member each."""

    SUFFIXES = (".macro", ".MACRO", ".copy", ".COPY", ".mac", "")

    def __init__(self, path: str) -> None:
        self.path = path

    def find(self, name: str) -> list[str] | None:
        for stem in (name.upper(), name.lower()):
            for suffix in self.SUFFIXES:
                p = os.path.join(self.path, stem + suffix)
                if os.path.isfile(p):
                    with open(p, encoding="utf-8", errors="replace") as f:
                        return f.read().splitlines()
        return None


def open_library(path: str):
    """--maclib PATH: a directory of member files or a text MACLIB file."""
    if os.path.isdir(path):
        return DirectoryLibrary(path)
    with open(path, encoding="utf-8", errors="replace") as f:
        return MaclibFile(f.read())


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="vm370 asm", description="assemble to an object deck and a listing"
    )
    p.add_argument("file")
    p.add_argument("-o", "--object", dest="obj", help="object deck output (default FILE.text)")
    p.add_argument("--list", dest="lst", help="listing output (default FILE.listing)")
    p.add_argument(
        "--maclib",
        action="append",
        default=[],
        help="macro library: a directory of NAME.macro files or a MACLIB file (repeatable)",
    )
    p.add_argument("--sysparm", default="", help="value of &SYSPARM")
    return p


def _write_atomic(path: str, data) -> None:
    """Write bytes, or an iterable of byte strings (the deck, card by card)."""
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        if isinstance(data, bytes):
            f.write(data)
        else:
            f.writelines(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        with open(args.file, encoding="utf-8", errors="replace") as f:
            source = f.read()
    except OSError as e:
        print(f"vm370 asm: cannot read {args.file}: {e.strerror}", file=sys.stderr)
        return 12
    libraries = []
    for path in args.maclib:
        if not os.path.exists(path):
            print(f"vm370 asm: macro library {path} not found", file=sys.stderr)
            return 12
        libraries.append(open_library(path))
    stem = os.path.splitext(args.file)[0]
    result = assemble(source, libraries, sysparm=args.sysparm, origin=os.path.basename(args.file))
    try:
        _write_atomic(args.obj or stem + ".text", result.cards())
        _write_atomic(args.lst or stem + ".listing", ("\n".join(result.listing) + "\n").encode())
    except OSError as e:
        print(f"vm370 asm: cannot write output: {e.strerror}", file=sys.stderr)
        return 12
    for d in result.diagnostics:
        print(str(d), file=sys.stderr)
    print(f"ASSEMBLY COMPLETE, RETURN CODE {result.rc}", file=sys.stderr)
    return result.rc
