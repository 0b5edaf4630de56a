"""Regenerate the expected outputs of programs/*.rexx with Regina.

    python tests/cms/rexx/regen_expected.py [NAME...]

Runs Debian's regina-rexx (an independent REXX implementation) on each
program and writes programs/NAME.regina: its stdout, then one line
``<<Error n, line l>>`` per error message it wrote to stderr.  NAME.stdin is
fed to standard input and NAME.args gives the argument string, if present.

Where Regina departs from the REXX definition (TRL2 / SC24-5239, the CMS
language), programs/NAME.expected holds the standard output instead and
programs/DEVIATIONS.md says why; tests prefer NAME.expected.
"""

from __future__ import annotations

import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

PROGRAMS = pathlib.Path(__file__).with_name("programs")
ERROR_RE = re.compile(r"^Error (\d+) running .*?(?:, line (\d+))?:")


def error_lines(stderr: str) -> list[str]:
    """Normalised ``<<Error n, line l>>`` lines from an error stream."""
    found = []
    for line in stderr.splitlines():
        match = ERROR_RE.match(line)
        if match:
            found.append(f"<<Error {match.group(1)}, line {match.group(2)}>>")
    return found


def program_inputs(source: pathlib.Path) -> tuple[str, list[str]]:
    stdin = source.with_suffix(".stdin")
    args = source.with_suffix(".args")
    text = stdin.read_text() if stdin.exists() else ""
    arguments = [args.read_text().rstrip("\n")] if args.exists() else []
    return text, arguments


def run_regina(source: pathlib.Path, regina: str) -> str:
    """Regina's output for a program, run in a scratch directory (stream_*
    programs create files there)."""
    stdin, arguments = program_inputs(source)
    with tempfile.TemporaryDirectory() as work:
        shutil.copy(source, work)
        completed = subprocess.run(
            [regina, "./" + source.name] + arguments,
            input=stdin,
            capture_output=True,
            text=True,
            cwd=work,
            timeout=60,
        )
    return completed.stdout + "".join(l + "\n" for l in error_lines(completed.stderr))


def regenerate(source: pathlib.Path, regina: str) -> None:
    source.with_suffix(".regina").write_text(run_regina(source, regina))


def main(names: list[str]) -> int:
    regina = shutil.which("regina")
    if regina is None:
        print("regen_expected: regina not installed (apt-get install regina-rexx)")
        return 1
    sources = sorted(PROGRAMS.glob("*.rexx"))
    if names:
        sources = [s for s in sources if s.stem in names]
    for source in sources:
        regenerate(source, regina)
        print(f"{source.stem}: {source.with_suffix('.regina').stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
