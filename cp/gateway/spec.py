"""Parsing what users write about the gateway: its address and port forwards.

* The gateway address: ``address[/prefix]`` (IPv4, prefix 8..30, default
  /24), never the network's or broadcast address.  Default 10.0.0.1/24
  (the TCP/IP plan: the LAN's network is 10.0.0.0/24, the gateway .1).
* A forward: ``[bindaddr:]HOSTPORT=USERID:PORT`` (``vm370 serve --forward``)
  or, in system.config, ``VMLAN FORWARD lanname [bindaddr:]hostport userid
  port``.  The host listens on 127.0.0.1 unless a bind address is given;
  HOSTPORT 0 asks for any free port (tests use it).

Errors are ``ValueError`` whose text says what is wrong, fit to be shown as
it is after the command or option that carried it.
"""

from __future__ import annotations

import ipaddress
import string
from dataclasses import dataclass

DEFAULT_ADDRESS = "10.0.0.1/24"
DEFAULT_PREFIX = 24
LOOPBACK = "127.0.0.1"
#: What a user id may hold (CP directory: 1-8 of A-Z 0-9 @ # $).
USERID_CHARACTERS = set(string.ascii_uppercase + string.digits + "@#$")


def parse_gateway_address(text: str | None) -> ipaddress.IPv4Interface:
    """``address[/prefix]`` as an IPv4Interface (``None``: the default)."""
    text = text or DEFAULT_ADDRESS
    if "/" not in text:
        text = f"{text}/{DEFAULT_PREFIX}"
    try:
        interface = ipaddress.IPv4Interface(text)
    except ValueError:
        raise ValueError(f"{text} is not an IPv4 address[/prefix]") from None
    network = interface.network
    if not 8 <= network.prefixlen <= 30:
        raise ValueError(f"prefix /{network.prefixlen} is not between /8 and /30")
    if interface.ip in (network.network_address, network.broadcast_address):
        raise ValueError(f"{interface.ip} is the network's own or broadcast address")
    if interface.ip.is_loopback or interface.ip.is_multicast or interface.ip.is_unspecified:
        raise ValueError(f"{interface.ip} cannot be a gateway address on a LAN")
    return interface


@dataclass(frozen=True)
class ForwardSpec:
    """A host port forwarded to a guest: ``bind:port`` -> ``userid``'s ``guest_port``.
    ``lan``: the LAN name (system.config names one); None: every LAN with a gateway."""

    bind: str
    port: int
    userid: str
    guest_port: int
    lan: str | None = None

    def __str__(self) -> str:
        host = f"[{self.bind}]" if ":" in self.bind else self.bind
        return f"{host}:{self.port}={self.userid}:{self.guest_port}"


def _port(text: str, what: str, allow_zero: bool = False) -> int:
    if not text.isdigit():
        raise ValueError(f"{what} {text!r} is not a number")
    port = int(text)
    if not (0 if allow_zero else 1) <= port <= 65535:
        raise ValueError(f"{what} {port} is not between {0 if allow_zero else 1} and 65535")
    return port


def _userid(text: str) -> str:
    userid = text.upper()
    if not 1 <= len(userid) <= 8 or not set(userid) <= USERID_CHARACTERS:
        raise ValueError(f"{text!r} is not a user id (1-8 letters, digits, @ # $)")
    return userid


def _bind_address(text: str) -> str:
    address = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        raise ValueError(f"bind address {text!r} is not an IP address") from None


def parse_host_side(text: str) -> tuple[str, int]:
    """``[bindaddr:]hostport`` -> (bind address, port); 127.0.0.1 by default."""
    bind, _, port = text.rpartition(":")
    return (_bind_address(bind) if bind else LOOPBACK), _port(port, "host port", True)


def parse_forward(text: str, lan: str | None = None) -> ForwardSpec:
    """``[bindaddr:]HOSTPORT=USERID:PORT`` as a ForwardSpec."""
    host_side, equals, guest_side = text.partition("=")
    if not equals or not host_side or not guest_side:
        raise ValueError(f"{text!r} is not [bindaddr:]HOSTPORT=USERID:PORT")
    userid, colon, guest_port = guest_side.partition(":")
    if not colon:
        raise ValueError(f"{guest_side!r} is not USERID:PORT")
    bind, port = parse_host_side(host_side)
    return ForwardSpec(bind, port, _userid(userid), _port(guest_port, "guest port"), lan)


def parse_config_forward(words: list[str]) -> ForwardSpec:
    """``VMLAN FORWARD lanname [bindaddr:]hostport userid port`` (the words after FORWARD)."""
    if len(words) != 4:
        raise ValueError("VMLAN FORWARD lanname [bindaddr:]hostport userid port")
    lan, host_side, userid, guest_port = words
    bind, port = parse_host_side(host_side)
    return ForwardSpec(bind, port, _userid(userid), _port(guest_port, "guest port"), lan.upper())


def forward_option(text: str) -> ForwardSpec:
    """The ``--forward`` option's type for argparse: its error is argparse's
    ``error: argument --forward: ...`` line, never a traceback."""
    import argparse

    try:
        return parse_forward(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def add_forward_option(parser) -> None:
    """``--forward [bindaddr:]HOSTPORT=USERID:PORT`` (repeatable) on an argparse parser."""
    parser.add_argument(
        "--forward",
        metavar="[BINDADDR:]HOSTPORT=USERID:PORT",
        type=forward_option,
        action="append",
        default=[],
        help="forward a host TCP port (on 127.0.0.1 unless BINDADDR is given) to port "
        "PORT of USERID's guest on a LAN with a gateway; repeatable",
    )
