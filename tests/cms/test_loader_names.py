"""LOAD, INCLUDE and START through the real CP: a program check is reported
in the routine where it happened, and a LOAD that failed leaves nothing for
the next INCLUDE."""

from tests.cms.cmskit import User, make_file, ready_code

GOOD = ["A        CSECT", "         SR    15,15", "         BR    14", "         END   A"]
BAD = [
    "B        CSECT",
    "         BALR  12,0",
    "         USING *,12",
    "         SR    2,2",
    "         ST    3,0(,2)",
    "         BR    14",
    "         END   B",
]


async def assembled(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await make_file(alice, "A ASSEMBLE A", GOOD)
    await make_file(alice, "B ASSEMBLE A", BAD)
    for name in "AB":
        out = await alice.type(f"ASSEMBLE {name}")
        assert ready_code(out) == "Ready", out
    return alice


async def test_program_check_in_an_included_deck_names_that_deck(system):
    alice = await assembled(system)
    assert ready_code(await alice.type("LOAD A")) == "Ready"
    assert ready_code(await alice.type("INCLUDE B")) == "Ready"
    out = await alice.type("START B", until="CMS")
    check = next(x for x in out if x.startswith("DMSITP141T"))
    assert check.startswith("DMSITP141T PROTECTION EXCEPTION OCCURRED AT 02")
    assert check.endswith("IN ROUTINE B")


async def test_a_failed_load_leaves_no_name_for_include(system):
    alice = await assembled(system)
    out = await alice.type("LOAD NOSUCH")
    assert "DMSLIO002E FILE 'NOSUCH TEXT *' NOT FOUND" in out
    out = await alice.type("INCLUDE A")
    assert ready_code(out) == "Ready" and not any("NOSUCH" in x for x in out)
    out = await alice.type("START")
    assert "DMSLIO740I EXECUTION BEGINS..." in out and ready_code(out) == "Ready"
    # an INCLUDE of a missing deck leaves the loaded program as it was
    out = await alice.type("INCLUDE NOSUCH")
    assert "DMSLIO002E FILE 'NOSUCH TEXT *' NOT FOUND" in out
    out = await alice.type("START")
    assert ready_code(out) == "Ready"
    out = await alice.type("INCLUDE B")
    assert ready_code(out) == "Ready" and not any("NOSUCH" in x for x in out)
