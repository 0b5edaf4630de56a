"""Measure the virtual I/O path: ``python -m bench.io [--dir DIR]``.

Prints, for this host:
  * SIO/s of a one-CCW 80-byte printer write (channel + device + spool record);
  * 4 KB FBA reads and durable writes per second through a channel program;
  * spool file closes per second (each one written, fsynced and renamed);
  * cards per second through ``vm370 punch``'s deck conversion.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from cp import channel
from cp.devices import create_device
from cp.minidisk import Minidisk
from cp.spool import Spool
from cp.spool_cli import deck_cards


class _Cpu:
    """Storage and the interrupt calls the channel uses."""

    def __init__(self, size: int = 1 << 20):
        self.mem, self.keys, self.io_queue = bytearray(size), bytearray(size >> 11), []

    def set_cc(self, cc):
        self.cc = cc

    def post_io_interrupt(self, devaddr, csw):
        self.io_queue.append((devaddr, csw))


class _System:
    def __init__(self, spool):
        self.spool = spool

    def notify(self, userid, text, alarm=True):
        return False


class _Vm:
    def __init__(self, system):
        self.userid, self.system, self.cpu, self.devices = "BENCH", system, _Cpu(), {}


def _rate(count: int, action) -> float:
    start = time.perf_counter()
    for _ in range(count):
        action()
    return count / (time.perf_counter() - start)


def _program(vm, *ccws: bytes) -> None:
    vm.cpu.mem[0x800 : 0x800 + 8 * len(ccws)] = b"".join(ccws)
    vm.cpu.mem[0x48:0x4C] = (0x800).to_bytes(4, "big")


def _ccw(cmd, addr, flags, count):
    return bytes([cmd]) + addr.to_bytes(3, "big") + bytes([flags, 0]) + count.to_bytes(2, "big")


def run(workdir: Path) -> dict[str, float]:
    spool = Spool(workdir / "spool")
    vm = _Vm(_System(spool))
    vm.devices[0x00E] = create_device("1403", 0x00E, vm)
    disk = Minidisk.create(workdir / "bench.img", 2048)
    vm.devices[0x191] = create_device("3370", 0x191, vm, minidisk=disk)
    figures = {}

    _program(vm, _ccw(0x09, 0x1000, 0x20, 80))

    def sio_print():
        channel.start_io(vm, 0x9C00, 0x00E)
        vm.cpu.io_queue.clear()

    figures["printer SIO/s"] = _rate(20000, sio_print)

    extent = (
        bytes([0xC0, 0])
        + (512).to_bytes(2, "big")
        + bytes(4)
        + bytes(4)
        + (2047).to_bytes(4, "big")
    )
    vm.cpu.mem[0x100:0x110] = extent

    def fba(op_locate, op_ccw):
        vm.cpu.mem[0x110:0x118] = bytes([op_locate, 0, 0, 8]) + (16).to_bytes(4, "big")
        _program(
            vm,
            _ccw(0x63, 0x100, 0x40, 16),
            _ccw(0x43, 0x110, 0x40, 8),
            _ccw(op_ccw, 0x2000, 0, 4096),
        )
        return lambda: (channel.start_io(vm, 0x9C00, 0x191), vm.cpu.io_queue.clear())

    figures["FBA 4K reads/s"] = _rate(5000, fba(0x06, 0x42))
    figures["FBA 4K durable writes/s"] = _rate(300, fba(0x01, 0x41))

    card = b"\x40" * 80

    def close_file():
        sf = spool.open_file("BENCH", "PUN")
        for _ in range(10):
            spool.add_record(sf, 1, card)
        spool.close_file(sf, "RDR", "BENCH")

    figures["spool closes/s (10 cards)"] = _rate(200, close_file)

    deck = ("X" * 72 + "\n").encode() * 10000
    start = time.perf_counter()
    deck_cards(deck)
    figures["text deck cards/s"] = 10000 / (time.perf_counter() - start)
    disk.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.io")
    parser.add_argument("--dir", help="work directory (default: a temporary one)")
    args = parser.parse_args(argv)
    if args.dir:
        figures = run(Path(args.dir))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            figures = run(Path(tmp))
    for name, value in figures.items():
        print(f"{name:<28} {value:12,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
