"""Virtual devices: one registry, ``create_device(kind, vaddr, vm, **options)``.

``kind`` is the device type as the directory or DEFINE names it (``3215``,
``2540`` with ``role="READER"`` or ``"PUNCH"``, ``2540R``, ``3505``,
``2540P``, ``3525``, ``1403``, ``3211``, ``3370``, ``CTCA``, ``3088``,
``3270``/``GRAF``, ``TIMER``), or its class word (``CONSOLE``, ``READER``,
``PUNCH``, ``PRINTER``, ``FBA``).

Options by device:

* ``role``: ``READER``/``PUNCH`` for a 2540, ``CONSOLE`` for the device of a
  CONSOLE statement (a 3215 to the guest whatever terminal type it names);
* spooled devices: ``spool_class`` (the directory's class, ``*`` for a reader);
* FBA minidisks: ``minidisk`` (an open ``cp.minidisk.Minidisk``) or ``path``
  (its image file), and ``read_only``;
* tapes (``3420``): ``path`` of the AWS volume file or ``volume`` (an open
  ``cp.devices.tape.TapeVolume``), ``read_only``, ``raddr`` (the real drive).

Every device offers the channel ``execute(command, data, count)`` (see
cp.devices.base) and CP ``halt``, ``reset``, ``detach``, ``logoff`` and
``query_line``.
"""

from __future__ import annotations

from cp.devices.base import Device
from cp.devices.console import Console3215
from cp.devices.ctca import CTCA, couple, uncouple
from cp.devices.fba import FBADisk
from cp.devices.graf import Graf3270
from cp.devices.printer import Printer, Printer3211
from cp.devices.tape import Tape3420
from cp.devices.timer import PseudoTimer
from cp.devices.unitrecord import Punch, Punch3525, Reader, Reader3505

#: Device kind -> class (one row per name a directory or DEFINE may use).
DEVICE_KINDS: dict[str, type[Device]] = {
    "3215": Console3215,
    "3210": Console3215,
    "1052": Console3215,
    "CONSOLE": Console3215,
    "2540R": Reader,
    "READER": Reader,
    "RDR": Reader,
    "3505": Reader3505,
    "2501": Reader,
    "2540P": Punch,
    "PUNCH": Punch,
    "PUN": Punch,
    "3525": Punch3525,
    "1403": Printer,
    "PRINTER": Printer,
    "PRT": Printer,
    "1443": Printer,
    "3203": Printer,
    "3211": Printer3211,
    "3370": FBADisk,
    "FBA": FBADisk,
    "FB-512": FBADisk,
    "9336": FBADisk,
    "3310": FBADisk,
    "CTCA": CTCA,
    "3088": CTCA,
    "3270": Graf3270,
    "3277": Graf3270,
    "3278": Graf3270,
    "3279": Graf3270,
    "GRAF": Graf3270,
    "TIMER": PseudoTimer,
    "3420": Tape3420,
    "TAPE": Tape3420,
}

#: The 2540 is a reader and a punch in one: the SPOOL statement says which.
ROLE_KINDS = {"READER": Reader, "READ": Reader, "RDR": Reader, "PUNCH": Punch, "PUN": Punch}

#: A CONSOLE statement's device is the virtual machine's console whatever
#: terminal type it names (``role="CONSOLE"``): CP simulates it as a 3215.
CONSOLE_ROLE = "CONSOLE"


class DeviceTypeError(ValueError):
    """An unknown device type; the text is CP's message."""


def create_device(kind: str, vaddr: int, vm, **options) -> Device:
    """A new virtual device of ``kind`` at ``vaddr`` for ``vm``."""
    kind = str(kind).upper()
    if str(options.get("role", "")).upper() == CONSOLE_ROLE:
        options.pop("role")
        cls = Console3215
    elif kind == "2540":
        role = str(options.pop("role", "READER")).upper()
        cls = ROLE_KINDS.get(role)
    else:
        options.pop("role", None)
        cls = DEVICE_KINDS.get(kind)
    if cls is None:
        raise DeviceTypeError(f"DMKDEF026E OPERAND MISSING OR INVALID - {kind}")
    return cls(vaddr, vm, **options)


def make_device(kind: str, vaddr: int, vm, **options) -> Device:
    """Create a virtual device of type ``kind`` and attach it to ``vm`` at ``vaddr``."""
    device = create_device(kind, vaddr, vm, **options)
    vm.devices[vaddr] = device
    return device


__all__ = [
    "create_device",
    "make_device",
    "DEVICE_KINDS",
    "Device",
    "DeviceTypeError",
    "couple",
    "uncouple",
    "Console3215",
    "Reader",
    "Punch",
    "Printer",
    "FBADisk",
    "CTCA",
    "Graf3270",
    "PseudoTimer",
    "Tape3420",
]
