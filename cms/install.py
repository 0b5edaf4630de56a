"""Populating the CMS system disks (MAINT 190, the S-disk, and 19E, the Y-disk).

``install_system_disks(s_disk, y_disk)`` is called by the system's start-up
code (vm370.boot) with the two minidisks as block devices (``read(block,
count)``, ``write(block, data)``, ``blocks``).  It formats a disk that holds
no CMS file system yet (labels MNT190 and MNT19E) and writes every shipped
file whose content differs from the disk's copy, so a new release of the
files reaches an existing system at its next start and a user's own files
on those disks are left alone.

Shipped files (package data under cms/system/):

* S-disk: ``CMSLIB MACLIB`` (the CMS macros: WRTERM RDTERM LINEDIT FSOPEN
  FSREAD FSWRITE FSCLOSE FSSTATE FSERASE PRINTL PUNCHC RDCARD) and
  ``OSMACRO MACLIB`` (SAVE RETURN WTO GETMAIN FREEMAIN ABEND REGEQU), as
  MACLIB text: the concatenated MACRO ... MEND definitions.
* Y-disk: sample programs and tools (cms/system/y/) and the HELP files
  (cms/system/help/: ``name HELPCMS``, ``name HELPCP``, ``name HELPMENU``).

``install_service_disk(device, label, folder)`` puts the files of
cms/system/<folder> on a service machine's A-disk (FTPSERVE's PROFILE EXEC,
WEBSRV's PROFILE EXEC, WEBSERV EXEC and INDEX HTML) when the disk lacks
them: a file already there is the owner's (an edited home page) and stays.
"""

from __future__ import annotations

from importlib import resources

from cms.errors import CMSError
from cms.fs import Disk
from s390.ebcdic import to_ebcdic

S_LABEL, Y_LABEL = "MNT190", "MNT19E"


def shipped_files(folder: str = "") -> dict[tuple[str, str], list[bytes]]:
    """(fn, ft) -> records of every file in cms/system[/folder]: NAME.type files."""
    root = resources.files("cms").joinpath("system")
    if folder:
        root = root.joinpath(folder)
    files = {}
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if not entry.is_file() or "." not in entry.name:
            continue
        fn, ft = entry.name.upper().rsplit(".", 1)
        lines = entry.read_text(encoding="utf-8").splitlines()
        files[(fn, ft)] = [to_ebcdic(line[:80].ljust(80)) for line in lines]
    return files


def open_or_format(device, label: str, mode: str) -> Disk:
    try:
        return Disk.open(device, mode)
    except CMSError:
        return Disk.format(device, label, mode)


def install_files(disk: Disk, files: dict[tuple[str, str], list[bytes]]) -> list[str]:
    """Write the files that are missing or different; returns their fileids."""
    written = []
    for (fn, ft), records in files.items():
        current = disk.lookup(fn, ft)
        if (
            current is not None
            and current.recfm == "F"
            and current.lrecl == 80
            and disk.read_file(fn, ft) == records
        ):
            continue
        disk.write_file(fn, ft, records, "F", 80, mode_number=2)
        written.append(f"{fn} {ft}")
    return written


def install_system_disks(s_disk, y_disk=None) -> list[str]:
    """Format (if new) and fill the S-disk and Y-disk; returns what was written."""
    done = [f"{f} S2" for f in install_files(open_or_format(s_disk, S_LABEL, "S"), shipped_files())]
    if y_disk is not None:
        shipped = {**shipped_files("y"), **shipped_files("help")}
        done += [f"{f} Y2" for f in install_files(open_or_format(y_disk, Y_LABEL, "Y"), shipped)]
    return done


def install_service_disk(device, label: str, folder: str) -> list[str]:
    """The shipped files of cms/system/<folder> the disk lacks; returns them."""
    disk = open_or_format(device, label, "A")
    missing = {
        key: records for key, records in shipped_files(folder).items() if disk.lookup(*key) is None
    }
    return [f"{f} A2" for f in install_files(disk, missing)]
