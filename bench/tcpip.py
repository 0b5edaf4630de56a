"""CMS TCP/IP benchmark on the real CP, the default system (LOCALNET, the
autologged WEBSRV, ALICE and BOB with their HOSTS LOCAL addresses):

    python -m bench.tcpip [--megabytes N] [--pings K] [--requests R] [--ftp-megabytes F]

* guest -> guest: ALICE's client EXEC sends N MB (64 KiB SOCKET('Send')
  calls) to BOB's server EXEC, which checks every byte (tests/cms/netkit.py
  has both); the time is from ALICE's command to BOB's Ready.
* host -> guest: a host client on 127.0.0.1 writes N MB to a port forward
  to BOB's server EXEC (the gateway's NAT and relay between), the same
  check; from the first byte written to BOB's Ready.
* HTTP: R sequential GET / requests from a host client through the forward
  to WEBSRV's WEBSERV EXEC, a new connection each (the server answers
  ``Connection: close``; it serves one connection at a time).
* FTP: Python's ftplib on the host STORs and RETRs F MB (binary, passive
  mode) to CMSUSER's A-disk through a forward to FTPSERVE (the gateway's FTP
  gateway relays the data connections), every byte compared.
* PING BOB K times from ALICE: the time of the whole command per echo
  (PING's own times are below its millisecond resolution).

Host time, not guest time; a number of this run on this machine, not a
promise.
"""

from __future__ import annotations

import argparse
import asyncio
import ftplib
import io
import random
import tempfile
import time
from pathlib import Path

from cp.gateway.forward import open_forwards
from cp.gateway.spec import ForwardSpec
from tests.cms.cmskit import User
from tests.cms.netkit import CLIENT_EXEC, SERVER_EXEC, write_exec
from vm370.boot import make_system

PATTERN = bytes(range(256))
REQUEST = b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n"


async def logged_on(system, userid: str) -> User:
    user = User(system, userid, userid)  # the default directory: password = user id
    await user.cms()
    return user


async def guest_to_guest(alice, bob, megabytes: int) -> float:
    start = len(bob.lines)
    bob.session.enter("SERVER 5000")
    await bob.wait(start, "WAITING")
    began = time.perf_counter()
    await alice.type(f"CLIENT BOB 5000 {megabytes * 16}", timeout=900)
    done = await bob.wait(start, "Ready", timeout=900)
    seconds = time.perf_counter() - began
    assert f"RECEIVED {megabytes << 20} BAD 0" in done, done
    return megabytes / seconds


async def host_to_guest(system, bob, megabytes: int) -> float:
    # Another port than guest_to_guest's: BOB's port 5000 may still be held by
    # the closing connection, and SERVER EXEC binds without SO_REUSEADDR.
    forward = system.lans.add_forward(ForwardSpec("127.0.0.1", 0, "BOB", 5001))
    await forward.start()
    start = len(bob.lines)
    bob.session.enter("SERVER 5001")
    await bob.wait(start, "WAITING")
    began = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", forward.port)
    block = PATTERN * 256
    for _ in range(megabytes * 16):
        writer.write(block)
        await writer.drain()
    writer.write_eof()
    done = await bob.wait(start, "Ready", timeout=900)
    seconds = time.perf_counter() - began
    writer.close()
    assert f"RECEIVED {megabytes << 20} BAD 0" in done, done
    return megabytes / seconds


async def http_requests(port: int, requests: int) -> tuple[float, int]:
    """(requests a second, bytes of one answer) for sequential GET /."""
    size = 0
    began = time.perf_counter()
    for _ in range(requests):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(REQUEST)
        answer = await asyncio.wait_for(reader.read(), 60)
        writer.close()
        assert answer.startswith(b"HTTP/1.1 200 OK"), answer[:100]
        size = len(answer)
    return requests / (time.perf_counter() - began), size


def ftp_round_trip(port: int, megabytes: int) -> tuple[float, float]:
    """(STOR MB/s, RETR MB/s) of ``megabytes`` of random bytes, checked."""
    data = random.Random(megabytes).randbytes(megabytes << 20)
    deadline = time.monotonic() + 120
    while True:
        try:
            ftp = ftplib.FTP()
            ftp.connect("127.0.0.1", port, timeout=120)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    ftp.login("cmsuser", "cmsuser")  # not logged on: FTPSERVE links its 191 R/W
    began = time.perf_counter()
    ftp.storbinary("STOR bench.data", io.BytesIO(data))
    stored = time.perf_counter() - began
    back = bytearray()
    began = time.perf_counter()
    ftp.retrbinary("RETR BENCH.DATA", back.extend)
    retrieved = time.perf_counter() - began
    assert bytes(back) == data, "FTP round trip differs"
    ftp.delete("BENCH.DATA")
    ftp.quit()
    return megabytes / stored, megabytes / retrieved


async def wait_for_web(port: int, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(REQUEST)
            answer = await asyncio.wait_for(reader.read(), 20)
            writer.close()
            if answer.startswith(b"HTTP/1.1 200"):
                return
        except (OSError, TimeoutError):
            pass
        await asyncio.sleep(0.5)
    raise RuntimeError("WEBSRV does not answer through the forward")


async def ping(alice, pings: int) -> float:
    """Milliseconds per echo, timed over the whole PING command (PING's own
    times are below its millisecond resolution; console lines included)."""
    began = time.perf_counter()
    out = await alice.type(f"PING BOB {pings}", timeout=600)
    seconds = time.perf_counter() - began
    answered = sum(1 for x in out if " took " in x)
    if answered != pings:
        raise RuntimeError(f"PING: {answered}/{pings} answered: " + " / ".join(out))
    return seconds / pings * 1000


async def run(
    megabytes: int, pings: int, requests: int, ftp_megabytes: int
) -> list[tuple[str, str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        system = make_system(Path(folder) / "sys", logon_delay=0.0)
        try:
            specs = [
                ForwardSpec("127.0.0.1", 0, u, p) for u, p in (("WEBSRV", 80), ("FTPSERVE", 21))
            ]
            errors = await open_forwards(system, specs, say=lambda _: None)
            assert not errors, errors
            web, ftp = (
                next(f for f in system.lans.forwards if f.spec.userid == u)
                for u in ("WEBSRV", "FTPSERVE")
            )
            alice = await logged_on(system, "ALICE")
            bob = await logged_on(system, "BOB")
            await write_exec(alice, "CLIENT", CLIENT_EXEC)
            await write_exec(bob, "SERVER", SERVER_EXEC)
            rows = [
                (
                    "TCP guest -> guest (REXX Sockets, ALICE -> BOB)",
                    f"{await guest_to_guest(alice, bob, megabytes):.2f}",
                    "MB/s",
                ),
                (
                    "TCP host -> guest (forward, gateway, BOB's EXEC)",
                    f"{await host_to_guest(system, bob, megabytes):.2f}",
                    "MB/s",
                ),
            ]
            await wait_for_web(web.port)
            rate, size = await http_requests(web.port, requests)
            rows.append(
                (
                    f"HTTP GET / from WEBSRV ({size} bytes, a connection each)",
                    f"{rate:.1f}",
                    "requests/s",
                )
            )
            stor, retr = await asyncio.to_thread(ftp_round_trip, ftp.port, ftp_megabytes)
            rows.append(
                ("FTP STOR host -> FTPSERVE (ftplib, passive, binary)", f"{stor:.2f}", "MB/s")
            )
            rows.append(
                ("FTP RETR FTPSERVE -> host (ftplib, passive, binary)", f"{retr:.2f}", "MB/s")
            )
            average = await ping(alice, pings)
            rows.append(("PING ALICE -> BOB, whole command per echo", f"{average:.2f}", "ms"))
            return rows
        finally:
            system.shutdown()


def table(rows: list[tuple[str, str, str]]) -> str:
    width = max(len(name) for name, _, _ in rows)
    number = max(len(value) for _, value, _ in rows)
    return "\n".join(f"{name:<{width}}  {value:>{number}} {unit}" for name, value, unit in rows)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=4)
    parser.add_argument("--pings", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--ftp-megabytes", type=int, default=1)
    args = parser.parse_args(argv)
    rows = asyncio.run(run(args.megabytes, args.pings, args.requests, args.ftp_megabytes))
    print(table(rows))


if __name__ == "__main__":
    main()
