"""The macro language and conditional assembly."""

from __future__ import annotations

from s390.asm import MaclibFile, MemberLibrary, assemble
from s390.asm.cli import DirectoryLibrary
from s390.ebcdic import to_ebcdic

from .helpers import messages

PRINTMAC = """         MACRO
&LABEL   WTO   &TEXT,&DEV=CONS,&CR=YES
.* a message writer whose code depends on its keyword parameters
         AIF   ('&DEV' EQ 'PRT').PRINTER
&LABEL   LA    1,MSG&SYSNDX
         AIF   ('&CR' EQ 'NO').NOCR
         MVI   0(1),X'09'
         AGO   .TEXT
.NOCR    MVI   0(1),X'01'
         AGO   .TEXT
.PRINTER ANOP
&LABEL   LA    1,MSG&SYSNDX
         MVI   0(1),X'11'
.TEXT    B     END&SYSNDX
MSG&SYSNDX DC  C&TEXT
END&SYSNDX DS  0H
         MEND
"""


def test_keyword_parameters_change_the_expansion():
    src = (
        PRINTMAC
        + """P        CSECT
         USING P,15
A        WTO   'HI'
B        WTO   'YO',CR=NO
C        WTO   'PR',DEV=PRT
         END
"""
    )
    r = assemble(src)
    assert r.rc == 0, [str(d) for d in r.diagnostics]
    t = r.text
    # each expansion: LA(4) MVI(4) B(4) DC(2) -> 14 bytes, labels unique by &SYSNDX
    assert t[4:8] == bytes.fromhex("92091000")
    assert t[18:22] == bytes.fromhex("92011000")
    assert t[32:36] == bytes.fromhex("92111000")
    assert t[12:14] == to_ebcdic("HI") and t[40:42] == to_ebcdic("PR")
    assert {"MSG0001", "MSG0002", "MSG0003", "A", "B", "C"} <= set(r.symbols)
    assert r.symbols["A"].value.value == 0 and r.symbols["B"].value.value == 14


def test_seta_loop_syslist_and_sublists():
    src = """         MACRO
         REGS  &LIST
         LCLA  &I
&I       SETA  1
.LOOP    AIF   (&I GT N'&LIST).DONE
         DC    AL1(&LIST(&I))
&I       SETA  &I+1
         AGO   .LOOP
.DONE    ANOP
&I       SETA  N'&SYSLIST
         DC    AL1(&I)
         MEND
P        CSECT
         REGS  (3,5,7,9),X,Y
         END
"""
    r = assemble(src)
    assert r.rc == 0, [str(d) for d in r.diagnostics]
    assert r.text == bytes([3, 5, 7, 9, 3])


def test_setc_substring_concatenation_and_type_attribute():
    src = """         MACRO
         DEF   &NAME,&VAL
         LCLC  &C
         LCLB  &NUM
&C       SETC  '&NAME'(1,3).'X'
&NUM     SETB  (T'&VAL EQ 'N')
         AIF   (&NUM).NUMERIC
&C       DC    C'&VAL'
         MEXIT
.NUMERIC ANOP
&C       DC    F'&VAL'
         MEND
P        CSECT
         DEF   ABCDEF,42
         DEF   QQQQ,TEXT
         DEF   ZZZ
         END
"""
    r = assemble(src)
    assert r.rc == 0, [str(d) for d in r.diagnostics]
    assert r.symbols["ABCX"].type == "F" and r.symbols["QQQX"].type == "C"
    assert r.text[:4] == (42).to_bytes(4, "big") and r.text[4:8] == to_ebcdic("TEXT")


def test_global_set_symbols_nested_calls_and_mnote():
    src = """         MACRO
         INNER &X
         GBLA  &COUNT
&COUNT   SETA  &COUNT+&X
         MEND
         MACRO
         OUTER
         GBLA  &COUNT
         INNER 2
         INNER 5
         DC    F'&COUNT'
         AIF   (&COUNT LT 5).OK
         MNOTE 4,'COUNT IS &COUNT'
.OK      MEND
P        CSECT
         OUTER
         END
"""
    r = assemble(src)
    assert r.text == (7).to_bytes(4, "big")
    assert r.rc == 4
    assert [(d.msgid, d.text) for d in r.diagnostics] == [("ASMA254I", "*** MNOTE *** COUNT IS 7")]


def test_mnote_severity_sets_return_code():
    src = "         MACRO\n         BAD\n         MNOTE 8,'BAD THING'\n         MEND\nP        CSECT\n         BAD\n         END\n"
    r = assemble(src)
    assert r.rc == 8 and "BAD THING" in r.diagnostics[0].text


def test_open_code_conditional_assembly():
    src = """&FLAG    SETB  1
&N       SETA  3
P        CSECT
         AIF   (NOT &FLAG).SKIP
         DC    (&N)X'AA'
.SKIP    ANOP
         DC    X'BB'
         END
"""
    r = assemble(src)
    assert r.rc == 0 and r.text == bytes.fromhex("AAAAAABB")


def test_undefined_keyword_and_unbalanced_parentheses_are_reported():
    src = """         MACRO
         M     &A,&K=1
         DC    F'&K'
         MEND
P        CSECT
         M     1,Q=2
         END
"""
    r = assemble(src)
    assert "ASMA017W" in messages(r)


def test_macro_library_directory_and_copy(tmp_path):
    (tmp_path / "SAVEREGS.macro").write_text(
        "         MACRO\n&L       SAVEREGS\n&L       STM   14,12,12(13)\n         MEND\n"
    )
    (tmp_path / "CONSTS.copy").write_text("K1       DC    F'1'\nK2       DC    F'2'\n")
    r = assemble(
        "P        CSECT\nGO       SAVEREGS\n         COPY  CONSTS\n         END\n",
        libraries=[DirectoryLibrary(str(tmp_path))],
    )
    assert r.rc == 0
    assert r.text == bytes.fromhex("90ECD00C") + (1).to_bytes(4, "big") + (2).to_bytes(4, "big")
    assert r.symbols["GO"].value.value == 0


def test_cms_style_maclib_file_and_missing_member():
    lib = MaclibFile(
        text="""         MACRO
         ZERO  &R
         SR    &R,&R
         MEND
         MACRO
         ONE   &R
         ZERO  &R
         LA    &R,1(&R)
         MEND
*COPY EQUATES
R1       EQU   1
"""
    )
    r = assemble(
        "         COPY  EQUATES\nP        CSECT\n         ONE   R1\n         END\n", libraries=[lib]
    )
    assert r.rc == 0 and r.text == bytes.fromhex("1B1141110001")  # 1(R1) is D(X)
    r = assemble(
        "P        CSECT\n         COPY  NOTHERE\n         NOSUCH 1\n         END\n", libraries=[lib]
    )
    assert messages(r) == ["ASMA121S", "ASMA057E"]


def test_member_library_for_cms():
    lib = MemberLibrary(
        {"EXIT": ["         MACRO", "         EXIT", "         BR    14", "         MEND"]}
    )
    assert assemble(
        "P        CSECT\n         EXIT\n         END\n", libraries=[lib]
    ).text == bytes.fromhex("07FE")


def test_runaway_loop_is_stopped_by_actr():
    src = """         MACRO
         LOOP
.A       AGO   .A
         MEND
P        CSECT
         LOOP
         END
"""
    r = assemble(src)
    assert "ASMA130E" in messages(r)


def test_built_in_functions():
    src = """         MACRO
         F     &P
         LCLC  &U
         LCLB  &D
&U       SETC  (UPPER '&P')
&D       SETB  (ISDEC '&P')
         AIF   (&D).NUM
         DC    C'&U'
         MEXIT
.NUM     DC    AL1(&P)
         MEND
P        CSECT
         F     abc
         F     42
         END
"""
    r = assemble(src)
    assert r.rc == 0, [str(d) for d in r.diagnostics]
    assert r.text == to_ebcdic("ABC") + bytes([42])


def test_opsyn_renames_and_removes_operations():
    src = """         MACRO
         EXIT
         BR    14
         MEND
LOAD     OPSYN L
QUIT     OPSYN EXIT
P        CSECT
         LOAD  1,0(2)
         QUIT
MVC      OPSYN
         MVC   0(1,1),0(2)
BAD      OPSYN NOSUCHOP
         END
"""
    r = assemble(src)
    assert r.text[:6] == bytes.fromhex("5812000007FE")  # 0(2) is D(X)
    assert messages(r) == ["ASMA057E", "ASMA057E"]


def test_arithmetic_bitwise_and_shift_operators():
    src = """&A       SETA  (12 AND 10)
&B       SETA  (12 OR 3)
&C       SETA  (12 XOR 10)
&D       SETA  (1 SLL 4)
&E       SETA  (-16 SRA 2)
&F       SETB  (&A EQ 8 AND &B EQ 15)
P        CSECT
         DC    AL1(&A,&B,&C,&D),F'&E',AL1(&F)
         END
"""
    r = assemble(src)
    assert r.rc == 0, [str(d) for d in r.diagnostics]
    assert r.text == bytes([8, 15, 6, 16]) + (-4 & 0xFFFFFFFF).to_bytes(4, "big") + bytes([1])


def test_setc_duplication_factor():
    src = """&N       SETA  3
&C       SETC  (&N)'AB'.'C'
P        CSECT
         DC    C'&C'
         END
"""
    r = assemble(src)
    assert r.rc == 0 and r.text == to_ebcdic("ABABABC")


def test_created_set_symbols():
    src = """         MACRO
         COUNT &KIND
         GBLA  &(CNT&KIND)
&(CNT&KIND) SETA &(CNT&KIND)+1
         DC    AL1(&(CNT&KIND))
         MEND
P        CSECT
         COUNT A
         COUNT B
         COUNT A
         END
"""
    r = assemble(src)
    assert r.rc == 0, [str(d) for d in r.diagnostics]
    assert r.text == bytes([1, 1, 2])


def test_inner_macro_definition_is_defined_when_the_outer_macro_runs():
    src = """         MACRO
         OUTER &WANT
         AIF   ('&WANT' EQ 'NO').SKIP
         MACRO
         INNER &X
.SKIP    LA    &X,1
         MEND
.SKIP    ANOP
         MEND
P        CSECT
         OUTER NO
         INNER 3
         OUTER YES
         INNER 3
         END
"""
    r = assemble(src)
    assert messages(r) == ["ASMA057E"]  # INNER unknown before OUTER defines it
    assert r.diagnostics[0].stmt == 12
    assert r.text.endswith(bytes.fromhex("41300001"))


def test_aread_takes_the_next_source_record():
    src = """         MACRO
         TEXTLINE
         LCLC  &CARD,&C
&CARD    AREAD
&C       SETC  '&CARD'(1,10)
         DC    C'&C'
         MEND
P        CSECT
         TEXTLINE
THIS IS DATA, NOT A STATEMENT
         DC    C'!'
         END
"""
    r = assemble(src)
    assert r.rc == 0, [str(d) for d in r.diagnostics]
    assert r.text == to_ebcdic("THIS IS DA!")


def test_recursive_and_invalid_copy():
    lib = MemberLibrary(
        {
            "A": ["         DC    X'0A'", "         COPY  B"],
            "B": ["         DC    X'0B'", "         COPY  A"],
        }
    )
    r = assemble(
        "P        CSECT\n         COPY  A\n         COPY  1BAD\n         END\n", libraries=[lib]
    )
    assert messages(r) == ["ASMA055S", "ASMA114S"] and r.rc == 12
    assert r.text == bytes([0x0A, 0x0B])


def test_lookahead_gives_type_and_length_of_symbols_defined_later():
    src = """         MACRO
         SHOW  &F
         LCLA  &L
&L       SETA  L'&F
         AIF   (T'&F EQ 'C').CHAR
         DC    AL1(&L),C'?'
         MEXIT
.CHAR    DC    AL1(&L),C'C'
         MEND
P        CSECT
         SHOW  NAME
         SHOW  COUNT
         SHOW  GO
NAME     DC    CL12'X'
COUNT    DS    H
GO       BR    14
         END
"""
    r = assemble(src)
    assert r.rc == 0, [str(d) for d in r.diagnostics]
    assert r.text[:6] == bytes([12]) + to_ebcdic("C") + bytes([2]) + to_ebcdic("?") + bytes(
        [2]
    ) + to_ebcdic("?")
