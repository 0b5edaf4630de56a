"""The system directory: where a VM/370 system keeps everything persistent.

Layout (DESIGN.md, key decision 8)::

    DIR/user.direct      the CP user directory (USER DIRECT syntax, cp.directory)
    DIR/system.config    real devices, guest LANs (cp.devices.realdevices, cp.lan)
    DIR/logmsg           the message of the day (SET LOGMSG), one line per line
    DIR/disks/           minidisk image files (cp.minidisk)
    DIR/spool/           spool files (cp.spool)
    DIR/log/system.log   logons, failed logons, FORCE, SHUTDOWN

``vm370 init [--system DIR]`` creates DIR from the embedded default without
starting anything, so an administrator can edit ``user.direct`` first.  A
directory holding only ``user.direct`` is completed on first start
(``complete``): the other parts are created and a minidisk image is made (and,
by vm370.boot, CMS-formatted) for every MDISK statement that has none yet.  The default location is ``~/.vm370`` (or
``$VM370_SYSTEM``).

Everything created here is owner-only (directories 0700, files 0600):
user.direct may hold clear-text passwords, the disks and spool the users'
data (cp.security; the System warns at start about what is not).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from importlib import resources
from pathlib import Path

from cp import directory as directory_mod
from cp.minidisk import create_image
from cp.security import exposed_paths, open_private, private_dir

DIRECTORY_FILE = "user.direct"
CONFIG_FILE = "system.config"  # cp.devices.realdevices, cp.lan
LOGMSG_FILE = "logmsg"


def default_path() -> Path:
    return Path(os.environ.get("VM370_SYSTEM") or Path.home() / ".vm370")


def embedded_directory_text() -> str:
    return resources.files("cp.data").joinpath("user.direct").read_text(encoding="utf-8")


def write_atomic(path: Path, text: str) -> None:
    """Write, flush, fsync, rename: a crash leaves the old file or the new one."""
    tmp = path.with_name(path.name + ".tmp")
    with os.fdopen(
        open_private(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), "w", encoding="utf-8"
    ) as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def embedded_config_text() -> str:
    return resources.files("cp.data").joinpath(CONFIG_FILE).read_text(encoding="utf-8")


def init(path: Path) -> list[str]:
    """Create a system directory holding the embedded default user directory
    and system configuration (and the empty spool, disks and log folders);
    returns what was made.  The default system.config defines the SYSTEM LAN
    LOCALNET the default users' NICDEFs couple to.  Minidisk images are left
    to the first start, so that an administrator can edit user.direct first
    and the images match it."""
    private_dir(path)
    made = []
    target = path / DIRECTORY_FILE
    if not target.exists():
        write_atomic(target, embedded_directory_text())
        made.append(str(target))
        config = path / CONFIG_FILE
        if not config.exists():
            write_atomic(config, embedded_config_text())
            made.append(str(config))
    return made + make_folders(path)


def make_folders(path: Path) -> list[str]:
    made = []
    for sub in ("disks", "spool", "log"):
        if not (path / sub).is_dir():
            private_dir(path / sub)
            made.append(str(path / sub))
    if not (path / LOGMSG_FILE).exists():
        write_atomic(path / LOGMSG_FILE, "")
    return made


def load_directory(path: Path, format_disk=None, report=None):
    """The parsed user directory of a system directory (completing it if needed)."""
    path = Path(path)
    if not (path / DIRECTORY_FILE).exists():
        init(path)
    complete(path, format_disk, report)
    return directory_mod.load(path / DIRECTORY_FILE)


def read_directory(path: Path):
    """The parsed user directory, creating and changing nothing: for the
    tools that work beside a system (``vm370 punch``, ``vm370 batch``), which
    must leave making and formatting minidisks to the system's own start."""
    return directory_mod.load(Path(path) / DIRECTORY_FILE)


def complete(path: Path, format_disk=None, report=None) -> list[str]:
    """Create what a directory holding only user.direct lacks; returns what was made.

    Every MDISK gets an image of the directory's size.  ``format_disk(image_path,
    owner, vaddr)`` (from vm370.boot: the CMS formatter) is called for every
    image that was never written, whoever created it (a first start, or a
    tool that ran before it): "new" is read from the image itself, not from
    whether it existed.  An image shorter than its MDISK (truncated on the
    host) is extended with zero blocks and reported through ``report(text)``."""
    made = make_folders(path)
    directory = directory_mod.load(path / DIRECTORY_FILE)
    for entry in directory:
        for mdisk in entry.mdisks:
            image = minidisk_path(path, entry.userid, mdisk.vaddr)
            if not image.exists():
                create_minidisk_image(image, mdisk)
                made.append(str(image))
            else:
                restore_size(image, mdisk, entry.userid, report)
            if format_disk is not None and never_written(image):
                format_disk(image, entry.userid, mdisk.vaddr)
    return made


def restore_size(image: Path, mdisk, owner: str, report=None) -> None:
    """A minidisk image shorter than its MDISK gets its missing blocks back
    (as zeros), so CP never presents a disk smaller than the directory says."""
    size, wanted = image.stat().st_size, mdisk.blocks * 512
    if size >= wanted:
        return
    with open(image, "r+b") as f:
        f.truncate(wanted)
        os.fsync(f.fileno())
    if report is not None:
        report(
            f"MINIDISK {owner} {mdisk.vaddr:03X} IMAGE WAS {size} BYTES, NOT {wanted}: "
            f"EXTENDED WITH ZERO BLOCKS"
        )


def never_written(image: Path) -> bool:
    """Is the image all zeros, as create_image leaves it (nothing was ever
    written to it)?  A sparse image with no data extent answers at once."""
    with open(image, "rb") as f:
        try:
            os.lseek(f.fileno(), 0, os.SEEK_DATA)
        except OSError:
            return True  # ENXIO: no data anywhere, all holes
        while chunk := f.read(1 << 20):
            if chunk.count(0) != len(chunk):
                return False
    return True


def minidisk_path(path: Path, owner: str, vaddr: int) -> Path:
    """The image file backing ``owner``'s minidisk ``vaddr``."""
    return Path(path) / "disks" / f"{owner}.{vaddr:03X}.img"


def create_minidisk_image(image: Path, mdisk) -> None:
    """A new minidisk image of the directory's size (cp.minidisk)."""
    create_image(image, mdisk.blocks)


def read_logmsg(path: Path, report=None) -> list[str]:
    """The message of the day.  A logmsg file that is not UTF-8 text is moved
    to quarantine/ and reported through ``report(text)``; the system starts
    without a message rather than not at all."""
    f = Path(path) / LOGMSG_FILE
    try:
        raw = f.read_bytes()
    except FileNotFoundError:
        return []
    try:
        return raw.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        moved = quarantine(Path(path), f)
        if report is not None:
            report(f"LOGMSG FILE IS NOT TEXT; MOVED TO QUARANTINE: {moved}")
        return []


def quarantine(path: Path, damaged: Path) -> str:
    """Move a damaged file of the system directory into DIR/quarantine/; its new name."""
    folder = Path(path) / "quarantine"
    folder.mkdir(exist_ok=True)
    target = folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{damaged.name}"
    n = 1
    while target.exists():
        target, n = folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{n}-{damaged.name}", n + 1
    os.replace(damaged, target)
    return target.name


def save_logmsg(path: Path, lines: list[str]) -> None:
    write_atomic(Path(path) / LOGMSG_FILE, "".join(line + "\n" for line in lines))


def init_main(argv: list[str] | None = None) -> int:
    """``vm370 init [--system DIR]``."""
    parser = argparse.ArgumentParser(
        prog="vm370 init", description="create a system directory from the embedded default"
    )
    parser.add_argument(
        "--system", type=Path, default=None, help="system directory (default ~/.vm370)"
    )
    args = parser.parse_args(argv)
    path = args.system or default_path()
    if (path / DIRECTORY_FILE).exists():
        print(f"vm370 init: {path} already holds a user directory; completing it")
    try:
        made = init(path)
        directory_mod.load(path / DIRECTORY_FILE)  # report a bad directory now
    except directory_mod.DirectoryError as err:
        print(err, file=sys.stderr)
        return 1
    for item in made:
        print(f"created {item}")
    for exposed, mode in exposed_paths(path):
        print(
            f"vm370 init: warning: {exposed} is accessible by other users "
            f"(mode {mode:04o}); chmod go-rwx it",
            file=sys.stderr,
        )
    print(f"system directory {path} ready; edit {path / DIRECTORY_FILE} to add users")
    return 0
