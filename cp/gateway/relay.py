"""Relaying one TCP connection between the router's stack and a host socket.

A relay joins a ``tcpip`` socket of the router (a guest's connection the
transparent listener accepted, or one the router opened to a guest for a
forward) with an asyncio stream on the host, both ways:

* host -> guest: read a chunk from the host only when the previous one is
  all in the guest socket's send buffer; while that buffer is full the host
  socket is not read, so TCP on the host side pushes back;
* guest -> host: take data from the guest socket only while the host
  writer has drained; while it has not, the guest socket's receive buffer
  fills and its window closes, so the guest is pushed back;
* an end of data on one side is passed on as a half close (FIN to the
  guest, ``write_eof`` to the host); the relay ends when both directions
  have ended, or at once when either side resets (the other is then reset
  or aborted), and both ends are closed.

A relay may carry a ``control``: an application-level gateway that reads
and rewrites what goes through (cp.gateway.ftp for FTP's control
connection): ``from_guest(data)``/``from_host(data)`` return what to pass
on (perhaps held back until a line ends), ``end_from_guest()``/
``end_from_host()`` what was held when that direction ends, and ``close()``
is called when the relay ends.

The coroutines wait on ``gateway.changed()`` (the router's next turn: a
frame, a timer or another relay's socket call) and re-check what they
wait for; they never spin.
"""

from __future__ import annotations

import asyncio

from tcpip import SocketError

#: Bytes moved per step in either direction.
CHUNK = 16384
#: Seconds a connection to the host's loopback may take.
HOST_CONNECT_SECONDS = 10.0
LOOPBACK = "127.0.0.1"


class PeerGone(Exception):
    """One side reset or failed: the relay ends at once."""


def reset(sock) -> None:
    """End a guest-side connection with RST (RFC 9293 3.10.4 ABORT) and free the socket."""
    try:
        sock.abort()
    except SocketError:
        pass


def close_quietly(sock) -> None:
    try:
        sock.close()
    except SocketError:
        pass


async def open_host_relay(gateway, sock, port: int) -> None:
    """A guest's connection to the gateway's address, port ``port``: connect
    to 127.0.0.1:port on the host and relay; refused there -> RST to the guest."""
    counters = gateway.counters
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(LOOPBACK, port), HOST_CONNECT_SECONDS
        )
    except (OSError, TimeoutError) as err:
        counters["tcp_nat_refused"] += 1
        peer = _peer_text(sock)
        gateway.note(f"{peer} TO PORT {port} REFUSED BY THE HOST ({_why(err)})", "tcp_nat_refused")
        reset(sock)
        gateway.kick()
        return
    counters["tcp_nat_active"] += 1
    try:
        await relay(gateway, sock, reader, writer)
    finally:
        counters["tcp_nat_active"] -= 1


async def open_guest_connection(gateway, address: str, port: int, seconds: float):
    """Open a connection from the router's stack to a guest's ``address``,
    ``port``: (socket, "") once established, or (None, errno name) when it
    is refused, unreachable or not established within ``seconds``."""
    try:
        sock = gateway.stack.socket("STREAM")
    except SocketError as err:
        return None, err.errno
    try:
        sock.connect((address, port))
    except SocketError as err:
        close_quietly(sock)
        return None, err.errno
    gateway.kick()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while sock.state == "SYN-SENT" and sock.error is None and not gateway.closed:
        if loop.time() >= deadline:
            close_quietly(sock)
            return None, "ETIMEDOUT"
        try:
            await asyncio.wait_for(gateway.changed(), deadline - loop.time())
        except TimeoutError:
            pass
        except ConnectionError:
            break  # the gateway was stopped
    # A guest that answers at once and closes (a banner, a short file) may
    # be past ESTABLISHED by the time this runs: its data waits in the socket.
    if sock.state not in ("ESTABLISHED", "CLOSE-WAIT"):
        error = sock.error or "ENETDOWN"
        close_quietly(sock)
        gateway.kick()
        return None, error
    return sock, ""


def _peer_text(sock) -> str:
    try:
        ip, port = sock.getpeername()
        return f"{ip}:{port}"
    except (SocketError, TypeError, ValueError):
        return "A GUEST"


def _why(err: BaseException) -> str:
    if isinstance(err, TimeoutError):
        return "NO ANSWER"
    return (getattr(err, "strerror", None) or type(err).__name__).upper()


async def relay(gateway, sock, reader, writer, control=None) -> None:
    """Relay until both directions ended or one side failed; closes both
    (and ``control``, the application-level gateway, if there is one)."""
    gateway.relays.add(sock)
    up = asyncio.ensure_future(_host_to_guest(gateway, sock, reader, control))
    down = asyncio.ensure_future(_guest_to_host(gateway, sock, writer, control))
    for task in (up, down):
        task.add_done_callback(_retrieve)
    failed = False
    try:
        pending = {up, down}
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            if any(t.exception() is not None for t in done if not t.cancelled()):
                failed = True
                break
    except asyncio.CancelledError:
        failed = True  # the gateway is going away
        raise
    finally:
        for task in (up, down):
            task.cancel()
        gateway.relays.discard(sock)
        if control is not None:
            control.close()
        if failed:
            gateway.counters["relay_errors"] += 1
            reset(sock)
            writer.transport.abort()
        else:
            close_quietly(sock)
            writer.close()
        gateway.kick()


def _retrieve(task: asyncio.Task) -> None:
    """Take a direction's outcome so that asyncio never reports it on stderr."""
    if not task.cancelled():
        task.exception()


async def _host_to_guest(gateway, sock, reader, control=None) -> None:
    while True:
        try:
            data = await reader.read(CHUNK)
        except OSError as err:
            raise PeerGone("host") from err
        if not data:
            if control is not None:
                await _send_to_guest(gateway, sock, control.end_from_host())
            try:
                sock.shutdown(1)
            except SocketError:
                pass
            gateway.kick()
            return
        if control is not None:
            data = control.from_host(data)
        await _send_to_guest(gateway, sock, data)


async def _send_to_guest(gateway, sock, data: bytes) -> None:
    """All of ``data`` into the guest socket's send buffer, waiting for room."""
    while data:
        try:
            sent = sock.send(data)
        except SocketError as err:
            if err.errno != "EWOULDBLOCK":
                raise PeerGone(err.errno) from None
            sent = 0
        if sent:
            data = data[sent:]
            gateway.counters["bytes_to_guests"] += sent
            gateway.kick()
        if data:
            await gateway.changed()


async def _guest_to_host(gateway, sock, writer, control=None) -> None:
    while True:
        try:
            data = sock.recv(CHUNK)
        except SocketError as err:
            if err.errno != "EWOULDBLOCK":
                raise PeerGone(err.errno) from None
            await gateway.changed()
            continue
        gateway.kick()  # the receive window opened: the stack may tell the guest
        if not data:
            if control is not None:
                writer.write(control.end_from_guest())
            if writer.can_write_eof():
                writer.write_eof()
            return
        if control is not None:
            data = control.from_guest(data)
        writer.write(data)
        gateway.counters["bytes_to_host"] += len(data)
        try:
            await writer.drain()
        except OSError as err:
            raise PeerGone("host") from err
