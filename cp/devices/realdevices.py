"""The real devices CP may ATTACH to a virtual machine: the system
configuration file ``system.config`` in the system directory.

One statement a line (``*`` in column 1 starts a comment)::

    RDEVICE raddr TAPE|3420 FILE path [R/O]

names a real tape drive at ``raddr`` whose mounted volume is the AWS tape
file ``path`` (relative to the system directory; created empty when it
does not exist).  R/O mounts it without a write ring.  CP keeps which
drive is attached to whom; a drive is free again when its user DETACHes
it, is detached by the operator, or logs off.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CONFIG_NAME = "system.config"
#: Statements of system.config that other parts of CP read (with
#: ``config_statements``): VMLAN and DEFINE LAN are the guest LAN's (cp.lan).
OTHER_STATEMENTS = {"VMLAN", "DEFINE"}
DEVICE_TYPES = {"TAPE": "3420", "3420": "3420"}


class ConfigError(ValueError):
    """A statement of system.config CP cannot use; the text names the line."""


@dataclass
class RealDevice:
    raddr: int
    devtype: str
    path: Path
    read_only: bool = False
    owner: str | None = None  # the user it is attached to
    vaddr: int | None = None  # its address in that user's machine

    @property
    def devclass(self) -> str:
        return "TAPE"


def parse_statement(words: list[str], base: Path, number: int) -> RealDevice:
    upper = [w.upper() for w in words]
    if upper[0] != "RDEVICE":
        raise ConfigError(f"line {number}: unknown statement {words[0]}")
    if (
        len(words) not in (5, 6)
        or upper[3] != "FILE"
        or upper[2] not in DEVICE_TYPES
        or (len(words) == 6 and upper[5] != "R/O")
    ):
        raise ConfigError(f"line {number}: RDEVICE raddr TAPE FILE path [R/O]")
    try:
        raddr = int(words[1], 16)
    except ValueError:
        raise ConfigError(f"line {number}: invalid device address {words[1]}") from None
    if not 0 <= raddr <= 0xFFF:
        raise ConfigError(f"line {number}: invalid device address {words[1]}")
    path = Path(words[4])
    return RealDevice(
        raddr,
        DEVICE_TYPES[upper[2]],
        path if path.is_absolute() else base / path,
        read_only=len(words) == 6,
    )


def config_statements(sysdir, keyword: str | None = None):
    """(line number, words) of each statement of ``sysdir/system.config``
    (only those starting with ``keyword`` when given); none without a file."""
    config = Path(sysdir) / CONFIG_NAME
    if not config.exists():
        return
    for number, line in enumerate(config.read_text().splitlines(), start=1):
        words = line.split()
        if not words or line.startswith("*"):
            continue
        if keyword is None or words[0].upper() == keyword:
            yield number, words


def load_config(sysdir) -> dict[int, RealDevice]:
    """The real devices of ``sysdir/system.config`` (none when there is no file)."""
    base = Path(sysdir)
    devices: dict[int, RealDevice] = {}
    for number, words in config_statements(base):
        if words[0].upper() in OTHER_STATEMENTS:
            continue
        device = parse_statement(words, base, number)
        if device.raddr in devices:
            raise ConfigError(f"line {number}: device {device.raddr:03X} defined twice")
        devices[device.raddr] = device
    return devices


def real_devices(system) -> dict[int, RealDevice]:
    """The system's real devices, read from system.config the first time asked."""
    table = system.real_devices
    if table is None:
        table = load_config(system.path)
        system.real_devices = table
    return table
