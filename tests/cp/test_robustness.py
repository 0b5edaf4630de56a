"""Bad input gets CP's messages, never a traceback: any line, any user, any state."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cp.commands import table
from cp.terminal import LineTerminal
from tests.cp.cpkit import logon, make_system

WORDS = [c.name for c in table()] + [
    "Q",
    "D",
    "ST",
    "DEF",
    "DET",
    "T",
    "V",
    "ALL",
    "STOR",
    "LINKS",
    "TERM",
    "PSW",
    "G",
    "L0-10",
    "K",
    "X",
    "Y",
    "191",
    "00C",
    "009",
    "FFFFFF",
    "-1",
    "ON",
    "OFF",
    "PF99",
    "MAINT",
    "ALICE",
    "*",
    "AS",
    "RR",
    "MW",
    "PASS=",
    "PARM",
    "CLEAR",
    "STOP",
    "END",
    "RUN",
    "EMSG",
    "LINEND",
    "#",
    "@",
    "\u00a2",
    '"',
    "",
    "1M",
    "0K",
    "99999M",
    "ZZ",
    "STORE",
    "L1000",
    "C1C2",
    "PF",
    "PF12",
    "PF0",
    "IMMED",
    "DELAYED",
    "RETRIEVE",
    "MORE",
    "256",
    "USERID",
    "RDR",
    "PRIV",
    "READER",
    "FILES",
    "CONSOLE",
    "NOTERM",
    "START",
]


def lines():
    word = st.one_of(st.sampled_from(WORDS), st.text(max_size=6))
    return st.lists(word, max_size=6).map(" ".join)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(commands=st.lists(lines(), min_size=1, max_size=8))
def test_random_command_lines_never_raise(tmp_path_factory, commands):
    system = make_system(tmp_path_factory.mktemp("sys"))
    terminal, session = logon(system, "MAINT")
    other = LineTerminal()
    before_logon = system.connect(other)
    for line in commands:
        session.enter(line)  # may log off, disconnect or shut down: all fine
        before_logon.enter(line)
    log = system.path / "log" / "system.log"
    assert "COMMAND FAILED" not in (log.read_text() if log.exists() else "")
