"""The spool CP commands moving files between users, through CP's command table."""

from __future__ import annotations

import pytest

from cp.commands import execute
from cp.commands.spool import QUERIES
from cp.devices import create_device
from s390.ebcdic import card
from tests.cp.devkit import FakeSystem, FakeVM


@pytest.fixture
def system(tmp_path):
    return FakeSystem(tmp_path / "spool")


def logon(system, userid, classes="G"):
    vm = FakeVM(userid, system, classes=classes)
    for kind, vaddr in (("3215", 0x009), ("2540R", 0x00C), ("2540P", 0x00D), ("1403", 0x00E)):
        vm.devices[vaddr] = create_device(kind, vaddr, vm)
    return vm


def cp(system, vm, line):
    replies: list[str] = []
    rc = execute(system, vm, line, replies.append)
    return rc, replies


def query(system, vm, what):
    """QUERY subcommands as the CP QUERY dispatcher hands them over (a
    CommandError becomes its message, as cp.commands.execute does)."""
    from cp.commands import CommandError, Context

    words = what.split()
    for name, minimum, handler in QUERIES:
        if len(words[0]) >= minimum and name.startswith(words[0].upper()):
            replies: list[str] = []
            try:
                handler(Context(system, vm, replies.append), words[1:])
            except CommandError as err:
                replies.append(str(err))
            return replies
    raise AssertionError(what)


def punch(vm, *texts):
    for t in texts:
        vm.devices[0x00D].write_record(card(t))


@pytest.fixture
def alice(system):
    return logon(system, "ALICE")


@pytest.fixture
def bob(system):
    return logon(system, "BOB")


def test_punch_to_a_user_tells_both_and_lands_in_the_reader(system, alice, bob):
    assert cp(system, alice, "SPOOL PUNCH TO BOB") == (0, [])
    punch(alice, "HELLO", "BOB")
    rc, lines = cp(system, alice, "CLOSE PUNCH NAME GREETING DATA")
    assert lines == ["PUN FILE 0001  TO  BOB      COPY 01 NOHOLD"]
    assert bob.console.lines[-1] == (
        "RDR FILE 0001 SENT FROM ALICE    PUN WAS 0001 RECS 0002 CPY 01 A NOHOLD"
    )
    assert query(system, bob, "RDR ALL") == [
        "ORIGINID FILE CLASS RECDS  CPY HOLD DATE  TIME     NAME     TYPE     DIST",
        query(system, bob, "RDR ALL")[1],
    ]
    short = query(system, bob, "READER")
    assert short[1] == "ALICE    0001 A PUN 00000002 01 NONE"
    assert "GREETING DATA" in query(system, bob, "RDR 1")[1]
    assert bob.devices[0x00C].read_record() == card("HELLO")


def test_spool_options_are_checked(system, alice):
    assert cp(system, alice, "SPOOL PUNCH TO NOBODY")[1] == [
        "DMKCSP020E USERID MISSING OR INVALID - NOBODY"
    ]
    assert cp(system, alice, "SPOOL 00E BOGUS")[1] == ["DMKCSP003E INVALID OPTION - BOGUS"]
    assert cp(system, alice, "SPOOL 0A0 CLASS A")[1] == ["DMKCSP040E DEV 0A0 DOES NOT EXIST"]
    assert cp(system, alice, "SPOOL 009 CLASS A")[1] == [
        "DMKCSP024E DEV 009 IS NOT A SPOOLED DEVICE"
    ]
    assert cp(system, alice, "SPOOL PRINTER COPY 100")[1] == [
        "DMKCSP026E OPERAND MISSING OR INVALID"
    ]
    assert cp(system, alice, "SP PRT CL B CONT HOLD COPY 3 FOR BOB") == (0, [])
    prt = alice.devices[0x00E]
    assert (prt.cls, prt.cont, prt.hold, prt.copies, prt.for_user) == ("B", True, True, 3, "BOB")


def test_hold_on_the_punch_makes_the_reader_file_wait_for_change_nohold(system, alice, bob):
    cp(system, alice, "SPOOL PUNCH TO BOB HOLD")
    punch(alice, "HELD")
    assert cp(system, alice, "CLOSE 00D")[1] == ["PUN FILE 0001  TO  BOB      COPY 01 HOLD"]
    assert bob.devices[0x00C].read_record() is None
    assert query(system, bob, "RDR HOLD")[1].endswith("USER")
    assert cp(system, bob, "CHANGE RDR 1 NOHOLD CLASS C")[1] == ["0001 FILE CHANGED"]
    assert bob.devices[0x00C].read_record() == card("HELD")


def test_transfer_moves_reader_files_to_another_user_and_back(system, alice, bob):
    carol = logon(system, "CAROL")
    cp(system, alice, "SPOOL PUNCH TO BOB")
    for text in ("ONE", "TWO"):
        punch(alice, text)
        cp(system, alice, "CLOSE PUNCH")
    assert cp(system, bob, "TRANSFER RDR 2 TO CAROL")[1] == ["0001 FILE TRANSFERRED"]
    assert carol.console.lines[-1].startswith("RDR FILE 0002 SENT FROM ALICE")
    assert [l.split()[1] for l in query(system, carol, "RDR")[1:]] == ["0002"]
    assert [l.split()[1] for l in query(system, bob, "RDR")[1:]] == ["0001"]
    # ALICE sent file 1: she may take it back FROM BOB; BOB may not take CAROL's files.
    assert cp(system, alice, "TRANSFER ALL FROM BOB")[1] == ["0001 FILE TRANSFERRED"]
    assert cp(system, bob, "TRANSFER ALL FROM CAROL")[1] == ["NO FILES TRANSFERRED"]
    assert query(system, bob, "RDR") == ["NO RDR FILES"]


def test_order_and_purge_in_the_reader(system, alice, bob):
    cp(system, alice, "SPOOL PUNCH TO BOB")
    for text in ("A", "B", "C"):
        punch(alice, text)
        cp(system, alice, "CLOSE PUNCH")
    assert cp(system, bob, "ORDER RDR 3 2")[1] == ["0002 FILES ORDERED"]
    assert [l.split()[1] for l in query(system, bob, "RDR")[1:]] == ["0003", "0002", "0001"]
    assert bob.devices[0x00C].read_record() == card("C")
    assert cp(system, bob, "PURGE RDR 1")[1] == ["0001 FILE PURGED"]
    assert cp(system, bob, "PURGE RDR 7")[1] == ["DMKCSP042E SPOOLID 0007 DOES NOT EXIST"]
    assert cp(system, bob, "PUR RDR ALL")[1] == ["0002 FILES PURGED"]
    assert query(system, bob, "FILES") == ["FILES:  NO RDR,  NO PRT,  NO PUN"]


def test_class_selection_in_change_and_purge(system, alice, bob):
    for cls in "ABA":
        cp(system, alice, f"SPOOL PUNCH TO BOB CLASS {cls}")
        punch(alice, cls)
        cp(system, alice, "CLOSE PUNCH")
    assert cp(system, bob, "CHANGE RDR CLASS A CLASS Z")[1] == ["0002 FILES CHANGED"]
    assert query(system, bob, "FILES CLASS Z") == ["FILES: 002 RDR,  NO PRT,  NO PUN"]
    assert cp(system, bob, "PURGE RDR CLASS Z")[1] == ["0002 FILES PURGED"]


def test_printing_to_the_system_printer_and_hold_free_by_the_spooling_operator(system, alice):
    operator = logon(system, "OPERATOR", classes="ABCDEFG")
    assert cp(system, operator, "HOLD ALICE")[1] == ["NO FILES HELD"]
    alice.devices[0x00E].write_record(b"\xc8\xc9")  # "HI"
    assert cp(system, alice, "CLOSE PRINTER")[1] == ["PRT FILE 0001  FOR  ALICE    COPY 01 HOLD"]
    assert system.spool.listings() == []  # held for the operator
    assert query(system, alice, "PRINTER")[1].endswith("SYS")
    assert cp(system, alice, "HOLD ALICE")[1] == ["DMKCFM001E UNKNOWN CP COMMAND"]
    assert cp(system, alice, "PURGE ALICE PRT ALL")[1] == ["DMKCSP003E INVALID OPTION - ALICE"]
    assert cp(system, operator, "FREE ALICE")[1] == ["0001 FILE FREED"]
    [listing] = system.spool.listings()
    assert "HI" in listing.read_text().split("\f")[1]


def test_spooling_operator_purges_anyones_files(system, alice, bob):
    operator = logon(system, "OPERATOR", classes="ABCDEFG")
    cp(system, alice, "SPOOL PUNCH TO BOB")
    punch(alice, "X")
    cp(system, alice, "CLOSE PUNCH")
    assert query(system, operator, "RDR BOB")[1].startswith("ALICE    0001")
    assert cp(system, operator, "PURGE BOB RDR ALL")[1] == ["0001 FILE PURGED"]


def test_close_purge_drops_the_open_file_and_cont_keeps_it_open(system, alice, bob):
    cp(system, alice, "SPOOL PUNCH TO BOB CONT")
    punch(alice, "PART 1")
    assert cp(system, alice, "CLOSE PUNCH") == (0, [])  # ignored while CONT
    punch(alice, "PART 2")
    cp(system, alice, "SPOOL PUNCH NOCONT")
    assert cp(system, alice, "CLOSE PUNCH")[1] == ["PUN FILE 0001  TO  BOB      COPY 01 NOHOLD"]
    punch(alice, "GONE")
    assert cp(system, alice, "CLOSE PUNCH PURGE")[1] == []
    assert [f.records for f in system.spool.reader_files("BOB")] == [2]


def test_close_reader_purges_the_file_being_read_unless_hold(system, alice, bob):
    cp(system, alice, "SPOOL PUNCH TO BOB")
    for text in ("FIRST", "SECOND"):
        punch(alice, text, text)
        cp(system, alice, "CLOSE PUNCH")
    bob.devices[0x00C].read_record()
    cp(system, bob, "CLOSE RDR HOLD")
    assert len(system.spool.reader_files("BOB")) == 2
    bob.devices[0x00C].read_record()
    cp(system, bob, "CLOSE READER")
    assert [f.spoolid for f in system.spool.reader_files("BOB")] == [2]


def test_console_spooling_collects_guest_console_lines(system, alice):
    console = alice.devices[0x009]
    assert cp(system, alice, "SPOOL CONSOLE START TO ALICE") == (0, [])
    console.write(0x09, b"\xc8\xc9", 2)
    rc, lines = cp(system, alice, "SPOOL CONSOLE STOP CLOSE")
    assert lines == ["CON FILE 0001  TO  ALICE    COPY 01 NOHOLD"]
    [sf] = system.spool.reader_files("ALICE")
    assert (sf.type, sf.cls, system.spool.records(sf)) == ("CON", "T", [(0x09, b"\xc8\xc9")])


def test_couple_connects_two_ctcas_and_tells_both_users(system, alice, bob):
    from cp import channel
    from tests.cp.devkit import ccw, put_program

    alice.devices[0x500] = create_device("CTCA", 0x500, alice)
    bob.devices[0x600] = create_device("CTCA", 0x600, bob)
    assert cp(system, alice, "COUPLE 500 TO BOB 600") == (0, ["CTCA 500 COUPLE TO BOB 600"])
    assert bob.console.lines[-1] == "CTCA 600 COUPLE BY ALICE 500"
    assert cp(system, alice, "COUPLE 00C BOB 600")[1] == ["DMKCPV022E VADDR 00C IS NOT A CTCA"]
    assert cp(system, alice, "COUPLE 500 CAROL 600")[1] == ["DMKCPV045E CAROL NOT LOGGED ON"]
    alice.cpu.mem[0x1000:0x1002] = b"HI"
    put_program(alice.cpu, 0x800, ccw(0x01, 0x1000, 0, 2))
    channel.start_io(alice, 0x9C00, 0x500)
    put_program(bob.cpu, 0x800, ccw(0x02, 0x2000, 0x20, 10))
    bob.cpu.interrupts.clear()
    channel.start_io(bob, 0x9C00, 0x600)
    assert bytes(bob.cpu.mem[0x2000:0x2002]) == b"HI"


def test_console_statement_role_makes_a_3215_whatever_the_terminal_type(system):
    vm = FakeVM("X", system)
    assert create_device("3270", 0x009, vm, role="CONSOLE").devtype == "3215"


WORDS = [
    "RDR",
    "PRT",
    "PUN",
    "CON",
    "00C",
    "00D",
    "00E",
    "009",
    "0A0",
    "1",
    "2",
    "9999",
    "ALL",
    "CLASS",
    "CL",
    "A",
    "*",
    "TO",
    "FROM",
    "FOR",
    "BOB",
    "NOBODY",
    "HOLD",
    "NOHOLD",
    "COPY",
    "99",
    "0",
    "CONT",
    "NOCONT",
    "EOF",
    "NOEOF",
    "OFF",
    "SYSTEM",
    "PURGE",
    "DIST",
    "NAME",
    "X",
    "START",
    "STOP",
    "TERM",
    "NOTERM",
    "CLOSE",
    "FORM",
    "",
    "#",
    "500",
]


def test_no_command_line_made_of_spool_words_fails_with_a_traceback(system, alice, bob):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    operator = logon(system, "OPERATOR", classes="ABCDEFG")
    cp(system, alice, "SPOOL PUNCH TO BOB")
    punch(alice, "X")
    cp(system, alice, "CLOSE PUNCH")

    @settings(max_examples=300, deadline=None)
    @given(
        st.sampled_from(
            ["SPOOL", "CLOSE", "PURGE", "TRANSFER", "ORDER", "CHANGE", "HOLD", "FREE", "COUPLE"]
        ),
        st.lists(st.sampled_from(WORDS), max_size=6),
        st.booleans(),
    )
    def check(verb, words, as_operator):
        vm = operator if as_operator else bob
        rc, lines = cp(system, vm, " ".join([verb, *words]))
        assert rc != 999, lines
        for name, _, _ in QUERIES:
            assert query(system, vm, " ".join([name, *words[:3]]))  # some answer, no traceback

    check()


def test_detaching_a_punch_closes_its_open_file(system, alice, bob):
    cp(system, alice, "SPOOL PUNCH TO BOB")
    punch(alice, "BEFORE DETACH")
    alice.devices.pop(0x00D).detach()
    assert [f.records for f in system.spool.reader_files("BOB")] == [1]
    assert not list(system.spool.files_dir.glob("*.open"))


def test_set_imsg_off_quiets_the_informational_responses(system, alice, bob):
    from types import SimpleNamespace

    alice.settings = SimpleNamespace(imsg=False)
    cp(system, alice, "SPOOL PUNCH TO BOB")
    punch(alice, "CARD")
    assert cp(system, alice, "CLOSE PUNCH") == (0, [])
    assert cp(system, alice, "PURGE PRT ALL") == (0, [])
    alice.settings.imsg = True
    assert cp(system, alice, "PURGE PRT ALL") == (0, ["NO FILES PURGED"])
    assert [f.records for f in system.spool.reader_files("BOB")] == [1]


def test_the_files_line_logon_shows_only_when_files_wait(system, alice, bob):
    from cp.spool import logon_files_line

    assert logon_files_line(system.spool, "BOB") is None
    cp(system, alice, "SPOOL PUNCH TO BOB")
    punch(alice, "CARD")
    cp(system, alice, "CLOSE PUNCH")
    assert logon_files_line(system.spool, "BOB") == "FILES: 001 RDR,  NO PRT,  NO PUN"
    assert query(system, bob, "FILES") == ["FILES: 001 RDR,  NO PRT,  NO PUN"]
