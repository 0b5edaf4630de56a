"""CP TRACE must not change the traced program: every trace setting, with
RUN and with NORUN (continued with BEGIN after each stop), leaves the same
PSW, registers and storage as a run without TRACE, for programs that take
program checks they handle themselves, call SVCs, do console and printer
I/O, loop on branches, and take a CPU-timer external interruption."""

import pytest

from tests.cp.cpkit import command
from tests.cp.guestkit import ipled, machine_state, wait_stopped

#: Divides by zero twice; the program's own handler counts the checks,
#: keeps the code and resumes after the failing instruction.
ARITH = """\
ARITH    CSECT
         BALR  12,0
         USING *,12
         MVC   104(8,0),PGMNEW         program new PSW at X'68'
         LA    2,7
         SR    4,4
         LA    5,100
         SR    6,6
         M     4,=F'3'
         D     4,ZERO                  fixed-point divide: code 9
         LA    7,1(7)
         AR    5,2
         D     4,ZERO
         SLA   5,1
         LPSW  ENDPSW
PGMH     LA    6,1(6)
         MVC   SAVECODE(2),42(0)       the code in the program old PSW
         LPSW  40(0)                   resume after the instruction
         DS    0D
PGMNEW   DC    X'00000000',A(PGMH)
ENDPSW   DC    X'00020000',X'00000000'
ZERO     DC    F'0'
SAVECODE DC    H'0'
         LTORG
         END   ARITH
"""

#: SVC 12 taken by the program's SVC handler, then a BCT loop.
SVCS = """\
SVCS     CSECT
         BALR  12,0
         USING *,12
         MVC   96(8,0),SVCNEW          SVC new PSW at X'60'
         LA    2,3
         SVC   12
AGAIN    LA    3,7(3)
         BCT   2,AGAIN
         SVC   13
         LPSW  ENDPSW
SVCH     LA    8,1(8)
         LPSW  32(0)                   back to the SVC old PSW
         DS    0D
SVCNEW   DC    X'00000000',A(SVCH)
ENDPSW   DC    X'00020000',X'00000000'
         END   SVCS
"""

#: Three times: a line to the console and one to the printer, each waiting
#: for its I/O interruption.
IO = """\
IOPGM    CSECT
         BALR  12,0
         USING *,12
         MVC   120(8,0),IONEW
         LA    9,3
LOOP     LA    2,X'009'
         LA    3,CCWCONS
         BAL   14,DOIO
         LA    2,X'00E'
         LA    3,CCWPRT
         BAL   14,DOIO
         BCT   9,LOOP
         LPSW  OKPSW
DOIO     ST    3,72(0)
         SIO   0(2)
         BC    7,FAIL
         LPSW  WAITPSW
AFTERIO  MVC   LASTCSW(8),64(0)
         BR    14
FAIL     LPSW  BADPSW
         DS    0D
IONEW    DC    X'00000000',A(AFTERIO)
WAITPSW  DC    X'FE020000',X'00000000'
OKPSW    DC    X'00020000',X'00000000'
BADPSW   DC    X'00020000',X'00000BAD'
LASTCSW  DC    D'0'
CCWCONS  CCW   X'09',MSG,X'20',5
CCWPRT   CCW   X'09',MSG,X'20',5
MSG      DC    C'HELLO'
         END   IOPGM
"""

#: 21 taken branches in a BCT loop, a BXLE loop, a BALR call and return.
BRANCHES = """\
LOOPS    CSECT
         BALR  12,0
         USING *,12
         LA    2,21
AGAIN    AR    4,2
         BCT   2,AGAIN
         LA    6,0
         LA    8,4
         LA    9,40
NEXT     A     5,TABLE(6)
         BXLE  6,8,NEXT
         LA    15,SUB
         BALR  14,15
         LPSW  ENDPSW
SUB      LA    10,1(10)
         BR    14
         DS    0D
ENDPSW   DC    X'00020000',X'00000000'
TABLE    DC    11F'3'
         END   LOOPS
"""

#: Counts in a loop until the CPU timer runs out; the external handler
#: keeps the interruption code and stops.
TIMER = """\
EXTPGM   CSECT
         BALR  12,0
         USING *,12
         MVC   88(8,0),EXTNEW          external new PSW at X'58'
         LCTL  0,0,CR0                 only the CPU-timer subclass
         SPT   TIMER
         SSM   ENABLE                  external interruptions on
         SR    5,5
COUNT    LA    5,1(5)
         B     COUNT
EXTH     MVC   EXTCODE(2),134(0)       the interruption code
         LPSW  ENDPSW
         DS    0D
EXTNEW   DC    X'00000000',A(EXTH)
ENDPSW   DC    X'00020000',X'00000000'
TIMER    DC    X'0000000000003200'
CR0      DC    X'00000400'
ENABLE   DC    X'01'
EXTCODE  DC    H'0'
         END   EXTPGM
"""

PROGRAMS = {"ARITH": ARITH, "SVCS": SVCS, "IO": IO, "BRANCHES": BRANCHES, "TIMER": TIMER}
SETTINGS = [
    "SVC",
    "INSTRUCT",
    "BRANCH",
    "IO",
    "I/O",
    "PROGRAM",
    "EXTERNAL",
    "PRIV",
    "SIO",
    "CCW",
    "CSW",
    "ALL",
]
#: The interval timer at X'50' counts real time while a VM waits.
SKIP = [(0x50, 0x54)]
MAX_STOPS = 2000


async def run(tmp_path, source, trace=None):
    """IPL, set TRACE, BEGIN (again after each TRACE stop) until the
    program's disabled wait; the machine state and the lines shown."""
    from s390.cpu import EXIT_DISABLED_WAIT

    tmp_path.mkdir()
    system, vm, t, s = ipled(tmp_path, source)
    try:
        if trace is not None:
            assert command(s, t, f"TRACE {trace}") == ["TRACE STARTED"]
        for _ in range(MAX_STOPS):
            command(s, t, "BEGIN")
            await wait_stopped(vm)
            if vm.stopped_reason == EXIT_DISABLED_WAIT:
                return machine_state(vm, SKIP), list(t.lines)
        raise AssertionError(f"more than {MAX_STOPS} stops")
    finally:
        system.shutdown()


@pytest.mark.parametrize("mode", ["RUN", "NORUN"])
@pytest.mark.parametrize("setting", SETTINGS)
@pytest.mark.parametrize("name", PROGRAMS)
async def test_trace_leaves_the_program_unchanged(tmp_path, name, setting, mode):
    source = PROGRAMS[name]
    untraced, _ = await run(tmp_path / "plain", source)
    traced, lines = await run(tmp_path / "traced", source, f"{setting} {mode}")
    assert traced["psw"] == untraced["psw"]
    assert traced["gpr"] == untraced["gpr"]
    assert traced["fpr"] == untraced["fpr"]
    assert traced["mem"] == untraced["mem"]
    assert not any(x.startswith("DMK") and "CP ENTERED" not in x for x in lines)


async def test_the_programs_end_as_written(tmp_path):
    """The reference runs themselves do what the programs say."""
    state, _ = await run(tmp_path / "a", ARITH)
    assert state["gpr"][6] == 2 and state["psw"].endswith("000000")
    state, _ = await run(tmp_path / "t", TIMER)
    assert state["gpr"][5] > 10
    state, lines = await run(tmp_path / "i", IO)
    assert lines.count("HELLO") == 3 and state["gpr"][9] == 0
    state, _ = await run(tmp_path / "s", SVCS)
    assert state["gpr"][8] == 2
