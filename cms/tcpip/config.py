"""The TCP/IP configuration of one CMS user: HOSTS LOCAL, TCPIP DATA, PROFILE TCPIP.

The files are found in the normal CMS search order (A-disk first, the
S-disk's copies are the system defaults):

* ``HOSTS LOCAL``: one host a line, ``address name [name ...]``; names are
  case-insensitive and a user id is a host name.  ``*`` starts a comment.
* ``TCPIP DATA``: the defaults of every user: ``NETMASK m``, ``GATEWAY a``
  (``NONE``: no gateway), ``NIC vaddr``.
* ``PROFILE TCPIP``: the user's own: ``HOME address``, ``NETMASK m``,
  ``GATEWAY a``, ``NIC vaddr``; each overrides TCPIP DATA.

A user's address is PROFILE TCPIP's HOME, else the HOSTS LOCAL entry of its
user id.  Everything read is checked: a malformed line is reported with the
file and line number (a NetworkError), never half used.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from cms.errors import CMSError
from s390.ebcdic import from_ebcdic

DEFAULT_NETMASK = "255.255.255.0"
DEFAULT_GATEWAY = "10.0.0.1"


class NetworkError(CMSError):
    """A TCP/IP condition of CMS: the text is the whole message (z/VM's
    TCP/IP commands show their messages without a DMS prefix)."""

    def __init__(self, text: str, rc: int = 1):
        super().__init__(0, "E", rc, text)

    def message(self, module: str) -> str:
        return self.text


@dataclass
class NetConfig:
    """What a user's stack is started with."""

    userid: str
    address: str | None = None
    netmask: str = DEFAULT_NETMASK
    gateway: str | None = DEFAULT_GATEWAY
    nic: int | None = None  # None: the VM's first NIC
    hosts: dict[str, str] = field(default_factory=dict)  # NAME -> address
    names: dict[str, str] = field(default_factory=dict)  # address -> first name
    sources: list[str] = field(default_factory=list)  # the files that were read

    def resolve(self, name: str) -> str | None:
        """A dotted address as it is, or a HOSTS LOCAL name's address."""
        if is_address(name):
            return str(ipaddress.IPv4Address(name))
        return self.hosts.get(name.upper())

    def name_of(self, address: str) -> str | None:
        return self.names.get(address)


def is_address(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


def read_config(cms) -> NetConfig:
    """The configuration from the files the user's accessed disks hold."""
    config = NetConfig(cms.services.userid)
    hosts = _file_lines(cms, "HOSTS", "LOCAL")
    if hosts is not None:
        config.sources.append("HOSTS LOCAL")
        _hosts(config, hosts)
    for fn, ft in (("TCPIP", "DATA"), ("PROFILE", "TCPIP")):
        lines = _file_lines(cms, fn, ft)
        if lines is not None:
            config.sources.append(f"{fn} {ft}")
            _settings(config, lines, f"{fn} {ft}")
    if config.address is None:
        config.address = config.hosts.get(config.userid.upper())
    return config


def _file_lines(cms, fn: str, ft: str) -> list[str] | None:
    found = cms.disks.find(fn, ft, "*")
    if not found:
        return None
    return [from_ebcdic(record).rstrip() for record in cms.disks.read(found[0])]


def _statements(lines: list[str]):
    for number, line in enumerate(lines, start=1):
        words = line.split()
        if words and not words[0].startswith("*"):
            yield number, words


def _hosts(config: NetConfig, lines: list[str]) -> None:
    for number, words in _statements(lines):
        if len(words) < 2 or not is_address(words[0]):
            raise NetworkError(f"HOSTS LOCAL line {number}: not 'address name [name ...]'", 8)
        address = str(ipaddress.IPv4Address(words[0]))
        for name in words[1:]:
            config.hosts.setdefault(name.upper(), address)
        config.names.setdefault(address, words[1].upper())


def _settings(config: NetConfig, lines: list[str], fileid: str) -> None:
    for number, words in _statements(lines):
        key = words[0].upper()
        value = words[1] if len(words) == 2 else None
        where = f"{fileid} line {number}"
        if value is None:
            raise NetworkError(f"{where}: {key} needs one operand", 8)
        if key == "HOME":
            config.address = _address(value, where)
        elif key == "NETMASK":
            config.netmask = _netmask(value, where)
        elif key == "GATEWAY":
            config.gateway = None if value.upper() == "NONE" else _address(value, where)
        elif key == "NIC":
            config.nic = _vaddr(value, where)
        else:
            raise NetworkError(f"{where}: unknown statement {words[0]}", 8)


def _address(text: str, where: str) -> str:
    if not is_address(text):
        raise NetworkError(f"{where}: {text} is not an IP address", 8)
    return str(ipaddress.IPv4Address(text))


def _netmask(text: str, where: str) -> str:
    try:
        return str(ipaddress.IPv4Network(f"0.0.0.0/{text}").netmask)
    except ValueError:
        raise NetworkError(f"{where}: {text} is not a network mask", 8) from None


def _vaddr(text: str, where: str) -> int:
    try:
        vaddr = int(text, 16)
    except ValueError:
        vaddr = -1
    if not 0 <= vaddr <= 0xFFFF:
        raise NetworkError(f"{where}: {text} is not a device address", 8)
    return vaddr
