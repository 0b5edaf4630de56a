"""Time and peak memory of ``vm370 asm`` on large duplicated constants.

    python bench/asm_large_dc.py

Assembles, in a child process each, a CSECT holding DC 16000000X'00' (about 285,000
TXT cards), one that overflows 16 MB (ASMA039S), and DS/DC of 4000 80-byte records,
and prints the wall time and the child's peak resident set size.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CASES = {
    "DC 16000000X'00'": ["BIG      CSECT", "         DC    16000000X'00'", "         END"],
    "over 16 MB (ASMA039S)": [
        "BIG      CSECT",
        "         DC    16000000X'00'",
        "         DC    1000000X'00'",
        "         END",
    ],
    "DC 4000CL80' '": ["BIG      CSECT", "         DC    4000CL80' '", "         END"],
}


def run(lines: list[str]) -> tuple[float, int, int]:
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "big.asm")
        with open(src, "w") as f:
            f.write("\n".join(lines) + "\n")
        start = time.perf_counter()
        p = subprocess.run(
            [sys.executable, "-m", "vm370", "asm", src],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak_kb, p.returncode


def main() -> None:
    for name, lines in CASES.items():
        elapsed, peak_kb, rc = run(lines)
        print(
            f"{name:<26} {elapsed:6.2f} s  peak RSS (max so far) {peak_kb / 1024:6.1f} MB  rc {rc}"
        )


if __name__ == "__main__":
    main()
