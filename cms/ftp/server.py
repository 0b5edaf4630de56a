"""One FTP server session (RFC 959) in the manner of z/VM's FTPSERVE.

``FtpSession(control, net, store, ...)`` is the server side of one control
connection: ``run()`` answers one client until QUIT, the end of the
connection or the idle timeout; ``serve(listener, ...)`` serves several
clients at once, obeying each command when its line has come (one wait
covers the listener and every control connection), so an idle client holds
up nobody; a data transfer runs to its end before the next command.

The store (``cms.ftp.cmsfiles.MinidiskStore`` on CMS) owns the files: it
checks the user's password, makes a minidisk the working directory
(``CWD ALICE.191``) and reads and writes its files.  File names on the
connection are ``fn.ft`` (CMS's ``FN FT``), folded to upper case.

Commands: USER PASS ACCT CWD XCWD CDUP PWD XPWD TYPE MODE STRU PASV PORT
RETR STOR DELE LIST NLST SYST NOOP HELP QUIT.  Reply codes are RFC 959's;
the texts are z/VM FTPSERVE's where we know them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from cms.ftp.codec import records_to_stream
from cms.ftp.control import (
    NETWORK_ERRORS,
    LineReader,
    LineTooLong,
    error_name,
    host_port,
    parse_host_port,
    send_line,
)
from cms.ftp.transfer import TooLarge, close_quietly, receive_records, send_stream

#: A control connection that says nothing this long is closed (z/VM's default).
IDLE_SECONDS = 300
#: How long the server waits for the client to open a passive data connection.
DATA_SECONDS = 60
#: Sessions served at once; one more client gets 421.
MAX_SESSIONS = 16
#: Wrong passwords after which the session ends.
MAX_LOGIN_FAILURES = 3

FTP_LEVEL = "370"


class StoreError(Exception):
    """A refusal of the file store: the FTP reply code and text."""

    def __init__(self, code: int, text: str):
        super().__init__(f"{code} {text}")
        self.code, self.text = code, text


@dataclass(frozen=True)
class FileInfo:
    fn: str
    ft: str
    recfm: str
    lrecl: int
    records: int
    blocks: int
    stamp: str  # yyyymmddhhmmss


class Reply(Exception):
    """Ends a command with this reply (raised from deep inside a handler)."""

    def __init__(self, code: int, text: str):
        super().__init__(text)
        self.code, self.text = code, text


def file_name(name: str) -> tuple[str, str]:
    """``fn.ft`` -> ('FN', 'FT'); 501 for anything else (CMS names: 1-8
    characters each, no blanks)."""
    parts = name.strip().upper().split(".")
    if len(parts) != 2 or not all(1 <= len(p) <= 8 and " " not in p for p in parts):
        raise Reply(501, f"Invalid file name '{name.strip()}'; use fn.ft")
    return parts[0], parts[1]


def listing_line(info: FileInfo, label: str) -> str:
    """One LIST line as z/VM FTPSERVE shows a minidisk file."""
    stamp = info.stamp.ljust(14, "0")
    when = f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]} {stamp[8:10]}:{stamp[10:12]}:{stamp[12:14]}"
    return (
        f"{info.fn:<8} {info.ft:<8} {info.recfm:<1} {info.lrecl:>9} {info.records:>10}"
        f" {info.blocks:>10} {when} {label}"
    )


class FtpSession:
    """The server side of one control connection."""

    def __init__(
        self,
        control,
        net,
        store,
        host_name: str = "VM370",
        server_name: str = "FTPSERVE",
        passive_ports: range | None = None,
    ):
        self.control = control
        self.reader = LineReader(control)
        self.net = net
        self.store = store
        self.host_name = host_name
        self.server_name = server_name
        self.passive_ports = passive_ports  # None: any free port
        self.peer = _peer(control)
        self.userid: str | None = None  # given by USER
        self.logged_in = False
        self.failures = 0
        self.ascii = True  # TYPE A is the default (RFC 959 3.1.1.1)
        self.passive = None  # the listening socket after PASV
        self.active: tuple[str, int] | None = None  # the address PORT gave
        self.ended = False
        self.last = 0.0  # time.monotonic() of the client's last word (serve)

    # ---- the conversation

    def reply(self, code: int, text: str, more: list[str] = ()) -> None:
        """A reply; ``more`` lines make it a multi-line one (the last line
        carries the code and a blank)."""
        lines = [text, *more]
        for line in lines[:-1]:
            send_line(self.control, f"{code}-{line}")
        send_line(self.control, f"{code} {lines[-1]}")

    def run(self) -> None:
        self.control.settimeout(IDLE_SECONDS)
        try:
            self.greet()
            while not self.ended:
                try:
                    line = self.reader.readline()
                except LineTooLong:
                    self.reply(500, "Command line too long.")
                    continue
                if line is None:
                    break
                self.command(line)
        except TimeoutError:
            self.time_out()
        except NETWORK_ERRORS as exc:
            if _is_timeout(exc):
                self.time_out()
        finally:
            self.end()

    # ---- the session as one of several (serve)

    def start(self) -> None:
        """Greet the client; from now on ``on_readable`` takes its commands."""
        self.control.settimeout(DATA_SECONDS)  # a reply to a client that never reads
        self.last = time.monotonic()
        self.greet()

    def on_readable(self) -> bool:
        """The control connection has data (or its end): obey every whole
        line received; False when the session is over."""
        self.last = time.monotonic()
        if not self.reader.fill():
            return False
        while not self.ended:
            try:
                line = self.reader.pop_line()
            except LineTooLong:
                self.reply(500, "Command line too long.")
                continue
            if line is None:
                break
            self.command(line)
        return not self.ended

    def time_out(self) -> None:
        self._say_quietly(421, f"Timeout ({IDLE_SECONDS} seconds): closing control connection.")

    def _say_quietly(self, code: int, text: str) -> None:
        try:
            self.reply(code, text)
        except NETWORK_ERRORS:
            pass

    def end(self) -> None:
        self._drop_data()
        self.store.logout()
        close_quietly(self.control)

    def greet(self) -> None:
        now = time.strftime("%H:%M:%S %Z %A %Y-%m-%d")
        self.reply(
            220,
            f"{self.server_name} IBM VM Level {FTP_LEVEL} at {self.host_name}, {now}",
            [f"Connection will close if idle for more than {IDLE_SECONDS // 60} minutes."],
        )

    def command(self, line: str) -> None:
        verb, _, argument = line.strip().partition(" ")
        verb = verb.upper()
        handler = COMMANDS.get(verb)
        if handler is None:
            if verb in NOT_IMPLEMENTED:
                self.reply(502, f"Command {verb} not implemented.")
            else:
                self.reply(500, f"Unknown command {verb[:20]}")
            return
        if verb not in BEFORE_LOGIN and not self.logged_in:
            self.reply(530, "Not logged in.")
            return
        try:
            handler(self, argument.strip())
        except Reply as reply:
            self.reply(reply.code, reply.text)
        except StoreError as err:
            self.reply(err.code, err.text)
        except NETWORK_ERRORS:
            raise  # the control connection itself: the session ends
        except Exception as exc:  # noqa: BLE001 - a broken disk, a CP refusal
            # RFC 959: 451 Requested action aborted: local error in processing.
            self.reply(451, f"Requested action aborted: local error ({type(exc).__name__}).")

    # ---- login

    def do_user(self, argument: str) -> None:
        if not argument:
            raise Reply(501, "USER requires a user id.")
        if self.logged_in:
            self.store.logout()
            self.logged_in = False
        self.userid = argument.upper()
        self.reply(331, "Send password please.")

    def do_pass(self, argument: str) -> None:
        if self.userid is None or self.logged_in:
            raise Reply(503, "Login with USER first.")
        try:
            home = self.store.login(self.userid, argument, self.peer)
        except StoreError:
            self.failures += 1
            self.userid = None
            if self.failures >= MAX_LOGIN_FAILURES:
                self.reply(421, "Too many incorrect logins; closing control connection.")
                self.ended = True
                return
            raise
        self.logged_in = True
        if home is None:
            self.reply(230, f"{self.userid} logged in; no working directory defined.")
        else:
            self.reply(230, f"{self.userid} logged in; working directory = {home}")

    def do_acct(self, argument: str) -> None:
        self.reply(202, "ACCT not necessary.")

    # ---- the working directory

    def do_cwd(self, argument: str) -> None:
        if not argument:
            raise Reply(501, "CWD requires a directory (userid.vaddr).")
        self.reply(250, f"Working directory is {self.store.change_directory(argument)}")

    def do_cdup(self, argument: str) -> None:
        raise Reply(550, "Minidisks have no parent directory.")

    def do_pwd(self, argument: str) -> None:
        where = self.store.working_directory()
        if where is None:
            raise Reply(550, "No working directory defined.")
        self.reply(257, f'"{where}" is working directory.')

    # ---- transfer parameters

    def do_type(self, argument: str) -> None:
        words = argument.upper().split()
        if words in (["A"], ["A", "N"]):
            self.ascii = True
            self.reply(200, "Representation type is ASCII.")
        elif words in (["I"], ["L", "8"]):
            self.ascii = False
            self.reply(200, "Representation type is IMAGE.")
        elif words and words[0] in ("A", "E", "I", "L"):
            raise Reply(504, f"Type {argument} not supported.")
        else:
            raise Reply(501, f"Invalid type '{argument}'.")

    def do_mode(self, argument: str) -> None:
        if argument.upper() != "S":
            raise Reply(504, f"Mode {argument} not supported; only Stream.")
        self.reply(200, "Data transfer mode is Stream.")

    def do_stru(self, argument: str) -> None:
        if argument.upper() != "F":
            raise Reply(504, f"Structure {argument} not supported; only File.")
        self.reply(200, "Data structure is File.")

    def do_pasv(self, argument: str) -> None:
        self._drop_data()
        local_ip = self.control.getsockname()[0]
        for port in self.passive_ports or (0,):
            listener = self.net.socket("STREAM")
            try:
                listener.bind((local_ip, port))
                listener.listen(1)
                address = listener.getsockname()
                break
            except NETWORK_ERRORS:
                close_quietly(listener)  # that port is taken: the next one
        else:
            raise Reply(425, "Can't open passive connection.")
        self.passive = listener
        self.reply(227, f"Entering Passive Mode ({host_port((local_ip, address[1]))})")

    def do_port(self, argument: str) -> None:
        address = parse_host_port(argument)
        if address is None:
            raise Reply(501, f"Invalid PORT argument '{argument}'.")
        if self.peer is not None and address[0] != self.peer[0]:
            # RFC 2577: a data connection only to the client itself (no bounce).
            raise Reply(500, "Illegal PORT command: address is not the client's.")
        if address[1] < 1024:
            raise Reply(500, "Illegal PORT command: port below 1024.")
        self._drop_data()
        self.active = address
        self.reply(200, "Port request OK.")

    def _drop_data(self) -> None:
        if self.passive is not None:
            close_quietly(self.passive)
        self.passive, self.active = None, None

    def require_data(self) -> None:
        """425 before the 150 when no PASV or PORT set a data connection up."""
        if self.passive is None and self.active is None:
            raise Reply(425, "No data connection: use PASV or PORT first.")

    def open_data(self):
        """The data connection PASV or PORT set up (425 without one)."""
        passive, active = self.passive, self.active
        self.passive = self.active = None
        try:
            if passive is not None:
                passive.settimeout(DATA_SECONDS)
                sock, _ = passive.accept()
                close_quietly(passive)
            elif active is not None:
                sock = self.net.socket("STREAM")
                sock.settimeout(DATA_SECONDS)
                sock.connect(active)
            else:
                raise Reply(425, "No data connection: use PASV or PORT first.")
        except NETWORK_ERRORS:
            if passive is not None:
                close_quietly(passive)
            raise Reply(425, "Can't open data connection.") from None
        sock.settimeout(DATA_SECONDS)
        return sock

    # ---- files

    def do_retr(self, argument: str) -> None:
        fn, ft = file_name(argument)
        records, recfm = self.store.read(fn, ft)
        data = records_to_stream(records, recfm, self.ascii)
        self.require_data()
        self.reply(150, f"Sending file '{fn}.{ft}'")
        sock = self.open_data()
        try:
            send_stream(sock, data)
        except NETWORK_ERRORS:
            close_quietly(sock)
            raise Reply(426, "Data connection closed; transfer aborted.") from None
        self.reply(250, "Transfer completed successfully.")

    def do_stor(self, argument: str) -> None:
        fn, ft = file_name(argument)
        self.store.check_writable()
        self.require_data()
        self.reply(150, f"Receiving file '{fn}.{ft}'")
        sock = self.open_data()
        try:
            records, _ = receive_records(sock, self.ascii, self.store.space())
        except TooLarge:
            raise Reply(552, "Insufficient space on the disk; transfer aborted.") from None
        except NETWORK_ERRORS:
            close_quietly(sock)
            raise Reply(426, "Data connection closed; transfer aborted.") from None
        self.store.write(fn, ft, records)
        self.reply(250, "Transfer completed successfully.")

    def do_dele(self, argument: str) -> None:
        fn, ft = file_name(argument)
        self.store.delete(fn, ft)
        self.reply(250, f"File {fn}.{ft} deleted.")

    def do_list(self, argument: str) -> None:
        label = self.store.working_label()
        lines = [listing_line(info, label) for info in self._listed(argument)]
        self._send_listing(lines)

    def do_nlst(self, argument: str) -> None:
        self._send_listing([f"{info.fn}.{info.ft}" for info in self._listed(argument)])

    def _listed(self, argument: str) -> list[FileInfo]:
        pattern = [w for w in argument.split() if not w.startswith("-")]  # ls -l style flags
        fn, _, ft = (pattern[0].upper() if pattern else "*.*").partition(".")
        return self.store.files(fn or "*", ft or "*")

    def _send_listing(self, lines: list[str]) -> None:
        data = "".join(line + "\r\n" for line in lines).encode("latin-1", errors="replace")
        self.require_data()
        self.reply(125, "List started OK.")
        sock = self.open_data()
        try:
            send_stream(sock, data)
        except NETWORK_ERRORS:
            close_quietly(sock)
            raise Reply(426, "Data connection closed; transfer aborted.") from None
        self.reply(250, "List completed successfully.")

    # ---- the rest

    def do_syst(self, argument: str) -> None:
        self.reply(215, "VM is the operating system of this server.")

    def do_noop(self, argument: str) -> None:
        self.reply(200, "OK")

    def do_help(self, argument: str) -> None:
        names = sorted(COMMANDS)
        rows = [
            " ".join(f"{n:<5}" for n in names[i : i + 10]).rstrip()
            for i in range(0, len(names), 10)
        ]
        self.reply(
            214,
            "The following commands are recognized:",
            [*rows, "Direct comments to the system administrator."],
        )

    def do_quit(self, argument: str) -> None:
        self.reply(221, "Quit command received. Goodbye.")
        self.ended = True


COMMANDS = {
    "USER": FtpSession.do_user,
    "PASS": FtpSession.do_pass,
    "ACCT": FtpSession.do_acct,
    "CWD": FtpSession.do_cwd,
    "XCWD": FtpSession.do_cwd,
    "CDUP": FtpSession.do_cdup,
    "XCUP": FtpSession.do_cdup,
    "PWD": FtpSession.do_pwd,
    "XPWD": FtpSession.do_pwd,
    "TYPE": FtpSession.do_type,
    "MODE": FtpSession.do_mode,
    "STRU": FtpSession.do_stru,
    "PASV": FtpSession.do_pasv,
    "PORT": FtpSession.do_port,
    "RETR": FtpSession.do_retr,
    "STOR": FtpSession.do_stor,
    "DELE": FtpSession.do_dele,
    "LIST": FtpSession.do_list,
    "NLST": FtpSession.do_nlst,
    "SYST": FtpSession.do_syst,
    "NOOP": FtpSession.do_noop,
    "HELP": FtpSession.do_help,
    "QUIT": FtpSession.do_quit,
}
#: Commands answered before the user has logged in.
BEFORE_LOGIN = {"USER", "PASS", "ACCT", "SYST", "NOOP", "HELP", "QUIT", "TYPE", "MODE", "STRU"}
#: RFC 959 commands this server knows of but does not do (502, not 500).
NOT_IMPLEMENTED = {
    "EPSV",
    "EPRT",
    "SIZE",
    "MDTM",
    "FEAT",
    "OPTS",
    "REIN",
    "SMNT",
    "STOU",
    "APPE",
    "ALLO",
    "REST",
    "RNFR",
    "RNTO",
    "ABOR",
    "RMD",
    "MKD",
    "SITE",
    "STAT",
}


def _peer(sock) -> tuple[str, int] | None:
    try:
        return tuple(sock.getpeername())
    except NETWORK_ERRORS:
        return None


def _is_timeout(exc: BaseException) -> bool:
    return isinstance(exc, TimeoutError) or getattr(exc, "errno", None) == "ETIMEDOUT"


def serve(
    listener,
    net,
    make_store,
    poll,
    host_name: str = "VM370",
    sessions: int | None = None,
    log=None,
    passive_ports: range | None = None,
    max_sessions: int | None = None,
) -> None:
    """Serve clients on ``listener``, several at once: one wait (``poll(socks,
    timeout) -> the readable ones``) covers the listener and every control
    connection, and each command is obeyed when its line has come, so an
    idle client holds up nobody; a data transfer runs to its end before the
    next command of anyone.  ``make_store()`` gives each session its store;
    ``sessions``: stop after that many have ended (tests; None: for ever);
    ``log(text)`` hears of each client; ``passive_ports`` are the ports PASV
    may listen on (None: any free one); past ``max_sessions`` (default
    MAX_SESSIONS) a client gets 421 at once."""
    limit = MAX_SESSIONS if max_sessions is None else max_sessions
    active: dict = {}  # control socket -> (FtpSession, address)
    ended = 0

    def say(text: str) -> None:
        if log is not None:
            log(text)

    def finish(control, why: str = "ended") -> None:
        nonlocal ended
        session, address = active.pop(control)
        try:
            session.end()
        except Exception:  # noqa: BLE001 - a defect in ending ends only that session
            close_quietly(control)
        ended += 1
        say(f"Session with {address[0]} port {address[1]} {why}")

    def arrive() -> None:
        try:
            control, address = listener.accept()
        except NETWORK_ERRORS as exc:
            say(f"Accept failed: {error_name(exc)}")
            return
        say(f"Connection from {address[0]} port {address[1]}")
        if len(active) >= limit:
            try:
                send_line(control, f"421 Too many users ({limit}); try again later.")
            except NETWORK_ERRORS:
                pass
            close_quietly(control)
            return
        session = FtpSession(control, net, make_store(), host_name, passive_ports=passive_ports)
        active[control] = (session, address)
        try:
            session.start()
        except NETWORK_ERRORS:
            finish(control, "ended at once")

    def command(control) -> None:
        session, _ = active[control]
        try:
            going_on = session.on_readable()
        except NETWORK_ERRORS:
            going_on = False
        except Exception as exc:  # noqa: BLE001 - one session's defect ends only that session
            finish(control, f"failed: {type(exc).__name__}")
            return
        if not going_on:
            finish(control)

    try:
        while sessions is None or ended < sessions:
            now = time.monotonic()
            for control, (session, _) in list(active.items()):
                if now - session.last >= IDLE_SECONDS:
                    session.time_out()
                    finish(control, "timed out")
            deadlines = [session.last + IDLE_SECONDS - now for session, _ in active.values()]
            timeout = max(0.05, min(deadlines)) if deadlines else None
            for sock in poll([listener, *active], timeout):
                if sock is listener:
                    arrive()
                elif sock in active:
                    command(sock)
    finally:
        # Also when HX stops the server: every session's connections close
        # and the minidisks linked for it are detached.
        for control in list(active):
            finish(control, "ended by the server")
