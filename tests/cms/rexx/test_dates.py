"""DATE and TIME beyond what Regina 3.6 has (its conversions of fixed dates
are compared in programs/date_time_convert.rexx): the z/VM formats Julian and
Ticks, TIME('O'), conversions that depend on today, separators, and the
ANSI errors."""

from __future__ import annotations

import datetime

import pytest

from cms.rexx import Interpreter


def run_at(lines, when: datetime.datetime):
    out, err = [], []
    interp = Interpreter(lines, output=out.append, trace_output=err.append)
    stamp = when.timestamp()
    interp.clock = lambda: stamp
    result = interp.run()
    return out, result


NOW = datetime.datetime(2026, 3, 5, 14, 7, 9, 123456)


def test_time_offset_is_local_minus_utc_in_microseconds():
    out, _ = run_at(["say time('O')"], NOW)
    offset = NOW.astimezone().utcoffset()
    assert out == [str(int(offset.total_seconds()) * 1000000)]


def test_ticks_of_date_and_time():
    out, _ = run_at(
        [
            "say date('T') time('T') date('T', '19700102', 'S')",
            "numeric digits 12",
            "say time('N', date('T') + 3661, 'T') date('S', time('T'), 'T')",
        ],
        NOW,
    )
    midnight = (NOW.date() - datetime.date(1970, 1, 1)).days * 86400
    assert out == [f"{midnight} {midnight + 14 * 3600 + 7 * 60 + 9} 86400", "01:01:01 20260305"]


@pytest.mark.parametrize(
    "call, expected",
    [
        ("date('S', '26064', 'J')", "20260305"),
        ("date('J', '20251231', 'S')", "25365"),
        ("date('S', '64', 'D')", "20260305"),  # this year's day 64
        ("date('S', '1', 'C')", "20000101"),  # this century's day 1
        ("date('S', '01/01/76', 'E')", "20760101"),  # 50 years ahead at most
        ("date('S', '01/01/77', 'E')", "19770101"),  # else up to 49 back
        ("date('S', '76/12/31', 'O')", "20761231"),
        ("date('S', '12/31/77', 'U')", "19771231"),
        ("date('S', '2026-03-07', 'S', , '-')", "20260307"),
        ("date('S', '20260307', 'S', '-')", "2026-03-07"),
        ("date('E', '20260307', 'S', '')", "070326"),
        ("date('U', '20260307', 'S', '.')", "03.07.26"),
        ("date('N', '20260307', 'S', '_')", "7_Mar_2026"),
        ("date('O', '26.03.07', 'O', '', '.')", "260307"),
        ("date('N', '7Mar2026', 'N', , '')", "7 Mar 2026"),
        ("date('L', '20260307', 'S')", "7 March 2026"),
        ("date('N', '0', 'B')", "1 Jan 0001"),
        ("date('B', '1 Jan 0001')", "0"),
        ("date('C', '0', 'B')", "1"),
        ("date('B', date('T', '20650101', 'S'), 'T')", "753861"),
        ("date('S', '-86400', 'T')", "19691231"),
        ("date('B', '20260307', 'S', '-')", "ERROR 40"),  # B has no separator
        ("date('S', '2026/03/07', 'S', , '1')", "ERROR 40"),  # a digit is no separator
        ("date('S', 'March', 'M')", "ERROR 40"),
        ("time('E', '13:00:00')", "ERROR 40"),  # ANSI: no input for E, R, O
        ("time('R', '13:00:00')", "ERROR 40"),
        ("time('O', '13:00:00')", "ERROR 40"),
        ("time('N', '13:04:05', 'E')", "ERROR 40"),
    ],
)
def test_conversions(call, expected):
    out, _ = run_at(
        [
            "say try(" + repr(call).replace("\\'", "''") + ")",
            "exit",
            "try: procedure",
            "signal on syntax",
            "interpret 'r =' arg(1)",
            "return r",
            "syntax: return 'ERROR' rc",
        ],
        NOW,
    )
    assert out == [expected]


def test_one_time_stamp_per_clause():
    out = []
    interp = Interpreter(
        ["say (time('L') == time('L')) (date('T') == date('T'))"], output=out.append
    )
    interp.run()
    assert out == ["1 1"]
