"""The CP spool: spool files, the user and system queues, their persistence.

A spool file is what a virtual punch, printer or console writes between
opening and CLOSE, and what a virtual reader reads (VM/370 CP Command
Reference, "Spooling").  Its attributes are VM's: spoolid, owner (whose
queue holds it), origin (who created it), class, type (the originating
device: RDR PUN PRT CON), records, copies, hold, dist, name and type,
creation date and time, form.

Queues (``SpoolFile.queue``):

* ``RDR``: a reader file in the owner's virtual reader;
* ``PRT`` / ``PUN``: the system printer / punch queue.  A file there that is
  not held is put out at once (the system printer is always started): a
  printer file becomes a listing in ``printer/`` (carriage control applied,
  separator page first), a punch file a card-image file in ``punch/``.

On disk, in the spool directory (``<system>/spool``)::

    LOCK                taken (fcntl) to hand out a spoolid, purge, or recover
    NEXTID              the spoolid counter (1-9999, wrapping)
    HELD                users whose output a spooling operator holds (HOLD userid)
    files/NNNN.open     reservation of an open file's spoolid (a tool locks it)
    files/NNNN.data     the records of a closed file
    files/NNNN.meta     its attributes (JSON, with the length and SHA-256 of
                        the .data); present = the file exists
    quarantine/         damaged attribute and HELD files, moved aside at start
    printer/*.listing   system printer output
    punch/*.punch       system punch output, 80-byte EBCDIC card images

Durability (the rule: a closed file is never lost, an open file at a
crash is clearly discarded): records of an open file are kept in memory;
CLOSE writes ``.data`` then ``.meta``, each to a temporary name, fsync,
rename, fsync of the directory.  Only ``.meta`` makes a file exist, so a crash
at any moment leaves either the whole closed file or none of it.  At start,
``.open`` markers and ``.data`` without ``.meta`` (files that were open or
half-closed at a crash) are removed and reported in ``recovery_log`` and in
``recovery.log`` in the spool directory.

Several processes share one spool (the running system, ``vm370 punch``,
``vm370 batch``).  A spoolid is handed out under the spool's LOCK: the
counter is read, a free id reserved with an exclusive create of its
``.open`` marker, and the counter written, all before the lock is let go;
so two processes never get one id.  A tool beside the system keeps its
marker locked (fcntl) while its file is open.  Recovery at start, and the
running system's sweep for what dead tools left, run under the same LOCK
and leave alone the markers (and half-written files) a live tool holds and
the system's own open files: a marker nobody holds belongs to a process
that died.

Integrity (nothing acknowledged is silently wrong): every read of a
``.data`` checks its length and SHA-256 against the attributes and its
record structure against the record count.  A damaged file is never
delivered: it is put in system hold and its owner and the operator are told
(``trouble_hooks``).  A ``.meta`` that is not valid JSON or whose fields are
wrong is moved to ``quarantine/`` with its data and reported; everybody
else's files are untouched.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from cp.listing import render_listing, separator_page
from cp.security import append_private, open_private, private_dir

MAX_SPOOLID = 9999
SWEEP_SECONDS = 10.0  # how often a running system looks for orphans
SPOOL_SUBDIR = "spool"
DATA_MAGIC = b"VM370SPL1\n"

#: Hold states (VM/370: NOHOLD, user hold set by HOLD on the device/CHANGE,
#: system hold set by a class D operator).
NOHOLD, USER_HOLD, SYSTEM_HOLD = "NONE", "USER", "SYS"


#: A full spool: no free spoolid, or the host file system has no room.
#: (VM/370 names the condition SPOOL SPACE FULL; docs/cp-messages.md.)
SPOOL_FULL = "DMKCKS915E SPOOL SPACE FULL"
SPOOL_FULL_RC = 915

QUEUES = ("RDR", "PRT", "PUN")
FILE_TYPES = ("RDR", "PUN", "PRT", "CON")
HOLD_STATES = (NOHOLD, USER_HOLD, SYSTEM_HOLD)


def is_userid(word) -> bool:
    """1-8 letters, digits, $ # @: what USER DIRECT accepts (cp.directory)."""
    return (
        isinstance(word, str)
        and 1 <= len(word) <= 8
        and all(c.isalnum() or c in "$#@" for c in word)
    )


class SpoolError(Exception):
    """A spool operation refused; the text is CP's message, ``rc`` its number."""

    def __init__(self, message: str, rc: int = 1):
        super().__init__(message)
        self.rc = rc


class SpoolDamaged(SpoolError):
    """A closed file whose data on disk does not match its attributes."""


#: A damaged file (VM/370 has no text for it; ours, docs/cp-messages.md).
DAMAGED_RC = 421


def damaged_message(sf) -> str:
    return f"DMKRSP{DAMAGED_RC}E SPOOL FILE {sf.spoolid:04d} DAMAGED; FILE HELD"


def spool_full(err: OSError | None = None) -> SpoolError:
    return SpoolError(SPOOL_FULL, SPOOL_FULL_RC)


def is_no_space(err: OSError) -> bool:
    return err.errno in (errno.ENOSPC, errno.EDQUOT)


@dataclass
class SpoolFile:
    """One spool file and its attributes (see module docstring)."""

    spoolid: int
    owner: str
    origin: str
    type: str  # RDR PUN PRT CON: the originating device
    queue: str = "RDR"  # RDR (owner's reader), PRT or PUN (system queues)
    cls: str = "A"
    records: int = 0
    copies: int = 1
    hold: str = NOHOLD
    dist: str = ""
    name: str = ""
    ftype: str = ""
    form: str = "STANDARD"
    created: float = field(default_factory=time.time)
    seq: int = 0  # position in its queue (ORDER changes it)
    for_user: str = ""  # SPOOL ... FOR userid: distributed to that user
    state: str = "open"  # open / closed
    reading_by: str = ""  # a reader device is reading it (not persisted)
    data: list = field(default_factory=list, repr=False)  # open file's records

    length: int = -1  # bytes of the .data image (-1: written before checksums)
    sha256: str = ""  # its SHA-256, hex

    META_FIELDS = (
        "spoolid",
        "owner",
        "origin",
        "type",
        "queue",
        "cls",
        "records",
        "copies",
        "hold",
        "dist",
        "name",
        "ftype",
        "form",
        "created",
        "seq",
        "for_user",
        "length",
        "sha256",
    )

    @property
    def held(self) -> bool:
        return self.hold != NOHOLD

    @property
    def hold_word(self) -> str:
        return {NOHOLD: "NONE", USER_HOLD: "USER", SYSTEM_HOLD: "SYS"}[self.hold]

    @property
    def date(self) -> str:
        return time.strftime("%m/%d", time.localtime(self.created))

    @property
    def time_text(self) -> str:
        return time.strftime("%H:%M:%S", time.localtime(self.created))

    def meta(self) -> dict:
        return {k: getattr(self, k) for k in self.META_FIELDS}


# ------------------------------------------------------------------ durable file writes


def durable_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically and durably: a temporary file of
    this process's own, fsync, rename over, fsync of the directory
    (DESIGN.md decision 8).  On failure (a full disk) the temporary file is
    removed and ``path`` is as it was."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}-{os.urandom(4).hex()}.tmp")
    try:
        fd = open_private(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def encode_records(records: list[tuple[int, bytes]]) -> bytes:
    """The ``.data`` image: magic, then per record op(1) length(2) bytes."""
    out = bytearray(DATA_MAGIC)
    for op, data in records:
        out += bytes([op & 0xFF]) + len(data).to_bytes(2, "big") + data
    return bytes(out)


def decode_records(image: bytes, expected: int | None = None) -> list[tuple[int, bytes]]:
    """The records of a ``.data`` image; SpoolDamaged when it is not one
    (wrong magic, a record running past the end, not ``expected`` records)."""
    if not image.startswith(DATA_MAGIC):
        raise SpoolDamaged("spool data file damaged: no spool data header")
    records, pos = [], len(DATA_MAGIC)
    while pos < len(image):
        if pos + 3 > len(image):
            raise SpoolDamaged("spool data file damaged: a record header is cut short")
        op, length = image[pos], int.from_bytes(image[pos + 1 : pos + 3], "big")
        if pos + 3 + length > len(image):
            raise SpoolDamaged("spool data file damaged: a record is cut short")
        records.append((op, bytes(image[pos + 3 : pos + 3 + length])))
        pos += 3 + length
    if expected is not None and len(records) != expected:
        raise SpoolDamaged(f"spool data file damaged: {len(records)} records, not {expected}")
    return records


def check_image(sf: SpoolFile, image: bytes) -> list[tuple[int, bytes]]:
    """The records of ``sf`` from its ``.data`` image, checked against the
    length and SHA-256 its attributes keep (files from before checksums:
    the record structure and count only)."""
    if sf.length >= 0:
        if len(image) != sf.length:
            raise SpoolDamaged(f"spool data file damaged: {len(image)} bytes, not {sf.length}")
        if hashlib.sha256(image).hexdigest() != sf.sha256:
            raise SpoolDamaged("spool data file damaged: checksum does not match")
    return decode_records(image, sf.records)


# ------------------------------------------------------------------ validating attributes


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _short_text(value, limit: int = 8) -> bool:
    return isinstance(value, str) and len(value) <= limit and value.isprintable()


#: field -> (test, what a good value is): every attribute a .meta must have.
META_RULES = {
    "spoolid": (lambda v: _is_int(v) and 1 <= v <= MAX_SPOOLID, "a number 1-9999"),
    "owner": (is_userid, "a userid"),
    "origin": (is_userid, "a userid"),
    "type": (lambda v: v in FILE_TYPES, "RDR PUN PRT or CON"),
    "queue": (lambda v: v in QUEUES, "RDR PRT or PUN"),
    "cls": (
        lambda v: isinstance(v, str) and len(v) == 1 and (v.isalnum() or v == "*"),
        "one letter or digit",
    ),
    "records": (lambda v: _is_int(v) and v >= 0, "a count"),
    "copies": (lambda v: _is_int(v) and 1 <= v <= 255, "a copy count"),
    "hold": (lambda v: v in HOLD_STATES, "NONE USER or SYS"),
    "dist": (_short_text, "up to 8 characters"),
    "name": (_short_text, "up to 8 characters"),
    "ftype": (_short_text, "up to 8 characters"),
    "form": (_short_text, "up to 8 characters"),
    "created": (
        lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0,
        "a time",
    ),
    "seq": (_is_int, "a number"),
    "for_user": (lambda v: v == "" or is_userid(v), "a userid or nothing"),
}
#: Fields files written before checksums lack: (field, default, test).
OPTIONAL_META = {
    "length": (-1, lambda v: _is_int(v) and v >= -1),
    "sha256": (
        "",
        lambda v: isinstance(v, str) and re.fullmatch(r"([0-9a-f]{64})?", v) is not None,
    ),
}


def file_from_meta(stem: str, text: bytes) -> SpoolFile:
    """The closed SpoolFile a ``.meta`` describes; ValueError saying what is
    wrong when the name, the JSON or any field is not what CLOSE writes."""
    if not re.fullmatch(r"\d{4}", stem):
        raise ValueError("the file name is not a spoolid")
    try:
        attrs = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValueError("the attributes are not JSON") from None
    if not isinstance(attrs, dict):
        raise ValueError("the attributes are not a JSON object")  # noqa: TRY004 (one error kind)
    for key, (test, wanted) in META_RULES.items():
        if key not in attrs:
            raise ValueError(f"field {key} is missing")
        if not test(attrs[key]):
            raise ValueError(f"field {key} is {attrs[key]!r}, not {wanted}")
    for key, (default, test) in OPTIONAL_META.items():
        attrs.setdefault(key, default)
        if not test(attrs[key]):
            raise ValueError(f"field {key} is {attrs[key]!r}")
    if attrs["spoolid"] != int(stem):
        raise ValueError(f"field spoolid is {attrs['spoolid']}, the file name {stem}")
    sf = SpoolFile(**{k: attrs[k] for k in SpoolFile.META_FIELDS})
    sf.state = "closed"
    return sf


# ------------------------------------------------------------------ cross-process locks


class SpoolLock:
    """The spool's LOCK file held exclusively (fcntl.flock) for a ``with`` block."""

    def __init__(self, path: Path):
        self.path = path
        self.fd = -1

    def __enter__(self):
        self.fd = open_private(self.path, os.O_RDWR | os.O_CREAT)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        os.close(self.fd)  # closing lets the lock go
        self.fd = -1


def held_by_a_live_process(marker: Path) -> bool:
    """Does a process hold this ``.open`` marker's lock (its file is open)?
    A marker nobody holds was left by a process that ended without closing."""
    try:
        fd = os.open(marker, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


# ------------------------------------------------------------------ the spool


class Spool:
    """All spool files of a system, kept in ``path`` (see module docstring).

    ``arrival_hooks``: callables(file) when a file arrives in a reader (a
    waiting virtual reader presents device end).  ``trouble_hooks``:
    callables(text, userid) for what went wrong with the spool (a damaged
    or quarantined file, a full disk); the system logs the text and tells
    the user (``userid`` may be empty) and the operator."""

    def __init__(self, path, recover: bool = True):
        self.path = Path(path)
        self.files_dir = self.path / "files"
        self.printer_dir = self.path / "printer"
        self.punch_dir = self.path / "punch"
        self.quarantine_dir = self.path / "quarantine"
        for d in (self.files_dir, self.printer_dir, self.punch_dir):
            private_dir(d)
        self.files: dict[int, SpoolFile] = {}
        self.recovery_log: list[str] = []
        self.arrival_hooks: list = []  # callables(file) when a reader file arrives
        self.outside_hooks: list = []  # callables(file) for files rescan found
        self.trouble_hooks: list = []  # callables(text, userid) (class docstring)
        self._open_markers: dict[int, int] = {}  # spoolid -> fd holding its .open lock
        self._unreadable: set[str] = set()  # .meta names that could not be moved aside
        self._last_sweep = time.monotonic()  # sweep_orphans
        # Only the process that runs the system (recover=True) repairs: it
        # quarantines, rewrites and holds, and its reports reach the system
        # log.  Tools beside it (vm370 punch, batch, printout) pass damage by.
        self.repairs = recover
        self.system_held: set[str] = self._read_held()  # users whose output the operator holds
        if recover:
            self._recover()
        self.rescan(announce=False)
        if recover:
            self._verify_all()

    @classmethod
    def for_system(cls, sysdir, recover: bool = True) -> Spool:
        return cls(Path(sysdir) / SPOOL_SUBDIR, recover=recover)

    def _lock(self) -> SpoolLock:
        return SpoolLock(self.path / "LOCK")

    # -- reporting -----------------------------------------------------------
    def report(self, text: str, userid: str = "") -> None:
        """Something went wrong: into recovery.log and to the trouble hooks
        (the system log, the user and the operator)."""
        self.recovery_log.append(text)
        self._append_recovery_log([text])
        for hook in list(self.trouble_hooks):
            hook(text, userid)

    def _append_recovery_log(self, lines: list[str]) -> None:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        try:
            with append_private(self.path / "recovery.log") as log:
                log.writelines(f"{stamp} {line}\n" for line in lines)
        except OSError:
            pass  # a full disk: the lines stay in recovery_log and reach the system log

    def quarantine(self, paths: list[Path], why: str, userid: str = "") -> None:
        """Move damaged files aside into quarantine/ (never delete them) and report it."""
        self.quarantine_dir.mkdir(exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        moved = []
        for path in paths:
            if not path.exists():
                continue
            target = self.quarantine_dir / f"{stamp}-{path.name}"
            n = 1
            while target.exists():
                target, n = self.quarantine_dir / f"{stamp}-{n}-{path.name}", n + 1
            try:
                os.replace(path, target)
                moved.append(target.name)
            except OSError:
                self._unreadable.add(path.name)
        self.report(f"{why}; MOVED TO QUARANTINE: {' '.join(moved) or 'NOTHING'}", userid)

    # -- the spooling operator's HOLD userid ---------------------------------------
    def _read_held(self) -> set[str]:
        """The HELD file's userids; a damaged one (not text, not userids) is
        quarantined and only its good userids are kept."""
        held = self.path / "HELD"
        try:
            raw = held.read_bytes()
        except FileNotFoundError:
            return set()
        text = raw.decode("utf-8", errors="replace")
        words = text.split()
        good = {w for w in words if is_userid(w)}
        if (len(good) != len(words) or "\ufffd" in text) and self.repairs:
            self.quarantine(
                [held],
                "SPOOL HELD FILE DAMAGED, ONLY VALID USERIDS KEPT "
                f"({' '.join(sorted(good)) or 'NONE'})",
            )
            try:
                self._write_held(good)
            except OSError:
                pass
        return good

    def _write_held(self, users: set[str]) -> None:
        durable_write(self.path / "HELD", "".join(f"{u}\n" for u in sorted(users)).encode())

    def set_user_hold(self, userid: str, held: bool) -> None:
        """HOLD / FREE userid: later output of the user is held too; kept on disk."""
        (self.system_held.add if held else self.system_held.discard)(userid)
        try:
            self._write_held(self.system_held)
        except OSError as err:
            raise self._no_room(err) from None

    # -- start-up ------------------------------------------------------------
    def _recover(self) -> None:
        """At start: remove what a crash left half-done (``_sweep``), also
        temporary files of this spool's own writes, and check the counter."""
        with self._lock():
            lines = self._sweep()
            for pattern in ("NEXTID.*.tmp", "HELD.*.tmp", "printer/*.tmp", "punch/*.tmp"):
                for leftover in self.path.glob(pattern):
                    leftover.unlink(missing_ok=True)
            self._check_counter()
        if lines:
            self.recovery_log.extend(lines)
            self._append_recovery_log(lines)

    def sweep_orphans(self, every: float = SWEEP_SECONDS) -> list[str]:
        """While the system runs: remove what another process that ended
        without finishing left (a ``vm370 punch`` killed while closing) and
        report it; its spoolid is free again.  At most once per ``every``
        seconds (it reads the whole files folder).  Returns the lines reported."""
        now = time.monotonic()
        if not self.repairs or now - self._last_sweep < every:
            return []
        self._last_sweep = now
        with self._lock():
            lines = self._sweep()
        for line in lines:
            self.report(line)
        return lines

    def _sweep(self) -> list[str]:
        """Open files and unfinished closes of processes that ended; files
        another process is writing right now (its .open marker is locked,
        this process's own included) are left alone.  Call under the LOCK."""
        lines: list[str] = []
        live = set()
        own = {f"{sf.spoolid:04d}" for sf in self.files.values() if sf.state == "open"}
        for marker in sorted(self.files_dir.glob("*.open")):
            if marker.stem in own or held_by_a_live_process(marker):
                live.add(marker.stem)
                continue
            lines.append(f"SPOOL FILE {marker.stem} OPEN AT SYSTEM FAILURE, DISCARDED")
            marker.unlink(missing_ok=True)
        for leftover in self.files_dir.glob("*.tmp"):
            if leftover.name.split(".")[0] not in live:
                leftover.unlink(missing_ok=True)
        for data in sorted(self.files_dir.glob("*.data")):
            if data.stem not in live and not data.with_suffix(".meta").exists():
                lines.append(f"SPOOL FILE {data.stem} NOT CLOSED AT SYSTEM FAILURE, DISCARDED")
                data.unlink(missing_ok=True)
        return lines

    def rescan(self, announce: bool = True) -> list[SpoolFile]:
        """Load closed files written by another process (``vm370 punch``);
        returns the files that were new.  New reader files are announced to
        the arrival hooks (a waiting reader presents device end).  A damaged
        attribute file is quarantined with its data (``quarantine``)."""
        new = []
        for meta in sorted(self.files_dir.glob("*.meta")):
            if (
                meta.stem.isdigit()
                and int(meta.stem) in self.files
                or meta.name in self._unreadable
            ):
                continue
            try:
                text = meta.read_bytes()
            except FileNotFoundError:
                continue  # purged meanwhile by another process
            except OSError as err:
                self._unreadable.add(meta.name)
                self.report(f"SPOOL FILE {meta.stem} ATTRIBUTES UNREADABLE: {err.strerror}")
                continue
            try:
                sf = file_from_meta(meta.stem, text)
            except ValueError as why:
                if self.repairs:
                    self.quarantine(
                        [meta, meta.with_suffix(".data")],
                        f"SPOOL FILE {meta.stem} ATTRIBUTES DAMAGED ({why})",
                    )
                else:
                    self._unreadable.add(meta.name)  # the system quarantines it
                continue
            self.files[sf.spoolid] = sf
            new.append(sf)
        if announce:
            for sf in new:
                if sf.queue == "RDR":
                    for hook in list(self.arrival_hooks):
                        hook(sf)
                for hook in list(self.outside_hooks):
                    hook(sf)
        return new

    def _verify_all(self) -> None:
        """At start: every closed file's data is checked once, so damage is
        reported (and the file held) when the system comes up, not only when
        somebody reads it."""
        for sf in list(self.files.values()):
            if sf.state == "closed" and sf.hold != SYSTEM_HOLD:
                try:
                    self.records(sf)
                except SpoolError:
                    pass  # held and reported by records()

    # -- spoolids ------------------------------------------------------------
    def _allocate_id(self) -> int:
        """The next free spoolid, 1-9999 wrapping, never a live one, reserved
        under the spool's LOCK (module docstring): its ``.open`` marker is
        created exclusively; a tool beside the system keeps it locked while
        the file is open (the system itself knows its own open files, and
        so holds no descriptor per open file)."""
        try:
            with self._lock():
                return self._reserve_next_id()
        except OSError as err:
            raise self._no_room(err) from None

    def _reserve_next_id(self) -> int:
        counter = self.path / "NEXTID"
        start = self._read_counter(counter)
        for step in range(MAX_SPOOLID):
            spoolid = (start - 1 + step) % MAX_SPOOLID + 1
            if spoolid in self.files or (self.files_dir / f"{spoolid:04d}.meta").exists():
                continue
            marker = self.files_dir / f"{spoolid:04d}.open"
            try:
                fd = open_private(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            except FileExistsError:
                continue
            try:
                if not self.repairs:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                durable_write(counter, f"{spoolid % MAX_SPOOLID + 1}\n".encode())
            except BaseException:
                os.close(fd)
                marker.unlink(missing_ok=True)
                raise
            if self.repairs:
                os.close(fd)  # the system knows its own open files (_sweep)
            else:
                self._open_markers[spoolid] = fd  # a tool: locked while its file is open
            return spoolid
        raise spool_full()

    def _read_counter(self, counter: Path) -> int:
        try:
            text = counter.read_bytes()
        except FileNotFoundError:
            return 1
        try:
            value = int(text.decode("ascii").strip())
            if 1 <= value <= MAX_SPOOLID:
                return value
        except (UnicodeDecodeError, ValueError):
            pass
        self.report(f"SPOOL NEXTID DAMAGED ({text[:16]!r}), SPOOLIDS START AGAIN AT 0001")
        return 1

    def _check_counter(self) -> None:
        """At start: a damaged NEXTID is reported and written again."""
        counter = self.path / "NEXTID"
        if not counter.exists():
            return
        value = self._read_counter(counter)
        if counter.read_bytes() != f"{value}\n".encode():
            try:
                durable_write(counter, f"{value}\n".encode())
            except OSError:
                pass

    def _release_marker(self, spoolid: int) -> None:
        """The file is closed or dropped: its reservation goes."""
        (self.files_dir / f"{spoolid:04d}.open").unlink(missing_ok=True)
        fd = self._open_markers.pop(spoolid, None)
        if fd is not None:
            os.close(fd)

    def _no_room(self, err: OSError) -> SpoolError:
        """A host file system error while writing the spool: SPOOL SPACE FULL
        when it is out of room, else the error (never a traceback)."""
        if is_no_space(err):
            self.report(f"{SPOOL_FULL}: {err.strerror or err}")
            return spool_full(err)
        self.report(f"SPOOL WRITE FAILED: {err.strerror or err}")
        return SpoolError(f"{SPOOL_FULL}: {err.strerror or err}", SPOOL_FULL_RC)

    def _next_seq(self) -> int:
        return max((f.seq for f in self.files.values()), default=0) + 1

    # -- open files ----------------------------------------------------------
    def open_file(self, origin: str, kind: str, **attrs) -> SpoolFile:
        """A new open spool file created by ``origin``'s device of type ``kind``
        (RDR PUN PRT CON); ``attrs`` are further SpoolFile attributes."""
        sf = SpoolFile(spoolid=self._allocate_id(), owner=origin, origin=origin, type=kind, **attrs)
        self.files[sf.spoolid] = sf
        return sf

    def add_record(self, sf: SpoolFile, op: int, data: bytes) -> None:
        sf.data.append((op, bytes(data)))
        sf.records += 1

    def discard(self, sf: SpoolFile) -> None:
        """Drop an open file (CLOSE PURGE, or a device detached)."""
        self.files.pop(sf.spoolid, None)
        self._release_marker(sf.spoolid)

    def close_file(self, sf: SpoolFile, queue: str, owner: str) -> SpoolFile:
        """Close an open file into ``queue`` (RDR/PRT/PUN) owned by ``owner``:
        data first, then attributes, each durably (module docstring).

        When the host disk has no room the file stays open, its records kept,
        and SpoolError SPOOL SPACE FULL is raised: nothing is half-stored."""
        image = encode_records(sf.data)
        closed = {
            "queue": queue,
            "owner": owner,
            "state": "closed",
            "length": len(image),
            "sha256": hashlib.sha256(image).hexdigest(),
            "seq": self._next_seq(),
        }
        if queue != "RDR" and (sf.for_user or owner) in self.system_held:
            closed["hold"] = SYSTEM_HOLD
        before = {key: getattr(sf, key) for key in closed}
        for key, value in closed.items():
            setattr(sf, key, value)
        stem = self.files_dir / f"{sf.spoolid:04d}"
        try:
            durable_write(stem.with_suffix(".data"), image)
            self._write_meta(sf)
        except OSError as err:
            stem.with_suffix(".data").unlink(missing_ok=True)
            for key, value in before.items():
                setattr(sf, key, value)
            raise self._no_room(err) from None
        self._release_marker(sf.spoolid)
        sf.data = []
        self._arrived(sf)
        return sf

    def add_closed(
        self,
        origin: str,
        kind: str,
        records: list[tuple[int, bytes]],
        owner: str,
        queue: str = "RDR",
        **attrs,
    ) -> SpoolFile:
        """Create a closed file in one step (``vm370 punch``, transfers from
        outside); on failure nothing of it is left."""
        sf = self.open_file(origin, kind, **attrs)
        for op, data in records:
            self.add_record(sf, op, data)
        try:
            return self.close_file(sf, queue, owner)
        except SpoolError:
            self.discard(sf)
            raise

    def _write_meta(self, sf: SpoolFile) -> None:
        durable_write(
            self.files_dir / f"{sf.spoolid:04d}.meta",
            json.dumps(sf.meta(), sort_keys=True).encode(),
        )

    def _arrived(self, sf: SpoolFile) -> None:
        if sf.queue == "RDR":
            for hook in list(self.arrival_hooks):
                hook(sf)
        else:
            self.put_out(sf)

    # -- reading ---------------------------------------------------------------
    def records(self, sf: SpoolFile) -> list[tuple[int, bytes]]:
        """The records of a file, checked (module docstring).  A damaged file
        is put in system hold and reported, and SpoolDamaged is raised: its
        data is never handed out."""
        if sf.state == "open":
            return list(sf.data)
        try:
            image = (self.files_dir / f"{sf.spoolid:04d}.data").read_bytes()
            return check_image(sf, image)
        except FileNotFoundError:
            if (
                self.files.get(sf.spoolid) is not sf
                or not (self.files_dir / f"{sf.spoolid:04d}.meta").exists()
            ):
                if self.files.get(sf.spoolid) is sf:
                    del self.files[sf.spoolid]  # purged by another process
                raise SpoolError(
                    f"DMKCSP042E SPOOLID {sf.spoolid:04d} DOES NOT EXIST", 42
                ) from None
            why = "spool data file missing"
        except OSError as err:
            why = f"spool data file unreadable: {err.strerror}"
        except SpoolDamaged as err:
            why = str(err)
        self.damaged(sf, why)
        raise SpoolDamaged(damaged_message(sf), DAMAGED_RC)

    def damaged(self, sf: SpoolFile, why: str) -> None:
        """Put a damaged file in system hold and tell its owner and the operator
        (a tool beside the running system only refuses it: the system does that)."""
        if not self.repairs:
            return
        if sf.hold != SYSTEM_HOLD:
            try:
                self.update(sf, hold=SYSTEM_HOLD)
            except SpoolError:
                sf.hold = SYSTEM_HOLD  # held in this run; the next read finds it again
        self.report(f"{damaged_message(sf)} ({why})", sf.owner)

    def get(self, spoolid: int) -> SpoolFile | None:
        sf = self.files.get(spoolid)
        return sf if sf is not None and sf.state == "closed" else None

    def queue(
        self, queue: str, owner: str | None = None, cls: str | None = None
    ) -> list[SpoolFile]:
        """Closed files of a queue (optionally one owner's, one class), in order."""
        found = [
            f
            for f in self.files.values()
            if f.state == "closed"
            and f.queue == queue
            and (owner is None or f.owner == owner)
            and (cls in (None, "*") or f.cls == cls)
        ]
        return sorted(found, key=lambda f: (f.seq, f.spoolid))

    def reader_files(self, userid: str, cls: str | None = None) -> list[SpoolFile]:
        self.rescan()
        return self.queue("RDR", userid, cls)

    def next_reader_file(self, userid: str, cls: str = "*") -> SpoolFile | None:
        """The first file a reader of class ``cls`` may read: not held, not in use."""
        for sf in self.reader_files(userid, cls):
            if not sf.held and not sf.reading_by:
                return sf
        return None

    # -- changing closed files -------------------------------------------------
    def update(self, sf: SpoolFile, **attrs) -> None:
        """Change attributes of a closed file (CHANGE, HOLD, FREE, TRANSFER, ORDER)."""
        before = {key: getattr(sf, key) for key in attrs}
        for key, value in attrs.items():
            setattr(sf, key, value)
        try:
            self._write_meta(sf)
        except OSError as err:
            for key, value in before.items():
                setattr(sf, key, value)
            raise self._no_room(err) from None

    def purge(self, sf: SpoolFile) -> None:
        """Remove a closed file: attributes first, so a crash never shows half
        a file; under the LOCK, so its spoolid is not handed out again before
        its data is gone too."""
        stem = self.files_dir / f"{sf.spoolid:04d}"
        with self._lock():
            stem.with_suffix(".meta").unlink(missing_ok=True)
            fsync_dir(self.files_dir)
            stem.with_suffix(".data").unlink(missing_ok=True)
        self.files.pop(sf.spoolid, None)

    def transfer(self, sf: SpoolFile, userid: str) -> None:
        """Move a file into ``userid``'s reader (TRANSFER)."""
        self.update(sf, owner=userid, queue="RDR", seq=self._next_seq())
        self._arrived(sf)

    def order(self, files: list[SpoolFile]) -> None:
        """Put ``files`` first in their queue, in the order given (ORDER)."""
        if not files:
            return
        low = min(f.seq for f in self.queue(files[0].queue, files[0].owner)) if files else 0
        for i, sf in enumerate(files):
            self.update(sf, seq=low - len(files) + i)

    def release(self, sf: SpoolFile) -> None:
        """A held system-queue file was freed: put it out now."""
        if sf.queue != "RDR" and not sf.held:
            self.put_out(sf)

    # -- the system printer and punch ------------------------------------------
    def put_out(self, sf: SpoolFile) -> Path | None:
        """Print or punch a system-queue file unless held; the file then leaves
        the queue (the system printer and punch are always started)."""
        if sf.held or sf.queue == "RDR":
            return None
        try:
            records = self.records(sf)
        except SpoolError:
            return None  # damaged: held and reported by records()
        target = self._output_path(sf)
        if sf.queue == "PUN":
            output = b"".join(card.ljust(80, b"\x40")[:80] for _, card in records) * max(
                sf.copies, 1
            )
        else:
            pages = [separator_page(sf)] + [render_listing(records)] * max(sf.copies, 1)
            output = "\f".join(pages).encode()
        try:
            durable_write(target, output)
        except OSError as err:
            # No room for the listing: the file stays in the queue, held, to be
            # FREEd when there is room again.
            self.report(
                f"{sf.queue} FILE {sf.spoolid:04d} NOT PUT OUT, HELD: {err.strerror or err}",
                sf.owner,
            )
            sf.hold = SYSTEM_HOLD
            try:
                self._write_meta(sf)
            except OSError:
                pass
            return None
        self.purge(sf)
        return target

    def _output_path(self, sf: SpoolFile) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(sf.created))
        who = sf.for_user or sf.owner
        name = f"{stamp}-{sf.spoolid:04d}-{who}"
        if sf.queue == "PUN":
            return self.punch_dir / f"{name}.punch"
        return self.printer_dir / f"{name}.listing"

    def close(self) -> None:
        """SHUTDOWN: files still open were never closed; they are dropped
        (closed files are already safe on disk)."""
        for sf in [f for f in self.files.values() if f.state == "open"]:
            self.discard(sf)
        for spoolid in list(self._open_markers):
            self._release_marker(spoolid)

    def __del__(self):
        for fd in self._open_markers.values():
            try:
                os.close(fd)  # as a process's end does: markers are let go
            except OSError:
                pass

    def listings(self) -> list[Path]:
        return sorted(self.printer_dir.glob("*.listing"))

    def punched(self) -> list[Path]:
        return sorted(self.punch_dir.glob("*.punch"))


# -- the file counts QUERY FILES and LOGON show --------------------------------


def files_line(spool, userid: str, cls: str | None = None) -> str:
    """``FILES: 002 RDR,  NO PRT, 001 PUN``: QUERY FILES, and what LOGON
    shows a user who has spool files (logon_files_line)."""
    counts = []
    for queue in ("RDR", "PRT", "PUN"):
        n = len(spool.queue(queue, userid, cls))
        counts.append(f"{n:03d} {queue}" if n else f" NO {queue}")
    return "FILES: " + ", ".join(counts)


def logon_files_line(spool, userid: str) -> str | None:
    """The FILES line LOGON shows when the user has spool files waiting
    (VM/370 LOGON: "FILES: nnn RDR, nnn PRT, nnn PUN"), else None."""
    spool.rescan()
    if any(spool.queue(queue, userid) for queue in ("RDR", "PRT", "PUN")):
        return files_line(spool, userid)
    return None
