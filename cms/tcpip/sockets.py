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
    def _wait(self, ready, timeout: float | None = "default") -> None:
        limit = self.timeout if timeout == "default" else timeout
        if not self.net.wait_until(ready, limit):
            raise SocketError("ETIMEDOUT")

    def accept(self):
        """The next connection: (NetSocket, (ip, port))."""
        while True:
            self._wait(self.sock.readable)
            try:
                new = self.sock.accept()
            except SocketError as err:
                if err.errno == "EWOULDBLOCK":
                    continue
                raise
            wrapped = NetSocket(self.net, new)
            wrapped.timeout = self.timeout
            return wrapped, new.getpeername()

    def connect(self, address: tuple[str, int]) -> None:
        host, port = address
        self.sock.connect((self._address(host), int(port)))
        sock = self.sock
        self._wait(
            lambda: sock.error is not None or sock.state != "SYN-SENT",
            self.timeout if self.timeout is not None else CONNECT_WAIT,
        )
        if sock.error is not None:
            raise SocketError(sock.error)
        if sock.state not in ("ESTABLISHED", "CLOSE-WAIT"):
            raise SocketError("ECONNREFUSED")

    def send(self, data: bytes) -> int:
        while True:
            self._wait(self.sock.writable)
            try:
                sent = self.sock.send(bytes(data))
            except SocketError as err:
                if err.errno == "EWOULDBLOCK":
                    continue
                raise
            self.net.pump()  # the segments go out now, not at the next wait
            return sent

    def sendall(self, data: bytes) -> None:
        view = memoryview(bytes(data))
        while view:
            view = view[self.send(view[:65536]) :]

    def recv(self, size: int) -> bytes:
        """Up to ``size`` bytes; b"" when the peer ended the connection."""
        while True:
            self._wait(self.sock.readable)
            try:
                data = self.sock.recv(size)
            except SocketError as err:
                if err.errno == "EWOULDBLOCK":
                    continue
                raise
            self.net.pump()  # the window update goes out
            return data

    def sendto(self, data: bytes, address: tuple[str, int]) -> int:
        host, port = address
        sent = self.sock.sendto(bytes(data), (self._address(host), int(port)))
        self.net.pump()
        return sent

    def recvfrom(self, size: int):
        while True:
            self._wait(self.sock.readable)
            try:
                return self.sock.recvfrom(size)
            except SocketError as err:
                if err.errno != "EWOULDBLOCK":
                    raise

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
