"""Helpers for tests that IPL a standalone S/370 program (assembled with
s390.asm) from the virtual reader of a logged-on user and drive it with CP
commands (BEGIN, TRACE, ADSTOP, DISPLAY) from a line terminal."""

from __future__ import annotations

import asyncio

from s390.asm import assemble
from s390.asm.ipldeck import build_ipl_deck
from s390.ebcdic import to_ebcdic
from tests.cp.cpkit import command, logon, make_system

GUEST_DIRECT = """\
USER GUEST GUESTPW 1M 2M G
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
 SPOOL 00D 2540 PUNCH A
 SPOOL 00E 1403 A
"""


def ipl_deck(source: str) -> list[bytes]:
    assert all(len(x) <= 71 for x in source.splitlines()), "column 72 would make a continuation"
    result = assemble(source)
    assert result.rc == 0, "\n".join(result.listing)
    return build_ipl_deck([result.deck]).cards


def card(text: str) -> bytes:
    return to_ebcdic(text.ljust(80))


def ipled(tmp_path, source: str, data=(), direct: str = GUEST_DIRECT):
    """A system whose GUEST has ``source`` IPLed with STOP (BEGIN starts it);
    returns (system, vm, terminal, session)."""
    system = make_system(tmp_path, direct)
    deck = ipl_deck(source) + [card(t) for t in data]
    system.spool.add_closed("OPERATOR", "PUN", [(0x01, c) for c in deck], owner="GUEST")
    terminal, session = logon(system, "GUEST")
    command(session, terminal, "IPL 00C STOP")
    return system, system.find_user("GUEST"), terminal, session


async def wait_stopped(vm, timeout: float = 10.0) -> None:
    """Until CP has the VM (CP READ): a disabled wait, a TRACE or ADSTOP stop."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while vm.running and loop.time() < end:
        await asyncio.sleep(0.001)
    assert not vm.running, "the guest did not stop"


def machine_state(vm, skip=()) -> dict:
    """What a program computed: PSW, registers, storage (minus ``skip``
    ranges, e.g. the interval timer at X'50' that counts real time)."""
    cpu = vm.cpu
    mem = bytearray(cpu.mem)
    for start, end in skip:
        mem[start:end] = bytes(end - start)
    return {
        "psw": cpu.get_psw().hex(),
        "gpr": list(cpu.gpr),
        "fpr": list(cpu.fpr),
        "mem": bytes(mem),
    }


#: GUEST with a 191 minidisk (the programs that write a block there).
DISK_GUEST_DIRECT = """\
USER GUEST GUESTPW 1M 2M G
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
 SPOOL 00D 2540 PUNCH A
 SPOOL 00E 1403 A
 MDISK 191 3370 0 100 GSTVOL W
"""


#: Copies every data card behind the deck to the punch and the printer, writes
#: the first one to block 5 of the 191 minidisk, says HELLO and stops with a
#: disabled wait PSW whose address is 256 times the number of cards copied.
COPY_PROGRAM = """\
COPY     CSECT
         BALR  12,0
         USING *,12
         MVC   120(8,0),IONEW          I/O new PSW: continue at AFTERIO
         SR    9,9                     cards copied
         LA    2,X'009'
         LA    3,CCWHELLO
         BAL   14,DOIO
LOOP     LA    2,X'00C'
         LA    3,CCWREAD
         BAL   14,DOIO
         TM    68(0),X'01'             unit exception: EOF
         BO    DONE
         LA    9,1(9)
         LA    2,X'00D'
         LA    3,CCWPUN
         BAL   14,DOIO
         LA    2,X'00E'
         LA    3,CCWPRT
         BAL   14,DOIO
         C     9,=F'1'
         BNE   LOOP
         MVC   BLOCK(80),CARD          first card to disk
         LA    2,X'191'
         LA    3,CCWFBA
         BAL   14,DOIO
         B     LOOP
DONE     SLL   9,8                     count x 256: an even address
         ST    9,OKPSW+4
         LPSW  OKPSW
DOIO     ST    3,72(0)                 CAW (key 0)
         SIO   0(2)
         BC    7,FAIL
         LPSW  WAITPSW                 wait for the I/O interruption
AFTERIO  BR    14
FAIL     LPSW  BADPSW
         DS    0D
IONEW    DC    X'00000000',A(AFTERIO)
WAITPSW  DC    X'FE020000',X'00000000'
OKPSW    DC    X'00020000',X'00000000'
BADPSW   DC    X'00020000',X'00000BAD'
CCWHELLO CCW   X'09',HELLO,X'20',5
CCWREAD  CCW   X'02',CARD,X'20',80
CCWPUN   CCW   X'01',CARD,X'20',80
CCWPRT   CCW   X'09',CARD,X'20',80
CCWFBA   CCW   X'63',EXTENT,X'40',16
         CCW   X'43',LOCATE,X'40',8
         CCW   X'41',BLOCK,X'00',512
EXTENT   DC    X'00000200',F'0',F'0',F'99'
LOCATE   DC    X'01000001',F'5'
HELLO    DC    C'HELLO'
         LTORG
CARD     DS    CL80
BLOCK    DC    512X'00'
         END   COPY
"""


#: Prints and punches every data card, then waits with the PSW address in WAITADDR.
LIST_PROGRAM = """\
LIST     CSECT
         BALR  12,0
         USING *,12
         MVC   120(8,0),IONEW
LOOP     LA    2,X'00C'
         LA    3,CCWREAD
         BAL   14,DOIO
         TM    68(0),X'01'
         BO    DONE
         LA    2,X'00E'
         LA    3,CCWPRT
         BAL   14,DOIO
         LA    2,X'00D'
         LA    3,CCWPUN
         BAL   14,DOIO
         LA    2,X'009'
         LA    3,CCWCON
         BAL   14,DOIO
         B     LOOP
DONE     LPSW  ENDPSW
DOIO     ST    3,72(0)
         SIO   0(2)
         BC    7,FAIL
         LPSW  WAITPSW
AFTERIO  BR    14
FAIL     LPSW  BADPSW
         DS    0D
IONEW    DC    X'00000000',A(AFTERIO)
WAITPSW  DC    X'FE020000',X'00000000'
ENDPSW   DC    X'00020000',X'00&ADDR'
BADPSW   DC    X'00020000',X'00000BAC'
CCWREAD  CCW   X'02',CARD,X'20',80
CCWPRT   CCW   X'11',CARD,X'20',80
CCWPUN   CCW   X'01',CARD,X'20',80
CCWCON   CCW   X'09',CARD,X'20',20
CARD     DS    CL80
         END   LIST
"""


#: Waits enabled for external interruptions; the external new PSW stops it at 0.
EXT_PROGRAM = """\
EXTW     CSECT
         BALR  12,0
         USING *,12
         MVC   88(8,0),EXTNEW
         LCTL  0,0,CR0                 only the interrupt-key subclass
         LPSW  WAITPSW
CR0      DC    X'00000040'
         DS    0D
EXTNEW   DC    X'00020000',X'00000000'
WAITPSW  DC    X'01020000',X'00000000'
         END   EXTW
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
