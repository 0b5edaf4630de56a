"""Build the standalone IPL decks from their assembler sources.

    python -m decks.build            write decks/NAME.deck for every decks/src/NAME.asm
    python -m decks.build --check    fail if a committed deck differs from a fresh build

A deck is a file of 80-byte EBCDIC card images: the IPL card, the CCW cards and
the program cards made by s390.asm.ipldeck from the assembled object deck.
"""

from __future__ import annotations

import os
import sys

from s390.asm import assemble
from s390.asm.ipldeck import build_ipl_deck

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = os.path.join(HERE, "src")
LOAD_ADDRESS = 0x1000


#: Decks that only run as meant under CP, so a bare machine (Hercules, the
#: test channel) cannot stand in for it: what each needs.
NEEDS_CP = {
    "life": "DIAGNOSE X'58', CP's 3270 console interface",
    "lander": "a person answering at the console",
    "spin": "someone to stop it: it never ends",
}


class BuildError(Exception):
    pass


def sources() -> list[str]:
    return sorted(f[:-4] for f in os.listdir(SOURCES) if f.endswith(".asm"))


def bare_machine_sources() -> list[str]:
    """The decks that run to their end on a bare S/370 without input."""
    return [name for name in sources() if name not in NEEDS_CP]


def build(name: str) -> bytes:
    """The IPL deck for decks/src/NAME.asm, as bytes."""
    with open(os.path.join(SOURCES, name + ".asm"), encoding="utf-8") as f:
        result = assemble(f.read(), origin=name + ".asm")
    if result.rc:
        raise BuildError(
            f"{name}: assembly return code {result.rc}\n"
            + "\n".join(str(d) for d in result.diagnostics)
        )
    return b"".join(build_ipl_deck([result.deck], LOAD_ADDRESS).cards)


def deck_path(name: str) -> str:
    return os.path.join(HERE, name + ".deck")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    check = "--check" in argv
    stale = []
    for name in sources():
        data = build(name)
        path = deck_path(name)
        if check:
            if not os.path.exists(path) or open(path, "rb").read() != data:
                stale.append(name)
            continue
        with open(path + ".tmp", "wb") as f:
            f.write(data)
        os.replace(path + ".tmp", path)
        print(f"{path}: {len(data) // 80} cards")
    if stale:
        print("stale decks: " + " ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
