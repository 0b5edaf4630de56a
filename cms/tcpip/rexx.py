"""REXX Sockets: the SOCKET() function of CMS REXX (after z/VM's RXSOCKET).

``SOCKET(function, arg, ...)`` returns a string: ``"0 ..."`` when the call
worked (its results after the 0), ``"errno ENAME text"`` when it did not
(``"35 EWOULDBLOCK Operation would block"``; REXX Sockets' own errors are
2001 and up: ``"2005 ESUBTASKNOTACTIVE Subtask not active"``).  Never an
exception: a bad descriptor, a wrong number of arguments or a call before
Initialize each get their errno string.

Functions (names in any case): Initialize, Terminate, SocketSetStatus,
Version, Socket, Bind, Listen, Accept, Connect, Send, Recv, SendTo,
RecvFrom, Close, Shutdown, Select, GetHostByName, GetHostByAddr, GetHostId,
GetHostName, GetSockName, GetPeerName, SetSockOpt, GetSockOpt, Ioctl,
Fcntl, Translate.  An address is ``"AF_INET port address"`` (the address a
dotted number or a HOSTS LOCAL name; INADDR_ANY for any).

Sockets block by default: the VM sleeps until the call can complete (HX
ends the EXEC meanwhile); Ioctl FIONBIO ON or Fcntl F_SETFL NON-BLOCKING
make one return ``35 EWOULDBLOCK`` instead.  Data is sent as the EXEC's
bytes (EBCDIC) unless SetSockOpt SO_ASCII ON: then it is translated to
ASCII on Send and from ASCII on Recv (the Latin-1 order of the same
characters: code page 037's partner).  A socket set ends with Terminate,
or with the EXEC that initialized it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cms.tcpip.config import NetworkError, is_address
from cms.tcpip.errnos import ERRNO
from cms.tcpip.sockets import NetSocket, call_blocking
from s390.ebcdic import from_ebcdic, to_ebcdic
from tcpip import SocketError

VERSION = "REXX/SOCKETS 3.01 vm370"
DEFAULT_MAXDESC = 40
DEFAULT_RECV = 10000
DEFAULT_BACKLOG = 10

#: Socket types as REXX Sockets name them -> the engine's kinds.
TYPES = {
    "SOCK_STREAM": "STREAM",
    "STREAM": "STREAM",
    "SOCK_DGRAM": "DGRAM",
    "SOCK_DATAGRAM": "DGRAM",
    "DATAGRAM": "DGRAM",
    "SOCK_RAW": "RAW_ICMP",
    "RAW": "RAW_ICMP",
}
ON_OFF = {"ON": True, "1": True, "OFF": False, "0": False}
#: Options the engine keeps, by REXX Sockets name and level.
ENGINE_OPTIONS = {"SO_REUSEADDR", "SO_KEEPALIVE", "SO_BROADCAST", "SO_OOBINLINE", "TCP_NODELAY"}


class Failure(Exception):
    """One SOCKET() call failed with this errno name."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


def errno_string(name: str) -> str:
    number, text = ERRNO.get(name, (22, "Invalid argument"))
    return f"{number} {name} {text}"


@dataclass
class Entry:
    """One socket of the set: the blocking socket and the REXX-side flags."""

    sock: object  # cms.tcpip.sockets.NetSocket
    blocking: bool = True
    ascii: bool = False


@dataclass
class SocketSet:
    subtaskid: str
    maxdesc: int
    sockets: dict[int, Entry] = field(default_factory=dict)


class RexxSockets:
    """The SOCKET() function of one EXEC (its socket set lives as long as it)."""

    def __init__(self, cms):
        self.cms = cms
        self.set: SocketSet | None = None

    # -- the function -------------------------------------------------------------
    def __call__(self, args: list) -> str:
        args = list(args)
        while args and args[-1] is None:
            args.pop()  # SOCKET('Close', 5,) is SOCKET('Close', 5)
        if not args or not args[0]:
            return errno_string("EINVALIDRXSOCKETCALL")
        name = args[0].strip().upper()
        if name == "INITIALISE":
            name = "INITIALIZE"
        method = FUNCTIONS.get(name)
        if method is None:
            return errno_string("EINVALIDRXSOCKETCALL")
        handler, low, high, needs_set = method
        operands = [a if a is not None else "" for a in args[1:]]
        if not low <= len(operands) <= high:
            return errno_string("EINVALIDRXSOCKETCALL")
        if needs_set and self.set is None:
            return errno_string("ESUBTASKNOTACTIVE")
        try:
            result = handler(self, *operands)
        except Failure as failed:
            return errno_string(failed.name)
        except SocketError as err:
            return errno_string(err.errno)
        except (ValueError, TypeError, OverflowError):
            return errno_string("EINVAL")  # an operand the stack cannot use
        return "0" if result == "" else f"0 {result}"

    def end(self) -> None:
        """The EXEC ended: its sockets are closed (as Terminate closes them)."""
        if self.set is not None:
            self._close_all()
            self.set = None

    # -- helpers --------------------------------------------------------------------
    @property
    def net(self):
        from cms.tcpip import network_of

        try:
            return network_of(self.cms)
        except NetworkError:
            raise Failure("ENETDOWN") from None

    def entry(self, word: str) -> Entry:
        number = _integer(word)
        entry = self.set.sockets.get(number)
        if entry is None:
            raise Failure("EBADF")
        return entry

    def address(self, text: str) -> tuple[str, int]:
        """'AF_INET port address' -> (address, port)."""
        words = text.split()
        if len(words) != 3 or words[0].upper() not in ("AF_INET", "2"):
            raise Failure("EINVALIDRXSOCKETCALL")
        port = _integer(words[1])
        if not 0 <= port <= 65535:
            raise Failure("EINVALIDRXSOCKETCALL")
        host = words[2]
        if host.upper() in ("INADDR_ANY", "*"):
            return "0.0.0.0", port
        if is_address(host):
            return host, port
        try:
            return self.net.resolve(host), port
        except NetworkError:
            raise Failure("EHOSTNOTFOUND") from None

    def call(self, entry: Entry, operation, ready):
        """A socket operation, blocking or not as the socket is set: a
        non-blocking one answers EWOULDBLOCK at once (after the frames that
        arrived were taken)."""
        if entry.blocking:
            return call_blocking(self.net, operation, ready)
        self.net.pump()
        return operation()

    def outgoing(self, entry: Entry, data: str) -> bytes:
        return data.encode("latin-1", "replace") if entry.ascii else to_ebcdic(data)

    def incoming(self, entry: Entry, data: bytes) -> str:
        return data.decode("latin-1") if entry.ascii else from_ebcdic(data)

    def _close_all(self) -> None:
        for entry in list(self.set.sockets.values()):
            try:
                entry.sock.close()
            except SocketError:
                pass
        self.set.sockets.clear()

    # -- socket sets ------------------------------------------------------------------
    def initialize(self, subtaskid, maxdesc="", service="") -> str:
        subtaskid = subtaskid.strip()
        if not subtaskid or len(subtaskid) > 8 or " " in subtaskid:
            raise Failure("ESUBTASKINVALID")
        if self.set is not None:
            raise Failure("ESUBTASKALREADYACTIVE")
        count = _integer(maxdesc) if maxdesc.strip() else DEFAULT_MAXDESC
        if not 1 <= count <= 64:
            raise Failure("EINVALIDRXSOCKETCALL")
        _ = self.net  # the network must be there (ENETDOWN otherwise)
        self.set = SocketSet(subtaskid, count)
        return f"{subtaskid} {count} {service.strip() or 'TCPIP'}"

    def terminate(self, subtaskid="") -> str:
        if self.set is None or subtaskid.strip() and subtaskid.strip() != self.set.subtaskid:
            raise Failure("ESUBTASKNOTACTIVE")
        name = self.set.subtaskid
        self.end()
        return name

    def socketsetstatus(self, subtaskid="") -> str:
        if self.set is None or subtaskid.strip() and subtaskid.strip() != self.set.subtaskid:
            name = subtaskid.strip() or "*"
            return f"{name} Free"
        used = len(self.set.sockets)
        return f"{self.set.subtaskid} Connected Free {self.set.maxdesc - used} Used {used}"

    def version(self) -> str:
        return VERSION

    # -- sockets ------------------------------------------------------------------------
    def socket(self, domain="", kind="", protocol="") -> str:
        if domain.strip() and domain.strip().upper() not in ("AF_INET", "2"):
            raise Failure("EAFNOSUPPORT")
        engine_kind = TYPES.get(kind.strip().upper() or "SOCK_STREAM")
        if engine_kind is None:
            raise Failure("ESOCKTNOSUPPORT")
        if engine_kind == "RAW_ICMP" and protocol.strip().upper() not in ("ICMP", "1", ""):
            raise Failure("EPROTONOSUPPORT")
        if len(self.set.sockets) >= self.set.maxdesc:
            raise Failure("EMAXSOCKETSREACHED")
        sock = self.net.socket(engine_kind)
        self.set.sockets[sock.fileno()] = Entry(sock)
        return str(sock.fileno())

    def bind(self, s, name) -> str:
        entry = self.entry(s)
        entry.sock.sock.bind(self.address(name))
        return ""

    def listen(self, s, backlog="") -> str:
        entry = self.entry(s)
        count = _integer(backlog) if backlog.strip() else DEFAULT_BACKLOG
        entry.sock.listen(max(0, count))
        return ""

    def accept(self, s) -> str:
        entry = self.entry(s)
        if len(self.set.sockets) >= self.set.maxdesc:
            raise Failure("EMAXSOCKETSREACHED")
        engine = entry.sock.sock
        new = self.call(entry, engine.accept, engine.readable)
        wrapped = NetSocket(entry.sock.net, new)
        self.set.sockets[wrapped.fileno()] = Entry(wrapped, ascii=entry.ascii)
        ip, port = new.getpeername()
        return f"{wrapped.fileno()} AF_INET {port} {ip}"

    def connect(self, s, name) -> str:
        entry = self.entry(s)
        address = self.address(name)
        if not entry.blocking:
            entry.sock.sock.connect(address)
            entry.sock.net.pump()
            raise Failure("EINPROGRESS")
        entry.sock.connect(address)
        return ""

    def send(self, s, data, flags="") -> str:
        entry = self.entry(s)
        if entry.sock.kind != "STREAM":
            raise Failure("EDESTADDRREQ")
        view = memoryview(self.outgoing(entry, data))
        engine = entry.sock.sock
        sent = 0
        while view:
            chunk = bytes(view)
            try:
                count = self.call(entry, lambda: engine.send(chunk), engine.writable)
            except SocketError as err:
                if sent and err.errno == "EWOULDBLOCK":
                    break  # a non-blocking socket took part of it
                raise
            sent += count
            view = view[count:]
            entry.sock.net.pump()  # the segments go out now
            if not entry.blocking:
                break
        return str(sent)

    def recv(self, s, maxlength="", flags="") -> str:
        entry = self.entry(s)
        size = _integer(maxlength) if maxlength.strip() else DEFAULT_RECV
        if size < 0:
            raise Failure("EINVALIDRXSOCKETCALL")
        engine = entry.sock.sock
        data = self.call(entry, lambda: engine.recv(size), engine.readable)
        entry.sock.net.pump()  # the window opens again
        return f"{len(data)} {self.incoming(entry, data)}"

    def sendto(self, s, data, flags="", name="") -> str:
        entry = self.entry(s)
        if not name.strip():
            return self.send(s, data, flags)
        address = self.address(name)
        sent = entry.sock.sendto(self.outgoing(entry, data), address)
        return str(sent)

    def recvfrom(self, s, maxlength="", flags="") -> str:
        entry = self.entry(s)
        size = _integer(maxlength) if maxlength.strip() else DEFAULT_RECV
        engine = entry.sock.sock
        data, (ip, port) = self.call(entry, lambda: engine.recvfrom(size), engine.readable)
        return f"{len(data)} AF_INET {port} {ip} {self.incoming(entry, data)}"

    def close(self, s) -> str:
        entry = self.entry(s)
        del self.set.sockets[_integer(s)]
        entry.sock.close()
        return ""

    def shutdown(self, s, how="") -> str:
        entry = self.entry(s)
        word = how.strip().upper() or "BOTH"
        ways = {"BOTH": 2, "FROM": 0, "RECEIVE": 0, "RECEIVING": 0, "READ": 0, "READING": 0}
        ways.update({"TO": 1, "SEND": 1, "SENDING": 1, "WRITE": 1, "WRITING": 1})
        ways.update({"0": 0, "1": 1, "2": 2})
        if word not in ways:
            raise Failure("EINVALIDRXSOCKETCALL")
        entry.sock.shutdown(ways[word])
        entry.sock.net.pump()
        return ""

    def select(self, mask="", timeout="") -> str:
        wanted = self._select_mask(mask)
        limit = self._select_timeout(timeout)
        found: dict[str, list[int]] = {}

        def ready() -> bool:
            found.clear()
            for kind, numbers in wanted.items():
                found[kind] = [n for n in numbers if self._ready(kind, n)]
            return any(found.values())

        net = self.net
        if limit == 0:
            net.pump()
            ready()
        else:
            net.wait_until(ready, limit)
        total = sum(len(v) for v in found.values())
        parts = [str(total)]
        for kind in ("READ", "WRITE", "EXCEPTION"):
            parts.append(" ".join([kind, *map(str, found.get(kind, []))]))
        return " ".join(parts)

    def _select_mask(self, mask: str) -> dict[str, list[int]]:
        wanted: dict[str, list[int]] = {"READ": [], "WRITE": [], "EXCEPTION": []}
        current = None
        for word in mask.upper().split():
            if word in wanted:
                current = word
            elif current is None:
                raise Failure("EINVALIDRXSOCKETCALL")
            elif word == "*":
                wanted[current] = sorted(self.set.sockets)
            else:
                number = _integer(word)
                if number not in self.set.sockets:
                    raise Failure("EBADF")
                wanted[current].append(number)
        return wanted

    @staticmethod
    def _select_timeout(timeout: str) -> float | None:
        word = timeout.strip().upper()
        if not word or word == "FOREVER":
            return None
        try:
            seconds = float(word)
        except ValueError:
            raise Failure("EINVALIDRXSOCKETCALL") from None
        if seconds < 0:
            raise Failure("EINVALIDRXSOCKETCALL")
        return seconds

    def _ready(self, kind: str, number: int) -> bool:
        entry = self.set.sockets.get(number)
        if entry is None:
            return False
        engine = entry.sock.sock
        if kind == "READ":
            return engine.readable()
        if kind == "WRITE":
            return engine.writable()
        return engine.error is not None

    # -- names ---------------------------------------------------------------------
    def gethostbyname(self, name) -> str:
        try:
            return self.net.resolve(name.strip())
        except NetworkError:
            raise Failure("EHOSTNOTFOUND") from None

    def gethostbyaddr(self, address) -> str:
        name = self.net.name_of(address.strip()) if is_address(address.strip()) else None
        if name is None:
            raise Failure("EIPADDRNOTFOUND")
        return name

    def gethostid(self) -> str:
        return self.net.stack.address

    def gethostname(self) -> str:
        return self.cms.services.userid

    def getsockname(self, s) -> str:
        ip, port = self.entry(s).sock.getsockname()
        return f"AF_INET {port} {ip}"

    def getpeername(self, s) -> str:
        ip, port = self.entry(s).sock.getpeername()
        return f"AF_INET {port} {ip}"

    # -- options ---------------------------------------------------------------------
    def setsockopt(self, s, level, option, value) -> str:
        entry = self.entry(s)
        level, option = level.strip().upper(), option.strip().upper()
        if level not in ("SOL_SOCKET", "IPPROTO_TCP"):
            raise Failure("EINVALIDRXSOCKETCALL")
        on = ON_OFF.get(value.strip().upper())
        if on is None:
            raise Failure("EINVALIDRXSOCKETCALL")
        if option in ("SO_ASCII", "SO_EBCDIC"):
            entry.ascii = on if option == "SO_ASCII" else not on
            return ""
        if option not in ENGINE_OPTIONS:
            raise Failure("ENOPROTOOPT")
        entry.sock.setsockopt(option, on)
        return ""

    def getsockopt(self, s, level, option) -> str:
        entry = self.entry(s)
        option = option.strip().upper()
        if option == "SO_ASCII":
            return "On" if entry.ascii else "Off"
        if option == "SO_EBCDIC":
            return "Off" if entry.ascii else "On"
        if option == "SO_TYPE":
            return {"STREAM": "SOCK_STREAM", "DGRAM": "SOCK_DGRAM"}.get(entry.sock.kind, "SOCK_RAW")
        if option == "SO_ERROR":
            error = entry.sock.sock.error
            return str(ERRNO[error][0]) if error in ERRNO else "0"
        raise Failure("ENOPROTOOPT")

    def ioctl(self, s, command, value="") -> str:
        entry = self.entry(s)
        command = command.strip().upper()
        if command == "FIONBIO":
            on = ON_OFF.get(value.strip().upper())
            if on is None:
                raise Failure("EINVALIDRXSOCKETCALL")
            entry.blocking = not on
            return ""
        if command == "FIONREAD":
            return "1" if entry.sock.sock.readable() else "0"
        raise Failure("EINVALIDRXSOCKETCALL")

    def fcntl(self, s, command, value="") -> str:
        entry = self.entry(s)
        command = command.strip().upper()
        if command == "F_GETFL":
            return "BLOCKING" if entry.blocking else "NON-BLOCKING"
        if command == "F_SETFL":
            word = value.strip().upper()
            if word in ("NON-BLOCKING", "FNDELAY"):
                entry.blocking = False
            elif word in ("BLOCKING", "0"):
                entry.blocking = True
            else:
                raise Failure("EINVALIDRXSOCKETCALL")
            return ""
        raise Failure("EINVALIDRXSOCKETCALL")

    def translate(self, data, how) -> str:
        how = how.strip().upper()
        if how in ("TO_ASCII", "ASCII"):
            return from_ebcdic(data.encode("latin-1", "replace"))
        if how in ("TO_EBCDIC", "EBCDIC"):
            return to_ebcdic(data).decode("latin-1")
        raise Failure("EINVALIDRXSOCKETCALL")


def _integer(word: str) -> int:
    word = (word or "").strip()
    if not word.lstrip("-").isdigit():
        raise Failure("EINVALIDRXSOCKETCALL")
    return int(word)


#: name -> (method, fewest operands, most operands, needs Initialize first)
FUNCTIONS = {
    "INITIALIZE": (RexxSockets.initialize, 1, 3, False),
    "TERMINATE": (RexxSockets.terminate, 0, 1, False),
    "SOCKETSETSTATUS": (RexxSockets.socketsetstatus, 0, 1, False),
    "VERSION": (RexxSockets.version, 0, 0, False),
    "SOCKET": (RexxSockets.socket, 0, 3, True),
    "BIND": (RexxSockets.bind, 2, 2, True),
    "LISTEN": (RexxSockets.listen, 1, 2, True),
    "ACCEPT": (RexxSockets.accept, 1, 1, True),
    "CONNECT": (RexxSockets.connect, 2, 2, True),
    "SEND": (RexxSockets.send, 2, 3, True),
    "WRITE": (RexxSockets.send, 2, 2, True),
    "RECV": (RexxSockets.recv, 1, 3, True),
    "READ": (RexxSockets.recv, 1, 2, True),
    "SENDTO": (RexxSockets.sendto, 2, 4, True),
    "RECVFROM": (RexxSockets.recvfrom, 1, 3, True),
    "CLOSE": (RexxSockets.close, 1, 1, True),
    "SHUTDOWN": (RexxSockets.shutdown, 1, 2, True),
    "SELECT": (RexxSockets.select, 0, 2, True),
    "GETHOSTBYNAME": (RexxSockets.gethostbyname, 1, 1, False),
    "GETHOSTBYADDR": (RexxSockets.gethostbyaddr, 1, 1, False),
    "GETHOSTID": (RexxSockets.gethostid, 0, 0, False),
    "GETHOSTNAME": (RexxSockets.gethostname, 0, 0, False),
    "GETSOCKNAME": (RexxSockets.getsockname, 1, 1, True),
    "GETPEERNAME": (RexxSockets.getpeername, 1, 1, True),
    "SETSOCKOPT": (RexxSockets.setsockopt, 4, 4, True),
    "GETSOCKOPT": (RexxSockets.getsockopt, 3, 3, True),
    "IOCTL": (RexxSockets.ioctl, 2, 3, True),
    "FCNTL": (RexxSockets.fcntl, 2, 3, True),
    "TRANSLATE": (RexxSockets.translate, 2, 2, False),
}
