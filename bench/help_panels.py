"""Round trip of a HELP panel key on a 3270 of the real CP, in process.

    python -m bench.help_panels [keys]

Logs ALICE on at a 3270 (the screen model the Textual console uses, on
Console3270), starts HELP COPYFILE, then presses PF8/PF7 alternately
``keys`` times (default 200) and reports the time from the key to the next
panel drawn (DIAGNOSE X'58' read answered, CMS builds the panel, the
full-screen write reaches the display), and HELP's start time.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from cp import ds3270 as ds
from tests.cms.cmskit import make_cms_system
from tests.cp.screenkit import Display


async def wait(condition, timeout=30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the display did not change")
        await asyncio.sleep(0)


async def measure(keys: int) -> tuple[float, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        system = make_cms_system(Path(tmp))
        try:
            d = Display(system)
            d.type("LOGON ALICE ALICE")
            vm = system.find_user("ALICE")
            await wait(lambda: vm.console.read_pending)
            d.type("ACCESS (NOPROF")
            await wait(lambda: vm.console.read_pending)
            start = time.perf_counter()
            d.type("HELP COPYFILE")
            await wait(lambda: "COPYFILE HELPCMS" in d.text())
            opened = time.perf_counter() - start
            times = []
            for n in range(keys):
                key, seen = (
                    (ds.AID_PF[8], "Line 21 to") if n % 2 == 0 else (ds.AID_PF[7], "Line 1 to")
                )
                start = time.perf_counter()
                d.key(key)
                await wait(lambda seen=seen: seen in d.text())
                times.append(time.perf_counter() - start)
            d.key(ds.AID_PF[4])
            return opened, times
        finally:
            system.shutdown()


def main(argv: list[str]) -> None:
    keys = int(argv[0]) if argv else 200
    opened, times = asyncio.run(measure(keys))
    times.sort()
    print(f"HELP COPYFILE to its first panel: {opened * 1000:.1f} ms")
    print(
        f"PF7/PF8 round trip over {keys} keys: median {statistics.median(times) * 1000:.2f} ms, "
        f"95th percentile {times[int(len(times) * 0.95) - 1] * 1000:.2f} ms, "
        f"max {times[-1] * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
