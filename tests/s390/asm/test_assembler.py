"""The assembly language: expressions, USING resolution, DC/DS, literals, sections,
directives and diagnostics."""

from __future__ import annotations

from s390.asm import assemble
from s390.ebcdic import to_ebcdic

from .helpers import code_of, messages


def asm(body: str):
    return assemble(body)


def test_base_register_resolution_and_literal_pool():
    r = asm("""PROG     CSECT
         BALR  12,0
         USING *,12
         L     3,=F'1'
         MVC   OUT(4),IN
         SVC   3
IN       DC    C'ABCD'
OUT      DS    CL4
         END   PROG
""")
    assert r.rc == 0
    # L 3,=F'1' -> literal pool at X'18' (after OUT), base 12 = X'02'
    assert r.text[2:6] == bytes.fromhex("5830C016")
    assert r.text[6:12] == bytes.fromhex("D203C010C00C")
    assert r.text[0x18:0x1C] == (1).to_bytes(4, "big")


def test_several_base_registers_cover_8k():
    r = asm("""P        CSECT
         USING P,11,12
         L     1,FAR
         L     1,NEAR
         DS    5000C
FAR      DC    F'7'
NEAR     EQU   P+8
         END
""")
    assert r.rc == 0
    far = 8 + 5000
    far += (-far) % 4
    assert r.text[0:4] == bytes([0x58, 0x10, 0xC0 | (far - 4096) >> 8, (far - 4096) & 0xFF])
    assert r.text[4:8] == bytes.fromhex("5810B008")


def test_smallest_displacement_wins_between_usings():
    r = asm("""P        CSECT
         USING P,10
         USING P+100,9
         LA    1,P+120
         LA    1,P+20
         DS    200C
         END
""")
    assert r.text[0:8] == bytes.fromhex("411090144110A014")


def test_explicit_base_and_index_forms():
    assert code_of("L 1,4(2,3)") == bytes.fromhex("58123004")
    assert code_of("L 1,4(,13)") == bytes.fromhex("5810D004")
    assert code_of("L 1,4(2)") == bytes.fromhex("58120004")
    assert code_of("MVC 0(80,1),0(2)") == bytes.fromhex("D24F10002000")
    assert code_of("SLL 1,2") == bytes.fromhex("89100002")
    assert code_of("MVI 0(1),C'A'") == bytes.fromhex("92C11000")
    assert code_of("CLI 0(1),X'FF'") == bytes.fromhex("95FF1000")
    assert code_of("AP 0(3,1),0(2,2)") == bytes.fromhex("FA2110002000")


def test_extended_branch_mnemonics():
    assert code_of("BR 14") == bytes.fromhex("07FE")
    assert code_of("NOPR 0") == bytes.fromhex("0700")
    assert code_of("BNE 8(0,15)") == bytes.fromhex("4770F008")
    assert code_of("BZR 3") == bytes.fromhex("0783")


def test_implicit_length_from_length_attribute():
    r = asm("""P        CSECT
         USING P,15
         MVC   A,B
         ZAP   PK,=P'5'
         DS    0F
A        DS    CL10
B        DS    CL20
PK       DS    PL4
         END
""")
    assert r.rc == 0
    assert r.text[1] == 9  # MVC length from L'A = 10
    assert r.text[7] == 0x30  # ZAP lengths 4 and 1


def test_expressions_and_self_defining_terms():
    r = asm("""P        CSECT
A        EQU   5
B        EQU   A*3+X'10'-B'11'/3
C        EQU   C'A'
D        EQU   (B-A)/2
E        EQU   L'F
F        DC    CL7' '
         DC    A(B,C,D,E,*-P)
         END
""")
    assert r.rc == 0
    v = r.symbols
    assert v["B"].value.value == 5 * 3 + 16 - 3 // 3
    assert v["C"].value.value == 0xC1
    assert v["D"].value.value == (30 - 5) // 2
    assert v["E"].value.value == 7
    # '*' in the fifth constant is that constant's own address, 8 + 16
    assert r.text[8:28] == b"".join(n.to_bytes(4, "big") for n in (30, 0xC1, 12, 7, 24))


def test_forward_reference_in_equ_is_resolved():
    r = asm("""P        CSECT
X        EQU   Y+1
Y        EQU   Z*2
Z        EQU   4
         DC    A(X)
         END
""")
    assert r.rc == 0 and r.text == (9).to_bytes(4, "big")


def test_dc_types():
    r = asm("""P        CSECT
         DC    C'A''B&&C'
         DC    CL5'XY'
         DC    X'1A2',XL3'FF'
         DC    B'101',BL2'1'
         DC    H'-2',F'100000'
         DC    P'123',P'-45',PL4'7'
         DC    Z'123',Z'-12'
         DC    3X'EE'
         DC    0F
         DC    E'1',D'-2.5',E'0.1'
         DC    Y(300),AL3(5),AL1(255)
         END
""")
    assert r.rc == 0
    expect = (
        to_ebcdic("A'B&C")
        + to_ebcdic("XY   ")
        + bytes.fromhex("01A20000FF")
        + bytes.fromhex("050001")
    )
    t = r.text
    assert t.startswith(expect)
    i = len(expect)
    i += (-i) % 2
    assert t[i : i + 2] == bytes.fromhex("FFFE")
    i += 2
    i += (-i) % 4
    assert t[i : i + 4] == (100000).to_bytes(4, "big")
    i += 4
    assert t[i : i + 8] == bytes.fromhex("123C045D0000007C")
    i += 8
    assert t[i : i + 5] == bytes.fromhex("F1F2C3F1D2")
    i += 5
    assert t[i : i + 3] == bytes.fromhex("EEEEEE")
    i += 3
    i += (-i) % 4
    assert t[i : i + 4] == bytes.fromhex("41100000")
    i += 4
    i += (-i) % 8
    assert t[i : i + 8] == bytes.fromhex("C128000000000000")  # -2.5 = -X'0.28' * 16
    assert t[i + 8 : i + 12] == bytes.fromhex("4019999A")  # 0.1 rounded to 6 digits
    assert t[i + 12 : i + 18] == bytes.fromhex("012C000005FF")


def test_extended_float_constant():
    r = asm("P        CSECT\n         DC    L'1'\n         END\n")
    assert r.text == bytes.fromhex("41100000000000003300000000000000")


def test_ds_reserves_without_text_and_aligns():
    r = asm("""P        CSECT
         DC    C'A'
X        DS    0D
         DS    CL3
Y        DS    F
         DC    C'B'
         END
""")
    assert r.symbols["X"].value.value == 8
    assert r.symbols["Y"].value.value == 12
    assert r.module.text[-1].address == 16


def test_org_and_cnop():
    r = asm("""P        CSECT
         DC    X'11'
         CNOP  2,4
         DC    X'22'
         ORG   P+10
         DC    X'33'
         ORG
         DC    X'44'
         END
""")
    assert r.text == bytes.fromhex("110022000000000000003344")


def test_cnop_fills_with_nopr():
    r = asm(
        "P        CSECT\n         BR    14\n         CNOP  0,8\n         BR    14\n         END\n"
    )
    assert r.text == bytes.fromhex("07FE07000700070007FE")


def test_ccw_is_doubleword_aligned_and_relocatable():
    r = asm("""P        CSECT
         DC    X'00'
CCW1     CCW   X'09',BUF,X'20',L'BUF
BUF      DC    C'HI'
         END
""")
    assert r.symbols["CCW1"].value.value == 8
    assert r.text[8:16] == bytes.fromhex("0900001020000002")
    assert [(x.address, x.length) for x in r.module.rld] == [(9, 3)]


def test_address_constants_make_rld_items_with_sections_laid_out_in_order():
    r = asm("""A        CSECT
         DC    A(B1,A)
         DC    V(EXT)
         DC    A(B1-A)
B        CSECT
B1       DC    C'X'
         EXTRN EXT2
         DC    A(EXT2+4)
         END
""")
    assert r.rc == 0
    sd = [i for i in r.module.esd if i.type == "SD"]
    assert [(i.name, i.address) for i in sd] == [("A", 0), ("B", 16)]
    rld = {(x.r_id, x.p_id, x.address, x.vcon, x.negative) for x in r.module.rld}
    ids = {i.name: i.esdid for i in r.module.esd}
    assert ids == {"A": 1, "EXT": 2, "B": 3, "EXT2": 4}  # in order of appearance
    a, ext, b, ext2 = 1, 2, 3, 4
    assert rld == {
        (b, a, 0, False, False),
        (a, a, 4, False, False),
        (ext, a, 8, True, False),
        (b, a, 12, False, False),
        (a, a, 12, False, True),  # A(B1-A): +B -A
        (ext2, b, 20, False, False),
    }


def test_undefined_symbol_is_reported_with_statement_and_rc8():
    r = asm("P        CSECT\n         USING P,12\n         L     1,NOWHERE\n         END\n")
    assert r.rc == 8
    d = r.diagnostics[0]
    assert (d.msgid, d.stmt) == ("ASMA044E", 3) and "NOWHERE" in d.text
    assert any("ASMA044E" in line for line in r.listing)


def test_no_active_using_and_out_of_range():
    r = asm("""P        CSECT
         L     1,X
         USING P,12
         L     1,Y
X        DC    F'0'
         DS    5000C
Y        DC    F'0'
         END
""")
    assert messages(r) == ["ASMA307E", "ASMA034E"]
    assert r.rc == 8


def test_unknown_operation_and_bad_operands():
    r = asm("""P        CSECT
         FOO   1,2
         LR    1
         LR    16,1
         MVI   0(1),256
         DC    K'1'
         END
""")
    assert messages(r) == ["ASMA057E", "ASMA062E", "ASMA029E", "ASMA031E", "ASMA065E"]
    assert [d.stmt for d in r.diagnostics] == [2, 3, 4, 5, 6]


def test_previously_defined_symbol_and_missing_end():
    r = asm("P        CSECT\nA        DC    F'1'\nA        DC    F'2'\n")
    assert sorted(messages(r)) == ["ASMA043E", "ASMA140W"]
    assert r.rc == 8


def test_relocatability_errors():
    r = asm("""P        CSECT
         DC    A(P*2)
X        DSECT
F        DS    F
P2       CSECT
         DC    A(F)
         END
""")
    assert messages(r) == ["ASMA047E", "ASMA047E"]


def test_end_entry_point_and_entry_ld():
    r = asm("""P        CSECT
         ENTRY GO
         DC    F'0'
GO       BR    14
         END   GO
""")
    ld = [i for i in r.module.esd if i.type == "LD"]
    assert [(i.name, i.address, i.length) for i in ld] == [("GO", 4, 1)]
    assert (r.module.entry_esdid, r.module.entry_address) == (1, 4)


def test_start_sets_the_origin():
    r = asm(
        "P        START X'1000'\n         USING P,15\n         LA    1,X\nX        DC    A(X)\n         END\n"
    )
    assert r.module.esd[0].address == 0x1000
    assert r.text[4:8] == (0x1004).to_bytes(4, "big")
    assert "001000" in "\n".join(r.listing)


def test_dsect_maps_storage_through_a_using():
    r = asm("""P        CSECT
         USING P,15
         USING REC,3
         MVC   NAME,=CL8'JOHN'
         L     1,AGE
         DROP  3
         L     1,AGE
REC      DSECT
NAME     DS    CL8
AGE      DS    F
         END
""")
    assert r.text[0:6] == bytes.fromhex("D2073000F010")
    assert r.text[6:10] == bytes.fromhex("58103008")
    assert messages(r) == ["ASMA307E"] and r.diagnostics[0].stmt == 7


def test_continuation_and_sequence_columns():
    line1 = (
        "         DC    C'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQR" + "X" + "SEQ00010"
    )
    assert len(line1) == 80
    line2 = "               UVWXYZ'".ljust(72) + "SEQ00020"
    r = asm("P        CSECT\n" + line1 + "\n" + line2 + "\n         END\n")
    assert r.rc == 0
    assert r.text == to_ebcdic("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQRUVWXYZ")
    assert "SEQ00010" in r.listing[[i for i, l in enumerate(r.listing) if "DC    C'ABC" in l][0]]


def test_listing_has_location_object_code_crossref_and_summary():
    r = asm(
        "P        CSECT\n         USING P,15\n         LA    1,X\nX        DC    F'1'\n         END   P\n"
    )
    text = "\n".join(r.listing)
    assert "000000 4110 F004" in text
    assert "Ordinary Symbol and Literal Cross Reference" in text
    xref = next(l for l in r.listing if l.startswith("X "))
    assert xref.split()[-1] == "3"  # referenced by statement 3
    assert "No Statements Flagged in this Assembly" in text


def test_print_nogen_hides_expansion_but_not_errors():
    r = asm("""         MACRO
         TWO
         LR    1,2
         LR    3,4
         MEND
P        CSECT
         PRINT NOGEN
         TWO
         END
""")
    assert r.text == bytes.fromhex("18121834")
    assert not any("+         LR" in l for l in r.listing)


def test_punch_and_repro_cards_go_to_the_deck():
    r = asm("""         PUNCH ' ENTRY PROG'
         REPRO
 SET REPRO CARD
P        CSECT
         END
""")
    texts = [c.decode("cp037").rstrip() for c in r.deck]
    assert " ENTRY PROG" in texts and " SET REPRO CARD" in texts


def test_wxtrn_makes_a_weak_reference():
    r = asm("P        CSECT\n         WXTRN OPT\n         DC    A(OPT)\n         END\n")
    assert [i.type for i in r.module.esd] == ["SD", "WX"]


def test_using_register_0_maps_a_dsect_of_low_storage():
    r = asm("""P        CSECT
         USING PSA,0
         MVC   NEWPSW,OLDPSW
         LPSW  NEWPSW
PSA      DSECT
         DS    XL24
OLDPSW   DS    XL8
NEWPSW   DS    XL8
         END
""")
    assert r.rc == 0
    assert r.text == bytes.fromhex("D2070020001882000020")


def test_s_type_constant_is_base_and_displacement():
    r = asm("""P        CSECT
         USING P,12
         DC    S(FIELD,4(13))
FIELD    DC    F'0'
         END
""")
    assert r.text[:4] == bytes.fromhex("C004D004")


def test_out_of_range_values():
    r = asm("""P        CSECT
         LA    1,5000
         LA    1,4096(0,2)
         SVC   256
         MVC   0(257,1),0(2)
         SLL   1,-1(0)
         END
""")
    assert messages(r) == ["ASMA028E", "ASMA028E", "ASMA031E", "ASMA068S", "ASMA028E"]
    assert r.rc == 12


def test_literal_with_location_counter_is_per_instruction():
    r = asm("""P        CSECT
         USING P,15
         L     1,=A(*)
         L     2,=A(*)
         L     3,=F'1'
         L     4,=F'1'
         END
""")
    assert r.rc == 0
    pool = r.text[16:]
    assert pool[:8] == bytes.fromhex("0000000000000004")  # each =A(*) its own location
    assert pool[8:] == (1).to_bytes(4, "big")  # =F'1' pooled once
    assert r.text[8:16] == bytes.fromhex("5830F0185840F018")


def test_quotes_blanks_attributes_and_lower_case_in_operands():
    r = asm("""P        CSECT
         USING P,15
R1       EQU   1
         CLI   0(R1),C' '
         MVI   X,C''''
         MVC   0(L'X,R1),X
         la    r1,l'x
         l     r1,=f'7'
X        DC    C'It''s'
         END
""")
    assert r.rc == 0
    assert r.text[:22] == bytes.fromhex("95401000927DF016D2031000F016411000045810F020")


def test_listing_pages_carry_title_page_number_and_active_usings():
    body = "\n".join(f"         LA    1,{i}" for i in range(70))
    r = asm(
        "PG       TITLE 'PAGED'\nP        CSECT\n         USING P,12\n"
        + body
        + "\n         EJECT\n         END\n"
    )
    heads = [i for i, l in enumerate(r.listing) if l.startswith("\fPAGED")]
    assert len(heads) == 3  # 55 lines, the rest, then EJECT
    assert r.listing[heads[0]].endswith("Page    1") and r.listing[heads[2]].endswith("Page    3")
    assert r.listing[heads[0] + 1] == "  Active Usings: None"
    assert r.listing[heads[1] + 1] == "  Active Usings: P,R12"


def test_fixed_point_exponents_and_rounding():
    r = asm("P        CSECT\n         DC    F'1E3',H'-25E-1',F'+7.4',HL1'127'\n         END\n")
    assert r.text == (1000).to_bytes(4, "big") + (-3 & 0xFFFF).to_bytes(2, "big") + bytes(2) + (
        7
    ).to_bytes(4, "big") + bytes([127])


def test_print_options_push_and_pop():
    r = asm("""         MACRO
         INNER
         LR    1,1
         MEND
         MACRO
         OUTER
         INNER
         LR    2,2
         MEND
P        CSECT
         USING P,12
         PUSH  PRINT,USING
         PRINT NOGEN,DATA
         OUTER
         DC    XL12'0102030405060708090A0B0C'
         DROP  12
         POP   PRINT,USING
         OUTER
         PRINT MCALL,NOMSOURCE,NOPRINT
         OUTER
         LA    1,*
         END
""")
    assert r.rc == 0
    listed = "\n".join(r.listing)
    generated = [e for e in r.entries if e.stmt.level > 0]
    first, second, third = generated[0:3], generated[3:6], generated[6:9]
    assert not any(e.printed for e in first)  # PRINT NOGEN
    assert [e.printed for e in second] == [False, True, True]  # inner call: NOMCALL
    assert [e.printed for e in third] == [True, True, True]  # PRINT MCALL
    assert "090A0B0C" in listed  # PRINT DATA: all bytes
    assert r.text[-4:] == bytes.fromhex("4110C018")  # POP USING restored R12
    nomsource = [l for l in r.listing if l.startswith("00001") and l.rstrip().endswith("+")]
    assert nomsource  # NOMSOURCE: code, no text


def test_using_warnings_and_range_message():
    r = asm("""P        CSECT
         USING P,10
         USING P,12
         USING P,9
         USING P+100,8
         USING 256,7
         L     1,FAR
         DS    9000C
FAR      DC    F'0'
         END
""")
    assert [(d.msgid, d.stmt) for d in r.diagnostics] == [
        ("ASMA301W", 3),
        ("ASMA300W", 4),
        ("ASMA300W", 4),
        ("ASMA303W", 5),
        ("ASMA303W", 5),
        ("ASMA303W", 5),
        ("ASMA306W", 6),
        ("ASMA034E", 7),
    ]
    assert r.diagnostics[-1].text == "Operand FAR beyond active USING range by 4809 bytes"


def test_unnamed_csect_is_private_code():
    r = asm(
        "         CSECT\n         DC    A(*)\nN        CSECT\n         DC    F'1'\n         CSECT\n         DC    H'2'\n         END\n"
    )
    assert r.rc == 0
    assert [(i.name, i.type, i.length) for i in r.module.esd] == [("", "PC", 6), ("N", "SD", 4)]
    assert [(x.r_id, x.p_id) for x in r.module.rld] == [(1, 1)]


def test_cross_reference_lists_literals_with_their_references():
    r = asm(
        "P        CSECT\n         USING P,15\n         L     1,=F'1'\n         L     2,=F'1'\n         END\n"
    )
    row = next(l for l in r.listing if l.startswith("=F'1'"))
    assert row.split()[1:3] == ["4", "00000008"] and row.split()[-2:] == ["3", "4"]


def test_org_boundary_and_offset_and_ccw0():
    r = asm("""P        CSECT
         DC    X'01'
         ORG   *,8,2
A        DC    X'02'
C        CCW0  X'02',A,0,1
         END
""")
    assert r.rc == 0
    assert r.symbols["A"].value.value == 10 and r.symbols["C"].value.value == 16
    assert r.text[16:24] == bytes.fromhex("0200000A00000001")


def test_location_counter_in_address_constants_is_each_constants_own():
    r = asm("P        CSECT\n         DC    X'00'\nT        DC    3AL1(*-T),A(*,*)\n         END\n")
    assert r.text[1:4] == bytes([0, 1, 2])
    assert r.text[4:12] == (4).to_bytes(4, "big") + (8).to_bytes(4, "big")


def test_relocatable_address_constants_need_two_bytes_or_more():
    r = asm(
        "P        CSECT\n         DC    AL1(P)\n         DC    AL2(P),AL1(5)\n         DC    YL1(P)\n"
        "         DC    VL2(X)\n         END\n"
    )
    assert [(d.msgid, d.stmt) for d in r.diagnostics] == [
        ("ASMA068S", 2),
        ("ASMA068S", 4),
        ("ASMA068S", 5),
    ]


def test_literals_left_at_end_go_to_the_end_of_the_first_control_section():
    r = asm("""A        CSECT
         USING A,12
         L     1,=F'5'
         BR    14
B        CSECT
         USING B,11
         L     2,=F'6'
         LTORG
         L     3,=F'7'
         END
""")
    # LTORG in B pools =F'5' too (pools ignore section borders): statement 3 cannot
    # reach it; =F'7', left at END, goes to the end of A
    assert [(d.msgid, d.stmt) for d in r.diagnostics] == [("ASMA307E", 3)]
    sd = {i.name: i for i in r.module.esd}
    assert sd["A"].length == 12 and r.text[8:12] == bytes.fromhex("00000007")
