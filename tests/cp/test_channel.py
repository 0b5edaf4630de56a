"""Channel-program rules (GA22-7000 chapter 13) on virtual devices with a fake CPU."""

from __future__ import annotations

import pytest

from cp import channel
from cp.channel import (
    ATTENTION,
    BUSY,
    CE_DE,
    INCORRECT_LENGTH,
    PCI,
    PROGRAM_CHECK,
    PROTECTION_CHECK,
    STATUS_MODIFIER,
    UNIT_CHECK,
    Outcome,
)
from cp.devices import create_device
from cp.devices.base import Device
from s390.ebcdic import from_ebcdic, to_ebcdic
from tests.cp.devkit import FakeVM, ccw, csw_fields, put_program

SIO, SIOF, TIO, CLRIO, HIO, HDV, TCH, STIDC = (
    0x9C00,
    0x9C01,
    0x9D00,
    0x9D01,
    0x9E00,
    0x9E01,
    0x9F00,
    0xB203,
)
CD, CC, SLI, SKIP, PCI_FLAG = 0x80, 0x40, 0x20, 0x10, 0x08


class Loopback(Device):
    """A test control unit: WRITE keeps the data, READ returns ``record``,
    X'07' ends with status modifier."""

    devtype = "TEST"
    devclass = "TEST"
    COMMANDS = {0x01: "write", 0x02: "read", 0x0C: "read", 0x07: "modifier", 0x03: "nop"}

    def __init__(self, vaddr, vm, **options):
        super().__init__(vaddr, vm)
        self.written: list[bytes] = []
        self.record = b"0123456789"

    def write(self, command, data, count):
        self.written.append(data)
        return Outcome(CE_DE)

    def read(self, command, data, count):
        return Outcome(CE_DE, data=self.record)

    def modifier(self, command, data, count):
        return Outcome(CE_DE | STATUS_MODIFIER)


@pytest.fixture
def vm():
    machine = FakeVM()
    machine.devices[0x009] = create_device("3215", 0x009, machine)
    machine.devices[0x190] = Loopback(0x190, machine)
    return machine


def last_interrupt(vm):
    devaddr, csw = vm.cpu.interrupts.pop()
    return devaddr, csw_fields(csw)


def stored_csw(vm):
    return csw_fields(bytes(vm.cpu.mem[0x40:0x48]))


def test_command_chained_writes_reach_the_console_and_end_with_one_interrupt(vm):
    vm.cpu.mem[0x1000:0x1005] = to_ebcdic("HELLO")
    vm.cpu.mem[0x1010:0x1015] = to_ebcdic("WORLD")
    put_program(vm.cpu, 0x800, ccw(0x09, 0x1000, CC, 5), ccw(0x09, 0x1010, 0, 5))
    assert channel.start_io(vm, SIO, 0x009) == 0
    assert vm.cpu.cc == 0
    assert vm.console.lines == ["HELLO", "WORLD"]
    devaddr, csw = last_interrupt(vm)
    assert devaddr == 0x009
    assert csw == {"key": 0, "addr": 0x810, "unit": CE_DE, "chan": 0, "count": 0}


def test_write_without_carriage_return_continues_on_the_next_write(vm):
    vm.cpu.mem[0x1000:0x1004] = to_ebcdic("ABC ")
    vm.cpu.mem[0x1010:0x1013] = to_ebcdic("DEF")
    put_program(vm.cpu, 0x800, ccw(0x01, 0x1000, CC, 4), ccw(0x09, 0x1010, 0, 3))
    channel.start_io(vm, SIO, 0x009)
    assert vm.console.lines == ["ABC DEF"]


def test_data_chaining_gathers_output_from_several_areas(vm):
    vm.cpu.mem[0x1000:0x1003] = b"HEL"
    vm.cpu.mem[0x2000:0x2002] = b"LO"
    put_program(vm.cpu, 0x800, ccw(0x01, 0x1000, CD, 3), ccw(0x00, 0x2000, 0, 2))
    assert channel.start_io(vm, SIO, 0x190) == 0
    assert vm.devices[0x190].written == [b"HELLO"]
    assert last_interrupt(vm)[1]["addr"] == 0x810


def test_data_chaining_scatters_input_and_reports_the_last_ccws_residual(vm):
    put_program(vm.cpu, 0x800, ccw(0x02, 0x1000, CD, 4), ccw(0x02, 0x2000, SLI, 10))
    channel.start_io(vm, SIO, 0x190)
    assert bytes(vm.cpu.mem[0x1000:0x1004]) == b"0123"
    assert bytes(vm.cpu.mem[0x2000:0x2006]) == b"456789"
    csw = last_interrupt(vm)[1]
    assert csw["count"] == 4 and csw["chan"] == 0 and csw["addr"] == 0x810


def test_short_record_without_sli_is_incorrect_length_and_stops_command_chaining(vm):
    vm.cpu.mem[0x1000:0x1001] = b"X"
    put_program(vm.cpu, 0x800, ccw(0x02, 0x1000, CC, 20), ccw(0x01, 0x1000, 0, 1))
    channel.start_io(vm, SIO, 0x190)
    csw = last_interrupt(vm)[1]
    assert csw["chan"] == INCORRECT_LENGTH and csw["count"] == 10 and csw["addr"] == 0x808
    assert vm.devices[0x190].written == []  # the chained write never ran


def test_sli_suppresses_incorrect_length_and_chaining_goes_on(vm):
    vm.cpu.mem[0x1000:0x1001] = b"X"
    put_program(vm.cpu, 0x800, ccw(0x02, 0x3000, CC | SLI, 20), ccw(0x01, 0x1000, 0, 1))
    channel.start_io(vm, SIO, 0x190)
    assert last_interrupt(vm)[1]["chan"] == 0
    assert vm.devices[0x190].written == [b"X"]


def test_long_record_is_cut_at_the_count_and_flagged(vm):
    put_program(vm.cpu, 0x800, ccw(0x02, 0x1000, 0, 4))
    vm.cpu.mem[0x1004] = 0xEE
    channel.start_io(vm, SIO, 0x190)
    assert bytes(vm.cpu.mem[0x1000:0x1005]) == b"0123\xee"
    csw = last_interrupt(vm)[1]
    assert csw["chan"] == INCORRECT_LENGTH and csw["count"] == 0


def test_skip_counts_the_data_without_storing_it(vm):
    vm.cpu.mem[0x1000:0x1010] = b"\xaa" * 16
    put_program(vm.cpu, 0x800, ccw(0x02, 0x1000, SKIP | SLI, 16))
    channel.start_io(vm, SIO, 0x190)
    assert bytes(vm.cpu.mem[0x1000:0x1010]) == b"\xaa" * 16
    assert last_interrupt(vm)[1]["count"] == 6


def test_read_backward_fills_the_area_from_its_end(vm):
    vm.devices[0x190].record = b"ABC"
    put_program(vm.cpu, 0x800, ccw(0x0C, 0x1002, 0, 3))
    channel.start_io(vm, SIO, 0x190)
    assert bytes(vm.cpu.mem[0x1000:0x1003]) == b"CBA"


def test_tic_target_off_a_doubleword_is_a_program_check(vm):
    put_program(vm.cpu, 0x800, ccw(0x03, 0, CC, 1), ccw(0x08, 0x904, 0, 0))
    channel.start_io(vm, SIO, 0x190)
    csw = last_interrupt(vm)[1]
    assert csw["chan"] == PROGRAM_CHECK and csw["addr"] == 0x810


def test_tic_inside_a_data_chain_is_allowed(vm):
    vm.cpu.mem[0x1000:0x1002] = b"AB"
    vm.cpu.mem[0x2000:0x2002] = b"CD"
    put_program(vm.cpu, 0x800, ccw(0x01, 0x1000, CD, 2), ccw(0x08, 0x900, 0, 0))
    vm.cpu.mem[0x900:0x908] = ccw(0x00, 0x2000, 0, 2)
    channel.start_io(vm, SIO, 0x190)
    assert vm.devices[0x190].written == [b"ABCD"]


def test_tic_transfers_to_the_next_ccw(vm):
    vm.cpu.mem[0x1000:0x1001] = b"Z"
    put_program(vm.cpu, 0x800, ccw(0x03, 0, CC, 1), ccw(0x08, 0x900, 0, 0))
    vm.cpu.mem[0x900:0x908] = ccw(0x01, 0x1000, 0, 1)
    assert channel.start_io(vm, SIO, 0x190) == 0
    assert vm.devices[0x190].written == [b"Z"]
    assert last_interrupt(vm)[1]["addr"] == 0x908


def test_tic_to_tic_is_a_program_check(vm):
    put_program(vm.cpu, 0x800, ccw(0x03, 0, CC, 1), ccw(0x08, 0x900, 0, 0))
    vm.cpu.mem[0x900:0x908] = ccw(0x08, 0x800, 0, 0)
    assert channel.start_io(vm, SIO, 0x190) == 0
    csw = last_interrupt(vm)[1]
    assert csw["chan"] == PROGRAM_CHECK and csw["addr"] == 0x908


def test_tic_first_in_the_program_is_refused_at_sio_with_csw_stored(vm):
    put_program(vm.cpu, 0x800, ccw(0x08, 0x900, 0, 0))
    vm.cpu.mem[0x900:0x908] = ccw(0x01, 0x1000, 0, 1)
    assert channel.start_io(vm, SIO, 0x190) == 1
    assert stored_csw(vm)["chan"] == PROGRAM_CHECK and stored_csw(vm)["addr"] == 0x808
    assert vm.devices[0x190].written == []
    assert vm.cpu.interrupts == []


@pytest.mark.parametrize(
    "bad_ccw",
    [
        ccw(0x00, 0x1000, 0, 1),  # invalid command code (low 4 bits zero)
        ccw(0x01, 0x1000, 0, 0),  # count of zero
        ccw(0x01, 0x1002, 0x04, 1),  # IDA list not on a word boundary
        ccw(0x01, 0x1000, 0x01, 1),  # flag bits that must be zero
        ccw(0x01, 0xFFFF00, 0, 16),  # data outside storage
    ],
)
def test_invalid_first_ccw_gives_program_check_with_cc1(vm, bad_ccw):
    put_program(vm.cpu, 0x800, bad_ccw)
    assert channel.start_io(vm, SIO, 0x190) == 1
    csw = stored_csw(vm)
    assert csw["chan"] == PROGRAM_CHECK and csw["addr"] == 0x808 and csw["unit"] == 0


def test_caw_with_nonzero_bits_4_to_7_or_odd_address_is_a_program_check(vm):
    vm.cpu.mem[0x48:0x4C] = (0x01000800).to_bytes(4, "big")
    assert channel.start_io(vm, SIO, 0x190) == 1
    assert stored_csw(vm)["chan"] == PROGRAM_CHECK
    vm.cpu.mem[0x48:0x4C] = (0x00000804).to_bytes(4, "big")
    assert channel.start_io(vm, SIO, 0x190) == 1


def test_ccw_address_outside_storage_is_a_program_check(vm):
    vm.cpu.mem[0x48:0x4C] = (0x00FFFFF8).to_bytes(4, "big")
    assert channel.start_io(vm, SIO, 0x190) == 1
    assert stored_csw(vm)["chan"] == PROGRAM_CHECK


def test_pci_flag_is_reported_in_the_ending_csw(vm):
    put_program(vm.cpu, 0x800, ccw(0x02, 0x1000, PCI_FLAG | SLI, 10))
    channel.start_io(vm, SIO, 0x190)
    assert last_interrupt(vm)[1]["chan"] == PCI


def test_store_with_a_mismatched_caw_key_is_a_protection_check(vm):
    vm.cpu.keys[0x1000 >> 11] = 0x50
    put_program(vm.cpu, 0x800, ccw(0x02, 0x1000, SLI, 10), key=3)
    channel.start_io(vm, SIO, 0x190)
    csw = last_interrupt(vm)[1]
    assert csw["chan"] == PROTECTION_CHECK and csw["key"] == 3
    assert bytes(vm.cpu.mem[0x1000:0x100A]) == bytes(10)


def test_matching_key_stores_and_sets_reference_and_change_bits(vm):
    vm.cpu.keys[0x1000 >> 11] = 0x30
    put_program(vm.cpu, 0x800, ccw(0x02, 0x1000, SLI, 10), key=3)
    channel.start_io(vm, SIO, 0x190)
    assert last_interrupt(vm)[1]["chan"] == 0
    assert vm.cpu.keys[0x1000 >> 11] == 0x36


def test_fetch_protected_output_area_is_a_protection_check(vm):
    vm.cpu.keys[0x1000 >> 11] = 0x58
    put_program(vm.cpu, 0x800, ccw(0x01, 0x1000, 0, 4), key=3)
    assert channel.start_io(vm, SIO, 0x190) == 1
    assert stored_csw(vm)["chan"] == PROTECTION_CHECK
    vm.cpu.keys[0x1000 >> 11] = 0x50  # not fetch protected: allowed
    assert channel.start_io(vm, SIO, 0x190) == 0


def test_status_modifier_skips_the_next_ccw(vm):
    vm.cpu.mem[0x1000:0x1002] = b"NO"
    vm.cpu.mem[0x1010:0x1013] = b"YES"
    put_program(
        vm.cpu, 0x800, ccw(0x07, 0x1000, CC, 1), ccw(0x01, 0x1000, CC, 2), ccw(0x01, 0x1010, 0, 3)
    )
    channel.start_io(vm, SIO, 0x190)
    assert vm.devices[0x190].written == [b"YES"]


def test_unknown_command_is_unit_check_and_sense_says_command_reject(vm):
    put_program(vm.cpu, 0x800, ccw(0x27, 0x1000, 0, 1))
    channel.start_io(vm, SIO, 0x009)
    csw = last_interrupt(vm)[1]
    assert csw["unit"] == CE_DE | UNIT_CHECK
    put_program(vm.cpu, 0x800, ccw(0x04, 0x1000, 0, 1))
    channel.start_io(vm, SIO, 0x009)
    assert vm.cpu.mem[0x1000] == 0x80
    last_interrupt(vm)
    put_program(vm.cpu, 0x800, ccw(0x04, 0x1000, 0, 1))
    channel.start_io(vm, SIO, 0x009)
    assert vm.cpu.mem[0x1000] == 0x00  # sense is reset once read


def test_unit_check_suppresses_command_chaining(vm):
    vm.cpu.mem[0x1000] = 0xC1
    put_program(vm.cpu, 0x800, ccw(0x27, 0x1000, CC, 1), ccw(0x09, 0x1000, 0, 1))
    channel.start_io(vm, SIO, 0x009)
    assert vm.console.lines == []
    assert last_interrupt(vm)[1]["addr"] == 0x808


def test_console_read_waits_busy_and_ends_when_the_user_types(vm):
    put_program(vm.cpu, 0x800, ccw(0x0A, 0x1000, SLI, 80))
    assert channel.start_io(vm, SIO, 0x009) == 0
    assert vm.cpu.interrupts == []
    assert channel.start_io(vm, TIO, 0x009) == 2
    assert channel.start_io(vm, SIO, 0x009) == 2
    vm.console.type("query time")
    assert from_ebcdic(vm.cpu.mem[0x1000:0x100A]) == "query time"
    assert channel.start_io(vm, TIO, 0x009) == 1  # the interrupt, withdrawn
    assert stored_csw(vm) == {"key": 0, "addr": 0x808, "unit": CE_DE, "chan": 0, "count": 70}
    assert channel.start_io(vm, TIO, 0x009) == 0


def test_typeahead_completes_the_read_at_once(vm):
    vm.console.typeahead.append("ready")
    put_program(vm.cpu, 0x800, ccw(0x0A, 0x1000, SLI, 80))
    assert channel.start_io(vm, SIO, 0x009) == 0
    assert last_interrupt(vm)[1]["count"] == 75


def test_halt_io_ends_a_waiting_read(vm):
    put_program(vm.cpu, 0x800, ccw(0x0A, 0x1000, SLI, 80))
    channel.start_io(vm, SIO, 0x009)
    assert channel.start_io(vm, HIO, 0x009) == 1  # byte multiplexer: CSW stored
    assert vm.cpu.mem[0x44:0x46] == b"\0\0"
    assert vm.console.reader is None
    assert channel.start_io(vm, HIO, 0x009) == 0  # its interruption is pending
    devaddr, csw = last_interrupt(vm)
    assert csw["unit"] == CE_DE and csw["count"] == 80
    assert channel.start_io(vm, HIO, 0x009) == 1  # idle device: CSW stored


def test_halt_device_of_a_burst_operation_on_a_block_multiplexer_is_cc2(vm):
    vm.devices[0x109] = create_device("3215", 0x109, vm)
    put_program(vm.cpu, 0x800, ccw(0x0A, 0x1000, SLI, 80))
    channel.start_io(vm, SIO, 0x109)
    assert channel.start_io(vm, HDV, 0x109) == 2
    assert last_interrupt(vm)[1]["unit"] == CE_DE


def test_clear_io_of_a_waiting_read_stores_the_csw(vm):
    put_program(vm.cpu, 0x800, ccw(0x0A, 0x1000, SLI, 80))
    channel.start_io(vm, SIO, 0x009)
    assert channel.start_io(vm, CLRIO, 0x009) == 1
    assert vm.devices[0x009].active_program is None
    assert channel.start_io(vm, CLRIO, 0x009) == 0


def test_sio_to_a_device_with_a_pending_interrupt_is_busy_and_clears_it(vm):
    channel.signal(vm.devices[0x190], ATTENTION)
    put_program(vm.cpu, 0x800, ccw(0x03, 0x1000, 0, 1))
    assert channel.start_io(vm, SIO, 0x190) == 1
    assert vm.cpu.mem[0x44] == BUSY | ATTENTION
    assert vm.cpu.interrupts == []


def test_immediate_command_without_chaining_ends_at_sio_with_cc1(vm):
    put_program(vm.cpu, 0x800, ccw(0x03, 0, 0, 1))
    assert channel.start_io(vm, SIO, 0x009) == 1
    assert stored_csw(vm)["unit"] == CE_DE
    assert vm.cpu.interrupts == []


def test_siof_reports_what_sio_would_by_cc1_as_an_interrupt_with_deferred_cc(vm):
    put_program(vm.cpu, 0x800, ccw(0x03, 0, 0, 1))
    assert channel.start_io(vm, SIOF, 0x009) == 0
    devaddr, csw = vm.cpu.interrupts.pop()
    assert csw[0] & 0x03 == 1 and csw[4] == CE_DE


def test_missing_device_is_not_operational(vm):
    for opcode in (SIO, SIOF, TIO, CLRIO, HIO, HDV):
        assert channel.start_io(vm, opcode, 0x0A0) == 3


def test_test_channel_and_store_channel_id(vm):
    assert channel.start_io(vm, TCH, 0x000) == 0
    assert channel.start_io(vm, TCH, 0x100) == 0
    assert channel.start_io(vm, TCH, 0x500) == 3
    channel.signal(vm.devices[0x190], ATTENTION)
    assert channel.start_io(vm, TCH, 0x100) == 1  # interruption pending in channel 1
    assert channel.start_io(vm, TCH, 0x000) == 0
    assert channel.start_io(vm, STIDC, 0x000) == 0
    assert vm.cpu.mem[0xA8] >> 4 == 1  # byte multiplexer
    assert channel.start_io(vm, STIDC, 0x100) == 0
    assert vm.cpu.mem[0xA8] >> 4 == 2  # block multiplexer
    assert channel.start_io(vm, STIDC, 0x500) == 3


def test_sense_id_names_the_device(vm):
    put_program(vm.cpu, 0x800, ccw(0xE4, 0x1000, SLI, 7))
    channel.start_io(vm, SIO, 0x009)
    assert bytes(vm.cpu.mem[0x1000:0x1007]) == bytes.fromhex("FF321500321500")


def test_pci_while_the_device_waits_is_an_interruption_of_its_own(vm):
    put_program(vm.cpu, 0x800, ccw(0x0A, 0x1000, PCI_FLAG | SLI, 80))
    assert channel.start_io(vm, SIO, 0x009) == 0
    devaddr, csw = last_interrupt(vm)
    assert csw == {"key": 0, "addr": 0x808, "unit": 0, "chan": PCI, "count": 80}
    vm.console.type("X")
    assert last_interrupt(vm)[1]["chan"] == 0


def test_ida_output_gathers_from_2k_blocks_named_by_idaws(vm):
    vm.cpu.mem[0x17FE:0x1800] = b"AB"  # first IDAW: the end of a block
    vm.cpu.mem[0x3000:0x3002] = b"CD"  # second IDAW: the start of a block
    vm.cpu.mem[0x600:0x608] = (0x17FE).to_bytes(4, "big") + (0x3000).to_bytes(4, "big")
    put_program(vm.cpu, 0x800, ccw(0x01, 0x600, 0x04, 4))
    channel.start_io(vm, SIO, 0x190)
    assert vm.devices[0x190].written == [b"ABCD"]


def test_ida_input_scatters_and_a_misaligned_later_idaw_is_a_program_check(vm):
    vm.cpu.mem[0x600:0x608] = (0x1FFC).to_bytes(4, "big") + (0x4000).to_bytes(4, "big")
    put_program(vm.cpu, 0x800, ccw(0x02, 0x600, 0x04 | SLI, 10))
    channel.start_io(vm, SIO, 0x190)
    assert bytes(vm.cpu.mem[0x1FFC:0x2000]) == b"0123"
    assert bytes(vm.cpu.mem[0x4000:0x4006]) == b"456789"
    vm.cpu.mem[0x604:0x608] = (0x4010).to_bytes(4, "big")
    last_interrupt(vm)
    channel.start_io(vm, SIO, 0x190)
    assert last_interrupt(vm)[1]["chan"] == PROGRAM_CHECK


def test_status_arriving_while_the_vm_waits_wakes_it_but_its_own_sio_does_not(vm):
    woken = []
    vm.wake = lambda: woken.append(True)
    put_program(vm.cpu, 0x800, ccw(0x0A, 0x1000, SLI, 80))
    channel.start_io(vm, SIO, 0x009)
    channel.start_io(vm, SIO, 0x190)  # pending: busy, nothing posted
    assert woken == []
    vm.console.type("later")  # the read ends while the guest waits
    assert woken == [True]
