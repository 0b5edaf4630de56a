"""``vm370 tour``: a guided tour for a new user, step by step.

The Textual console opens with a Tour tab and one 3270 session.  Each
step says what to type in the session and why; the tour watches what CP
and CMS answer (and the system's state: who is logged on, what is in the
spool) and goes on when the step really happened.  The steps: logon,
CMS and its minidisks, the spool (a file in the reader, READCARD), REXX
(the EXEC that came in the reader), batch (a job punched to CMSBATCH and
its output coming back), CP commands, logoff.  The EXEC is
decks/tour/tour.exec.

The tour runs on a throwaway system unless ``--system DIR`` is given.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

USER = "ALICE"
TOUR_EXEC = Path(__file__).resolve().parent.parent / "decks" / "tour" / "tour.exec"


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    commands: tuple[str, ...]
    done: Callable[[Guide], bool]


def shown(pattern: str) -> Callable[[Guide], bool]:
    """The step happened when a line like ``pattern`` was shown since it began."""
    regex = re.compile(pattern)
    return lambda guide: any(regex.search(line) for line in guide.step_lines())


def logged_on(guide: Guide) -> bool:
    return guide.system.find_user(USER) is not None and shown(r"^VM/370 CMS")(guide)


def tour_exec_read(guide: Guide) -> bool:
    """READCARD took the EXEC out of the reader."""
    return shown(r"^Ready;")(guide) and not any(
        sf.name == "TOUR" and sf.ftype == "EXEC" for sf in guide.system.spool.reader_files(USER)
    )


def logged_off(guide: Guide) -> bool:
    """CP's LOGOFF AT line: it writes it as the virtual machine ends."""
    return shown(r"^LOGOFF AT")(guide)


STEPS = (
    Step(
        "Log on",
        "Every user of VM/370 has a virtual machine, defined in the CP directory. "
        "Log on as ALICE (password ALICE).  Her directory entry IPLs CMS for her.",
        ("LOGON ALICE", "ALICE"),
        logged_on,
    ),
    Step(
        "CMS and its disks",
        "CMS, the Conversational Monitor System, is a one-user "
        "operating system running in ALICE's machine.  Its files live on minidisks: "
        "her own A-disk (191) and the shared system disks S (190) and Y (19E).",
        ("QUERY DISK", "LISTFILE * * *"),
        shown(r"^HELLO\s+ASSEMBLE\s+Y"),
    ),
    Step(
        "The spool",
        "The operator has put a file in ALICE's virtual card reader.  "
        "CP keeps readers, punches and printers as spool files on disk.",
        ("CP QUERY READER ALL",),
        shown(r"\bTOUR\s+EXEC\b"),
    ),
    Step(
        "Read the cards",
        "READCARD reads the deck from the reader onto the A-disk.",
        ("READCARD TOUR EXEC A",),
        tour_exec_read,
    ),
    Step(
        "REXX",
        "TOUR EXEC is a REXX program (REXX came to VM in 1983; its EXEC 2 and EXEC "
        "ancestors go back to CMS's first years).  Run it by its name.",
        ("TOUR",),
        shown(r"^HELLO ALICE, THIS IS REXX"),
    ),
    Step(
        "Batch",
        "The EXEC wrote TOUR JOB A, a job for the CMS batch machine.  Point "
        "the virtual punch at CMSBATCH and punch the job; its output comes back to "
        "ALICE's reader when it has run.",
        ("CP SPOOL PUNCH TO CMSBATCH", "PUNCH TOUR JOB A (NOHEADER"),
        shown(r"RDR FILE \d+ SENT FROM CMSBATCH"),
    ),
    Step(
        "CP commands",
        "CP commands talk to the Control Program, not to CMS: who is on, "
        "and what ALICE's machine has used.  From CMS they start with CP.",
        ("CP QUERY NAMES", "CP INDICATE"),
        shown(r"^VTIME="),
    ),
    Step(
        "Log off",
        "LOGOFF ends the virtual machine; CP tells how long it was on.",
        ("LOGOFF",),
        logged_off,
    ),
)


class Guide:
    """Follows the tour: the lines the user was shown, the step now."""

    def __init__(self, system, steps=STEPS, changed=None):
        self.system = system
        self.steps = steps
        self.index = 0
        self.lines: list[str] = []
        self.start = 0  # the first line of the current step
        self.changed = changed

    @property
    def finished(self) -> bool:
        return self.index >= len(self.steps)

    @property
    def step(self) -> Step | None:
        return None if self.finished else self.steps[self.index]

    def step_lines(self) -> list[str]:
        return self.lines[self.start :]

    def shown(self, line: str) -> None:
        self.lines.append(line)
        self.check()

    def check(self) -> bool:
        """Go on while the current step has happened; True when one did."""
        moved = False
        while not self.finished and self.steps[self.index].done(self):
            self.index += 1
            self.start = len(self.lines)
            moved = True
        if moved and self.changed is not None:
            self.changed()
        return moved

    def text(self) -> str:
        """The tour panel: the steps done, the one to do now with its commands."""
        out = ["A guided tour of VM/370", ""]
        for number, step in enumerate(self.steps):
            mark = "done" if number < self.index else ("NOW " if number == self.index else "    ")
            out.append(f"[{mark}] {number + 1}. {step.title}")
            if number == self.index:
                out += ["", step.text, "", "Type in the session tab:"]
                out += [f"    {command}" for command in step.commands]
                out.append("")
        if self.finished:
            out += ["", "The tour is complete.  Ctrl+Q ends it."]
        return "\n".join(out)


def put_tour_exec(system) -> None:
    """The operator puts TOUR EXEC into ALICE's reader."""
    from cp.spool_cli import punch_deck

    punch_deck(
        system.spool, TOUR_EXEC.read_bytes(), USER, origin="OPERATOR", name="TOUR", ftype="EXEC"
    )


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="vm370 tour", description="a guided tour of VM/370")
    parser.add_argument(
        "--system",
        type=Path,
        default=None,
        help="run on this system directory (default: a throwaway system)",
    )
    return parser.parse_args(argv)
