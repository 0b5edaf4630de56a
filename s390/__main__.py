"""``python -m s390 info`` and ``python -m s390 run``: the bare-metal runner.

    python -m s390 run --image FILE@ADDR [--image FILE2@ADDR2 ...] [--psw HEX16]
                       [--storage 2M] [--max-instructions N] [--dump START:LEN ...] --json

Loads raw images into real storage, starts from the given PSW (or the PSW in
bytes 0-7), and runs until a disabled wait, the instruction limit, or a
program-interruption loop.  An enabled wait for a timer lets virtual time
pass to the timer event; an enabled wait nothing can end stops the run
("wait").  Each wait and each slice that executes nothing counts as one
instruction toward --max-instructions, so every run ends.  I/O instructions
and DIAGNOSE have no CP behind them here: they stop the run too ("io",
"diagnose").  Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from s390 import exits, purepy

SIZE_SUFFIX = {"K": 1 << 10, "M": 1 << 20}


class UsageError(Exception):
    pass


def parse_number(text: str) -> int:
    """0x-hex or decimal."""
    t = text.strip()
    try:
        return int(t, 16) if t.lower().startswith("0x") else int(t, 10)
    except ValueError:
        raise UsageError(f"not a number: {text!r}") from None


def parse_size(text: str) -> int:
    t = text.strip().upper()
    if t and t[-1] in SIZE_SUFFIX:
        return parse_number(t[:-1]) * SIZE_SUFFIX[t[-1]]
    return parse_number(t)


def parse_image(text: str) -> tuple[str, int]:
    path, sep, addr = text.rpartition("@")
    if not sep or not path:
        raise UsageError(f"--image wants FILE@ADDR, got {text!r}")
    return path, parse_number(addr)


def parse_dump(text: str) -> tuple[str, int, int]:
    start, sep, length = text.partition(":")
    if not sep:
        raise UsageError(f"--dump wants START:LEN, got {text!r}")
    return start, parse_number(start), parse_number(length)


def parse_psw(text: str) -> bytes:
    t = text.strip().replace(" ", "")
    if len(t) != 16:
        raise UsageError(f"--psw wants 16 hex digits, got {text!r}")
    try:
        return bytes.fromhex(t)
    except ValueError:
        raise UsageError(f"--psw wants 16 hex digits, got {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m s390")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("info", help="which build of the CPU is active")
    run = sub.add_parser("run", help="run raw images on one CPU, print a JSON result")
    run.add_argument("--image", action="append", default=[], metavar="FILE@ADDR")
    run.add_argument("--psw", metavar="HEX16")
    run.add_argument("--storage", default="2M")
    run.add_argument("--max-instructions", default="100000000")
    run.add_argument("--dump", action="append", default=[], metavar="START:LEN")
    run.add_argument("--json", action="store_true", help="print the JSON result (the default)")
    return parser


def run_machine(cpu_module, args) -> dict:
    size = parse_size(args.storage)
    if size % 4096 or not 4096 <= size <= 1 << 24:
        raise UsageError("--storage must be a multiple of 4K between 4K and 16M")
    limit = parse_number(args.max_instructions)
    images = [parse_image(i) for i in args.image]
    dumps = [parse_dump(d) for d in args.dump]
    psw = parse_psw(args.psw) if args.psw else None
    cpu = cpu_module.CPU(storage_size=size)
    for path, addr in images:
        try:
            data = open(path, "rb").read()
        except OSError as e:
            raise UsageError(f"cannot read image {path}: {e.strerror}") from None
        if addr + len(data) > size:
            raise UsageError(f"image {path} ({len(data)} bytes) does not fit at {addr:#x}")
        cpu.mem[addr : addr + len(data)] = data
    for start, addr, length in dumps:
        if addr + length > size or length < 0:
            raise UsageError(f"--dump {start}:{length} is outside storage")
    cpu.load_psw(psw if psw is not None else bytes(cpu.mem[0:8]))
    t0 = time.perf_counter()
    reason = run_until_done(cpu_module, cpu, limit)
    seconds = time.perf_counter() - t0
    result = {
        "reason": exits.EXIT_NAMES[reason],
        "psw": cpu.get_psw().hex().upper(),
        "gpr": ["%08X" % v for v in cpu.gpr],
        "fpr": ["%016X" % v for v in cpu.fpr],
        "cc": cpu.cc,
        "instructions": cpu.instructions,
        "seconds": round(seconds, 6),
        "mips": round(cpu.instructions / seconds / 1e6, 3) if seconds > 0 else 0.0,
        "storage": {
            start: bytes(cpu.mem[addr : addr + length]).hex().upper()
            for start, addr, length in dumps
        },
    }
    if reason in (exits.EXIT_PROGRAM, exits.EXIT_PGM_LOOP):
        result["code"] = cpu.exit_code
    return result


def run_until_done(cpu_module, cpu, limit: int) -> int:
    """run() in slices until something other than the budget or a timer
    wait ends it, or the limit is reached.

    Every turn of this loop is charged to the limit: the instructions it ran,
    or when it ran none one unit for a timer wait that let virtual time pass
    and one per interruption for a burst of interruptions through new PSWs
    that execute nothing (run() gives up after INTERRUPT_BURST of them).  So
    every run ends within ``limit`` turns whatever its PSWs and timers are."""
    charged = 0
    while True:
        left = limit - charged
        if left <= 0:
            return exits.EXIT_BUDGET
        before = cpu.instructions
        reason = cpu.run(min(left, 1 << 24))
        ran = cpu.instructions - before
        if ran == 0 and reason == exits.EXIT_BUDGET:
            ran = exits.INTERRUPT_BURST
        charged += max(1, ran)
        if reason == exits.EXIT_BUDGET:
            continue
        if reason == exits.EXIT_WAIT:
            ticks = cpu.next_timer_event()
            if ticks >= 0:
                cpu.advance_time(max(ticks, 1))
                continue
        return reason


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    cpu_module = purepy.import_cpu()
    if args.command == "info":
        info = purepy.build_info()
        print(f"s390 CPU build: {info['build']} ({info['cpu_module']})")
        print(f"Cython: {info['cython'] or 'not installed'}")
        return 0
    try:
        result = run_machine(cpu_module, args)
    except UsageError as e:
        print(f"python -m s390 run: {e}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
