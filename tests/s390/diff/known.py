#!/usr/bin/env python3
"""Rewrite known_disagreements.json from triage.py's output.

    python tests/s390/diff/triage.py > /tmp/triage.txt
    python tests/s390/diff/known.py /tmp/triage.txt

Every culprit instruction must have a reason below (a DISAGREEMENTS.md entry);
an unknown one stops the script, because it is a new disagreement to study.
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

REASONS = {
    "EX": "ILC of a program interruption in the target of EXECUTE: Hercules 3.13 stores the "
    "target's length, our CPU stores 2 (EXECUTE's, as GA22-7000 specifies) (DISAGREEMENTS.md #2)",
    "EDMK": "EDMK ended by a data exception: Hercules has already set GR1 to the mark address; the "
    "decimal.edit contract cannot report it with a negative return (DISAGREEMENTS.md #3)",
}


def main(path):
    known = {}
    for line in open(path):
        m = re.match(
            r"== (\w+) (\d+): (?:instruction \d+ (\w+) |only the full program differs)", line
        )
        if not m:
            continue
        culprit = m.group(3)
        if culprit not in REASONS:
            sys.exit("new disagreement: %s" % line.strip())
        known["%s-%s" % (m.group(1), m.group(2))] = REASONS[culprit]
    with open(os.path.join(HERE, "known_disagreements.json"), "w") as f:
        json.dump(known, f, indent=0, sort_keys=True)
        f.write("\n")
    print("%d known disagreements" % len(known))


if __name__ == "__main__":
    main(sys.argv[1])
