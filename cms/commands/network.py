"""The TCP/IP commands of CMS: PING, NETSTAT, IFCONFIG (after z/VM TCP/IP).

z/VM TCP/IP User's Guide: PING sends ICMP echo requests and shows each
response time; NETSTAT shows the connections and the stack's counters;
IFCONFIG shows the interface.  They run over the VM's own stack
(cms.tcpip): the VM sleeps while it waits for a reply, and HX ends a PING
that waits.  Messages are the z/VM TCP/IP commands' style (no DMS prefix).
"""

from __future__ import annotations

import struct
import time

from cms.commands import Command
from cms.errors import CMSError, invalid_option, invalid_parameter
from cms.tcpip import NetworkError, network_of
from cms.tcpip.driver import find_nic
from cms.tcpip.errnos import errno_text
from cp.lan import mac_text
from tcpip import SocketError

#: z/VM PING defaults: one echo, 256 bytes, 10 seconds.
PING_COUNT, PING_LENGTH, PING_TIMEOUT = 1, 256, 10
MAX_ICMP = 65535 - 20  # the largest ICMP message an IP datagram carries (fragmented)
ICMP_ECHO_REPLY, ICMP_UNREACHABLE, ICMP_ECHO = 0, 3, 8
UNREACHABLE = {
    0: "Destination network unreachable",
    1: "Destination host unreachable",
    2: "Destination protocol unreachable",
    3: "Destination port unreachable",
}


# ---------------------------------------------------------------- PING


def icmp_checksum(data: bytes) -> int:
    """The Internet checksum (RFC 1071): one's complement of the one's
    complement sum of the 16-bit words."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f">{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def echo_request(ident: int, sequence: int, length: int) -> bytes:
    """An ICMP echo request of ``length`` bytes (header included)."""
    payload = bytes((i & 0xFF) for i in range(max(0, length - 8)))
    header = struct.pack(">BBHHH", ICMP_ECHO, 0, 0, ident, sequence)
    checksum = icmp_checksum(header + payload)
    return struct.pack(">BBHHH", ICMP_ECHO, 0, checksum, ident, sequence) + payload


def ping_options(call) -> tuple[str, int, int, int]:
    """PING host [count] [(COUNT n LENGTH n TIMEOUT n]: host, count, length, timeout."""
    if not call.args:
        raise CMSError(46, "E", 24, "NO HOST SPECIFIED")  # z/VM prompts for it
    host, rest = call.args[0], call.args[1:]
    count, length, timeout = PING_COUNT, PING_LENGTH, PING_TIMEOUT
    if rest:
        count = _number(rest[0], 0, 2**31 - 1)
        if len(rest) > 1:
            raise invalid_parameter(rest[1])
    options = list(call.options)
    while options:
        word = options.pop(0)
        if not options:
            raise invalid_option(word)
        value = options.pop(0)
        if "COUNT".startswith(word) and len(word) >= 1:
            count = _number(value, 0, 2**31 - 1)
        elif "LENGTH".startswith(word) and len(word) >= 1:
            length = _number(value, 8, MAX_ICMP)
        elif "TIMEOUT".startswith(word) and len(word) >= 1:
            timeout = _number(value, 1, 100)
        else:
            raise invalid_option(word)
    return host, count, length, timeout


def _number(word: str, low: int, high: int) -> int:
    if not word.isdigit() or not low <= int(word) <= high:
        raise invalid_parameter(word)
    return int(word)


async def ping(cms, call) -> int:
    """PING host [count] [(COUNT n LENGTH n TIMEOUT n]: ICMP echo requests;
    rc 0 when a response came, 1 when none did (COUNT 0: until HX)."""
    host, count, length, timeout = ping_options(call)
    net = network_of(cms)
    address = net.resolve(host)
    shown = host.upper() if address != host else address
    cms.say(f"Ping Level 370: Pinging host {shown} ({address}).")
    cms.say("                Enter 'HX' to interrupt.")
    pinger = Pinger(cms, net, address, length, timeout)
    try:
        number = 0
        while count == 0 or number < count:
            number += 1
            pinger.once(number)
    finally:
        pinger.close()
    return 0 if pinger.successes else 1


class Pinger:
    """The echo requests of one PING command, over a RAW_ICMP socket."""

    def __init__(self, cms, net, address: str, length: int, timeout: int):
        self.cms, self.net, self.address = cms, net, address
        self.length, self.timeout = length, timeout
        try:
            self.sock = net.stack.socket("RAW_ICMP")
        except SocketError as err:  # every socket of the stack in use (EMFILE)
            raise NetworkError(f"PING: {errno_text(err.errno)}", 1) from None
        self.ident = (self.sock.descriptor * 7919 + int(time.monotonic() * 1000)) & 0xFFFF
        self.successes = 0

    def close(self) -> None:
        self.sock.close()

    def once(self, number: int) -> None:
        """Echo request ``number``, and its line: the response, or why none."""
        sequence = number & 0xFFFF
        started = time.monotonic()
        try:
            self.sock.sendto(echo_request(self.ident, sequence, self.length), (self.address, 0))
        except SocketError as err:  # no route (GATEWAY NONE and off the LAN), ...
            self.cms.say(f"Ping #{number}: {errno_text(err.errno)}")
            return
        message = self._answer(sequence)
        if message is None:
            self.cms.say(f"Ping #{number} timed out")
        elif message[0] == ICMP_ECHO_REPLY:
            self.successes += 1
            took = time.monotonic() - started
            self.cms.say(
                f"Ping #{number} response took {took:.3f} seconds. "
                f"Successes so far {self.successes}."
            )
        else:
            text = UNREACHABLE.get(message[1], f"Destination unreachable (code {message[1]})")
            self.cms.say(f"Ping #{number} response: {text}")

    def _answer(self, sequence: int) -> bytes | None:
        """The reply (or ICMP error) for ``sequence``; None after the timeout."""
        answer: list[bytes] = []

        def answered() -> bool:
            while self.sock.readable():
                message, _ = self.sock.recvfrom(65535)
                if _ours(message, self.ident, sequence):
                    answer.append(message)
                    return True
            return False

        return answer[0] if self.net.wait_until(answered, self.timeout) else None


def _ours(message: bytes, ident: int, sequence: int) -> bool:
    """Our echo's reply, or an ICMP error quoting our echo request."""
    if len(message) < 8:
        return False
    if message[0] == ICMP_ECHO_REPLY:
        return struct.unpack_from(">HH", message, 4) == (ident, sequence)
    if message[0] == ICMP_UNREACHABLE and len(message) >= 8 + 20 + 8:
        inner = message[8:]
        start = (inner[0] & 0x0F) * 4
        quoted = inner[start : start + 8]
        return len(quoted) == 8 and struct.unpack_from(">HH", quoted, 4) == (ident, sequence)
    return False


# ---------------------------------------------------------------- NETSTAT

NETSTAT_OPTIONS = ("CONN", "ALL", "ARP", "HOME", "GATE", "COUNTERS")


def socket_text(endpoint) -> str:
    """An endpoint as z/VM NETSTAT shows it: address..port (* for none)."""
    if not endpoint:
        return "*..*"
    address, port = endpoint
    return f"{address if address != '0.0.0.0' else '*'}..{port if port else '*'}"


def state_text(state: str) -> str:
    """RFC 9293 state names as NETSTAT shows them: Established, Time-wait..."""
    return state.capitalize()


def connection_lines(net) -> list[str]:
    lines = [
        "Active Transmission Blocks",
        "User Id  Conn  Proto Local Socket          Foreign Socket        State",
        "-------  ----  ----- ------------          --------------        -----",
    ]
    userid = net.services.userid
    for number, conn in enumerate(net.stack.connections(), start=1):
        state = conn.get("state") or ""
        lines.append(
            f"{userid:<8} {conn.get('descriptor', number):<5} {conn['proto']:<5} "
            f"{socket_text(conn['local']):<21} {socket_text(conn.get('remote')):<21} "
            f"{state if conn['proto'] == 'UDP' else state_text(state)}"
        )
    if len(lines) == 3:
        lines.append("(no connections)")
    return lines


def counter_lines(net) -> list[str]:
    counters = dict(net.stack.counters)
    counters["nic_errors"] = net.driver.errors
    counters["host_faults"] = net.faults
    lines = ["Counters"]
    for name in sorted(counters):
        lines.append(f"  {name:<28} {counters[name]}")
    return lines


def byte_lines(net) -> list[str]:
    lines = ["Bytes    Conn  Sent          Received"]
    for number, conn in enumerate(net.stack.connections(), start=1):
        lines.append(
            f"         {conn.get('descriptor', number):<5} {conn.get('sent', 0):<13} "
            f"{conn.get('received', 0)}"
        )
    return lines


def arp_lines(net) -> list[str]:
    lines = ["ARP cache", "IP address       MAC address"]
    for address, mac in net.stack.arp_table():
        lines.append(f"{address:<16} {mac_text(mac)}")
    return lines


def home_lines(net) -> list[str]:
    return [
        "Home address list",
        "Address          Link",
        f"{net.stack.address:<16} NIC{net.driver.vaddr:04X}",
    ]


def gate_lines(net) -> list[str]:
    """The routes: the LAN itself, and the default through the gateway."""
    import ipaddress

    stack, link = net.stack, f"NIC{net.driver.vaddr:04X}"
    network = ipaddress.IPv4Network(f"{stack.address}/{stack.netmask}", strict=False)
    lines = [
        "Known IP gateways",
        "Network          Subnet Mask      First Hop        Link",
        f"{str(network.network_address):<16} {stack.netmask:<16} {'<direct>':<16} {link}",
    ]
    if stack.gateway:
        lines.append(f"{'Default':<16} {'<none>':<16} {stack.gateway:<16} {link}")
    return lines


async def netstat(cms, call) -> int:
    """NETSTAT [CONN|ALL|ARP|HOME|GATE|COUNTERS]: the connections (CONN,
    the default), with their byte counts and the stack's counters (ALL), the
    ARP cache, the home address, the routes, or the counters alone."""
    if len(call.args) > 1:
        raise invalid_parameter(call.args[1])
    word = call.args[0] if call.args else "CONN"
    chosen = next((o for o in NETSTAT_OPTIONS if o.startswith(word) and len(word) >= 2), None)
    if chosen is None:
        raise invalid_parameter(word)
    net = network_of(cms)
    net.pump()
    lines = [f"VM TCP/IP Netstat Level 370      {net.services.userid} {net.stack.address}", ""]
    if chosen in ("CONN", "ALL"):
        lines += connection_lines(net)
    if chosen == "ALL":
        lines += [""] + byte_lines(net) + [""] + counter_lines(net)
    if chosen == "COUNTERS":
        lines += counter_lines(net)
    if chosen == "ARP":
        lines += arp_lines(net)
    if chosen == "HOME":
        lines += home_lines(net)
    if chosen == "GATE":
        lines += gate_lines(net)
    for line in lines:
        cms.say(line)
    return 0


# ---------------------------------------------------------------- IFCONFIG


async def ifconfig(cms, call) -> int:
    """IFCONFIG: the VM's interface: NIC, address, mask, gateway, MAC, LAN."""
    if call.args:
        raise invalid_parameter(call.args[0])
    net = network_of(cms)
    net.pump()
    stack, driver = net.stack, net.driver
    counters = stack.counters
    _, lan = _lan_of(cms, driver.vaddr)
    cms.say(
        f"NIC{driver.vaddr:04X}: inet {stack.address}  netmask {stack.netmask}  "
        f"gateway {stack.gateway or 'none'}"
    )
    cms.say(f"         ether {mac_text(stack.mac)}  LAN {lan or 'not coupled'}")
    cms.say(
        f"         frames in {counters.get('frames_in', 0)}  "
        f"out {counters.get('frames_out', 0)}  NIC errors {driver.errors}"
    )
    return 0


def _lan_of(cms, vaddr: int):
    try:
        return find_nic(cms.services, vaddr)
    except NetworkError:
        return vaddr, None


COMMANDS = [
    Command("PING", 4, "PNG", ping, "host [count] [(Count n Length n Timeout n]"),
    Command("NETSTAT", 7, "NET", netstat, "[CONN|ALL|ARP|HOME|GATE|COUNTERS]"),
    Command("IFCONFIG", 8, "IFC", ifconfig, ""),
]
