"""``python -m bench.scaling [--vms 1 2 8] [--seconds S]``: both host cores.

For each N, N users log on and IPL the same S/370 program that loops for
ever (register, storage and branch work; bench.fairness's LOOP_PROGRAM)
and one more user, ECHOER, runs a program that reads a console line and
writes it back.  Printed per N and per dispatcher mode (on the event loop
only; CPU slices in worker threads): the busy VMs' instructions per second
together, the ratio to one busy VM in the same mode, and the median and 95th
percentile time from ENTER to ECHOER's echoed line (responses to other
users, which must not get worse).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bench.fairness import ECHO_PROGRAM, LOOP_PROGRAM, echo_latency, start
from cp.directory import parse
from cp.system import System


def directory(busy: int) -> str:
    users = ["ECHOER"] + [f"LOOP{n:02d}" for n in range(busy)]
    return "".join(
        f"USER {u} PW 1M 1M G\n CONSOLE 009 3215\n SPOOL 00C 2540 READER *\n" for u in users
    )


async def measure(busy: int, threaded: bool, seconds: float, samples: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="vm370-bench-") as tmp:
        system = System(Path(tmp), directory=parse(directory(busy)))
        system.dispatcher.threaded = threaded
        try:
            terminal, session = start(system, "ECHOER", ECHO_PROGRAM)
            for n in range(busy):
                start(system, f"LOOP{n:02d}", LOOP_PROGRAM)
            await asyncio.sleep(0.2)
            vms = [system.find_user(f"LOOP{n:02d}") for n in range(busy)]
            before, t0 = sum(vm.cpu.instructions for vm in vms), time.perf_counter()
            await asyncio.sleep(seconds)
            rate = (sum(vm.cpu.instructions for vm in vms) - before) / (time.perf_counter() - t0)
            latencies = sorted(x * 1000 for x in await echo_latency(terminal, session, samples))
        finally:
            system.shutdown()
    return {
        "rate": rate,
        "median": statistics.median(latencies),
        "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.scaling", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--vms", type=int, nargs="+", default=[1, 2, 8])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument(
        "--modes", nargs="+", default=["loop", "threads"], choices=["loop", "threads"]
    )
    args = parser.parse_args(argv)
    print(
        f"{'mode':8} {'busy VMs':>8} {'MIPS':>8} {'vs 1 VM':>8} {'echo median ms':>15} {'p95 ms':>8}"
    )
    for mode in args.modes:
        one = None
        for busy in args.vms:
            row = asyncio.run(measure(busy, mode == "threads", args.seconds, args.samples))
            one = one or row["rate"]
            print(
                f"{mode:8} {busy:8d} {row['rate'] / 1e6:8.1f} {row['rate'] / one:8.2f} "
                f"{row['median']:15.2f} {row['p95']:8.2f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
