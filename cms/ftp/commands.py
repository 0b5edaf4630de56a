"""The CMS commands FTP (the client) and SRVRFTP (the FTP server FTPSERVE's
PROFILE EXEC starts, as z/VM's FTPSERVE runs the SRVRFTP module)."""

from __future__ import annotations

from dataclasses import dataclass

from cms.commands import Command
from cms.errors import CMSError, invalid_parameter
from cms.ftp.client import FTP_PORT, FtpClient
from cms.ftp.cmsfiles import LocalFiles, MinidiskStore
from cms.ftp.control import NETWORK_ERRORS, error_name
from cms.ftp.server import serve
from cms.ftp.transfer import close_quietly
from s390.ebcdic import from_ebcdic

#: Clients that may wait in the listen backlog while one is served.
BACKLOG = 8


def network(cms):
    """The VM's TCP/IP host (cms.tcpip; CMSError when it has none)."""
    from cms.tcpip import network_of  # the stack is loaded only when used

    return network_of(cms)


def port_operand(words: list[str], position: int) -> int:
    if len(words) <= position:
        return FTP_PORT
    word = words[position]
    if not word.isdigit() or not 1 <= int(word) <= 65535:
        raise invalid_parameter(word)
    return int(word)


class CmsConsole:
    """The FTP client's console: CMS's lines, the console stack first."""

    def __init__(self, cms):
        self.cms = cms

    def say(self, text: str) -> None:
        self.cms.say(text)

    def read(self) -> str:
        return self.cms.services.wait_for(self.cms.read_line())

    def read_password(self, prompt: str) -> str:
        stacked = self.cms.stack.pull()
        if stacked is not None:
            self.cms.say(prompt)
            return stacked
        return self.cms.services.wait_for(self.cms.services.read_password(prompt))


async def ftp(cms, call) -> int:
    """FTP [host [port]]: the line-mode client (cms.ftp.client)."""
    if len(call.args) > 2:
        raise invalid_parameter(call.args[2])
    port = port_operand(call.args, 1)
    net = network(cms)
    client = FtpClient(net, CmsConsole(cms), LocalFiles(cms))
    try:
        return client.run(call.args[0] if call.args else None, port)
    finally:
        client.drop()  # also when HX ends the session


@dataclass
class ServerConfig:
    """SRVRFTP CONFIG (z/VM's FTP server configuration file, the statements
    this server has): ``PORT n`` and ``PASSIVEPORTRANGE low high`` (the ports
    PASV listens on, so a gateway can forward them; default: any free)."""

    port: int = FTP_PORT
    passive_ports: range | None = None


def bad_config(line: str) -> CMSError:
    return CMSError(2, "E", 24, f"INVALID STATEMENT IN SRVRFTP CONFIG: '{line.strip()}'")


def read_config(cms) -> ServerConfig:
    """SRVRFTP CONFIG from the accessed disks, when there is one."""
    config = ServerConfig()
    found = cms.disks.find("SRVRFTP", "CONFIG", "*")
    if not found:
        return config
    for record in cms.disks.read(found[0]):
        line = from_ebcdic(record).strip()
        words = line.upper().split()
        if not words or line.startswith(("*", ";")):
            continue
        numbers = [int(w) for w in words[1:] if w.isdigit() and 1 <= int(w) <= 65535]
        if words[0] == "PORT" and len(words) == 2 and len(numbers) == 1:
            config.port = numbers[0]
        elif words[0] == "PASSIVEPORTRANGE" and len(words) == 3 and len(numbers) == 2:
            if numbers[0] > numbers[1]:
                raise bad_config(line)
            config.passive_ports = range(numbers[0], numbers[1] + 1)
        else:
            raise bad_config(line)
    return config


def readable_sockets(net):
    """``poll(socks, timeout)`` for cms.ftp.server.serve: sleep in the VM's
    time until one of the sockets is readable (or the timeout); the
    readable ones."""

    def poll(socks, timeout):
        net.wait_until(lambda: any(s.sock.readable() for s in socks), timeout)
        return [s for s in socks if s.sock.readable()]

    return poll


async def srvrftp(cms, call) -> int:
    """SRVRFTP [port]: serve FTP clients until HX (cms.ftp.server), as
    SRVRFTP CONFIG says (the port operand wins over its PORT)."""
    if len(call.args) > 1:
        raise invalid_parameter(call.args[1])
    config = read_config(cms)
    port = port_operand(call.args, 0) if call.args else config.port
    net = network(cms)
    listener = net.socket("STREAM")
    try:
        # A restarted server takes its port back although connections of
        # the last run still wait in TIME-WAIT on it.
        listener.setsockopt("SO_REUSEADDR", 1)
        listener.bind(("0.0.0.0", port))
        listener.listen(BACKLOG)
    except NETWORK_ERRORS as exc:
        close_quietly(listener)
        raise CMSError(1, "E", 1, f"FTP SERVER CANNOT LISTEN ON PORT {port}: {error_name(exc)}")
    cms.say(f"VM TCP/IP FTP Server Level 370 listening on {net.stack.address} port {port}")

    try:
        serve(
            listener,
            net,
            lambda: MinidiskStore(cms.services),
            readable_sockets(net),
            host_name=net.stack.address,
            log=cms.say,
            passive_ports=config.passive_ports,
        )
    finally:
        close_quietly(listener)
    return 0


COMMANDS = [
    Command("FTP", 3, "FTP", ftp, "[host [port]]"),
    Command("SRVRFTP", 7, "FTS", srvrftp, "[port]"),
]
