"""The FTP server and client protocol code over host sockets (127.0.0.1):
RFC 959 replies, both transfer types, passive and active data connections,
and what a client that misbehaves gets."""

import socket

import pytest

from cms.ftp.client import FtpClient
from cms.ftp.codec import E2A, records_to_stream, stream_to_records
from cms.ftp.control import LineReader, parse_host_port, read_reply, send_line
from tests.cms.ftp.ftpkit import HostNet, MemoryFiles, MemoryStore, ScriptConsole, Server

TEXT = ["Hello, VM".encode("cp037"), b"", "  indented [brackets] $#@".encode("cp037")]
BINARY = bytes(range(256)) * 9 + b"\x00\x15\x25\x0d\x0a"


def store():
    return MemoryStore(
        {"BOB": "BOB", "ALICE": "ALICE"},
        {
            "BOB.191": {("README", "TEXT"): (["Hi there".encode("cp037").ljust(80, b"\x40")], "F")},
            "MAINT.190": {("SYSPROF", "EXEC"): (["/* */".encode("cp037")], "V")},
        },
        read_only={"MAINT.190"},
    )


class Raw:
    """A client that speaks the protocol by hand."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.reader = LineReader(self.sock)
        self.greeting = read_reply(self.reader)

    def __call__(self, line):
        send_line(self.sock, line)
        return read_reply(self.reader)

    def passive(self):
        code, lines = self("PASV")
        assert code == 227, lines
        return socket.create_connection(parse_host_port(lines[0]), timeout=10)

    def receive(self, data_sock):
        parts = []
        while chunk := data_sock.recv(65536):
            parts.append(chunk)
        data_sock.close()
        return b"".join(parts)


# ---------------------------------------------------------------- codec


def test_ascii_mode_translates_and_ends_lines_with_crlf_and_f_padding_is_not_sent():
    records = ["ABC".encode("cp037").ljust(80, b"\x40"), "x y".encode("cp037").ljust(80, b"\x40")]
    assert records_to_stream(records, "F", True) == b"ABC\r\nx y\r\n"
    assert records_to_stream([b"\xc1\x40"], "V", True) == b"A \r\n"  # V records keep their blanks
    assert stream_to_records(b"ABC\r\nx y\nlast", True) == [
        "ABC".encode("cp037"),
        "x y".encode("cp037"),
        "last".encode("cp037"),
    ]


def test_binary_mode_keeps_every_byte_and_the_code_page_round_trips():
    assert b"".join(stream_to_records(BINARY, False)) == BINARY
    assert max(len(r) for r in stream_to_records(BINARY, False)) == 1024
    assert bytes(range(256)).translate(E2A)[0xC1] == ord("A")
    assert len(set(E2A)) == 256  # one for one: nothing is lost


# ---------------------------------------------------------------- server


def test_greeting_login_and_the_working_directory():
    server = Server(store())
    raw = Raw(server.port)
    code, lines = raw.greeting
    assert code == 220 and lines[0].startswith("220-FTPSERVE IBM VM Level")
    assert lines[-1] == "220 Connection will close if idle for more than 5 minutes."
    assert raw("PWD")[0] == 530  # not logged in yet
    assert raw("PASS x")[0] == 503  # PASS before USER
    assert raw("USER bob") == (331, ["331 Send password please."])
    assert raw("PASS bob") == (230, ["230 BOB logged in; working directory = BOB 191"])
    assert raw("PWD") == (257, ['257 "BOB.191" is working directory.'])
    assert raw("CWD maint.190") == (250, ["250 Working directory is MAINT 190 (ReadOnly)"])
    assert raw("CWD nobody.191")[0] == 550
    assert raw("SYST") == (215, ["215 VM is the operating system of this server."])
    assert raw("NOOP")[0] == 200
    assert raw("XYZZY") == (500, ["500 Unknown command XYZZY"])
    assert raw("RNFR a.b")[0] == 502
    assert raw("TYPE E")[0] == 504
    assert raw("TYPE Q")[0] == 501
    assert raw("MODE B")[0] == 504
    assert raw("QUIT") == (221, ["221 Quit command received. Goodbye."])
    server.join()


def test_wrong_passwords_get_530_and_the_third_ends_the_session():
    server = Server(store())
    raw = Raw(server.port)
    for _ in range(2):
        raw("USER bob")
        assert raw("PASS wrong") == (530, ["530 Login incorrect."])
    raw("USER bob")
    assert raw("PASS wrong")[0] == 421
    assert raw.reader.readline() is None  # the server closed the connection
    server.join()


def test_stor_and_retr_in_both_types_over_passive_connections():
    files = store()
    server = Server(files)
    raw = Raw(server.port)
    raw("USER bob")
    raw("PASS BOB")
    data = raw.passive()
    assert raw("STOR new.data") == (150, ["150 Receiving file 'NEW.DATA'"])
    data.sendall(b"one\r\ntwo\r\n")
    data.close()
    assert raw.reader and read_reply(raw.reader)[0] == 250
    assert files.disks["BOB.191"][("NEW", "DATA")] == (
        ["one".encode("cp037"), "two".encode("cp037")],
        "V",
    )
    assert raw("TYPE I")[0] == 200
    data = raw.passive()
    assert raw("STOR image.bin")[0] == 150
    data.sendall(BINARY)
    data.close()
    assert read_reply(raw.reader) == (250, ["250 Transfer completed successfully."])
    data = raw.passive()
    assert raw("RETR image.bin") == (150, ["150 Sending file 'IMAGE.BIN'"])
    assert raw.receive(data) == BINARY
    assert read_reply(raw.reader)[0] == 250
    raw("TYPE A")
    data = raw.passive()
    raw("RETR readme.text")
    assert raw.receive(data) == b"Hi there\r\n"  # the F record's padding is not sent
    read_reply(raw.reader)
    data = raw.passive()
    assert raw("RETR missing.file")[0] == 550
    data.close()
    raw("QUIT")
    server.join()


def test_list_nlst_and_a_read_only_disk_refuses_stor():
    server = Server(store())
    raw = Raw(server.port)
    raw("USER bob")
    raw("PASS bob")
    data = raw.passive()
    assert raw("NLST") == (125, ["125 List started OK."])
    assert raw.receive(data) == b"README.TEXT\r\n"
    assert read_reply(raw.reader) == (250, ["250 List completed successfully."])
    data = raw.passive()
    raw("LIST *.text")
    listing = raw.receive(data).decode()
    read_reply(raw.reader)
    assert listing.split() == "README TEXT F 80 1 1 2026-12-07 08:30:00 LBL191".split()
    raw("CWD maint.190")
    data = raw.passive()
    assert raw("STOR x.y")[0] == 550
    data.close()
    assert raw("RETR x.y")[0] == 550  # no such file
    raw("QUIT")
    server.join()


def test_port_must_name_the_client_itself():
    server = Server(store())
    raw = Raw(server.port)
    raw("USER bob")
    raw("PASS bob")
    assert raw("PORT 10,1,2,3,200,1")[0] == 500  # RFC 2577: no bounce to a third host
    assert raw("PORT 127,0,0,1,0,21")[0] == 500  # a privileged port
    assert raw("PORT 127,0,0,1,999,1")[0] == 501
    assert raw("RETR readme.text")[0] == 425  # no data connection set up
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    assert raw(f"PORT 127,0,0,1,{port >> 8},{port & 255}") == (200, ["200 Port request OK."])
    assert raw("RETR readme.text")[0] == 150
    data, _ = listener.accept()
    assert raw.receive(data) == b"Hi there\r\n"
    assert read_reply(raw.reader)[0] == 250
    listener.close()
    raw("QUIT")
    server.join()


def test_garbage_and_a_client_that_vanishes_leave_the_server_serving():
    server = Server(store(), sessions=3)
    first = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    first.sendall(b"\xff\xfe\x00garbage without end" * 200)  # a line past the limit
    first.recv(4096)
    first.close()
    second = Raw(server.port)
    second("USER bob")
    second.sock.close()  # gone mid-session
    third = Raw(server.port)
    assert third.greeting[0] == 220
    assert third("USER alice")[0] == 331
    assert third("PASS alice")[0] == 230
    third("QUIT")
    server.join()


# ---------------------------------------------------------------- client


def client_session(*script, files=None, passive=True):
    server_files = store()
    server = Server(server_files)
    console = ScriptConsole(*script)
    local = MemoryFiles(files)
    client = FtpClient(HostNet(), console, local)
    client.passive = passive
    assert client.run("127.0.0.1", server.port) == 0
    server.join()
    return console, local, server_files


def test_client_login_shows_replies_and_echoes_commands_without_the_password():
    console, _, _ = client_session("bob", "bob", "pwd", "quit")
    lines = console.lines
    assert lines[0] == "VM TCP/IP FTP Level 370"
    assert lines[1].startswith("Connecting to 127.0.0.1 127.0.0.1, port")
    assert "USER (identify yourself to the host):" in lines
    assert ">>>USER bob" in lines and ">>>PASS ********" in lines
    assert console.password_prompts == ["Password:"]
    assert "230 BOB logged in; working directory = BOB 191" in lines
    assert lines[lines.index(">>>PWD") + 1] == '257 "BOB.191" is working directory.'
    assert lines[-2:] == [">>>QUIT", "221 Quit command received. Goodbye."]
    assert all("bob" not in line.lower() or "BOB" in line or "bob" in line for line in lines)
    assert not any(line == ">>>PASS bob" for line in lines)


def test_client_put_and_get_text_and_binary_in_both_data_modes():
    for passive in (True, False):
        text = [r for r in TEXT if r]  # V records
        console, local, server_files = client_session(
            "bob bob",
            "put test text a",
            "binary",
            "put image.bin.a",
            "get image.bin copy bin",
            "ascii",
            "get test.text back text a",
            "get test.text back text a",
            "get test.text back text a (replace",
            "dir",
            "ls *.bin",
            "quit",
            files={("TEST", "TEXT", "A"): (text, "V"), ("IMAGE", "BIN", "A"): ([BINARY], "V")},
            passive=passive,
        )
        assert server_files.disks["BOB.191"][("TEST", "TEXT")][0] == text
        assert local.files[("BACK", "TEXT", "A")][0] == text
        assert b"".join(local.files[("COPY", "BIN", "A")][0]) == BINARY
        lines = console.lines
        assert ("PORT" if not passive else "PASV") in " ".join(lines)
        assert "File BACK TEXT A already exists; specify (REPLACE to replace it." in lines
        assert sum("bytes transferred" in line for line in lines) == 5
        assert any(line.startswith("IMAGE    BIN      V") for line in lines)
        assert "IMAGE.BIN" in lines


def test_client_errors_are_messages_and_the_session_goes_on():
    console, _, _ = client_session(
        "bob bob",
        "frobnicate",
        "get",
        "put nofile here a",
        "get nosuch.file",
        "open",
        "quit",
    )
    lines = console.lines
    assert "Unknown subcommand FROBNICATE. Enter HELP for a list." in lines
    assert "Usage: GET foreignfile [localfile] [(REPLACE]" in lines
    assert "File NOFILE HERE A not found." in lines
    assert any(line.startswith("550 ") for line in lines)
    assert "Usage: OPEN host [port]" in lines


def test_client_unknown_host_and_refused_connection():
    console = ScriptConsole("open 127.0.0.1 1", "quit")
    FtpClient(HostNet(), console, MemoryFiles()).run("nosuchhost")
    assert "Unknown host: nosuchhost" in console.lines
    assert "Connection failed: ECONNREFUSED." in console.lines


def test_client_survives_a_data_connection_that_fails():
    """A server whose PASV port refuses: the client says so and the control
    connection goes on (the next command is answered)."""
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    heard = []

    def scripted_server():
        conn, _ = listener.accept()
        reader = LineReader(conn)
        send_line(conn, "220 ready")
        for answer in (
            "331 pw",
            "230 in",
            "227 Entering Passive Mode (127,0,0,1,0,1)",
            "200 OK",
            "221 bye",
        ):
            heard.append(reader.readline())
            send_line(conn, answer)
        conn.close()

    thread = threading.Thread(target=scripted_server, daemon=True)
    thread.start()
    console = ScriptConsole("u p", "dir", "noop", "quit")
    FtpClient(HostNet(), console, MemoryFiles()).run("127.0.0.1", port)
    thread.join(10)
    listener.close()
    assert "Data connection failed: ECONNREFUSED." in console.lines
    assert heard == ["USER u", "PASS p", "PASV", "NOOP", "QUIT"]
    assert "200 OK" in console.lines


def test_a_file_larger_than_the_disk_gets_552_and_is_not_kept():
    files = store()
    files.space_left = 5000
    server = Server(files)
    raw = Raw(server.port)
    raw("USER bob")
    raw("PASS bob")
    data = raw.passive()
    assert raw("STOR big.data")[0] == 150
    try:
        data.sendall(b"x" * 200_000)
    except OSError:
        pass  # the server closed the data connection early
    data.close()
    assert read_reply(raw.reader) == (
        552,
        ["552 Insufficient space on the disk; transfer aborted."],
    )
    assert ("BIG", "DATA") not in files.disks["BOB.191"]
    assert raw("NOOP")[0] == 200
    raw("QUIT")
    server.join()


def test_pythons_ftplib_works_with_the_server():
    """The host-side client the gateway's users have: ftplib's login, CWD,
    binary and text transfers, NLST and LIST (through PASV)."""
    import ftplib
    import io

    files = store()
    server = Server(files)
    ftp = ftplib.FTP()
    ftp.connect("127.0.0.1", server.port, timeout=10)
    assert ftp.getwelcome().startswith("220-FTPSERVE IBM VM Level")
    with pytest.raises(ftplib.error_perm):
        ftp.login("bob", "wrong")
    assert ftp.login("bob", "bob").startswith("230")
    assert ftp.pwd() == "BOB.191"
    ftp.storbinary("STOR image.bin", io.BytesIO(BINARY))
    got = io.BytesIO()
    ftp.retrbinary("RETR image.bin", got.write)
    assert got.getvalue() == BINARY
    ftp.storlines("STOR notes.text", io.BytesIO(b"alpha\nbeta\n"))
    lines = []
    ftp.retrlines("RETR notes.text", lines.append)
    assert lines == ["alpha", "beta"]
    assert sorted(ftp.nlst()) == ["IMAGE.BIN", "NOTES.TEXT", "README.TEXT"]
    listing = []
    ftp.dir(listing.append)
    assert any(x.startswith("IMAGE    BIN      V") for x in listing)
    assert ftp.cwd("maint.190").startswith("250")
    with pytest.raises(ftplib.error_perm):
        ftp.storbinary("STOR x.y", io.BytesIO(b"x"))
    with pytest.raises(ftplib.error_perm, match="502"):
        ftp.sendcmd("EPSV")  # curl falls back to PASV on this
    ftp.quit()
    server.join()


def test_a_store_that_breaks_gets_451_and_the_session_goes_on():
    class BrokenDisk(MemoryStore):
        def files(self, fn, ft):
            raise ValueError("damaged directory block")

    server = Server(BrokenDisk({"BOB": "BOB"}, {"BOB.191": {}}))
    raw = Raw(server.port)
    raw("USER bob")
    raw("PASS bob")
    data = raw.passive()
    assert raw("NLST") == (451, ["451 Requested action aborted: local error (ValueError)."])
    data.close()
    assert raw("NOOP")[0] == 200
    raw("QUIT")
    server.join()


def test_an_idle_control_connection_is_closed_with_421(monkeypatch):
    from cms.ftp import server as server_module

    monkeypatch.setattr(server_module, "IDLE_SECONDS", 0.3)
    server = Server(store(), sessions=2)
    raw = Raw(server.port)
    code, lines = read_reply(raw.reader)  # nothing sent: the server gives up
    assert code == 421 and "closing control connection" in lines[0]
    assert raw.reader.readline() is None
    assert Raw(server.port).greeting[0] == 220  # and takes the next client
    server.join()


def test_several_clients_are_served_at_once():
    """An idle client holds up nobody: while one session waits between
    commands, another logs in, stores and lists; then the first goes on."""
    files = store()
    server = Server(files, sessions=2)
    first = Raw(server.port)
    assert first("USER bob")[0] == 331
    second = Raw(server.port)  # the first session is still open
    assert second("USER alice")[0] == 331
    assert second("PASS alice")[0] == 230
    second("CWD bob.191")
    data = second.passive()
    assert second("STOR from.second")[0] == 150
    data.sendall(b"hello\r\n")
    data.close()
    assert read_reply(second.reader)[0] == 250
    assert first("PASS bob")[0] == 230
    data = first.passive()
    first("NLST")
    assert b"FROM.SECOND" in first.receive(data)
    read_reply(first.reader)
    first("QUIT")
    second("QUIT")
    server.join()


def test_past_the_session_limit_a_client_gets_421(monkeypatch):
    from cms.ftp import server as server_module

    monkeypatch.setattr(server_module, "MAX_SESSIONS", 1)
    server = Server(store(), sessions=1)
    first = Raw(server.port)
    extra = Raw(server.port)
    assert extra.greeting == (421, ["421 Too many users (1); try again later."])
    first("QUIT")
    server.join()


def test_the_rest_of_a_line_too_long_is_not_taken_as_a_command():
    """RFC 959 500 for a line past the limit; what follows of that line (up
    to its end) is dropped, and the next line is the next command."""
    from cms.ftp.control import MAX_LINE, LineTooLong

    left, right = socket.socketpair()
    with left, right:
        reader = LineReader(right)
        left.sendall(b"X" * (MAX_LINE + 10))
        with pytest.raises(LineTooLong):
            while reader.pop_line() is None:
                reader.fill()
        left.sendall(b"DELE A.B\r\nNOOP\r\n")
        lines = []
        while len(lines) < 1:
            reader.fill()
            while (line := reader.pop_line()) is not None:
                lines.append(line)
        assert lines == ["NOOP"]
