"""Shared helpers for the assembler tests."""

from __future__ import annotations

from s390.asm import assemble


def code_of(instruction: str) -> bytes:
    """The bytes of one instruction assembled in a CSECT of its own."""
    result = assemble(f"T        CSECT\n         {instruction}\n         END\n")
    assert result.rc == 0, "\n".join(str(d) for d in result.diagnostics)
    return result.text


def messages(result) -> list[str]:
    return [d.msgid for d in result.diagnostics]
