"""``vm370 batch DECK... [--system DIR]``: run card-deck jobs through CMSBATCH.

Starts the system headless (the default system directory when --system is
not given; when another process already runs that system, the decks go to
its CMSBATCH through the spool instead), logs the CMS batch machine CMSBATCH on (disconnected, as
AUTOLOG does) unless it already runs, punches each deck to its reader (text
decks are converted to EBCDIC cards at the edge) and waits for the record
the batch machine writes when a job ends (an accounting record, DIAGNOSE
X'4C', in log/accounting: job, return code, deck and output spoolids,
cms.batch); then it prints the job's printer output (the file CMSBATCH
jobname in the job user's reader) to stdout, job after job.  Completion
and return codes come from those records, never from the printed text.  The exit
code is 0 when every job ended with return code 0, 1 when one did not, 2 for
a deck that cannot be read or a job that does not finish in --timeout seconds.
The system of its own is a ``vm370.lifecycle.RunningSystem``: SIGINT or
SIGTERM ends the wait and shuts it down as CP's SHUTDOWN does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from s390.ebcdic import from_ebcdic

BATCH_USER = "CMSBATCH"


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="vm370 batch", description="run card-deck jobs through the CMS batch machine"
    )
    parser.add_argument(
        "decks", nargs="+", type=Path, help="job decks (text or 80-byte EBCDIC cards)"
    )
    parser.add_argument(
        "--system", type=Path, default=None, help="system directory (default ~/.vm370)"
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for all jobs")
    return parser.parse_args(argv)


def deck_jobs(cards: list[bytes]) -> list:
    from cms.batch import split_jobs

    return split_jobs([from_ebcdic(c).rstrip() for c in cards])


class UnknownUsers(Exception):
    """/JOB cards name users that the system's user directory does not have."""


class JobRecords:
    """The accounting records the batch machine writes at the end of each job
    (cms.batch.record_job_end, through CP's log/accounting), for the decks
    this run submitted: read as they are appended, after ``start``."""

    def __init__(self, sysdir, jobs: list):
        from cp.system import ACCOUNTING_FILE

        self.path = Path(sysdir) / ACCOUNTING_FILE
        self.offset = self.path.stat().st_size if self.path.exists() else 0
        self.decks: set[int] = set()
        self.waiting = [(job.name, job.userid) for job in jobs]  # not ended yet
        self.ended: list[dict] = []

    def poll(self) -> None:
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                chunk = f.read()
        except FileNotFoundError:
            return
        complete = chunk[: chunk.rfind(b"\n") + 1]
        self.offset += len(complete)
        for line in complete.splitlines():
            record = job_record(line)
            if record is None or record.get("deck") not in self.decks:
                continue
            # a deck's spoolid is free again once CMSBATCH read it: the job
            # must be one of ours as well
            key = (record["job"], record.get("userid"))
            if key in self.waiting:
                self.waiting.remove(key)
                self.ended.append(record)


def job_record(line: bytes) -> dict | None:
    """The job record of an accounting line the batch machine wrote, or None."""
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    if not isinstance(entry, dict) or entry.get("userid") != BATCH_USER:
        return None
    data = entry.get("data")
    if not isinstance(data, dict):
        return None
    if not isinstance(data.get("rc"), int) or not isinstance(data.get("job"), str):
        return None
    return data


def submit(spool, decks: list[list[bytes]]) -> list[int]:
    """Punch the decks into CMSBATCH's reader; their spoolids."""
    return [
        spool.add_closed(
            "SYSTEM",
            "PUN",
            [(0x01, c) for c in cards],
            owner=BATCH_USER,
            cls="A",
            name="BATCH",
            ftype="JOB",
        ).spoolid
        for cards in decks
    ]


async def wait_for_jobs(
    records: JobRecords, expected: int, timeout: float, stopped=lambda: False
) -> list[dict]:
    """The end records of the jobs, as they come, until all ``expected`` are
    there, ``timeout`` seconds passed or ``stopped()`` (a signal asked for
    the shutdown)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        records.poll()
        if len(records.ended) >= expected or loop.time() >= deadline or stopped():
            return records.ended
        await asyncio.sleep(0.05)


def job_output(spool, record: dict) -> list[str]:
    """The printed output of an ended job (its printer file, in its user's
    reader), or why it cannot be shown."""
    spoolid = record.get("printer")
    spool.rescan(announce=False)
    sf = spool.get(spoolid) if isinstance(spoolid, int) else None
    if sf is None:
        return [
            (
                f"vm370 batch: the output of job '{record['job']}' is not in the spool "
                f"(file {spoolid or 'none'}); it ended with return code {record['rc']}"
            )
        ]
    return output_lines(spool, sf)


def output_lines(spool, sf) -> list[str]:
    """The text of a job's printer output, or why it could not be read."""
    from cp.spool import SpoolError

    try:
        return [from_ebcdic(data).rstrip() for _, data in spool.records(sf)]
    except SpoolError as err:
        return [
            (
                f"vm370 batch: the output of job '{sf.ftype}' (file {sf.spoolid:04d}) "
                f"cannot be read: {err}"
            )
        ]


async def submit_to_running_system(
    sysdir, decks: list[list[bytes]], jobs: list, timeout: float
) -> list[tuple[dict, list[str]]]:
    """Another process runs the system (``vm370 serve`` or the console): the
    decks go into its CMSBATCH's reader through the spool, as ``vm370
    punch`` does, and each job's end record is awaited; its output is read
    from the job user's reader (it stays there for them)."""
    from cp.spool import Spool
    from cp.sysdir import read_directory

    directory = read_directory(Path(sysdir))
    unknown = sorted({job.userid for job in jobs if directory.get(job.userid) is None})
    if unknown:
        raise UnknownUsers(" ".join(unknown))
    spool = Spool.for_system(sysdir, recover=False)
    records = JobRecords(sysdir, jobs)
    records.decks.update(submit(spool, decks))
    ended = await wait_for_jobs(records, len(jobs), timeout)
    return [(record, job_output(spool, record)) for record in ended]


async def run_jobs(
    sysdir, decks: list[list[bytes]], jobs: list, timeout: float
) -> list[tuple[dict, list[str]]]:
    """Punch the decks to CMSBATCH and collect each job's end record and
    printed output: in a system of our own, or through the spool of one
    already running."""
    from vm370.lifecycle import CannotStart, RunningSystem

    running = RunningSystem(sysdir, logon_delay=0.0)
    try:
        running.start()
    except CannotStart as err:
        if not err.already_running:
            raise
        return await submit_to_running_system(sysdir, decks, jobs, timeout)
    try:
        return await run_in(running, decks, jobs, timeout)
    finally:
        running.close()


async def run_in(running, decks, jobs, timeout) -> list[tuple[dict, list[str]]]:
    """The jobs in a system of our own (vm370.lifecycle.RunningSystem, which
    has CMSBATCH autologged); SIGINT/SIGTERM end the wait and the system."""
    system = running.system
    unknown = sorted({job.userid for job in jobs if system.directory.get(job.userid) is None})
    if unknown:
        raise UnknownUsers(" ".join(unknown))
    if system.find_user(BATCH_USER) is None:
        system.logon(BATCH_USER, None)
    records = JobRecords(running.sysdir, jobs)
    records.decks.update(submit(system.spool, decks))
    ended = await wait_for_jobs(records, len(jobs), timeout, lambda: running.ended)
    return [(record, job_output(system.spool, record)) for record in ended]


def main(argv: list[str] | None = None) -> int:
    from cp.spool import SpoolError
    from cp.spool_cli import DeckError, deck_cards
    from vm370.lifecycle import CannotStart

    args = parse_args(sys.argv[1:] if argv is None else argv)
    decks = []
    for path in args.decks:
        try:
            decks.append(deck_cards(path.read_bytes()))
        except (OSError, DeckError) as err:
            print(f"vm370 batch: {path}: {err}", file=sys.stderr)
            return 2
    jobs = [job for d in decks for job in deck_jobs(d)]
    expected = len(jobs)
    if expected == 0:
        print("vm370 batch: no /JOB card in the decks", file=sys.stderr)
        return 2
    sysdir = args.system
    if sysdir is None:
        from cp.sysdir import default_path

        sysdir = default_path()
    try:
        outputs = asyncio.run(run_jobs(sysdir, decks, jobs, args.timeout))
    except UnknownUsers as err:
        print(f"vm370 batch: /JOB names a user not in the directory: {err}", file=sys.stderr)
        return 2
    except CannotStart as err:  # a refused USER DIRECT, an unusable directory
        print("\n".join(err.lines), file=sys.stderr)
        return 2
    except SpoolError as err:  # SPOOL SPACE FULL: the decks could not be punched
        print(f"vm370 batch: {err}", file=sys.stderr)
        return 2
    failed = False
    for record, lines in outputs:
        for line in lines:
            print(line)
        failed |= record["rc"] != 0
    if len(outputs) < expected:
        print(
            f"vm370 batch: {expected - len(outputs)} job(s) did not finish in "
            f"{args.timeout:g} seconds",
            file=sys.stderr,
        )
        return 2
    return 1 if failed else 0
