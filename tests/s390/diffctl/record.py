#!/usr/bin/env python3
"""Record the control-side corpus on Hercules 3.13 (needs the Debian
``hercules`` binary; not a test).

    python tests/s390/diffctl/record.py --out tests/s390/diffctl/corpus_control.json \
        --first 0 --count 2000
    python tests/s390/diffctl/record.py --out tests/s390/diffctl/corpus_waitcode.json \
        --first 900000 --count 20 --wait-code

One Hercules process (``sysclear`` between cases) configured with our CPU
identification (version FF, serial 012345, model 3148, as s390/cpu.py's
STIDP stores) so STIDP compares whole. Each case is loaded at 0, started
with its PSW through a restart, and run to its disabled wait; recorded: the
wait PSW, the GPRs and the bytes of the data blocks, log and dump that
differ from the image.
"""

import argparse
import gzip
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.abspath(os.path.join(HERE, "..", "..", "..")))
sys.path.insert(0, "/work/shared/tools")

from tests.s390.diff.compare import changed_runs  # noqa: E402
from tests.s390.diffctl import gen  # noqa: E402

#: Hercules configuration lines that give it our CPU identification.
CPU_ID_CONFIG = "CPUSERIAL 012345\nCPUMODEL  3148\nCPUVERID  FF\n"


def start_hercules():
    import hercules_run370

    if CPU_ID_CONFIG not in hercules_run370.CONFIG_TEMPLATE:
        # system statements must come before the first device statement
        device = hercules_run370.CONFIG_TEMPLATE.index("000E")
        t = hercules_run370.CONFIG_TEMPLATE
        hercules_run370.CONFIG_TEMPLATE = t[:device] + CPU_ID_CONFIG + t[device:]
    return hercules_run370.Hercules()


def record_case(h, case, timeout):
    h.sysclear()
    h.load(bytes(case.image), 0)
    res = h.run(case.psw, timeout=timeout)
    final = {addr: h.read(addr, length) for addr, length in gen.COMPARE_RANGES}
    return {
        "seed": case.seed,
        "digest": case.digest,
        "items": case.mnemonics,
        "status": res["status"],
        "psw": res["wait_psw"],
        "gpr": ["%08X" % v for v in res["gpr"]],
        "mem": changed_runs(case.image, final),
    }


def usable(rec):
    """Ended in the program's own final wait (not a trap, not a timeout)."""
    return rec["status"] == "wait" and (int(rec["psw"][10:], 16) & 0xFFFF00) != gen.TRAP_BASE


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument(
        "--wait-code",
        action="store_true",
        help="end every program in a BC wait PSW with an interruption code",
    )
    a = ap.parse_args(argv)
    cases, skipped = [], []
    t0 = time.time()
    with start_hercules() as h:
        for seed in range(a.first, a.first + a.count):
            rec = record_case(h, gen.build_case(seed, wait_code=a.wait_code), a.timeout)
            if not usable(rec):
                skipped.append((seed, rec["status"], rec["psw"]))
                continue
            cases.append(rec)
            if len(cases) % 100 == 0:
                print("%d cases, %.1f s" % (len(cases), time.time() - t0), file=sys.stderr)
    doc = {"generator_version": gen.GENERATOR_VERSION, "wait_code": a.wait_code, "cases": cases}
    opener = gzip.open if a.out.endswith(".gz") else open
    with opener(a.out, "wt") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(
        "recorded %d cases in %.1f s; skipped: %s" % (len(cases), time.time() - t0, skipped[:20]),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
