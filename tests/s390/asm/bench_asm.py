#!/usr/bin/env python3
"""Measure the assembler and loader (not a test):  python tests/s390/asm/bench_asm.py

Assembles a generated 6,500-statement program (instructions with literals and
several base registers, constants, a macro called 500 times), loads the deck, and
prints statements per second."""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", ".."))
from s390.asm import assemble  # noqa: E402
from s390.asm.loader import load  # noqa: E402


def program() -> list[str]:
    lines = [
        "         MACRO",
        "&L       BUMP  &R,&BY=1",
        "&L       LA    &R,&BY.(,&R)",
        "         MEND",
        "BIG      CSECT",
        "         BALR  12,0",
        "         USING *,12,11,10,9,8,7,6,5",
    ]
    for i in range(2500):
        lines.append(f"L{i:05d}   L     1,F{i % 500:05d}")
        lines.append(f"         MVC   BUF(8),=CL8'X{i % 50}'")
    lines += [f"         BUMP  3,BY={i}" for i in range(500)]
    lines += [f"F{i:05d}   DC    F'{i}',A(L{i:05d})" for i in range(500)]
    lines += ["BUF      DS    CL8", "         END   BIG"]
    return lines


def main() -> None:
    src = program()
    t0 = time.perf_counter()
    r = assemble(src)
    t1 = time.perf_counter()
    result = load([r.deck], bytearray(1 << 20), 0x20000)
    t2 = time.perf_counter()
    statements = len(r.entries)
    print(
        f"rc {r.rc}; {statements} statements (incl. generated and literals) in {t1 - t0:.2f} s "
        f"= {statements / (t1 - t0):,.0f} statements/s; deck {len(r.deck)} cards, "
        f"loaded in {(t2 - t1) * 1000:.0f} ms ({result.end - 0x20000} bytes)"
    )


if __name__ == "__main__":
    main()
