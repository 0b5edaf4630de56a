"""Stream I/O (ANSI X3.274 "Input and output streams"; z/VM REXX/VM Reference
"CHARIN" ... "STREAM"): CHARIN, CHAROUT, CHARS, LINEIN, LINEOUT, LINES and
STREAM, with the NOTREADY condition.

A stream is named by a string.  What the names mean is the host's business:
the host gives the interpreter a *stream provider* (``streams=`` of
Interpreter), a small object with

``resolve(name) -> str``
    the canonical name of a stream (CMS: ``FN FT FM``; a host file: its
    absolute path); raises StreamError(description) for a name that cannot
    be a stream.
``read(key) -> str``
    the whole stream as characters, each line followed by ``line_end``;
    raises StreamError when it cannot be read (no such file ...).
``write(key, text) -> None``
    replace the stream by ``text`` (lines ended by ``line_end``; a last
    line may lack it); raises StreamError.
``query(key) -> StreamInfo | None``
    size and date of an existing stream, None if there is none.
``line_end``
    the character that ends a line for CHARIN / CHAROUT (host files
    ``"\\n"``; CMS files X'15', the EBCDIC new-line, as z/VM's TEXT streams).
``console_chars(text)`` (optional)
    CHAROUT to the default output stream, written at once without a new
    line; without it the characters wait for the next SAY or LINEOUT.

The interpreter keeps each open stream's characters, a read position and a
write position (the end of the stream, as ANSI says for a newly opened
stream) and writes a changed stream back when it is closed (``STREAM(name,
'C', 'CLOSE')`` or ``LINEOUT(name)`` / ``CHAROUT(name)`` with no data) and
when the program ends.  Without a provider every named stream is NOTREADY.

The default streams (the name omitted or empty) are the console: LINEIN and
CHARIN read the terminal (``input``), LINEOUT writes as SAY does.

An operation that fails or reads past the end raises NOTREADY (trapped by
CALL ON / SIGNAL ON NOTREADY; the description is the stream name) and puts
the stream in the NOTREADY state (ERROR when the stream cannot be used at
all), which STREAM(name, 'S') returns and STREAM(name, 'D') explains.
"""

from __future__ import annotations

import os
import time

from .errors import RexxError


class StreamError(Exception):
    """A stream cannot be resolved, read or written; str() says why."""


class StreamInfo:
    __slots__ = ("size", "modified", "name")

    def __init__(self, size: int, modified: float, name: str):
        self.size = size  # characters
        self.modified = modified  # seconds since the epoch (time.time())
        self.name = name  # the name QUERY EXISTS returns

    def __eq__(self, other) -> bool:
        if not isinstance(other, StreamInfo):
            return NotImplemented
        return (self.size, self.modified, self.name) == (other.size, other.modified, other.name)

    def __repr__(self) -> str:
        return f"StreamInfo({self.size!r}, {self.modified!r}, {self.name!r})"


class OpenStream:
    """One stream the program has used: its text and positions."""

    def __init__(
        self,
        key: str,
        text: str = "",
        loaded: bool = False,
        read_at: int = 0,
        write_at: int | None = None,
        dirty: bool = False,
        written: bool = False,
        state: str = "UNKNOWN",
        description: str = "",
        name: str = "",
    ):
        self.key = key
        self.text = text
        self.loaded = loaded
        self.read_at = read_at  # index of the next character to read
        self.write_at = write_at  # index of the next character to write (None: the end)
        self.dirty = dirty
        self.written = written  # written back at least once (the first write is)
        self.state = state  # READY, NOTREADY, ERROR, UNKNOWN
        self.description = description
        self.name = name  # as the program named it (NOTREADY's description)


class NoStreams:
    """The provider of a host that offers no files: every name is NOTREADY."""

    line_end = "\n"

    def resolve(self, name: str) -> str:
        raise StreamError("No stream support")

    def read(self, key: str) -> str:
        raise StreamError("No stream support")

    def write(self, key: str, text: str) -> None:
        raise StreamError("No stream support")

    def query(self, key: str) -> StreamInfo | None:
        return None


class HostFileStreams:
    """Host files for ``vm370 rexx``: a name is a path (relative to the
    working directory); characters are bytes (Latin-1), lines end with
    ``\\n``, as Regina and other Unix REXXes do."""

    line_end = "\n"

    def __init__(self, directory: str | None = None):
        self._directory = directory  # relative names start here (default: cwd)

    def resolve(self, name: str) -> str:
        if "\0" in name:
            raise StreamError("Invalid file name")
        path = os.path.expanduser(name)
        if self._directory is not None:
            path = os.path.join(self._directory, path)
        return os.path.abspath(path)

    def read(self, key: str) -> str:
        try:
            with open(key, "rb") as handle:
                return handle.read().decode("latin-1")
        except OSError as error:
            raise StreamError(error.strerror or str(error)) from None

    def write(self, key: str, text: str) -> None:
        try:
            with open(key, "wb") as handle:
                handle.write(text.encode("latin-1", errors="replace"))
        except OSError as error:
            raise StreamError(error.strerror or str(error)) from None

    def query(self, key: str) -> StreamInfo | None:
        try:
            status = os.stat(key)
        except OSError:
            return None
        if not os.path.isfile(key):
            return None
        return StreamInfo(status.st_size, status.st_mtime, key)


class StreamTable:
    """The streams of one program run (shared with the external routines it
    calls, as they share the console)."""

    def __init__(self, provider):
        self.provider = provider if provider is not None else NoStreams()
        self.line_end = getattr(self.provider, "line_end", "\n")
        self.streams: dict[str, OpenStream] = {}
        self.by_name: dict[str, str] = {}
        self.console_pending = ""  # CHAROUT to the console, no new line yet
        self.console_input = ""  # CHARIN's rest of a terminal line

    # --- names and states ---------------------------------------------------------
    def stream(self, name: str) -> OpenStream:
        key = self.by_name.get(name)
        if key is None:
            try:
                key = self.provider.resolve(name)
            except StreamError as error:
                failed = OpenStream(name, loaded=True, state="ERROR", description=str(error))
                return failed
            self.by_name[name] = key
        stream = self.streams.get(key)
        if stream is None:
            stream = self.streams[key] = OpenStream(key)
        return stream

    def load(self, stream: OpenStream, must_exist: bool) -> bool:
        """Read the stream's characters the first time it is used; False
        (and the ERROR state) if it cannot be read."""
        if stream.state == "ERROR" and not stream.loaded:
            return False
        if stream.loaded:
            return stream.state != "ERROR"
        try:
            stream.text = self.provider.read(stream.key)
        except StreamError as error:
            if must_exist:
                stream.state, stream.description = "ERROR", str(error)
                return False
            stream.text = ""
        stream.loaded = True
        stream.state, stream.description = "READY", ""
        return True

    def flush(self, stream: OpenStream) -> None:
        if stream.dirty:
            stream.dirty = False
            try:
                self.provider.write(stream.key, stream.text)
            except StreamError as error:
                stream.state, stream.description = "ERROR", str(error)
                raise

    def close(self, stream: OpenStream) -> None:
        try:
            self.flush(stream)
        finally:
            self.streams.pop(stream.key, None)
            for name in [n for n, k in self.by_name.items() if k == stream.key]:
                del self.by_name[name]

    def close_all(self) -> None:
        """At the end of the program: write back every changed stream."""
        for stream in list(self.streams.values()):
            try:
                self.close(stream)
            except StreamError:
                pass

    # --- reading -----------------------------------------------------------------
    def read_line(self, stream: OpenStream) -> str | None:
        """The rest of the current line, None at the end of the stream."""
        text, start = stream.text, stream.read_at
        if start >= len(text):
            return None
        end = text.find(self.line_end, start)
        if end < 0:
            stream.read_at = len(text)
            return text[start:]
        stream.read_at = end + len(self.line_end)
        return text[start:end]

    def read_chars(self, stream: OpenStream, count: int) -> str:
        start = stream.read_at
        chunk = stream.text[start : start + count]
        stream.read_at = start + len(chunk)
        return chunk

    def lines_left(self, stream: OpenStream) -> int:
        rest = stream.text[stream.read_at :]
        if not rest:
            return 0
        return rest.count(self.line_end) + (0 if rest.endswith(self.line_end) else 1)

    def line_start(self, stream: OpenStream, line: int) -> int | None:
        """Index of the first character of line ``line`` (1-based), or None."""
        index = 0
        for _ in range(line - 1):
            found = stream.text.find(self.line_end, index)
            if found < 0:
                return None
            index = found + len(self.line_end)
        return index if index < len(stream.text) or line == 1 else None

    # --- writing -----------------------------------------------------------------
    def write(self, stream: OpenStream, data: str) -> None:
        """Write at the write position.  The first write to a stream goes
        to the host at once, so a name that cannot be written is NOTREADY
        there and then (StreamError); later ones wait for the close."""
        at = len(stream.text) if stream.write_at is None else stream.write_at
        text = stream.text
        stream.text = text[:at] + data + text[at + len(data) :]
        stream.write_at = None if at + len(data) >= len(stream.text) else at + len(data)
        stream.dirty = True
        stream.state, stream.description = "READY", ""
        if not stream.written:
            self.flush(stream)
            stream.written = True


# --- the built-in functions ----------------------------------------------------------


def _bad(name: str) -> RexxError:
    return RexxError(40, name)


def _name(args, name: str) -> str:
    value = args[0] if args else None
    return "" if value is None else value


def _whole(ex, value, function: str, minimum: int) -> int | None:
    if value is None:
        return None
    from . import numbers

    try:
        number = numbers.whole_number(value, max(ex.frame.numeric.digits, 9), 40)
    except RexxError:
        raise _bad(function) from None
    if number < minimum:
        raise _bad(function)
    return number


def notready(ex, stream: OpenStream, description: str, state: str = "NOTREADY") -> None:
    """Put the stream in the NOTREADY (or ERROR) state and raise NOTREADY
    if it is trapped (ANSI: otherwise it is ignored)."""
    if stream.state != "ERROR" or state == "ERROR":
        stream.state = state
    stream.description = description
    trap = ex.frame.traps.get("NOTREADY")
    if trap is not None and trap.state == "ON":
        ex.raise_condition("NOTREADY", stream.name or stream.key, trap)


def _named(table: StreamTable, name: str) -> OpenStream:
    stream = table.stream(name)
    stream.name = name
    return stream


def bif_linein(ex, a):
    name = _name(a, "LINEIN")
    line = _whole(ex, a[1] if len(a) > 1 else None, "LINEIN", 1)
    count = _whole(ex, a[2] if len(a) > 2 else None, "LINEIN", 0)
    count = 1 if count is None else count
    if count > 1:
        raise _bad("LINEIN")
    table = ex.streams
    if not name:
        if line is not None:
            raise _bad("LINEIN")
        if count == 0:
            return ""
        if table.console_input:
            rest, table.console_input = table.console_input, ""
            return rest.rstrip("\n")
        return ex.read_terminal()
    stream = _named(table, name)
    if not table.load(stream, must_exist=True):
        notready(ex, stream, stream.description, "ERROR")
        return ""
    if line is not None:
        start = table.line_start(stream, line)
        if start is None:
            notready(ex, stream, "Line position beyond the end of the stream")
            return ""
        stream.read_at = start
    if count == 0:
        return ""
    result = table.read_line(stream)
    if result is None:
        notready(ex, stream, "EOF on line input")
        return ""
    stream.state = "READY"
    return result


def bif_charin(ex, a):
    name = _name(a, "CHARIN")
    start = _whole(ex, a[1] if len(a) > 1 else None, "CHARIN", 1)
    count = _whole(ex, a[2] if len(a) > 2 else None, "CHARIN", 0)
    count = 1 if count is None else count
    table = ex.streams
    if not name:
        if start is not None:
            raise _bad("CHARIN")
        while len(table.console_input) < count:
            line = ex.input()
            if line is None:
                break
            table.console_input += line + "\n"
        chunk, table.console_input = table.console_input[:count], table.console_input[count:]
        return chunk
    stream = _named(table, name)
    if not table.load(stream, must_exist=True):
        notready(ex, stream, stream.description, "ERROR")
        return ""
    if start is not None:
        if start > len(stream.text) + (0 if count else 1):
            notready(ex, stream, "Position beyond the end of the stream")
            return ""
        stream.read_at = start - 1
    chunk = table.read_chars(stream, count)
    if len(chunk) < count:
        notready(ex, stream, "EOF on character input")
    else:
        stream.state = "READY"
    return chunk


def _output(ex, a, function: str, line: bool):
    name = _name(a, function)
    data = a[1] if len(a) > 1 else None
    start = _whole(ex, a[2] if len(a) > 2 else None, function, 1)
    table = ex.streams
    if not name:
        if start is not None:
            raise _bad(function)
        if data is None:
            return "0"
        if line:
            ex.say(data)
        else:
            ex.console_chars(data)
        return "0"
    stream = _named(table, name)
    if data is None and start is None:
        # no data and no position: close the stream (ANSI)
        try:
            table.close(stream)
        except StreamError as error:
            notready(ex, stream, str(error), "ERROR")
            return "1"
        return "0"
    if not table.load(stream, must_exist=False):
        notready(ex, stream, stream.description, "ERROR")
        return "1" if line else str(len(data or ""))
    if start is not None:
        if line:
            position = table.line_start(stream, start)
            if position is None and start == _lines_total(table, stream) + 1:
                position = len(stream.text)
        else:
            position = start - 1 if start - 1 <= len(stream.text) else None
        if position is None:
            notready(ex, stream, "Position beyond the end of the stream")
            return "1" if line else str(len(data or ""))
        stream.write_at = position if position < len(stream.text) else None
    if data is None:
        return "0"
    try:
        table.write(stream, data + (table.line_end if line else ""))
    except StreamError as error:
        notready(ex, stream, str(error), "ERROR")
        return "1" if line else str(len(data))
    return "0"


def _lines_total(table: StreamTable, stream: OpenStream) -> int:
    text = stream.text
    if not text:
        return 0
    return text.count(table.line_end) + (0 if text.endswith(table.line_end) else 1)


def bif_lineout(ex, a):
    return _output(ex, a, "LINEOUT", line=True)


def bif_charout(ex, a):
    return _output(ex, a, "CHAROUT", line=False)


def bif_lines(ex, a):
    name = _name(a, "LINES")
    option = (a[1] if len(a) > 1 and a[1] is not None else "N").upper()[:1]
    if option not in ("N", "C"):
        raise _bad("LINES")
    table = ex.streams
    if not name:
        if table.console_input:
            return "1"
        pending = ex.console_lines()
        return str(min(pending, 1) if option == "N" else pending)
    stream = _named(table, name)
    if not table.load(stream, must_exist=True):
        stream.state = "ERROR"
        return "0"
    count = table.lines_left(stream)
    return str(min(count, 1) if option == "N" else count)


def bif_chars(ex, a):
    name = _name(a, "CHARS")
    table = ex.streams
    if not name:
        return str(len(table.console_input) or min(ex.console_lines(), 1))
    stream = _named(table, name)
    if not table.load(stream, must_exist=True):
        stream.state = "ERROR"
        return "0"
    return str(len(stream.text) - stream.read_at)


def bif_stream(ex, a):
    name = _name(a, "STREAM")
    if not name:
        raise _bad("STREAM")
    operation = (a[1] if len(a) > 1 and a[1] is not None else "S").upper()
    if not operation or operation[0] not in "CDS":
        raise _bad("STREAM")
    operation = operation[0]
    command = a[2] if len(a) > 2 else None
    if (operation == "C") != (command is not None):
        raise _bad("STREAM")
    table = ex.streams
    stream = _named(table, name)
    if operation == "S":
        return stream.state
    if operation == "D":
        return stream.description
    return stream_command(ex, table, stream, command)


def stream_command(ex, table: StreamTable, stream: OpenStream, command: str) -> str:
    """STREAM(name, 'C', command): OPEN [READ|WRITE|BOTH] [APPEND|REPLACE],
    CLOSE, FLUSH, QUERY EXISTS|SIZE|DATETIME|TIMESTAMP|LINES|POSITION."""
    words = command.upper().split()
    if not words:
        raise _bad("STREAM")
    verb = words[0]
    if verb == "OPEN":
        replace = "REPLACE" in words[1:]
        if any(w not in ("READ", "WRITE", "BOTH", "APPEND", "REPLACE") for w in words[1:]):
            raise _bad("STREAM")
        must_exist = "READ" in words[1:]
        if not table.load(stream, must_exist=must_exist):
            return "ERROR:" + stream.description
        if replace:
            stream.text, stream.read_at, stream.write_at, stream.dirty = "", 0, None, True
        stream.state = "READY"
        return "READY:"
    if verb == "CLOSE":
        try:
            table.close(stream)
        except StreamError as error:
            return "ERROR:" + str(error)
        return "READY:"
    if verb == "FLUSH":
        try:
            table.flush(stream)
        except StreamError as error:
            return "ERROR:" + str(error)
        return "READY:"
    if verb == "QUERY" and len(words) >= 2:
        return _query(table, stream, words[1])
    raise _bad("STREAM")


def _query(table: StreamTable, stream: OpenStream, item: str) -> str:
    if item == "EXISTS":
        if stream.state == "ERROR" and not stream.loaded:
            return ""
        info = table.provider.query(stream.key)
        return info.name if info is not None else ""
    if item in ("SIZE", "DATETIME", "TIMESTAMP"):
        if stream.dirty:
            size, modified = len(stream.text), time.time()
        else:
            info = (
                table.provider.query(stream.key)
                if not (stream.state == "ERROR" and not stream.loaded)
                else None
            )
            if info is None:
                return ""
            size, modified = info.size, info.modified
        if item == "SIZE":
            return str(size)
        stamp = time.localtime(modified)
        if item == "DATETIME":
            return time.strftime("%m-%d-%y %H:%M:%S", stamp)
        return time.strftime("%Y-%m-%d %H:%M:%S", stamp)
    if item == "LINES":
        if not table.load(stream, must_exist=True):
            return ""
        return str(_lines_total(table, stream))
    if item == "POSITION":
        return str(stream.read_at + 1)
    raise _bad("STREAM")


#: name -> (function, minimum arguments, maximum arguments)
FUNCTIONS = {
    "CHARIN": (bif_charin, 0, 3),
    "CHAROUT": (bif_charout, 0, 3),
    "CHARS": (bif_chars, 0, 1),
    "LINEIN": (bif_linein, 0, 3),
    "LINEOUT": (bif_lineout, 0, 3),
    "LINES": (bif_lines, 0, 2),
    "STREAM": (bif_stream, 1, 3),
}
