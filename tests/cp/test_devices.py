"""The virtual devices answering their real CCWs through the channel."""

from __future__ import annotations

import pytest

from cp import channel
from cp.channel import ATTENTION, CE_DE, DEVICE_END, UNIT_CHECK, UNIT_EXCEPTION
from cp.devices import DeviceTypeError, couple, create_device
from cp.listing import block_letters, render_listing
from cp.minidisk import Minidisk
from s390.ebcdic import card, from_ebcdic, to_ebcdic
from tests.cp.devkit import FakeSystem, FakeVM, ccw, csw_fields, put_program

SIO, TIO = 0x9C00, 0x9D00
CD, CC, SLI = 0x80, 0x40, 0x20


def run(vm, devaddr, *ccws, at=0x800):
    """Start a program; return the condition code and the ending CSW (interrupt or stored)."""
    put_program(vm.cpu, at, *ccws)
    cc = channel.start_io(vm, SIO, devaddr)
    if cc == 1:
        return cc, csw_fields(bytes(vm.cpu.mem[0x40:0x48]))
    if vm.cpu.interrupts:
        return cc, csw_fields(vm.cpu.interrupts.pop()[1])
    return cc, None


@pytest.fixture
def system(tmp_path):
    return FakeSystem(tmp_path / "spool")


# ------------------------------------------------------------------ registry


def test_registry_builds_each_kind_with_its_type_and_class(tmp_path):
    vm = FakeVM(system=FakeSystem(tmp_path / "spool"))
    disk = Minidisk.create(tmp_path / "d.img", 16)
    made = {
        kind: create_device(kind, 0x100, vm, **opts)
        for kind, opts in [
            ("3215", {}),
            ("2540R", {}),
            ("3505", {}),
            ("2540P", {}),
            ("3525", {}),
            ("1403", {}),
            ("3370", {"minidisk": disk}),
            ("CTCA", {}),
            ("3270", {}),
            ("TIMER", {}),
        ]
    }
    assert {k: (d.devtype, d.devclass) for k, d in made.items()} == {
        "3215": ("3215", "CONS"),
        "2540R": ("2540R", "RDR"),
        "3505": ("3505", "RDR"),
        "2540P": ("2540P", "PUN"),
        "3525": ("3525", "PUN"),
        "1403": ("1403", "PRT"),
        "3370": ("3370", "DASD"),
        "CTCA": ("CTCA", "CTCA"),
        "3270": ("3270", "GRAF"),
        "TIMER": ("TIMER", "TIMER"),
    }
    assert create_device("2540", 0x00D, vm, role="PUNCH").devclass == "PUN"
    assert create_device("2540", 0x00C, vm, role="READER").devclass == "RDR"
    with pytest.raises(DeviceTypeError, match="DMKDEF026E"):
        create_device("7090", 0x100, vm)


# ------------------------------------------------------------------ FBA


@pytest.fixture
def fba(tmp_path):
    vm = FakeVM()
    disk = Minidisk.create(tmp_path / "fba.img", 100)
    vm.devices[0x191] = create_device("3370", 0x191, vm, minidisk=disk)
    return vm


def extent(offset=0, first=0, last=99, mask=0xC0):
    return (
        bytes([mask, 0])
        + (512).to_bytes(2, "big")
        + offset.to_bytes(4, "big")
        + first.to_bytes(4, "big")
        + last.to_bytes(4, "big")
    )


def locate(op, count, block):
    return bytes([op, 0]) + count.to_bytes(2, "big") + block.to_bytes(4, "big")


def fba_program(vm, op_ccw, loc, ext=None):
    vm.cpu.mem[0x100:0x110] = ext or extent()
    vm.cpu.mem[0x110:0x118] = loc
    return run(vm, 0x191, ccw(0x63, 0x100, CC, 16), ccw(0x43, 0x110, CC, 8), op_ccw)


def test_fba_write_then_read_two_blocks(fba):
    fba.cpu.mem[0x2000:0x2400] = b"\xc1" * 512 + b"\xc2" * 512
    cc, csw = fba_program(fba, ccw(0x41, 0x2000, 0, 1024), locate(0x01, 2, 7))
    assert cc == 0 and csw["unit"] == CE_DE and csw["chan"] == 0 and csw["count"] == 0
    assert fba.devices[0x191].read_blocks(7, 2) == b"\xc1" * 512 + b"\xc2" * 512
    cc, csw = fba_program(fba, ccw(0x42, 0x4000, 0, 1024), locate(0x06, 2, 7))
    assert (
        csw["unit"] == CE_DE and bytes(fba.cpu.mem[0x4000:0x4400]) == b"\xc1" * 512 + b"\xc2" * 512
    )


def test_fba_extent_offset_relocates_blocks(fba):
    fba.cpu.mem[0x2000:0x2200] = b"\xd9" * 512
    fba_program(fba, ccw(0x41, 0x2000, 0, 512), locate(0x01, 1, 2), extent(offset=50, last=9))
    assert fba.devices[0x191].read_blocks(52) == b"\xd9" * 512


def test_fba_block_outside_the_extent_is_unit_check_file_protected(fba):
    cc, csw = fba_program(fba, ccw(0x42, 0x4000, 0, 512), locate(0x06, 1, 20), extent(last=9))
    assert csw["unit"] == CE_DE | UNIT_CHECK
    cc, csw = run(fba, 0x191, ccw(0x04, 0x3000, 0, 24))
    assert fba.cpu.mem[0x3001] == 0x40


def test_fba_write_inhibited_by_the_mask_or_a_read_only_link(fba, tmp_path):
    cc, csw = fba_program(fba, ccw(0x41, 0x2000, 0, 512), locate(0x01, 1, 0), extent(mask=0x40))
    assert csw["unit"] & UNIT_CHECK
    ro_vm = FakeVM()
    ro_vm.devices[0x191] = create_device(
        "3370", 0x191, ro_vm, path=tmp_path / "fba.img", read_only=True
    )
    cc, csw = fba_program(ro_vm, ccw(0x41, 0x2000, 0, 512), locate(0x01, 1, 0))
    assert csw["unit"] & UNIT_CHECK


def test_fba_read_without_define_extent_is_command_reject(fba):
    cc, csw = run(fba, 0x191, ccw(0x42, 0x4000, 0, 512))
    assert csw["unit"] == CE_DE | UNIT_CHECK
    run(fba, 0x191, ccw(0x04, 0x3000, 0, 24))
    assert fba.cpu.mem[0x3000] == 0x80


def test_fba_read_device_characteristics_and_sense_id(fba):
    run(fba, 0x191, ccw(0x64, 0x3000, 0, 32))
    rdc = bytes(fba.cpu.mem[0x3000:0x3020])
    assert rdc[2] == 0x21 and int.from_bytes(rdc[4:6], "big") == 512
    assert int.from_bytes(rdc[14:18], "big") == 100
    run(fba, 0x191, ccw(0xE4, 0x3000, 0, 7))
    assert bytes(fba.cpu.mem[0x3000:0x3007]) == bytes.fromhex("FF388001337000")


# ------------------------------------------------------------------ printer


def test_printer_lines_with_spacing_and_skip_make_a_listing(system):
    vm = FakeVM("PRINTER1", system)
    prt = vm.devices[0x00E] = create_device("1403", 0x00E, vm)
    vm.cpu.mem[0x1000:0x1005] = to_ebcdic("TITLE")
    vm.cpu.mem[0x1010:0x1015] = to_ebcdic("LINE2")
    vm.cpu.mem[0x1020:0x1025] = to_ebcdic("PAGE2")
    cc, csw = run(
        vm,
        0x00E,
        ccw(0x8B, 0, CC, 1),
        ccw(0x11, 0x1000, CC, 5),
        ccw(0x09, 0x1010, CC, 5),
        ccw(0x89, 0x1010, CC, 5),
        ccw(0x09, 0x1020, 0, 5),
    )
    assert csw["unit"] == CE_DE and csw["chan"] == 0
    text = render_listing(system.spool.records(prt.file))
    pages = text.split("\f")
    assert pages[0].splitlines() == ["TITLE", "", "LINE2", "LINE2"]
    assert pages[1].splitlines() == ["PAGE2"]


def test_printer_write_without_spacing_overprints():
    records = [(0x01, to_ebcdic("AB   ")), (0x09, to_ebcdic("   __"))]
    assert render_listing(records) == "AB __\n"


def test_printer_line_longer_than_132_is_incorrect_length(system):
    vm = FakeVM("P", system)
    vm.devices[0x00E] = create_device("1403", 0x00E, vm)
    cc, csw = run(vm, 0x00E, ccw(0x09, 0x1000, 0, 140))
    assert csw["chan"] == channel.INCORRECT_LENGTH and csw["count"] == 8


def test_block_letters_spell_the_userid():
    assert block_letters("HI") == [
        "#   #  #####",
        "#   #    #",
        "#####    #",
        "#   #    #",
        "#   #  #####",
    ]


# ------------------------------------------------------------------ punch and reader


def test_punched_cards_arrive_in_another_users_reader_and_read_to_end(system):
    sender, receiver = FakeVM("ALICE", system), FakeVM("BOB", system)
    pun = sender.devices[0x00D] = create_device("2540P", 0x00D, sender)
    receiver.devices[0x00C] = create_device("2540R", 0x00C, receiver)
    pun.to_user = "BOB"
    sender.cpu.mem[0x1000:0x1050] = card("CARD ONE")
    sender.cpu.mem[0x1050:0x10A0] = card("CARD TWO")
    run(sender, 0x00D, ccw(0x01, 0x1000, CC, 80), ccw(0x01, 0x1050, 0, 80))
    assert pun.close() == ["PUN FILE 0001  TO  BOB      COPY 01 NOHOLD"]
    assert receiver.console.lines == [
        "RDR FILE 0001 SENT FROM ALICE    PUN WAS 0001 RECS 0002 CPY 01 A NOHOLD"
    ]
    cc, csw = run(receiver, 0x00C, ccw(0x02, 0x2000, 0, 80))
    assert csw["unit"] == CE_DE and from_ebcdic(receiver.cpu.mem[0x2000:0x2008]) == "CARD ONE"
    cc, csw = run(receiver, 0x00C, ccw(0x02, 0x2000, 0, 80))
    assert from_ebcdic(receiver.cpu.mem[0x2000:0x2008]) == "CARD TWO"
    cc, csw = run(receiver, 0x00C, ccw(0x02, 0x2000, 0, 80))
    assert csw["unit"] == CE_DE | UNIT_EXCEPTION and csw["chan"] == 0
    assert system.spool.reader_files("BOB") == []  # NOHOLD: purged once read
    cc, csw = run(receiver, 0x00C, ccw(0x02, 0x2000, 0, 80))
    assert csw["unit"] == CE_DE | UNIT_CHECK  # nothing left: not ready


def test_reader_presents_device_end_when_a_file_arrives(system):
    vm = FakeVM("BOB", system)
    vm.devices[0x00C] = create_device("2540R", 0x00C, vm)
    cc, csw = run(vm, 0x00C, ccw(0x02, 0x2000, 0, 80))
    assert csw["unit"] & UNIT_CHECK
    system.spool.add_closed("OPERATOR", "PUN", [(0x01, card("X"))], owner="BOB")
    devaddr, csw = vm.cpu.interrupts.pop()
    assert devaddr == 0x00C and csw_fields(csw)["unit"] == DEVICE_END


def test_reader_noeof_gives_intervention_required_and_cont_runs_files_together(system):
    vm = FakeVM("BOB", system)
    rdr = vm.devices[0x00C] = create_device("2540R", 0x00C, vm)
    for text in ("FIRST", "SECOND"):
        system.spool.add_closed("ALICE", "PUN", [(0x01, card(text))], owner="BOB")
    rdr.cont = True
    assert [rdr.read_record(), rdr.read_record(), rdr.read_record()] == [
        card("FIRST"),
        card("SECOND"),
        None,
    ]  # one deck, then its end
    system.spool.add_closed("ALICE", "PUN", [(0x01, card("THIRD"))], owner="BOB")
    rdr.cont, rdr.eof = False, False
    cc, csw = run(vm, 0x00C, ccw(0x02, 0x2000, 0, 80))
    assert csw["unit"] == CE_DE and from_ebcdic(vm.cpu.mem[0x2000:0x2005]) == "THIRD"
    cc, csw = run(vm, 0x00C, ccw(0x02, 0x2000, 0, 80))
    assert csw["unit"] == CE_DE | UNIT_CHECK  # NOEOF: not ready at the end
    assert vm.cpu.mem[0x2000:0x2005] == to_ebcdic("THIRD")


def test_reader_hold_keeps_files_that_were_read(system):
    vm = FakeVM("BOB", system)
    rdr = vm.devices[0x00C] = create_device("2540R", 0x00C, vm)
    rdr.hold = True
    system.spool.add_closed("ALICE", "PUN", [(0x01, card("KEEP"))], owner="BOB")
    assert rdr.read_record() == card("KEEP") and rdr.read_record() is None
    assert len(system.spool.reader_files("BOB")) == 1


def test_reader_class_selects_files(system):
    vm = FakeVM("BOB", system)
    rdr = vm.devices[0x00C] = create_device("2540R", 0x00C, vm, spool_class="B")
    system.spool.add_closed("ALICE", "PUN", [(0x01, card("CLASS A"))], owner="BOB", cls="A")
    system.spool.add_closed("ALICE", "PUN", [(0x01, card("CLASS B"))], owner="BOB", cls="B")
    assert rdr.read_record() == card("CLASS B")


def test_short_card_is_padded_and_a_long_one_flagged(system):
    vm = FakeVM("ALICE", system)
    pun = vm.devices[0x00D] = create_device("2540P", 0x00D, vm)
    vm.cpu.mem[0x1000:0x1003] = to_ebcdic("ABC")
    cc, csw = run(vm, 0x00D, ccw(0x01, 0x1000, 0, 3))
    assert csw["chan"] == 0
    cc, csw = run(vm, 0x00D, ccw(0x01, 0x1000, 0, 90))
    assert csw["chan"] == channel.INCORRECT_LENGTH and csw["count"] == 10
    records = system.spool.records(pun.file)
    assert records[0][1] == card("ABC")


# ------------------------------------------------------------------ CTCA, timer, 3270


def test_ctca_write_meets_the_peers_read_with_attention_first():
    a, b = FakeVM("A"), FakeVM("B")
    ca = a.devices[0x500] = create_device("CTCA", 0x500, a)
    cb = b.devices[0x600] = create_device("CTCA", 0x600, b)
    couple(ca, cb)
    a.cpu.mem[0x1000:0x1005] = b"FRAME"
    put_program(a.cpu, 0x800, ccw(0x01, 0x1000, 0, 5))
    assert channel.start_io(a, SIO, 0x500) == 0 and a.cpu.interrupts == []
    devaddr, csw = b.cpu.interrupts.pop()
    assert csw_fields(csw)["unit"] == ATTENTION
    cc, csw = run(b, 0x600, ccw(0x14, 0x2000, 0, 1))
    assert b.cpu.mem[0x2000] == 0x01  # the peer waits with a WRITE
    cc, csw = run(b, 0x600, ccw(0x02, 0x2000, SLI, 100))
    assert bytes(b.cpu.mem[0x2000:0x2005]) == b"FRAME" and csw["count"] == 95
    assert csw_fields(a.cpu.interrupts.pop()[1])["unit"] == CE_DE


def test_uncoupled_ctca_is_not_ready():
    a = FakeVM("A")
    a.devices[0x500] = create_device("CTCA", 0x500, a)
    cc, csw = run(a, 0x500, ccw(0x01, 0x1000, 0, 5))
    assert csw["unit"] == CE_DE | UNIT_CHECK


def test_timer_read_gives_date_time_and_cpu_times():
    vm = FakeVM()
    vm.devices[0x0FF] = create_device("TIMER", 0x0FF, vm)
    cc, csw = run(vm, 0x0FF, ccw(0x02, 0x1000, 0, 32))
    assert csw["unit"] == CE_DE and csw["chan"] == 0
    date = from_ebcdic(vm.cpu.mem[0x1000:0x1008])
    assert date[2] == "/" and date[5] == "/"
    assert from_ebcdic(vm.cpu.mem[0x1008:0x1010])[2] == ":"


def test_graf_keeps_the_screen_and_reads_what_the_terminal_entered():
    vm = FakeVM()
    graf = vm.devices[0x0C0] = create_device("3270", 0x0C0, vm)
    vm.cpu.mem[0x1000:0x1004] = b"\xc3\x11\x40\x40"
    run(vm, 0x0C0, ccw(0x05, 0x1000, 0, 4))
    assert bytes(graf.screen) == b"\xc3\x11\x40\x40"
    cc, csw = run(vm, 0x0C0, ccw(0x06, 0x2000, SLI, 100))
    assert csw["unit"] & UNIT_CHECK  # nothing entered yet
    graf.enter(b"\x7d\x40\x40")
    assert csw_fields(vm.cpu.interrupts.pop()[1])["unit"] == ATTENTION
    cc, csw = run(vm, 0x0C0, ccw(0x06, 0x2000, SLI, 100))
    assert bytes(vm.cpu.mem[0x2000:0x2003]) == b"\x7d\x40\x40"


def test_service_interface_form_feed_line_starts_a_new_page(system):
    vm = FakeVM("P", system)
    prt = vm.devices[0x00E] = create_device("1403", 0x00E, vm)
    for line in (b"\xc1", b"\x0c", b"\xc2"):
        prt.write_record(line)
    assert render_listing(system.spool.records(prt.file)) == "A\n\fB\n"


def test_asa_control_characters_move_the_carriage_before_printing(system):
    vm = FakeVM("P", system)
    prt = vm.devices[0x00E] = create_device("1403", 0x00E, vm)
    for asa, text in (("1", "TOP"), (" ", "NEXT"), ("0", "GAP"), ("+", "___")):
        prt.print_asa(to_ebcdic(text), asa)
    assert render_listing(system.spool.records(prt.file)) == "TOP\nNEXT\n\n___\n"


def test_reader_feed_skips_a_card_without_reading_it(system):
    vm = FakeVM("BOB", system)
    vm.devices[0x00C] = create_device("2540R", 0x00C, vm)
    system.spool.add_closed(
        "ALICE", "PUN", [(0x01, card("SKIPPED")), (0x01, card("READ"))], owner="BOB"
    )
    cc, csw = run(vm, 0x00C, ccw(0x23, 0, CC, 1), ccw(0x02, 0x2000, 0, 80))
    assert csw["unit"] == CE_DE and from_ebcdic(vm.cpu.mem[0x2000:0x2004]) == "READ"


def test_query_lines_show_the_spool_options(system):
    vm = FakeVM("BOB", system)
    rdr = create_device("2540R", 0x00C, vm)
    pun = create_device("2540P", 0x00D, vm)
    pun.to_user, pun.copies = "ALICE", 2
    assert rdr.query_line() == "RDR  00C CL * NOCONT NOHOLD EOF   READY"
    assert pun.query_line() == "PUN  00D CL A NOCONT NOHOLD COPY 02 READY TO ALICE"


def test_fba_read_ipl_reads_block_0_and_the_ipl_record_chains_to_more_blocks(fba):
    """An IPL record: PSW + a LOCATE and a READ under the implied extent."""
    disk = fba.devices[0x191]
    ipl = bytearray(512)
    ipl[0:8] = bytes.fromhex("000000000000A000")  # IPL PSW
    ipl[8:16] = ccw(0x43, 0x0100, CC | SLI, 8)  # LOCATE, parameters at X'100'
    ipl[16:24] = ccw(0x42, 0xA000, SLI, 512)  # READ block 5 at X'A000'
    disk.write_blocks(0, bytes(ipl))
    disk.write_blocks(5, b"\x47\xf0" + bytes(510))
    fba.cpu.mem[0x100:0x108] = locate(0x06, 1, 5)
    cc, csw = run(fba, 0x191, ccw(0x02, 0, CC | SLI, 24), at=0)
    assert cc == 0 and csw["unit"] == CE_DE and csw["chan"] == 0
    assert bytes(fba.cpu.mem[0:8]) == bytes.fromhex("000000000000A000")
    assert bytes(fba.cpu.mem[0xA000:0xA002]) == b"\x47\xf0"
    cc, csw = fba_program(fba, ccw(0x41, 0x2000, 0, 512), locate(0x01, 1, 0))
    assert csw["unit"] == CE_DE  # a new program: writes again


def test_notready_device_answers_intervention_required_until_ready(system):
    vm = FakeVM("P", system)
    prt = vm.devices[0x00E] = create_device("1403", 0x00E, vm)
    prt.not_ready = True  # CP NOTREADY 00E
    cc, csw = run(vm, 0x00E, ccw(0x09, 0x1000, 0, 10))
    assert cc == 1 and csw["unit"] == UNIT_CHECK  # refused at initial selection
    run(vm, 0x00E, ccw(0x04, 0x3000, 0, 1))
    assert vm.cpu.mem[0x3000] == 0x40
    prt.not_ready = False  # CP READY 00E
    cc, csw = run(vm, 0x00E, ccw(0x09, 0x1000, 0, 10))
    assert csw["unit"] == CE_DE


def test_notready_device_accepts_sense_at_start(system):
    """NOTREADY refuses every start but a SENSE (GA22-7000 START I/O: the
    initial status is unit check; SENSE tells the program why)."""
    vm = FakeVM("P", system)
    prt = vm.devices[0x00E] = create_device("1403", 0x00E, vm)
    prt.not_ready = True
    cc, csw = run(vm, 0x00E, ccw(0x04, 0x3000, 0, 1))
    assert cc == 0 and csw["unit"] == CE_DE
    assert vm.cpu.mem[0x3000] == 0x40  # intervention required


def test_unloaded_tape_is_not_ready_at_start(system, tmp_path):
    """A tape after REWIND UNLOAD is not ready the same way NOTREADY makes a
    device not ready: one rule, in the channel."""
    from cp.devices.tape import TapeVolume

    vm = FakeVM("T", system)
    tape = vm.devices[0x181] = create_device(
        "3420", 0x181, vm, volume=TapeVolume(tmp_path / "t.aws")
    )
    cc, csw = run(vm, 0x181, ccw(0x0F, 0, 0, 1))  # REWIND UNLOAD
    assert csw["unit"] == CE_DE and tape.not_ready  # an immediate command: cc 1, CSW stored
    cc, csw = run(vm, 0x181, ccw(0x01, 0x1000, 0, 10))  # WRITE
    assert cc == 1 and csw["unit"] == UNIT_CHECK


def test_damaged_reader_file_is_held_not_read(system):
    vm = FakeVM("BOB", system)
    rdr = vm.devices[0x00C] = create_device("2540R", 0x00C, vm)
    bad = system.spool.add_closed("ALICE", "PUN", [(0x01, card("LOST"))], owner="BOB")
    system.spool.add_closed("ALICE", "PUN", [(0x01, card("GOOD"))], owner="BOB")
    (system.spool.files_dir / f"{bad.spoolid:04d}.data").write_bytes(b"garbage")
    assert rdr.read_record() == card("GOOD")
    assert system.spool.get(bad.spoolid).hold == "SYS"


def test_ctca_control_ends_when_the_peer_senses_the_command_byte_and_read_meets_write():
    a, b = FakeVM("A"), FakeVM("B")
    ca = a.devices[0x500] = create_device("CTCA", 0x500, a)
    cb = b.devices[0x600] = create_device("CTCA", 0x600, b)
    couple(ca, cb)
    put_program(a.cpu, 0x800, ccw(0x07, 0x1000, SLI, 1))
    assert channel.start_io(a, SIO, 0x500) == 0 and a.cpu.interrupts == []
    b.cpu.interrupts.clear()  # the attention
    cc, csw = run(b, 0x600, ccw(0x14, 0x2000, 0, 1))
    assert b.cpu.mem[0x2000] == 0x07
    assert csw_fields(a.cpu.interrupts.pop()[1])["unit"] == CE_DE  # CONTROL ended
    # B reads first this time; A's write completes both at once.
    put_program(b.cpu, 0x800, ccw(0x02, 0x2000, 0, 4))
    channel.start_io(b, SIO, 0x600)
    a.cpu.interrupts.clear()
    a.cpu.mem[0x1000:0x1006] = b"LONGER"
    cc, csw = run(a, 0x500, ccw(0x01, 0x1000, 0, 6))
    assert csw["chan"] == channel.INCORRECT_LENGTH and csw["count"] == 2  # 4 of 6 taken
    assert bytes(b.cpu.mem[0x2000:0x2004]) == b"LONG"
    assert csw_fields(b.cpu.interrupts.pop()[1]) == {
        "key": 0,
        "addr": 0x808,
        "unit": CE_DE,
        "chan": 0,
        "count": 0,
    }


def test_a_deck_punched_by_another_process_readies_a_waiting_reader_on_rescan(system, tmp_path):
    from cp.spool import Spool

    vm = FakeVM("BOB", system)
    vm.devices[0x00C] = create_device("2540R", 0x00C, vm)
    cc, csw = run(vm, 0x00C, ccw(0x02, 0x2000, 0, 80))
    assert csw["unit"] & UNIT_CHECK  # empty: not ready
    Spool(tmp_path / "spool", recover=False).add_closed(
        "SYSTEM", "PUN", [(0x01, card("X"))], owner="BOB"
    )
    assert vm.cpu.interrupts == []
    system.spool.rescan()
    assert csw_fields(vm.cpu.interrupts.pop()[1])["unit"] == DEVICE_END


def test_reading_again_after_not_ready_owes_no_device_end(system, tmp_path):
    from cp.spool import Spool

    vm = FakeVM("BOB", system)
    vm.devices[0x00C] = create_device("2540R", 0x00C, vm)
    run(vm, 0x00C, ccw(0x02, 0x2000, 0, 80))  # not ready
    Spool(tmp_path / "spool", recover=False).add_closed(
        "SYSTEM", "PUN", [(0x01, card("X"))], owner="BOB"
    )
    cc, csw = run(vm, 0x00C, ccw(0x02, 0x2000, 0, 80))  # found by this read
    assert csw["unit"] == CE_DE and vm.cpu.interrupts == []


def test_console_attention_is_an_attention_interruption():
    vm = FakeVM()
    con = vm.devices[0x009] = create_device("3215", 0x009, vm)
    con.attention()
    devaddr, csw = vm.cpu.interrupts.pop()
    assert devaddr == 0x009 and csw_fields(csw)["unit"] == ATTENTION


def test_console_spooling_without_term_keeps_guest_output_off_the_screen(system):
    vm = FakeVM("ALICE", system)
    con = vm.devices[0x009] = create_device("3215", 0x009, vm)
    con.spooling, con.term = True, False
    vm.cpu.mem[0x1000:0x1004] = to_ebcdic("QUIET")[:4]
    run(vm, 0x009, ccw(0x09, 0x1000, 0, 4))
    assert vm.console.lines == []
    assert system.spool.records(con.spool_output.file) == [(0x09, to_ebcdic("QUIE"))]


def test_console_new_line_character_starts_a_new_line():
    vm = FakeVM()
    vm.devices[0x009] = create_device("3215", 0x009, vm)
    vm.cpu.mem[0x1000:0x1007] = to_ebcdic("AB") + b"\x15" + to_ebcdic("CD  ")
    run(vm, 0x009, ccw(0x09, 0x1000, 0, 7))
    assert vm.console.lines == ["AB", "CD"]
