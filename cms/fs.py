"""The CMS file system on a minidisk (layout: docs/cms-disk-format.md).

A minidisk is a run of 512-byte fixed blocks (FBA) read and written through
CP's block I/O.  The layout is modelled on the CMS Enhanced Disk Format
(VM/SP CMS): a label, a directory of 64-byte file status table (FST)
entries, an allocation map with one bit per block, and data blocks reached
through a tree of pointer blocks.

Crash safety is by shadow writing: every change writes new data, pointer,
directory and allocation-map blocks only into blocks that are free in the
committed state, and then rewrites the one label block (a single-block
write is atomic) to point at the new directory and map.  A crash before the
label write leaves the old directory and map in force; the blocks written
meanwhile were free there and stay free.  Blocks released by a change are
reused only after its label has been written.
"""

from __future__ import annotations

import datetime
import struct
import zlib
from dataclasses import dataclass, field, replace

from cms.errors import CMSError
from s390.ebcdic import from_ebcdic, to_ebcdic

BLOCK_SIZE = 512
LABEL_BLOCK = 1  # block 0 is the IPL record, as on CMS disks
FIRST_DATA_BLOCK = 2
MAGIC = to_ebcdic("CMS1")  # EDF label identifier
FORMAT_VERSION = 1
FST_SIZE = 64
POINTERS_PER_BLOCK = BLOCK_SIZE // 4
MAX_LEVEL = 3  # 128**3 blocks: far beyond any minidisk

# CMS fileid characters (CMS Command Reference, "File Identifiers").
FILEID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789$#@+-:_")


def not_found(fileid: str) -> CMSError:
    return CMSError(2, "E", 28, f"FILE '{fileid}' NOT FOUND")


def read_only(mode: str) -> CMSError:
    return CMSError(37, "E", 36, f"DISK '{mode}' IS READ/ONLY")


def disk_full(fileid: str) -> CMSError:
    # DMS105S: error 13 (disk full) writing a file.
    return CMSError(105, "S", 13, f"ERROR 13 WRITING FILE '{fileid}' ON DISK")


def device_error(mode: str) -> CMSError:
    return CMSError(112, "S", 100, f"DISK '{mode}' DEVICE ERROR")


def check_name(name: str, fileid: str) -> None:
    """A filename or filetype: 1-8 CMS fileid characters (else DMS062E, rc 20)."""
    if not 1 <= len(name) <= 8:
        raise CMSError(62, "E", 20, f"INVALID CHARACTER IN FILEID '{fileid}'")
    for ch in name:
        if ch not in FILEID_CHARS:
            raise CMSError(62, "E", 20, f"INVALID CHARACTER '{ch}' IN FILEID '{fileid}'")


# ---------------------------------------------------------------- block devices


class MemoryBlockDevice:
    """An in-memory FBA disk (tests, temporary disks)."""

    def __init__(self, blocks: int, read_only: bool = False):
        self.blocks = blocks
        self.read_only = read_only
        self.data = bytearray(blocks * BLOCK_SIZE)
        self.writes = 0

    def read(self, block: int, count: int = 1) -> bytes:
        self._check(block, count)
        return bytes(self.data[block * BLOCK_SIZE : (block + count) * BLOCK_SIZE])

    def write(self, block: int, data: bytes) -> None:
        if self.read_only:
            raise OSError("disk is read-only")
        count = len(data) // BLOCK_SIZE
        self._check(block, count)
        self.data[block * BLOCK_SIZE : (block + count) * BLOCK_SIZE] = data
        self.writes += 1

    def _check(self, block: int, count: int) -> None:
        if block < 0 or block + count > self.blocks:
            raise OSError(f"block {block} outside disk")


class ServicesBlockDevice:
    """A minidisk reached through the guest services (docs/interfaces.md §3)."""

    def __init__(self, services, vaddr: int, blocks: int, read_only: bool, mode: str = "A"):
        self.services, self.vaddr, self.mode = services, vaddr, mode
        self.blocks, self.read_only = blocks, read_only

    def read(self, block: int, count: int = 1) -> bytes:
        try:
            return self.services.block_read(self.vaddr, block, count)
        except Exception:  # CP's DeviceError (detached disk, I/O error)
            raise device_error(self.mode) from None

    def write(self, block: int, data: bytes) -> None:
        try:
            self.services.block_write(self.vaddr, block, data)
        except Exception:  # CP refused: the link became read-only or went away
            raise device_error(self.mode) from None


# ---------------------------------------------------------------- the label


@dataclass
class Label:
    """Block 1: identifies the disk and points at the committed directory and map."""

    volid: str
    total_blocks: int
    generation: int = 0
    dir_root: int = 0
    dir_level: int = 0
    dir_count: int = 0  # number of FST entries
    map_root: int = 0
    map_level: int = 0
    blocks_used: int = 0
    created: str = ""  # yyyymmddhhmmss

    LAYOUT = struct.Struct(">4s6sHIII IB3xI IB3xI 14s")

    def pack(self) -> bytes:
        body = self.LAYOUT.pack(
            MAGIC,
            to_ebcdic(self.volid.ljust(6)[:6]),
            FORMAT_VERSION,
            BLOCK_SIZE,
            self.total_blocks,
            self.generation,
            self.dir_root,
            self.dir_level,
            self.dir_count,
            self.map_root,
            self.map_level,
            self.blocks_used,
            to_ebcdic(self.created.ljust(14)),
        )
        body = body.ljust(BLOCK_SIZE - 4, b"\0")
        return body + struct.pack(">I", zlib.crc32(body))

    @classmethod
    def unpack(cls, block: bytes) -> "Label | None":
        body, (crc,) = block[:-4], struct.unpack(">I", block[-4:])
        if block[:4] != MAGIC or zlib.crc32(body) != crc:
            return None
        (
            _,
            volid,
            version,
            bsize,
            total,
            gen,
            droot,
            dlevel,
            dcount,
            mroot,
            mlevel,
            used,
            created,
        ) = cls.LAYOUT.unpack_from(block)
        if version != FORMAT_VERSION or bsize != BLOCK_SIZE:
            return None
        return cls(
            from_ebcdic(volid).rstrip(),
            total,
            gen,
            droot,
            dlevel,
            dcount,
            mroot,
            mlevel,
            used,
            from_ebcdic(created).strip(),
        )


# ---------------------------------------------------------------- file status table


@dataclass
class FST:
    """One file status table entry (64 bytes in the directory)."""

    fn: str
    ft: str
    mode_number: int = 1
    recfm: str = "F"
    lrecl: int = 80
    records: int = 0
    blocks: int = 0  # data blocks (pointer blocks not counted)
    root: int = 0  # 0: empty file
    level: int = 0
    nbytes: int = 0  # bytes of record data
    stamp: str = ""  # yyyymmddhhmmss of the last write
    tree_blocks: list[int] = field(default_factory=list, repr=False)  # all blocks, in memory

    LAYOUT = struct.Struct(">8s8s14s1s1sBBIIIIII")

    def pack(self) -> bytes:
        return self.LAYOUT.pack(
            to_ebcdic(self.fn.ljust(8)),
            to_ebcdic(self.ft.ljust(8)),
            to_ebcdic(self.stamp.ljust(14)),
            to_ebcdic(str(self.mode_number)),
            to_ebcdic(self.recfm),
            self.level,
            0,
            self.lrecl,
            self.records,
            self.blocks,
            self.root,
            self.nbytes,
            0,
        ).ljust(FST_SIZE, b"\0")

    @classmethod
    def unpack(cls, raw: bytes) -> "FST":
        fn, ft, stamp, num, recfm, level, _, lrecl, records, blocks, root, nbytes, _ = (
            cls.LAYOUT.unpack_from(raw)
        )
        return cls(
            from_ebcdic(fn).rstrip(),
            from_ebcdic(ft).rstrip(),
            int(from_ebcdic(num)),
            from_ebcdic(recfm),
            lrecl,
            records,
            blocks,
            root,
            level,
            nbytes,
            from_ebcdic(stamp).strip(),
        )

    @property
    def date(self) -> datetime.datetime:
        return datetime.datetime.strptime(self.stamp, "%Y%m%d%H%M%S")


# ---------------------------------------------------------------- records


def pack_records(recfm: str, lrecl: int, records: list[bytes]) -> bytes:
    """Record stream: F records back to back; V records each after a halfword length."""
    if recfm == "F":
        return b"".join(r[:lrecl].ljust(lrecl, b"\x40") for r in records)
    return b"".join(struct.pack(">H", len(r)) + r for r in records)


def unpack_records(recfm: str, lrecl: int, stream: bytes, count: int) -> list[bytes]:
    if recfm == "F":
        return [stream[i * lrecl : (i + 1) * lrecl] for i in range(count)]
    out, pos = [], 0
    for _ in range(count):
        (n,) = struct.unpack_from(">H", stream, pos)
        out.append(stream[pos + 2 : pos + 2 + n])
        pos += 2 + n
    return out


def tree_level(nblocks: int) -> int:
    """Pointer-tree depth for ``nblocks`` data blocks (0: the root is the data block)."""
    level, reach = 0, 1
    while reach < nblocks:
        level, reach = level + 1, reach * POINTERS_PER_BLOCK
    return level


def tree_overhead(nblocks: int) -> int:
    """Pointer blocks needed above ``nblocks`` data blocks."""
    total, n = 0, nblocks
    while n > 1:
        n = -(-n // POINTERS_PER_BLOCK)
        total += n
    return total


def now_stamp() -> str:
    return datetime.datetime.now().strftime("%Y%m%d%H%M%S")


# ---------------------------------------------------------------- the disk


class Disk:
    """A formatted CMS minidisk: the committed label, directory and allocation map.

    Files are read and written whole (``read_file`` / ``write_file``); every
    changing call commits before it returns (see the module docstring).
    ``mode`` is only used in messages (e.g. ``A`` or ``A(191)``).
    """

    def __init__(self, device, label: Label, mode: str = "A"):
        self.device, self.label, self.mode = device, label, mode
        self.files: dict[tuple[str, str], FST] = {}
        self.used = bytearray(label.total_blocks)  # 1 = in use in the committed state
        self._meta_blocks: list[int] = []  # committed directory + map blocks

    # ---- opening and formatting

    @classmethod
    def format(cls, device, volid: str, mode: str = "A") -> "Disk":
        """Write an empty file system (the FORMAT command)."""
        if device.blocks < 8:
            raise CMSError(70, "E", 24, f"DISK TOO SMALL ({device.blocks} BLOCKS)")
        stamp = now_stamp()
        disk = cls(device, Label(volid, device.blocks, created=stamp), mode)
        disk.used[:FIRST_DATA_BLOCK] = b"\1" * FIRST_DATA_BLOCK
        device.write(0, bytes(BLOCK_SIZE))
        disk._commit([])
        return disk

    @classmethod
    def open(cls, device, mode: str = "A") -> "Disk":
        """Read the label, directory and map of a formatted disk."""
        try:
            label = Label.unpack(device.read(LABEL_BLOCK))
        except Exception:  # a device that cannot be read
            raise device_error(mode) from None
        if label is None or label.total_blocks > device.blocks:
            raise CMSError(112, "S", 100, f"DISK '{mode}' IS NOT A CMS FORMATTED DISK")
        disk = cls(device, label, mode)
        disk._load()
        return disk

    def _load(self) -> None:
        lab = self.label
        dir_bytes, dir_blocks = self._read_tree(
            lab.dir_root, lab.dir_level, -(-lab.dir_count * FST_SIZE // BLOCK_SIZE)
        )
        map_bytes, map_blocks = self._read_tree(
            lab.map_root, lab.map_level, -(-lab.total_blocks // BLOCK_SIZE)
        )
        self.used[:] = map_bytes[: lab.total_blocks]
        self._meta_blocks = dir_blocks + map_blocks
        for i in range(lab.dir_count):
            fst = FST.unpack(dir_bytes[i * FST_SIZE : (i + 1) * FST_SIZE])
            _, fst.tree_blocks = self._read_tree(fst.root, fst.level, fst.blocks)
            self.files[(fst.fn, fst.ft)] = fst

    # ---- trees of pointer blocks

    def _read_tree(self, root: int, level: int, nblocks: int) -> tuple[bytes, list[int]]:
        """Data bytes of a tree and every block it occupies (data and pointers)."""
        if nblocks == 0:
            return b"", []
        if level == 0:
            return self.device.read(root), [root]
        ptr = self.device.read(root)
        below = POINTERS_PER_BLOCK ** (level - 1)
        data, blocks = [], [root]
        for i in range(-(-nblocks // below)):
            (child,) = struct.unpack_from(">I", ptr, i * 4)
            part, pblocks = self._read_tree(child, level - 1, min(below, nblocks - i * below))
            data.append(part)
            blocks += pblocks
        return b"".join(data), blocks

    def _write_tree(self, data: bytes, blocks: list[int]) -> tuple[int, int]:
        """Write ``data`` into the given free blocks; returns (root, level)."""
        nblocks = max(1, -(-len(data) // BLOCK_SIZE))
        level = tree_level(nblocks)
        it = iter(blocks)
        writes: dict[int, bytes] = {}
        children = []
        for i in range(nblocks):
            b = next(it)
            writes[b] = data[i * BLOCK_SIZE : (i + 1) * BLOCK_SIZE].ljust(BLOCK_SIZE, b"\0")
            children.append(b)
        for _ in range(level):
            parents = []
            for i in range(0, len(children), POINTERS_PER_BLOCK):
                b = next(it)
                group = children[i : i + POINTERS_PER_BLOCK]
                writes[b] = struct.pack(f">{len(group)}I", *group).ljust(BLOCK_SIZE, b"\0")
                parents.append(b)
            children = parents
        self._write_runs(writes)
        return children[0], level

    def _write_runs(self, writes: dict[int, bytes]) -> None:
        """Write blocks, one device write per run of consecutive block numbers."""
        run_start, run = None, []
        for b in sorted(writes):
            if run and b != run_start + len(run):
                self.device.write(run_start, b"".join(run))
                run = []
            if not run:
                run_start = b
            run.append(writes[b])
        if run:
            self.device.write(run_start, b"".join(run))

    # ---- allocation

    def free_blocks(self) -> int:
        return self.used.count(0)

    def _allocate(self, count: int, taken: set[int], fileid: str) -> list[int]:
        """``count`` blocks free in the committed state and not yet taken by this change."""
        out = []
        for b in range(FIRST_DATA_BLOCK, self.label.total_blocks):
            if not self.used[b] and b not in taken:
                out.append(b)
                if len(out) == count:
                    taken.update(out)
                    return out
        raise disk_full(fileid)

    def _meta_size(self, nfiles: int) -> int:
        """Blocks for a directory of ``nfiles`` entries plus the allocation map."""
        dir_blocks = -(-nfiles * FST_SIZE // BLOCK_SIZE)
        map_blocks = -(-self.label.total_blocks // BLOCK_SIZE)
        return dir_blocks + tree_overhead(dir_blocks) + map_blocks + tree_overhead(map_blocks)

    # ---- commit

    def _commit(self, released: list[int], taken: set[int] | None = None) -> None:
        """Write a new directory and map into free blocks, then the label.

        ``taken``: blocks this change has written (now in use); ``released``:
        blocks this change gave up (free once the label is written)."""
        taken = set() if taken is None else taken
        files = sorted(self.files.values(), key=lambda f: (f.fn, f.ft))
        meta = self._allocate(self._meta_size(len(files)), taken, "DIRECTORY")
        used = bytearray(self.used)
        for b in taken:
            used[b] = 1
        for b in released + self._meta_blocks:
            used[b] = 0
        for b in meta:
            used[b] = 1
        dir_bytes = b"".join(f.pack() for f in files)
        ndir = -(-len(dir_bytes) // BLOCK_SIZE)
        ndir_all = ndir + tree_overhead(ndir)
        lab = replace(
            self.label,
            generation=self.label.generation + 1,
            dir_count=len(files),
            blocks_used=used.count(1),
        )
        if files:
            lab.dir_root, lab.dir_level = self._write_tree(dir_bytes, meta[:ndir_all])
        else:
            lab.dir_root, lab.dir_level = 0, 0
            ndir_all = 0
        lab.map_root, lab.map_level = self._write_tree(bytes(used), meta[ndir_all:])
        self.device.write(LABEL_BLOCK, lab.pack())  # the commit point
        self.label, self.used = lab, used
        self._meta_blocks = meta[:ndir_all] + meta[ndir_all:]

    # ---- file operations

    def lookup(self, fn: str, ft: str) -> FST | None:
        return self.files.get((fn, ft))

    def read_file(self, fn: str, ft: str) -> list[bytes]:
        fst = self.files.get((fn, ft))
        if fst is None:
            raise not_found(f"{fn} {ft} {self.mode}")
        if fst.records == 0:
            return []
        stream, _ = self._read_tree(fst.root, fst.level, fst.blocks)
        return unpack_records(fst.recfm, fst.lrecl, stream, fst.records)

    def write_file(
        self,
        fn: str,
        ft: str,
        records: list[bytes],
        recfm: str = "F",
        lrecl: int | None = None,
        mode_number: int = 1,
    ) -> FST:
        """Create or replace ``fn ft`` with ``records`` (committed on return)."""
        fileid = f"{fn} {ft} {self.mode}"
        self._check_writable()
        check_name(fn, fileid)
        check_name(ft, fileid)
        if recfm not in ("F", "V"):
            raise CMSError(70, "E", 24, f"INVALID PARAMETER '{recfm}'")
        if recfm == "V":
            # The FST of a V file records its longest record (CMS FSTLRECL).
            lrecl = max((len(r) for r in records), default=1) or 1
        elif lrecl is None:
            lrecl = 80
        if not 1 <= lrecl <= 65535:
            raise CMSError(70, "E", 24, f"INVALID PARAMETER '{lrecl}'")
        stream = pack_records(recfm, lrecl, records)
        nblocks = -(-len(stream) // BLOCK_SIZE)
        old = self.files.get((fn, ft))
        nfiles = len(self.files) + (old is None)
        need = nblocks + tree_overhead(nblocks)
        if need + self._meta_size(nfiles) > self.free_blocks():
            raise disk_full(fileid)
        taken: set[int] = set()
        fst = FST(
            fn,
            ft,
            mode_number,
            recfm,
            lrecl,
            len(records),
            nblocks,
            nbytes=len(stream),
            stamp=now_stamp(),
        )
        if nblocks:
            blocks = self._allocate(need, taken, fileid)
            fst.root, fst.level = self._write_tree(stream, blocks)
            fst.tree_blocks = blocks
        self.files[(fn, ft)] = fst
        try:
            self._commit(old.tree_blocks if old else [], taken)
        except CMSError:
            self._restore(fn, ft, old)
            raise
        return fst

    def erase(self, fn: str, ft: str) -> None:
        self._check_writable()
        fst = self.files.get((fn, ft))
        if fst is None:
            raise not_found(f"{fn} {ft} {self.mode}")
        del self.files[(fn, ft)]
        try:
            self._commit(fst.tree_blocks)
        except CMSError:
            self.files[(fn, ft)] = fst
            raise

    def rename(
        self, fn: str, ft: str, new_fn: str, new_ft: str, mode_number: int | None = None
    ) -> None:
        self._check_writable()
        fst = self.files.get((fn, ft))
        if fst is None:
            raise not_found(f"{fn} {ft} {self.mode}")
        newid = f"{new_fn} {new_ft} {self.mode}"
        check_name(new_fn, newid)
        check_name(new_ft, newid)
        if (new_fn, new_ft) != (fn, ft) and (new_fn, new_ft) in self.files:
            raise CMSError(24, "E", 28, f"FILE '{newid}' ALREADY EXISTS")
        del self.files[(fn, ft)]
        moved = replace(fst, fn=new_fn, ft=new_ft)
        if mode_number is not None:
            moved.mode_number = mode_number
        self.files[(new_fn, new_ft)] = moved
        try:
            self._commit([])
        except CMSError:
            del self.files[(new_fn, new_ft)]
            self.files[(fn, ft)] = fst
            raise

    def _restore(self, fn: str, ft: str, old: FST | None) -> None:
        if old is None:
            self.files.pop((fn, ft), None)
        else:
            self.files[(fn, ft)] = old

    def _check_writable(self) -> None:
        if self.device.read_only:
            raise read_only(self.mode)

    # ---- figures for QUERY DISK

    def usage(self) -> tuple[int, int, int]:
        """(blocks used, blocks left, total blocks)."""
        used = self.label.blocks_used
        return used, self.label.total_blocks - used, self.label.total_blocks
