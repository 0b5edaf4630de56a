#!/usr/bin/env python3
"""Regenerate the differential corpus on Hercules (needs the Debian
``hercules`` binary; not a test).

    python tests/s390/diff/record.py --out tests/s390/diff/corpus_general.json \
        --first 0 --count 1000 [--focus AP,SP,...] [--length N]

Each seed's program (gen.build_case) is loaded at 0 in one long-running
Hercules (sysclear between cases), started with the case's PSW, and run to
its disabled wait. Recorded: the wait PSW, the 16 GPRs and the bytes of the
compared storage ranges that differ from the initial image (the dump area
holds the FPRs and the final CC/program mask word).
"""

import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.abspath(os.path.join(HERE, "..", "..", "..")))
sys.path.insert(0, "/work/shared/tools")

from tests.s390.diff import gen  # noqa: E402
from tests.s390.diff.compare import changed_runs  # noqa: E402


def record_case(h, case, timeout):
    h.sysclear()
    h.load(bytes(case.image), 0)
    res = h.run(case.psw, timeout=timeout)
    final = {}
    for addr, length in gen.COMPARE_RANGES:
        final[addr] = h.read(addr, length)
    return {
        "seed": case.seed,
        "digest": case.digest,
        "status": res["status"],
        "psw": res["wait_psw"],
        "gpr": ["%08X" % v for v in res["gpr"]],
        "mem": changed_runs(case.image, final),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--focus", default="")
    ap.add_argument("--length", type=int, default=None)
    ap.add_argument("--timeout", type=float, default=5.0)
    a = ap.parse_args(argv)
    from hercules_run370 import Hercules

    focus = tuple(m for m in a.focus.split(",") if m) or None
    cases = []
    skipped = []
    t0 = time.time()
    with Hercules() as h:
        for seed in range(a.first, a.first + a.count):
            case = gen.build_case(seed, length=a.length, focus=focus)
            rec = record_case(h, case, a.timeout)
            if rec["status"] != "wait" or not rec["psw"].endswith("%06X" % gen.WAIT_ADDRESS):
                # a program that ran away (e.g. into its data): not a usable case
                skipped.append(seed)
                continue
            cases.append(rec)
            if len(cases) % 100 == 0:
                print("%d cases, %.1f s" % (len(cases), time.time() - t0), file=sys.stderr)
    doc = {
        "generator_version": gen.GENERATOR_VERSION,
        "focus": list(focus or ()),
        "length": a.length,
        "cases": cases,
    }
    with open(a.out, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(
        "recorded %d cases in %.1f s; skipped (not ending in the wait PSW): %s"
        % (len(cases), time.time() - t0, skipped[:20]),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
