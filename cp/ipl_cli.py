"""``vm370 ipl DECK``: IPL a standalone card deck in a fresh virtual machine.

The VM has the standard devices (docs/interfaces.md): the deck in the reader
at 00C (2540), console 009 (3215) on stdout, punch 00D (2540) and printer 00E
(1403).  The guest's console reads take lines from stdin.  The run
ends when the guest enters a disabled wait: exit code 0 for a wait PSW with
instruction address 0, 1 for any other wait PSW (printed), 3 when the
instruction limit (``--limit``) or the time limit (``--timeout``) ends a
guest that never stops, 4 for a program-interruption loop, 2 for bad input.
Printer output goes to stdout (or ``--printer FILE``) as text with carriage
control applied; punched cards go to ``--punch FILE`` as 80-byte EBCDIC card
images.  A deck file of 80-byte records is taken as card images; any other
file as text, one card per line, converted to EBCDIC.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import threading
from pathlib import Path

import s390.cpu as cpu_mod
from cp.devices.unitrecord import SpooledOutput
from cp.directory import DirectoryError, parse
from cp.errors import CommandError
from cp.ipl import ipl
from cp.system import System
from cp.terminal import Terminal
from s390.ebcdic import to_ebcdic

USERID = "STANDALN"
CARD = 80
DEFAULT_LIMIT = 200_000_000

EXIT_OK, EXIT_WAIT_CODE, EXIT_USAGE, EXIT_LIMIT, EXIT_LOOP = 0, 1, 2, 3, 4


def read_deck(path: Path) -> list[bytes]:
    """Card images from a deck file: binary 80-byte records, or text lines."""
    data = path.read_bytes()
    binary = data and len(data) % CARD == 0 and (b"\n" not in data or any(b >= 0x80 for b in data))
    if binary:
        return [data[i : i + CARD] for i in range(0, len(data), CARD)]
    text = data.decode("utf-8", errors="replace")
    return [to_ebcdic(line.rstrip("\r")[:CARD].ljust(CARD)) for line in text.splitlines()]


def directory_text(storage: str) -> str:
    return (
        f"USER {USERID} NOLOG {storage} {storage} G\n CONSOLE 009 3215\n"
        " SPOOL 00C 2540 READER *\n SPOOL 00D 2540 PUNCH A\n SPOOL 00E 1403 A\n"
    )


class StdoutTerminal(Terminal):
    """The console of ``vm370 ipl``: every line to stdout as it comes."""

    address, kind, width = "CONS", "3215", 80

    def __init__(self, out):
        self.out = out

    def put_line(self, text: str, alarm: bool = False) -> None:
        print(text, file=self.out, flush=True)


async def wait_for_end(vm, limit: int, timeout: float | None) -> str:
    """'stopped' when the guest stops, 'limit' when a limit ends it."""
    loop = asyncio.get_running_loop()
    deadline = None if timeout is None else loop.time() + timeout
    while vm.running:
        if vm.cpu.instructions >= limit or (deadline is not None and loop.time() >= deadline):
            vm.stop()
            return "limit"
        await asyncio.sleep(0.005)
    return "stopped"


def unit_record_output(system, vm, vaddr: int, kind: str) -> bytes | None:
    """Close the VM's printer or punch; the system queue's output, separator dropped."""
    device = vm.devices.get(vaddr)
    if not isinstance(device, SpooledOutput) or device.file is None:
        return None
    before = set(system.spool.listings() if kind == "PRT" else system.spool.punched())
    device.close()
    after = set(system.spool.listings() if kind == "PRT" else system.spool.punched())
    made = sorted(after - before)
    if not made:
        return None
    data = made[-1].read_bytes()
    if kind == "PRT":
        data = data.split(b"\f", 1)[1] if b"\f" in data else data
    return data


class ConsoleInput:
    """Feeds the guest's console reads from a text stream (stdin), one line per
    read, read in a worker thread only when the guest asks; at end of input the
    read stays pending (the limit ends a guest that waits for ever)."""

    def __init__(self, console, stream):
        self.console, self.stream = console, stream
        self.busy = self.ended = False

    def __call__(self) -> None:
        if self.busy or self.ended or self.stream is None:
            return
        self.busy = True
        loop = asyncio.get_running_loop()
        # A daemon thread: a read still waiting on a terminal never holds up the exit.
        threading.Thread(target=self._read, args=(loop,), daemon=True).start()

    def _read(self, loop) -> None:
        try:
            line = self.stream.readline()
        except (OSError, ValueError):
            line = ""
        try:
            loop.call_soon_threadsafe(self._deliver, line)
        except RuntimeError:  # the run is over
            pass

    def _deliver(self, line: str) -> None:
        self.busy = False
        if not line:
            self.ended = True
            return
        if self.console.read_pending:
            self.console.to_guest(line.rstrip("\n"))
        else:
            self.console.typeahead.append(line.rstrip("\n"))


async def run_deck(
    cards, storage: str, sysdir: Path, limit: int, timeout, out, err, console_input
) -> tuple[int, object, object]:
    system = System(sysdir, directory=parse(directory_text(storage)))
    vm = system.logon(USERID, None)
    vm.console.attach(StdoutTerminal(out))
    vm.console.read_listeners.append(ConsoleInput(vm.console, console_input))
    system.spool.add_closed("OPERATOR", "PUN", [(0x01, c) for c in cards], owner=USERID)
    try:
        ipl(vm, "00C")
    except CommandError as error:
        print(f"vm370 ipl: {error}", file=err)
        return EXIT_USAGE, system, vm
    how = await wait_for_end(vm, limit, timeout)
    system.dispatcher.stop_guest(vm)
    psw = vm.cpu.get_psw()
    text = f"{psw[:4].hex().upper()} {psw[4:].hex().upper()}"
    if how == "limit":
        print(
            f"vm370 ipl: guest stopped by the limit after {vm.cpu.instructions} instructions;"
            f" PSW {text}",
            file=err,
        )
        return EXIT_LIMIT, system, vm
    reason = vm.stopped_reason
    if reason == cpu_mod.EXIT_PGM_LOOP:
        print(f"vm370 ipl: program interruption loop; PSW {text}", file=err)
        return EXIT_LOOP, system, vm
    if int.from_bytes(psw[5:8], "big") == 0:
        return EXIT_OK, system, vm
    print(f"vm370 ipl: disabled wait PSW {text}", file=err)
    return EXIT_WAIT_CODE, system, vm


def ipl_deck(
    deck: Path,
    storage: str = "1M",
    printer: Path | None = None,
    punch: Path | None = None,
    limit: int = DEFAULT_LIMIT,
    timeout=None,
    out=None,
    err=None,
    console_input=None,
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    try:
        parse(directory_text(storage))
    except DirectoryError:
        print(f"vm370 ipl: invalid storage size {storage}", file=err)
        return EXIT_USAGE
    try:
        cards = read_deck(deck)
    except OSError as error:
        print(f"vm370 ipl: cannot read {deck}: {error.strerror}", file=err)
        return EXIT_USAGE
    if not cards:
        print(f"vm370 ipl: {deck} holds no cards", file=err)
        return EXIT_USAGE
    with tempfile.TemporaryDirectory(prefix="vm370-ipl-") as tmp:
        code, system, vm = asyncio.run(
            run_deck(cards, storage, Path(tmp), limit, timeout, out, err, console_input)
        )
        listing = unit_record_output(system, vm, 0x00E, "PRT")
        cards_out = unit_record_output(system, vm, 0x00D, "PUN")
    if listing:
        if printer is not None:
            printer.write_bytes(listing)
        else:
            out.write(listing.decode("utf-8", errors="replace"))
    if punch is not None:
        punch.write_bytes(cards_out or b"")
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vm370 ipl", description=__doc__.splitlines()[0])
    parser.add_argument("deck", type=Path, help="the IPL deck (card images or text)")
    parser.add_argument("--storage", default="1M", help="virtual storage, e.g. 512K or 2M")
    parser.add_argument("--printer", type=Path, help="write printer output here (default stdout)")
    parser.add_argument("--punch", type=Path, help="write punched cards here (80-byte EBCDIC)")
    parser.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        help=f"stop after this many instructions (default {DEFAULT_LIMIT})",
    )
    parser.add_argument("--timeout", type=float, help="stop after this many seconds")
    args = parser.parse_args(argv)
    return ipl_deck(
        args.deck,
        args.storage.upper(),
        args.printer,
        args.punch,
        args.limit,
        args.timeout,
        console_input=sys.stdin,
    )


if __name__ == "__main__":
    sys.exit(main())
