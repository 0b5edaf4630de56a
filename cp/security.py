"""CP's defences: password-guess throttling, password masking, private files.

Password guessing (LOGON, XAUTOLOG, LINK).  VM/370 only delayed the answer
to a wrong password; z/VM journals failed attempts and disables a user id
after a limit (the JOURNALING statement of SYSTEM CONFIG: ``LOGON LIMIT n``,
``LINK LIMIT n``; a lockout of so many minutes).  The System keeps one
``Throttle`` per kind of password, so the state outlives any one session or
connection:

* every key (a user id, a client address, a linker, a minidisk) has its own
  count of consecutive failures;
* an attempt is *checked* no earlier than ``delay * 2**(n-1)`` seconds (at
  most ``max_delay``) after the key's n-th failure: the check waits, not
  only the answer, so a guesser that opens a new connection per guess, or
  many at once, gets no more checks than one that waits for each answer;
* after ``limit`` failures a *locking* key (the user id for LOGON, the
  linking user for LINK) is disabled for ``lockout_seconds`` and the
  operator is told; other keys (client address, minidisk) are only slowed
  down, so nobody can lock every user out of one terminal address;
* a success clears the locking key's count; a key with no failure for
  ``lockout_seconds`` is forgotten.

With the defaults (1 s doubling to 30 s; 5 failures lock a user id for 15
minutes) a guesser gets 5 tries on one user id and then nothing for 15
minutes, and at most 2 tries a minute from one client address once the
delay has grown.

Masking (``mask_passwords``): the password operand of LOGON, LINK and
(X)AUTOLOG is taken out of every line before it is echoed, kept for
RETRIEVE, written to the console spool file or to the system log.

Private files: the system directory holds clear-text passwords (user.direct),
the users' minidisks and spool files; everything CP creates there is owner
only (``private_dir``, ``open_private``), and ``exposed_paths`` finds what
an older version or an administrator left readable by others.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from cp.abbrev import full_name

# -- private files and directories -------------------------------------------------

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def private_dir(path) -> Path:
    """Create ``path`` (and missing parents) owner-only (0700); an existing
    directory is left as it is (``exposed_paths`` reports it)."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:
            pass
    return path


def open_private(path, flags: int) -> int:
    """``os.open`` for a file CP creates in the system directory: a new file
    is owner-only (0600) whatever the umask allows beyond that."""
    return os.open(path, flags, PRIVATE_FILE_MODE)


def append_private(path):
    """A text file opened for appending, created owner-only (logs)."""
    fd = open_private(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    return os.fdopen(fd, "a", encoding="utf-8")


def exposed_paths(root) -> list[tuple[Path, int]]:
    """Everything under ``root`` (``root`` included) that a group or other
    users may read, write or search: (path, permission bits)."""
    root = Path(root)
    found = []
    if not root.exists():
        return found
    for folder, dirs, files in os.walk(root):
        for name in [None, *files]:
            path = Path(folder) if name is None else Path(folder) / name
            try:
                mode = stat.S_IMODE(os.lstat(path).st_mode)
            except OSError:
                continue
            if mode & 0o077 and not os.path.islink(path):
                found.append((path, mode))
    return found


# -- masking passwords in command lines ---------------------------------------------

#: Command names whose operands may hold a password, with the least
#: abbreviation CP accepts: before logon LOGON (cp.logon); once logged on
#: the CP commands (cp.commands) and LOGON spelt out (``L`` is LISTFILE in
#: CMS, never to be cut short).
_LOGON_COMMANDS = (("LOGON", 1), ("LOGIN", 4))
_CP_PASSWORD_COMMANDS = (("LINK", 4), ("XAUTOLOG", 8), ("AUTOLOG", 7), ("LOGON", 5), ("LOGIN", 5))
_LINK_MODES = frozenset(m + v for m in ("R", "RR", "W", "WR", "M", "MR", "MW") for v in ("", "V"))
_LOGON_OPTIONS = ("NOIPL", "NOI", "MASK", "M")


def _password_command(word: str, logged_on: bool) -> str | None:
    return full_name(word, _CP_PASSWORD_COMMANDS if logged_on else _LOGON_COMMANDS)


def password_index(words: list[str], logged_on: bool = True) -> int | None:
    """Which of a command line's words is a password, or None.  ``CP`` in
    front (CMS's CP command, ``#CP``) is skipped."""
    start = 0
    while logged_on and start < len(words) and words[start].upper() == "CP":
        start += 1
    if start >= len(words):
        return None
    name = _password_command(words[start], logged_on)
    operands = words[start + 1 :]
    if name is None:
        return None
    if name == "LINK":
        at = _link_password(operands)
    elif name in ("LOGON", "LOGIN"):
        at = next(
            (i for i, w in enumerate(operands[1:], 1) if w.upper() not in _LOGON_OPTIONS), None
        )
    else:  # XAUTOLOG userid [password]
        at = 1 if len(operands) > 1 else None
    return None if at is None else start + 1 + at


def _link_password(operands: list[str]) -> int | None:
    """LINK [TO] userid vaddr1 [AS] vaddr2 [mode] [[PASS=] password]."""
    i = 0
    if operands[i : i + 1] and operands[0].upper() == "TO":
        i += 1
    i += 2  # userid vaddr1
    if operands[i : i + 1] and operands[i].upper() == "AS":
        i += 1
    i += 1  # vaddr2
    if operands[i : i + 1] and operands[i].upper() in _LINK_MODES:
        i += 1
    if operands[i : i + 1] and operands[i].upper() == "PASS=":
        i += 1
    return i if i < len(operands) else None


def mask_command(line: str, logged_on: bool = True) -> str:
    """One command line without its password operand (``PASS=pw`` keeps
    ``PASS=``); any other line unchanged.  ``logged_on`` False: the line
    was typed at the logon screen (LOGON userid password)."""
    words = line.split()
    at = password_index(words, logged_on)
    if at is None:
        return line
    if words[at].upper().startswith("PASS=") and len(words[at]) > 5:
        words[at] = words[at][:5]
    else:
        del words[at]
    return " ".join(words)


def mask_passwords(line: str, linend: str | None = "#", logged_on: bool = True) -> str:
    """A physical input line as it may be shown or kept: each logical line
    (split at the line-end character, so ``#CP LINK ...`` is found too)
    without its password."""
    if not logged_on or not linend or linend not in line:
        return mask_command(line, logged_on)
    return linend.join(mask_command(part) for part in line.split(linend))


# -- throttling password guesses ---------------------------------------------------


@dataclass
class GuessPolicy:
    """How hard CP makes guessing one kind of password (see the module doc)."""

    delay: float = 1.0  # seconds after the first failure
    max_delay: float = 30.0  # the doubling stops here
    limit: int = 5  # failures that lock a locking key
    lockout_seconds: float = 900.0  # how long it stays locked (and state is kept)

    def spacing(self, failures: int) -> float:
        if failures <= 0:
            return 0.0
        return min(self.delay * 2 ** min(failures - 1, 60), self.max_delay)


@dataclass
class Safeguards:
    """The System's settings against guessing (``System(..., safeguards=)``;
    ``vm370 serve`` has options for them).  Defaults: LOGON as z/VM's
    JOURNALING LOGON LIMIT 5 with a 15-minute lockout; LINK the same."""

    logon: GuessPolicy = field(default_factory=GuessPolicy)
    link: GuessPolicy = field(default_factory=GuessPolicy)


#: Records a throttle keeps before it drops the quiet ones.
_MAX_RECORDS = 10000


@dataclass
class _Record:
    failures: int = 0
    next_check: float = 0.0  # no attempt on this key is checked before
    last: float = 0.0
    locked_until: float = 0.0
    alerted: bool = False


@dataclass
class Verdict:
    """What ``Throttle.failed`` found: keys that just reached the limit."""

    newly_locked: list = field(default_factory=list)
    limit_reached: list = field(default_factory=list)


class Throttle:
    """Failed password attempts per key, kept by the System across sessions.

    Keys are tuples such as ``("USER", "ALICE")`` or ``("ADDR", "10.0.0.1")``;
    ``locking`` says which kinds of key get locked at the limit.  A caller
    asks ``wait(keys)``; at 0 it checks the password at once and reports
    ``failed`` or ``succeeded`` (checking is synchronous, so no two checks on
    a key can overlap); otherwise it comes back after that many seconds and
    asks again (several waiting attempts: the first to come back is checked,
    the others wait again).  Nothing is held for an attempt that never
    comes back, so a guesser who hangs up delays nobody."""

    def __init__(self, policy: GuessPolicy, locking: tuple[str, ...], clock=time.monotonic):
        self.policy = policy
        self.locking = locking
        self.clock = clock
        self._records: dict[tuple, _Record] = {}

    def _record(self, key: tuple, now: float) -> _Record:
        record = self._records.get(key)
        if (
            record is not None
            and now - record.last > self.policy.lockout_seconds
            and now >= record.locked_until
        ):
            record = None  # quiet long enough: forgotten
        if record is None:
            record = self._records[key] = _Record(last=now)
        return record

    def locked(self, keys) -> float:
        """Seconds the first locked key among ``keys`` stays locked (0: none)."""
        now = self.clock()
        left = [
            self._records[k].locked_until - now
            for k in keys
            if k in self._records and self._records[k].locked_until > now
        ]
        return max(left, default=0.0)

    def wait(self, keys) -> float:
        """Seconds before an attempt on ``keys`` may be checked (0: now)."""
        now = self.clock()
        return max([0.0] + [self._records[k].next_check - now for k in keys if k in self._records])

    def failed(self, keys) -> Verdict:
        """A wrong password on ``keys``: each waits ``delay * 2**(n-1)`` (at
        most ``max_delay``) after its n-th failure; at the limit a locking
        key is disabled for ``lockout_seconds``."""
        now = self.clock()
        verdict = Verdict()
        if len(self._records) > _MAX_RECORDS:
            self._forget_quiet(now)
        for key in keys:
            record = self._record(key, now)
            record.failures += 1
            record.last = now
            record.next_check = now + self.policy.spacing(record.failures)
            if record.failures >= self.policy.limit and not record.alerted:
                record.alerted = True
                verdict.limit_reached.append(key)
                if key[0] in self.locking:
                    record.locked_until = now + self.policy.lockout_seconds
                    verdict.newly_locked.append(key)
        return verdict

    def _forget_quiet(self, now: float) -> None:
        """Drop the records nobody has failed on for ``lockout_seconds``
        (many client addresses must not grow the table for ever)."""
        self._records = {
            k: r
            for k, r in self._records.items()
            if now - r.last <= self.policy.lockout_seconds or now < r.locked_until
        }

    def succeeded(self, keys) -> None:
        """A right password: the locking keys start afresh; other keys (an
        address, a minidisk) keep their count, so one good account does not
        reset a guesser's pace."""
        for key in keys:
            if key[0] in self.locking:
                self._records.pop(key, None)

    def failures(self, key: tuple) -> int:
        record = self._records.get(key)
        return record.failures if record is not None else 0


def client_host(address: str) -> str:
    """The host part of a client address as ``peer_address`` gives it
    (``10.1.2.3:4567``, ``[::1]:4567``, ``LOCAL``): what throttling counts."""
    if address.startswith("["):
        return address[1 : address.index("]")] if "]" in address else address
    host, sep, port = address.rpartition(":")
    return host if sep and port.isdigit() and ":" not in host else address


def peer_address(peername) -> str:
    """``host:port`` of a socket's peer name (IPv6 as ``[host]:port``)."""
    if not peername:
        return "UNKNOWN"
    if isinstance(peername, (tuple, list)) and len(peername) >= 2:
        host, port = peername[0], peername[1]
        return f"[{host}]:{port}" if ":" in str(host) else f"{host}:{port}"
    return str(peername)
