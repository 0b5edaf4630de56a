"""REXX stream I/O on CMS files: the stream provider an EXEC's interpreter
gets (the interface is in cms.rexx.streams).

A stream name is a CMS fileid, ``fn ft [fm]`` (z/VM REXX/VM Reference,
"Stream I/O": the name is the file identifier).  Reading, the file mode
defaults to ``*`` (the first file in the search order); writing, to the
file's disk if it exists, else A1 - as EXECIO DISKW writes to A1.  Data are
EBCDIC records; CHARIN sees each record followed by X'15', the new-line
character, as z/VM opens a file in TEXT mode, and CHAROUT starts a new
record at each X'15'.  A fixed-format file keeps its LRECL (records padded
with blanks; a longer one is an error), a new file is variable format, as
EXECIO creates it.  An empty line becomes a one-blank record, since a CMS
record cannot be empty.

Deep REXX calls run on fresh thread stacks; every disk access is handed to
the thread that runs CMS (cms.rexx.interpreter.on_host_thread), so the file
system is only touched where the rest of CMS touches it.
"""

from __future__ import annotations

import time

from cms.disks import split_mode
from cms.errors import CMSError
from cms.fs import check_name
from cms.rexx.interpreter import on_host_thread
from cms.rexx.streams import StreamError, StreamInfo
from s390.ebcdic import from_ebcdic, to_ebcdic

#: X'15' (EBCDIC new-line) as the interpreter's characters (code page 037).
LINE_END = from_ebcdic(b"\x15")


class CmsStreams:
    line_end = LINE_END

    def __init__(self, cms):
        self.cms = cms
        self.run = on_host_thread

    # --- the provider interface ------------------------------------------------------
    def resolve(self, name: str) -> str:
        words = name.upper().split()
        if len(words) not in (2, 3) or any(len(w) > 8 for w in words[:2]):
            raise StreamError(f"Invalid CMS file identifier '{name}'")
        fn, ft = words[:2]
        fm = words[2] if len(words) == 3 else "*"
        try:
            split_mode(fm)
            check_name(fn, name)
            check_name(ft, name)
        except CMSError as error:
            raise StreamError(error.text) from None
        return f"{fn} {ft} {fm}"

    def read(self, key: str) -> str:
        return self._on_loop(self._read, key)

    def write(self, key: str, text: str) -> None:
        self._on_loop(self._write, key, text)

    def query(self, key: str) -> StreamInfo | None:
        try:
            return self._on_loop(self._query, key)
        except StreamError:
            return None

    # --- on the CMS event loop -----------------------------------------------------
    def _on_loop(self, function, *args):
        result = self.run(self._guarded, function, *args)
        if isinstance(result, StreamError):
            raise result
        if result is None:  # CMS has ended (LOGOFF, re-IPL)
            raise StreamError("CMS is not available")
        return result

    @staticmethod
    def _guarded(function, *args):
        """Errors come back as values: the loop bridge need not carry them."""
        try:
            value = function(*args)
        except StreamError as error:
            return error
        except CMSError as error:
            return StreamError(error.text)
        return value

    def _found(self, key: str):
        fn, ft, fm = key.split()
        found = self.cms.disks.find(fn, ft, fm)
        return found[0] if found else None

    def _read(self, key: str) -> str:
        found = self._found(key)
        if found is None:
            raise StreamError(f"File {key} not found")
        records = found.acc.disk.read_file(found.fst.fn, found.fst.ft)
        return "".join(from_ebcdic(record) + LINE_END for record in records)

    def _write(self, key: str, text: str) -> str:
        fn, ft, fm = key.split()
        found = self._found(key) if fm == "*" or len(fm) == 1 else None
        if fm == "*":
            letter, number = (found.acc.mode, found.fst.mode_number) if found else ("A", 1)
        else:
            letter, number = split_mode(fm)
        acc = self.cms.disks.writable(letter)
        fst = acc.disk.lookup(fn, ft)
        lines = text.split(LINE_END)
        if lines and lines[-1] == "":
            lines.pop()
        if not lines:
            if fst is not None:
                acc.disk.erase(fn, ft)  # a CMS file has at least one record
            return "written"
        recfm = fst.recfm if fst else "V"
        lrecl = fst.lrecl if fst and recfm == "F" else None
        records = [self._record(line, lrecl, key) for line in lines]
        mode_number = number if number is not None else (fst.mode_number if fst else 1)
        acc.disk.write_file(fn, ft, records, recfm, lrecl, mode_number)
        return "written"

    @staticmethod
    def _record(line: str, lrecl: int | None, key: str) -> bytes:
        data = to_ebcdic(line)
        if lrecl is None:
            return data or to_ebcdic(" ")
        if len(data) > lrecl:
            raise StreamError(f"Record longer than LRECL {lrecl} of {key}")
        return data.ljust(lrecl, to_ebcdic(" "))

    def _query(self, key: str) -> StreamInfo:
        found = self._found(key)
        if found is None:
            raise StreamError(f"File {key} not found")
        fst = found.fst
        size = fst.nbytes + fst.records  # the characters CHARIN reads
        return StreamInfo(size, _stamp_seconds(fst.stamp), found.fileid)


def _stamp_seconds(stamp: str) -> float:
    """An FST's yyyymmddhhmmss (local time) as seconds since the epoch."""
    try:
        parsed = time.strptime(stamp, "%Y%m%d%H%M%S")
    except ValueError:
        return 0.0
    return time.mktime(parsed)
