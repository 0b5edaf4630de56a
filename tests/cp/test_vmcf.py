"""VMCF (DIAGNOSE X'68'): a service machine running an S/370 program
AUTHORIZEs for SMSG, takes the external interruption X'4001' for each SMSG a
user sends and answers it with MSG; two machines SEND/RECV and REPLY."""

from __future__ import annotations

import asyncio

import pytest

from tests.cp.cpkit import command, logon, make_system
from tests.cp.guestkit import SERVICE_MACHINE, ipl_deck

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


async def until(predicate, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate() and loop.time() < end:
        await asyncio.sleep(0.005)
    assert predicate()


async def service_machine(tmp_path):
    system = make_system(tmp_path, VMCF_DIRECT)
    system.spool.add_closed(
        "OPERATOR", "PUN", [(0x01, c) for c in ipl_deck(SERVICE_MACHINE)], owner="SVM"
    )
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


VMCF_PAIR_DIRECT = (
    VMCF_DIRECT
    + """\
USER BOB BOBPW 1M 2M G
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
"""
)

#: AUTHORIZE, then SEND/RECV 'PING' to SVM (message id 7) and wait for the
#: reply interruption; OK (wait code 0) when the reply buffer holds 'PONG'.
ASKER = """\
ASK      CSECT
         BALR  12,0
         USING *,12
         MVC   88(8,0),EXTNEW
         LA    2,AUTH
         DIAG  2,3,X'0068'
         LTR   3,3
         BNZ   FAIL
         LA    2,SENDRECV
         DIAG  2,3,X'0068'
         LTR   3,3
         BNZ   FAIL
WAIT     LPSW  WAITPSW
EXTINT   CLC   26(2,0),=X'4001'
         BNE   WAIT
         TM    HDR,X'80'               the reply arrived
         BNO   FAIL
         CLC   ANSWER(4),=C'PONG'
         BNE   FAIL
         LPSW  OKPSW
FAIL     LPSW  BADPSW
         DS    0D
EXTNEW   DC    X'00000000',A(EXTINT)
WAITPSW  DC    X'01020000',X'00000000'
OKPSW    DC    X'00020000',X'00000000'
BADPSW   DC    X'00020000',X'00000BAD'
AUTH     DC    X'00',X'00',H'0',F'0',CL8' '
         DC    A(HDR),F'40',F'0',F'0',XL8'00'
SENDRECV DC    X'00',X'00',H'3',F'7',CL8'SVM'
         DC    A(PING),F'4',A(ANSWER),F'4',XL8'00'
PING     DC    C'PING'
ANSWER   DC    CL4' '
         LTORG
HDR      DS    CL40
         END   ASK
"""

#: AUTHORIZE, wait for a SEND/RECV, RECEIVE its data, REPLY 'PONG' to 'PING'.
ANSWERER = """\
ANS      CSECT
         BALR  12,0
         USING *,12
         MVC   88(8,0),EXTNEW
         LA    2,AUTH
         DIAG  2,3,X'0068'
         LTR   3,3
         BNZ   FAIL
WAIT     LPSW  WAITPSW
EXTINT   CLC   26(2,0),=X'4001'
         BNE   WAIT
         CLC   HDR+2(2),=H'3'          a SEND/RECV
         BNE   FAIL
         MVC   RECV+4(12),HDR+4        its message id and sender
         MVC   REPLY+4(12),HDR+4
         LA    2,RECV
         DIAG  2,3,X'0068'
         LTR   3,3
         BNZ   FAIL
         CLC   DATA(4),=C'PING'
         BNE   FAIL
         LA    2,REPLY
         DIAG  2,3,X'0068'
         LTR   3,3
         BNZ   FAIL
         LPSW  OKPSW
FAIL     LPSW  BADPSW
         DS    0D
EXTNEW   DC    X'00000000',A(EXTINT)
WAITPSW  DC    X'01020000',X'00000000'
OKPSW    DC    X'00020000',X'00000000'
BADPSW   DC    X'00020000',X'00000BAD'
AUTH     DC    X'00',X'00',H'0',F'0',CL8' '
         DC    A(HDR),F'40',F'0',F'0',XL8'00'
RECV     DC    X'00',X'00',H'5',F'0',CL8' '
         DC    F'0',F'0',A(DATA),F'4',XL8'00'
REPLY    DC    X'00',X'00',H'7',F'0',CL8' '
         DC    A(PONG),F'4',F'0',F'0',XL8'00'
PONG     DC    C'PONG'
DATA     DC    CL4' '
         LTORG
HDR      DS    CL40
         END   ANS
"""


async def test_send_recv_and_reply_between_two_s370_programs(tmp_path):
    system = make_system(tmp_path, VMCF_PAIR_DIRECT)
    for userid, source in (("SVM", ANSWERER), ("BOB", ASKER)):
        system.spool.add_closed(
            "OPERATOR", "PUN", [(0x01, c) for c in ipl_deck(source)], owner=userid
        )
    svm_terminal, svm_session = logon(system, "SVM")
    command(svm_session, svm_terminal, "IPL 00C")
    await until(lambda: system.vmcf.user("SVM") is not None)
    bob_terminal, bob_session = logon(system, "BOB")
    command(bob_session, bob_terminal, "IPL 00C")
    svm, bob = system.find_user("SVM"), system.find_user("BOB")
    await until(lambda: not svm.running and not bob.running)
    assert svm.cpu.get_psw()[5:8] == bytes(3), svm_terminal.lines  # wait address 0: OK
    assert bob.cpu.get_psw()[5:8] == bytes(3), bob_terminal.lines
    system.shutdown()


def test_diagnose_68_answers_bad_parameter_lists_with_return_codes(tmp_path):
    from cp.vmcf import (
        RC_BAD_ADDRESS,
        RC_BAD_FUNCTION,
        RC_NOT_AUTHORIZED,
        RC_TARGET_UNAVAILABLE,
    )

    system = make_system(tmp_path, VMCF_DIRECT)
    logon(system, "ALICE")
    vm = system.find_user("ALICE")
    mem = vm.cpu.mem

    def call(function: int, user: str = "", address: int = 0x2000) -> int:
        mem[address : address + 40] = (
            bytes(2)
            + function.to_bytes(2, "big")
            + bytes(4)
            + user.encode("cp037").ljust(8, b"\x40")
            + bytes(24)
        )
        return system.vmcf.diagnose(vm, address)

    assert call(4) == RC_BAD_FUNCTION
    assert call(5) == RC_NOT_AUTHORIZED
    assert call(2, "SVM") == RC_TARGET_UNAVAILABLE
    assert system.vmcf.diagnose(vm, 0x2004) == RC_BAD_ADDRESS  # not doubleword aligned
    assert system.vmcf.diagnose(vm, len(mem) - 8) == RC_BAD_ADDRESS
