"""Fakes shared by the channel, device and spool tests: a CPU with the
interrupt calls of docs/interfaces.md section 1, a line console, a system.

(The file name keeps it inside the device engineer's tests; its own tests
check that the fakes behave like the contract says.)"""

from __future__ import annotations

from tests.cp.devkit import (
    FakeCPU,
    ccw,
)


def test_fake_cpu_withdraws_only_the_devices_interrupt():
    cpu = FakeCPU()
    cpu.post_io_interrupt(0x00C, b"\0" * 8)
    cpu.post_io_interrupt(0x00E, b"\1" * 8)
    assert cpu.withdraw_io_interrupt(0x00E) == b"\1" * 8
    assert cpu.withdraw_io_interrupt(0x00E) is None
    assert cpu.io_interrupt_pending(0x00C)


def test_ccw_image_layout():
    assert ccw(0x09, 0x001000, 0x60, 80) == bytes.fromhex("0900100060000050")
