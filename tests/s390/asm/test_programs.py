"""Programs assembled by s390.asm run correctly on the CPU (s390.cpu)."""

from __future__ import annotations

from s390.asm import MemberLibrary, assemble
from s390.asm.ipldeck import bc_psw
from s390.asm.loader import load
from s390.cpu import CPU, EXIT_DISABLED_WAIT

SVC_NEW_PSW = 0x60
LOAD_AT = 0x1000


def run(*sources: str, libraries=()):
    """Assemble each source as its own deck, link them at LOAD_AT and run to SVC 0
    (the SVC new PSW is a disabled wait)."""
    decks = []
    assemblies = []
    for src in sources:
        r = assemble(src, libraries=libraries)
        assert r.rc == 0, "\n".join(str(d) for d in r.diagnostics)
        decks.append(r.deck)
        assemblies.append(r)
    cpu = CPU(storage_size=1 << 16)
    result = load(decks, cpu.mem, LOAD_AT)
    cpu.mem[SVC_NEW_PSW : SVC_NEW_PSW + 8] = bc_psw(0, wait=True)
    cpu.load_psw(bc_psw(result.entry))
    assert cpu.run(100_000) == EXIT_DISABLED_WAIT
    result.assemblies = assemblies
    return cpu, result


def address_of(cpu, result, name: str, deck: int = 0) -> int:
    """Loaded address of a symbol of the first control section of a deck."""
    asm = result.assemblies[deck]
    first = asm.module.esd[0].name
    return result.symbol(first) + asm.symbols[name].value.value


def old_svc_cc(cpu) -> int:
    """Condition code in the SVC old PSW (BC mode, X'20'): what the program had at SVC 0."""
    return (cpu.mem[0x24] >> 4) & 3


def test_translate_and_test_finds_the_first_delimiter():
    cpu, res = run("""SCAN     CSECT
         BALR  12,0
         USING *,12
         SR    2,2
         TRT   TEXT,TABLE
         ST    1,WHERE
         SVC   0
WHERE    DS    F
TEXT     DC    C'NAME=VALUE,MORE'
TABLE    DC    256X'00'
         ORG   TABLE+C'='
         DC    X'04'
         ORG   TABLE+C','
         DC    X'08'
         ORG
         END   SCAN
""")
    text = address_of(cpu, res, "TEXT")
    assert cpu.gpr[2] == 4  # function byte of '='
    assert cpu.gpr[1] == text + 4  # R1 points at the '='
    assert int.from_bytes(cpu.mem[address_of(cpu, res, "WHERE") :][:4], "big") == text + 4
    assert old_svc_cc(cpu) == 1  # stopped before the last byte


def test_subroutine_linked_from_a_second_deck_by_extrn():
    main = """MAIN     CSECT
         BALR  12,0
         USING *,12
         LA    1,ARGS
         L     15,=V(ADDUP)
         BALR  14,15
         ST    0,SUM
         L     2,ACOUNT
         L     3,0(,2)
         SVC   0
ARGS     DC    F'3',F'10',F'20',F'30'
SUM      DS    F
         EXTRN COUNT
ACOUNT   DC    A(COUNT)
         END   MAIN
"""
    sub = """ADDUP    CSECT
         ENTRY COUNT
         USING ADDUP,15
         L     2,0(,1)          number of values
         SR    0,0
         LA    3,4(,1)
LOOP     A     0,0(,3)
         LA    3,4(,3)
         BCT   2,LOOP
         L     4,COUNT
         LA    4,1(,4)
         ST    4,COUNT
         BR    14
COUNT    DC    F'41'
         END
"""
    cpu, res = run(main, sub)
    assert cpu.gpr[0] == 60
    assert cpu.gpr[3] == 42  # COUNT, reached through A(COUNT) across decks
    assert res.symbol("ADDUP") > res.symbol("MAIN")


MACLIB = MemberLibrary(
    {
        "INCR": """         MACRO
&L       INCR  &REG,&BY=1,&MODE=FAST
.* add a constant to a register: LA when it fits, else A from a literal
         AIF   ('&MODE' EQ 'SLOW').SLOW
         AIF   (&BY GT 4095).SLOW
&L       LA    &REG,&BY.(,&REG)
         MEXIT
.SLOW    ANOP
&L       A     &REG,=F'&BY'
         MEND
""".splitlines()
    }
)


def test_macro_expands_differently_by_keyword_and_runs():
    src = """PROG     CSECT
         BALR  12,0
         USING *,12
         SR    5,5
         INCR  5
         INCR  5,BY=100
         INCR  5,BY=5000
         INCR  5,BY=7,MODE=SLOW
         SVC   0
         END   PROG
"""
    r = assemble(src, libraries=[MACLIB])
    ops = [e.stmt.op for e in r.entries if e.kind == "instr" and e.stmt.level == 1]
    assert ops == ["LA", "LA", "A", "A"]
    cpu, _ = run(src, libraries=[MACLIB])
    assert cpu.gpr[5] == 1 + 100 + 5000 + 7


def test_decimal_report_line_with_ed_and_packed_arithmetic():
    cpu, res = run("""REPORT   CSECT
         BALR  12,0
         USING *,12
         ZAP   TOTAL,=P'0'
         AP    TOTAL,ITEM1
         AP    TOTAL,ITEM2
         SP    TOTAL,ITEM3
         MVC   LINE,PATTERN
         ED    LINE,TOTAL
         SVC   0
ITEM1    DC    P'1234.56'
ITEM2    DC    P'99.44'
ITEM3    DC    P'34.00'
TOTAL    DS    PL4
PATTERN  DC    X'4020206B2020214B2020'
LINE     DS    CL10
         END   REPORT
""")
    line = address_of(cpu, res, "LINE")
    assert bytes(cpu.mem[line : line + 10]).decode("cp037") == "  1,300.00"
    total = address_of(cpu, res, "TOTAL")
    assert bytes(cpu.mem[total : total + 4]) == bytes.fromhex("0130000C")
