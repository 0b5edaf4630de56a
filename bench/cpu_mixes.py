"""The CPU against Hercules on every instruction mix: ``python -m bench.cpu_mixes``
is ``vm370 bench --all`` (s390/bench.py); arguments pass through."""

import sys

from s390.bench import main

if __name__ == "__main__":
    sys.exit(main(["--all", *sys.argv[1:]]))
