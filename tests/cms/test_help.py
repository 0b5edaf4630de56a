"""HELP: every command has help; menus and command panels, full screen on a
3270 (DIAGNOSE X'58' through GuestServices) and as lines on a line terminal."""

import importlib

from cms.commands.help import parse_menu
from cms.commands.table import build_table
from cms.fs import Disk
from cms.install import install_files, shipped_files
from cp import ds3270 as ds
from s390.ebcdic import card
from tests.cms.fakes import FakeServices, run_session
from tui.screen import Screen

HELP_FILES = shipped_files("help")


def text_of(fn, ft):
    from s390.ebcdic import from_ebcdic

    return [from_ebcdic(r).rstrip() for r in HELP_FILES[(fn, ft)]]


def cp_table():
    return importlib.import_module("cp.commands").table()


# ---------------------------------------------------------------- completeness


def test_every_cms_command_has_a_help_file_and_a_menu_entry():
    menu = parse_menu("CMS", text_of("CMS", "HELPMENU"))
    listed = {e.name: e for e in menu.entries}
    for cmd in build_table():
        assert (cmd.name, "HELPCMS") in HELP_FILES, f"{cmd.name} HELPCMS missing"
        assert cmd.shown in listed, f"{cmd.shown} not in the CMS menu"
        assert text_of(cmd.name, "HELPCMS")[0].startswith(cmd.name)


def test_every_cp_command_has_a_help_file_or_names_one_of_the_same_command():
    menu = parse_menu("CP", text_of("CP", "HELPMENU"))
    listed = {e.name for e in menu.entries}
    handlers = {cmd.name: cmd.handler for cmd in cp_table()}
    for cmd in cp_table():
        target = menu.synonyms.get(cmd.name, cmd.name)
        assert (target, "HELPCP") in HELP_FILES, f"{cmd.name} HELPCP missing"
        assert handlers[target] is cmd.handler, f"{cmd.name} is not {target}"
        if target == cmd.name:
            shown = cmd.name[: cmd.min_abbrev_len] + cmd.name[cmd.min_abbrev_len :].lower()
            assert shown in listed, f"{shown} not in the CP menu"


def test_help_text_fits_a_3270_row_and_every_message_is_one_the_code_gives():
    """CP's messages are literals in cp/ (the whole id must be there); CMS's
    are CMSError(number, severity, ...) with the command's module id."""
    import pathlib
    import re

    cp_source = "".join(p.read_text() for p in pathlib.Path("cp").rglob("*.py"))
    cms_source = "".join(p.read_text() for p in pathlib.Path("cms").rglob("*.py"))
    cms_source = re.sub(r"\s+", " ", cms_source)
    for fn, ft in HELP_FILES:
        for line in text_of(fn, ft):
            assert len(line) <= 79, (fn, ft, line)
            found = re.match(r"\s+(DM[SK])([A-Z]{3})(\d{3,4})([EIWSRT]) ", line)
            if found and found.group(1) == "DMK":
                assert found.group(0).strip() in cp_source, line
            elif found:
                number, severity = int(found.group(3)), found.group(4)
                assert (
                    f'CMSError({number}, "{severity}"' in cms_source
                    or f"DMS{found.group(2)}{found.group(3)}{severity}" in cms_source
                    or f'CMSError({number:03d}, "{severity}"' in cms_source
                ), line


# ---------------------------------------------------------------- line mode


def help_services(*script, screen=None):
    s = FakeServices(script=["ACCESS (NOPROF", *script], screen_size=screen)
    s.add_disk(0x191)
    y = s.add_disk(0x19E, blocks=2000, label="MNT19E")
    install_files(Disk.open(y, "Y"), HELP_FILES)
    return s


def shown_after(s, command):
    start = s.lines.index(command) if command in s.lines else None
    return s.lines[start + 1 :] if start is not None else s.lines


async def test_line_mode_help_types_menus_and_commands():
    s = help_services(
        "HELP",
        "HELP COPY",
        "HELP CP Q",
        "HELP CP LOGOUT",
        "HELP LINK",
        "HELP CMS",
        "HELP NOSUCH",
        "HELP CP NOSUCH",
        "HELP A B C",
    )
    await run_session(s)
    out = s.lines
    assert "MENU OF HELP MENUS" in out
    assert "COPYFILE (CMS command)" in out
    assert any(x.startswith("  COPYfile fn ft fm fn2|= ft2|= fm2|=") for x in out)
    assert "QUERY (CP command, privilege class A, B, C, D, E, F, G)" in out
    assert "LOGOFF (CP command, privilege class any)" in out  # LOGOUT: LOGOFF
    assert "LINK (CP command, privilege class B, G)" in out  # no CMS LINK: CP's
    assert "CMS COMMANDS" in out
    assert "DMSHLP002E FILE 'NOSUCH HELPCMS *' NOT FOUND" in out
    assert "DMSHLP002E FILE 'NOSUCH HELPCP *' NOT FOUND" in out
    assert "DMSHLP003E INVALID OPTION 'C'" in out
    assert any(x.startswith("Ready(00028)") for x in out)


async def test_a_help_file_on_the_a_disk_is_found_first():
    s = help_services("HELP MINE", "HELP ERASE")
    disk = Disk.open(s.disks[0x191])
    disk.write_file("MINE", "HELPCMS", [card("MINE: MY OWN HELP")])
    disk.write_file("ERASE", "HELPCMS", [card("OUR SITE'S ERASE")])
    await run_session(s)
    assert "MINE: MY OWN HELP" in s.lines and "OUR SITE'S ERASE" in s.lines


async def test_help_without_help_files_says_which_file_is_missing():
    s = FakeServices(script=["ACCESS (NOPROF", "HELP", "HELP COPYFILE"])
    s.add_disk(0x191)
    await run_session(s)
    assert "DMSHLP002E FILE 'MENUS HELPMENU *' NOT FOUND" in s.lines
    assert "DMSHLP002E FILE 'COPYFILE HELPCMS *' NOT FOUND" in s.lines


# ---------------------------------------------------------------- full screen


class Terminal3270:
    """The fake's display: each full-screen write drawn on a 3270 model, keys
    read back from it (cursor and modified fields as the terminal sends them)."""

    def __init__(self, model=2):
        self.screen = Screen(model=model)

    def draw(self, screens):
        for record in screens[len(getattr(self, "_seen", [])) :]:
            if record:
                self.screen.process(record)
        self._seen = list(screens)

    def key(self, aid, cursor_on=None, typed=None):
        def press(screens):
            self.draw(screens)
            if typed is not None:
                self.screen.type_text(typed)
            if cursor_on is not None:
                self.screen.cursor = self.find(cursor_on)
            return self.screen.aid(aid)

        return press

    def find(self, word):
        """The buffer address of the last row's ``word`` standing alone."""
        import re

        for row in reversed(range(self.screen.rows)):
            found = re.search(rf"(?<!\S){re.escape(word)}(?!\S)", self.screen.row_text(row))
            if found:
                return row * self.screen.cols + found.start()
        raise AssertionError(word)

    def rows(self):
        return self.screen.text().splitlines()


async def test_full_screen_menus_select_page_and_quit():
    t = Terminal3270()
    s = help_services("HELP", screen=(24, 80))
    s.keys = [
        t.key(ds.AID_PF[8]),  # a page: one page only
        t.key(ds.AID_ENTER, cursor_on="CP"),  # the CP menu
        t.key(ds.AID_ENTER, cursor_on="LINK"),  # LINK
        t.key(ds.AID_PF[3]),  # back to the CP menu
        t.key(ds.AID_PF[3]),  # back to the menu of menus
        t.key(ds.AID_PF[3]),
    ]  # HELP ends
    await run_session(s)
    pages = []
    shadow = Screen(model=2)
    for record in s.writes:
        if record:
            shadow.process(record)
            pages.append([r[1:] for r in shadow.text().splitlines()])
    assert pages[0][0].startswith("MENUS HELPMENU") and "MENU OF HELP MENUS" in pages[0][1]
    assert "Bottom of file reached" in pages[1][21]
    assert pages[2][0].startswith("CP HELPMENU") and any("COUple" in r for r in pages[2])
    assert pages[3][0].startswith("LINK HELPCP") and pages[3][1].startswith("LINK (CP command")
    assert pages[3][22].startswith("PF1= Help") and pages[3][23].startswith("====>")
    assert pages[4][0].startswith("CP HELPMENU") and pages[5][0].startswith("MENUS HELPMENU")
    assert s.writes[-1] == b""  # the screen goes back to CP's layout
    assert s.lines[-1].startswith("Ready;")


async def test_full_screen_paging_help_on_help_topic_line_and_return():
    t = Terminal3270()
    s = help_services("HELP CP QUERY", screen=(24, 80))
    s.keys = [
        t.key(ds.AID_PF[1]),  # help on HELP
        t.key(ds.AID_ENTER, typed="CP NOSUCH"),  # an unknown topic
        t.key(ds.AID_ENTER, typed="copyfile"),  # a topic typed
        t.key(ds.AID_PF[8]),  # page forward
        t.key(ds.AID_PF[7]),  # and back
        t.key(ds.AID_PF[7]),  # at the top already
        t.key(ds.AID_PF[9]),  # not a HELP key
        t.key(ds.AID_PF[4]),
    ]  # leave HELP at once
    await run_session(s)
    shadow, pages = Screen(model=2), []
    for record in s.writes[:-1]:
        shadow.process(record)
        pages.append([r[1:] for r in shadow.text().splitlines()])
    assert pages[0][0].startswith("QUERY HELPCP")
    assert pages[1][0].startswith("HELP HELPCMS")
    assert pages[2][21].startswith("DMSHLP002E FILE 'NOSUCH HELPCP *' NOT FOUND")
    assert pages[3][0].startswith("COPYFILE HELPCMS") and "Line 1 to 20 of" in pages[3][0]
    assert "Line 21 to" in pages[4][0]
    assert "Line 1 to 20" in pages[5][0]
    assert "Top of file reached" in pages[6][21]
    assert "PF9 is not defined in HELP" in pages[7][21]
    assert s.writes[-1] == b"" and s.lines[-1].startswith("Ready;")


async def test_a_larger_display_shows_more_of_a_file():
    t = Terminal3270(model=4)
    s = help_services("HELP COPYFILE", screen=(43, 80))
    s.keys = [t.key(ds.AID_PF[3])]
    await run_session(s)
    shadow = Screen(model=4)
    shadow.process(s.writes[0])
    rows = [r[1:] for r in shadow.text().splitlines()]
    assert len(rows) == 43 and rows[0].rstrip().endswith(
        f"of {len(text_of('COPYFILE', 'HELPCMS'))}"
    )
    assert "Line 1 to" in rows[0] and rows[42].startswith("====>")


# ---------------------------------------------------------------- golden screens


def golden_text(screen) -> str:
    """The screen as reviewers read it: each row's text, then each field's
    start (row, column) and attribute byte, then the cursor."""
    rows = [f"{r:02d}|{screen.row_text(r)}|" for r in range(screen.rows)]
    fields = [
        f"field {divmod(pos, screen.cols)} attribute {attr:02X}"
        for pos, attr in sorted(screen.fa.items())
    ]
    return "\n".join(rows + fields + [f"cursor {divmod(screen.cursor, screen.cols)}"]) + "\n"


def panel_screen(model, topic_name, kind):
    from cms.commands.help import Panels, Topic, parse_menu

    rows, cols = ds.MODEL_SIZES[model]
    lines = text_of(topic_name, kind)
    topic = parse_menu(topic_name, lines) if kind == "HELPMENU" else Topic(topic_name, kind, lines)
    screen = Screen(model=model)
    screen.process(Panels(None, rows, cols, topic).screen())
    return screen


def test_golden_help_screens_models_2_and_4():
    """A change in the HELP layout shows up here (regenerate the files under
    tests/cms/golden/ deliberately when the layout is meant to change)."""
    import pathlib

    golden = pathlib.Path(__file__).parent / "golden"
    for model, name, kind in ((2, "CMS", "HELPMENU"), (4, "COPYFILE", "HELPCMS")):
        path = golden / f"help_{name.lower()}_model{model}.txt"
        assert golden_text(panel_screen(model, name, kind)) == path.read_text(), path
