"""DIAGNOSE from an S/370 guest: the register conventions of each code."""

from s390.ebcdic import from_ebcdic, to_ebcdic
from tests.cp.cpkit import command, logon, make_system
from tests.cp.guestkit import DISK_GUEST_DIRECT as GUEST_DIRECT
from tests.cp.guestkit import ipl_deck, wait_stopped

#: Issues DIAGNOSE codes and keeps the results in storage for the test to read.
DIAG_PROGRAM = """\
DIAGS    CSECT
         BALR  12,0
         USING *,12
         MVC   104(8,0),PGMNEW         program new PSW: stop at X'0DD0'
* X'08' with the response in a buffer: QUERY USERS
         LA    2,CMD
         LA    3,RESP
         L     4,CMDLEN                flag X'40' + length
         LA    5,200
         DIAG  2,4,X'0008'
         STM   4,5,R08
* X'60' storage size
         DIAG  6,0,X'0060'
         ST    6,R60
* X'00' extended identification, 40 bytes
         LA    2,EXTID
         LA    3,40
         DIAG  2,3,X'0000'
* X'0C' pseudo timer
         LA    2,TIMER
         DIAG  2,0,X'000C'
* X'24' console device type (-1 = my console)
         L     2,=F'-1'
         DIAG  2,4,X'0024'
         STM   4,5,R24
         ST    2,R24X
* X'24' a device that does not exist: CC 3
         LA    2,X'555'
         DIAG  2,4,X'0024'
         LA    7,3
         BC    1,CC3                   condition code 3?
         SR    7,7
CC3      ST    7,R24CC
* X'A4' write block 7 of the 191 minidisk, then read it back
         LA    2,PWRITE
         DIAG  2,3,X'00A4'
         ST    3,RA4W
         LA    2,PREAD
         DIAG  2,3,X'00A4'
* X'5C' edit a message by SET EMSG (CODE)
         LA    2,MSG
         LA    3,24
         DIAG  2,3,X'005C'
         ST    3,R5C
* an unknown code: specification exception
         DIAG  0,0,X'00FC'
         LPSW  BADPSW
         DS    0D
PGMNEW   DC    X'00020000',X'00000DD0'
BADPSW   DC    X'00020000',X'00000BAC'
CMDLEN   DC    X'40',AL3(7)
CMD      DC    C'Q USERS'
         DS    0F
R08      DS    2F
R60      DS    F
R24      DS    2F
R24X     DS    F
R24CC    DS    F
RA4W     DS    F
R5C      DS    F
PWRITE   DC    X'0191',X'80',X'00',F'7',F'1',A(BLOCK)
PREAD    DC    X'0191',X'00',X'00',F'7',F'1',A(BACK)
MSG      DC    C'DMSXYZ123E SOME MESSAGE'
         DS    0D
EXTID    DS    CL40
TIMER    DS    CL32
RESP     DS    CL200
BLOCK    DC    512C'Q'
BACK     DS    2CL256
         LTORG
         END   DIAGS
"""


def word(mem, addr):
    return int.from_bytes(mem[addr : addr + 4], "big")


async def test_diagnose_codes_from_s370(tmp_path):
    from s390.asm import assemble

    system = make_system(tmp_path, GUEST_DIRECT)
    system.spool.add_closed(
        "OPERATOR", "PUN", [(0x01, c) for c in ipl_deck(DIAG_PROGRAM)], owner="GUEST"
    )
    terminal, session = logon(system, "GUEST")
    command(session, terminal, "SET EMSG CODE")
    vm = system.find_user("GUEST")
    command(session, terminal, "IPL 00C")
    await wait_stopped(vm)
    assert terminal.lines[-1].endswith("'00020000 80000DD0'")  # X'FC': program check
    assert int.from_bytes(vm.cpu.mem[0x2A:0x2C], "big") == 6  # specification exception
    mem = vm.cpu.mem
    base = 0x1000
    listing = "\n".join(assemble(DIAG_PROGRAM).listing)

    def at(name):
        for line in listing.splitlines():
            parts = line.split()
            if len(parts) > 3 and name in parts and parts[0] != "Loc":
                try:
                    return base + int(parts[0], 16)
                except ValueError:
                    continue
        raise KeyError(name)

    rc, length = word(mem, at("R08")), word(mem, at("R08") + 4)
    assert rc == 0
    response = bytes(mem[at("RESP") : at("RESP") + length])
    assert response == to_ebcdic("001 USERS, 000 DIALED") + b"\x15"  # lines end with X'15'
    assert word(mem, at("R60")) == 1 << 20
    extid = bytes(mem[at("EXTID") : at("EXTID") + 40])
    assert from_ebcdic(extid[:8]) == "VM/370  " and from_ebcdic(extid[16:24]) == "GUEST   "
    timer = from_ebcdic(bytes(mem[at("TIMER") : at("TIMER") + 16]))
    assert timer[2] == "/" and timer[10] == ":"
    assert mem[at("R24")] == 0x80 and word(mem, at("R24X")) >> 16 == 0x009
    assert word(mem, at("R24") + 4) & 0xFF == 130  # console line length
    assert word(mem, at("R24CC")) == 3
    assert word(mem, at("RA4W")) == 0
    assert bytes(mem[at("BACK") : at("BACK") + 512]) == to_ebcdic("Q") * 512
    assert vm.services.block_read(0x191, 7) == to_ebcdic("Q") * 512
    assert word(mem, at("R5C")) == 10


def diag(vm, code, rx, ry):
    """Run DIAGNOSE ``code`` as if the guest had executed DIAG rx,ry,code."""
    from cp.diag import execute

    vm.cpu.exit_addr, vm.cpu.exit_r1, vm.cpu.exit_r3 = code, rx, ry
    execute(vm)


def guest_vm(tmp_path):
    system = make_system(tmp_path, GUEST_DIRECT)
    terminal, session = logon(system, "GUEST")
    return system, system.find_user("GUEST"), terminal, session


def test_diag08_response_overflow_sets_cc1(tmp_path):
    system, vm, t, s = guest_vm(tmp_path)
    cmd = to_ebcdic("QUERY USERS")
    vm.cpu.mem[0x2000 : 0x2000 + len(cmd)] = cmd
    vm.cpu.gpr[2], vm.cpu.gpr[3] = 0x2000, 0x3000
    vm.cpu.gpr[4], vm.cpu.gpr[5] = 0x40000000 | len(cmd), 10
    diag(vm, 0x08, 2, 4)
    assert vm.cpu.cc == 1 and vm.cpu.gpr[5] == 22 - 10  # bytes that did not fit
    assert bytes(vm.cpu.mem[0x3000:0x300A]) == to_ebcdic("001 USERS,")
    assert bytes(vm.cpu.mem[0x300A:0x300B]) == b"\0"


def test_diag08_without_buffer_writes_console_and_returns_message_number(tmp_path):
    system, vm, t, s = guest_vm(tmp_path)
    cmd = to_ebcdic("QUERY NOBODY")
    vm.cpu.mem[0x2000 : 0x2000 + len(cmd)] = cmd
    vm.cpu.gpr[2], vm.cpu.gpr[4] = 0x2000, len(cmd)
    t.take()
    diag(vm, 0x08, 2, 4)
    assert vm.cpu.gpr[4] == 45 and t.lines == ["DMKCQG045E NOBODY NOT LOGGED ON"]


def test_diag08_length_zero_enters_cp_read(tmp_path):
    system, vm, t, s = guest_vm(tmp_path)
    vm.console.cp_mode, vm.ipled, vm.running = False, "00C", True
    vm.cpu.gpr[4] = 0
    diag(vm, 0x08, 2, 4)
    assert t.status == "CP READ" and not vm.running


def test_diag5c_edits_by_set_emsg(tmp_path):
    from cp.services import edit_message

    message = "DMSLST002E FILE NOT FOUND"
    assert edit_message("ON", message) == message
    assert edit_message("CODE", message) == "DMSLST002E"
    assert edit_message("TEXT", message) == "FILE NOT FOUND"
    assert edit_message("OFF", message) == ""
    system, vm, t, s = guest_vm(tmp_path)
    command(s, t, "SET EMSG TEXT")
    vm.cpu.gpr[2], vm.cpu.gpr[3] = 0x2000, len(message)
    diag(vm, 0x5C, 2, 3)
    assert (vm.cpu.gpr[2], vm.cpu.gpr[3]) == (0x2000 + 11, len(message) - 11)
    assert vm.services.emsg_edit(message) == "FILE NOT FOUND"


def test_diag64_no_saved_segments_and_diag60(tmp_path):
    system, vm, t, s = guest_vm(tmp_path)
    vm.cpu.mem[0x2000:0x2008] = to_ebcdic("CMSSEG  ")
    vm.cpu.gpr[2], vm.cpu.gpr[3] = 0x2000, 0x0C
    diag(vm, 0x64, 2, 3)
    assert vm.cpu.cc == 2 and vm.cpu.gpr[3] == 44
    diag(vm, 0x60, 7, 0)
    assert vm.cpu.gpr[7] == 1 << 20


def test_diag14_reads_the_reader_card_by_card(tmp_path):
    system, vm, t, s = guest_vm(tmp_path)
    vm.cpu.gpr[4], vm.cpu.gpr[5], vm.cpu.gpr[2] = 0x00C, 0, 0x2000
    diag(vm, 0x14, 2, 4)
    assert vm.cpu.cc == 2  # no file
    system.spool.add_closed(
        "ALICE", "PUN", [(0x01, to_ebcdic("CARD ONE".ljust(80)))], owner="GUEST"
    )
    diag(vm, 0x14, 2, 4)
    assert vm.cpu.cc == 0 and bytes(vm.cpu.mem[0x2000:0x2008]) == to_ebcdic("CARD ONE")
    diag(vm, 0x14, 2, 4)
    assert vm.cpu.cc == 1  # end of file
    vm.cpu.gpr[4] = 0x009
    diag(vm, 0x14, 2, 4)
    assert vm.cpu.cc == 3 and vm.cpu.gpr[5] == 4


def test_diag_addressing_exception_outside_storage(tmp_path):
    system, vm, t, s = guest_vm(tmp_path)
    vm.cpu.mem[0x68:0x70] = bytes.fromhex("000200000000ADD0")
    vm.cpu.gpr[2] = 0x00FFFFF0
    diag(vm, 0x0C, 2, 0)
    assert int.from_bytes(vm.cpu.mem[0x2A:0x2C], "big") == 5
    assert vm.cpu.get_psw()[5:8] == b"\x00\xad\xd0"


def test_ext_id_through_services(tmp_path):
    system, vm, t, s = guest_vm(tmp_path)
    data = vm.services.ext_id()
    assert len(data) == 40 and from_ebcdic(data[16:24]) == "GUEST   "
    date, clock, virt, total = vm.services.pseudo_timer()
    assert len(date) == 8 and len(clock) == 8 and total >= virt >= 0
    info = vm.services.device_info(0x191)
    assert (info.devclass, info.blocks, info.block_size, info.read_only) == (
        "DASD",
        100,
        512,
        False,
    )
    assert vm.services.device_info(0x999) is None


def ccw(command, address, count, flags=0x20, ctl=0):
    """A CCW as DIAG X'58' reads it: the control byte is byte 5."""
    return (
        bytes([command])
        + address.to_bytes(3, "big")
        + bytes([flags, ctl])
        + count.to_bytes(2, "big")
    )


def run_diag58(vm, *ccws):
    for i, one in enumerate(ccws):
        vm.cpu.mem[0x2000 + 8 * i : 0x2008 + 8 * i] = one
    vm.cpu.gpr[2], vm.cpu.gpr[3] = 0x2000, 0x009
    diag(vm, 0x58, 2, 3)
    return vm.cpu.cc


def test_diag58_display_fills_rows_from_the_start_line(tmp_path):
    system, vm, t, s = guest_vm(tmp_path)
    text = to_ebcdic("FIRST LINE".ljust(80) + "SECOND")
    vm.cpu.mem[0x3000 : 0x3000 + len(text)] = text
    t.take()
    assert run_diag58(vm, ccw(0x19, 0x3000, len(text), ctl=0x05)) == 0
    assert t.displays == [(5, ["FIRST LINE", "SECOND"])] and t.clears == 0
    assert t.lines == ["FIRST LINE", "SECOND"]  # a line terminal shows them in turn


def test_diag58_control_byte_erase_first_and_erase_only(tmp_path):
    system, vm, t, s = guest_vm(tmp_path)
    vm.cpu.mem[0x3000:0x3004] = to_ebcdic("DATA")
    assert run_diag58(vm, ccw(0x19, 0x3000, 4, ctl=0x83)) == 0
    assert t.clears == 1 and t.displays == [(3, ["DATA"])]
    assert run_diag58(vm, ccw(0x19, 0x3000, 4, ctl=0xFF)) == 0
    assert t.clears == 2 and len(t.displays) == 1  # X'FF': erase, display nothing


def test_diag58_command_and_data_chaining(tmp_path):
    system, vm, t, s = guest_vm(tmp_path)
    vm.cpu.mem[0x3000:0x3003] = to_ebcdic("ONE")
    vm.cpu.mem[0x3100:0x3104] = to_ebcdic(" TWO")
    vm.cpu.mem[0x3200:0x3205] = to_ebcdic("THREE")
    cc = run_diag58(
        vm,
        ccw(0x19, 0x3000, 3, flags=0x80 | 0x20, ctl=0x01),  # data chained
        ccw(0x00, 0x3100, 4, flags=0x40 | 0x20),  # ... then command chained
        ccw(0x19, 0x3200, 5, ctl=0x81),
    )
    assert cc == 0
    assert t.displays == [(1, ["ONE TWO"]), (1, ["THREE"])] and t.clears == 1


def test_diag58_start_field_and_nulls_take_one_position(tmp_path):
    system, vm, t, s = guest_vm(tmp_path)
    data = b"\x1d\xe8" + to_ebcdic("BRIGHT") + b"\x00" + to_ebcdic("X")
    vm.cpu.mem[0x3000 : 0x3000 + len(data)] = data
    assert run_diag58(vm, ccw(0x19, 0x3000, len(data))) == 0
    assert t.displays == [(0, [" BRIGHT X"])]


def test_diag58_data_that_does_not_fit_is_an_io_error(tmp_path):
    system, vm, t, s = guest_vm(tmp_path)
    vm.cpu.mem[0x3000 : 0x3000 + 160] = to_ebcdic("A" * 160)
    assert run_diag58(vm, ccw(0x19, 0x3000, 160, ctl=21)) == 1  # rows 21 and 22 of 0-21
    assert run_diag58(vm, ccw(0x19, 0x3000, 160, ctl=20)) == 0
    assert t.displays == [(20, ["A" * 80, "A" * 80])]


def test_diag58_a_looping_chain_ends_with_cc1(tmp_path):
    system, vm, t, s = guest_vm(tmp_path)
    assert run_diag58(vm, ccw(0x08, 0x2000, 0)) == 1  # TIC to itself


def test_diag58_fullscreen_write_and_read(tmp_path):
    system, vm, t, s = guest_vm(tmp_path)
    screen = bytes([0xF5, 0xC3, 0x11, 0x40, 0x40]) + to_ebcdic("HELLO")
    vm.cpu.mem[0x3000 : 0x3000 + len(screen)] = screen
    assert run_diag58(vm, ccw(0x29, 0x3000, len(screen))) == 0
    assert t.screens == [screen]
    assert run_diag58(vm, ccw(0x2A, 0x3000, len(screen))) == 0
    assert vm.console.fullscreen_callback is not None  # the read waits
    assert run_diag58(vm, ccw(0x0C, 0x3000, len(screen))) == 1  # not a console command


def test_diag58_write_chained_to_read(tmp_path):
    """A full-screen write command-chained to a read: the screen goes out,
    then the read waits for the user's key (VM/SP full screen mode)."""
    system, vm, t, s = guest_vm(tmp_path)
    screen = bytes([0xF5, 0xC3]) + to_ebcdic("PANEL")
    vm.cpu.mem[0x3000 : 0x3000 + len(screen)] = screen
    assert (
        run_diag58(vm, ccw(0x29, 0x3000, len(screen), flags=0x40 | 0x20), ccw(0x2A, 0x3400, 100))
        == 0
    )
    assert t.screens == [screen] and vm.console.fullscreen_callback is not None
    vm.console.fullscreen_input(b"\x7d\x40\x40")  # ENTER, cursor at 0
    assert bytes(vm.cpu.mem[0x3400:0x3403]) == b"\x7d\x40\x40"
