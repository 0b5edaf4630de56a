"""``python -m bench.cms``: how long common CMS commands take.

One user at CMS on a line terminal, on the real system (CP, the CMS
nucleus, the minidisk file system), in this process.  Each figure is the
time from ENTER to CMS's ready message (or, for the batch stream, from
starting the system and punching the deck to the last job's end record),
best of ``--repeat``:

* LISTFILE * * A of 500 files;
* COPYFILE of a 1 MB file (12,800 80-byte records);
* ASSEMBLE of a 2,000-line program;
* a CMSBATCH stream of 100 small jobs (``vm370 batch``'s machinery).

The files are made beforehand by an EXEC (not timed).  No peer figure:
there is no real VM/370 here to time; the figures are for spotting
regressions from one version to the next.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from cp.terminal import LineTerminal
from vm370.batch import deck_jobs, run_jobs
from vm370.boot import install_system_disks, make_system

DIRECT = """\
USER MAINT CPCMS 4M 16M ABCDEFG
 CONSOLE 009 3215
 MDISK 190 3370 0 4000 VMSRES RR ALL
 MDISK 19E 3370 4000 2000 VMSRES RR ALL
USER ALICE ALICE 4M 16M G
 IPL CMS
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
 SPOOL 00D 2540 PUNCH A
 SPOOL 00E 1403 A
 LINK MAINT 190 190 RR
 LINK MAINT 19E 19E RR
 MDISK 191 3370 0 9000 VMPK01 MR ALL
USER CMSBATCH BATCH 4M 16M G
 IPL CMS PARM BATCH
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
 SPOOL 00D 2540 PUNCH A
 SPOOL 00E 1403 A
 LINK MAINT 190 190 RR
 LINK MAINT 19E 19E RR
 MDISK 191 3370 9000 1000 VMPK01 MR
"""

#: The EXEC that makes the files the commands work on.
SETUP_EXEC = [
    "/* SETUP EXEC: the benchmark's files */",
    "do i = 1 to 500",
    "  'EXECIO 1 DISKW F'i 'DATA A1 (FINIS STRING RECORD' i",
    "end",
    "do i = 1 to 12800",
    "  big.i = left('RECORD' i, 80, '*')",
    "end",
    "'EXECIO 12800 DISKW BIG DATA A1 (FINIS STEM BIG.'",
    "src.1 = 'BIG      CSECT'",
    "src.2 = '         BALR  12,0'",
    "src.3 = '         USING *,12'",
    "do i = 4 to 1999",
    "  if i // 2 = 0 then src.i = left('L'i, 9) || 'LA    1,1(1)'",
    "  else src.i = '         AR    1,2'",
    "end",
    "src.2000 = '         END   BIG'",
    "'EXECIO 2000 DISKW BIG ASSEMBLE A1 (FINIS STEM SRC.'",
]


class User:
    def __init__(self, system, userid: str):
        self.terminal = LineTerminal()
        self.session = system.connect(self.terminal)
        self.session.enter(f"LOGON {userid} {userid}")

    async def wait(self, start: int, until: str, timeout: float) -> list[str]:
        deadline = time.perf_counter() + timeout
        while True:
            shown = self.terminal.lines[start:]
            if any(line.startswith(until) for line in shown):
                return shown
            if time.perf_counter() > deadline:
                raise RuntimeError(f"no {until!r} after: " + "\n".join(shown[-20:]))
            await asyncio.sleep(0.002)

    async def type(self, line: str, timeout: float = 300.0) -> tuple[float, list[str]]:
        start = len(self.terminal.lines)
        began = time.perf_counter()
        self.session.enter(line)
        shown = await self.wait(start, "Ready", timeout)
        return time.perf_counter() - began, shown


def ready_code(lines: list[str]) -> str:
    return [line for line in lines if line.startswith("Ready")][-1]


async def command_figures(path: Path, repeat: int) -> dict[str, float]:
    (path / "user.direct").write_text(DIRECT)
    (path / "user.direct").chmod(0o600)
    system = make_system(path, logon_delay=0.0)
    install_system_disks(system)
    figures = {}
    try:
        user = User(system, "ALICE")
        await user.wait(0, "VM/370 CMS", 60)
        await user.type("ACCESS (NOPROF")
        await user.type("FORMAT 191 A (NOTYPE")
        for line in SETUP_EXEC:
            await user.type(f"EXECIO 1 DISKW SETUP EXEC A1 (STRING {line}")
        await user.type("FINIS SETUP EXEC A")
        _, shown = await user.type("SETUP")
        if not ready_code(shown).startswith("Ready;"):
            raise RuntimeError("SETUP EXEC failed:\n" + "\n".join(shown[-20:]))
        commands = {
            "LISTFILE of 500 files": "LISTFILE * * A",
            "COPYFILE of 1 MB": "COPYFILE BIG DATA A BIG2 DATA A (REPLACE",
            "ASSEMBLE of 2,000 lines": "ASSEMBLE BIG",
        }
        #: lines each command shows at least (LISTFILE: one a file)
        lines = {"LISTFILE of 500 files": 501, "COPYFILE of 1 MB": 1, "ASSEMBLE of 2,000 lines": 1}
        for name, command in commands.items():
            best = None
            for _ in range(repeat):
                seconds, shown = await user.type(command)
                if not ready_code(shown).startswith("Ready;") or len(shown) < lines[name]:
                    raise RuntimeError(f"{command}:\n" + "\n".join(shown[-20:]))
                best = seconds if best is None else min(best, seconds)
            figures[name] = best
    finally:
        system.shutdown()
    return figures


def batch_stream(jobs: int) -> bytes:
    text = "".join(f"/JOB ALICE 101 JOB{n:03d}\nLISTFILE * * S\n/*\n" for n in range(jobs))
    return text.encode("ascii")


async def batch_figure(path: Path, jobs: int) -> float:
    from cp.spool_cli import deck_cards

    (path / "user.direct").write_text(DIRECT)
    (path / "user.direct").chmod(0o600)
    deck = deck_cards(batch_stream(jobs))
    began = time.perf_counter()
    ended = await run_jobs(path, [deck], deck_jobs(deck), 600)
    if len(ended) != jobs or any(record["rc"] != 0 for record, _ in ended):
        raise RuntimeError(f"the batch stream did not end well: {[r for r, _ in ended][:3]}")
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cms", description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=100)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vm370-cms-") as tmp:
        figures = asyncio.run(command_figures(Path(tmp), args.repeat))
    with tempfile.TemporaryDirectory(prefix="vm370-batch-") as tmp:
        figures[f"CMSBATCH stream of {args.jobs} jobs"] = asyncio.run(
            batch_figure(Path(tmp), args.jobs)
        )
    for name, seconds in figures.items():
        print(f"{name:32} {seconds:8.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
