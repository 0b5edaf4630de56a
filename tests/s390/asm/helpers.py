"""Shared helpers for the assembler tests."""
from __future__ import annotations

from s390.asm import assemble


def card_source(*statements: str) -> str:
    """Statements written as (name, op, operands) or raw lines into card columns."""
    return "\n".join(statements) + "\n"


def code_of(instruction: str) -> bytes:
    """The bytes of one instruction assembled in a CSECT of its own."""
    result = assemble(f"T        CSECT\n         {instruction}\n         END\n")
    assert result.rc == 0, "\n".join(str(d) for d in result.diagnostics)
    return result.text


def messages(result) -> list[str]:
    return [d.msgid for d in result.diagnostics]
