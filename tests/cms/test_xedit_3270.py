"""XEDIT, FILELIST and RDRLIST on the real CP, at a 3270 (the in-process
display on a Console3270, as the Textual console has it): the full-screen
path through CP, HI on a looping macro, a display that goes away mid-edit."""

import asyncio

from cms.fs import Disk
from cp import ds3270 as ds
from s390.ebcdic import from_ebcdic
from tests.cms.xeditkit import a_disk_file
from tests.cp.screenkit import Display


async def until(condition, timeout=20.0, screen=None):
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        assert loop.time() < end, "condition not met" + ("\n" + screen.text() if screen else "")
        await asyncio.sleep(0.01)


class User3270:
    """A user at a 3270 on the real system."""

    def __init__(self, system, model=2):
        self.system = system
        self.d = Display(system, model)

    async def logon(self, userid="ALICE", password="ALICE"):
        self.d.type(f"LOGON {userid} {password}")
        await until(lambda: "VM/370 CMS" in self.d.text())
        await self.cms_line("ACCESS (NOPROF")

    async def cms_line(self, text, until_text="Ready"):
        self.d.key(ds.AID_CLEAR)
        await until(lambda: self.d.status() in ("VM READ", "RUNNING"))
        self.d.type(text)
        await until(lambda: until_text in self.d.text())

    async def xedit_ready(self, before):
        await until(
            lambda: (
                self.d.records > before
                and "X E D I T" in self.d.text()
                and not self.d.screen.keyboard_locked
            ),
            screen=self.d.screen,
        )

    def command_row(self):
        return next(
            r for r in range(self.d.screen.rows) if self.d.screen.row_text(r).startswith(" ====>")
        )

    async def leave(self, text):
        """A command that ends XEDIT (FILE, QUIT): CMS is ready again."""
        s = self.d.screen
        s.keyboard_locked = False
        s.cursor = s.pos(self.command_row(), 7)
        s.erase_eof()
        s.type_text(text)
        self.d.console.receive(s.aid(ds.AID_ENTER))
        await until(lambda: "Ready" in self.d.text(), screen=s)

    async def command(self, text, aid=ds.AID_ENTER):
        s = self.d.screen
        before = self.d.records
        s.keyboard_locked = False
        s.cursor = s.pos(self.command_row(), 7)
        s.erase_eof()
        s.type_text(text)
        self.d.console.receive(s.aid(aid))
        await self.xedit_ready(before)

    async def over(self, line_text, col, typed):
        s = self.d.screen
        before = self.d.records
        row = next(r for r in range(s.rows) if s.row_text(r)[6:].rstrip() == line_text)
        s.cursor = s.pos(row, col)
        s.type_text(typed)
        self.d.console.receive(s.aid(ds.AID_ENTER))
        await self.xedit_ready(before)


async def write_lines(u, fileid, lines):
    for line in lines:
        await u.cms_line(f"EXECIO 1 DISKW {fileid} (STRING {line}")


async def test_xedit_on_the_real_cp_prefix_command_line_macro_and_file(system):
    u = User3270(system, model=4)
    await u.logon()
    await write_lines(
        u,
        "SIZER XEDIT A1",
        ["/* a macro */", "'EXTRACT /SIZE/'", "'BOTTOM'", "'INPUT size is' size.1"],
    )
    before = u.d.records
    u.d.key(ds.AID_CLEAR)
    u.d.type("XEDIT TEST DATA A")
    await u.xedit_ready(before)
    assert u.d.screen.rows == 43 and "TEST     DATA     A1" in u.d.screen.row_text(0)
    for word in ("alpha", "beta", "gamma", "beta two"):
        await u.command(f"input {word}")
    await u.command("top")
    await u.over("alpha", 0, "d")  # prefix: delete
    await u.command("change /beta/BETA/ * *")
    await u.command("all /BETA/")
    assert "1 line(s) not displayed" in u.d.text()
    await u.command("all")
    await u.command("locate /gamma/")
    assert "Line=2" in u.d.screen.row_text(0)
    await u.command("sizer")
    await u.leave("file")
    records = a_disk_file(system, "ALICE", "TEST", "DATA")
    assert [from_ebcdic(r).rstrip() for r in records] == ["BETA", "gamma", "BETA two", "size is 3"]
    assert all(len(r) == 80 for r in records)


async def test_hi_stops_a_macro_in_an_endless_loop(system):
    u = User3270(system)
    await u.logon()
    await write_lines(u, "LOOP XEDIT A1", ["/* forever */", "do forever", "  'DOWN 0'", "end"])
    before = u.d.records
    u.d.key(ds.AID_CLEAR)
    u.d.type("XEDIT H DATA A")
    await u.xedit_ready(before)
    s = u.d.screen
    s.cursor = s.pos(u.command_row(), 7)
    s.type_text("loop")
    before = u.d.records
    u.d.console.receive(s.aid(ds.AID_ENTER))
    await asyncio.sleep(0.3)
    assert u.d.records == before  # the macro runs on and on
    s.keyboard_locked = False  # RESET; a command typed ahead
    s.cursor = s.pos(u.command_row(), 7)
    s.erase_eof()
    s.type_text("input typed ahead")
    u.d.console.receive(s.aid(ds.AID_ENTER))
    await asyncio.sleep(0.3)
    assert u.d.records == before  # still looping: the key is kept
    await u.command("HI")  # RESET, HI, ENTER
    assert "X E D I T" in u.d.text()
    await until(lambda: "typed ahead" in u.d.text(), screen=s)  # then XEDIT took it
    await u.command("input still editing")
    assert "still editing" in u.d.text()
    await u.leave("qquit")


async def test_a_display_that_goes_away_mid_edit_and_reconnects(system):
    u = User3270(system)
    await u.logon()
    await write_lines(u, "KEEP DATA A1", ["kept line"])
    before = u.d.records
    u.d.key(ds.AID_CLEAR)
    u.d.type("XEDIT KEEP DATA A")
    await u.xedit_ready(before)
    await u.command("input unsaved")
    u.d.console.hangup()  # the line drops
    await until(lambda: system.find_user("ALICE").session is None)
    assert [from_ebcdic(r).rstrip() for r in a_disk_file(system, "ALICE", "KEEP", "DATA")] == [
        "kept line"
    ]  # the file on disk as it was
    v = User3270(system)
    v.d.type("LOGON ALICE ALICE")
    await until(lambda: "RECONNECTED" in v.d.text())
    before = v.d.records
    v.d.type("BEGIN")
    await asyncio.sleep(0.1)
    v.d.type("")  # ENTER: back to the editor
    await v.xedit_ready(before)
    assert "unsaved" in v.d.text()
    await v.leave("file")
    assert [from_ebcdic(r).rstrip() for r in a_disk_file(system, "ALICE", "KEEP", "DATA")] == [
        "kept line",
        "unsaved",
    ]


async def test_rdrlist_receive_on_the_real_spool(system):
    bob = User3270(system)
    await bob.logon("BOB", "BOB")
    await write_lines(bob, "GIFT DATA A1", ["a present"])
    await write_lines(bob, "JUNK DATA A1", ["junk"])
    await bob.cms_line("SENDFILE GIFT DATA A TO ALICE", "Ready")
    await bob.cms_line("SENDFILE JUNK DATA A TO ALICE", "Ready")
    u = User3270(system)
    await u.logon()
    before = u.d.records
    u.d.key(ds.AID_CLEAR)
    u.d.type("RDRLIST")
    await u.xedit_ready(before)
    assert "GIFT     DATA" in u.d.text() and "BOB" in u.d.text()
    s = u.d.screen
    for name, typed in (("GIFT", "receive"), ("JUNK", "purge")):  # two lines, one ENTER
        row = next(r for r in range(s.rows) if s.row_text(r)[6:].startswith(name + " "))
        s.cursor = s.pos(row, 0)
        s.type_text(typed)
    before = u.d.records
    u.d.console.receive(s.aid(ds.AID_ENTER))
    await u.xedit_ready(before)
    await u.leave("quit")
    assert [from_ebcdic(r).rstrip() for r in a_disk_file(system, "ALICE", "GIFT", "DATA")] == [
        "a present"
    ]
    assert not system.spool.reader_files("ALICE")


async def test_filelist_on_the_real_cp_sorts_and_erases_from_a_line(system):
    u = User3270(system)
    await u.logon()
    await write_lines(u, "BBB SCRIPT A1", ["b"])
    await write_lines(u, "AAA TEXT A1", ["a"])
    before = u.d.records
    u.d.key(ds.AID_CLEAR)
    u.d.type("FILELIST * * A")
    await u.xedit_ready(before)
    s = u.d.screen

    def names():
        return [s.row_text(r)[6:14].strip() for r in range(3, 5)]

    assert names() == ["AAA", "BBB"]
    before = u.d.records
    u.d.console.receive(s.aid(ds.AID_PF[4]))  # sort by type: SCRIPT < TEXT
    await u.xedit_ready(before)
    assert names() == ["BBB", "AAA"]
    row = next(r for r in range(s.rows) if s.row_text(r)[6:].startswith("AAA "))
    s.cursor = s.pos(row, 0)
    s.type_text("erase")
    before = u.d.records
    u.d.console.receive(s.aid(ds.AID_ENTER))
    await u.xedit_ready(before)
    assert "AAA " not in u.d.text()
    await u.leave("quit")
    disk = system.find_user("ALICE").devices[0x191]

    class Blocks:
        blocks = disk.blocks

        def read(self, block, count=1):
            return bytes(disk.read_blocks(block, count))

    assert Disk.open(Blocks()).lookup("AAA", "TEXT") is None
    assert Disk.open(Blocks()).lookup("BBB", "SCRIPT") is not None


async def test_xedit_fills_a_model_5_display(system):
    u = User3270(system, model=5)
    await u.logon()
    before = u.d.records
    u.d.key(ds.AID_CLEAR)
    u.d.type("XEDIT WIDE DATA A")
    await u.xedit_ready(before)
    s = u.d.screen
    assert (s.rows, s.cols) == (27, 132)
    assert s.row_text(25).startswith(" ====>")
    assert "X E D I T  1 File" in s.row_text(26)
    scale = next(s.row_text(r) for r in range(s.rows) if "|...+....1" in s.row_text(r))
    assert scale.rstrip().endswith("1....+....2....+")  # 125 data columns
    await u.leave("quit")
