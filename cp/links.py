"""The minidisk link table and the LINK operation: who has which minidisk,
read-only or read/write.

Access modes (VM/370 CP Command Reference for General Users, LINK; the same
letters are the MDISK statement's own mode):

    R   read-only; refused if another user has it read/write
    RR  read-only even if another user writes
    W   read/write; refused if any other user has a link
    WR  read/write if no other user has a link, else read-only
    M   read/write unless another user has write access (then refused)
    MR  read/write unless another user has write access (then read-only)
    MW  read/write in every case (multiple writers: the users' risk)

Passwords: linking another user's disk needs the MDISK statement's read,
write or multiple password for the mode (``ALL`` = anyone, no password);
no password is needed for one's own disks, for directory LINK statements at
logon, or with OPTION LNKNOPAS.  Messages are VM/370's DMKLNK ones.  Wrong
passwords are logged and paced per linking user and per minidisk
(cp.security), as z/VM's LINK journaling does; the password operand never
reaches a log or an echo (cp.security.mask_passwords).  The LINK command
(cp.commands.link) and the directory's MDISK and LINK statements at LOGON
(cp.vm.build_devices) both link here.
"""

from __future__ import annotations

from dataclasses import dataclass

from cp.devices import make_device
from cp.errors import CommandError
from cp.minidisk import MinidiskError
from cp.passwords import check_password
from cp.services import describe_device
from cp.sysdir import minidisk_path

READ_MODES = ("R", "RR")
WRITE_MODES = ("W", "WR")


@dataclass
class Link:
    userid: str
    vaddr: int  # the linker's virtual address
    owner: str
    owner_vaddr: int
    write: bool


class LinkTable:
    """Every link of the system: (owner, owner's vaddr) -> links to that minidisk."""

    def __init__(self, system):
        self.system = system
        self.links: dict[tuple[str, int], list[Link]] = {}

    def others(self, owner: str, vaddr: int, userid: str) -> list[Link]:
        return [l for l in self.links.get((owner, vaddr), []) if l.userid != userid]

    def add(self, link: Link) -> None:
        self.links.setdefault((link.owner, link.owner_vaddr), []).append(link)

    def remove(self, userid: str, vaddr: int) -> Link | None:
        for links in self.links.values():
            for link in links:
                if link.userid == userid and link.vaddr == vaddr:
                    links.remove(link)
                    return link
        return None

    def drop_user(self, userid: str) -> None:
        for links in self.links.values():
            links[:] = [l for l in links if l.userid != userid]

    def link_of(self, userid: str, vaddr: int) -> Link | None:
        return next(
            (
                l
                for links in self.links.values()
                for l in links
                if l.userid == userid and l.vaddr == vaddr
            ),
            None,
        )

    def linkers_of_vaddr(self, vm, vaddr: int) -> list[Link] | None:
        """QUERY LINKS: everybody linked to the minidisk ``vm`` has at ``vaddr``."""
        mine = self.link_of(vm.userid, vaddr)
        if mine is None:
            return None
        return list(self.links.get((mine.owner, mine.owner_vaddr), []))


#: LINK mode -> (primary access is write, which other links block it:
#: "writers", "anyone" or None, whether a blocked link falls back to R/O).
#: The same table as the CP Command Reference's LINK access summary.
LINK_MODES = {
    "R": (False, "writers", False),
    "RR": (False, None, False),
    "W": (True, "anyone", False),
    "WR": (True, "anyone", True),
    "M": (True, "writers", False),
    "MR": (True, "writers", True),
    "MW": (True, None, False),
}
LINK_MODE_NAMES = tuple(LINK_MODES)


def grant(mode: str, others: list[Link], owner: str, vaddr: int, linker_vaddr: int):
    """Apply the sharing rules: (write access, warning or None); CommandError if refused."""
    write, blocked_by, falls_back = LINK_MODES[mode]
    writers = [l for l in others if l.write]
    blockers = {"writers": writers, "anyone": others, None: []}[blocked_by]
    if not blockers:
        return write, None
    if falls_back:
        return False, _sharing(f"DMKLNK101W DASD {linker_vaddr:03X} FORCED R/O", writers, others)
    number = 104 if writers else 105
    raise CommandError(
        _sharing(f"DMKLNK{number}E {owner} {vaddr:03X} NOT LINKED", writers, others), number
    )


def _sharing(head: str, writers: list[Link], others: list[Link]) -> str:
    """A LINK message's reason: the user with write access, else how many
    users have it read-only."""
    if writers:
        return f"{head}; R/W BY {writers[0].userid}"
    return f"{head}; R/O BY {len(others):03d} USERS"


def _check_password(
    system, vm, mdisk, mode: str, given: str | None, owner: str, vaddr: int
) -> None:
    """The MDISK password for ``mode``, paced like LOGON passwords (cp.security):
    per linking user (disabled after the limit) and per minidisk (slowed).
    LINK runs to completion (a DIAGNOSE X'08' from a program waits for it),
    so an attempt that comes before its turn is refused unchecked."""
    if mode in READ_MODES:
        stored, kind = mdisk.read_pw, "READ"
    elif mode in WRITE_MODES:
        stored, kind = mdisk.write_pw, "WRITE"
    else:
        stored, kind = mdisk.mult_pw, "MULT"
    if stored is None:
        raise CommandError(f"DMKLNK113E {owner} {vaddr:03X} NOT LINKED; NO {kind} PASSWORD", 113)
    if stored == "ALL":
        return
    if given is None:
        raise CommandError("DMKLNK109E PASSWORD INCORRECT", 109)
    throttle = system.link_throttle
    keys = (("LINKER", vm.userid), ("DISK", owner, f"{vaddr:03X}"))
    if throttle.locked(keys):
        system.log(f"LINK REFUSED {vm.userid} TO {owner} {vaddr:03X}: LINK DISABLED")
        raise CommandError(
            f"DMKLNK118E {owner} {vaddr:03X} NOT LINKED; LINK PASSWORDS "
            f"DISABLED FOR {vm.userid}; SEE OPERATOR",
            118,
        )
    wait = throttle.wait(keys)
    if wait > 0:
        raise CommandError(
            f"DMKLNK117E {owner} {vaddr:03X} NOT LINKED; PASSWORD NOT "
            f"CHECKED, RETRY IN {max(1, round(wait))} SECONDS",
            117,
        )
    if check_password(stored, given):
        throttle.succeeded(keys)
        return
    verdict = throttle.failed(keys)
    peer = vm.session.peer if vm.session is not None else "DSC"
    system.log(
        f"LINK FAILED {vm.userid} TO {owner} {vaddr:03X} MODE {mode} FROM {peer} "
        f"ATTEMPT {throttle.failures(keys[0])}"
    )
    system.report_guessing("LINK", verdict, peer, f"{owner} {vaddr:03X}")
    raise CommandError("DMKLNK109E PASSWORD INCORRECT", 109)


def link_minidisk(
    system,
    vm,
    owner: str,
    vaddr: int,
    as_vaddr: int,
    mode: str,
    password: str | None = None,
    need_password: bool = True,
) -> list[str]:
    """Link ``owner``'s minidisk ``vaddr`` to ``vm`` at ``as_vaddr``; returns responses."""
    owner = owner.upper()
    entry = system.directory.get(owner)
    mdisk = entry.mdisk(vaddr) if entry is not None else None
    if mdisk is None:
        raise CommandError(f"DMKLNK107E {owner} {vaddr:03X} NOT LINKED; NOT IN CP DIRECTORY", 107)
    if as_vaddr in vm.devices or system.links.link_of(vm.userid, as_vaddr) is not None:
        raise CommandError(
            f"DMKLNK110E {owner} {vaddr:03X} NOT LINKED; "
            f"{_device_class(vm, as_vaddr)} {as_vaddr:03X} ALREADY DEFINED",
            110,
        )
    own = owner == vm.userid
    if need_password and not own and "LNKNOPAS" not in vm.entry.options:
        _check_password(system, vm, mdisk, mode, password, owner, vaddr)
    others = system.links.others(owner, vaddr, vm.userid)
    write, warning = grant(mode, others, owner, vaddr, as_vaddr)
    attach_minidisk(vm, as_vaddr, owner, mdisk, write)
    system.links.add(Link(vm.userid, as_vaddr, owner, vaddr, write))
    return [warning] if warning else []


def _device_class(vm, vaddr: int) -> str:
    """The class of the device at ``vaddr`` as CP names it in messages."""
    device = vm.devices.get(vaddr)
    return describe_device(vaddr, device).devclass if device is not None else "DASD"


def password_needed(system, vm, owner: str, vaddr: int, mode: str) -> bool:
    """Whether linking ``owner``'s ``vaddr`` in ``mode`` needs a password.
    LINK typed without it asks for it in a non-display field (VM/370's
    password suppression facility; z/VM always may), so it never appears on
    the command line."""
    entry = system.directory.get(owner)
    mdisk = entry.mdisk(vaddr) if entry is not None else None
    if mdisk is None or owner == vm.userid or "LNKNOPAS" in vm.entry.options:
        return False
    stored = (
        mdisk.read_pw
        if mode in READ_MODES
        else mdisk.write_pw
        if mode in WRITE_MODES
        else mdisk.mult_pw
    )
    return stored is not None and stored != "ALL"


def attach_minidisk(vm, vaddr: int, owner: str, mdisk, write: bool):
    """Give ``vm`` a minidisk at ``vaddr`` (its own MDISK or a LINK to another's).
    A missing image is VM/370's unmounted volume (DMKLNK108E)."""
    try:
        return make_device(
            "FBA",
            vaddr,
            vm,
            read_only=not write,
            path=minidisk_path(vm.system.path, owner, mdisk.vaddr),
        )
    except (MinidiskError, OSError):
        raise CommandError(
            f"DMKLNK108E {owner} {mdisk.vaddr:03X} NOT LINKED; VOLID {mdisk.volser} NOT MOUNTED",
            108,
        ) from None
