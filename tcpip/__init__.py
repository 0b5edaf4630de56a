"""A small TCP/IP engine for guests on a guest LAN (and CP's gateway).

Ethernet II, ARP, IPv4, ICMP, UDP and TCP for one host on one interface,
as a pure protocol engine: frames in (``Stack.input``), frames out (the
``send_frame`` callable), time from a ``clock`` callable, timers run by
``Stack.poll``.  No I/O, threads, asyncio or global state; it imports
nothing of vm370's other packages.  dpkt is the packet layer.  See
docs/tcpip-engine.md.
"""

from .errors import SocketError
from .stack import Stack

__all__ = ["Stack", "SocketError"]
