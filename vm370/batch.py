"""``vm370 batch DECK... [--system DIR]``: run card-deck jobs through CMSBATCH.

Starts the system headless (the default system directory when --system is
not given; when another process already runs that system, the decks go to
its CMSBATCH through the spool instead), logs the CMS batch machine CMSBATCH on (disconnected, as
AUTOLOG does) unless it already runs, punches each deck to its reader (text
decks are converted to EBCDIC cards at the edge), waits for every job's
printer output (the file CMSBATCH jobname the batch machine spools to the
job's user, cms.batch) and prints it to stdout, job after job.  The exit
code is 0 when every job ended with return code 0, 1 when one did not, 2 for
a deck that cannot be read or a job that does not finish in --timeout seconds.
"""
from __future__ import annotations

import argparse
import asyncio
import re
import sys
from pathlib import Path

from s390.ebcdic import from_ebcdic
from vm370.boot import ImageBlocks  # the block device cms.install writes (re-exported)

BATCH_USER = "CMSBATCH"
ENDED = re.compile(r"^JOB '(\S+)' ENDED, RETURN CODE (-?\d+)$")


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="vm370 batch",
                                     description="run card-deck jobs through the CMS batch machine")
    parser.add_argument("decks", nargs="+", type=Path, help="job decks (text or 80-byte EBCDIC cards)")
    parser.add_argument("--system", type=Path, default=None, help="system directory (default ~/.vm370)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for all jobs")
    return parser.parse_args(argv)


def deck_jobs(cards: list[bytes]) -> list:
    from cms.batch import split_jobs
    return split_jobs([from_ebcdic(c).rstrip() for c in cards])


class UnknownUsers(Exception):
    """/JOB cards name users that the system's user directory does not have."""


def install_system_disks(system) -> None:
    """Fill MAINT's 190 (S) and 19E (Y) with the shipped CMS files (cms.install)."""
    from cms.install import install_system_disks as install
    from cp.minidisk import Minidisk
    from cp.sysdir import minidisk_path
    paths = [minidisk_path(system.path, "MAINT", vaddr) for vaddr in (0x190, 0x19E)]
    if not all(p.exists() for p in paths):
        return
    with Minidisk(paths[0]) as s_disk, Minidisk(paths[1]) as y_disk:
        install(ImageBlocks(s_disk), ImageBlocks(y_disk))


def job_output(sf, job_names: set[str], since: float) -> bool:
    """Is ``sf`` the printer output CMSBATCH spooled for one of our jobs?
    (cms.batch closes it as ``CMSBATCH jobname``, origin CMSBATCH.)"""
    return (sf.origin == BATCH_USER and sf.type == "PRT" and sf.name == "CMSBATCH"
            and sf.ftype in job_names and sf.created >= since)


async def submit_to_running_system(sysdir, decks: list[list[bytes]], jobs: list,
                                   timeout: float) -> list[list[str]]:
    """Another process runs the system (``vm370 serve`` or the console): the
    decks go into its CMSBATCH's reader through the spool, as ``vm370
    punch`` does, and the job output is read from the spool when it arrives
    in the job users' readers (it stays there for them)."""
    import time
    from cp.spool import Spool
    from cp.sysdir import read_directory
    directory = read_directory(Path(sysdir))
    unknown = sorted({job.userid for job in jobs if directory.get(job.userid) is None})
    if unknown:
        raise UnknownUsers(" ".join(unknown))
    spool = Spool.for_system(sysdir, recover=False)
    since = time.time() - 1.0
    for cards in decks:
        spool.add_closed("SYSTEM", "PUN", [(0x01, c) for c in cards],
                         owner=BATCH_USER, cls="A", name="BATCH", ftype="JOB")
    names = {job.name for job in jobs}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    outputs: dict[int, list[str]] = {}
    while len(outputs) < len(jobs) and loop.time() < deadline:
        await asyncio.sleep(0.1)
        for sf in spool.rescan(announce=False):
            if job_output(sf, names, since):
                # read at once: the job's user may RECEIVE or PURGE it any time
                outputs[sf.spoolid] = output_lines(spool, sf)
    return [outputs[spoolid] for spoolid in sorted(outputs)]


def output_lines(spool, sf) -> list[str]:
    """The text of a job's printer output, or why it could not be read."""
    try:
        return [from_ebcdic(data).rstrip() for _, data in spool.records(sf)]
    except OSError:
        return [f"vm370 batch: the output of job '{sf.ftype}' (file {sf.spoolid:04d}) "
                f"left the reader before it could be read"]


async def run_jobs(sysdir, decks: list[list[bytes]], jobs: list, timeout: float) -> list[list[str]]:
    """Punch the decks to CMSBATCH and collect the printer output of each job:
    in a system of our own, or through the spool of one already running."""
    from vm370.boot import make_system
    from vm370.serve import SystemRunning, claim_system_dir
    try:
        lock = claim_system_dir(Path(sysdir))
    except SystemRunning:
        return await submit_to_running_system(sysdir, decks, jobs, timeout)
    try:
        return await run_own_system(make_system, sysdir, decks, jobs, timeout)
    finally:
        lock.close()


async def run_own_system(make_system, sysdir, decks, jobs, timeout) -> list[list[str]]:
    system = make_system(sysdir, logon_delay=0.0)
    unknown = sorted({job.userid for job in jobs if system.directory.get(job.userid) is None})
    if unknown:
        system.shutdown()
        raise UnknownUsers(" ".join(unknown))
    install_system_disks(system)
    expected = len(jobs)
    outputs: list = []

    def arrived(sf) -> None:
        if sf.origin == BATCH_USER and sf.type == "PRT" and sf.name == "CMSBATCH":
            outputs.append(sf)

    system.spool.arrival_hooks.append(arrived)
    try:
        if system.find_user(BATCH_USER) is None:
            system.logon(BATCH_USER, None)
        for cards in decks:
            system.spool.add_closed("SYSTEM", "PUN", [(0x01, c) for c in cards],
                                    owner=BATCH_USER, cls="A", name="BATCH", ftype="JOB")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(outputs) < expected and loop.time() < deadline:
            await asyncio.sleep(0.05)
        return [[from_ebcdic(data).rstrip() for _, data in system.spool.records(sf)]
                for sf in outputs]
    finally:
        system.shutdown()


def main(argv: list[str] | None = None) -> int:
    from cp.spool_cli import DeckError, deck_cards
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
    failed = False
    for lines in outputs:
        for line in lines:
            print(line)
        match = ENDED.match(lines[-1]) if lines else None
        failed |= match is None or int(match.group(2)) != 0
    if len(outputs) < expected:
        print(f"vm370 batch: {expected - len(outputs)} job(s) did not finish in "
              f"{args.timeout:g} seconds", file=sys.stderr)
        return 2
    return 1 if failed else 0
