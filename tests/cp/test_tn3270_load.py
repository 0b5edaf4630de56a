"""Many TN3270E displays at once against the real CP: each negotiates, gets
the logon screen and has a LOGON answered.  Prints the figures.

    python -m pytest tests/cp/test_tn3270_load.py -s
"""

import asyncio
import time

import pytest

from cp import ds3270 as ds
from cp.system import System
from cp.tn3270 import EOR, IAC, SB, SE, TelnetParser, TN3270Server, escape_iac
from tui.screen import Screen

CLIENTS = 200


class RawDisplay:
    """A bare TN3270E display built on the screen model (load generator only;
    the conformance tests use s3270 and tnz)."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer
        self.parser = TelnetParser()
        self.screen = Screen(model=2)

    async def event(self):
        while not self.parser.events:
            data = await self.reader.read(8192)
            if not data:
                raise ConnectionError("closed")
            self.parser.feed(data)
        return self.parser.events.pop(0)

    async def negotiate(self):
        assert await self.event() == ("cmd", 253, 40)
        self.writer.write(bytes([IAC, 251, 40]))
        await self.event()  # SEND DEVICE-TYPE
        self.writer.write(bytes([IAC, SB, 40, 2, 7]) + b"IBM-3278-2-E" + bytes([IAC, SE]))
        await self.event()  # DEVICE-TYPE IS
        self.writer.write(bytes([IAC, SB, 40, 3, 7, IAC, SE]))  # FUNCTIONS REQUEST (none)
        await self.event()  # FUNCTIONS IS

    async def until(self, text):
        wanted = ds.to_ebcdic(text)
        while wanted not in self.screen.buffer:
            kind, *rest = await self.event()
            if kind == "record":
                self.screen.process(rest[0][5:])

    def enter(self, line):
        self.screen.home()
        self.screen.type_text(line)
        record = bytes(5) + self.screen.aid(ds.AID_ENTER)
        self.writer.write(escape_iac(record) + bytes([IAC, EOR]))


async def one_display(port, n, latencies):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    d = RawDisplay(reader, writer)
    await d.negotiate()
    await d.until("VM/370 ONLINE")
    started = time.perf_counter()
    d.enter(f"LOGON NOUSER{n % 100:02d}")
    await d.until("NOT IN CP DIRECTORY")
    latencies.append(time.perf_counter() - started)
    writer.close()


@pytest.mark.slow
async def test_many_displays_at_once(tmp_path):
    server = TN3270Server(System(tmp_path), port=0, max_pending_per_address=None)
    port = await server.start()
    latencies: list[float] = []
    started = time.perf_counter()
    await asyncio.wait_for(
        asyncio.gather(*(one_display(port, n, latencies) for n in range(CLIENTS))), 120
    )
    elapsed = time.perf_counter() - started
    await server.close()
    latencies.sort()
    print(
        f"\n{CLIENTS} TN3270E displays: negotiate + logon screen + one LOGON answer "
        f"in {elapsed:.2f} s; answer latency median {latencies[len(latencies) // 2] * 1000:.1f} ms,"
        f" 95th percentile {latencies[int(len(latencies) * 0.95)] * 1000:.1f} ms"
    )
    assert len(latencies) == CLIENTS
