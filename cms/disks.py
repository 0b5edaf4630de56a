"""Accessed disks, the search order and fileid resolution.

CMS keeps a table of accessed minidisks by mode letter A-Z (CMS Command
Reference, ACCESS).  The search order is alphabetical; a disk accessed as
``B/A`` is a read-only extension of A: a search for mode A looks on A, then on
its extensions.  Filemode numbers (0-6) are kept in each file's FST: 0 is
private (hidden from anyone who has the disk read-only), 3 is erased after
it has been read, the others are ordinary.
"""

from __future__ import annotations

import fnmatch
import string
from dataclasses import dataclass

from cms.errors import CMSError
from cms.fs import FST, Disk, ServicesBlockDevice, not_found

MODE_LETTERS = string.ascii_uppercase


@dataclass
class AccessedDisk:
    mode: str  # letter
    vaddr: int
    disk: Disk
    read_only: bool
    parent: str | None = None  # B/A: an extension of A
    subset: tuple[str, str, str] = ("*", "*", "*")  # ACCESS 192 B/A fn ft fm

    @property
    def name(self) -> str:
        return f"{self.mode}({self.vaddr:03X})"

    def visible(self, fst: FST) -> bool:
        """Mode 0 files are private: not seen through a read-only access;
        an extension accessed with a fileid shows only the files it names."""
        if self.read_only and fst.mode_number == 0:
            return False
        fn, ft, number = self.subset
        return (
            name_matches(fn, fst.fn)
            and name_matches(ft, fst.ft)
            and number in ("*", str(fst.mode_number))
        )


@dataclass(frozen=True)
class Found:
    """A file located by a search: where and its FST."""

    acc: AccessedDisk
    fst: FST

    @property
    def fileid(self) -> str:
        return f"{self.fst.fn} {self.fst.ft} {self.acc.mode}{self.fst.mode_number}"


def invalid_mode(mode: str) -> CMSError:
    return CMSError(48, "E", 24, f"INVALID MODE '{mode}'")


def not_accessed(mode: str) -> CMSError:
    return CMSError(69, "E", 36, f"DISK '{mode}' NOT ACCESSED")


def split_mode(fm: str) -> tuple[str, int | None]:
    """``A1`` -> ('A', 1); ``*`` -> ('*', None); bad -> DMS048E."""
    if fm == "*":
        return "*", None
    if not 1 <= len(fm) <= 2 or fm[0] not in MODE_LETTERS:
        raise invalid_mode(fm)
    if len(fm) == 2:
        if fm[1] not in "0123456":
            raise invalid_mode(fm)
        return fm[0], int(fm[1])
    return fm, None


def name_matches(pattern: str, name: str) -> bool:
    """CMS patterns: ``*`` any run of characters, ``%`` exactly one."""
    if pattern == "*":
        return True
    return fnmatch.fnmatchcase(name, pattern.replace("%", "?"))


class DiskTable:
    """The accessed disks of one CMS session."""

    def __init__(self, services):
        self.services = services
        self.by_mode: dict[str, AccessedDisk] = {}

    # ---- access and release

    def access(
        self,
        vaddr: int,
        mode: str,
        parent: str | None = None,
        subset: tuple[str, str, str] = ("*", "*", "*"),
        read_only: bool = False,
    ) -> tuple[AccessedDisk, list[str]]:
        """ACCESS vaddr mode[/parent]; returns the disk and the DMSACC info lines.
        A read-only link, an extension (/parent) or ``read_only`` make it R/O."""
        info = self.services.device_info(vaddr)
        if info is None or info.devclass != "DASD":
            raise CMSError(113, "S", 100, f"{mode}({vaddr:03X}) NOT ATTACHED")
        read_only = read_only or bool(info.read_only) or parent is not None
        device = ServicesBlockDevice(
            self.services, vaddr, info.blocks, read_only, f"{mode}({vaddr:03X})"
        )
        disk = Disk.open(device, mode)
        lines = []
        old = self.by_mode.get(mode)
        if old is not None and old.vaddr != vaddr:
            lines.append(f"DMSACC724I {vaddr:03X} REPLACES {mode} ({old.vaddr:03X})")
            lines.append(f"DMSACC726I '{old.vaddr:03X} {mode}' RELEASED")
        for other in list(self.by_mode.values()):
            if other.vaddr != vaddr or other.mode == mode:
                continue
            if other.read_only and read_only:
                # A read-only disk may be accessed at several modes.
                lines.append(f"DMSACC725I {vaddr:03X} ALSO = '{other.mode}' DISK")
            else:
                del self.by_mode[other.mode]
                lines.append(f"DMSACC726I '{vaddr:03X} {other.mode}' RELEASED")
        acc = AccessedDisk(mode, vaddr, disk, read_only, parent, subset)
        self.by_mode[mode] = acc
        if read_only:
            ext = f"/{parent}" if parent else ""
            lines.append(f"DMSACC723I {mode} ({vaddr:03X}) R/O{ext}")
        return acc, lines

    def release(self, target: str) -> AccessedDisk:
        """RELEASE mode|vaddr."""
        for acc in self.by_mode.values():
            if acc.mode == target or f"{acc.vaddr:03X}" == target.rjust(3, "0"):
                del self.by_mode[acc.mode]
                return acc
        if len(target) == 1 and target in MODE_LETTERS:
            raise not_accessed(target)
        raise invalid_mode(target)

    # ---- search order

    def ordered(self) -> list[AccessedDisk]:
        return [self.by_mode[m] for m in sorted(self.by_mode)]

    def get(self, mode: str) -> AccessedDisk:
        if mode not in MODE_LETTERS:
            raise invalid_mode(mode)
        acc = self.by_mode.get(mode)
        if acc is None:
            raise not_accessed(mode)
        return acc

    def search_list(self, mode: str) -> list[AccessedDisk]:
        """Disks searched for a filemode letter (with its extensions) or ``*``."""
        if mode == "*":
            return self.ordered()
        first = self.get(mode)
        return [first] + [a for a in self.ordered() if a.parent == mode and a is not first]

    def find(self, fn: str, ft: str, fm: str = "*") -> list[Found]:
        """Every visible file matching the (possibly wildcard) fileid, in search order."""
        letter, number = split_mode(fm)
        found = []
        for acc in self.search_list(letter):
            for (name, typ), fst in sorted(acc.disk.files.items()):
                if (
                    name_matches(fn, name)
                    and name_matches(ft, typ)
                    and acc.visible(fst)
                    and (number is None or fst.mode_number == number)
                ):
                    found.append(Found(acc, fst))
        return found

    def find_one(self, fn: str, ft: str, fm: str = "*") -> Found:
        """The first file in search order, or DMS002E."""
        found = self.find(fn, ft, fm)
        if not found:
            raise not_found(f"{fn} {ft} {fm}")
        return found[0]

    def read(self, found: Found) -> list[bytes]:
        """Read a whole file; a mode-3 file is erased once read (if the disk allows)."""
        records = found.acc.disk.read_file(found.fst.fn, found.fst.ft)
        if found.fst.mode_number == 3 and not found.acc.read_only:
            found.acc.disk.erase(found.fst.fn, found.fst.ft)
        return records

    def writable(self, mode: str) -> AccessedDisk:
        """The disk at ``mode`` if it may be written (DMS069E, DMS037E otherwise)."""
        acc = self.get(mode)
        if acc.read_only:
            raise CMSError(37, "E", 36, f"DISK '{mode}' IS READ/ONLY")
        return acc
