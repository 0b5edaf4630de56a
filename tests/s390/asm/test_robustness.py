"""Bad input gets diagnostics, never a Python exception."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from s390.asm import assemble
from s390.asm.loader import LoadError, load
from s390.optable import OPCODES

OPS = [op.mnemonic for op in OPCODES] + [
    "DC",
    "DS",
    "EQU",
    "USING",
    "DROP",
    "ORG",
    "CNOP",
    "CCW",
    "LTORG",
    "CSECT",
    "DSECT",
    "ENTRY",
    "EXTRN",
    "SETA",
    "SETB",
    "SETC",
    "AIF",
    "AGO",
    "MNOTE",
    "PUNCH",
    "TITLE",
    "SPACE",
    "MACRO",
    "MEND",
    "COPY",
    "START",
    "END",
    "PRINT",
    "B",
    "BR",
    "AREAD",
    "OPSYN",
    "PUSH",
    "POP",
    "GBLA",
    "LCLC",
    "ACTR",
    "ANOP",
    "MEXIT",
]
OPERAND_PIECES = [
    "1",
    "15",
    "16",
    "-1",
    "X'FF'",
    "C'A'",
    "B'1'",
    "*",
    "A",
    "B+4",
    "(",
    ")",
    ",",
    "'",
    "=F'1'",
    "=A(A)",
    "L'A",
    "0(1)",
    "4(,13)",
    "(2,3)",
    "&X",
    "CL8'X'",
    "3F",
    "A(A)",
    "V(Z)",
    "+",
    "/",
    "X'",
    "256",
    "4096",
    "(&I GT 1).L",
    ".L",
    "''",
    "&&",
]


@st.composite
def statement(draw):
    name = draw(st.sampled_from(["", "A", "B", ".L", "&X", "LONGNAME", "1BAD"]))
    op = draw(st.sampled_from(OPS))
    operands = "".join(draw(st.lists(st.sampled_from(OPERAND_PIECES), max_size=6)))
    return f"{name:<8} {op:<5} {operands}"[:71]


@settings(max_examples=200, deadline=None)
@given(st.lists(statement(), min_size=1, max_size=12))
def test_random_statements_never_raise(lines):
    r = assemble(["P        CSECT", "         USING P,12"] + lines + ["         END"])
    assert r.rc in (0, 4, 8, 12)
    assert r.listing and all(len(c) == 80 for c in r.deck)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_corrupted_decks_load_or_fail_cleanly(data):
    deck = list(
        assemble("""P        CSECT
         ENTRY Q
Q        DC    A(P,Q,R)
         EXTRN R
         DC    V(P)
         DC    200X'1'
         END   Q
""").deck
    )
    n = data.draw(st.integers(0, len(deck) - 1))
    pos = data.draw(st.integers(0, 79))
    byte = data.draw(st.integers(0, 255))
    deck[n] = deck[n][:pos] + bytes([byte]) + deck[n][pos + 1 :]
    try:
        load([deck], bytearray(0x4000), 0x100)
    except LoadError as e:
        assert str(e)


MACRO_PIECES = [
    "&P",
    "&K",
    "&SYSLIST(1)",
    "&SYSNDX",
    "N'&P",
    "K'&K",
    "T'&P",
    "'&P'",
    "(",
    ")",
    " EQ ",
    " AND ",
    "1",
    "+",
    ".L",
    "&I",
    "'A'",
    "(1,2)",
    ",",
    "&P(2)",
    "&(X&K)",
]


@st.composite
def macro_line(draw):
    name = draw(st.sampled_from(["", "&I", "&C", ".L", "&(X&K)", "&L"]))
    op = draw(
        st.sampled_from(
            [
                "SETA",
                "SETB",
                "SETC",
                "AIF",
                "AGO",
                "LCLA",
                "GBLC",
                "MNOTE",
                "DC",
                "LA",
                "MEXIT",
                "ANOP",
                "INNER",
                "AREAD",
                "ACTR",
            ]
        )
    )
    operands = "".join(draw(st.lists(st.sampled_from(MACRO_PIECES), max_size=6)))
    return f"{name:<8} {op:<5} {operands}"[:71]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(macro_line(), max_size=10),
    st.lists(st.sampled_from(["A", "(1,2)", "K=3", "'X Y'", ""]), max_size=4),
)
def test_random_macro_bodies_never_raise(body, args):
    src = (
        ["         MACRO", "&L       M     &P,&K=0"]
        + body
        + [
            "         MEND",
            "P        CSECT",
            "X        M     " + ",".join(args),
            "         M     " + ",".join(reversed(args)),
            "         END",
        ]
    )
    r = assemble(src)
    assert r.rc in (0, 4, 8, 12)


def _continued(first: str, operand: str) -> list[str]:
    """A statement whose operand runs over continuation records (column 72, column 16)."""
    room = 71 - len(first)
    lines, rest = [first + operand[:room]], operand[room:]
    while rest:
        lines[-1] = lines[-1].ljust(71) + "X"
        lines.append(" " * 15 + rest[:56])
        rest = rest[56:]
    return lines


def test_absurdly_nested_expressions_are_a_complexity_error():
    deep = "(" * 2000 + "1" + ")" * 2000
    src = (
        ["P        CSECT"]
        + _continued("         DC    A(", deep + ")")
        + _continued("&A       SETA  ", deep)
        + ["         END"]
    )
    r = assemble(src)
    assert [d.msgid for d in r.diagnostics] == ["ASMA076E", "ASMA076E"]
