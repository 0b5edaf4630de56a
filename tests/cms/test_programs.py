"""Programs under CMS: ASSEMBLE, LOAD, START, GENMOD, SVC 202 macros, OS SVCs, abends.

The nucleus runs on the fake services, the programs on the real S/370 CPU
(s390.cpu) with the S-disk populated by cms.install.
"""

from cms.fs import Disk
from s390.ebcdic import card, from_ebcdic
from tests.cms.cmskit import RUNAWAY, system
from tests.cms.fakes import ReaderFile, run_session


def a_disk(s):
    return Disk.open(s.disks[0x191])


def readies(s):
    return [x.split(";")[0] for x in s.lines if x.startswith("Ready")]


async def test_hello_from_the_y_disk_assembles_loads_and_starts():
    s = system("ASSEMBLE HELLO", "LOAD HELLO", "START")
    await run_session(s)
    assert "NO STATEMENTS FLAGGED IN THIS ASSEMBLY" in s.lines
    assert "DMSLIO740I EXECUTION BEGINS..." in s.lines
    assert "HELLO FROM CMS" in s.lines
    assert readies(s) == ["Ready"] * 4
    assert a_disk(s).lookup("HELLO", "TEXT").lrecl == 80
    assert a_disk(s).lookup("HELLO", "LISTING") is not None


async def test_fsread_fswrite_copy_and_linedit_count():
    s = system("ASSEMBLE COPYREC", "LOAD COPYREC (START", "TYPE OUTPUT DATA A")
    a_disk(s).write_file("INPUT", "DATA", [card(f"RECORD {i}") for i in range(5)])
    await run_session(s)
    assert "COPIED 5 RECORDS." in s.lines
    assert a_disk(s).read_file("OUTPUT", "DATA") == [card(f"RECORD {i}") for i in range(5)]
    assert "RECORD 4" in s.lines
    assert readies(s)[-1] == "Ready"


async def test_genmod_then_run_the_module_by_name():
    s = system(
        "ASSEMBLE HELLO",
        "LOAD HELLO",
        "GENMOD HELLO",
        "HELLO",
        "HELLO",
        "LOADMOD HELLO",
        "START",
        "LOADMOD NOSUCH",
    )
    await run_session(s)
    assert s.lines.count("HELLO FROM CMS") == 3
    assert "DMSMOD002E FILE 'NOSUCH MODULE *' NOT FOUND" in s.lines
    assert a_disk(s).lookup("HELLO", "MODULE").recfm == "V"


PROGRAM_CHECK = """
BAD      CSECT
         BALR  12,0
         USING *,12
         WRTERM 'ABOUT TO FAIL'
         SR    2,2
         L     3,0(,2)        reads low storage: allowed
         ST    3,0(,2)        stores into the nucleus: protection
         BR    14
         END   BAD
"""


async def test_program_check_gives_the_abend_message_and_ready():
    s = system("ASSEMBLE PROG", "LOAD PROG", "START", "Q CMSLEVEL", source=PROGRAM_CHECK)
    await run_session(s)
    at = next(i for i, x in enumerate(s.lines) if x.startswith("DMSITP141T"))
    assert s.lines[at].startswith("DMSITP141T PROTECTION EXCEPTION OCCURRED AT 02")
    assert s.lines[at].endswith("IN ROUTINE BAD")  # the CSECT, from the loader tables
    assert s.lines[at + 1].startswith("DMSABN148T SYSTEM ABEND 0C4 CALLED FROM 02")
    assert s.lines[at + 2] == "CMS"  # abend recovery: no ready message
    assert s.lines[at + 3] == "VM370 CMS Level 1, Service Level 000"
    assert readies(s)[-1] == "Ready"  # CMS is still there


async def test_runaway_program_is_stopped_by_hx_after_an_attention():
    s = system("ASSEMBLE PROG", "LOAD PROG", "START", "HX", "Q CMSLEVEL", source=RUNAWAY)
    s.attentions = [200_000]
    await run_session(s)
    assert "CMS" in s.lines
    assert readies(s)[-1] == "Ready"
    assert "VM370 CMS Level 1, Service Level 000" in s.lines


OS_PROGRAM = """
OSPGM    CSECT
         SAVE  (14,12)
         BALR  12,0
         USING *,12
         GETMAIN R,LV=4096
         LR    4,1
         MVC   0(5,4),=C'HEAP!'
         WTO   'WTO FROM A PROGRAM'
         WRTERM (4),5
         FREEMAIN R,LV=4096,A=(4)
         RDTERM LINE
         LR    5,0
         WRTERM LINE,(5)
         PRINTL 'PRINTED LINE'
         PUNCHC CARD
         RDCARD CARD,ERROR=NOCARD
         WRTERM CARD,10
         RETURN (14,12),RC=3
NOCARD   ABEND 123
LINE     DS    CL130
CARD     DC    CL80'PUNCHED CARD'
         LTORG
         END   OSPGM
"""


async def test_os_services_terminal_and_unit_record():
    s = system("ASSEMBLE PROG", "LOAD PROG", "START", "typed line", source=OS_PROGRAM)
    s.reader.append(ReaderFile(1, "BOB", [card("CARD FROM READER")]))
    await run_session(s)
    assert "WTO FROM A PROGRAM" in s.lines
    assert "HEAP!" in s.lines
    assert "TYPED LINE" in s.lines
    assert "CARD FROM" in s.lines
    assert readies(s)[-1] == "Ready(00003)"
    assert [from_ebcdic(x) for x in s.printed[0]] == ["PRINTED LINE"]
    assert from_ebcdic(s.punched[0][0]).startswith("PUNCHED CARD")


async def test_user_abend_when_the_reader_is_empty():
    s = system("ASSEMBLE PROG", "LOAD PROG", "START", "line", source=OS_PROGRAM)
    await run_session(s)
    assert any(x.startswith("DMSABN155T USER ABEND 0123 CALLED FROM") for x in s.lines)


async def test_assembly_errors_are_typed_and_set_the_return_code():
    s = system("ASSEMBLE PROG", source="X CSECT\n  LR 1,\n  END")
    await run_session(s)
    assert "1 STATEMENT FLAGGED IN THIS ASSEMBLY" in s.lines
    assert readies(s)[-1].startswith("Ready(0000")


async def test_svc202_calls_a_cms_command_by_tokenized_plist():
    source = """
CALLER   CSECT
         BALR  12,0
         USING *,12
         LA    1,PLIST
         SVC   202
         DC    AL4(ERR)
         BR    14
ERR      LA    15,99
         BR    14
PLIST    DC    CL8'ERASE',CL8'GONE',CL8'FILE',CL8'A'
         DC    8X'FF'
         END   CALLER
"""
    s = system("ASSEMBLE PROG", "LOAD PROG", "START", "START", source=source)
    a_disk(s).write_file("GONE", "FILE", [card("x")])
    await run_session(s)
    assert a_disk(s).lookup("GONE", "FILE") is None
    assert readies(s)[-2:] == ["Ready", "Ready(00099)"]  # 2nd time: not found -> ERR


async def test_start_without_load():
    s = system("START")
    await run_session(s)
    assert "DMSLIO055E NO ENTRY POINT DEFINED" in s.lines


async def test_include_adds_a_second_deck_that_resolves_an_external():
    main = """
MAIN     CSECT
         EXTRN SUB
         SAVE  (14,12)
         BALR  12,0
         USING *,12
         L     15,=V(SUB)
         BALR  14,15
         L     14,12(,13)
         LM    0,12,20(13)
         BR    14
         LTORG
         END   MAIN
"""
    sub = """
SUB      CSECT
         BALR  12,0
         USING *,12
         WRTERM 'IN THE SUBROUTINE'
         LA    15,5
         BR    14
         END
"""
    s = system(
        "ASSEMBLE MAIN",
        "ASSEMBLE SUB",
        "LOAD MAIN (NOAUTO",
        "LOAD MAIN (NOAUTO",
        "INCLUDE SUB",
        "START",
        "LOAD MAIN",
        "START",
        "TYPE LOAD MAP A",
    )
    disk = a_disk(s)
    disk.write_file("MAIN", "ASSEMBLE", [card(x) for x in main.strip("\n").splitlines()])
    disk.write_file("SUB", "ASSEMBLE", [card(x) for x in sub.strip("\n").splitlines()])
    await run_session(s)
    assert "DMSLIO201W THE FOLLOWING NAMES ARE UNDEFINED: SUB" in s.lines
    assert s.lines.count("IN THE SUBROUTINE") == 2  # INCLUDE, then LOAD's own search
    assert any(x.startswith("MAIN     SD  020000") for x in s.lines)
    assert readies(s)[1:] == [
        "Ready",
        "Ready",
        "Ready(00004)",
        "Ready(00004)",
        "Ready",
        "Ready(00005)",
        "Ready",
        "Ready(00005)",
        "Ready",
    ]
    assert any(x.startswith("MAIN     SD  020000") for x in s.lines)
    assert any(x.startswith("SUB      SD  02") for x in s.lines)


async def test_txtlib_gen_map_and_load_searching_a_globaled_txtlib():
    sub = (
        "SUB      CSECT\n         BALR  12,0\n         USING *,12\n"
        "         WRTERM 'FROM THE TXTLIB'\n         BR    14\n         END"
    )
    caller = (
        "MAIN     CSECT\n         BALR  12,0\n         USING *,12\n"
        "         L     15,=V(SUB)\n         BR    15\n         LTORG\n         END   MAIN"
    )
    s = system(
        "ASSEMBLE SUB",
        "TXTLIB GEN MYLIB SUB",
        "ERASE SUB TEXT A",
        "TXTLIB MAP MYLIB",
        "ASSEMBLE MAIN",
        "LOAD MAIN",
        "GLOBAL TXTLIB MYLIB",
        "LOAD MAIN (START",
    )
    disk = a_disk(s)
    disk.write_file("SUB", "ASSEMBLE", [card(x) for x in sub.splitlines()])
    disk.write_file("MAIN", "ASSEMBLE", [card(x) for x in caller.splitlines()])
    await run_session(s)
    assert any(x.startswith("SUB") and "RECORDS" in x for x in s.lines)
    assert "DMSLIO201W THE FOLLOWING NAMES ARE UNDEFINED: SUB" in s.lines
    assert "FROM THE TXTLIB" in s.lines


async def test_maclib_gen_makes_a_library_assemble_uses():
    macro = "         MACRO\n&L       HELLO\n&L       WRTERM 'MY OWN MACRO'\n         MEND"
    prog = "P        CSECT\n         BALR  12,0\n         USING *,12\n         HELLO\n         BR    14\n         END   P"
    s = system(
        "MACLIB GEN MINE HELLO",
        "MACLIB MAP MINE",
        "GLOBAL MACLIB MINE CMSLIB",
        "ASSEMBLE PROG",
        "LOAD PROG (START",
    )
    disk = a_disk(s)
    disk.write_file("HELLO", "MACRO", [card(x) for x in macro.splitlines()])
    disk.write_file("PROG", "ASSEMBLE", [card(x) for x in prog.splitlines()])
    await run_session(s)
    assert any(x.startswith("HELLO") for x in s.lines)
    assert "MY OWN MACRO" in s.lines


async def test_set_blip_types_a_character_while_a_program_computes():
    src = """
SPIN     CSECT
         BALR  12,0
         USING *,12
         L     3,=F'4500000'
LOOP     BCT   3,LOOP
         BR    14
         LTORG
         END   SPIN
"""
    s = system("SET BLIP +", "ASSEMBLE PROG", "LOAD PROG (START", source=src)
    await run_session(s)
    assert s.lines.count("+") >= 2


async def test_a_buffer_outside_storage_is_an_addressing_abend_not_a_bigger_machine():
    src = """
WILD     CSECT
         BALR  12,0
         USING *,12
         L     2,=X'00FFFF00'
         RDTERM (2)
         BR    14
         LTORG
         END   WILD
"""
    src = src.replace(
        "RDTERM (2)", "LA    1,PL\n         ST    2,PL+8\n         SVC   202\n         DC    AL4(1)"
    )
    src = src.replace(
        "         LTORG", "         LTORG\nPL       DC    CL8'WAITRD',A(0),X'E4',AL3(130)"
    )
    s = system("ASSEMBLE PROG", "LOAD PROG", "START", "some input", source=src)
    size = len(s.cpu.mem)
    await run_session(s)
    assert any(x.startswith("DMSABN148T SYSTEM ABEND 0C5 CALLED FROM 02") for x in s.lines)
    assert len(s.cpu.mem) == size


TICKER = """
TICK     CSECT
         BALR  12,0
         USING *,12
         LA    4,3
AGAIN    L     3,=F'150000'
SPIN     BCT   3,SPIN
         WRTERM 'TICK'
         BCT   4,AGAIN
         BR    14
         LTORG
         END   TICK
"""


async def test_ht_stops_typing_until_the_command_ends():
    s = system("ASSEMBLE PROG", "LOAD PROG", "START", "HT", "Q CMSLEVEL", source=TICKER)
    s.attentions = [200_000]  # during the second spin
    await run_session(s)
    assert s.lines.count("TICK") == 1
    assert "VM370 CMS Level 1, Service Level 000" in s.lines  # typing is back


async def test_rt_resumes_typing():
    s = system("ASSEMBLE PROG", "LOAD PROG", "START", "HT", "RT", source=TICKER)
    s.attentions = [200_000, 400_000]
    await run_session(s)
    assert s.lines.count("TICK") == 2


STATE_PROGRAM = """
ST       CSECT
         BALR  12,0
         USING *,12
         FSSTATE 'INPUT DATA *',ERROR=NONE
         L     3,38(,1)            records, from the FST R1 points at
         LINEDIT TEXT='INPUT HAS .... RECORDS',SUB=(DEC,(3)),DOT=NO
         FSOPEN 'MISSING DATA *'
         LR    4,15
         LINEDIT TEXT='FSOPEN RC ....',SUB=(DEC,(4)),DOT=NO
         SR    15,15
         BR    14
NONE     WRTERM 'NO INPUT'
         LA    15,4
         BR    14
         END   ST
"""


async def test_fsstate_returns_the_fst_and_fsopen_reports_a_missing_file():
    s = system(
        "ASSEMBLE PROG", "LOAD PROG (START", "ERASE INPUT DATA A", "START", source=STATE_PROGRAM
    )
    a_disk(s).write_file("INPUT", "DATA", [card("x")] * 7)
    await run_session(s)
    assert "INPUT HAS 7 RECORDS" in s.lines
    assert "FSOPEN RC 28" in s.lines
    assert "NO INPUT" in s.lines
    assert readies(s)[-1] == "Ready(00004)"


async def test_the_machine_is_plain_again_after_a_program():
    s = system("ASSEMBLE HELLO", "LOAD HELLO (START")
    await run_session(s)
    assert "HELLO FROM CMS" in s.lines
    assert not s.cpu.program_intercept and not any(s.cpu.svc_intercept)
