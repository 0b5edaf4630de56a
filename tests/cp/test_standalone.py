"""A standalone S/370 guest (assembled with s390.asm) IPLed from the virtual reader,
doing real channel I/O to the console, reader, punch, printer and an FBA minidisk."""

import asyncio

from s390.ebcdic import from_ebcdic, to_ebcdic
from tests.cp.cpkit import command, logon, make_system
from tests.cp.guestkit import COPY_PROGRAM, card, ipl_deck, wait_stopped
from tests.cp.guestkit import DISK_GUEST_DIRECT as GUEST_DIRECT


async def test_standalone_guest_real_channel_io(tmp_path):
    system = make_system(tmp_path, GUEST_DIRECT)
    data = [card("FIRST DATA CARD"), card("SECOND CARD"), card("THIRD")]
    deck = ipl_deck(COPY_PROGRAM) + data
    system.spool.add_closed("OPERATOR", "PUN", [(0x01, c) for c in deck], owner="GUEST")
    terminal, session = logon(system, "GUEST")
    vm = system.find_user("GUEST")
    assert command(session, terminal, "IPL 00C") == []
    await wait_stopped(vm)
    assert "HELLO" in terminal.lines
    assert terminal.lines[-1] == "DMKDSP450W CP ENTERED; DISABLED WAIT PSW '00020000 80000300'"
    assert terminal.status == "CP READ"
    # the minidisk block written by the guest's FBA channel program
    block = vm.services.block_read(0x191, 5)
    assert from_ebcdic(block[:15]) == "FIRST DATA CARD"
    # punch and printer output reach the system queues when closed
    for vaddr in (0x00D, 0x00E):
        vm.devices[vaddr].close()
    punched = system.spool.punched()
    assert len(punched) == 1
    cards = punched[0].read_bytes()
    assert [cards[i : i + 80] for i in range(0, len(cards), 80)] == data
    listing = system.spool.listings()[-1].read_text()
    assert "FIRST DATA CARD" in listing and "THIRD" in listing
    # CP commands see the stopped guest
    assert command(session, terminal, "D PSW") == ["PSW = 00020000 80000300"]
    assert command(session, terminal, "INDICATE")[0].split()[2] != "SIO=000000"


async def test_begin_after_stop_and_reset(tmp_path):
    system = make_system(tmp_path, GUEST_DIRECT)
    deck = ipl_deck(COPY_PROGRAM) + [card("ONLY")]
    system.spool.add_closed("OPERATOR", "PUN", [(0x01, c) for c in deck], owner="GUEST")
    terminal, session = logon(system, "GUEST")
    vm = system.find_user("GUEST")
    command(session, terminal, "IPL 00C STOP")
    assert not vm.running and terminal.status == "CP READ"
    assert vm.cpu.get_psw()[5:8] == bytes(3)  # IPL STOP: the PSW is not loaded yet
    assert bytes(vm.cpu.mem[5:8]) == b"\x00\x10\x00"  # the IPL PSW at 0: start at X'1000'
    command(session, terminal, "BEGIN")
    await wait_stopped(vm)
    assert terminal.lines[-1].endswith("'00020000 80000100'")
    assert command(session, terminal, "SYSTEM CLEAR") == ["STORAGE CLEARED - SYSTEM RESET"]
    assert bytes(vm.cpu.mem[0x1000:0x1010]) == bytes(16)


#: Sets the clock comparator 20 ms ahead and waits for its external interruption.
CLOCK_PROGRAM = """\
CLOCK    CSECT
         BALR  12,0
         USING *,12
         MVC   88(8,0),EXTNEW          external new PSW at X'58'
         LCTL  0,0,CR0                 clock-comparator subclass mask
         STCK  NOW
         LM    4,5,NOW
         AL    5,=F'81920000'          20 ms (bit 51 = 1 us)
         BC    12,NOCARRY
         AL    4,=F'1'
NOCARRY  STM   4,5,WHEN
         SCKC  WHEN
         LPSW  WAITPSW
EXTDONE  LPSW  ENDPSW
         DS    0D
EXTNEW   DC    X'00000000',A(EXTDONE)
WAITPSW  DC    X'01020000',X'00000000'
ENDPSW   DC    X'00020000',X'00000000'
NOW      DS    D
WHEN     DS    D
CR0      DC    X'00000800'
         LTORG
         END   CLOCK
"""


async def test_waiting_guest_costs_nothing_and_its_timer_fires(tmp_path):
    system = make_system(tmp_path, GUEST_DIRECT)
    system.spool.add_closed(
        "OPERATOR", "PUN", [(0x01, c) for c in ipl_deck(CLOCK_PROGRAM)], owner="GUEST"
    )
    terminal, session = logon(system, "GUEST")
    vm = system.find_user("GUEST")
    loop = asyncio.get_running_loop()
    start = loop.time()
    command(session, terminal, "IPL 00C")
    await wait_stopped(vm, timeout=5)
    assert terminal.lines[-1].endswith("DISABLED WAIT PSW '00020000 80000000'")
    assert loop.time() - start >= 0.015  # it really waited for the clock
    assert vm.cpu.instructions < 100  # and executed nothing meanwhile


def fba_ccw(command: int, address: int, flags: int, count: int) -> bytes:
    return (
        bytes([command]) + address.to_bytes(3, "big") + bytes([flags, 0]) + count.to_bytes(2, "big")
    )


async def test_ipl_from_an_fba_minidisk_with_an_ipl_record(tmp_path):
    """IPL 191: READ IPL brings block 0 (IPL PSW + CCWs); the record re-reads
    the whole block, LOCATEs block 1 and READs the program, which writes to the
    3215 console and stops with a disabled wait."""
    cc, sli = 0x40, 0x20
    record = bytearray(512)
    record[0:8] = bytes.fromhex("0000000000000400")  # IPL PSW: X'400'
    record[8:16] = fba_ccw(0x02, 0x000, cc | sli, 512)  # READ IPL: all of block 0
    record[16:24] = fba_ccw(0x43, 0x100, cc, 8)  # LOCATE (parameters at X'100')
    record[24:32] = fba_ccw(0x42, 0x400, sli, 512)  # READ block 1 to X'400'
    record[0x100:0x108] = bytes([0x06, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01])
    program = bytearray(512)  # loaded at X'400'
    program[0x00:0x06] = bytes.fromhex("D2030048 04A0")  # MVC CAW,=A(CCW)
    program[0x06:0x0A] = bytes.fromhex("9C000009")  # SIO 009
    program[0x0A:0x0E] = bytes.fromhex("820004A8")  # LPSW WAITPSW
    program[0x80:0x88] = fba_ccw(0x09, 0x490, sli, 14)  # write, then carriage return
    program[0x90:0x9E] = to_ebcdic("HELLO FROM FBA")
    program[0xA0:0xA4] = (0x480).to_bytes(4, "big")
    program[0xA8:0xB0] = bytes.fromhex("0002000000000300")  # disabled wait at X'300'
    system = make_system(tmp_path, GUEST_DIRECT)
    terminal, session = logon(system, "GUEST")
    vm = system.find_user("GUEST")
    vm.services.block_write(0x191, 0, bytes(record))
    vm.services.block_write(0x191, 1, bytes(program))
    assert command(session, terminal, "IPL 191") == []
    await wait_stopped(vm)
    assert "HELLO FROM FBA" in terminal.lines
    assert terminal.lines[-1] == "DMKDSP450W CP ENTERED; DISABLED WAIT PSW '00020000 80000300'"
