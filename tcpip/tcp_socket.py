"""TCP stream sockets (RFC 9293 3.10 user calls: OPEN, SEND, RECEIVE, CLOSE,
ABORT) over the connections of ``tcp.py``, and their listeners.

A listening socket keeps its half-open connections and the established ones
nobody has accepted yet, together at most its backlog (``MAX_BACKLOG`` at
most); SYNs past that are dropped and counted (``syn_dropped_backlog``).
"""

from __future__ import annotations

from collections import deque

from . import ip
from .errors import SocketError
from .sockets import Socket
from .tcp import (
    ACK,
    BUFFER,
    RST,
    SYN,
    Connection,
    Segment,
    reset_for,
    room_for_connection,
)

MAX_BACKLOG = 16


class StreamSocket(Socket):
    kind = "STREAM"

    def __init__(self, stack, descriptor: int, connection: Connection | None = None):
        super().__init__(stack, descriptor)
        self.connection = connection
        self.listening = False
        self.backlog = 0
        self._half_open: set[Connection] = set()
        self._accept_queue: deque[Connection] = deque()
        self._socket_error: str | None = None

    # -- state ---------------------------------------------------------------
    @property
    def error(self) -> str | None:
        if self._socket_error is not None:
            return self._socket_error
        return self.connection.error if self.connection is not None else None

    @error.setter
    def error(self, value: str | None) -> None:
        self._socket_error = value

    @property
    def state(self) -> str:
        if self.listening:
            return "LISTEN"
        return self.connection.state if self.connection is not None else "CLOSED"

    def setsockopt(self, name: str, value) -> None:
        super().setsockopt(name, value)
        if str(name).upper() == "TCP_NODELAY" and self.connection is not None:
            self.connection.nodelay = bool(value)
            self.connection.output()

    # -- passive open ----------------------------------------------------------
    def bind(self, address) -> None:
        self._check_open()
        if self.local is not None:
            raise SocketError("EINVAL")
        self._stack._bind(self, address)

    def listen(self, backlog: int = 5, any_port: bool = False) -> None:
        """LISTEN; ``any_port`` (bound to port 0): the gateway's catch-all for every
        port no other socket listens on."""
        self._check_open()
        if self.connection is not None:
            raise SocketError("EISCONN")
        if any_port:
            if self.local is not None and not self.ephemeral:
                raise SocketError("EINVAL")  # bound to a port of its own choosing
            if self.local is not None:
                self._stack._release_port(self)
            self._stack._bind(self, ("0.0.0.0", 0), any_port=True)
        elif self.local is None:
            self._stack._bind(self, ("0.0.0.0", 0))
        self.backlog = max(1, min(int(backlog), MAX_BACKLOG))
        self.listening = True

    def segment_arrives(self, segment: Segment) -> None:
        """LISTEN (RFC 9293 3.10.7.2)."""
        stack = self._stack
        if segment.flags & RST:
            return
        if segment.flags & ACK:
            reset_for(stack, segment)
            return
        if not segment.flags & SYN:
            return
        if len(self._half_open) + len(self._accept_queue) >= self.backlog:
            stack.counters["syn_dropped_backlog"] += 1
            return
        if not room_for_connection(stack):
            stack.counters["syn_dropped_limit"] += 1
            return
        connection = Connection(
            stack, (segment.destination, segment.dport), (segment.source, segment.sport)
        )
        connection.nodelay = bool(self.options.get("TCP_NODELAY"))
        self._half_open.add(connection)
        connection.open_passive(segment, self)

    def _established(self, connection: Connection) -> None:
        self._half_open.discard(connection)
        self._accept_queue.append(connection)

    def _forget(self, connection: Connection) -> None:
        self._half_open.discard(connection)
        if connection in self._accept_queue:
            self._accept_queue.remove(connection)

    def accept(self) -> StreamSocket:
        self._check_open()
        if not self.listening:
            raise SocketError("EINVAL")
        if not self._accept_queue:
            raise SocketError("EWOULDBLOCK")
        connection = self._accept_queue[0]
        sock = self._stack._new_socket(lambda stack, d: StreamSocket(stack, d, connection))
        self._accept_queue.popleft()
        connection.listener = None
        sock.local = connection.local
        sock.options = dict(self.options)
        return sock

    # -- active open -----------------------------------------------------------
    def connect(self, address) -> None:
        """Start the handshake; progress in ``state``, failure in ``error``."""
        self._check_open()
        if self.listening:
            raise SocketError("EINVAL")
        if self.connection is not None:
            raise SocketError("EALREADY" if self.connection.state == "SYN-SENT" else "EISCONN")
        stack = self._stack
        remote = stack._parse_address(address)
        if self.local is None:
            stack._bind(self, ("0.0.0.0", 0))
        if stack.next_hop(remote[0]) is None:
            self._socket_error = "ENETUNREACH"  # RFC 1122 3.3.1.1: no gateway for it
            stack.counters["tcp_connect_failures"] += 1
            stack.counters["dropped_no_route"] += 1
            return
        local = (stack._address, self.local[1])
        if (local[0], local[1], remote[0], remote[1]) in stack.connections_by_key:
            raise SocketError("EADDRINUSE")
        if not room_for_connection(stack):
            raise SocketError("ENOBUFS")
        self.connection = Connection(stack, local, remote)
        self.connection.nodelay = bool(self.options.get("TCP_NODELAY"))
        self.connection.open_active()

    def getpeername(self) -> tuple[str, int]:
        self._check_open()
        connection = self.connection
        if connection is None or connection.state in ("SYN-SENT", "CLOSED"):
            raise SocketError("ENOTCONN")
        return ip.ntoa(connection.remote[0]), connection.remote[1]

    def getsockname(self) -> tuple[str, int]:
        self._check_open()
        if self.connection is not None:
            return ip.ntoa(self.connection.local[0]), self.connection.local[1]
        return self._stack._name_of(self.local)

    # -- data ------------------------------------------------------------------
    def send(self, data) -> int:
        self._check_open()
        if self.error is not None:
            raise SocketError(self.error)
        connection = self.connection
        if connection is None:
            raise SocketError("ENOTCONN")
        if connection.fin_queued:
            raise SocketError("EPIPE")
        if connection.state in ("SYN-SENT", "SYN-RECEIVED"):
            raise SocketError("EWOULDBLOCK")
        if connection.state not in ("ESTABLISHED", "CLOSE-WAIT"):
            raise SocketError("EPIPE")
        if not data:
            return 0
        return connection.send(data)

    def recv(self, size: int = 65536) -> bytes:
        self._check_open()
        connection = self.connection
        if connection is not None and connection.rcvbuf:
            return connection.receive(max(0, size))
        if self.error is not None:
            raise SocketError(self.error)
        if connection is None:
            raise SocketError("ENOTCONN")
        if connection.fin_received or connection.read_shut or connection.state == "CLOSED":
            return b""
        if connection.state == "SYN-SENT":
            raise SocketError("EWOULDBLOCK")
        raise SocketError("EWOULDBLOCK")

    def recvfrom(self, size: int = 65536) -> tuple[bytes, tuple[str, int]]:
        data = self.recv(size)
        return data, self.getpeername()

    def sendto(self, data, address=None) -> int:
        return self.send(data)

    def shutdown(self, how: int = 2) -> None:
        """0: no more receiving, 1: no more sending (FIN), 2: both."""
        self._check_open()
        connection = self.connection
        if connection is None or connection.state in ("CLOSED", "SYN-SENT"):
            raise SocketError("ENOTCONN")
        if how not in (0, 1, 2):
            raise SocketError("EINVAL")
        if how in (0, 2):
            connection.shutdown_read()
        if how in (1, 2):
            connection.shutdown_write()

    def close(self) -> None:
        if self.closed:
            return
        if self.listening:
            for connection in list(self._half_open) + list(self._accept_queue):
                connection.reset()
            self._half_open.clear()
            self._accept_queue.clear()
            self.listening = False
        elif self.connection is not None:
            if self._linger_zero():
                self.connection.reset()  # SO_LINGER on with time 0: an abortive close
            else:
                self.connection.close()
        self._stack._release(self)
        self.closed = True

    def abort(self) -> None:
        """Close at once with RST (RFC 9293 3.10.4 ABORT), whatever is queued."""
        if not self.closed and self.connection is not None:
            self.connection.reset()
        self.close()

    def _linger_zero(self) -> bool:
        linger = self.options.get("SO_LINGER")
        return (
            isinstance(linger, (tuple, list))
            and len(linger) == 2
            and bool(linger[0])
            and not linger[1]
        )

    def readable(self) -> bool:
        if self.listening:
            return bool(self._accept_queue)
        if self.error is not None:
            return True
        connection = self.connection
        if connection is None:
            return False
        return (
            bool(connection.rcvbuf)
            or connection.fin_received
            or connection.read_shut
            or (connection.state == "CLOSED")
        )

    def writable(self) -> bool:
        if self.error is not None:
            return True
        connection = self.connection
        return (
            connection is not None
            and connection.state in ("ESTABLISHED", "CLOSE-WAIT")
            and not connection.fin_queued
            and len(connection.sndbuf) < BUFFER
        )

    def row(self) -> dict:
        if self.connection is not None:
            return self.connection.row(self.descriptor)
        return {
            "proto": "TCP",
            "local": self._stack._name_of(self.local),
            "remote": None,
            "state": self.state,
            "sent": 0,
            "received": 0,
            "descriptor": self.descriptor,
        }
