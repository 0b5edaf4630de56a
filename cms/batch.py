"""The CMS batch facility: the CMSBATCH machine runs jobs from its reader.

VM/370 CMS User's Guide, "Using the CMS Batch Facility"; z/VM CMS User's
Guide, "/JOB and /* Cards".  CP IPLs CMS in the batch machine with
``PARM BATCH`` (the directory's ``IPL CMS PARM BATCH``); CMS then waits for
reader files and runs the jobs in them one after another:

* ``/JOB userid account [jobname]`` starts a job (default jobname: the
  account); ``/SET TIME s | PRINT n | PUNCH n`` sets the job's limits;
  other cards are CMS commands, read as console input; ``/*`` ends the job.
  A command that reads the job stream (``FILEDEF INMOVE READER`` +
  ``MOVEFILE``, RDCARD from a program) takes the cards up to the next
  ``/*``.  Cards before the first ``/JOB`` are flushed, as is a ``:READ``
  header card.
* Each job runs in a fresh CMS (a new nucleus, the disks accessed again,
  the A-disk emptied: it is the job's work disk).  The job's console log
  goes to the printer, its printer and punch files are spooled TO the
  job's user with the name ``CMSBATCH jobname``; the user gets the CP
  messages ``JOB 'jobname' STARTED`` and ``JOB 'jobname' ENDED``.  The last
  printed line is ``JOB 'jobname' ENDED, RETURN CODE rc`` where rc is the
  highest return code of the job's commands.  At its end the batch machine
  writes an accounting record (DIAGNOSE X'4C') with the job's name, return
  code, deck and output spoolids: ``vm370 batch`` waits for that record.
* Limits: TIME in seconds of the batch machine's virtual CPU time used by the
  job (CMS's own work, REXX and EXECs included, and the programs it runs),
  PRINT lines, PUNCH cards (32,767 each by default); exceeding one cancels
  the job wherever it is, and the next job runs.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field

from cp.abbrev import abbreviates, full_name
from cp.errors import DeviceError
from cp.security import mask_command
from s390.ebcdic import from_ebcdic, to_ebcdic

READER, PUNCH, PRINTER = 0x00C, 0x00D, 0x00E
DEFAULT_LIMIT = 32767
INSTRUCTIONS_PER_SECOND = 1_000_000
POLL_SECONDS = 0.1

#: CP commands a job may not issue (name, minimum abbreviation): they would
#: log the batch machine off, disconnect it, re-IPL it or reset its storage.
RESTRICTED_CP = (
    ("LOGOFF", 3),
    ("LOGOUT", 4),
    ("DISCONN", 4),
    ("IPL", 1),
    ("DEFINE", 3),
    ("SYSTEM", 3),
    ("SHUTDOWN", 8),
)


class JobCancelled(BaseException):
    """A /SET limit was exceeded; the text is the message.  A BaseException
    so that no command's error handling can swallow it: it ends the job."""


@dataclass
class Job:
    userid: str
    account: str
    name: str
    cards: list[str]  # the job's cards after /JOB, up to its /*
    position: int = 0
    time: int = DEFAULT_LIMIT
    print_limit: int = DEFAULT_LIMIT
    punch_limit: int = DEFAULT_LIMIT
    printed: int = 0
    punched: int = 0
    highest_rc: int = 0
    log: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # vaddrs the job LINKed
    deck: int = 0  # spoolid of the reader file the job came in
    started_us: int = 0  # the machine's virtual CPU time at /JOB

    def check_time(self, virtual_us: int) -> None:
        """/SET TIME: cancel the job once it used more virtual CPU time."""
        if virtual_us - self.started_us > self.time * 1_000_000:
            raise JobCancelled("TIME LIMIT EXCEEDED")

    # ---- the job stream

    def next_line(self) -> str | None:
        """The next command card (None at the end of the job)."""
        if self.position >= len(self.cards):
            return None
        line = self.cards[self.position]
        self.position += 1
        return line

    def read_inline(self) -> list[bytes]:
        """Cards of inline data up to (not including) the next ``/*``."""
        out = []
        while self.position < len(self.cards):
            line = self.cards[self.position]
            self.position += 1
            if line.startswith("/*"):
                break
            out.append(to_ebcdic(line[:80].ljust(80)))
        return out

    def next_inline_card(self) -> bytes | None:
        if self.position >= len(self.cards) or self.cards[self.position].startswith("/*"):
            if self.position < len(self.cards):
                self.position += 1
            return None
        line = self.cards[self.position]
        self.position += 1
        return to_ebcdic(line[:80].ljust(80))

    def cpu_limit(self) -> int:
        return self.time * INSTRUCTIONS_PER_SECOND

    def set(self, operands: list[str]) -> str | None:
        """A /SET card; returns an error text or None."""
        if len(operands) != 2 or not operands[1].isdigit():
            return "INVALID /SET CARD"
        value = int(operands[1])
        if not 0 < value <= DEFAULT_LIMIT:
            return f"/SET {operands[0]} VALUE {value} EXCEEDS THE MAXIMUM {DEFAULT_LIMIT}"
        attr = {"TIME": "time", "PRINT": "print_limit", "PUNCH": "punch_limit"}.get(operands[0])
        if attr is None:
            return f"INVALID /SET OPERAND '{operands[0]}'"
        setattr(self, attr, value)
        return None


def split_jobs(cards: list[str]) -> list[Job]:
    """The jobs of a card stream: /JOB ... up to the matching /*."""
    jobs: list[Job] = []
    current: Job | None = None
    reader_ddnames: set[str] = set()
    data_follows = False
    for line in cards:
        if current is None:
            if line.startswith("/JOB"):
                words = line.split()
                if len(words) >= 3:
                    current = Job(
                        words[1].upper(),
                        words[2],
                        (words[3] if len(words) > 3 else words[2]).upper()[:8],
                        [],
                    )
                    reader_ddnames = set()
            continue  # cards outside a job are flushed
        if line.startswith("/*"):
            if not data_follows:
                jobs.append(current)
                current = None
                continue
            data_follows = False
            current.cards.append(line)
            continue
        current.cards.append(line)
        if not data_follows:
            data_follows = reads_job_stream(line.upper().split(), reader_ddnames)
    if current is not None:
        jobs.append(current)  # a job without its /*: ended by the deck's end
    return jobs


def reads_job_stream(words: list[str], reader_ddnames: set[str]) -> bool:
    """Does this command take inline cards up to the next /*?  FILEDEF dd
    READER marks a ddname; MOVEFILE from such a ddname reads the stream."""
    if not words:
        return False
    if words[0] in ("FILEDEF", "FI") and len(words) > 2:
        if words[2] == "READER":
            reader_ddnames.add(words[1])
        else:
            reader_ddnames.discard(words[1])
        return False
    if words[0] in ("MOVEFILE", "MOVE"):
        return (words[1] if len(words) > 1 and words[1] != "(" else "INMOVE") in reader_ddnames
    return False


class BatchServices:
    """The services one job sees: console lines go to the job log and the
    printer, console reads come from the job stream."""

    def __init__(self, services, job: Job):
        self._services, self.job = services, job

    def __getattr__(self, name):
        return getattr(self._services, name)

    def cp_command(self, text: str) -> tuple[int, list[str]]:
        """CP commands of the job: those that would end or reshape the batch
        machine are refused; disks the job LINKs are remembered so that they
        are DETACHed when the job ends."""
        words = text.upper().split()
        verb = words[0] if words else ""
        if full_name(verb, RESTRICTED_CP) is not None:
            return 1, [f"DMSBTP110E CP {verb} IS NOT ALLOWED IN A BATCH JOB"]
        rc, lines = self._services.cp_command(text)
        if rc == 0 and abbreviates(verb, "LINK", 4):
            operands = [w for w in words[1:] if w not in ("TO", "AS")]
            if len(operands) >= 3:
                self.job.links.append(operands[2])
        return rc, lines

    def checkpoint(self) -> bool:
        """A safe point of the job's CMS work: its time slice, and its time limit."""
        gave_up = self._services.checkpoint()
        if gave_up:  # the time used only grows slice by slice
            self.job.check_time(virtual_cpu_us(self._services))
        return gave_up

    async def run_cpu(self, budget: int) -> int:
        """A slice of a program the job runs, within the job's time limit."""
        reason = await self._services.run_cpu(budget)
        self.job.check_time(virtual_cpu_us(self._services))
        return reason

    def write_line(self, text: str) -> None:
        self.job.log.append(text)
        self._services.write_line(text)
        self.print_line(PRINTER, to_ebcdic(text))

    async def read_line(self) -> str:
        line = self.job.next_line()
        if line is None:
            raise EndOfJob()
        return line

    def print_line(self, vaddr: int, line: bytes) -> None:
        self.job.printed += 1
        if self.job.printed > self.job.print_limit:
            raise JobCancelled("PRINT LIMIT EXCEEDED")
        self._services.print_line(vaddr, line)

    def punch(self, vaddr: int, card: bytes) -> None:
        self.job.punched += 1
        if self.job.punched > self.job.punch_limit:
            raise JobCancelled("PUNCH LIMIT EXCEEDED")
        self._services.punch(vaddr, card)


def virtual_cpu_us(services) -> int:
    """The machine's virtual CPU time so far (DIAGNOSE X'0C', the pseudo timer)."""
    return services.pseudo_timer()[2]


class EndOfJob(BaseException):
    """The job stream ended while a command wanted another line: the job
    ends (a BaseException, so no command's error handling swallows it)."""


async def run_job(base_cms_class, services, job: Job) -> int:
    """Run one job in a fresh CMS; returns its highest return code."""
    rc, lines = services.cp_command(f"SPOOL PRINTER TO {job.userid}")
    if rc != 0:
        # The /JOB card names no user CP knows: the job is flushed.
        for line in lines:
            services.write_line(line)
        services.write_line(f"JOB '{job.name}' FLUSHED: INVALID USERID '{job.userid}'")
        job.highest_rc = rc
        record_job_end(services, job, {})
        return rc
    services.cp_command(f"SPOOL PUNCH TO {job.userid}")
    services.cp_command(f"MSG {job.userid} JOB '{job.name}' STARTED")
    job.started_us = virtual_cpu_us(services)
    jobsvc = BatchServices(services, job)
    cms = base_cms_class(jobsvc, "BATCH")
    cms.job = job
    cms.access_standard_disks()
    work = cms.disks.by_mode.get("A")
    if work is not None and not work.read_only:
        for fn, ft in list(work.disk.files):
            work.disk.erase(fn, ft)
    try:
        jobsvc.write_line(f"/JOB {job.userid} {job.account} {job.name}")
        while True:
            line = job.next_line()
            if line is None:
                break
            if line.startswith("/SET"):
                error = job.set(line.split()[1:])
                jobsvc.write_line(line if error is None else f"{line}  *** {error}")
                if error:
                    job.highest_rc = max(job.highest_rc, 8)
                continue
            if line.startswith("/*") or not line.strip():
                continue
            if line.startswith("*"):
                jobsvc.write_line(line)  # a comment card
                continue
            jobsvc.write_line(mask_command(line))  # the job log never shows a password
            rc = await cms.execute(line)
            cms.ready(rc)
            job.highest_rc = max(job.highest_rc, rc if rc >= 0 else 8)
    except JobCancelled as stop:
        job.highest_rc = max(job.highest_rc, 12)
        services.print_line(PRINTER, to_ebcdic(f"JOB CANCELLED: {stop}"))
    except EndOfJob:
        pass
    services.print_line(PRINTER, to_ebcdic(f"JOB '{job.name}' ENDED, RETURN CODE {job.highest_rc}"))
    for vaddr in job.links:
        services.cp_command(f"DETACH {vaddr}")
    outputs = close_job_output(services, job)
    services.cp_command("SPOOL PRINTER OFF")
    services.cp_command("SPOOL PUNCH OFF")
    record_job_end(services, job, outputs)
    services.cp_command(f"MSG {job.userid} JOB '{job.name}' ENDED")
    return job.highest_rc


# ---- the end of a job: its output to its user, a record of how it ended

CLOSED_FILE = re.compile(r"^(PRT|PUN) FILE (\d{4})\b")


def close_job_output(services, job: Job) -> dict[str, int]:
    """Close the job's printer and punch files TO the job's user, whatever
    SPOOL commands the job gave (its log is the user's); the spoolids of the
    files closed, read from CP's CLOSE response (``PRT FILE nnnn TO ...``)."""
    outputs: dict[str, int] = {}
    for vaddr, kind in ((PRINTER, "PRT"), (PUNCH, "PUN")):
        services.cp_command(f"SPOOL {vaddr:03X} TO {job.userid} NOCONT")
        _, lines = services.cp_command(f"CLOSE {vaddr:03X} NAME CMSBATCH {job.name}")
        for line in lines:
            match = CLOSED_FILE.match(line)
            if match and match.group(1) == kind:
                outputs[kind] = int(match.group(2))
    return outputs


def record_job_end(services, job: Job, outputs: dict[str, int]) -> None:
    """How the job ended, as an accounting record (DIAGNOSE X'4C': the batch
    facility charges each job to its /JOB user and account): its name,
    user, account, return code, the reader file it came from and its output
    files.  ``vm370 batch`` learns from it that the job ended, and how."""
    services.accounting_record(
        {
            "job": job.name,
            "userid": job.userid,
            "account": job.account,
            "rc": job.highest_rc,
            "deck": job.deck,
            "printer": outputs.get("PRT"),
            "punch": outputs.get("PUN"),
        }
    )


def prepare_work_disk(services) -> None:
    """The batch machine's 191 is its jobs' work disk, emptied before each
    job: one that holds no CMS file system yet is formatted now."""
    from cms.errors import CMSError
    from cms.fs import Disk, ServicesBlockDevice

    info = services.device_info(0x191)
    if info is None or info.devclass != "DASD" or info.read_only:
        return
    device = ServicesBlockDevice(services, 0x191, info.blocks, False, "A(191)")
    try:
        Disk.open(device, "A")
    except CMSError:
        Disk.format(device, "BATCH", "A")
        services.write_line("DMSFOR732I WORK DISK 'A(191)' FORMATTED FOR BATCH JOBS")


async def run_batch_machine(cms) -> None:
    """The CMSBATCH main loop: every reader file is a job stream."""
    services = cms.services
    prepare_work_disk(services)
    services.write_line("CMS BATCH FACILITY READY")
    while True:
        deck = next((f for f in services.reader_files() if not f.held), None)
        if deck is None:
            await asyncio.sleep(POLL_SECONDS)
            continue
        for job in split_jobs(job_stream(services, deck)):
            job.deck = deck.spoolid
            await run_job(type(cms), services, job)


def job_stream(services, deck) -> list[str]:
    """The cards of reader file ``deck`` (selected by its spoolid), which then
    leaves the reader.  A file CP cannot hand out (damaged: CP put it in
    system hold and told the operator) gives no jobs and stays."""
    try:
        cards = services.read_spool_file(deck.spoolid)
    except DeviceError as err:  # CP's refusal: its message
        services.write_line(str(err))
        return []
    services.cp_command(f"PURGE READER {deck.spoolid:04d}")
    return [from_ebcdic(bytes(image)).rstrip() for image in cards]
