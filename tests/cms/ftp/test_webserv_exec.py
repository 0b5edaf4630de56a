"""WEBSERV EXEC (the web server of WEBSRV) run by the REXX interpreter with
a SOCKET() built on host sockets (the z/VM REXX Sockets calls it uses:
Initialize, Socket, SetSockOpt, Bind, Listen, Accept, Select, Recv, Send,
Close, Terminate; strings are EBCDIC, the bytes go as they are) and a host
command environment holding the A-disk's files (ESTATE, EXECIO DISKR)."""

import select
import socket
import threading

import pytest

from cms.install import shipped_files
from cms.rexx import Interpreter
from s390.ebcdic import from_ebcdic, to_ebcdic

GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01" + bytes(range(256))


class HostSockets:
    """REXX SOCKET() over host sockets; REXX strings are cp037 characters."""

    def __init__(self):
        self.sockets = {}
        self.next = 0
        self.port = None
        self.listening = threading.Event()

    def __call__(self, args):
        name, *rest = [a if a is not None else "" for a in args]
        return getattr(self, "do_" + name.lower())(*rest)

    def _new(self, sock):
        self.next += 1
        self.sockets[self.next] = sock
        return self.next

    def do_initialize(self, name, *rest):
        return f"0 {name} 40 TCPIP"

    def do_terminate(self, *rest):
        for sock in self.sockets.values():
            sock.close()
        return "0"

    def do_socket(self, *rest):
        return f"0 {self._new(socket.socket())}"

    def do_setsockopt(self, s, level, name, value):
        self.sockets[int(s)].setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        return "0"

    def do_bind(self, s, address):
        _, port, _ = address.split()
        self.sockets[int(s)].bind(("127.0.0.1", 0))  # any free port for the test
        self.port = self.sockets[int(s)].getsockname()[1]
        return "0"

    def do_listen(self, s, backlog="10"):
        self.sockets[int(s)].listen(int(backlog))
        self.listening.set()
        return "0"

    def do_accept(self, s):
        sock, (ip, port) = self.sockets[int(s)].accept()
        return f"0 {self._new(sock)} AF_INET {port} {ip}"

    def do_select(self, mask, timeout):
        numbers = [int(w) for w in mask.split()[1:]]
        wanted = {self.sockets[n]: n for n in numbers}
        ready, _, _ = select.select(list(wanted), [], [], float(timeout))
        names = " ".join(str(wanted[sock]) for sock in ready)
        return f"0 {len(ready)} READ {names} WRITE EXCEPTION"

    def do_recv(self, s, count="10000"):
        data = self.sockets[int(s)].recv(int(count))
        return f"0 {len(data)} " + from_ebcdic(data)

    def do_send(self, s, data):
        sent = self.sockets[int(s)].send(to_ebcdic(data))
        return f"0 {sent}"

    def do_close(self, s):
        self.sockets.pop(int(s)).close()
        return "0"


class Disk:
    """ESTATE and EXECIO DISKR on a dict of files: (fn, ft) -> records."""

    def __init__(self, files):
        self.files = files
        self.interp = None

    def __call__(self, environment, command):
        words = command.split()
        if words[0] == "ESTATE":
            return 0 if (words[1], words[2]) in self.files else 28
        if words[:3] == ["EXECIO", "*", "DISKR"]:
            records = self.files.get((words[3], words[4]))
            if records is None:
                return 28
            self.interp.set_variable("REC.0", str(len(records)))
            for n, record in enumerate(records, 1):
                self.interp.set_variable(f"REC.{n}", from_ebcdic(record))
            return 0
        return -3


@pytest.fixture
def server():
    files = shipped_files("websrv")
    files[("LOGO", "GIF")] = [GIF[:100], GIF[100:]]
    files[("NOTES", "TXT")] = [to_ebcdic("caf\u00e9 [ok] {1} \\ ~")]
    source = [from_ebcdic(r).rstrip() for r in files[("WEBSERV", "EXEC")]]
    sockets, disk = HostSockets(), Disk(files)
    said = []
    interp = Interpreter(
        source,
        name="WEBSERV",
        filetype="EXEC",
        host_command=disk,
        output=said.append,
        functions={"SOCKET": sockets},
        codepage="cp037",
    )
    disk.interp = interp
    result = {}
    thread = threading.Thread(target=lambda: result.update(r=interp.run(["80"])), daemon=True)
    thread.start()
    assert sockets.listening.wait(20), said
    yield sockets.port, said
    interp.request_halt()
    try:  # wakes Accept; refused when the EXEC saw the halt and closed first
        socket.create_connection(("127.0.0.1", sockets.port)).close()
    except ConnectionRefusedError:
        pass
    thread.join(20)
    assert result["r"].return_code == 0, said
    assert "WEBSERV: halted" in said


def http(port, request: bytes) -> tuple[str, dict, bytes]:
    sock = socket.create_connection(("127.0.0.1", port), timeout=20)
    sock.sendall(request)
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    sock.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status, *headers = head.decode("latin-1").split("\r\n")
    return status, dict(h.split(": ", 1) for h in headers), body


def test_index_page_text_binary_head_and_errors(server):
    port, said = server
    status, headers, body = http(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == "HTTP/1.1 200 OK"
    assert headers["Content-Type"] == "text/html; charset=ISO-8859-1"
    assert headers["Connection"] == "close"
    assert int(headers["Content-Length"]) == len(body)
    assert b"<h1>Welcome to vm370</h1>\n" in body
    status, headers, body = http(port, b"GET /Logo.Gif HTTP/1.0\r\n\r\n")
    assert (status, headers["Content-Type"], body) == ("HTTP/1.1 200 OK", "image/gif", GIF)
    status, headers, body = http(port, b"GET /notes.txt?x=1 HTTP/1.1\r\nhost: y\r\n\r\n")
    assert body == "caf\u00e9 [ok] {1} \\ ~\n".encode("latin-1")
    assert headers["Content-Type"] == "text/plain; charset=ISO-8859-1"
    status, headers, body = http(port, b"HEAD /index.html HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == "HTTP/1.1 200 OK" and body == b"" and int(headers["Content-Length"]) > 100
    assert (
        http(port, b"GET /nosuch.html HTTP/1.1\r\nHost: x\r\n\r\n")[0] == "HTTP/1.1 404 Not Found"
    )
    assert http(port, b"GET /a/b.html HTTP/1.0\r\n\r\n")[0] == "HTTP/1.1 404 Not Found"
    assert http(port, b"GET /toolongname.html HTTP/1.0\r\n\r\n")[0] == "HTTP/1.1 404 Not Found"
    status, headers, _ = http(port, b"POST / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert (status, headers["Allow"]) == ("HTTP/1.1 405 Method Not Allowed", "GET, HEAD")
    assert http(port, b"BREW / HTTP/1.1\r\nHost: x\r\n\r\n")[0] == "HTTP/1.1 501 Not Implemented"
    assert http(port, b"GET / HTTP/1.1\r\n\r\n")[0] == "HTTP/1.1 400 Bad Request"  # no Host
    assert http(port, b"garbage\r\n\r\n")[0] == "HTTP/1.1 400 Bad Request"
    assert http(port, b"\x00\xff\x17 junk\n\n")[0] == "HTTP/1.1 400 Bad Request"
    assert http(port, b"GET /" + b"x" * 9000)[0] == "HTTP/1.1 400 Bad Request"
    socket.create_connection(("127.0.0.1", port)).close()  # a client that says nothing
    # ... and the server goes on serving
    assert http(port, b"GET / HTTP/1.0\r\n\r\n")[0] == "HTTP/1.1 200 OK"
    assert "WEBSERV: listening on port 80" in said


def test_the_exec_translates_with_the_code_page_cms_uses():
    """The EXEC's EBCDIC -> ASCII table is code page 037's (cms.ftp.codec)."""
    from cms.ftp.codec import E2A

    source = [from_ebcdic(r) for r in shipped_files("websrv")[("WEBSERV", "EXEC")]]
    pieces = [line.split("'")[1] for line in source if "e2a = e2a ||" in line]
    assert bytes.fromhex("".join(pieces)) == E2A


def test_a_silent_client_holds_up_nobody(server):
    """Clients are read as their data comes (Select over all of them): a
    connection that says nothing (a browser's speculative one) does not
    delay the next client's answer, and stays open meanwhile."""
    port, _ = server
    silent = socket.create_connection(("127.0.0.1", port), timeout=20)
    half = socket.create_connection(("127.0.0.1", port), timeout=20)
    half.sendall(b"GET /notes.txt HTTP/1.0\r\n")  # the rest comes later
    assert http(port, b"GET / HTTP/1.0\r\n\r\n")[0] == "HTTP/1.1 200 OK"
    silent.setblocking(False)
    with pytest.raises(BlockingIOError):
        silent.recv(10)  # still open, not answered: nothing to read yet
    half.sendall(b"\r\n")
    assert half.recv(100).startswith(b"HTTP/1.1 200 OK")
    half.close()
    silent.close()
