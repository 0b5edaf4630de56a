#!/usr/bin/env python3
"""List the corpus cases our CPU disagrees on, with the first differing log
record and the item (of the program's items) that made the difference,
found by recording growing prefixes on Hercules (needs hercules).

    python tests/s390/diffctl/triage.py [--max N] [--no-hercules]
"""

import argparse
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.abspath(os.path.join(HERE, "..", "..", "..")))
sys.path.insert(0, "/work/shared/tools")

from tests.s390.diffctl import gen  # noqa: E402
from tests.s390.diffctl.corpus import load  # noqa: E402
from tests.s390.diffctl.describe import describe_difference  # noqa: E402
from tests.s390.diffctl.machine import run_on_cpu  # noqa: E402
from tests.s390.diffctl.record import record_case, start_hercules  # noqa: E402


def same(expected, ours):
    return all(ours[k] == expected[k] for k in ours)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(HERE, "corpus_control.json.gz"))
    ap.add_argument("--max", type=int, default=100000)
    ap.add_argument("--no-hercules", action="store_true", help="only list and describe")
    a = ap.parse_args(argv)
    doc = load(a.corpus)
    culprits = Counter()
    h = None if a.no_hercules else start_hercules()
    try:
        for rec in doc["cases"][: a.max]:
            case = gen.build_case(rec["seed"], wait_code=doc["wait_code"])
            ours = run_on_cpu(case)
            if same(rec, ours):
                continue
            culprit = "?"
            if h is not None:
                for k in range(1, len(case.mnemonics) + 1):
                    sub = gen.build_case(rec["seed"], length=k, wait_code=doc["wait_code"])
                    if not same(record_case(h, sub, 5.0), run_on_cpu(sub)):
                        culprit = "%d:%s" % (k, case.mnemonics[k - 1])
                        culprits[case.mnemonics[k - 1]] += 1
                        break
            print(
                "== seed %d item %s (items %s)\n%s"
                % (
                    rec["seed"],
                    culprit,
                    " ".join(case.mnemonics),
                    describe_difference(case, rec, ours),
                )
            )
    finally:
        if h is not None:
            h.quit()
    print("culprits:", culprits.most_common())


if __name__ == "__main__":
    main()
