"""What every kind of socket shares: descriptor, options, names, errors.

The kinds live with their protocols: ``tcp_socket.StreamSocket``,
``udp.DatagramSocket``, ``icmp.RawIcmpSocket``.  A call a kind does not
support fails with EOPNOTSUPP, as a socket library's would.
"""

from __future__ import annotations

from .errors import SocketError

#: Options setsockopt knows (z/VM REXX Sockets SETSOCKOPT); the rest: ENOPROTOOPT.
OPTIONS = {
    "SO_REUSEADDR",
    "SO_KEEPALIVE",
    "SO_BROADCAST",
    "SO_LINGER",
    "SO_SNDBUF",
    "SO_RCVBUF",
    "SO_OOBINLINE",
    "TCP_NODELAY",
}


class Socket:
    kind = ""

    def __init__(self, stack, descriptor: int):
        self._stack = stack
        self.descriptor = descriptor
        self.options: dict[str, object] = {}
        self.local: tuple[bytes, int] | None = None  # (address, port) once bound
        self.ephemeral = False  # the port was chosen by the stack (bound to port 0)
        self.error: str | None = None
        self.closed = False

    # -- shared calls ----------------------------------------------------
    def setsockopt(self, name: str, value) -> None:
        self._check_open()
        name = str(name).upper()
        if name not in OPTIONS:
            raise SocketError("ENOPROTOOPT")
        self.options[name] = value

    def getsockopt(self, name: str):
        self._check_open()
        name = str(name).upper()
        if name not in OPTIONS:
            raise SocketError("ENOPROTOOPT")
        return self.options.get(name, 0)

    def getsockname(self) -> tuple[str, int]:
        self._check_open()
        return self._stack._name_of(self.local)

    def getpeername(self) -> tuple[str, int]:
        raise SocketError("ENOTCONN")

    @property
    def state(self) -> str:
        return "CLOSED"

    def _check_open(self) -> None:
        if self.closed:
            raise SocketError("EBADF")

    def _unsupported(self, *args, **kwargs):
        self._check_open()
        raise SocketError("EOPNOTSUPP")

    listen = accept = connect = send = recv = sendto = recvfrom = shutdown = _unsupported

    def readable(self) -> bool:
        return self.error is not None

    def writable(self) -> bool:
        return self.error is not None

    def __repr__(self) -> str:
        return f"<{self.kind} socket {self.descriptor} {self.state}>"
