"""The FTP control connection (RFC 959 sections 4.2 and 5.3): Telnet-style
lines ended by CR LF, replies of three digits (a ``-`` after the code
starts a multi-line reply that ends at a line with the code and a blank),
and the ``h1,h2,h3,h4,p1,p2`` host-port of PORT and PASV.

The control connection's text is ASCII; a character of a line outside
cp037 cannot reach a CMS file id anyway, so lines are decoded as Latin-1.
"""

from __future__ import annotations

import errno as host_errno
import re

try:  # the guest stack's errors (tcpip.SocketError); host sockets raise OSError
    from tcpip import SocketError
except ImportError:  # pragma: no cover - before the engine is there
    SocketError = OSError

#: What a socket operation may raise: the guest stack's errno names or the host's.
NETWORK_ERRORS = (OSError, SocketError)

#: The longest control line accepted (a longer one is refused, not buffered for ever).
MAX_LINE = 2048


def error_name(exc: BaseException) -> str:
    """The errno name of a socket failure (ECONNREFUSED, ETIMEDOUT, ...)."""
    name = getattr(exc, "errno", None)
    if isinstance(name, str):
        return name
    if isinstance(exc, TimeoutError):
        return "ETIMEDOUT"
    if isinstance(name, int):  # a host socket's OSError
        return host_errno.errorcode.get(name, type(exc).__name__)
    return str(exc)


class LineTooLong(Exception):
    """A control line past MAX_LINE."""


class LineReader:
    """Lines from a stream socket, one at a time."""

    def __init__(self, sock):
        self.sock = sock
        self.buffer = bytearray()
        self.skipping = False  # the rest of a line too long, up to its end

    def readline(self) -> str | None:
        """The next line without its CR LF; None at the end of the stream."""
        while True:
            line = self.pop_line()
            if line is not None:
                return line
            if not self.fill():
                if self.buffer:
                    rest, self.buffer = bytes(self.buffer), bytearray()
                    return rest.decode("latin-1")
                return None

    def pop_line(self) -> str | None:
        """A whole line already received, or None (LineTooLong past MAX_LINE;
        what follows of that line, up to its end, is dropped, not taken as
        the next command)."""
        end = self.buffer.find(b"\n")
        if self.skipping:
            if end < 0:
                self.buffer.clear()
                return None
            del self.buffer[: end + 1]
            self.skipping = False
            end = self.buffer.find(b"\n")
        if end >= 0:
            line = bytes(self.buffer[:end]).removesuffix(b"\r")
            del self.buffer[: end + 1]
            return line.decode("latin-1")
        if len(self.buffer) > MAX_LINE:
            self.buffer.clear()
            self.skipping = True
            raise LineTooLong()
        return None

    def fill(self) -> bool:
        """One receive into the buffer (it does not wait when the socket is
        readable); False at the end of the stream."""
        chunk = self.sock.recv(4096)
        self.buffer += chunk
        return bool(chunk)


def send_line(sock, text: str) -> None:
    sock.sendall(text.encode("latin-1", errors="replace") + b"\r\n")


REPLY = re.compile(r"^(\d{3})([ -])?(.*)$")


def read_reply(reader: LineReader) -> tuple[int, list[str]]:
    """One reply: (code, its lines as received).  The end of the stream
    before a reply is code 421 (service not available), as RFC 959 says a
    server that closes gives."""
    first = reader.readline()
    if first is None:
        return 421, []
    found = REPLY.match(first)
    if not found:
        return 500, [first]
    code, lines = found.group(1), [first]
    if found.group(2) == "-":
        while True:
            line = reader.readline()
            if line is None:
                break
            lines.append(line)
            if line.startswith(code + " "):
                break
    return int(code), lines


def host_port(address: tuple[str, int]) -> str:
    """``h1,h2,h3,h4,p1,p2`` for PORT and the 227 reply."""
    ip, port = address
    return ",".join(ip.split(".") + [str(port >> 8), str(port & 0xFF)])


HOST_PORT = re.compile(r"(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})")


def parse_host_port(text: str) -> tuple[str, int] | None:
    """The address in a PORT argument or a 227 reply; None when there is none
    or a number is past 255."""
    found = HOST_PORT.search(text)
    if not found:
        return None
    numbers = [int(n) for n in found.groups()]
    if any(n > 255 for n in numbers):
        return None
    return ".".join(str(n) for n in numbers[:4]), numbers[4] * 256 + numbers[5]
