"""The VM/370 pseudo timer device (directory SPECIAL vaddr TIMER, DEFINE TIMER).

A READ (X'02') returns 32 bytes, the same data as DIAGNOSE X'0C' (VM/370 System
Programmer's Guide, "Pseudo Timer"): date ``MM/DD/YY`` and time
``HH:MM:SS`` in EBCDIC, then the virtual and the total CPU time of the
virtual machine in microseconds (8-byte binary each).  X'03' no-operation,
X'04' sense.
"""

from __future__ import annotations

import time

from cp.channel import CE_DE, Outcome
from cp.devices.base import Device
from s390.ebcdic import to_ebcdic


def pseudo_timer_data(vm) -> bytes:
    """The 32 pseudo-timer bytes for ``vm``: date, time, its virtual and total CPU time."""
    now = time.localtime()
    virtual_us, total_us = vm.account.virtual_us, vm.account.total_us
    return (
        to_ebcdic(time.strftime("%m/%d/%y", now))
        + to_ebcdic(time.strftime("%H:%M:%S", now))
        + virtual_us.to_bytes(8, "big")
        + total_us.to_bytes(8, "big")
    )


class PseudoTimer(Device):
    devtype = "TIMER"
    devclass = "TIMER"
    type_code = 0x0000
    COMMANDS = {0x02: "read", 0x03: "nop"}

    def read(self, command: int, data, count: int) -> Outcome:
        return Outcome(CE_DE, data=pseudo_timer_data(self.vm))

    def query_line(self) -> str:
        return f"TIMR {self.vaddr:03X} ON DEV {self.vaddr:03X}"
