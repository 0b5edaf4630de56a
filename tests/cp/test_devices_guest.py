"""Guest programs on the real S/370 CPU doing channel I/O through cp.channel:
read a deck from the virtual reader, print it with carriage control, punch it."""

from __future__ import annotations

import pytest

from cp import channel
from cp.devices import create_device
from cp.listing import render_listing
from s390.asm import assemble
from s390.ebcdic import card
from tests.cp.devkit import FakeSystem, FakeVM

cpu_module = pytest.importorskip("s390.cpu")
EXIT_IO, EXIT_DISABLED_WAIT = cpu_module.EXIT_IO, cpu_module.EXIT_DISABLED_WAIT

# Reads cards until end of file (unit exception), printing each one double
# spaced after skipping to a new page, and punching it.  After each SIO a
# TIO loop polls the device: CC 2 while it works, CC 1 when it ended (the
# withdrawn interruption's status is then in the CSW at X'40').
POLLING_GUEST = """
COPY     START X'400'
         BALR  12,0
         USING *,12
         MVC   72(4,0),CAWSKIP     CAW: skip to channel 1
         SIO   14(0)               immediate: CC 1
LOOP     MVC   72(4,0),CAWREAD
         SIO   12(0)               read a card
         BC    7,FAIL
TIORDR   TIO   12(0)
         BC    2,TIORDR
         TM    68(0),X'01'         unit exception: end of file
         BO    DONE
         TM    68(0),X'02'         unit check: no file
         BO    FAIL
         MVC   72(4,0),CAWPRT
         SIO   14(0)               print it, space 2
TIOPRT   TIO   14(0)
         BC    2,TIOPRT
         MVC   72(4,0),CAWPUN
         SIO   13(0)               punch it
TIOPUN   TIO   13(0)
         BC    2,TIOPUN
         B     LOOP
DONE     LPSW  OKPSW
FAIL     LPSW  BADPSW
         DS    0D
OKPSW    DC    X'0002000000000000'
BADPSW   DC    X'000200000000BAD0'
SKIPCCW  DC    X'8B',AL3(0),X'20',X'00',AL2(1)
READCCW  DC    X'02',AL3(BUF),X'00',X'00',AL2(80)
PRTCCW   DC    X'11',AL3(BUF),X'20',X'00',AL2(80)
PUNCCW   DC    X'01',AL3(BUF),X'00',X'00',AL2(80)
CAWSKIP  DC    A(SKIPCCW)
CAWREAD  DC    A(READCCW)
CAWPRT   DC    A(PRTCCW)
CAWPUN   DC    A(PUNCCW)
BUF      DS    CL80
         END
"""


def load_guest(vm, source: str) -> None:
    asm = assemble(source)
    assert asm.rc == 0, "\n".join(asm.listing)
    vm.cpu.mem[0x400 : 0x400 + len(asm.text)] = asm.text
    vm.cpu.load_psw(bytes.fromhex("0000000000000400"))


def run_guest(vm, limit: int = 200) -> int:
    """Run until a disabled wait; I/O exits go to cp.channel as CP does."""
    for _ in range(limit):
        reason = vm.cpu.run(10_000)
        if reason == EXIT_IO:
            channel.start_io(vm, vm.cpu.exit_opcode, vm.cpu.exit_addr)
        elif reason == EXIT_DISABLED_WAIT:
            return int.from_bytes(vm.cpu.get_psw()[4:8], "big") & 0xFFFFFF
    raise AssertionError("the guest did not stop")


@pytest.fixture
def guest(tmp_path):
    system = FakeSystem(tmp_path / "spool")
    vm = FakeVM("GUEST", system)
    vm.cpu = cpu_module.CPU(storage_size=64 * 1024)
    for kind, vaddr in (("2540R", 0x00C), ("2540P", 0x00D), ("1403", 0x00E)):
        vm.devices[vaddr] = create_device(kind, vaddr, vm)
    return vm


def test_guest_copies_its_reader_deck_to_printer_and_punch_polling_with_tio(guest):
    deck = [card("FIRST CARD"), card("SECOND CARD"), card("THIRD CARD")]
    guest.system.spool.add_closed("OPERATOR", "PUN", [(0x01, c) for c in deck], owner="GUEST")
    load_guest(guest, POLLING_GUEST)
    assert run_guest(guest) == 0
    printer, punch = guest.devices[0x00E], guest.devices[0x00D]
    listing = render_listing(guest.system.spool.records(printer.file))
    assert listing.splitlines() == ["FIRST CARD", "", "SECOND CARD", "", "THIRD CARD"]
    assert [c for _, c in guest.system.spool.records(punch.file)] == deck
    assert guest.system.spool.reader_files("GUEST") == []  # read, so purged


def test_guest_without_a_reader_file_sees_intervention_required(guest):
    load_guest(guest, POLLING_GUEST)
    assert run_guest(guest) == 0xBAD0


INTERRUPT_GUEST = """
INTR     START X'400'
         BALR  12,0
         USING *,12
         MVC   120(8,0),IONEW      I/O new PSW: continue at GOTIO
         MVC   72(4,0),CAWREAD
         SIO   12(0)
         BC    7,FAIL
         LPSW  WAITPSW             enabled wait for the interruption
GOTIO    CLC   58(2,0),=X'000C'    old PSW code: device
         BNE   FAIL
         TM    68(0),X'0C'         channel end and device end
         BNO   FAIL
         LPSW  OKPSW
FAIL     LPSW  BADPSW
         DS    0D
IONEW    DC    X'0000000000',AL3(GOTIO)
WAITPSW  DC    X'FE02000000000000'
OKPSW    DC    X'0002000000000000'
BADPSW   DC    X'000200000000BAD0'
READCCW  DC    X'02',AL3(BUF),X'00',X'00',AL2(80)
CAWREAD  DC    A(READCCW)
BUF      DS    CL80
         LTORG
         END
"""


def test_guest_takes_the_io_interruption_of_its_read(guest):
    guest.system.spool.add_closed("OPERATOR", "PUN", [(0x01, card("INTERRUPT"))], owner="GUEST")
    load_guest(guest, INTERRUPT_GUEST)
    for _ in range(50):
        reason = guest.cpu.run(10_000)
        if reason == EXIT_IO:
            channel.start_io(guest, guest.cpu.exit_opcode, guest.cpu.exit_addr)
        elif reason == EXIT_DISABLED_WAIT:
            break
    assert int.from_bytes(guest.cpu.get_psw()[4:8], "big") & 0xFFFFFF == 0
    assert bytes(guest.cpu.mem[0x400:0x2000]).find(card("INTERRUPT")) > 0


# Writes block 7 of its FBA minidisk 191, reads it back elsewhere, compares.
FBA_GUEST = """
FBAIO    START X'400'
         BALR  12,0
         USING *,12
         MVC   72(4,0),CAWWRITE
         SIO   X'191'(0)
         BC    7,FAIL
TIOW     TIO   X'191'(0)
         BC    2,TIOW
         CLI   68(0),X'0C'         channel end + device end only
         BNE   FAIL
         MVC   72(4,0),CAWREAD
         SIO   X'191'(0)
         BC    7,FAIL
TIOR     TIO   X'191'(0)
         BC    2,TIOR
         CLI   68(0),X'0C'
         BNE   FAIL
         CLC   OUT(256),IN
         BNE   FAIL
         CLC   OUT+256(256),IN+256
         BNE   FAIL
         LPSW  OKPSW
FAIL     LPSW  BADPSW
         DS    0D
OKPSW    DC    X'0002000000000000'
BADPSW   DC    X'000200000000BAD0'
WRITE    DC    X'63',AL3(EXTENT),X'40',X'00',AL2(16)
         DC    X'43',AL3(LOCW),X'40',X'00',AL2(8)
         DC    X'41',AL3(OUT),X'00',X'00',AL2(512)
READ     DC    X'63',AL3(EXTENT),X'40',X'00',AL2(16)
         DC    X'43',AL3(LOCR),X'40',X'00',AL2(8)
         DC    X'42',AL3(IN),X'00',X'00',AL2(512)
EXTENT   DC    X'C000',H'512',F'0',F'0',F'99'
LOCW     DC    X'0100',H'1',F'7'
LOCR     DC    X'0600',H'1',F'7'
CAWWRITE DC    A(WRITE)
CAWREAD  DC    A(READ)
OUT      DC    128C'ABCD'
IN       DC    512X'00'
         END
"""


def test_guest_writes_and_reads_back_a_minidisk_block(guest, tmp_path):
    from cp.minidisk import Minidisk

    disk = Minidisk.create(tmp_path / "191.img", 100)
    guest.devices[0x191] = create_device("3370", 0x191, guest, minidisk=disk)
    load_guest(guest, FBA_GUEST)
    assert run_guest(guest) == 0
    assert disk.read_blocks(7) == b"\xc1\xc2\xc3\xc4" * 128
