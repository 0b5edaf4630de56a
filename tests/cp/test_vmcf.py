"""VMCF (DIAGNOSE X'68'): a service machine running an S/370 program
AUTHORIZEs for SMSG, takes the external interruption X'4001' for each SMSG a
user sends and answers it with MSG; two machines SEND/RECV and REPLY."""
from __future__ import annotations

import asyncio

import pytest

from tests.cp.cpkit import command, logon, make_system
from tests.cp.guestkit import ipl_deck

pytest.importorskip("s390.cpu")

VMCF_DIRECT = """\
USER OPERATOR OPERATORPW 1M 2M AB
 CONSOLE 009 3215
USER SVM SVMPW 1M 2M G
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
USER ALICE ALICEPW 1M 2M G
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
"""

#: SET SMSG ON, AUTHORIZE with SMSG, then for each SMSG: MSG sender GOT text.
SERVICE_MACHINE = """\
SVM      CSECT
         BALR  12,0
         USING *,12
         MVC   88(8,0),EXTNEW          external new PSW at X'58'
         LA    2,SETSMSG
         LA    3,11
         DIAG  2,3,X'0008'             CP SET SMSG ON
         LA    2,AUTH
         DIAG  2,3,X'0068'             VMCF AUTHORIZE, SMSG accepted
         LTR   3,3
         BNZ   FAIL
WAIT     LPSW  WAITPSW
EXTINT   CLC   26(2,0),=X'4001'        external old PSW: the code
         BNE   WAIT                    (the interval timer's X'0080')
         TM    HDR,X'40'               a special message?
         BNO   WAIT
         MVC   TO(8),HDR+8             the sender
         L     4,HDR+16                the text's length
         BCTR  4,0
         EX    4,MOVETEXT
         LA    3,MSGLEN+1(4)
         LA    2,CMD
         DIAG  2,3,X'0008'             CP MSG sender GOT text
         B     WAIT
MOVETEXT MVC   TEXT(0),HDR+40
FAIL     LPSW  BADPSW
         DS    0D
EXTNEW   DC    X'00000000',A(EXTINT)
WAITPSW  DC    X'01020000',X'00000000'
BADPSW   DC    X'00020000',X'00000BAD'
AUTH     DC    X'40',X'00',H'0',F'0',CL8' '
         DC    A(HDR),F'200',F'0',F'0',XL8'00'
SETSMSG  DC    C'SET SMSG ON'
CMD      DC    C'MSG '
TO       DC    CL8' '
         DC    C' GOT '
TEXT     DS    CL140
MSGLEN   EQU   TEXT-CMD
         LTORG
HDR      DS    CL200
         END   SVM
"""


async def until(predicate, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate() and loop.time() < end:
        await asyncio.sleep(0.005)
    assert predicate()


async def service_machine(tmp_path):
    system = make_system(tmp_path, VMCF_DIRECT)
    system.spool.add_closed("OPERATOR", "PUN", [(0x01, c) for c in ipl_deck(SERVICE_MACHINE)],
                            owner="SVM")
    terminal, session = logon(system, "SVM")
    command(session, terminal, "IPL 00C")
    await until(lambda: system.vmcf.user("SVM") is not None)
    return system


async def test_smsg_reaches_a_vmcf_service_machine_that_answers(tmp_path):
    system = await service_machine(tmp_path)
    terminal, session = logon(system, "ALICE")
    assert command(session, terminal, "SMSG SVM HELLO THERE") == []
    await until(lambda: any("GOT HELLO THERE" in line for line in terminal.lines))
    assert command(session, terminal, "SMSG SVM AGAIN") == []
    await until(lambda: any("GOT AGAIN" in line for line in terminal.lines))
    line = next(line for line in terminal.lines if "GOT AGAIN" in line)
    assert line.endswith("MSG FROM SVM     : GOT AGAIN")
    system.shutdown()


async def test_many_smsgs_are_presented_one_at_a_time(tmp_path):
    system = await service_machine(tmp_path)
    terminal, session = logon(system, "ALICE")
    for n in range(5):
        command(session, terminal, f"SMSG SVM N{n}")
    await until(lambda: sum("MSG FROM SVM" in line for line in terminal.lines) == 5)
    answers = [line.split(": ", 1)[1] for line in terminal.lines if "MSG FROM SVM" in line]
    assert answers == [f"GOT N{n}" for n in range(5)]
    system.shutdown()


async def test_smsg_to_a_machine_without_vmcf_keeps_the_cp_rules(tmp_path):
    system = make_system(tmp_path, VMCF_DIRECT)
    logon(system, "SVM")
    terminal, session = logon(system, "ALICE")
    assert command(session, terminal, "SMSG SVM HI") == ["DMKMSG057E SVM NOT RECEIVING; SMSG OFF"]
    system.shutdown()
