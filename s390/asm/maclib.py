"""Macro and COPY libraries searched by member name.

* MaclibFile: a CMS-style macro library kept as text: the concatenated MACRO
  files of a ``MACLIB GEN``, each member being one MACRO ... MEND definition named
  by its prototype, and COPY members introduced by a ``*COPY name`` record
  (VM/370 CMS Command Reference, MACLIB).
* MemberLibrary: members given in a dict (what CMS hands the assembler).

A library is any object with ``find(name) -> list of lines or None``; the file-based
one (a directory of NAME.macro files) lives with the command line in cli.py, since
s390/ itself touches no files.
"""

from __future__ import annotations

from .source import group_records, parse_statement


class MemberLibrary:
    def __init__(self, members: dict[str, list[str]]) -> None:
        self.members = {k.upper(): v for k, v in members.items()}

    def find(self, name: str) -> list[str] | None:
        return self.members.get(name.upper())


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
                op = (
                    f[1] if lines[j][:1] not in (" ", "") and len(f) > 1 else (f[0] if f else "")
                ).upper()
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
    """A text MACLIB given as its contents (reading the file is the caller's business:
    the CLI, or CMS from a minidisk)."""

    def __init__(self, text: str) -> None:
        super().__init__(split_maclib(text.splitlines()))
