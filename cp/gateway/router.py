"""The router: CP's endpoint on a guest LAN with its own TCP/IP stack.

The LAN switch (cp.lan.Lan.switch) gives the router every frame addressed
to its MAC and every broadcast/multicast frame, with the NIC that sent it
(None for a frame that came over a bridge).  The router

* learns, from the frames a guest's NIC sends, the IPv4 address that NIC
  uses: the sender address of its ARP packets (every guest stack announces
  itself with a gratuitous ARP when it starts, and ARPs for the gateway)
  and the source address of its IP packets to the router (TCP/IP plan,
  decision 4: CP never reads CMS files to find a guest);
* feeds the frames to its ``tcpip.Stack``, whose frames go back to the LAN
  through the same switch;
* runs the stack in CP's event loop: after frames, after every socket
  operation of a relay (``kick``) and when the stack's next timer is due
  (``loop.call_later`` on what ``stack.poll()`` answers).  Nothing blocks;
* accepts the guests' TCP connections on its transparent any-port listener
  and relays each to 127.0.0.1 on the port the guest asked for
  (cp.gateway.relay), and relays UDP the same way (cp.gateway.udp);
* answers an IPv4 packet a guest sends to it for a destination outside the
  LAN (there is no route off the LAN but to the host's loopback, reached
  through the router's own address) with ICMP network unreachable
  (RFC 1812 5.2.7.1), at most ``ICMP_ERRORS_PER_SECOND``.

Frames that arrive while the router is processing one (a guest's answer
switched back at once) wait in a bounded inbox and are processed after it;
past ``INBOX_LIMIT`` they are dropped and counted, never stored.
"""

from __future__ import annotations

import asyncio
import ipaddress
import struct
import time
from collections import deque

from cp.gateway.relay import open_host_relay, reset
from cp.gateway.udp import UdpNat
from tcpip import SocketError, Stack

ETH_IPV4, ETH_ARP = 0x0800, 0x0806
INBOX_LIMIT = 256
#: Events of one kind logged one by one; the rest are only counted.
LOG_LIMIT = 20
#: Connections the transparent listener holds before they are taken.
LISTEN_BACKLOG = 16
#: RFC 1812 4.3.2.8: ICMP errors are rate limited.
ICMP_ERRORS_PER_SECOND = 10
#: Finding a guest that announced itself before the gateway started: the
#: largest network swept with ARP, the seconds a sweep may take, the pause
#: while the guest's NIC queue is half full, the seconds between two sweeps
#: for one NIC.
DISCOVERY_MAX_HOSTS = 4094
DISCOVERY_SECONDS = 5.0
DISCOVERY_PACE = 0.002
#: Seconds before the same NIC is swept again (a guest whose stack is not running).
DISCOVERY_INTERVAL = 30.0
ICMP_UNREACHABLE, ICMP_NET_UNREACHABLE, ICMP_PORT_UNREACHABLE = 3, 0, 3
#: Destination unreachable, time exceeded, parameter problem.
ICMP_ERROR_TYPES = (3, 11, 12)


class GatewayClosed(ConnectionError):
    """The gateway was stopped while a relay waited on it."""


class Counters(dict):
    """The gateway's own counters (the stack has its own): lower_snake names."""

    NAMES = (
        "frames_in",
        "frames_out",
        "inbox_dropped",
        "tcp_nat",
        "tcp_nat_refused",
        "tcp_nat_active",
        "udp_nat_out",
        "udp_nat_in",
        "udp_nat_dropped",
        "udp_nat_refused",
        "icmp_unreachable_sent",
        "off_lan_dropped",
        "forwarded",
        "forward_no_guest",
        "forward_refused",
        "forward_over_limit",
        "relay_errors",
        "ftp_passive",
        "ftp_data_relayed",
        "ftp_data_refused",
        "arp_sweeps",
        "stack_faults",
        "bytes_to_guests",
        "bytes_to_host",
    )

    def __init__(self):
        super().__init__((name, 0) for name in self.NAMES)


class Gateway:
    """The router of one LAN.  ``lan`` is the cp.lan.Lan (duck-typed: its
    ``switch(frame, sender)``, ``nics``, ``owner`` and ``name`` are used);
    ``interface`` an ipaddress.IPv4Interface; ``log`` writes a system log line."""

    def __init__(self, lan, interface: ipaddress.IPv4Interface, mac: bytes, log, clock=None):
        self.lan = lan
        self.interface = interface
        self.mac = mac
        self.log = log
        self.clock = clock or time.monotonic
        self.counters = Counters()
        #: NIC MAC -> the IPv4 address (text) that NIC last announced.
        self.learned: dict[bytes, str] = {}
        self._heard: dict[bytes, bytes] = {}  # NIC MAC -> the last source address seen
        self._swept: dict[bytes, float] = {}  # NIC MAC -> when discover() last swept for it
        self.inbox: deque[tuple[bytes, object]] = deque()
        self.closed = False
        self._busy = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._turn_pending = False
        self._changed: asyncio.Event | None = None
        self._tasks: set[asyncio.Task] = set()
        #: The router's sockets a relay uses (reset when the gateway stops).
        self.relays: set = set()
        self._icmp_budget = (0, 0)  # (second, ICMP errors sent in it)
        self.stack = Stack(
            mac=mac,
            address=str(interface.ip),
            netmask=str(interface.netmask),
            gateway=None,
            send_frame=self._transmit,
            clock=self.clock,
            name=f"GATEWAY {lan.name}",
            router=True,
        )
        self.listener = self.stack.socket("STREAM")
        self.listener.listen(LISTEN_BACKLOG, any_port=True)  # binds the catch-all itself
        self.udp = UdpNat(self)
        self.icmp = self.stack.socket("RAW_ICMP")
        self.stack.announce()
        self._arm_timer()

    @property
    def address(self) -> str:
        return str(self.interface.ip)

    def describe(self) -> str:
        return f"{self.interface.ip}/{self.interface.network.prefixlen}"

    # -- the LAN side -----------------------------------------------------------

    def receive(self, frame: bytes, sender) -> int:
        """A frame the switch gives the router (``sender``: the NIC, or None
        from a bridge); returns 1 if taken, 0 if dropped."""
        if self.closed:
            return 0
        if len(self.inbox) >= INBOX_LIMIT:
            self.counters["inbox_dropped"] += 1
            return 0
        self.counters["frames_in"] += 1
        self.inbox.append((frame, sender))
        if not self._busy:
            self._drain()
        return 1

    def _drain(self) -> None:
        self._busy = True
        try:
            while self.inbox and not self.closed:
                frame, sender = self.inbox.popleft()
                if sender is not None:
                    self._learn(frame, sender)
                if self._off_lan(frame):
                    continue
                try:
                    self.stack.input(frame)
                except Exception as err:  # never expected: a guest's WRITE must not fail
                    self.counters["stack_faults"] += 1
                    self.note(f"FRAME DROPPED: STACK FAULT {type(err).__name__}", "stack_faults")
        finally:
            self._busy = False
        self.kick()  # one turn for a burst of frames

    def _transmit(self, frame: bytes) -> None:
        if self.closed:
            return
        self.counters["frames_out"] += 1
        self.lan.switch(frame, self)

    def _learn(self, frame: bytes, nic) -> None:
        """Remember the IPv4 address a guest's NIC speaks with: ARP sender
        address, IPv4 source (only from frames the NIC itself sent)."""
        if len(frame) < 34 or frame[6:12] != nic.mac:
            return
        ethertype = int.from_bytes(frame[12:14], "big")
        if ethertype == ETH_ARP and frame[14:20] == b"\x00\x01\x08\x00\x06\x04":
            if frame[22:28] != nic.mac:
                return
            source = frame[28:32]
        elif ethertype == ETH_IPV4 and frame[14] >> 4 == 4:
            source = frame[26:30]
        else:
            return
        if self._heard.get(nic.mac) == source:
            return  # what it said before: nothing to check again
        self._heard[nic.mac] = source
        address = ipaddress.IPv4Address(source)
        if address in self.interface.network and address != self.interface.ip:
            if address not in (
                self.interface.network.network_address,
                self.interface.network.broadcast_address,
            ):
                self.learned[nic.mac] = str(address)

    def note(self, text: str, counter: str) -> None:
        """A line in the system log for the first LOG_LIMIT events of a kind
        (``counter`` counts them); the rest are only counted, so a guest
        cannot flood the log."""
        if self.counters[counter] <= LOG_LIMIT:
            self.log(f"GATEWAY {self.lan.owner} {self.lan.name}: {text}")

    def guest_address(self, userid: str) -> tuple[str | None, str]:
        """(address, why not): the address USERID's NIC on this LAN last
        announced, or None and the reason (not coupled / no address yet)."""
        nics = [nic for nic in self.lan.nics if nic.owner == userid.upper()]
        if not nics:
            return None, (f"IS NOT LOGGED ON OR HAS NO NIC ON LAN {self.lan.owner} {self.lan.name}")
        for nic in nics:
            if nic.mac in self.learned:
                return self.learned[nic.mac], ""
        return None, "HAS NOT ANNOUNCED AN IP ADDRESS"

    async def discover(self, userid: str, timeout: float | None = None) -> None:
        """Find the address of USERID's NICs on this LAN that have announced
        none since the gateway started (the guest's stack started first):
        an ARP request for every address of the network, sent to that NIC's
        MAC only (no other guest sees them), paced so that the NIC's receive
        queue never overflows; the one the guest answers is learnt from its
        reply.  Networks larger than DISCOVERY_MAX_HOSTS are not swept."""
        network = self.interface.network
        if network.num_addresses - 2 > DISCOVERY_MAX_HOSTS:
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (DISCOVERY_SECONDS if timeout is None else timeout)
        nics = [n for n in self.lan.nics if n.owner == userid.upper()]
        for nic in nics:
            if nic.mac in self.learned:
                return
            last = self._swept.get(nic.mac)
            if last is not None and self.clock() - last < DISCOVERY_INTERVAL:
                continue  # swept lately (or sweeping now): not again so soon
            self._swept[nic.mac] = self.clock()
            self.counters["arp_sweeps"] += 1
            for host in network.hosts():
                if nic.mac in self.learned or nic.lan is not self.lan or self.closed:
                    break
                if host == self.interface.ip:
                    continue
                while len(nic.queue) >= nic.queue_limit // 2:
                    if loop.time() >= deadline:
                        return
                    await asyncio.sleep(DISCOVERY_PACE)
                self._transmit(
                    arp_request(self.mac, self.interface.ip.packed, nic.mac, host.packed)
                )
            while nic.mac not in self.learned and nic.queue and loop.time() < deadline:
                await asyncio.sleep(DISCOVERY_PACE)  # the last requests still wait for the guest
            if nic.mac in self.learned:
                return
            await asyncio.sleep(DISCOVERY_PACE)

    def forget(self, nic) -> None:
        """A NIC left the LAN (UNCOUPLE, LOGOFF, DETACH): its address is no
        longer known, and the relays to that address end at once (their
        host sides are aborted) instead of retransmitting to nobody."""
        address = self.learned.pop(nic.mac, None)
        self._heard.pop(nic.mac, None)
        self._swept.pop(nic.mac, None)
        if address is None:
            return
        for sock in list(self.relays):
            try:
                peer = sock.getpeername()[0]
            except SocketError:
                continue
            if peer == address:
                reset(sock)
        self.kick()

    # -- off the LAN --------------------------------------------------------------

    def _off_lan(self, frame: bytes) -> bool:
        """An IPv4 packet to the router's MAC for an address outside the LAN:
        answered with ICMP network unreachable (rate limited), never given
        to the stack.  True when the frame was such a packet."""
        if len(frame) < 34 or frame[0:6] != self.mac or frame[12:14] != b"\x08\x00":
            return False
        header_length = (frame[14] & 0x0F) * 4
        if frame[14] >> 4 != 4 or header_length < 20 or len(frame) < 14 + header_length:
            return False
        destination = ipaddress.IPv4Address(frame[30:34])
        if destination in self.interface.network or destination.is_multicast:
            return False
        if destination == ipaddress.IPv4Address("255.255.255.255"):
            return False
        self.counters["off_lan_dropped"] += 1
        icmp_type = frame[14 + header_length] if len(frame) > 14 + header_length else None
        if frame[23] == 1 and icmp_type in ICMP_ERROR_TYPES:
            return True  # never an ICMP error about an ICMP error (RFC 1122 3.2.2)
        if self._icmp_allowed():
            self._send_unreachable(
                ICMP_NET_UNREACHABLE, frame[14 : 14 + header_length + 8], frame[26:30]
            )
        return True

    def _icmp_allowed(self) -> bool:
        second, sent = self._icmp_budget
        now = int(self.clock())
        if now != second:
            second, sent = now, 0
        if sent >= ICMP_ERRORS_PER_SECOND:
            return False
        self._icmp_budget = (second, sent + 1)
        return True

    def port_unreachable(self, guest: tuple[str, int], port: int, length: int) -> None:
        """The host refused a guest's datagram to the gateway's port ``port``
        (nobody listens on 127.0.0.1:port): ICMP port unreachable to the guest
        (RFC 1122 3.2.2.1), quoting the datagram's IPv4 and UDP headers as
        the guest sent them (the NAT passes the host's ICMP error on)."""
        if not self._icmp_allowed():
            return
        source = ipaddress.IPv4Address(guest[0]).packed
        header = struct.pack(
            ">BBHHHBBH4s4s", 0x45, 0, 28 + length, 0, 0, 64, 17, 0, source, self.interface.ip.packed
        )
        header = header[:10] + internet_checksum(header).to_bytes(2, "big") + header[12:]
        udp = struct.pack(">HHHH", guest[1], port, 8 + length, 0)
        self._send_unreachable(ICMP_PORT_UNREACHABLE, header + udp, source)

    def _send_unreachable(self, code: int, original: bytes, source: bytes) -> None:
        """ICMP type 3: the IP header and 8 bytes of the packet (RFC 792)."""
        body = struct.pack(">BBHI", ICMP_UNREACHABLE, code, 0, 0) + original
        checksum = internet_checksum(body)
        message = body[:2] + checksum.to_bytes(2, "big") + body[4:]
        try:
            self.icmp.sendto(message, (str(ipaddress.IPv4Address(source)), 0))
            self.counters["icmp_unreachable_sent"] += 1
            self.kick()
        except SocketError:
            pass

    # -- running the stack in CP's event loop ----------------------------------------

    def loop(self) -> asyncio.AbstractEventLoop | None:
        if self._loop is None or self._loop.is_closed():
            try:
                self._loop = asyncio.get_running_loop()
            except RuntimeError:
                self._loop = None
        return self._loop

    def kick(self) -> None:
        """A relay used a socket: run a turn soon (once, however many kicks)."""
        loop = self.loop()
        if loop is None:
            self._turn()
        elif not self._turn_pending and not self.closed:
            self._turn_pending = True
            loop.call_soon(self._turn)

    def _turn(self) -> None:
        """Run the stack's due timers, take new connections and datagrams,
        wake every relay waiting for a change, arm the next timer."""
        self._turn_pending = False
        if self.closed:
            return
        self._accept_all()
        self.udp.service()
        self._discard_icmp()
        self._arm_timer()
        changed, self._changed = self._changed, None
        if changed is not None:
            changed.set()

    def changed(self):
        """An awaitable that ends at the next turn (the condition a relay waits
        for may hold then); raises GatewayClosed once the gateway is stopped.
        The turn's event is taken here, not when the awaitable first runs:
        a turn between the caller's test and its await must not be missed."""
        if self.closed:
            raise GatewayClosed("the gateway is stopped")
        if self._changed is None:
            self._changed = asyncio.Event()
        return self._next_turn(self._changed)

    async def _next_turn(self, event: asyncio.Event) -> None:
        await event.wait()
        if self.closed:
            raise GatewayClosed("the gateway is stopped")

    def _arm_timer(self) -> None:
        delay = self.stack.poll()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        loop = self.loop()
        if delay is not None and loop is not None and not self.closed:
            self._timer = loop.call_later(max(delay, 0.001), self._turn)

    def spawn(self, coroutine) -> bool:
        """Run a relay's coroutine on CP's loop; False (coroutine closed) without one."""
        loop = self.loop()
        if loop is None or self.closed:
            coroutine.close()
            return False
        task = loop.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    def _discard_icmp(self) -> None:
        """ICMP messages for the router's own socket (it only sends): taken
        and dropped, so that they do not count as queue overflows."""
        while self.icmp.readable():
            try:
                self.icmp.recvfrom(65535)
            except SocketError:
                return

    # -- NAT: guests to the host's loopback ------------------------------------------

    def _accept_all(self) -> None:
        while self.listener.readable():
            try:
                sock = self.listener.accept()
            except SocketError:
                return
            port = sock.getsockname()[1]
            self.counters["tcp_nat"] += 1
            if not self.spawn(open_host_relay(self, sock, port)):
                reset(sock)

    # -- end ---------------------------------------------------------------------------

    def close(self) -> None:
        """SET LAN ... GATEWAY OFF, DETACH LAN, SHUTDOWN: every relay ends,
        the stack's sockets close, no timer is left."""
        if self.closed:
            return
        for task in list(self._tasks):
            task.cancel()
        for sock in list(self.relays):
            reset(sock)  # the guests learn at once that their connections are gone
        self.relays.clear()
        self.udp.close()
        self.stack.close()  # every other connection (half open, orphaned) is reset too
        self.closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._changed is not None:
            self._changed.set()

    def status_lines(self) -> list[str]:
        """What QUERY LAN DETAILS shows about the gateway."""
        c, s = self.counters, self.stack.counters
        mac = "-".join(f"{b:02X}" for b in self.mac)
        return [
            f"  Gateway: {self.describe()}  MAC: {mac}  Guests known: {len(self.learned)}",
            f"    Frames in: {c['frames_in']}  out: {c['frames_out']}  "
            f"dropped: {c['inbox_dropped'] + c['off_lan_dropped'] + _stack_drops(s)}",
            f"    NAT TCP: {c['tcp_nat']} (active {c['tcp_nat_active']}, "
            f"refused {c['tcp_nat_refused']})  UDP out: {c['udp_nat_out']} "
            f"in: {c['udp_nat_in']} dropped: {c['udp_nat_dropped'] + c['udp_nat_refused']}",
            f"    TCP bytes to guests: {c['bytes_to_guests']}  to the host: {c['bytes_to_host']}",
            f"    Forwarded: {c['forwarded']}  no guest: {c['forward_no_guest']}  "
            f"refused: {c['forward_refused']}  over limit: {c['forward_over_limit']}  "
            f"FTP data: {c['ftp_data_relayed']}",
        ]


def arp_request(mac: bytes, address: bytes, target_mac: bytes, target: bytes) -> bytes:
    """An Ethernet frame to ``target_mac``: ARP request for ``target`` (RFC 826)."""
    return (
        target_mac
        + mac
        + ETH_ARP.to_bytes(2, "big")
        + b"\x00\x01\x08\x00\x06\x04\x00\x01"
        + mac
        + address
        + b"\x00" * 6
        + target
    )


def _stack_drops(counters: dict) -> int:
    return sum(v for k, v in counters.items() if k.startswith("dropped") or "_dropped" in k)


def internet_checksum(data: bytes) -> int:
    """RFC 1071: the ones' complement of the ones' complement sum of 16-bit words."""
    if len(data) % 2:
        data += b"\x00"
    total = sum(struct.unpack(f">{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF
