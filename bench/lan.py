"""Guest LAN benchmark: frames/s and latency NIC to NIC, on one system and
across the UDP bridge between two systems on loopback, with 1 and 8 senders.

    python -m bench.lan [--frames N] [--rounds K]

Every frame is written and read by an S/370 program (assembled with s390.asm)
doing real SIO/TIO on its NIC; the VMs run a slice each in turn, as the
dispatcher would.  Throughput: each sender writes N 64-byte frames to its own
receiver, which reads one frame per READ (polling; frames the bounded queue
had to drop are reported).  Latency: K ping-pongs (one WRITE, then READ until
the answer is there) between two VMs; the one-way latency is half the round
trip.  Host time, not guest time; a number of this run, not a promise.
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import time
from pathlib import Path

from cp import channel
from cp.system import System
from s390.asm import assemble

FRAME_BYTES = 64


def directory(users: int) -> str:
    lines = ["USER MAINT MAINTPW 1M 16M ABCDEFG", " CONSOLE 009 3215"]
    for n in range(users):
        lines += [
            f"USER U{n:02d} PW{n:02d} 1M 1M G",
            " CONSOLE 009 3215",
            f" NICDEF 500 TYPE QDIO LAN SYSTEM BENCH MACID {n + 1:06X}",
        ]
    return "\n".join(lines) + "\n"


def mac(n: int) -> str:
    return f"020000{n + 1:06X}"


def program(steps: list[str], count: int, dst: int, src: int) -> str:
    """A loop of ``count`` times ``steps`` (WRITE: one frame to ``dst``;
    READ: poll until a frame is read)."""
    body = []
    for i, op in enumerate(steps):
        if op == "WRITE":
            body += [
                f"W{i}       MVC   72(4,0),CAWW",
                "         SIO   X'500'(0)",
                f"         BC    4,W{i}",
                "         BC    3,FAIL",
                f"TW{i}      TIO   X'500'(0)",
                f"         BC    2,TW{i}",
                "         CLI   68(0),X'0C'",
                "         BNE   FAIL",
            ]
        else:
            body += [
                f"R{i}       MVC   72(4,0),CAWR",
                "         SIO   X'500'(0)",
                f"         BC    4,R{i}",
                "         BC    3,FAIL",
                f"TR{i}      TIO   X'500'(0)",
                f"         BC    2,TR{i}",
                "         TM    68(0),X'01'",
                f"         BO    R{i}",
                "         CLI   68(0),X'0C'",
                "         BNE   FAIL",
            ]
    payload = "00" * (FRAME_BYTES - 14)
    return (
        "\n".join(
            [
                "BENCH    START X'400'",
                "         BALR  12,0",
                "         USING *,12",
                "         L     10,COUNT",
                "LOOP     DS    0H",
                *body,
                "         BCT   10,LOOP",
                "         LPSW  OKPSW",
                "FAIL     LPSW  BADPSW",
                "         DS    0D",
                "OKPSW    DC    X'0002000000000000'",
                "BADPSW   DC    X'0002000000000BAD'",
                f"COUNT    DC    F'{count}'",
                "         DS    0D",
                "CCWW     DC    X'01',AL3(BLOCK),X'20',X'00',AL2(BLOCKEND-BLOCK)",
                "CCWR     DC    X'02',AL3(BUF),X'20',X'00',AL2(70)",
                "CAWW     DC    A(CCWW)",
                "CAWR     DC    A(CCWR)",
                "BLOCK    DC    AL2(4+64),X'01',X'00'",
                f"         DC    X'{mac(dst)}{mac(src)}88B5'",
                *[f"         DC    X'{payload[i : i + 40]}'" for i in range(0, len(payload), 40)],
                "         DC    XL2'0000'",
                "BLOCKEND EQU   *",
                "BUF      DS    CL80",
                "         END",
            ]
        )
        + "\n"
    )


def load(vm, source: str) -> None:
    result = assemble(source)
    assert result.rc == 0, "\n".join(result.listing)
    vm.cpu.reset(clear=True)
    vm.cpu.mem[0x400 : 0x400 + len(result.text)] = result.text
    vm.cpu.load_psw(bytes.fromhex("0000000000000400"))


def run_all(vms: list, bridges: list, drain: list = ()) -> None:
    """Run until every program of ``vms`` ended and the receive queues of the
    ``drain`` VMs (which read for ever) are empty."""
    from s390.cpu import EXIT_DISABLED_WAIT, EXIT_IO

    done: set = set()
    while (
        len(done) < len(vms)
        or any(vm.devices[0x500].nic.queue for vm in drain)
        or any(b.sock and _waiting(b) for b in bridges)
    ):
        for vm in [*vms, *drain]:
            if vm.userid in done:
                continue
            reason = vm.cpu.run(2_000)
            if reason == EXIT_IO:
                channel.start_io(vm, vm.cpu.exit_opcode, vm.cpu.exit_addr)
            elif reason == EXIT_DISABLED_WAIT:
                code = int.from_bytes(vm.cpu.get_psw()[4:8], "big") & 0xFFFFFF
                if code:
                    raise RuntimeError(f"{vm.userid} ended with {code:06X}")
                done.add(vm.userid)
        for bridge in bridges:
            bridge.poll()


def _waiting(bridge) -> bool:
    import select

    return bool(select.select([bridge.sock], [], [], 0)[0])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def systems(root: Path, users: int, bridged: bool):
    """One system with all users, or two bridged systems (senders on the first,
    receivers on the second)."""
    ports = (free_port(), free_port())
    made = []
    for n in range(2 if bridged else 1):
        path = root / f"sys{n}"
        path.mkdir(mode=0o700)
        (path / "user.direct").write_text(directory(users))
        (path / "user.direct").chmod(0o600)
        system = System(path)
        bridge = f"{ports[n]}:127.0.0.1:{ports[1 - n]}" if bridged else ""
        system.lans.define("SYSTEM", "BENCH", bridge=bridge)
        made.append(system)
    return made


def vm_of(made, n: int, receiving: bool):
    system = made[-1] if receiving else made[0]
    return system.logon(f"U{n:02d}", None)


def bridges_of(made) -> list:
    return [s.lans.find("SYSTEM", "BENCH").bridge for s in made if len(made) > 1]


def throughput(senders: int, frames: int, bridged: bool) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as root:
        made = systems(Path(root), 2 * senders, bridged)
        txs, rxs = [], []
        for n in range(senders):
            tx, rx = vm_of(made, n, False), vm_of(made, senders + n, True)
            load(tx, program(["WRITE"], frames, senders + n, n))
            load(rx, program(["READ"], 1 << 30, n, senders + n))  # reads for ever
            txs.append(tx)
            rxs.append(rx)
        started = time.perf_counter()
        run_all(txs, bridges_of(made), drain=rxs)
        elapsed = time.perf_counter() - started
        read = sum(vm.devices[0x500].nic.stats.frames_in for vm in rxs)
        dropped = sum(vm.devices[0x500].nic.stats.dropped for vm in rxs)
        for system in made:
            system.shutdown()
        return read / elapsed, dropped


def latency(pairs: int, rounds: int, bridged: bool) -> float:
    with tempfile.TemporaryDirectory() as root:
        made = systems(Path(root), 2 * pairs, bridged)
        vms = []
        for n in range(pairs):
            a, b = vm_of(made, n, False), vm_of(made, pairs + n, True)
            load(a, program(["WRITE", "READ"], rounds, pairs + n, n))
            load(b, program(["READ", "WRITE"], rounds, n, pairs + n))
            vms += [a, b]
        started = time.perf_counter()
        run_all(vms, bridges_of(made))
        elapsed = time.perf_counter() - started
        for system in made:
            system.shutdown()
        return elapsed / rounds / 2 * 1e6


def latency_under_flood(rounds: int) -> tuple[float, int]:
    """One ping-pong pair's one-way latency while a third VM floods a fourth
    (which never reads: its queue stays full and the rest is dropped)."""
    with tempfile.TemporaryDirectory() as root:
        made = systems(Path(root), 4, False)
        a, b, flooder, sink = (vm_of(made, n, False) for n in range(4))
        load(a, program(["WRITE", "READ"], rounds, 1, 0))
        load(b, program(["READ", "WRITE"], rounds, 0, 1))
        load(flooder, program(["WRITE"], 1 << 30, 3, 2))
        started = time.perf_counter()
        run_all([a, b], [], drain=[flooder])
        elapsed = time.perf_counter() - started
        dropped = sink.devices[0x500].nic.stats.dropped
        for system in made:
            system.shutdown()
        return elapsed / rounds / 2 * 1e6, dropped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.lan")
    parser.add_argument("--frames", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=500)
    args = parser.parse_args(argv)
    print(f"{'path':<10}{'senders':>8}{'frames/s':>12}{'dropped':>9}{'one-way us':>12}")
    for bridged in (False, True):
        for senders in (1, 8):
            rate, dropped = throughput(senders, args.frames, bridged)
            one_way = latency(senders, args.rounds, bridged)
            print(
                f"{'bridge' if bridged else 'one sys':<10}{senders:>8}{rate:>12.0f}"
                f"{dropped:>9}{one_way:>12.1f}"
            )
    flooded, dropped = latency_under_flood(args.rounds)
    print(
        f"one pair's one-way latency while another VM floods a third: {flooded:.1f} us "
        f"({dropped} flood frames dropped at the full queue, none lost for the pair)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
