"""Blocking sockets for CMS programs (FTP, the web server, REXX Sockets).

``net.socket(kind)`` gives a ``NetSocket``: the subset of Python's
``socket.socket`` that client and server code needs, over a ``tcpip``
engine socket.  Every call that would block waits with
``net.wait_until`` (the VM sleeps until a frame or a timer; HX works
meanwhile); ``settimeout(seconds)`` bounds each wait (None: no bound) and a
wait that runs out raises ``SocketError("ETIMEDOUT")``.  Errors are
``tcpip.SocketError`` with the errno name z/VM's REXX Sockets use.
"""

from __future__ import annotations

from cms.tcpip.config import NetworkError
from tcpip import SocketError

#: How long connect() waits when no timeout is set (the engine gives up
#: earlier with ETIMEDOUT on its own connect timer).
CONNECT_WAIT = 75.0


def call_blocking(net, operation, ready, timeout: float | None = None):
    """``operation()`` as a blocking call: tried at once; while it answers
    EWOULDBLOCK the VM sleeps until ``ready()`` (then it is tried again).
    Any other error is the caller's at once (ENOTCONN on a socket never
    connected, EINVAL for accept() on one not listening: no wait for ever).
    ``timeout`` bounds the whole call: SocketError("ETIMEDOUT")."""
    deadline = None if timeout is None else net.clock() + timeout
    while True:
        try:
            return operation()
        except SocketError as err:
            if err.errno != "EWOULDBLOCK":
                raise
        left = None if deadline is None else max(0.0, deadline - net.clock())
        if not net.wait_until(ready, left):
            raise SocketError("ETIMEDOUT")


class NetSocket:
    """One socket of the VM's stack, with blocking calls."""

    def __init__(self, net, sock):
        self.net = net
        self.sock = sock
        self.timeout: float | None = None

    # -- plain calls ------------------------------------------------------------
    def fileno(self) -> int:
        return self.sock.descriptor

    @property
    def kind(self) -> str:
        return self.sock.kind

    def settimeout(self, seconds: float | None) -> None:
        self.timeout = None if seconds is None else max(0.0, float(seconds))

    def gettimeout(self) -> float | None:
        return self.timeout

    def bind(self, address: tuple[str, int]) -> None:
        host, port = address
        self.sock.bind((self._address(host), int(port)))

    def listen(self, backlog: int = 5) -> None:
        self.sock.listen(backlog)

    def getsockname(self) -> tuple[str, int]:
        return self.sock.getsockname()

    def getpeername(self) -> tuple[str, int]:
        return self.sock.getpeername()

    def setsockopt(self, name: str, value) -> None:
        self.sock.setsockopt(name, value)

    def shutdown(self, how: int) -> None:
        self.sock.shutdown(how)

    def close(self) -> None:
        self.sock.close()
        self.net.pump()  # the FIN (or RST) goes out now

    # -- blocking calls -----------------------------------------------------------
    def accept(self):
        """The next connection: (NetSocket, (ip, port))."""
        new = call_blocking(self.net, self.sock.accept, self.sock.readable, self.timeout)
        wrapped = NetSocket(self.net, new)
        wrapped.timeout = self.timeout
        return wrapped, new.getpeername()

    def connect(self, address: tuple[str, int]) -> None:
        host, port = address
        self.sock.connect((self._address(host), int(port)))
        sock = self.sock
        limit = self.timeout if self.timeout is not None else CONNECT_WAIT
        if not self.net.wait_until(
            lambda: sock.error is not None or sock.state != "SYN-SENT", limit
        ):
            raise SocketError("ETIMEDOUT")
        if sock.error is not None:
            raise SocketError(sock.error)
        if sock.state not in ("ESTABLISHED", "CLOSE-WAIT"):
            raise SocketError("ECONNREFUSED")

    def send(self, data: bytes) -> int:
        data = bytes(data)
        sent = call_blocking(
            self.net, lambda: self.sock.send(data), self.sock.writable, self.timeout
        )
        self.net.pump()  # the segments go out now, not at the next wait
        return sent

    def sendall(self, data: bytes) -> None:
        view = memoryview(bytes(data))
        while view:
            view = view[self.send(view[:65536]) :]

    def recv(self, size: int) -> bytes:
        """Up to ``size`` bytes; b"" when the peer ended the connection."""
        data = call_blocking(
            self.net, lambda: self.sock.recv(size), self.sock.readable, self.timeout
        )
        self.net.pump()  # the window update goes out
        return data

    def sendto(self, data: bytes, address: tuple[str, int]) -> int:
        host, port = address
        sent = self.sock.sendto(bytes(data), (self._address(host), int(port)))
        self.net.pump()
        return sent

    def recvfrom(self, size: int):
        return call_blocking(
            self.net, lambda: self.sock.recvfrom(size), self.sock.readable, self.timeout
        )

    def _address(self, host: str) -> str:
        if host in ("", "0.0.0.0", "INADDR_ANY"):
            return "0.0.0.0"
        try:
            return self.net.resolve(host)
        except NetworkError:
            raise SocketError("EHOSTUNREACH") from None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
