"""The line-mode FTP client, as z/VM's ``FTP`` command (TCP/IP for z/VM
User's Guide, "Transferring Files Using FTP", FTP subcommands).

The client prompts ``Command:`` and reads a subcommand (from the console
stack first, so an EXEC can QUEUE a whole session before ``FTP host``),
echoes every command it sends to the server as ``>>>VERB ...`` (the
password as asterisks) and shows the server's replies as they come.

Subcommands: OPEN host [port], USER userid [password], PASS password,
GET foreign [local] [(REPLACE], PUT local [foreign], DIR [pattern],
LS [pattern], CD dir, PWD, ASCII, BINARY, TYPE A|I, PASSIVE ON|OFF,
DELETE foreign, SYSTEM, NOOP, QUOTE text, CLOSE, QUIT, HELP.
A local file is ``fn.ft[.fm]`` or ``fn ft [fm]`` (file mode A unless
given); ``GET`` writes a new file as V records (see cms.ftp.codec) and
does not replace an existing one without ``(REPLACE``, as z/VM's.

Data connections are passive by default (PASV: the client connects, which
is what goes through a NAT gateway); ``PASSIVE OFF`` uses PORT.  As
Python's ftplib does, the client connects to the control connection's
host for a PASV reply, whatever address the reply names (a server behind
NAT names its own inside address).
"""

from __future__ import annotations

import time

from cms.errors import CMSError
from cms.ftp.codec import records_to_stream
from cms.ftp.control import (
    NETWORK_ERRORS,
    LineReader,
    error_name,
    host_port,
    parse_host_port,
    read_reply,
    send_line,
)
from cms.ftp.transfer import close_quietly, receive_bytes, receive_records, send_stream

FTP_PORT = 21
CLIENT_LEVEL = "370"
#: Seconds the client waits for a connection or a reply.
TIMEOUT = 120

HELP_TEXT = [
    "FTP subcommands:",
    "  OPEN host [port]        connect to an FTP server",
    "  USER userid [password]  log in; PASS password gives the password",
    "  CD dir                  working directory (on VM: userid.vaddr)",
    "  PWD                     show the working directory",
    "  DIR [pattern]           list files; LS [pattern] lists their names",
    "  GET foreign [local] [(REPLACE]   copy a file from the server",
    "  PUT local [foreign]     copy a file to the server",
    "  DELETE foreign          erase a file on the server",
    "  ASCII | BINARY          transfer type A (text, translated) or I",
    "  PASSIVE ON|OFF          data connections by PASV (default) or PORT",
    "  SYSTEM, NOOP, QUOTE text, CLOSE, QUIT, HELP",
    "Local files: fn.ft[.fm] or fn ft [fm].",
]


class Local:
    """A local file id: fn, ft, fm."""

    def __init__(self, fn: str, ft: str, fm: str = "A"):
        self.fn, self.ft, self.fm = fn.upper(), ft.upper(), fm.upper()

    def __str__(self) -> str:
        return f"{self.fn} {self.ft} {self.fm}"


class UsageError(Exception):
    """A subcommand typed wrongly: its message is shown, the session goes on."""


def is_mode(word: str) -> bool:
    return 1 <= len(word) <= 2 and word[0].isalpha() and (len(word) == 1 or word[1].isdigit())


def parse_local(words: list[str]) -> tuple[Local, list[str]]:
    """The local file id at the front of ``words``; the words after it."""
    if not words:
        raise UsageError("Local file identifier missing.")
    if "." in words[0]:
        parts = words[0].split(".")
        if len(parts) not in (2, 3) or not all(parts):
            raise UsageError(f"Invalid local file identifier '{words[0]}'.")
        return Local(*parts), words[1:]
    if len(words) < 2:
        raise UsageError(f"Invalid local file identifier '{words[0]}'; give fn ft [fm].")
    if len(words) >= 3 and is_mode(words[2]):
        return Local(words[0], words[1], words[2]), words[3:]
    return Local(words[0], words[1]), words[2:]


def split_options(text: str) -> tuple[list[str], list[str]]:
    head, _, tail = text.partition("(")
    return head.split(), tail.replace(")", " ").upper().split()


class FtpClient:
    """One FTP client session.

    ``net``: ``resolve(name) -> address`` and ``socket("STREAM")``;
    ``console``: ``say(text)``, ``read() -> line``, ``read_password(prompt)``;
    ``files``: the local files (cms.ftp.cmsfiles.LocalFiles): ``exists``,
    ``read -> (records, recfm)``, ``write(local, records)``.
    """

    def __init__(self, net, console, files):
        self.net = net
        self.console = console
        self.files = files
        self.control = None
        self.reader = None
        self.passive = True
        self.ascii = True
        self.host = None  # the server's address

    def say(self, text: str) -> None:
        self.console.say(text)

    # ---- the session

    def run(self, host: str | None, port: int = FTP_PORT) -> int:
        self.say(f"VM TCP/IP FTP Level {CLIENT_LEVEL}")
        if host:
            self.open(host, port)
        while True:
            self.say("Command:")
            line = self.console.read()
            if not self.subcommand(line):
                return 0

    def subcommand(self, line: str) -> bool:
        """Obey one subcommand; False after QUIT."""
        verb, _, rest = line.strip().partition(" ")
        verb = verb.upper()
        if not verb:
            return True
        handler = SUBCOMMANDS.get(verb)
        if handler is None:
            self.say(f"Unknown subcommand {verb}. Enter HELP for a list.")
            return True
        try:
            return handler(self, rest.strip()) is not False
        except UsageError as err:
            self.say(str(err))
        except NETWORK_ERRORS as exc:
            self.say(f"Connection failed: {error_name(exc)}.")
            self.drop()
        return True

    # ---- the control connection

    def open(self, host: str, port: int = FTP_PORT) -> None:
        if self.control is not None:
            self.say("Already connected; use CLOSE first.")
            return
        try:
            address = self.net.resolve(host)
        except (CMSError, LookupError):  # HOSTS LOCAL has no such name
            self.say(f"Unknown host: {host}")
            return
        self.say(f"Connecting to {host.upper()} {address}, port {port}")
        sock = self.net.socket("STREAM")
        sock.settimeout(TIMEOUT)
        try:
            sock.connect((address, port))
        except NETWORK_ERRORS as exc:
            close_quietly(sock)
            self.say(f"Connection failed: {error_name(exc)}.")
            return
        self.control, self.reader, self.host = sock, LineReader(sock), address
        code, _ = self.response()
        if code != 220:
            self.drop()
            return
        self.say("USER (identify yourself to the host):")
        answer = self.console.read().split()
        if answer:
            self.login(answer[0], answer[1] if len(answer) > 1 else None)

    def response(self) -> tuple[int, list[str]]:
        code, lines = read_reply(self.reader)
        for line in lines:
            self.say(line)
        if code == 421:
            if not lines:
                self.say("Connection closed by the server.")
            self.drop()
        return code, lines

    def send(self, text: str, shown: str | None = None) -> tuple[int, list[str]]:
        """A command and its reply (shown as ``>>>command``)."""
        self.require_connection()
        self.say(f">>>{shown if shown is not None else text}")
        send_line(self.control, text)
        return self.response()

    def require_connection(self) -> None:
        if self.control is None:
            raise UsageError("Not connected. Use OPEN host first.")

    def drop(self) -> None:
        if self.control is not None:
            close_quietly(self.control)
        self.control = self.reader = self.host = None

    def login(self, userid: str, password: str | None) -> None:
        code, _ = self.send(f"USER {userid}")
        if code != 331:
            return
        if password is None:
            password = self.console.read_password("Password:")
        self.send(f"PASS {password}", shown="PASS ********")

    # ---- data connections

    def transfer(self, command: str, outgoing: bytes | None = None, records: bool = False):
        """Run a data transfer command: its data (received bytes, or (records,
        bytes) when ``records``), or None when the server refused."""
        self.require_connection()
        listener = None
        if self.passive:
            code, lines = self.send("PASV")
            address = parse_host_port(" ".join(lines)) if code == 227 else None
            if address is None:
                return None
            data = self.net.socket("STREAM")
            data.settimeout(TIMEOUT)
            try:
                data.connect((self.host, address[1]))
            except NETWORK_ERRORS as exc:
                close_quietly(data)
                self.say(f"Data connection failed: {error_name(exc)}.")
                return None
        else:
            data = None  # accepted once the server connects
            listener = self.net.socket("STREAM")
            listener.bind((self.control.getsockname()[0], 0))
            listener.listen(1)
            listener.settimeout(TIMEOUT)
            code, _ = self.send(f"PORT {host_port(listener.getsockname())}")
            if code != 200:
                close_quietly(listener)
                return None
        code, _ = self.send(command)
        if code not in (125, 150):
            close_quietly(listener if listener is not None else data)
            return None
        try:
            if listener is not None:
                data, _ = listener.accept()
            data.settimeout(TIMEOUT)
            if outgoing is not None:
                send_stream(data, outgoing)
                result = len(outgoing)
            elif records:
                result = receive_records(data, self.ascii)
            else:
                result = receive_bytes(data)
        except NETWORK_ERRORS as exc:
            # The data connection failed; the control connection goes on:
            # the server's own reply (426, 425) follows.
            if data is not None:
                close_quietly(data)
            self.say(f"Data transfer failed: {error_name(exc)}.")
            result = None
        finally:
            if listener is not None:
                close_quietly(listener)
        code, _ = self.response()
        return result if code in (226, 250) else None

    def report_rate(self, count: int, started: float) -> None:
        seconds = max(time.monotonic() - started, 0.001)
        self.say(
            f"{count} bytes transferred in {seconds:.3f} seconds. "
            f"Transfer rate {count / seconds / 1000:.2f} Kbytes/sec."
        )

    # ---- subcommands

    def sc_open(self, rest: str) -> None:
        words = rest.split()
        if not words or len(words) > 2 or (len(words) == 2 and not words[1].isdigit()):
            raise UsageError("Usage: OPEN host [port]")
        self.open(words[0], int(words[1]) if len(words) == 2 else FTP_PORT)

    def sc_user(self, rest: str) -> None:
        words = rest.split()
        if not words or len(words) > 2:
            raise UsageError("Usage: USER userid [password]")
        self.require_connection()
        self.login(words[0], words[1] if len(words) == 2 else None)

    def sc_pass(self, rest: str) -> None:
        if not rest:
            raise UsageError("Usage: PASS password")
        self.send(f"PASS {rest.split()[0]}", shown="PASS ********")

    def sc_cd(self, rest: str) -> None:
        if not rest:
            raise UsageError("Usage: CD directory")
        self.send(f"CWD {rest.split()[0]}")

    def sc_pwd(self, rest: str) -> None:
        self.send("PWD")

    def sc_ascii(self, rest: str) -> None:
        if self.send("TYPE A")[0] == 200:
            self.ascii = True

    def sc_binary(self, rest: str) -> None:
        if self.send("TYPE I")[0] == 200:
            self.ascii = False

    def sc_type(self, rest: str) -> None:
        kind = rest.upper().split()[:1]
        if kind == ["A"]:
            self.sc_ascii("")
        elif kind == ["I"]:
            self.sc_binary("")
        else:
            raise UsageError("Usage: TYPE A | I")

    def sc_passive(self, rest: str) -> None:
        word = rest.upper().strip()
        if word not in ("ON", "OFF"):
            raise UsageError("Usage: PASSIVE ON | OFF")
        self.passive = word == "ON"
        self.say(f"Passive mode {word}.")

    def sc_dir(self, rest: str) -> None:
        self._listing("LIST", rest)

    def sc_ls(self, rest: str) -> None:
        self._listing("NLST", rest)

    def _listing(self, verb: str, rest: str) -> None:
        data = self.transfer(f"{verb} {rest}".strip())
        if data is None:
            return
        for line in data.decode("latin-1").splitlines():
            self.say(line)

    def sc_get(self, rest: str) -> None:
        words, options = split_options(rest)
        if not words:
            raise UsageError("Usage: GET foreignfile [localfile] [(REPLACE]")
        for option in options:
            if option != "REPLACE":
                raise UsageError(f"Invalid option {option}; GET takes REPLACE.")
        foreign = words[0]
        if len(words) > 1:
            local, extra = parse_local(words[1:])
            if extra:
                raise UsageError(f"Unexpected '{' '.join(extra)}'.")
        else:
            name = foreign.rsplit("/", 1)[-1]
            if name.count(".") != 1:
                raise UsageError(f"Give a local file identifier for '{foreign}'.")
            local = Local(*name.split("."))
        if self.files.exists(local) and "REPLACE" not in options:
            self.say(f"File {local} already exists; specify (REPLACE to replace it.")
            return
        self.files.check_writable(local)
        started = time.monotonic()
        got = self.transfer(f"RETR {foreign}", records=True)
        if got is None:
            return
        records, count = got
        self.files.write(local, records)
        self.report_rate(count, started)

    def sc_put(self, rest: str) -> None:
        local, words = parse_local(rest.split())
        if len(words) > 1:
            raise UsageError("Usage: PUT localfile [foreignfile]")
        foreign = words[0] if words else f"{local.fn}.{local.ft}"
        records, recfm = self.files.read(local)
        data = records_to_stream(records, recfm, self.ascii)
        started = time.monotonic()
        if self.transfer(f"STOR {foreign}", outgoing=data) is not None:
            self.report_rate(len(data), started)

    def sc_delete(self, rest: str) -> None:
        if not rest:
            raise UsageError("Usage: DELETE foreignfile")
        self.send(f"DELE {rest.split()[0]}")

    def sc_system(self, rest: str) -> None:
        self.send("SYST")

    def sc_noop(self, rest: str) -> None:
        self.send("NOOP")

    def sc_quote(self, rest: str) -> None:
        if not rest:
            raise UsageError("Usage: QUOTE text")
        self.send(rest)

    def sc_close(self, rest: str) -> None:
        if self.control is None:
            self.say("Not connected.")
            return
        self.send("QUIT")
        self.drop()

    def sc_quit(self, rest: str) -> bool:
        if self.control is not None:
            try:
                self.send("QUIT")
            except NETWORK_ERRORS:
                pass
            self.drop()
        return False

    def sc_help(self, rest: str) -> None:
        for line in HELP_TEXT:
            self.say(line)


SUBCOMMANDS = {
    "OPEN": FtpClient.sc_open,
    "USER": FtpClient.sc_user,
    "PASS": FtpClient.sc_pass,
    "CD": FtpClient.sc_cd,
    "CWD": FtpClient.sc_cd,
    "PWD": FtpClient.sc_pwd,
    "ASCII": FtpClient.sc_ascii,
    "BINARY": FtpClient.sc_binary,
    "TYPE": FtpClient.sc_type,
    "PASSIVE": FtpClient.sc_passive,
    "DIR": FtpClient.sc_dir,
    "LS": FtpClient.sc_ls,
    "GET": FtpClient.sc_get,
    "PUT": FtpClient.sc_put,
    "DELETE": FtpClient.sc_delete,
    "SYSTEM": FtpClient.sc_system,
    "NOOP": FtpClient.sc_noop,
    "QUOTE": FtpClient.sc_quote,
    "CLOSE": FtpClient.sc_close,
    "QUIT": FtpClient.sc_quit,
    "BYE": FtpClient.sc_quit,
    "HELP": FtpClient.sc_help,
    "?": FtpClient.sc_help,
}
