"""The CMS side of FTP: the client's local files and the server's minidisks.

``LocalFiles(cms)`` reads and writes files on the user's accessed disks
(the client: GET writes V records, see cms.ftp.codec).

``MinidiskStore(services)`` is FTPSERVE's file store for one session
(z/VM FTPSERVE: a user logs in with the LOGON password of the CP directory;
the working directory is a minidisk named ``userid.vaddr``).  CP checks the
password (GuestServices.check_password, paced like LOGON) and says what the
user may do with a minidisk (GuestServices.minidisk_rights: the user's own
disks, or another's whose MDISK password is ALL); the server then links it
with CP's LINK (FTPSERVE has OPTION LNKNOPAS and DIAG88) at a free address
of its own, MR for a disk the user may write (CP makes the link read-only
while somebody else has the disk read/write) and RR otherwise, and reads
the CMS file system on it directly; the link goes at CD elsewhere and at
the end of the session.  ``CD`` with no ``vaddr`` means the 191 disk.
"""

from __future__ import annotations

from cms.disks import name_matches
from cms.errors import CMSError
from cms.fs import BLOCK_SIZE, Disk, ServicesBlockDevice
from cms.ftp.client import Local, UsageError
from cms.ftp.server import FileInfo, StoreError

#: The addresses FTPSERVE links users' minidisks at.
LINK_ADDRESSES = range(0x400, 0x500)


class LocalFiles:
    """The FTP client's files on the user's accessed disks."""

    def __init__(self, cms):
        self.cms = cms

    @staticmethod
    def _letter(local: Local) -> str:
        return local.fm[0]

    def exists(self, local: Local) -> bool:
        try:
            return bool(self.cms.disks.find(local.fn, local.ft, local.fm))
        except CMSError as err:
            raise UsageError(err.text) from None

    def check_writable(self, local: Local) -> None:
        try:
            self.cms.disks.writable(self._letter(local))
        except CMSError as err:
            raise UsageError(err.text) from None

    def read(self, local: Local) -> tuple[list[bytes], str]:
        try:
            found = self.cms.disks.find_one(local.fn, local.ft, local.fm)
            return self.cms.disks.read(found), found.fst.recfm
        except CMSError as err:
            raise UsageError(f"File {local} not found." if err.number == 2 else err.text) from None

    def write(self, local: Local, records: list[bytes]) -> None:
        number = int(local.fm[1]) if len(local.fm) == 2 else 1
        try:
            acc = self.cms.disks.writable(self._letter(local))
            acc.disk.write_file(local.fn, local.ft, records, "V", mode_number=number)
        except CMSError as err:
            raise UsageError(err.text) from None


def parse_directory(name: str, userid: str) -> tuple[str, int]:
    """``userid.vaddr`` (``userid``: its 191; ``/``: the user's own 191) ->
    (owner, vaddr); 501 if bad."""
    owner, _, vaddr = (name.strip().strip("/") or userid).upper().partition(".")
    vaddr = vaddr or "191"
    try:
        number = int(vaddr, 16)
    except ValueError:
        number = -1
    if not owner or len(owner) > 8 or not 0 <= number <= 0xFFF:
        raise StoreError(501, f"Invalid directory '{name.strip()}'; use userid.vaddr")
    return owner, number


class MinidiskStore:
    """FTPSERVE's files for one session (see the module docstring)."""

    def __init__(self, services):
        self.services = services
        self.userid: str | None = None
        self.linked: int | None = None  # FTPSERVE's address of the working disk
        self.owner: str | None = None
        self.owner_vaddr = 0
        self.read_only = True

    # ---- login

    def login(self, userid: str, password: str, peer) -> str | None:
        where = f"{peer[0]}:{peer[1]}" if peer else ""
        verdict = self.services.check_password(userid, password, where)
        if verdict.reason == "NOT CHECKED":
            # The LOGON throttle's turn has not come (earlier wrong
            # passwords): refused unchecked, as LINK does (DMKLNK117E);
            # waiting here would hold up every other session.
            raise StoreError(
                530, f"Login not checked; retry in {max(1, round(verdict.retry_after))} seconds."
            )
        if not verdict.accepted:
            raise StoreError(530, "Login incorrect.")
        self.logout()
        self.userid = userid.upper()
        try:
            return self.change_directory(f"{self.userid}.191")
        except StoreError:
            return None

    def logout(self) -> None:
        self._unlink()
        self.userid = None

    # ---- the working directory

    def change_directory(self, name: str) -> str:
        owner, vaddr = parse_directory(name, self.userid)
        rights = self.services.minidisk_rights(self.userid, owner, vaddr)
        if rights is None:
            raise StoreError(550, f"Permission denied to access {owner}.{vaddr:03X}")
        self._unlink()
        address = next(a for a in LINK_ADDRESSES if self.services.device_info(a) is None)
        mode = "MR" if rights == "W" else "RR"
        rc, lines = self.services.cp_command(f"LINK {owner} {vaddr:03X} {address:03X} {mode}")
        if rc != 0:
            raise StoreError(550, f"{owner}.{vaddr:03X} not linked: {' '.join(lines)}")
        self.linked, self.owner, self.owner_vaddr = address, owner, vaddr
        self.read_only = self.services.device_info(address).read_only
        try:
            self.disk()
        except CMSError:
            self._unlink()
            raise StoreError(550, f"{owner}.{vaddr:03X} is not a CMS formatted disk") from None
        return f"{owner} {vaddr:03X}" + (" (ReadOnly)" if self.read_only else "")

    def _unlink(self) -> None:
        if self.linked is not None:
            self.services.cp_command(f"DETACH {self.linked:03X}")
        self.linked = self.owner = None

    def working_directory(self) -> str | None:
        return f"{self.owner}.{self.owner_vaddr:03X}" if self.owner else None

    def disk(self) -> Disk:
        """The working disk's file system, read afresh (its owner may have
        changed it since)."""
        if self.linked is None:
            raise StoreError(550, "No working directory defined; use CD userid.vaddr")
        info = self.services.device_info(self.linked)
        device = ServicesBlockDevice(self.services, self.linked, info.blocks, self.read_only, "Z")
        return Disk.open(device, "Z")

    def working_label(self) -> str:
        return self.disk().label.volid

    # ---- files

    def files(self, fn: str, ft: str) -> list[FileInfo]:
        return [
            FileInfo(f.fn, f.ft, f.recfm, f.lrecl, f.records, f.blocks, f.stamp)
            for (name, kind), f in sorted(self.disk().files.items())
            if name_matches(fn, name)
            and name_matches(ft, kind)
            and not (self.read_only and f.mode_number == 0)
        ]

    def read(self, fn: str, ft: str) -> tuple[list[bytes], str]:
        disk = self.disk()
        fst = disk.lookup(fn, ft)
        if fst is None or (self.read_only and fst.mode_number == 0):
            raise StoreError(550, f"File {fn}.{ft} not found.")
        return disk.read_file(fn, ft), fst.recfm

    def check_writable(self) -> None:
        self.disk()
        if self.read_only:
            raise StoreError(550, f"Working directory {self.working_directory()} is read-only.")

    def space(self) -> int:
        """Bytes the working disk could still take (an upper bound: the
        file's own blocks and their pointers come out of it too)."""
        return self.disk().free_blocks() * BLOCK_SIZE

    def write(self, fn: str, ft: str, records: list[bytes]) -> None:
        self.check_writable()
        try:
            self.disk().write_file(fn, ft, records, "V")
        except CMSError as err:
            raise StoreError(552 if err.number == 105 else 553, err.text) from None

    def delete(self, fn: str, ft: str) -> None:
        self.check_writable()
        disk = self.disk()
        if disk.lookup(fn, ft) is None:
            raise StoreError(550, f"File {fn}.{ft} not found.")
        try:
            disk.erase(fn, ft)
        except CMSError as err:
            raise StoreError(550, err.text) from None
