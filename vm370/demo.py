"""``vm370 demo [NAME]``: a gallery of historical demos on a running system.

    vm370 demo                      list the demos, one line each
    vm370 demo NAME                 run one in the Textual console (a throwaway system)
    vm370 demo NAME --serve         ... with a TN3270 server instead, for 3270 clients
    vm370 demo NAME --headless      ... and only print the transcript (tests, scripts)
    vm370 demo NAME --system DIR    on that system instead of a throwaway one
    vm370 demo NAME --pdf FILE      the printer output it makes as a greenbar PDF

Each demo is a script of users logging on and typing commands, with a short
explanation of what is happening and why it mattered.  The programs and
jobs they run are in decks/ (assembler in decks/src/, built by
decks/build.py; batch jobs in decks/jobs/), readable as examples.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from vm370.stage import CMS_READY, DISABLED_WAIT, DemoError, Stage

DECKS = Path(__file__).resolve().parent.parent / "decks"

HISTORY = (
    "CP-40 (1964) and CP-67/CMS (1967-72) at IBM's Cambridge Scientific Center "
    "gave each user a whole virtual System/360; VM/370, announced on August 2, 1972, "
    "brought the idea to the System/370: one real machine, a Control Program (CP), "
    "and every user their own machine.  Its descendant is z/VM."
)


@dataclass(frozen=True)
class Demo:
    name: str
    title: str
    summary: str  # the one line of the list
    story: str  # the on-screen explanation
    script: Callable[[Stage, argparse.Namespace], Awaitable[None]] | None = None
    needs: str = ""  # a demo that cannot run yet: what it waits for
    finale: str = "demo"  # the console tab in front at the end


def deck_cards(name: str) -> list[bytes]:
    """The card images of decks/NAME.deck (built by decks/build.py)."""
    data = (DECKS / f"{name}.deck").read_bytes()
    return [data[i : i + 80] for i in range(0, len(data), 80)]


def job_cards(name: str) -> list[bytes]:
    from cp.spool_cli import deck_cards as text_cards

    return text_cards((DECKS / "jobs" / f"{name}.job").read_bytes())


async def ipl_standalone(stage: Stage, actor, deck: str, until: str = DISABLED_WAIT) -> list[str]:
    """Put a deck into the actor's reader and IPL it (CP: IPL 00C).  The
    reader keeps the deck open after the IPL; a CLOSE 00C before the next
    IPL lets the reader go on to the next file, as on a real system."""
    if actor.lines and any(line.startswith("DMKDSP450W") for line in actor.lines):
        await actor.type("CLOSE 00C")
    stage.punch_deck(actor.userid, deck, deck_cards(deck))
    return await actor.type("IPL 00C", until=until)


# --------------------------------------------------------------------- the demos


async def many_machines(stage: Stage, options) -> None:
    stage.say(
        "Three people log on to one machine.  Each gets a virtual System/370 "
        "of their own and starts something different in it."
    )
    alice = await stage.user("ALICE")
    await alice.logon()
    stage.say(
        "ALICE's directory entry says IPL CMS: she is in the Conversational "
        "Monitor System, a single-user operating system in her own machine."
    )
    bob = await stage.user("BOB")
    await bob.logon("NOIPL")
    stage.say("BOB IPLs a standalone program from his virtual card reader: one that never ends.")
    await ipl_standalone(stage, bob, "spin", until=r"^SPIN:")
    carol = await stage.user("CMSUSER")
    await carol.logon("NOIPL")
    stage.say("CMSUSER IPLs another deck: a prime sieve, which runs and stops.")
    await ipl_standalone(stage, carol, "sieve")
    await stage.pause(2)
    await alice.type("CP QUERY NAMES", until=CMS_READY)
    await alice.type("CP INDICATE", until=CMS_READY)
    operator = await stage.user("OPERATOR")
    await operator.logon()
    stage.say(
        "The operator asks CP how it shares the one real CPU: BOB's loop gets its "
        "time slices, and nobody else waits for it."
    )
    await operator.type("INDICATE LOAD", until=r"^OPERATOR ")
    spin = bob.vm
    stage.say(
        f"BOB's machine is still running: {spin.cpu.instructions:,} instructions so far."
        if spin is not None and spin.running
        else "BOB's machine has stopped."
    )
    await stage.pause(3)


async def the_spool(stage: Stage, options) -> None:
    stage.say(
        "Unit record devices - card readers, punches, printers - are spooled: CP "
        "keeps each user's cards and listings on disk, so nobody waits for the real ones."
    )
    alice = await stage.user("ALICE")
    await alice.logon()
    bob = await stage.user("BOB")
    await bob.logon()
    stage.say(
        "ALICE punches a source file into her own virtual reader, looks at it "
        "there, and transfers the deck to BOB."
    )
    await alice.type("CP SPOOL PUNCH TO *", until=CMS_READY)
    punched = await alice.type("PUNCH HELLO ASSEMBLE Y (NOHEADER", until=CMS_READY)
    spoolid = next(
        (
            re.search(r"PUN FILE (\d+)", line).group(1)
            for line in punched
            if re.search(r"PUN FILE (\d+)", line)
        ),
        None,
    )
    if spoolid is None:
        raise DemoError("ALICE's PUNCH made no spool file")
    await alice.type("CP QUERY READER ALL", until=CMS_READY)
    await alice.type(f"CP TRANSFER RDR {spoolid} TO BOB", until=CMS_READY)
    stage.say(
        "The cards arrive in BOB's virtual reader; he looks, then reads them onto his A-disk."
    )
    await bob.type("CP QUERY READER ALL", until=CMS_READY)
    await bob.type("READCARD HELLO ASSEMBLE A", until=CMS_READY)
    stage.say("BOB prints the file on his virtual 1403; CP puts it out on the system printer.")
    before = set(stage.system.spool.listings())
    await bob.type("PRINT HELLO ASSEMBLE A", until=CMS_READY)
    await show_listings(stage, before, options)


async def show_listings(stage: Stage, before: set, options) -> None:
    """The listings the system printer made since ``before``: in the
    transcript, as greenbar in the console, as PDF when asked."""
    for _ in range(100):
        made = stage.new_listings(before)
        if made:
            break
        await asyncio.sleep(0.05)
    else:
        raise DemoError("no listing came out of the system printer")
    for path in made:
        stage.say(f"Printed: {path.name}")
        for line in path.read_text().replace("\f", "\n").splitlines():
            stage.record(f"PRINTER   {line}")
    if getattr(options, "pdf", None):
        from cp.greenbar import write_pdf

        write_pdf(Path(options.pdf), [p.read_text() for p in stage.printouts])
        stage.say(f"The greenbar listing is in {options.pdf}.")


async def batch(stage: Stage, options) -> None:
    from vm370.batch import (
        BATCH_USER,
        JobRecords,
        deck_jobs,
        job_output,
        submit,
        wait_for_jobs,
    )

    stage.say(
        "Before terminals, work came as card decks.  CMS batch keeps the idea: jobs "
        "punched to the CMSBATCH machine run one after another, unattended."
    )
    names = ["asmgo", "rexx", "sort"]
    decks = [job_cards(n) for n in names]
    jobs = [job for d in decks for job in deck_jobs(d)]
    if stage.system.find_user(BATCH_USER) is None:
        stage.system.autolog(BATCH_USER)
    records = JobRecords(stage.system.path, jobs)
    stage.say("Three jobs go to CMSBATCH: assemble-and-go, a REXX EXEC, a SORT of punched data.")
    records.decks.update(submit(stage.system.spool, decks))
    ended = []
    while len(ended) < len(jobs):
        got = await wait_for_jobs(records, len(ended) + 1, 60.0)
        if len(got) == len(ended):
            raise DemoError("a batch job did not end in 60 seconds")
        for record in got[len(ended) :]:
            stage.say(f"Job {record['job']} ended, return code {record['rc']}; its printed output:")
            for line in job_output(stage.system.spool, record):
                stage.record(f"PRINTER   {line}")
            await stage.pause(1)
        ended = list(got)


async def standalone(stage: Stage, options) -> None:
    stage.say(
        "A virtual machine runs anything a real System/370 runs: programs written for "
        "the bare machine, IPLed from cards, doing their own I/O.  All were written "
        "for this gallery in S/370 assembler (decks/src/)."
    )
    user = await stage.user("CMSUSER")
    await user.logon("NOIPL")
    stage.say("The sieve of Eratosthenes: console output with SIO and I/O interruptions.")
    await ipl_standalone(stage, user, "sieve")
    stage.say("The Towers of Hanoi: recursion on a machine without a stack.")
    await ipl_standalone(stage, user, "hanoi")
    stage.say("Conway's Life: full-screen on the 3270 through CP's DIAGNOSE X'58'.")
    await ipl_standalone(stage, user, "life")
    stage.say("A lunar lander, played at the console: the program reads each burn.")
    await ipl_standalone(stage, user, "lander", until=r"BURN\?$")
    for burn in ("0", "0", "10", "30", "30"):
        await user.type(burn, until=r"BURN\?$")
    await user.type("10", until=DISABLED_WAIT)
    stage.say("A banner on the 1403: the printer output goes to the system printer.")
    await ipl_standalone(stage, user, "banner")
    before = set(stage.system.spool.listings())
    await user.type("CLOSE 00E")
    await show_listings(stage, before, options)


DEMOS = {
    demo.name: demo
    for demo in (
        Demo(
            "machines",
            "Many machines, one CPU",
            "several users each IPL something different; CP shares the one CPU",
            "Three users log on at once.  ALICE runs CMS, BOB IPLs a program that loops "
            "for ever, CMSUSER a prime sieve.  On a bare 1972 machine the loop would own the "
            "CPU; under CP it is one virtual machine among others.  INDICATE and the System "
            "tab show CP dispatching them in time slices.",
            many_machines,
            finale="system",
        ),
        Demo(
            "spool",
            "The spool",
            "a deck punched by one user, read by another, printed on the virtual 1403",
            "Spooling let many users share one card reader, punch and printer: each has "
            "virtual ones, CP moves files between them and puts listings out on the real "
            "printer.  ALICE punches a file to BOB; BOB reads it and prints it; the "
            "listing comes out as greenbar paper.",
            the_spool,
        ),
        Demo(
            "batch",
            "Card decks and batch",
            "a CMSBATCH job stream: assemble-and-go, REXX, a sort of punched data",
            "Jobs are card decks punched to the CMS batch machine, which runs them one "
            "after another with nobody at its console, as computer rooms ran work before "
            "terminals.  The jobs are in decks/jobs/.",
            batch,
        ),
        Demo(
            "standalone",
            "Standalone programs",
            "IPL decks in S/370 assembler: sieve, Hanoi, Life on the 3270, a lander, a 1403 banner",
            "Programs for the bare machine, IPLed from the virtual card reader: they do "
            "their own channel I/O to the console and printer, and CP simulates every "
            "device and interruption.  Sources in decks/src/.",
            standalone,
        ),
        Demo(
            "guests",
            "Guests that talk",
            "two users message each other over the guest LAN; a guest serves a web page",
            "Virtual machines connected by a simulated LAN, one running TCP/IP.",
            needs="a TCP/IP stack in a guest on the guest LAN",
        ),
        Demo(
            "cpincp",
            "CP in CP",
            "VM running under VM (future)",
            "VM/370 in a virtual machine of VM/370: how IBM developed and tested VM itself.",
            needs="dynamic address translation (DAT) in the virtual machines",
        ),
    )
}


def list_text() -> list[str]:
    width = max(len(n) for n in DEMOS)
    lines = []
    for demo in DEMOS.values():
        later = f" [needs {demo.needs}]" if demo.needs else ""
        lines.append(f"  {demo.name:<{width}}  {demo.title}: {demo.summary}{later}")
    return lines


def explanation(demo: Demo) -> list[str]:
    return [demo.title, "", demo.story, "", HISTORY]


# --------------------------------------------------------------------- running one


async def run_script(
    demo: Demo, system, options, *, pace: float = 0.0, seat_factory=None, listeners=()
) -> Stage:
    stage = Stage(system, pace=pace, seat_factory=seat_factory, listeners=listeners)
    await demo.script(stage, options)
    return stage


async def run_headless(demo: Demo, options, out=None) -> Stage:
    """Run the demo with line terminals, printing the transcript as it goes."""
    from vm370.stage import running_system

    out = out or sys.stdout
    for line in explanation(demo):
        print(line, file=out)
    print(file=out, flush=True)
    async with running_system(options.system) as system:
        return await run_script(
            demo,
            system,
            options,
            pace=options.pace or 0.0,
            listeners=[lambda line: print(line, file=out, flush=True)],
        )


async def run_served(demo: Demo, options) -> int:
    """Run the demo with a TN3270 server: people connect and log on as
    other users to watch (QUERY NAMES, INDICATE); Ctrl+C ends it."""
    from cp.tn3270 import TN3270Server
    from vm370.stage import running_system

    async with running_system(options.system) as system:
        server = TN3270Server(system, options.host, options.port)
        port = await server.start()
        print(f"VM370 TN3270 SERVER LISTENING ON {options.host}:{port}", flush=True)
        for line in explanation(demo):
            print(line, flush=True)
        try:
            await run_script(
                demo,
                system,
                options,
                pace=1.0 if options.pace is None else options.pace,
                listeners=[lambda line: print(line, flush=True)],
            )
            print("-- The demo is over; the system runs until Ctrl+C.", flush=True)
            await asyncio.Event().wait()
        finally:
            await server.close()
    return 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="vm370 demo", description="a gallery of historical demos")
    parser.add_argument("name", nargs="?", help="the demo to run (none: list them)")
    parser.add_argument(
        "--system",
        type=Path,
        default=None,
        help="run on this system directory (default: a throwaway system)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--serve", action="store_true", help="serve TN3270 clients instead of the console"
    )
    mode.add_argument("--headless", action="store_true", help="print the transcript only")
    parser.add_argument("--host", default="127.0.0.1", help="--serve: address to listen on")
    parser.add_argument("--port", type=int, default=3270, help="--serve: TCP port (0: any free)")
    parser.add_argument("--pdf", metavar="FILE", help="write the printer output as a greenbar PDF")
    parser.add_argument(
        "--pace",
        type=float,
        default=None,
        help="pauses between steps, in seconds per step (default: 0 headless, 1 else)",
    )
    return parser.parse_args(argv)
