"""DATE and TIME (TRL2 4.4; ANSI X3.274 "DATE", "TIME"; z/VM REXX/VM Reference).

``DATE([out [, date [, in [, outsep [, insep]]]]])`` and
``TIME([out [, time [, in]]])``: with only ``out`` they describe the clause's
time stamp (every call in one clause sees the same moment); with a date or
time they convert it from format ``in`` (default Normal) to ``out``.

DATE formats (the first letter counts):
  Base      days since 1 January 0001 (Gregorian calendar extended back)
  Century   day of the century, 1 January of the year ending 00 is 1
  Days      day of the year
  European  dd/mm/yy           Julian    yyddd (VM/SP and z/VM)
  Language  dd Month yyyy (an OS/2 extension)
  Month     English month name Normal    dd Mon yyyy
  Ordered   yy/mm/dd           Standard  yyyymmdd
  Ticks     seconds from 1 January 1970 00:00:00 to the date's midnight (z/VM)
  Usa       mm/dd/yy           Weekday   English day name
Input formats: B C D E J N O S T U (not L, M, W: they do not name one day).
A two-digit year is in the window of 49 years back to 50 ahead of the
current year (ANSI); Days and Century input count in the current year and
century.  The separators (z/VM, Object REXX): ``outsep`` replaces the
separator of an E, N, O, S or U result ('' for none), ``insep`` is the one
the input date uses.

TIME formats: Civil (h:mmam), Elapsed, Hours, Long (hh:mm:ss.uuuuuu),
Minutes, Normal (hh:mm:ss), Offset (local time minus UTC, in microseconds;
z/VM), Reset, Seconds, Ticks (seconds since 1970, z/VM).  Input formats:
C H L M N S T.  Elapsed, Reset and Offset take no input time (ANSI).

A date or time that does not fit its format is Error 40.
"""

from __future__ import annotations

import datetime as dt
import re

from .errors import RexxError

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
EPOCH = dt.date(1970, 1, 1)

DATE_OUTPUT = "BCDEJLMNOSTUW"
DATE_INPUT = "BCDEJNOSTU"
SEPARATED = "ENOSU"
DEFAULT_SEPARATOR = {"E": "/", "N": " ", "O": "/", "S": "", "U": "/"}
TIME_OUTPUT = "CEHLMNORST"
TIME_INPUT = "CHLMNST"


def _bad(name: str) -> RexxError:
    return RexxError(40, name)


def _letter(value, allowed: str, name: str) -> str:
    if value is None:
        return "N"
    if not value or value[0].upper() not in allowed:
        raise _bad(name)
    return value[0].upper()


def _separator(value, name: str) -> str | None:
    if value is None:
        return None
    if len(value) > 1 or (value and value.isalnum()):
        raise _bad(name)
    return value


# --- DATE ------------------------------------------------------------------------


def date_function(ex, args: list, now: dt.datetime) -> str:
    out = _letter(args[0] if args else None, DATE_OUTPUT, "DATE")
    given = args[1] if len(args) > 1 else None
    informat = args[2] if len(args) > 2 else None
    outsep = _separator(args[3] if len(args) > 3 else None, "DATE")
    insep = _separator(args[4] if len(args) > 4 else None, "DATE")
    if outsep is not None and out not in SEPARATED:
        raise _bad("DATE")
    if given is None:
        if informat is not None or insep is not None:
            raise _bad("DATE")
        day = now.date()
    else:
        source = _letter(informat, DATE_INPUT, "DATE")
        if insep is not None and source not in SEPARATED:
            raise _bad("DATE")
        day = parse_date(given, source, insep, now.date())
    return format_date(day, out, outsep)


def format_date(day: dt.date, out: str, separator: str | None = None) -> str:
    sep = DEFAULT_SEPARATOR.get(out, "") if separator is None else separator
    if out == "B":
        return str(day.toordinal() - 1)
    if out == "C":
        return str((day - _century_start(day.year)).days + 1)
    if out == "D":
        return str(day.timetuple().tm_yday)
    if out == "E":
        return f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year % 100:02d}"
    if out == "J":
        return f"{day.year % 100:02d}{day.timetuple().tm_yday:03d}"
    if out == "L":
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    if out == "M":
        return MONTHS[day.month - 1]
    if out == "N":
        return f"{day.day}{sep}{MONTHS[day.month - 1][:3]}{sep}{day.year:04d}"
    if out == "O":
        return f"{day.year % 100:02d}{sep}{day.month:02d}{sep}{day.day:02d}"
    if out == "S":
        return f"{day.year:04d}{sep}{day.month:02d}{sep}{day.day:02d}"
    if out == "T":
        return str((day - EPOCH).days * 86400)
    if out == "U":
        return f"{day.month:02d}{sep}{day.day:02d}{sep}{day.year % 100:02d}"
    return WEEKDAYS[day.weekday()]  # W


def _whole(text: str, digits: int | None = None) -> int:
    """A string of decimal digits (exactly ``digits`` of them if given)."""
    if not text.isascii() or not text.isdigit() or (digits is not None and len(text) != digits):
        raise _bad("DATE")
    return int(text)


def _window(two_digits: int, today: dt.date) -> int:
    """ANSI: the year ending in these digits from 49 years back to 50 ahead."""
    year = today.year - today.year % 100 + two_digits
    if year > today.year + 50:
        year -= 100
    elif year < today.year - 49:
        year += 100
    return year


def _make(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _bad("DATE") from None


def _parts(text: str, separator: str, count: int) -> list[str]:
    if separator:
        parts = text.split(separator)
    else:
        sizes = {3: (2, 2, 2)} if count == 3 else {}
        parts, at = [], 0
        for size in sizes.get(count, ()):
            parts.append(text[at : at + size])
            at += size
        if at != len(text):
            raise _bad("DATE")
    if len(parts) != count:
        raise _bad("DATE")
    return parts


def parse_date(text: str, source: str, separator: str | None, today: dt.date) -> dt.date:
    sep = DEFAULT_SEPARATOR.get(source, "") if separator is None else separator
    if source == "B":
        days = _whole(text.strip())
        if days > dt.date.max.toordinal() - 1:
            raise _bad("DATE")
        return dt.date.fromordinal(days + 1)
    if source == "T":
        ticks = text.strip()
        negative = ticks.startswith("-")
        seconds = _whole(ticks[1:] if negative else ticks)
        try:
            return EPOCH + dt.timedelta(days=(-seconds if negative else seconds) // 86400)
        except OverflowError:
            raise _bad("DATE") from None
    if source == "C":
        days = _whole(text.strip())
        start = _century_start(today.year)
        if not 1 <= days <= 36525:
            raise _bad("DATE")
        day = start + dt.timedelta(days=days - 1)
        if day.year // 100 != today.year // 100:
            raise _bad("DATE")
        return day
    if source == "D":
        days = _whole(text.strip())
        if not 1 <= days <= (366 if _leap(today.year) else 365):
            raise _bad("DATE")
        return dt.date(today.year, 1, 1) + dt.timedelta(days=days - 1)
    if source == "J":
        if len(text) != 5:
            raise _bad("DATE")
        year, days = _window(_whole(text[:2]), today), _whole(text[2:])
        if not 1 <= days <= (366 if _leap(year) else 365):
            raise _bad("DATE")
        return dt.date(year, 1, 1) + dt.timedelta(days=days - 1)
    if source == "N":
        return _parse_normal(text, sep)
    if source == "S":
        if sep:
            year, month, day = _parts(text, sep, 3)
            return _make(_whole(year, 4), _whole(month, 2), _whole(day, 2))
        if len(text) != 8:
            raise _bad("DATE")
        return _make(_whole(text[:4]), _whole(text[4:6]), _whole(text[6:]))
    first, second, third = _parts(text, sep, 3)
    a, b, c = _whole(first, 2), _whole(second, 2), _whole(third, 2)
    if source == "E":
        return _make(_window(c, today), b, a)
    if source == "U":
        return _make(_window(c, today), a, b)
    return _make(_window(a, today), b, c)  # O


def _parse_normal(text: str, sep: str) -> dt.date:
    if sep:
        parts = text.split(sep)
    else:
        match = re.fullmatch(r"(\d{1,2})([A-Za-z]{3})(\d{4})", text)
        if match is None:
            raise _bad("DATE")
        parts = list(match.groups())
    if len(parts) != 3:
        raise _bad("DATE")
    day, month, year = parts
    names = [m[:3] for m in MONTHS]
    if month not in names or not 1 <= len(day) <= 2:
        raise _bad("DATE")
    return _make(_whole(year, 4), names.index(month) + 1, _whole(day))


def _century_start(year: int) -> dt.date:
    return dt.date(max(1, year - year % 100), 1, 1)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# --- TIME ------------------------------------------------------------------------


def time_function(ex, args: list, stamp: float) -> str:
    out = _letter(args[0] if args else None, TIME_OUTPUT, "TIME")
    given = args[1] if len(args) > 1 else None
    informat = args[2] if len(args) > 2 else None
    if given is None:
        if informat is not None:
            raise _bad("TIME")
        if out in "ER":
            return _elapsed(ex, out, stamp)
        now = dt.datetime.fromtimestamp(stamp)
        if out == "O":
            return str(_utc_offset_microseconds(stamp))
        if out == "T":
            return str(int(stamp // 1) + _utc_offset_microseconds(stamp) // 1000000)
        return format_time(
            now.hour * 3600 + now.minute * 60 + now.second, now.microsecond, out, now.date()
        )
    if out in "ERO":
        raise _bad("TIME")
    source = _letter(informat, TIME_INPUT, "TIME")
    today = dt.datetime.fromtimestamp(stamp).date()
    seconds, micro, day = parse_time(given, source, today)
    return format_time(seconds, micro, out, day)


def _utc_offset_microseconds(stamp: float) -> int:
    local = dt.datetime.fromtimestamp(stamp).astimezone()
    offset = local.utcoffset() or dt.timedelta(0)
    return (offset.days * 86400 + offset.seconds) * 1000000 + offset.microseconds


def _elapsed(ex, out: str, stamp: float) -> str:
    """E and R: the routine's elapsed-time clock (TRL2: started by the
    first E or R call, R also resets it)."""
    frame = ex.frame
    if frame.elapsed is None:
        frame.elapsed = stamp
        elapsed = 0.0
    else:
        elapsed = stamp - frame.elapsed
    if out == "R":
        frame.elapsed = stamp
    return "0" if elapsed == 0 else f"{elapsed:.6f}"


def format_time(seconds: int, micro: int, out: str, day: dt.date) -> str:
    hour, minute, second = seconds // 3600, seconds // 60 % 60, seconds % 60
    if out == "N":
        return f"{hour:02d}:{minute:02d}:{second:02d}"
    if out == "C":
        return f"{hour % 12 or 12}:{minute:02d}{'am' if hour < 12 else 'pm'}"
    if out == "H":
        return str(hour)
    if out == "L":
        return f"{hour:02d}:{minute:02d}:{second:02d}.{micro:06d}"
    if out == "M":
        return str(hour * 60 + minute)
    if out == "T":
        return str((day - EPOCH).days * 86400 + seconds)
    return str(seconds)  # S


def _number(text: str, low: int, high: int) -> int:
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        raise _bad("TIME")
    return int(text)


TIME_N = re.compile(r"(\d\d):(\d\d):(\d\d)")
TIME_L = re.compile(r"(\d\d):(\d\d):(\d\d)\.(\d{6})")
TIME_C = re.compile(r"(\d{1,2}):(\d\d)(am|pm)")


def parse_time(text: str, source: str, today: dt.date) -> tuple[int, int, dt.date]:
    """(seconds since midnight, microseconds, the day) of a time in ``source``."""
    if source in "NL":
        match = (TIME_N if source == "N" else TIME_L).fullmatch(text)
        if match is None:
            raise _bad("TIME")
        hour, minute, second = (
            _number(match.group(i), 0, limit) for i, limit in ((1, 23), (2, 59), (3, 59))
        )
        micro = int(match.group(4)) if source == "L" else 0
        return hour * 3600 + minute * 60 + second, micro, today
    if source == "C":
        match = TIME_C.fullmatch(text)
        if match is None:
            raise _bad("TIME")
        hour, minute = _number(match.group(1), 1, 12), _number(match.group(2), 0, 59)
        hour = hour % 12 + (12 if match.group(3) == "pm" else 0)
        return hour * 3600 + minute * 60, 0, today
    if source == "H":
        return _number(text, 0, 23) * 3600, 0, today
    if source == "M":
        return _number(text, 0, 1439) * 60, 0, today
    if source == "S":
        return _number(text, 0, 86399), 0, today
    negative = text.startswith("-")  # T
    ticks = _number(text[1:] if negative else text, 0, 10**15)
    ticks = -ticks if negative else ticks
    try:
        day = EPOCH + dt.timedelta(days=ticks // 86400)
    except OverflowError:
        raise _bad("TIME") from None
    return ticks % 86400, 0, day
