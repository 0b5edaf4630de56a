"""The CP command table and class G commands: QUERY, SET, MSG, SMSG, TERMINAL, DEFINE,
DETACH, DISPLAY, STORE, SYSTEM, INDICATE, abbreviations and DIAG 08 return codes."""

import re

import pytest

from cp.commands import lookup, table
from tests.cp.cpkit import command, logon, make_system


@pytest.fixture
def system(tmp_path):
    return make_system(tmp_path)


def test_table_abbreviations():
    assert lookup("Q", "G").name == "QUERY"
    assert lookup("D", "G").name == "DISPLAY"
    assert lookup("DEF", "G").name == "DEFINE"
    assert lookup("DE", "G") is None
    assert lookup("DISC", "G").name == "DISCONN"
    assert lookup("M", "G").name == "MESSAGE"
    assert lookup("MSG", "G").name == "MSG"
    assert lookup("FORCE", "G") is None and lookup("FORCE", "A").name == "FORCE"
    names = [c.name for c in table()]
    assert len(names) == len(set(names))


def test_every_abbreviation_names_one_command():
    rows = table()
    for command_row in rows:
        for k in range(command_row.min_abbrev_len, len(command_row.name) + 1):
            word = command_row.name[:k]
            assert [r.name for r in rows if r.matches(word)] == [command_row.name], word


def test_unknown_command(system):
    t, s = logon(system, "ALICE")
    assert command(s, t, "FROBNICATE") == ["DMKCFM001E UNKNOWN CP COMMAND"]


def test_query_time_virtual_and_user(system):
    t, s = logon(system, "ALICE")
    out = command(s, t, "Q TIME")
    assert re.fullmatch(r"TIME IS \d\d:\d\d:\d\d \S+ \w+ \d\d/\d\d/\d\d", out[0])
    assert out[1].startswith("CONNECT= ")
    out = command(s, t, "QUERY VIRTUAL")
    assert out[0] == "STORAGE = 01024K"
    assert any(line.startswith("CONS 009") for line in out)
    assert any(line.startswith("RDR  00C") for line in out)
    assert any(line.startswith("DASD 191") for line in out)
    assert command(s, t, "Q V STOR") == ["STORAGE = 01024K"]
    assert all(line.startswith(("RDR", "PUN", "PRT")) for line in command(s, t, "Q V UR"))
    assert command(s, t, "Q V 123") == ["DMKCQG040E DEV 123 DOES NOT EXIST"]
    assert command(s, t, "Q BOB") == ["DMKCQG045E BOB NOT LOGGED ON"]
    assert command(s, t, "QUERY") == ["DMKCFM026E OPERAND MISSING OR INVALID"]


def test_set_and_query_set(system):
    t, s = logon(system, "ALICE")
    assert command(s, t, "SET MSG OFF") == []
    assert command(s, t, "SET EMSG CODE") == []
    assert command(s, t, "SET RUN ON") == []
    assert command(s, t, "SET PF03 IMMED QUERY TIME") == []
    out = command(s, t, "QUERY SET")
    assert out[0] == "MSG OFF, WNG ON , EMSG CODE, IMSG ON , SMSG OFF, RUN ON "
    assert "PF03 IMMED QUERY TIME" in out
    assert command(s, t, "SET MSG MAYBE") == ["DMKCFM003E INVALID OPTION - MAYBE"]
    assert command(s, t, "SET FOO ON") == ["DMKCFM003E INVALID OPTION - FOO"]
    assert command(s, t, "SET LOGMSG HELLO") == ["DMKCFM001E UNKNOWN CP COMMAND"]


def test_set_logmsg_shown_at_logon(system, tmp_path):
    to, so = logon(system, "OPERATOR")
    command(so, to, "SET LOGMSG SYSTEM UP UNTIL FRIDAY")
    ta, sa = logon(system, "ALICE")
    assert ta.lines[1].startswith("LOGMSG - ") and ta.lines[2] == "* SYSTEM UP UNTIL FRIDAY"
    assert (tmp_path / "logmsg").read_text() == "SYSTEM UP UNTIL FRIDAY\n"
    assert command(sa, ta, "Q LOGMSG") == ["* SYSTEM UP UNTIL FRIDAY"]


def test_msg_warning_and_msg_off(system):
    ta, sa = logon(system, "ALICE")
    tb, sb = logon(system, "BOB")
    assert command(sa, ta, "MSG BOB hello there") == []
    assert re.fullmatch(r"\d\d:\d\d:\d\d MSG FROM ALICE   : hello there", tb.lines[-1])
    assert tb.alarms == 1
    command(sb, tb, "SET MSG OFF")
    assert command(sa, ta, "M BOB again") == ["DMKMSG057E BOB NOT RECEIVING; MSG OFF"]
    assert command(sa, ta, "MSG ZED hi") == ["DMKMSG045E ZED NOT LOGGED ON"]
    assert command(sa, ta, "MSG ALL hi") == ["DMKMSG003E INVALID OPTION - ALL"]
    assert command(sa, ta, "WARNING BOB x") == ["DMKCFM001E UNKNOWN CP COMMAND"]
    to, so = logon(system, "OPERATOR")
    command(so, to, "WARNING ALL system going down")
    assert "WNG FROM OPERATOR: system going down" in ta.lines[-1]
    assert "WNG FROM OPERATOR" in tb.lines[-1]  # MSG OFF does not stop WNG
    command(sa, ta, "MSG OP need help")
    assert "MSG FROM ALICE   : need help" in to.lines[-1]


def test_smsg_needs_set_smsg_on(system):
    ta, sa = logon(system, "ALICE")
    tb, sb = logon(system, "BOB")
    assert command(sa, ta, "SMSG BOB hi") == ["DMKMSG057E BOB NOT RECEIVING; SMSG OFF"]
    command(sb, tb, "SET SMSG ON")
    tb.take()
    assert command(sa, ta, "SMSG BOB status please") == []
    assert tb.lines == []  # never shown on the screen
    assert list(system.find_user("BOB").special_messages) == [("ALICE", "status please")]


def test_terminal_options(system):
    t, s = logon(system, "ALICE")
    command(s, t, "TERMINAL LINEND ; CHARDEL OFF")
    assert command(s, t, "Q TERM")[0] == 'LINEND ;, LINEDEL ¢, CHARDEL OFF, ESCAPE "'
    out = command(s, t, "Q USERS;Q ALICE")
    assert out[0] == "001 USERS, 000 DIALED" and out[1].startswith("ALICE    - ")
    assert command(s, t, "TERM LINEND XX") == ["DMKCFM003E INVALID OPTION - XX"]


def test_define_and_detach_devices(system):
    t, s = logon(system, "ALICE")
    assert command(s, t, "DEFINE PRINTER 00F") == ["PRT 00F DEFINED"]
    assert command(s, t, "DEF PRT 00F") == ["DMKDEF092E DEV 00F ALREADY DEFINED"]
    assert command(s, t, "DEFINE T3370 1A0 100") == ["DASD 1A0 DEFINED"]
    vm = system.find_user("ALICE")
    vm.services.block_write(0x1A0, 99, b"\x01" * 512)
    assert vm.services.block_read(0x1A0, 99) == b"\x01" * 512
    assert command(s, t, "DEFINE 00F AS 01F") == ["PRT 01F DEFINED"]
    assert command(s, t, "DETACH 01F 1A0") == ["PRT 01F DETACHED", "DASD 1A0 DETACHED"]
    assert command(s, t, "DETACH 009") == ["DMKVDD041E DEV 009 IS THE VIRTUAL CONSOLE"]
    assert not list(system.path.glob("disks/$TDSK$*"))  # T-disks leave no file


def test_define_storage_limits(system):
    t, s = logon(system, "ALICE")
    assert command(s, t, "DEFINE STORAGE 2M") == ["STORAGE = 02048K"]
    assert system.find_user("ALICE").storage_size == 2 << 20
    assert len(system.find_user("ALICE").cpu.mem) == 2 << 20
    assert command(s, t, "DEF STOR 8M") == ["DMKDEF094E STORAGE EXCEEDS ALLOWED MAXIMUM"]
    assert command(s, t, "DEF STOR 3K") == ["DMKDEF025E STORAGE MISSING OR INVALID"]
    assert command(s, t, "DEF STOR") == ["DMKDEF025E STORAGE MISSING OR INVALID"]
    assert command(s, t, "DEF STOR 2M X") == ["DMKCFM003E INVALID OPTION - X"]


def test_display_and_store(system):
    t, s = logon(system, "ALICE")
    assert command(s, t, "STORE 1000 C1C2C3C4 0000000F") == ["STORE COMPLETE"]
    out = command(s, t, "DISPLAY T1000-100F")
    assert out == ["001000  C1C2C3C4 0000000F 00000000 00000000  *ABCD............*"]
    # L (or no letter): hexadecimal only; T adds the EBCDIC translation
    assert command(s, t, "DISPLAY 1000-100F") == ["001000  C1C2C3C4 0000000F 00000000 00000000"]
    assert command(s, t, "D L1004")[0].startswith("001000           0000000F")
    command(s, t, "STORE G3 12345678 9")
    assert command(s, t, "D G3-4") == ["GPR  3 = 12345678 00000009"]
    command(s, t, "STORE PSW 00040000 00002000")
    assert command(s, t, "D PSW") == ["PSW = 00040000 00002000"]
    assert command(s, t, "D 200000") == ["DMKCDB160E HEXLOC 200000 EXCEEDS STORAGE"]
    assert command(s, t, "D ZZ") == ["DMKCFM004E INVALID HEXLOC - ZZ"]
    assert command(s, t, "D K1000")[0] == "KEY 001000 = 00"


def test_system_reset_and_begin_without_ipl(system):
    t, s = logon(system, "ALICE")
    assert command(s, t, "SYSTEM RESET") == ["SYSTEM RESET"]
    assert command(s, t, "BEGIN") == ["DMKCFM146E NO IPL OR BEGIN ADDRESS"]
    assert command(s, t, "IPL 555") == ["DMKCFG040E DEV 555 DOES NOT EXIST"]
    assert command(s, t, "IPL NOSUCH") == ["DMKCFG040E DEV NOSUCH DOES NOT EXIST"]


def test_indicate(system):
    t, s = logon(system, "ALICE")
    out = command(s, t, "INDICATE")
    assert re.fullmatch(
        r"VTIME=\d{3}:\d\d\.\d\d TTIME=\d{3}:\d\d\.\d\d SIO=\d{6} INSTR=\d+ SHARE=100", out[0]
    )
    assert command(s, t, "IND LOAD") == ["DMKCFM003E INVALID OPTION - LOAD"]
    tm, sm = logon(system, "MAINT")
    assert command(sm, tm, "IND LOAD")[0] == "USERS=002 SLICES=0"


def test_cp_command_through_services_returns_message_number(system):
    t, s = logon(system, "ALICE")
    vm = system.find_user("ALICE")
    assert vm.services.cp_command("QUERY BOB") == (45, ["DMKCQG045E BOB NOT LOGGED ON"])
    rc, lines = vm.services.cp_command("Q USERS\x15Q V STOR")
    assert rc == 0 and lines == ["001 USERS, 000 DIALED", "STORAGE = 01024K"]
    assert vm.services.cp_command("XYZZY") == (1, ["DMKCFM001E UNKNOWN CP COMMAND"])
    # a failing command ends the string: the commands after it are not run
    assert vm.services.cp_command("XYZZY\x15SET MSG OFF") == (1, ["DMKCFM001E UNKNOWN CP COMMAND"])
    assert vm.settings.msg is True


def test_set_share(system):
    t, s = logon(system, "ALICE")
    command(s, t, "SET SHARE 300")
    assert system.find_user("ALICE").share == 300
    assert command(s, t, "SET SHARE BOB 50") == ["DMKCFM001E UNKNOWN CP COMMAND"]
    tm, sm = logon(system, "MAINT")
    command(sm, tm, "SET SHARE ALICE 50")
    assert system.find_user("ALICE").share == 50
    command(sm, tm, "SET SHARE ALICE RELATIVE 250")
    assert system.find_user("ALICE").share == 250
    assert command(s, t, "SET SHARE 0") == ["DMKCFM003E INVALID OPTION - 0"]
    assert command(sm, tm, "SET SHARE ZED 10") == ["DMKCFS045E ZED NOT LOGGED ON"]
