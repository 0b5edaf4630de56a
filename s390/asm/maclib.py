"""Macro and COPY libraries searched by member name.

* DirectoryLibrary: a directory of NAME.macro (and NAME.copy) files, one member each.
* MaclibFile: a CMS-style macro library kept as text: the concatenated MACRO
  files of a ``MACLIB GEN``, each member being one MACRO ... MEND definition named
  by its prototype, and COPY members introduced by a ``*COPY name`` record
  (VM/370 CMS Command Reference, MACLIB).
* MemberLibrary: members given in a dict (what CMS hands the assembler).
"""
from __future__ import annotations

import os

from .source import group_records, parse_statement


class MemberLibrary:
    def __init__(self, members: dict[str, list[str]]) -> None:
        self.members = {k.upper(): v for k, v in members.items()}

    def find(self, name: str) -> list[str] | None:
        return self.members.get(name.upper())


class DirectoryLibrary:
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


def split_maclib(lines: list[str]) -> dict[str, list[str]]:
    """Members of a text MACLIB: MACRO...MEND definitions and *COPY sections."""
    members: dict[str, list[str]] = {}
    i = 0
    current_copy: str | None = None
    while i < len(lines):
        line = lines[i]
        upper = line.upper()
        if upper.startswith("*COPY "):
            current_copy = line[6:].split()[0].upper()
            members[current_copy] = []
            i += 1
            continue
        fields = line[:71].split()
        if current_copy is None and fields and fields[0].upper() == "MACRO" and line[:1] == " ":
            j, depth, body = i + 1, 1, [line]
            while j < len(lines) and depth:
                f = lines[j][:71].split()
                op = (f[1] if lines[j][:1] not in (" ", "") and len(f) > 1 else (f[0] if f else "")).upper()
                if op == "MACRO":
                    depth += 1
                elif op == "MEND":
                    depth -= 1
                body.append(lines[j])
                j += 1
            proto = [r for r, _ in group_records(body[1:2])]
            if proto:
                st = parse_statement(proto[0])
                members[st.op.upper()] = body
            i = j
            continue
        if current_copy is not None:
            members[current_copy].append(line)
        i += 1
    return members


class MaclibFile(MemberLibrary):
    def __init__(self, path: str | None = None, text: str | None = None) -> None:
        if text is None:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        super().__init__(split_maclib(text.splitlines()))


def open_library(path: str):
    """A directory of member files or a MACLIB file."""
    return DirectoryLibrary(path) if os.path.isdir(path) else MaclibFile(path)
