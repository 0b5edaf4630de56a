"""``vm370 lan``: the guest LAN from the host's shell.

    vm370 lan trace LANNAME -o FILE.pcap --listen PORT [--frames N] [--seconds S]

records the frames of a LAN as a pcap file (tcpdump, tshark, Wireshark read
it).  The tracer is a bridge end (cp.lan): it listens on 127.0.0.1:PORT for
the bridge datagrams of LANNAME, which the running system sends there when
the LAN is defined with ``BRIDGE localport:127.0.0.1:PORT`` (or ``VMLAN
BRIDGE`` in system.config).  It stops after N frames, S seconds or an
interrupt (Ctrl-C), and says how many frames it recorded and how many
datagrams it dropped as not the LAN's.  Inside the system, ``SET LAN
lanname TRACE fn`` records to lan/fn.pcap in the system directory instead.
"""

from __future__ import annotations

import argparse
import select
import socket
import sys
import time

from cp.lan import DEFAULT_MFS, Pcap, parse_datagram


def trace(
    lan_name: str, output: str, port: int, frames: int | None, seconds: float | None, out=sys.stdout
) -> int:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as err:
        print(
            f"vm370 lan: cannot listen on 127.0.0.1:{port}: {err.strerror or err}", file=sys.stderr
        )
        return 1
    pcap = Pcap(output)
    garbage = 0
    end = time.monotonic() + seconds if seconds else None
    print(
        f"TRACING LAN {lan_name} ON 127.0.0.1:{sock.getsockname()[1]} TO {output}",
        file=out,
        flush=True,
    )
    try:
        while frames is None or pcap.frames < frames:
            timeout = None if end is None else max(0.0, end - time.monotonic())
            if timeout == 0.0:
                break
            ready, _, _ = select.select([sock], [], [], timeout)
            if not ready:
                continue
            data, _ = sock.recvfrom(70000)
            frame = parse_datagram(data, lan_name, max(DEFAULT_MFS.values()) * 4)
            if frame is None:
                garbage += 1
                continue
            pcap.record(frame)
    except KeyboardInterrupt:
        pass
    finally:
        pcap.close()
        sock.close()
    print(f"{pcap.frames} FRAMES RECORDED, {garbage} DATAGRAMS DROPPED", file=out, flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vm370 lan", description="the guest LAN")
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("trace", help="record a LAN's frames as pcap (a bridge end)")
    t.add_argument("lan", help="the LAN's name")
    t.add_argument("-o", "--output", required=True, help="the pcap file to write")
    t.add_argument(
        "--listen", type=int, required=True, help="UDP port on 127.0.0.1 the LAN's BRIDGE sends to"
    )
    t.add_argument("--frames", type=int, help="stop after this many frames")
    t.add_argument("--seconds", type=float, help="stop after this many seconds")
    args = parser.parse_args(argv)
    return trace(args.lan.upper(), args.output, args.listen, args.frames, args.seconds)
