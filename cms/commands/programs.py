"""Program commands: EXEC, ASSEMBLE, LOAD, INCLUDE, START, GENMOD."""
from __future__ import annotations

COMMANDS: list = []
