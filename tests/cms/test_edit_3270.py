"""EDIT at a 3270 display of the real CP: what a user types reaches the file
as typed, double quotes included (z/VM's display defaults, docs/terminal.md),
while a line terminal keeps VM/370's ESCAPE."""

import asyncio

from tests.cms.cmskit import User
from tests.cp.screenkit import Display


async def until(condition, timeout=30.0):
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not met")


async def typed(display, vm, line):
    """Type a line at the 3270 and wait until CMS reads again."""
    await until(lambda: vm.console.read_pending)
    display.type(line)
    await asyncio.sleep(0.05)
    await until(lambda: vm.console.read_pending)


async def test_rexx_typed_into_edit_at_a_3270_keeps_its_double_quotes(system):
    d = Display(system)
    d.type("LOGON ALICE ALICE")
    vm = system.find_user("ALICE")
    for line in (
        "ACCESS (NOPROF",
        "EDIT QUOTE EXEC",
        "CASE M",
        "INPUT",
        "/* a REXX exec */",
        'say "Hello," "world" || "@home"',
        "",
        "FILE",
    ):
        await typed(d, vm, line)
    await typed(d, vm, "QUOTE")
    rows = d.text().splitlines()
    assert any(row.startswith("Hello, world@home") for row in rows), "\n".join(rows)


async def test_a_line_terminal_keeps_vm370_escape(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await alice.type('EXECIO 1 DISKW Q EXEC A1 (STRING /* */ say ""x"" "a')
    out = await alice.type("Q")
    assert out[0] == "x A"  # stored as: say "x" a (the escape took one quote each)
