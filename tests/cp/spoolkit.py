"""A System with three spool users (OPERATOR, ALICE, BOB: reader, punch,
printer) for tests of the spool inside a running system.
"""

from __future__ import annotations

from cp.system import System

DIRECT = """\
USER OPERATOR OPERATORPW 1M 2M ABCDG
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
USER ALICE ALICEPW 1M 4M G
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
 SPOOL 00D 2540 PUNCH A
 SPOOL 00E 1403 A
USER BOB BOBPW 1M 4M G
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
 SPOOL 00D 2540 PUNCH A
 SPOOL 00E 1403 A
"""


def make_system(path) -> System:
    (path / "user.direct").write_text(DIRECT)
    return System(path, logon_delay=0.01, max_logon_delay=0.05)
