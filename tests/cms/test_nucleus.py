"""The CMS nucleus and its file/disk/environment commands on fake services."""

import re

import pytest

from s390.ebcdic import card, from_ebcdic, to_ebcdic
from tests.cms.fakes import FakeServices, ReaderFile, run_session

READY = re.compile(r"^Ready; T=\d+\.\d\d/\d+\.\d\d \d\d:\d\d:\d\d$")


def services(*script, a_disk=True):
    s = FakeServices(script=list(script))
    if a_disk:
        s.add_disk(0x191)
    return s


async def session(*script, **kw):
    s = services(*script, **kw)
    await run_session(s)
    return s


def readies(s):
    return [line for line in s.lines if line.startswith("Ready")]


async def test_ipl_banner_and_ready_message():
    s = await session("ACCESS (NOPROF", "QUERY CMSLEVEL")
    assert s.lines[0].startswith("VM/370 CMS - 11/26/26")
    assert READY.match(readies(s)[0])
    assert "VM370 CMS Level 1, Service Level 000" in s.lines


async def test_standard_disks_are_accessed_at_ipl():
    s = services("Q SEARCH")
    s.add_disk(0x190, label="CMS190", read_only=True)
    s.add_disk(0x19E, label="CMS19E", read_only=True)
    await run_session(s)
    assert "USR191 191  A    R/W" in s.lines
    assert "CMS190 190  S    R/O" in s.lines
    assert "CMS19E 19E  Y/S  R/O" in s.lines


async def test_unformatted_a_disk_is_reported_and_cms_goes_on():
    s = FakeServices(script=["Q CMSLEVEL"])
    s.add_disk(0x191, formatted=False)
    await run_session(s)
    assert any(
        line.startswith("DMSACC112S DISK 'A' IS NOT A CMS FORMATTED DISK") for line in s.lines
    )
    assert READY.match(readies(s)[0])


async def test_format_asks_for_confirmation_and_label():
    s = FakeServices(script=["FORMAT 191 A", "YES", "MYDISK", "Q DISK A"])
    s.add_disk(0x191, formatted=False)
    await run_session(s)
    assert (
        "DMSFOR603R FORMAT WILL ERASE ALL FILES ON DISK 'A(191)'. DO YOU WISH TO CONTINUE?"
        in s.lines
    )
    assert "DMSFOR605R ENTER DISK LABEL:" in s.lines
    assert any(line.startswith("MYDISK 191  A   R/W") for line in s.lines)


async def test_unknown_command_gives_minus_3():
    s = await session("ACCESS (NOPROF", "FROBNICATE")
    assert "Unknown CP/CMS command" in s.lines
    assert readies(s)[-1].startswith("Ready(-0003);")


async def test_implied_cp_passes_unknown_names_to_cp():
    s = services("ACCESS (NOPROF", "QUERY TIME")
    s.cp_replies["QUERY"] = (0, ["TIME IS 05:30:00 UTC THURSDAY 11/26/26"])
    await run_session(s)
    assert "TIME IS 05:30:00 UTC THURSDAY 11/26/26" in s.lines
    assert s.cp_log == ["QUERY TIME"]


async def test_set_impcp_off_stops_passing_to_cp():
    s = await session("ACCESS (NOPROF", "SET IMPCP OFF", "LOGON", "Q IMPCP")
    assert "Unknown CMS command" in s.lines
    assert "IMPCP = OFF" in s.lines
    assert s.cp_log == []


async def test_rdymsg_smsg_shortens_the_ready_message():
    s = await session("ACCESS (NOPROF", "SET RDYMSG SMSG", "Q RDYMSG")
    assert "RDYMSG = SMSG" in s.lines
    assert s.lines[-1] == "Ready;"


async def test_create_copy_rename_erase_and_listfile():
    s = services(
        "ACCESS (NOPROF",
        "COPYFILE PROFILE EXEC A NEW EXEC A",
        "COPYFILE SRC DATA A = COPY = ",
        "RENAME SRC COPY A SRC MOVED A",
        "ERASE SRC DATA A",
        "LISTFILE * * A",
        "TYPE SRC MOVED A 2 2",
        "STATE SRC DATA A",
    )
    s.disks[0x191]
    from cms.fs import Disk

    disk = Disk.open(s.disks[0x191])
    disk.write_file("SRC", "DATA", [card("LINE ONE"), card("LINE TWO")])
    await run_session(s)
    assert "DMSCPY002E FILE 'PROFILE EXEC A' NOT FOUND" in s.lines
    assert "SRC      MOVED    A1" in s.lines
    assert "SRC      DATA     A1" not in s.lines
    assert "LINE TWO" in s.lines and "LINE ONE" not in s.lines
    assert "DMSSTT002E FILE 'SRC DATA A' NOT FOUND" in s.lines
    assert [r.split(";")[0] for r in readies(s)] == [
        "Ready",
        "Ready(00028)",
        "Ready",
        "Ready",
        "Ready",
        "Ready",
        "Ready",
        "Ready(00028)",
    ]


async def test_copyfile_refuses_to_replace_without_the_option_and_converts_formats():
    s = services(
        "ACCESS (NOPROF",
        "COPYFILE A B A C D A",
        "COPYFILE A B A C D A",
        "COPYFILE A B A C D A (REPLACE RECFM V",
        "LISTFILE C D A (DATE",
        "COPYFILE A B A C D A (APPEND",
        "TYPE C D",
        "COPYFILE A B A E F A (LRECL 5 FROM 2 FOR 1",
        "TYPE E F A (HEX",
    )
    from cms.fs import Disk

    Disk.open(s.disks[0x191]).write_file("A", "B", [card("ABC"), card("DEFGHIJ")])
    await run_session(s)
    assert "DMSCPY024E FILE 'C D A1' ALREADY EXISTS -- SPECIFY 'REPLACE'" in s.lines
    assert any(re.match(r"C        D        A1 V          7          2", x) for x in s.lines)
    assert s.lines.count("DEFGHIJ") == 2
    assert "  0000  C4C5C6C7 C8" in s.lines


async def test_bad_fileid_and_bad_mode():
    s = await session(
        "ACCESS (NOPROF", "COPYFILE X Y A", "TYPE A B Q", "STATE A! B A", "LISTFILE * * 7"
    )
    assert "DMSCPY054E INCOMPLETE FILEID SPECIFIED" in s.lines
    assert "DMSTYP069E DISK 'Q' NOT ACCESSED" in s.lines
    assert "DMSLST048E INVALID MODE '7'" in s.lines
    codes = [r.split(";")[0] for r in readies(s)][1:]
    assert codes == ["Ready(00024)", "Ready(00036)", "Ready(00028)", "Ready(00024)"]


async def test_bad_fileid_characters_when_writing():
    s = services("ACCESS (NOPROF", "COPYFILE A B A A! B A")
    from cms.fs import Disk

    Disk.open(s.disks[0x191]).write_file("A", "B", [card("x")])
    await run_session(s)
    assert "DMSCPY062E INVALID CHARACTER '!' IN FILEID 'A! B A'" in s.lines
    assert readies(s)[-1].startswith("Ready(00020)")


async def test_read_only_disk_and_extension_search():
    s = services(
        "ACCESS (NOPROF",
        "ACCESS 192 B/A",
        "TYPE SHARED FILE A",
        "ERASE SHARED FILE B",
        "COPYFILE SHARED FILE B X Y B",
    )
    dev = s.add_disk(0x192, label="BOB191")
    from cms.fs import Disk

    Disk.open(dev).write_file("SHARED", "FILE", [card("SHARED DATA")])
    await run_session(s)
    assert "DMSACC723I B (192) R/O/A" in s.lines
    assert "SHARED DATA" in s.lines
    assert "DMSERS037E DISK 'B' IS READ/ONLY" in s.lines
    assert "DMSCPY037E DISK 'B' IS READ/ONLY" in s.lines
    assert [r.split(";")[0] for r in readies(s)][-2:] == ["Ready(00036)", "Ready(00036)"]


async def test_mode0_files_are_private_on_a_read_only_link():
    s = services("ACCESS (NOPROF", "ACCESS 192 B", "LISTFILE * * B")
    dev = s.add_disk(0x192, read_only=True)
    from cms.fs import Disk

    d = Disk.open(dev)
    dev.read_only = False
    d.write_file("SECRET", "FILE", [card("x")], mode_number=0)
    d.write_file("PUBLIC", "FILE", [card("y")])
    dev.read_only = True
    await run_session(s)
    assert "PUBLIC   FILE     B1" in s.lines
    assert not any("SECRET" in line for line in s.lines)


async def test_disk_full_message_and_rc():
    s = FakeServices(script=["ACCESS (NOPROF", "COPYFILE BIG FILE A BIG COPY A"])
    s.add_disk(0x191, blocks=40)
    from cms.fs import Disk

    Disk.open(s.disks[0x191]).write_file("BIG", "FILE", [card("x" * 80)] * 150)
    await run_session(s)
    assert "DMSCPY105S ERROR 13 WRITING FILE 'BIG COPY A' ON DISK" in s.lines
    assert readies(s)[-1].startswith("Ready(00013)")


async def test_release_and_query_disk():
    s = await session("ACCESS (NOPROF", "RELEASE A", "Q DISK", "RELEASE A")
    assert "DMSARE069E DISK 'A' NOT ACCESSED" in s.lines


async def test_punch_and_readcard_round_trip():
    s = services("ACCESS (NOPROF", "PUNCH SRC DATA A")
    from cms.fs import Disk

    Disk.open(s.disks[0x191]).write_file("SRC", "DATA", [card("ONE"), card("TWO")])
    await run_session(s)
    deck = s.punched[0]
    assert from_ebcdic(deck[0]).startswith(":READ  SRC      DATA     A1")
    s2 = services("ACCESS (NOPROF", "READCARD *", "TYPE SRC DATA A")
    s2.reader.append(ReaderFile(5, "ALICE", deck))
    await run_session(s2)
    assert "DMSRDC738I FILE 'SRC DATA A1' READ" in s2.lines
    assert "TWO" in s2.lines


async def test_sendfile_then_receive_keeps_record_format():
    s = services("ACCESS (NOPROF", "SENDFILE VDATA FILE A TO BOB")
    from cms.fs import Disk

    Disk.open(s.disks[0x191]).write_file("VDATA", "FILE", [b"\xc1", b"\xc2" * 200], recfm="V")
    await run_session(s)
    assert "SPOOL PUNCH TO BOB NOCONT" in s.cp_log
    assert any(x.startswith("File VDATA FILE A1 sent to BOB") for x in s.lines)
    b = services("ACCESS (NOPROF", "PEEK", "RECEIVE", "LISTFILE VDATA FILE A (DATE")
    b.reader.append(ReaderFile(7, "ALICE", s.punched[0], "VDATA", "FILE"))
    await run_session(b)
    assert "File VDATA FILE A1 received from ALICE" in b.lines
    assert any(re.match(r"VDATA    FILE     A1 V        200          2", x) for x in b.lines)
    assert Disk.open(b.disks[0x191]).read_file("VDATA", "FILE") == [b"\xc1", b"\xc2" * 200]


async def test_receive_with_an_empty_reader():
    s = await session("ACCESS (NOPROF", "RECEIVE")
    assert "DMSRCV1101E NO FILES IN YOUR READER" in s.lines


async def test_tell_uses_cp_msg_and_keeps_case():
    s = await session("ACCESS (NOPROF", "TELL bob Hello there")
    assert s.cp_log == ["MSG BOB Hello there"]


async def test_print_closes_the_printer():
    s = services("ACCESS (NOPROF", "PRINT SRC DATA A (CC")
    from cms.fs import Disk

    Disk.open(s.disks[0x191]).write_file("SRC", "DATA", [card("1TITLE"), card("0BODY")])
    await run_session(s)
    assert s.printed == [[b"\x0c", to_ebcdic("TITLE"), b"", to_ebcdic("BODY")]]
    assert s.cp_log == ["CLOSE 00E NAME SRC DATA"]


async def test_filedef_and_movefile_disk_to_disk():
    s = services(
        "ACCESS (NOPROF",
        "FILEDEF INMOVE DISK SRC DATA A",
        "FILEDEF OUTMOVE DISK DST DATA A (RECFM V",
        "MOVEFILE",
        "TYPE DST DATA A",
        "Q FILEDEF",
    )
    from cms.fs import Disk

    Disk.open(s.disks[0x191]).write_file("SRC", "DATA", [card("MOVED LINE")])
    await run_session(s)
    assert "MOVED LINE" in s.lines
    assert "INMOVE DISK SRC DATA A" in s.lines


async def test_invalid_option_is_reported():
    s = await session("ACCESS (NOPROF", "LISTFILE * * A (BOGUS")
    assert "DMSLST003E INVALID OPTION 'BOGUS'" in s.lines


async def test_disk_dump_and_disk_load_keep_the_format():
    s = services("ACCESS (NOPROF", "DISK DUMP VF DATA A")
    from cms.fs import Disk

    Disk.open(s.disks[0x191]).write_file("VF", "DATA", [b"\xc1" * 5, b"\xc2" * 130], "V")
    await run_session(s)
    deck = s.punched[0]
    assert deck[0][:4] == b"\x02" + to_ebcdic("CMS") and all(len(c) == 80 for c in deck)
    s2 = services("ACCESS (NOPROF", "DISK LOAD", "LISTFILE VF DATA A (DATE")
    s2.reader.append(ReaderFile(9, "ALICE", deck))
    await run_session(s2)
    assert "DMSDSK705I FILE 'VF DATA A1' LOADED" in s2.lines
    assert Disk.open(s2.disks[0x191]).read_file("VF", "DATA") == [b"\xc1" * 5, b"\xc2" * 130]


async def test_disk_load_refuses_plain_cards():
    s = services("ACCESS (NOPROF", "DISK LOAD")
    s.reader.append(ReaderFile(9, "ALICE", [card("JUST A CARD")]))
    await run_session(s)
    assert "DMSDSK104S READER FILE IS NOT IN DISK DUMP FORMAT" in s.lines


async def test_listfile_exec_writes_cms_exec_and_query_accessed():
    s = services("ACCESS (NOPROF", "LISTFILE * DATA A (EXEC", "TYPE CMS EXEC A", "Q ACCESSED")
    from cms.fs import Disk

    Disk.open(s.disks[0x191]).write_file("ONE", "DATA", [card("1")])
    await run_session(s)
    assert "&1 &2 ONE      DATA     A1" in s.lines
    assert "Mode  Stat  Files  Vdev  Label/Directory" in s.lines
    assert "A     R/W       2  191   USR191" in s.lines


async def test_global_reports_missing_libraries():
    s = services("ACCESS (NOPROF", "GLOBAL MACLIB NOSUCH", "Q MACLIB")
    await run_session(s)
    assert "DMSGLB002W FILE 'NOSUCH MACLIB *' NOT FOUND" in s.lines
    assert "MACLIB = NONE" in s.lines


async def test_set_and_query_blip_and_impex():
    s = await session(
        "ACCESS (NOPROF", "SET BLIP *", "Q BLIP", "SET IMPEX OFF", "Q IMPEX", "SET IMPCP MAYBE"
    )
    assert "BLIP = *" in s.lines and "IMPEX = OFF" in s.lines
    assert "DMSSET070E INVALID PARAMETER 'MAYBE'" in s.lines


async def test_erase_refuses_all_wildcards_and_type_range_errors():
    s = services("ACCESS (NOPROF", "ERASE * * *", "TYPE ONE DATA A 5", "TYPE ONE DATA A X")
    from cms.fs import Disk

    Disk.open(s.disks[0x191]).write_file("ONE", "DATA", [card("1")])
    await run_session(s)
    assert "DMSERS070E INVALID PARAMETER '*'" in s.lines
    assert "DMSTYP006E NO RECORDS TYPED: FILE HAS 1 RECORDS" in s.lines
    assert "DMSTYP070E INVALID PARAMETER 'X'" in s.lines


async def test_cp_ipl_from_cms_ends_this_cms_without_a_ready_message():
    from cms.nucleus import ipl_cms

    s = services("ACCESS (NOPROF", "CP IPL CMS", "Q CMSLEVEL")
    s.cp_replies["IPL"] = (0, [])
    await ipl_cms(s, "")
    assert s.cp_log == ["IPL CMS"]
    assert len(readies(s)) == 1  # only ACCESS's
    assert s.script == ["Q CMSLEVEL"]  # the next line is the new CMS's


async def test_failing_cp_ipl_leaves_cms_running():
    s = services("ACCESS (NOPROF", "CP IPL 999", "Q CMSLEVEL")
    s.cp_replies["IPL"] = (40, ["DMKCFG040E DEV 999 DOES NOT EXIST"])
    await run_session(s)
    assert "DMKCFG040E DEV 999 DOES NOT EXIST" in s.lines
    assert readies(s)[-2:] == ["Ready(00040); T=" + readies(s)[-2].split("T=")[1], readies(s)[-1]]


async def test_access_an_extension_with_a_fileid_shows_only_those_files():
    s = services("ACCESS (NOPROF", "ACCESS 192 B/A * EXEC", "LISTFILE * * B", "ACCESS 192 B X Y")
    dev = s.add_disk(0x192, label="TOOLS")
    from cms.fs import Disk

    d = Disk.open(dev)
    d.write_file("TOOL", "EXEC", [card("/* */")])
    d.write_file("NOTES", "TEXT", [card("x")])
    await run_session(s)
    assert "TOOL     EXEC     B1" in s.lines
    assert not any(x.startswith("NOTES") for x in s.lines)
    assert "DMSACC070E INVALID PARAMETER 'X'" in s.lines


async def test_access_messages_when_modes_and_disks_are_replaced():
    s = services("ACCESS (NOPROF", "ACCESS 192 A", "ACCESS 191 B", "ACCESS 193 C", "ACCESS 193 D")
    s.add_disk(0x192, label="OTHER")
    s.add_disk(0x193, label="RODISK", read_only=True)
    await run_session(s)
    assert "DMSACC724I 192 REPLACES A (191)" in s.lines
    assert "DMSACC726I '191 A' RELEASED" in s.lines
    assert "DMSACC723I C (193) R/O" in s.lines
    assert "DMSACC725I 193 ALSO = 'C' DISK" in s.lines


@pytest.mark.parametrize(
    "emsg, shown",
    [
        ("ON", "DMSTYP002E FILE 'NO SUCH A' NOT FOUND"),
        ("CODE", "DMSTYP002E"),
        ("TEXT", "FILE 'NO SUCH A' NOT FOUND"),
        ("OFF", None),
    ],
)
async def test_error_messages_follow_cp_set_emsg(emsg, shown):
    s = services("ACCESS (NOPROF", "TYPE NO SUCH A")
    s.emsg = emsg
    await run_session(s)
    after = s.lines[s.lines.index(readies_full(s)[0]) + 1 :]
    assert after[0] == shown if shown else after[0].startswith("Ready(00028)")


def readies_full(s):
    return [x for x in s.lines if x.startswith("Ready")]


async def test_query_disk_lines_fit_the_80_columns_of_a_3270():
    s = FakeServices(script=["FORMAT 191 A", "YES", "MYDISK", "Q DISK"])
    s.add_disk(0x191, formatted=False)
    await run_session(s)
    first = s.lines.index(next(x for x in s.lines if x.startswith("LABEL  VDEV")))
    table = s.lines[first : first + 2]
    assert table[0].split() == [
        "LABEL",
        "VDEV",
        "M",
        "STAT",
        "CYL",
        "TYPE",
        "BLKSZ",
        "FILES",
        "BLKS",
        "USED-(%)",
        "BLKS",
        "LEFT",
        "BLK",
        "TOTAL",
    ]
    assert all(len(x) < 80 for x in table)
    assert table[1].startswith("MYDISK 191  A   R/W")
    # the numbers end under their headings
    assert table[1].rstrip().endswith(table[1].split()[-1]) and len(table[1]) == len(table[0])


async def test_ipl_accesses_the_system_disk_read_only_even_when_linked_rw():
    s = FakeServices(
        script=[
            "ACCESS (NOPROF",
            "Q DISK S",
            "EXECIO 1 DISKW X Y S1 (STRING x",
            "ACCESS 190 Z",
            "EXECIO 1 DISKW X Y Z1 (STRING x",
        ]
    )
    s.add_disk(0x191)
    s.add_disk(0x190, label="MNT190")  # MAINT's R/W link
    await run_session(s)
    assert any(x.startswith("MNT190 190  S   R/O") for x in s.lines), s.lines
    assert "DMSEIO037E DISK 'S' IS READ/ONLY" in s.lines
    assert readies(s)[-1].startswith("Ready;")  # updated through another mode
