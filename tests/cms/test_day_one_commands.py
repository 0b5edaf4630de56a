"""CMS commands a user meets on day one (SORT, COMPARE, SYNONYM, FINIS, NOTE,
UPDATE, the QUERY/SET environment options), typed at a terminal through the
real CP: their messages, return codes and the answer to bad operands."""

from tests.cms.cmskit import User, make_file, ready_code


async def alice_with_fruit(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await make_file(alice, "FRUIT DATA A", ["CHERRY 3", "APPLE  1", "BANANA 2", "APPLE  0"])
    return alice


async def test_sort_prompts_for_fields_and_sorts_on_them(system):
    alice = await alice_with_fruit(system)
    out = await alice.type("SORT FRUIT DATA A SORTED DATA A", until="DMSSRT604R")
    assert out[-1] == "DMSSRT604R ENTER SORT FIELDS:"
    out = await alice.type("1 6")
    assert ready_code(out) == "Ready"
    out = await alice.type("TYPE SORTED DATA A")
    # equal keys keep their order (APPLE 1 before APPLE 0)
    assert out[:4] == ["APPLE  1", "APPLE  0", "BANANA 2", "CHERRY 3"]
    await alice.type("SORT FRUIT DATA A SORTED DATA A", until="DMSSRT604R")
    await alice.type("8 8 1 6")
    out = await alice.type("TYPE SORTED DATA A")
    assert out[:4] == ["APPLE  0", "APPLE  1", "BANANA 2", "CHERRY 3"]


async def test_sort_bad_operands_get_the_sort_messages(system):
    alice = await alice_with_fruit(system)
    out = await alice.type("SORT FRUIT DATA A")
    assert "DMSSRT054E INCOMPLETE FILEID SPECIFIED" in out and ready_code(out) == "Ready(00024)"
    out = await alice.type("SORT FRUIT DATA A FRUIT DATA A")
    assert "DMSSRT019E IDENTICAL FILEIDS" in out and ready_code(out) == "Ready(00024)"
    out = await alice.type("SORT NONE DATA A X DATA A")
    assert "DMSSRT002E FILE 'NONE DATA A' NOT FOUND" in out and ready_code(out) == "Ready(00028)"
    await alice.type("SORT FRUIT DATA A X DATA A", until="DMSSRT604R")
    out = await alice.type("5")
    assert "DMSSRT053E INVALID SORT FIELD PAIR DEFINED" in out
    assert ready_code(out) == "Ready(00024)"
    await alice.type("SORT FRUIT DATA A X DATA A", until="DMSSRT604R")
    out = await alice.type("5 99")  # past the record length (80)
    assert "DMSSRT053E INVALID SORT FIELD PAIR DEFINED" in out
    out = await alice.type("STATE X DATA A")
    assert ready_code(out) == "Ready(00028)"


async def test_compare_shows_differing_records_and_warns(system):
    alice = await alice_with_fruit(system)
    await make_file(alice, "FRUIT COPY A", ["CHERRY 3", "APPLE  9", "BANANA 2", "APPLE  0"])
    out = await alice.type("COMPARE FRUIT DATA A FRUIT COPY A")
    assert out[0] == "DMSCMP179I COMPARING 'FRUIT DATA A' WITH 'FRUIT COPY A'"
    assert "APPLE  1" in out and "APPLE  9" in out and "CHERRY 3" not in out
    assert "DMSCMP209W FILES DO NOT COMPARE" in out and ready_code(out) == "Ready(00004)"
    out = await alice.type("COMPARE FRUIT DATA A = COPY = (COL 1-6")
    assert "DMSCMP209W FILES DO NOT COMPARE" not in out and ready_code(out) == "Ready"
    out = await alice.type("COMPARE FRUIT DATA A FRUIT DATA A")
    assert "DMSCMP019E IDENTICAL FILEIDS" in out
    out = await alice.type("COMPARE FRUIT DATA A FRUIT COPY A (WHAT")
    assert "DMSCMP003E INVALID OPTION 'WHAT'" in out and ready_code(out) == "Ready(00024)"
    out = await alice.type("COMPARE FRUIT DATA A NONE COPY A")
    assert "DMSCMP002E FILE 'NONE COPY A' NOT FOUND" in out
    await make_file(alice, "SHORT COPY A", ["CHERRY 3", "APPLE  1"])
    out = await alice.type("COMPARE FRUIT DATA A SHORT COPY A")
    assert "DMSCMP010E PREMATURE EOF ON FILE 'SHORT COPY A'" in out
    assert ready_code(out) == "Ready(00040)"


async def test_synonym_table_resolves_commands_and_query_shows_it(system):
    alice = await alice_with_fruit(system)
    await make_file(alice, "MINE SYNONYM A", ["LISTFILE LF 2", "TYPE SHOW"])
    out = await alice.type("LF FRUIT DATA A")
    assert "Unknown CP/CMS command" in out
    out = await alice.type("SYNONYM MINE")
    assert ready_code(out) == "Ready"
    out = await alice.type("LF FRUIT DATA A")
    assert "FRUIT    DATA     A1" in out
    out = await alice.type("SHOW FRUIT DATA A")
    assert "CHERRY 3" in out
    out = await alice.type("SHO FRUIT DATA A")  # no count: the full synonym only
    assert "Unknown CP/CMS command" in out
    out = await alice.type("QUERY SYNONYM USER")
    assert "LISTFILE LF       2" in out and "TYPE     SHOW" in out
    out = await alice.type("QUERY SYNONYM SYSTEM")
    assert "LISTFILE L" in out
    # NOSTD: the standard truncations go, full names and synonyms stay
    await alice.type("SYNONYM MINE (NOSTD")
    out = await alice.type("L FRUIT DATA A")
    assert "Unknown CP/CMS command" in out
    out = await alice.type("LISTFILE FRUIT DATA A")
    assert "FRUIT    DATA     A1" in out
    await alice.type("SYNONYM (STD")
    out = await alice.type("SET ABBREV OFF")
    out = await alice.type("QUERY ABBREV")
    assert "ABBREV = OFF" in out
    out = await alice.type("L FRUIT DATA A")
    assert "Unknown CP/CMS command" in out
    await alice.type("SET ABBREV ON")
    # a synonym of an EXEC runs it; one naming itself ends as an unknown command
    await make_file(alice, "GREET EXEC A", ["/* */", "say 'hello' arg(1)"], case="M")
    await make_file(alice, "MORE SYNONYM A", ["GREET HI", "LOOP LOOP"])
    await alice.type("SYNONYM MORE")
    out = await alice.type("HI there")
    assert "hello there" in out
    out = await alice.type("LOOP")
    assert "Unknown CP/CMS command" in out
    await alice.type("SYNONYM (CLEAR")
    out = await alice.type("QUERY SYNONYM USER")
    assert "NO SYNONYMS DEFINED" in out


async def test_synonym_bad_operands(system):
    alice = await alice_with_fruit(system)
    out = await alice.type("SYNONYM NOSUCH")
    assert "DMSSYN002E FILE 'NOSUCH SYNONYM A' NOT FOUND" in out
    assert ready_code(out) == "Ready(00028)"
    out = await alice.type("SYNONYM (STD NOSTD")
    assert "DMSSYN066E 'STD' AND 'NOSTD' ARE CONFLICTING OPTIONS" in out
    out = await alice.type("SYNONYM (BOGUS")
    assert "DMSSYN003E INVALID OPTION 'BOGUS'" in out
    await make_file(alice, "BAD SYNONYM A", ["LISTFILE"])
    out = await alice.type("SYNONYM BAD")
    assert "DMSSYN056E FILE 'BAD SYNONYM A1' CONTAINS INVALID RECORD FORMATS" in out
    assert ready_code(out) == "Ready(00032)"
    out = await alice.type("QUERY SYNONYM NEITHER")
    assert "DMSQRY070E INVALID PARAMETER 'NEITHER'" in out


async def test_execio_reads_on_until_finis_closes_the_file(system):
    alice = await alice_with_fruit(system)
    await make_file(
        alice,
        "READ3 EXEC A",
        [
            "/* read, read with FINIS, read again */",
            "'EXECIO 1 DISKR FRUIT DATA A'",
            "pull a",
            "'EXECIO 1 DISKR FRUIT DATA A'",
            "pull b",
            "'EXECIO 1 DISKR FRUIT DATA A (FINIS'",
            "pull c",
            "'EXECIO 1 DISKR FRUIT DATA A'",
            "pull d",
            "'FINIS FRUIT DATA A'",
            "'EXECIO 1 DISKR FRUIT DATA A'",
            "pull e",
            "'FINIS * * *'",
            "say a '/' b '/' c '/' d '/' e",
        ],
        case="M",
    )
    out = await alice.type("READ3")
    assert "CHERRY 3 / APPLE  1 / BANANA 2 / CHERRY 3 / CHERRY 3" in out
    out = await alice.type("FINIS")
    assert "DMSFNS001E NO FILENAME SPECIFIED" in out
    out = await alice.type("FINIS A B C D")
    assert "DMSFNS070E INVALID PARAMETER 'D'" in out


async def test_note_goes_to_the_addressees_reader(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    out = await alice.type("NOTE BOB", until="EDIT:")
    await alice.send("INPUT Lunch at noon?")
    out = await alice.type("FILE")
    assert any(x.startswith("Note BOB NOTE A1 sent to BOB on ") for x in out)
    assert ready_code(out) == "Ready"
    files = system.spool.reader_files("BOB")
    assert [(f.name, f.ftype) for f in files] == [("ALICE", "NOTE")]
    text = [r for _, r in system.spool.records(files[0])]
    from s390.ebcdic import from_ebcdic

    lines = [from_ebcdic(r).rstrip() for r in text]
    assert lines[1] == "From: ALICE" and lines[2].split() == ["To:", "BOB"]
    assert "LUNCH AT NOON?" in lines
    out = await alice.type("TYPE ALL NOTEBOOK A")
    assert "LUNCH AT NOON?" in out
    out = await alice.type("STATE BOB NOTE A")
    assert ready_code(out) == "Ready(00028)"
    # QUIT sends nothing
    await alice.type("NOTE BOB", until="EDIT:")
    out = await alice.type("QUIT")
    assert "DMSNOT001W NOTE NOT SENT" in out and ready_code(out) == "Ready(00004)"
    assert len(system.spool.reader_files("BOB")) == 1
    out = await alice.type("NOTE")
    assert "DMSNOT001E NO USERID SPECIFIED" in out and ready_code(out) == "Ready(00024)"
    out = await alice.type("NOTE TOOLONGNAME")
    assert "DMSNOT070E INVALID PARAMETER 'TOOLONGNAME'" in out


def seq(text: str, number: int) -> str:
    return text.ljust(72) + f"{number:08d}"


async def test_update_applies_insert_delete_replace(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await make_file(
        alice,
        "PROG ASSEMBLE A",
        [
            seq("LINE ONE", 1000),
            seq("LINE TWO", 2000),
            seq("LINE THREE", 3000),
            seq("LINE FOUR", 4000),
        ],
    )
    await make_file(
        alice,
        "PROG UPDATE A",
        ["./ * a comment", "./ I 1000 $", "NEW A", "NEW B", "./ D 2000", "./ R 4000", "LINE 4"],
    )
    out = await alice.type("UPDATE PROG")
    assert out[0] == "DMSUPD178I UPDATING 'PROG ASSEMBLE A1' WITH 'PROG UPDATE A1'"
    assert ready_code(out) == "Ready"
    out = await alice.type("TYPE $PROG ASSEMBLE A")
    body = [x for x in out if not x.startswith("Ready")]
    assert [x[:72].rstrip() for x in body] == ["LINE ONE", "NEW A", "NEW B", "LINE THREE", "LINE 4"]
    assert [x[72:] for x in body[:3]] == ["00001000", "00001333", "00001666"]
    out = await alice.type("TYPE PROG UPDLOG A")
    assert "./ I 1000 $" in out


async def test_update_warnings_set_the_severity(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await make_file(alice, "PROG ASSEMBLE A", [seq("LINE ONE", 1000), seq("LINE TWO", 2000)])
    await make_file(alice, "PROG UPDATE A", ["./ D 9000", "./ X 1000"])
    out = await alice.type("UPDATE PROG ASSEMBLE A")
    assert "DMSUPD207W SEQUENCE NUMBER '00009000' NOT FOUND" in out
    assert "DMSUPD207W INVALID UPDATE FILE CONTROL CARD" in out
    assert "DMSUPD177I WARNING MESSAGES ISSUED (SEVERITY=12)." in out
    assert ready_code(out) == "Ready(00012)"
    out = await alice.type("UPDATE")
    assert "DMSUPD001E NO FILENAME SPECIFIED" in out
    out = await alice.type("UPDATE NONE")
    assert "DMSUPD002E FILE 'NONE ASSEMBLE A' NOT FOUND" in out
    out = await alice.type("UPDATE PROG (REP NOREP")
    assert "DMSUPD066E 'REP' AND 'NOREP' ARE CONFLICTING OPTIONS" in out


async def test_query_environment_options_answer_in_cms(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    for what, answer in (
        ("CMSTYPE", "CMSTYPE = RT"),
        ("ABBREV", "ABBREV = ON"),
        ("INPUT", "INPUT = OFF"),
        ("OUTPUT", "OUTPUT = OFF"),
        ("LDRTBLS", "LDRTBLS = 2"),
    ):
        out = await alice.type(f"QUERY {what}")
        assert answer in out and ready_code(out) == "Ready", what
        assert not any("DMKCQG" in x for x in out)
    out = await alice.type("QUERY SEARCH")
    assert any(x.split()[1:3] == ["191", "A"] for x in out) and ready_code(out) == "Ready"
    out = await alice.type("QUERY SYNONYM")
    assert "NO SYNONYMS DEFINED" in out and not any("DMKCQG" in x for x in out)
    await alice.type("SET LDRTBLS 5")
    out = await alice.type("QUERY LDRTBLS")
    assert "LDRTBLS = 5" in out
    out = await alice.type("SET LDRTBLS X")
    assert "DMSSET070E INVALID PARAMETER 'X'" in out
    out = await alice.type("QUERY ABBREV NOW")
    assert "DMSQRY070E INVALID PARAMETER 'NOW'" in out


async def test_copyfile_case_specs_trunc_fill_and_labels(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await make_file(
        alice, "MIXED TEXT A", ["Hello World", "second line", "LABEL here", "after"], case="M"
    )
    await alice.type("COPYFILE MIXED TEXT A UP TEXT A (UPCASE")
    out = await alice.type("TYPE UP TEXT A")
    assert out[:2] == ["HELLO WORLD", "SECOND LINE"]
    await alice.type("COPYFILE MIXED TEXT A LOW TEXT A (LOWCASE")
    out = await alice.type("TYPE LOW TEXT A")
    assert out[:3] == ["hello world", "second line", "label here"]
    out = await alice.type("COPYFILE MIXED TEXT A COLS TEXT A (SPECS", until="DMSCPY601R")
    assert out[-1] == "DMSCPY601R ENTER SPECIFICATION:"
    await alice.type("7-11 1 /:/ 6 1-5 8")
    out = await alice.type("TYPE COLS TEXT A 1 1")
    assert out[0] == "World: Hello"
    await alice.type("COPYFILE MIXED TEXT A SHORT TEXT A (RECFM V TRUNC")
    out = await alice.type("LISTFILE SHORT TEXT A (FORMAT")
    assert any(x.split()[3:5] == ["V", "11"] for x in out)
    await alice.type("COPYFILE MIXED TEXT A PART TEXT A (FRLABEL LABEL")
    out = await alice.type("TYPE PART TEXT A")
    assert out[:2] == ["LABEL here", "after"]
    await alice.type("COPYFILE MIXED TEXT A HEAD TEXT A (TOLABEL LABEL")
    out = await alice.type("TYPE HEAD TEXT A")
    assert out[:2] == ["Hello World", "second line"] and "LABEL here" not in out
    await alice.type("COPYFILE SHORT TEXT A STARS TEXT A (RECFM F LRECL 14 FILL *")
    out = await alice.type("TYPE STARS TEXT A 1 1")
    assert out[0] == "Hello World***"


async def test_copyfile_option_conflicts_and_bad_specs(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await make_file(alice, "SRC TEXT A", ["ONE"])
    out = await alice.type("COPYFILE SRC TEXT A X TEXT A (UPCASE LOWCASE")
    assert "DMSCPY066E 'UPCASE' AND 'LOWCASE' ARE CONFLICTING OPTIONS" in out
    assert ready_code(out) == "Ready(00024)"
    out = await alice.type("COPYFILE SRC TEXT A X TEXT A (FROM 2 FRLABEL X")
    assert "DMSCPY066E 'FROM' AND 'FRLABEL' ARE CONFLICTING OPTIONS" in out
    out = await alice.type("COPYFILE SRC TEXT A X TEXT A (FRLABEL NOPE")
    assert "DMSCPY034E LABEL 'NOPE' NOT FOUND" in out and ready_code(out) == "Ready(00032)"
    await alice.type("COPYFILE SRC TEXT A X TEXT A (SPECS", until="DMSCPY601R")
    out = await alice.type("1-3")
    assert "DMSCPY068E INVALID SPECIFICATION '1-3'" in out and ready_code(out) == "Ready(00024)"
    out = await alice.type("COPYFILE SRC TEXT A X TEXT A (FILL")
    assert "DMSCPY070E INVALID PARAMETER 'FILL'" in out
    out = await alice.type("COPYFILE SRC TEXT A X TEXT A (NEWFILE REPLACE")
    assert "DMSCPY066E 'NEWFILE' AND 'REPLACE' ARE CONFLICTING OPTIONS" in out
    await alice.type("COPYFILE SRC TEXT A NEW TEXT A (NEWFILE")
    out = await alice.type("COPYFILE SRC TEXT A NEW TEXT A (NEWFILE")
    assert "DMSCPY024E FILE 'NEW TEXT A1' ALREADY EXISTS -- SPECIFY 'REPLACE'" in out
    assert ready_code(out) == "Ready(00028)"


async def test_release_det_detaches_the_disk(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await alice.type("FORMAT 193 C", until="ENTER 'YES'")
    await alice.type("YES", until="DMSFOR605R")
    await alice.type("ALI193")
    out = await alice.type("RELEASE C (DET")
    assert "DASD 193 DETACHED" in out and ready_code(out) == "Ready"
    out = await alice.type("CP QUERY VIRTUAL 193")
    assert not any(x.startswith("DASD 193") for x in out)
    out = await alice.type("RELEASE A (DETOUR")
    assert "DMSARE003E INVALID OPTION 'DETOUR'" in out
    out = await alice.type("RELEASE A B")
    assert "DMSARE070E INVALID PARAMETER 'B'" in out


async def test_temporary_disk_formatted_by_cms_and_gone_at_logoff(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    out = await alice.type("CP DEFINE T3370 AS 2A0 BLK 400")
    assert "DASD 2A0 DEFINED" in out
    await alice.type("FORMAT 2A0 T", until="ENTER 'YES'")
    await alice.type("YES", until="DMSFOR605R")
    out = await alice.type("TMP001")
    assert "DMSFOR732I 400 BLOCKS FORMATTED ON DISK 'T(2A0)'." in out
    await make_file(alice, "SCRATCH DATA T", ["KEPT ONLY WHILE LOGGED ON"])
    out = await alice.type("LISTFILE * * T")
    assert "SCRATCH  DATA     T1" in out
    await alice.type("CP DEFINE T3330 AS 2A1 CYL 1")
    await alice.type("FORMAT 2A1 U", until="ENTER 'YES'")
    await alice.type("YES", until="DMSFOR605R")
    await alice.type("TMP002")
    out = await alice.type("QUERY DISK U")
    assert out[1].split()[:7] == ["TMP002", "2A1", "U", "R/W", "-", "3330", "512"]
    assert not list(system.path.glob("**/$TDSK$*"))
    vm = system.find_user("ALICE")
    disk = vm.devices[0x2A0].disk
    await alice.type("LOGOFF", until="LOGOFF AT")
    assert system.find_user("ALICE") is None
    assert disk.fd == -1  # the unlinked image is closed: its space is freed
    assert not list(system.path.glob("**/$TDSK$*"))


async def test_debug_examines_and_alters_the_machine(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    out = await alice.type("DEBUG", until="DMSDBG728I")
    assert out[-1] == "DMSDBG728I DEBUG ENTERED"
    await alice.send("STORE 20000 C1C2C3C4")
    await alice.send("ORIGIN 20000")
    await alice.send("DEFINE WORDS 0 8")
    await alice.send("SET GPR 3 12345678 9")
    start = len(alice.terminal.lines)
    for line in (
        "X 0",
        "X 2 2",
        "X WORDS",
        "GPR 3 4",
        "X ZZ",
        "BREAK 1 20",
        "FROB",
        "SET GPR 16 1",
    ):
        await alice.send(line)
    out = await alice.type("RETURN")
    shown = alice.terminal.lines[start:]
    assert shown[:4] == [
        "020000  C1C2C3C4",
        "020002  C3C4",
        "020000  C1C2C3C4 00000000",
        "GPR  3 = 12345678 00000009",
    ]
    assert "DMSDBG729E INVALID OPERAND: ZZ" in shown
    assert "DMSDBG727E BREAK IS NOT AVAILABLE; USE CP ADSTOP, TRACE AND BEGIN" in shown
    assert "DMSDBG726E 'FROB' IS AN INVALID SUBCOMMAND" in shown
    assert "DMSDBG729E INVALID OPERAND: 16" in shown
    assert ready_code(out) == "Ready"
    out = await alice.type("CP DISPLAY G3")
    assert "GPR  3 = 12345678" in out
    out = await alice.type("DEBUG NOW")
    assert "DMSDBG070E INVALID PARAMETER 'NOW'" in out


async def test_set_input_and_output_translate_the_terminal(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    # (@ and # are CP's character delete and line end on a line terminal)
    await alice.type("SET OUTPUT C1 $")  # X'C1' (A) shows as $
    out = await alice.type("QUERY OUTPUT")
    assert "OUTPUT C1 $" in out
    out = await alice.type("TYPE NOSUCH FILE A")
    assert "DMSTYP002E FILE 'NOSUCH FILE $' NOT FOUND" in out
    await alice.type("SET OUTPUT")
    out = await alice.type("QUERY OUTPUT")
    assert "OUTPUT = OFF" in out
    await alice.type("SET INPUT % C2")  # % arrives as X'C2' (B)
    out = await alice.type("QUERY INPUT")
    assert "INPUT % C2" in out
    out = await alice.type("TYPE NOSUCH FILE %")
    assert "DMSTYP069E DISK 'B' NOT ACCESSED" in out  # the % arrived as B
    out = await alice.type("SET INPUT ! ZZ")
    assert "DMSSET070E INVALID PARAMETER 'ZZ'" in out
