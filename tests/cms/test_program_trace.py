"""CP TRACE on programs CMS runs (LOAD (START, START, a MODULE): every trace
setting, with RUN and with NORUN continued by BEGIN, leaves the program's
output, abend messages and return code as they are without TRACE, and the
trace lines tell what happened (an SVC 202, a divide exception)."""

import asyncio

import pytest

from tests.cms.cmskit import User, make_cms_system

#: Sums a table with BXLE and counts with BCT; returns the sum (63) in R15.
SUM = """
SUM      CSECT
         BALR  12,0
         USING *,12
         SR    15,15
         LA    6,0
         LA    8,4
         LA    9,20
NEXT     A     15,TABLE(6)
         BXLE  6,8,NEXT
         LA    2,7
AGAIN    AR    15,2
         BCT   2,AGAIN
         BR    14
TABLE    DC    F'1',F'2',F'3',F'4',F'5',F'20'
         END   SUM
"""

#: Types a line, then divides by zero: CMS abends with 0C9.
DIVIDE = """
DIVIDE   CSECT
         BALR  12,0
         USING *,12
         WRTERM 'DIVIDING'
         SR    4,4
         LA    5,100
         D     4,ZERO
         BR    14
ZERO     DC    F'0'
         END   DIVIDE
"""

#: OS services: GETMAIN, WTO, FREEMAIN; returns 4.
OS = """
OSPGM    CSECT
         SAVE  (14,12)
         BALR  12,0
         USING *,12
         GETMAIN R,LV=4096
         LR    4,1
         MVC   0(5,4),=C'HEAP!'
         WTO   'WTO FROM A PROGRAM'
         WRTERM (4),5
         FREEMAIN R,LV=4096,A=(4)
         RETURN (14,12),RC=4
         LTORG
         END   OSPGM
"""

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
TRACE_LABELS = ("SVC ", "INSTR ", "BRANCH ", "PROG ", "EXT ", "IO INT ", "PRIV ", "I/O ")


def program_lines(lines):
    """What CMS and the program typed: no trace lines, no CPU times."""
    out = []
    for line in lines:
        if line.startswith(TRACE_LABELS):
            continue
        out.append(line.split(";")[0] if line.startswith("Ready") else line)
    return out


async def run(user, line, until, trace=None, limit=3000):
    """Enter ``line`` and BEGIN after every TRACE stop until a line starts
    with ``until``; the lines shown, and how many stops there were."""
    if trace is not None:
        response = await user.type(f"CP TRACE {trace}")
        assert not any(x.startswith("DMK") for x in response), response
    start = len(user.lines)
    user.session.enter(line)
    stops = 0
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60
    while True:
        shown = user.lines[start:]
        if any(x.startswith(until) for x in shown) and user.terminal.status != "CP READ":
            break
        if user.terminal.status == "CP READ":
            stops += 1
            assert stops < limit
            user.session.enter("BEGIN")
        assert loop.time() < deadline, "\n".join(user.lines[start:][-30:])
        await asyncio.sleep(0.001)
    shown = list(user.lines[start:])
    if trace is not None:
        await user.type("CP TRACE END")
    return shown, stops


@pytest.fixture
async def alice(tmp_path):
    system = make_cms_system(tmp_path)
    user = User(system, "ALICE", "ALICE")
    await user.cms()
    for name, source in (("SUM", SUM), ("DIVIDE", DIVIDE), ("OSPGM", OS)):
        await user.assemble(name, source)
    await user.type("ASSEMBLE HELLO")
    await user.type("LOAD SUM")
    await user.type("GENMOD SUM")
    yield user
    system.shutdown()


CASES = {
    "HELLO": ("LOAD HELLO (START", "Ready"),
    "SUM": ("LOAD SUM (START", "Ready"),
    "MODULE": ("SUM", "Ready"),
    "START": ("START", "Ready"),
    "DIVIDE": ("LOAD DIVIDE (START", "CMS"),
    "OS": ("LOAD OSPGM (START", "Ready"),
}


@pytest.mark.parametrize("mode", ["RUN", "NORUN"])
async def test_trace_leaves_programs_cms_runs_unchanged(alice, mode):
    untraced = {name: program_lines((await run(alice, *case))[0]) for name, case in CASES.items()}
    assert untraced["SUM"][-1] == untraced["MODULE"][-1] == untraced["START"][-1] == "Ready(00063)"
    assert "HELLO FROM CMS" in untraced["HELLO"]
    assert any(x.startswith("DMSABN148T SYSTEM ABEND 0C9") for x in untraced["DIVIDE"])
    assert untraced["OS"][-1] == "Ready(00004)" and "WTO FROM A PROGRAM" in untraced["OS"]
    for setting in SETTINGS:
        for name, case in CASES.items():
            shown, stops = await run(alice, *case, trace=f"{setting} {mode}")
            assert program_lines(shown) == untraced[name], (setting, name)
            if mode == "RUN":
                assert stops == 0


async def test_trace_svc_shows_the_svc_202_and_hello_runs(alice):
    shown, stops = await run(alice, "LOAD HELLO (START", "Ready", trace="SVC")
    svcs = [x for x in shown if x.startswith("SVC ")]
    assert svcs[0].startswith("SVC    AT 02") and svcs[0].endswith(" SVC   202")
    assert stops == len(svcs)  # NORUN: CP READ after each
    assert "HELLO FROM CMS" in shown


async def test_trace_program_shows_the_divide_exception(alice):
    shown, _ = await run(alice, "LOAD DIVIDE (START", "CMS", trace="PROGRAM RUN")
    prog = [x for x in shown if x.startswith("PROG ")]
    assert len(prog) == 1 and " D     " in prog[0] and " CODE 0009 " in prog[0]
    assert any(x.startswith("DMSITP141T FIXED-POINT DIVIDE EXCEPTION") for x in shown)


async def test_trace_instruct_stops_at_the_program_check(alice):
    shown, stops = await run(alice, "LOAD DIVIDE (START", "CMS", trace="INSTRUCT")
    assert stops > 5
    assert [x for x in shown if x.startswith("INSTR ")][-1].split()[4] == "D"
    assert any(x.startswith("DMSABN148T SYSTEM ABEND 0C9") for x in shown)
