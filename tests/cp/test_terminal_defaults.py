"""The line-editing characters a user starts with: VM/370's for a line-mode
terminal, z/VM's for a 3270 display (docs/terminal.md)."""

from cp.console import TerminalOptions, edit_line
from tests.cp.cpkit import command, logon, make_system
from tests.cp.screenkit import Display


def query_terminal(display) -> str:
    display.type("QUERY TERMINAL")
    return next(row for row in display.text().splitlines() if row.startswith("LINEND"))


def test_a_line_terminal_keeps_the_vm370_editing_characters(tmp_path):
    system = make_system(tmp_path)
    terminal, session = logon(system, "MAINT")
    assert command(session, terminal, "Q TERM")[0] == 'LINEND #, LINEDEL ¢, CHARDEL @, ESCAPE "'


def test_a_3270_display_starts_with_chardel_linedel_and_escape_off(tmp_path):
    system = make_system(tmp_path)
    d = Display(system)
    d.type("LOGON MAINT MAINTPW")
    assert query_terminal(d).strip() == "LINEND #, LINEDEL OFF, CHARDEL OFF, ESCAPE OFF"


def test_a_3270_display_passes_quotes_and_at_signs_as_typed(tmp_path):
    system = make_system(tmp_path)
    d = Display(system)
    d.type("LOGON MAINT MAINTPW")
    d.type('MSG MAINT say "a@b"')
    assert any('say "a@b"' in row for row in d.text().splitlines())


def test_terminal_on_restores_the_system_default_symbol(tmp_path):
    system = make_system(tmp_path)
    d = Display(system)
    d.type("LOGON MAINT MAINTPW")
    d.type("TERMINAL ESCAPE ON CHARDEL ON")
    assert query_terminal(d).strip() == 'LINEND #, LINEDEL OFF, CHARDEL @, ESCAPE "'


def test_line_end_still_splits_a_3270_line():
    options = TerminalOptions.for_terminal("3278")
    assert edit_line('a"b#CP Q T', options) == [('a"b', False), ("CP Q T", True)]
