#!/usr/bin/env python3
"""Find the first instruction where our CPU and Hercules part ways: for
each failing corpus case, run growing prefixes of its program on both
(needs hercules) and report the instruction that made the difference.

    python tests/s390/diff/triage.py [--corpus NAME] [--max N]
"""

import argparse
import json
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.abspath(os.path.join(HERE, "..", "..", "..")))
sys.path.insert(0, "/work/shared/tools")

from tests.s390.diff import gen  # noqa: E402
from tests.s390.diff.record import record_case  # noqa: E402
from tests.s390.diff.test_diff import describe_difference, run_on_cpu  # noqa: E402


def differs(h, seed, focus, length):
    case = gen.build_case(seed, length=length, focus=focus)
    expected = record_case(h, case, 5.0)
    ours = run_on_cpu(case)
    if all(ours[k] == expected[k] for k in ours):
        return None, case
    return describe_difference(expected, ours), case


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="")
    ap.add_argument("--max", type=int, default=100000)
    a = ap.parse_args(argv)
    from hercules_run370 import Hercules

    culprits = Counter()
    with Hercules() as h:
        for name in ("general", "decimal", "float"):
            if a.corpus and name != a.corpus:
                continue
            doc = json.load(open(os.path.join(HERE, "corpus_%s.json" % name)))
            focus = tuple(doc["focus"]) or None
            for rec in doc["cases"][: a.max]:
                full, case = differs(h, rec["seed"], focus, None)
                if full is None:
                    continue
                for k in range(1, len(case.mnemonics) + 1):
                    diff, sub = differs(h, rec["seed"], focus, k)
                    if diff is not None:
                        mn = sub.mnemonics[k - 1]
                        culprits[mn] += 1
                        print(
                            "== %s %d: instruction %d %s (program %s)\n%s"
                            % (name, rec["seed"], k, mn, " ".join(sub.mnemonics), diff)
                        )
                        break
                else:
                    print("== %s %d: only the full program differs" % (name, rec["seed"]))
    print("culprits:", culprits.most_common())


if __name__ == "__main__":
    main()
