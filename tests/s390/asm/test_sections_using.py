"""Sections and addressing beyond CSECT/DSECT: RSECT, COM, LOCTR, DXD/CXD with Q
constants (through to the loader), labeled and dependent USING, and statements
that keep their length when they are in error."""

from __future__ import annotations

from s390.asm import assemble
from s390.asm.loader import load
from s390.asm.objdeck import read_deck

from .helpers import messages


def _asm(text: str):
    return assemble(text if text.endswith("\n") else text + "\n")


def _code(r) -> str:
    return r.text.hex().upper()


# ---------------------------------------------------------------- labeled and dependent USING
def test_labeled_using_resolves_only_qualified_operands():
    r = _asm("""T        CSECT
         USING T,12
LU       USING T,11
         L     1,A
         L     1,LU.A
         DROP  LU
         L     1,LU.A
A        DC    F'1'
         END""")
    assert messages(r) == ["ASMA044E"]  # LU.A after DROP LU
    assert _code(r)[:16] == "5810C00C5810B00C"


def test_labeled_using_does_not_replace_the_unlabeled_one():
    r = _asm("""T        CSECT
         USING T,12
LU       USING T+4,12
         L     1,A
         L     1,LU.A
         DS    F
A        DC    F'1'
         END""")
    assert r.rc == 0
    assert _code(r)[:16] == "5810C00C5810C008"


def test_dependent_using_maps_a_dsect_onto_an_addressable_field():
    r = _asm("""AREA     DSECT
FLD1     DS    F
FLD2     DS    F
T        CSECT
         USING T,12
         L     2,FLD2
W        DS    0F
         DS    4F
         USING AREA,W
         END""")
    assert messages(r) == ["ASMA307E"]  # before the dependent USING
    r = _asm("""AREA     DSECT
FLD1     DS    F
FLD2     DS    F
T        CSECT
         USING T,12
W        DS    0F
         DS    4F
         USING AREA,W
         L     2,FLD2
         LA    3,AREA
         DROP  AREA
         L     2,FLD2
         END""")
    assert messages(r) == ["ASMA307E"]  # after DROP AREA
    assert _code(r)[:16] == "5820C0044130C000"  # text starts after DS 4F


def test_labeled_dependent_using():
    r = _asm("""AREA     DSECT
FLD1     DS    F
FLD2     DS    F
T        CSECT
         USING T,12
W        DS    0F
         DS    4F
L1       USING AREA,W+8
         L     2,L1.FLD2
         END""")
    assert r.rc == 0 and _code(r) == "5820C00C"


# ---------------------------------------------------------------- sections
def test_loctr_groups_follow_the_section_in_definition_order():
    r = _asm("""T        CSECT
         USING T,12
         L     1,A
DATA     LOCTR
A        DC    F'1'
T        LOCTR
         L     3,C
DATA     LOCTR
C        DC    A(A)
         END""")
    assert r.rc == 0
    # code: L 1,A  L 3,C (8 bytes); DATA at X'08': A, C
    assert _code(r) == "5810C0085830C00C0000000100000008"
    [module] = read_deck(r.deck)
    assert [(e.r_id, e.p_id, e.address) for e in module.rld] == [(1, 1, 12)]
    assert module.esd[0].length == 16


def test_loctr_starts_on_the_boundary_its_statements_need_and_resumes_its_section():
    r = _asm("""A        CSECT
         USING A,12
         BR    14
CODE     LOCTR
         BR    15
DATA     LOCTR
W        DC    F'5'
DUM      DSECT
F1       DS    H
CODE     LOCTR
         LH    1,W
         END""")
    assert r.rc == 0
    # A: BR 14 (0-1); CODE on a halfword: BR 15 (2-3), LH (4-7); DATA on a word: 8
    assert _code(r) == "07FE07FF4810C00800000005"
    assert r.entries[-2].section.name == "A"  # CODE LOCTR went back to section A


def test_rsect_is_a_control_section():
    r = _asm("R        RSECT\n         DC    F'7'\n         END")
    assert r.rc == 0 and _code(r) == "00000007"
    [sd] = read_deck(r.deck)[0].esd
    assert (sd.type, sd.flag) == ("SD", 0x08)  # the ESD RSECT flag


def test_com_is_a_common_section_without_text():
    r = _asm("""T        CSECT
         DC    A(CV)
BLK      COM
CV       DS    F
         DC    F'3'
         COM
         DS    D
         END""")
    assert r.rc == 0
    esd = [(e.name, e.type, e.length) for e in r.module.esd]
    assert esd == [("T", "SD", 4), ("BLK", "CM", 8), ("", "CM", 8)]
    assert all(t.esdid == 1 for t in r.module.text)
    assert [(x.r_id, x.p_id) for x in r.module.rld] == [(2, 1)]


PR_MAIN = """MAIN     CSECT
         BR    14
         DS    0F
PR1      DXD   F
PR2      DXD   2D
Q1       DC    Q(PR1)
Q2       DC    Q(PR2)
TOTAL    CXD
         END
"""
PR_SUB = """WORK     DSECT
         DS    XL20
SUB      CSECT
PR3      DXD   CL3
PR1      DXD   F
         DC    Q(PR3),Q(PR1)
         DC    AL2(0),QL2(WORK)
         END
"""


def test_external_dummy_sections_in_the_deck_and_the_loader():
    r = _asm(PR_MAIN)
    assert r.rc == 0
    [module] = read_deck(r.deck)
    assert [(e.name, e.type, e.flag, e.length) for e in module.esd if e.type == "XD"] == [
        ("PR1", "XD", 3, 4),
        ("PR2", "XD", 7, 16),
    ]  # flag: the alignment
    assert sorted(x.pseudo for x in module.rld) == ["CXD", "Q", "Q"]
    sub = _asm(PR_SUB)
    assert sub.rc == 0
    mem = bytearray(0x10000)
    load([r.deck, sub.deck], mem, 0x1000)

    def word(a, n=4):
        return int.from_bytes(mem[a : a + n], "big")

    # pseudo registers in order of appearance: PR1 at 0, PR2 at 8 (doubleword),
    # PR3 at 24, WORK at 32 (a DSECT named in a Q constant, doubleword), 20 long
    assert (word(0x1004), word(0x1008), word(0x100C)) == (0, 8, 52)
    sub_at = 0x1010
    assert (word(sub_at), word(sub_at + 4), word(sub_at + 10, 2)) == (24, 0, 32)


# ---------------------------------------------------------------- errors keep lengths
CLEAN = """T        CSECT
         USING T,12
A        DS    F
         L     1,=F'1'
         MVC   0(4,1),A
         L     1,A
         DC    F'1',H'2'
NEXT     DC    X'FF'
         END"""


def test_statements_in_error_keep_their_length():
    clean = _asm(CLEAN).symbols["NEXT"].value.value
    broken = (
        CLEAN.replace("         L     1,=F'1'", "A        L     1,=F'X'")
        .replace("MVC   0(4,1),A", "MVC   0(4,1),NOSUCH+(")
        .replace("L     1,A\n", "L     1,A,B,C\n")
        .replace("H'2'", "H'Z'")
    )
    r = _asm(broken)
    assert {"ASMA043E", "ASMA044E", "ASMA062E", "ASMA037E"} <= set(messages(r))
    assert r.symbols["NEXT"].value.value == clean


def test_loader_gives_one_area_to_a_common_section_declared_in_two_modules():
    one = _asm("""A        CSECT
         USING A,15
         L     1,=A(WORK)
         BR    14
WORK     COM
         DS    2F
         END""")
    two = _asm("""B        CSECT
         DC    A(WORK+4)
WORK     COM
         DS    4F
         END""")
    assert one.rc == 0 and two.rc == 0
    mem = bytearray(0x4000)
    result = load([one.deck, two.deck], mem, 0x1000)
    work = next(m for m in result.map if m.name == "WORK")
    assert work.length == 16  # the longest declaration
    b = next(m for m in result.map if m.name == "B")
    assert int.from_bytes(mem[b.address : b.address + 4], "big") == work.address + 4
    lit = 0x1008  # A's literal pool after L and BR
    assert int.from_bytes(mem[lit : lit + 4], "big") == work.address


def test_start_after_a_section_is_asma153s_and_acts_as_csect():
    r = _asm(
        "A        CSECT\n         DC    F'1'\nB        START X'1000'\n         DC    F'2'\n         END"
    )
    assert messages(r) == ["ASMA153S"]
    assert [e.name for e in r.module.esd] == ["A", "B"]
