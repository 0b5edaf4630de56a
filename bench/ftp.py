"""FTP and web server throughput inside the system (python -m bench.ftp).

ALICE PUTs and GETs a binary file of SIZE bytes (default 1 MB) to BOB's
minidisk through FTPSERVE over LOCALNET, and a REXX client EXEC fetches
WEBSRV's home page N times; prints the FTP client's own "bytes transferred
in s seconds" figures, the wall-clock time of each step and the requests
per second.  Usage: python -m bench.ftp [SIZE] [N]
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.kit import MAINT

NIC = " NICDEF 600 TYPE QDIO DEVICES 3 LAN SYSTEM LOCALNET"


def user(userid: str, start: int, password: str | None = None, parm: str = "", options=()):
    return [
        f"USER {userid} {password or userid} 4M 16M G",
        *options,
        f" IPL CMS{parm}",
        " CONSOLE 009 3215",
        " LINK MAINT 190 190 RR",
        " LINK MAINT 19E 19E RR",
        f" MDISK 191 3370 {start} 8000 VMPK01 MR",
        NIC,
    ]


DIRECT = (
    "\n".join(
        MAINT
        + user("ALICE", 0)
        + user("BOB", 8000)
        + user("FTPSERVE", 16000, "AUTOONLY", " PARM AUTOCR", [" OPTION LNKNOPAS DIAG88"])
        + user("WEBSRV", 24000, "AUTOONLY", " PARM AUTOCR")
    )
    + "\n"
)

WEBGET = [
    "/* n HTTP requests for WEBSRV's home page */",
    "parse arg n",
    "call socket 'Initialize', 'WEBGET'",
    "got = 0",
    "do n",
    "  parse value socket('Socket') with rc s",
    "  call socket 'Connect', s, 'AF_INET 80 WEBSRV'",
    "  call socket 'Send', s, '474554202F20485454502F312E300D0A0D0A'x",
    "  do forever",
    "    parse value socket('Recv', s, 65536) with rc len .",
    "    if rc <> 0 | len = 0 then leave",
    "    got = got + len",
    "  end",
    "  call socket 'Close', s",
    "end",
    "call socket 'Terminate'",
    "say 'RECEIVED' got",
]


class Seat:
    """A user at a line terminal."""

    def __init__(self, system, userid):
        from cp.terminal import LineTerminal

        self.terminal = LineTerminal()
        self.session = system.connect(self.terminal)
        self.session.enter(f"LOGON {userid} {userid}")

    async def type(
        self, line: str | None, until: str = "Ready", timeout: float = 120.0
    ) -> list[str]:
        start = len(self.terminal.lines)
        if line is not None:
            self.session.enter(line)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.terminal.lines[start:]
            if any(x.startswith(until) for x in shown):
                return shown
            await asyncio.sleep(0.005)
        raise RuntimeError(f"no {until!r}: {self.terminal.lines[-10:]}")


async def run(size: int, requests: int) -> None:
    from cms.fs import Disk
    from cp.minidisk import Minidisk
    from cp.sysdir import minidisk_path
    from cp.terminal import LineTerminal
    from vm370.boot import ImageBlocks, make_system

    path = Path(tempfile.mkdtemp(prefix="bench-ftp-"))
    (path / "user.direct").write_text(DIRECT)
    (path / "user.direct").chmod(0o600)
    (path / "system.config").write_text("DEFINE LAN LOCALNET OWNERID SYSTEM TYPE QDIO\n")
    (path / "system.config").chmod(0o600)
    system = make_system(path, logon_delay=0.0)
    consoles = {userid: LineTerminal() for userid in ("FTPSERVE", "WEBSRV")}
    for userid, console in consoles.items():
        system.find_user(userid).console.attach(console)  # to see them start
    payload = bytes(range(256)) * (size // 256)
    with Minidisk(minidisk_path(path, "ALICE", 0x191)) as image:
        disk = Disk.open(ImageBlocks(image))
        records = [payload[i : i + 1024] for i in range(0, len(payload), 1024)]
        disk.write_file("BIG", "BIN", records, "V")
        disk.write_file("WEBGET", "EXEC", [x.encode("cp037") for x in WEBGET], "V")
    alice = Seat(system, "ALICE")
    await alice.type(None, until="VM/370 CMS")
    await alice.type("ACCESS (NOPROF", until="Ready")
    for console in consoles.values():  # their PROFILE EXECs start the servers
        while not any("listening on" in x for x in console.lines):
            await asyncio.sleep(0.01)
    steps = [
        ("FTP FTPSERVE", "USER (identify"),
        ("bob bob", "Command:"),
        ("binary", "Command:"),
        ("put big bin a", "Command:"),
        ("get big.bin copy bin a (replace", "Command:"),
        ("quit", "Ready"),
    ]
    for line, until in steps:
        began = time.monotonic()
        out = await alice.type(line, until=until)
        rates = [x for x in out if "bytes transferred" in x]
        if rates:
            print(f"{line:34s} {rates[0]}  (wall {time.monotonic() - began:.2f} s)")
        elif line.startswith(("put", "get")):
            print(f"{line}: failed:", *out, sep="\n  ")
    began = time.monotonic()
    out = await alice.type(f"WEBGET {requests}")
    seconds = time.monotonic() - began
    print("WEBGET:", *out[:-1])
    print(f"WEBGET {requests} home pages: {seconds:.2f} s, {requests / seconds:.1f} requests/s")
    system.shutdown()
    shutil.rmtree(path, ignore_errors=True)


def main(argv: list[str]) -> None:
    size = int(argv[0]) if argv else 1 << 20
    requests = int(argv[1]) if len(argv) > 1 else 20
    asyncio.run(run(size, requests))


if __name__ == "__main__":
    main(sys.argv[1:])
