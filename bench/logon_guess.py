"""How fast can a password guesser go?  A TN3270 guesser on loopback against
the real CP, opening a new connection for every guess (what defeated the
old per-session delay), reports the passwords CP actually checked per minute.

    python -m bench.logon_guess                    # one user id, 60 s
    python -m bench.logon_guess --users 20         # spread over 20 user ids
    python -m bench.logon_guess --patience 0       # wait for every answer
    python -m bench.logon_guess --seconds 10 --parallel 4

The guesser is impatient by default: it waits ``--patience`` seconds (0.3)
for an answer and hangs up to try again, as a guesser does when a right
password answers at once (LOGON AT) and only a wrong one is delayed.

The server runs in this process with the System's default safeguards
(cp.security) unless ``--delay``/``--limit`` say otherwise.  "checked" counts
the wrong passwords CP compared (LOGON FAILED lines of the system log),
"refused" the attempts answered without a check (user id disabled, too many
connections), "unanswered" those the guesser gave up waiting for.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import itertools
import tempfile
import time
from pathlib import Path

from cp import ds3270 as ds
from cp.tn3270 import EOR, IAC, SB, SE, TelnetParser, TN3270Server, escape_iac
from tui.screen import Screen

WRONG = "DMKLOG050E"
DISABLED = "DMKLOG091E"


class Guesser:
    """A bare TN3270E display: negotiate, wait for the logon screen, type."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer
        self.parser = TelnetParser()
        self.screen = Screen(model=2)
        self.plain = b""

    async def event(self):
        while not self.parser.events:
            data = await self.reader.read(8192)
            if not data:
                raise ConnectionError("closed")
            if not self.screen.buffer.strip(b"\x00"):
                self.plain += data  # a refusal comes as plain text
            self.parser.feed(data)
        return self.parser.events.pop(0)

    async def negotiate(self):
        await self.event()  # DO TN3270E
        self.writer.write(bytes([IAC, 251, 40]))
        await self.event()  # SEND DEVICE-TYPE
        self.writer.write(bytes([IAC, SB, 40, 2, 7]) + b"IBM-3278-2-E" + bytes([IAC, SE]))
        await self.event()  # DEVICE-TYPE IS
        self.writer.write(bytes([IAC, SB, 40, 3, 7, IAC, SE]))  # FUNCTIONS REQUEST (none)
        await self.event()  # FUNCTIONS IS

    def text(self) -> str:
        return ds.from_ebcdic(bytes(self.screen.buffer))

    async def until(self, *texts) -> str:
        while True:
            shown = self.text()
            for text in texts:
                if text in shown:
                    return text
            kind, *rest = await self.event()
            if kind == "record":
                self.screen.process(rest[0][5:])

    def enter(self, line):
        self.screen.home()
        self.screen.erase_eof()
        self.screen.type_text(line)
        record = bytes(5) + self.screen.aid(ds.AID_ENTER)
        self.writer.write(escape_iac(record) + bytes([IAC, EOR]))


async def one_guess(port: int, userid: str, password: str, answer_seconds: float) -> str:
    """One connection, one guess: "wrong", "disabled", "refused" or "unanswered"."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    g = Guesser(reader, writer)
    try:
        await asyncio.wait_for(g.negotiate(), 10)
        await asyncio.wait_for(g.until("VM/370 ONLINE"), 10)
        g.enter(f"LOGON {userid} {password}")
        found = await asyncio.wait_for(g.until(WRONG, DISABLED, "LOGON AT"), answer_seconds)
        if found == "LOGON AT":
            raise SystemExit(f"found the password of {userid}: {password}")
        return {WRONG: "wrong", DISABLED: "disabled"}.get(found, "right")
    except (ConnectionError, asyncio.IncompleteReadError):
        return "refused"
    except TimeoutError:
        return "unanswered"
    finally:
        writer.close()


def make_system(sysdir: Path, users: int, delay, limit):
    from cp.system import System

    lines = ["USER OPERATOR OPERATOR 1M 2M AB"]
    lines += [f"USER GUESS{n:02d} S3CR3T{n:02d} 1M 2M G" for n in range(users)]
    (sysdir / "user.direct").write_text("\n".join(lines) + "\n")
    (sysdir / "user.direct").chmod(0o600)
    options = {}
    params = inspect.signature(System).parameters
    if "safeguards" in params and (delay is not None or limit is not None):
        from cp.security import GuessPolicy, Safeguards

        policy = GuessPolicy()
        policy.delay = policy.delay if delay is None else delay
        policy.limit = policy.limit if limit is None else limit
        options["safeguards"] = Safeguards(logon=policy)
    elif delay is not None:
        options["logon_delay"] = delay
    return System(sysdir, **options)


async def run(args) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        sysdir = Path(tmp)
        system = make_system(sysdir, args.users, args.delay, args.limit)
        server = TN3270Server(system, port=0)
        port = await server.start()
        userids = itertools.cycle(f"GUESS{n:02d}" for n in range(args.users))
        counter = itertools.count()
        outcomes: dict[str, int] = {}
        deadline = time.monotonic() + args.seconds
        started = time.monotonic()

        async def guesser():
            while time.monotonic() < deadline:
                left = max(0.1, deadline - time.monotonic())
                if args.patience > 0:
                    left = min(left, args.patience)
                outcome = await one_guess(port, next(userids), f"G{next(counter):06d}", left)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1

        await asyncio.gather(*(guesser() for _ in range(args.parallel)))
        elapsed = time.monotonic() - started
        await server.close()
        log = (sysdir / "log" / "system.log").read_text()
        checked = log.count("LOGON FAILED")
    return {
        "seconds": elapsed,
        "checked": checked,
        "outcomes": outcomes,
        "per_minute": checked / elapsed * 60,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.logon_guess",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to guess (60)")
    parser.add_argument("--users", type=int, default=1, help="user ids to spread guesses over (1)")
    parser.add_argument("--parallel", type=int, default=1, help="guessers at once (1)")
    parser.add_argument(
        "--patience",
        type=float,
        default=0.3,
        help="seconds to wait for an answer before the next guess (0: wait for it; default 0.3)",
    )
    parser.add_argument("--delay", type=float, default=None, help="LOGON delay (default: CP's)")
    parser.add_argument("--limit", type=int, default=None, help="LOGON limit (default: CP's)")
    args = parser.parse_args(argv)
    result = asyncio.run(run(args))
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(result["outcomes"].items()))
    print(
        f"{result['checked']} passwords checked in {result['seconds']:.1f} s "
        f"({outcomes}): {result['per_minute']:.1f} tries/minute "
        f"[users={args.users} parallel={args.parallel}]"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
