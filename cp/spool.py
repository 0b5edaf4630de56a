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

    NEXTID              the spoolid counter (1-9999, wrapping)
    HELD                users whose output a spooling operator holds (HOLD userid)
    files/NNNN.open     reservation of an open file's spoolid (empty)
    files/NNNN.data     the records of a closed file
    files/NNNN.meta     its attributes (JSON); present = the file exists
    printer/*.listing   system printer output
    punch/*.punch       system punch output, 80-byte EBCDIC card images

Durability (the issue's rule: a closed file is never lost, an open file at a
crash is clearly discarded): records of an open file are kept in memory;
CLOSE writes ``.data`` then ``.meta``, each to a temporary name, fsync,
rename, fsync of the directory.  Only ``.meta`` makes a file exist, so a crash
at any moment leaves either the whole closed file or none of it.  At start,
``.open`` markers and ``.data`` without ``.meta`` (files that were open or
half-closed at a crash) are removed and reported in ``recovery_log`` and in
``recovery.log`` in the spool directory.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from cp.security import append_private, open_private, private_dir

MAX_SPOOLID = 9999
SPOOL_SUBDIR = "spool"
DATA_MAGIC = b"VM370SPL1\n"

#: Hold states (VM/370: NOHOLD, user hold set by HOLD on the device/CHANGE,
#: system hold set by a class D operator).
NOHOLD, USER_HOLD, SYSTEM_HOLD = "NONE", "USER", "SYS"


class SpoolError(Exception):
    """A spool operation refused; the text is CP's message."""


@dataclass
class SpoolFile:
    """One spool file and its attributes (see module docstring)."""
    spoolid: int
    owner: str
    origin: str
    type: str                    # RDR PUN PRT CON: the originating device
    queue: str = "RDR"           # RDR (owner's reader), PRT or PUN (system queues)
    cls: str = "A"
    records: int = 0
    copies: int = 1
    hold: str = NOHOLD
    dist: str = ""
    name: str = ""
    ftype: str = ""
    form: str = "STANDARD"
    created: float = field(default_factory=time.time)
    seq: int = 0                 # position in its queue (ORDER changes it)
    for_user: str = ""           # SPOOL ... FOR userid: distributed to that user
    state: str = "open"          # open / closed
    reading_by: str = ""         # a reader device is reading it (not persisted)
    data: list = field(default_factory=list, repr=False)   # open file's records

    META_FIELDS = ("spoolid", "owner", "origin", "type", "queue", "cls", "records", "copies",
                   "hold", "dist", "name", "ftype", "form", "created", "seq", "for_user")

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
    """Write ``data`` to ``path`` atomically and durably: temporary file,
    fsync, rename over, fsync of the directory (DESIGN.md decision 8)."""
    tmp = path.with_name(path.name + ".tmp")
    fd = open_private(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
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


def decode_records(image: bytes) -> list[tuple[int, bytes]]:
    if not image.startswith(DATA_MAGIC):
        raise SpoolError("spool data file damaged")
    records, pos = [], len(DATA_MAGIC)
    while pos < len(image):
        op, length = image[pos], int.from_bytes(image[pos + 1:pos + 3], "big")
        records.append((op, bytes(image[pos + 3:pos + 3 + length])))
        pos += 3 + length
    return records


# ------------------------------------------------------------------ the spool

class Spool:
    """All spool files of a system, kept in ``path`` (see module docstring).

    ``notify(userid, text)`` is called when a file arrives in a user's
    reader (the system wires it to ``system.notify``); ``reader_ready(userid)``
    lets a waiting virtual reader present device end."""

    def __init__(self, path, recover: bool = True):
        self.path = Path(path)
        self.files_dir = self.path / "files"
        self.printer_dir = self.path / "printer"
        self.punch_dir = self.path / "punch"
        for d in (self.files_dir, self.printer_dir, self.punch_dir):
            private_dir(d)
        self.files: dict[int, SpoolFile] = {}
        self.recovery_log: list[str] = []
        self.arrival_hooks: list = []        # callables(file) when a reader file arrives
        self.outside_hooks: list = []        # callables(file) for files rescan found
        self.system_held: set[str] = self._read_held()   # users whose output the operator holds
        if recover:
            self._recover()
        self.rescan(announce=False)

    @classmethod
    def for_system(cls, sysdir, recover: bool = True) -> "Spool":
        return cls(Path(sysdir) / SPOOL_SUBDIR, recover=recover)

    # -- the spooling operator's HOLD userid ---------------------------------------
    def _read_held(self) -> set[str]:
        held = self.path / "HELD"
        return set(held.read_text().split()) if held.exists() else set()

    def set_user_hold(self, userid: str, held: bool) -> None:
        """HOLD / FREE userid: later output of the user is held too; kept on disk."""
        (self.system_held.add if held else self.system_held.discard)(userid)
        durable_write(self.path / "HELD", "".join(f"{u}\n" for u in sorted(self.system_held)).encode())

    # -- start-up ------------------------------------------------------------
    def _recover(self) -> None:
        """Remove what a crash left half-done: open files and unfinished closes."""
        for marker in sorted(self.files_dir.glob("*.open")):
            self.recovery_log.append(f"SPOOL FILE {marker.stem} OPEN AT SYSTEM FAILURE, DISCARDED")
            marker.unlink()
        for leftover in self.files_dir.glob("*.tmp"):
            leftover.unlink()
        for data in sorted(self.files_dir.glob("*.data")):
            if not data.with_suffix(".meta").exists():
                self.recovery_log.append(f"SPOOL FILE {data.stem} NOT CLOSED AT SYSTEM FAILURE, DISCARDED")
                data.unlink()
        if self.recovery_log:
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            with append_private(self.path / "recovery.log") as log:
                log.writelines(f"{stamp} {line}\n" for line in self.recovery_log)

    def rescan(self, announce: bool = True) -> list[SpoolFile]:
        """Load closed files written by another process (``vm370 punch``);
        returns the files that were new.  New reader files are announced to
        the arrival hooks (a waiting reader presents device end)."""
        new = []
        for meta in sorted(self.files_dir.glob("*.meta")):
            spoolid = int(meta.stem)
            if spoolid in self.files:
                continue
            try:
                attrs = json.loads(meta.read_text())
            except (OSError, ValueError):
                continue
            sf = SpoolFile(**{k: attrs[k] for k in SpoolFile.META_FIELDS if k in attrs})
            sf.state = "closed"
            self.files[spoolid] = sf
            new.append(sf)
        if announce:
            for sf in new:
                if sf.queue == "RDR":
                    for hook in list(self.arrival_hooks):
                        hook(sf)
                for hook in list(self.outside_hooks):
                    hook(sf)
        return new

    # -- spoolids ------------------------------------------------------------
    def _allocate_id(self) -> int:
        """The next free spoolid, 1-9999 wrapping, never a live one; reserved
        on disk with an exclusive create so two processes never collide."""
        counter = self.path / "NEXTID"
        try:
            start = int(counter.read_text().strip() or 1)
        except (OSError, ValueError):
            start = 1
        for step in range(MAX_SPOOLID):
            spoolid = (start - 1 + step) % MAX_SPOOLID + 1
            if spoolid in self.files or (self.files_dir / f"{spoolid:04d}.meta").exists():
                continue
            try:
                fd = open_private(self.files_dir / f"{spoolid:04d}.open",
                                  os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            except FileExistsError:
                continue
            os.close(fd)
            durable_write(counter, f"{spoolid % MAX_SPOOLID + 1}\n".encode())
            return spoolid
        raise SpoolError("DMKCKS915E SPOOL SPACE FULL")

    def _next_seq(self) -> int:
        return max((f.seq for f in self.files.values()), default=0) + 1

    # -- open files ----------------------------------------------------------
    def open_file(self, origin: str, kind: str, **attrs) -> SpoolFile:
        """A new open spool file created by ``origin``'s device of type ``kind``
        (RDR PUN PRT CON); ``attrs`` are further SpoolFile attributes."""
        sf = SpoolFile(spoolid=self._allocate_id(), owner=origin, origin=origin, type=kind,
                       **attrs)
        self.files[sf.spoolid] = sf
        return sf

    def add_record(self, sf: SpoolFile, op: int, data: bytes) -> None:
        sf.data.append((op, bytes(data)))
        sf.records += 1

    def discard(self, sf: SpoolFile) -> None:
        """Drop an open file (CLOSE PURGE, or a device detached)."""
        self.files.pop(sf.spoolid, None)
        (self.files_dir / f"{sf.spoolid:04d}.open").unlink(missing_ok=True)

    def close_file(self, sf: SpoolFile, queue: str, owner: str) -> SpoolFile:
        """Close an open file into ``queue`` (RDR/PRT/PUN) owned by ``owner``:
        data first, then attributes, each durably (module docstring)."""
        sf.queue, sf.owner, sf.state = queue, owner, "closed"
        if queue != "RDR" and (sf.for_user or owner) in self.system_held:
            sf.hold = SYSTEM_HOLD
        sf.seq = self._next_seq()
        stem = self.files_dir / f"{sf.spoolid:04d}"
        durable_write(stem.with_suffix(".data"), encode_records(sf.data))
        self._write_meta(sf)
        stem.with_suffix(".open").unlink(missing_ok=True)
        sf.data = []
        self._arrived(sf)
        return sf

    def add_closed(self, origin: str, kind: str, records: list[tuple[int, bytes]],
                   owner: str, queue: str = "RDR", **attrs) -> SpoolFile:
        """Create a closed file in one step (``vm370 punch``, transfers from outside)."""
        sf = self.open_file(origin, kind, **attrs)
        for op, data in records:
            self.add_record(sf, op, data)
        return self.close_file(sf, queue, owner)

    def _write_meta(self, sf: SpoolFile) -> None:
        durable_write(self.files_dir / f"{sf.spoolid:04d}.meta",
                      json.dumps(sf.meta(), sort_keys=True).encode())

    def _arrived(self, sf: SpoolFile) -> None:
        if sf.queue == "RDR":
            for hook in list(self.arrival_hooks):
                hook(sf)
        else:
            self.put_out(sf)

    # -- reading ---------------------------------------------------------------
    def records(self, sf: SpoolFile) -> list[tuple[int, bytes]]:
        if sf.state == "open":
            return list(sf.data)
        image = (self.files_dir / f"{sf.spoolid:04d}.data").read_bytes()
        return decode_records(image)

    def get(self, spoolid: int) -> SpoolFile | None:
        sf = self.files.get(spoolid)
        return sf if sf is not None and sf.state == "closed" else None

    def queue(self, queue: str, owner: str | None = None, cls: str | None = None) -> list[SpoolFile]:
        """Closed files of a queue (optionally one owner's, one class), in order."""
        found = [f for f in self.files.values() if f.state == "closed" and f.queue == queue
                 and (owner is None or f.owner == owner)
                 and (cls in (None, "*") or f.cls == cls)]
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
        for key, value in attrs.items():
            setattr(sf, key, value)
        self._write_meta(sf)

    def purge(self, sf: SpoolFile) -> None:
        """Remove a closed file: attributes first, so a crash never shows half a file."""
        stem = self.files_dir / f"{sf.spoolid:04d}"
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
        records = self.records(sf)
        target = self._output_path(sf)
        if sf.queue == "PUN":
            cards = b"".join(card.ljust(80, b"\x40")[:80] for _, card in records) * max(sf.copies, 1)
            durable_write(target, cards)
        else:
            from cp.devices.printer import render_listing, separator_page
            pages = [separator_page(sf)] + [render_listing(records)] * max(sf.copies, 1)
            durable_write(target, "\f".join(pages).encode())
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

    def listings(self) -> list[Path]:
        return sorted(self.printer_dir.glob("*.listing"))

    def punched(self) -> list[Path]:
        return sorted(self.punch_dir.glob("*.punch"))
