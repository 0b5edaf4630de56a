"""How XEDIT's modules depend on each other: every import at the top of its
module (tests/test_imports.py checks that the arrows make no cycle), and the
subcommands of a list session (FILELIST, RDRLIST, PEEK) belong to that
session, not to every XEDIT."""

import ast
from pathlib import Path

import cms.xedit
from tests.cms.fakes import run_session
from tests.cms.xeditkit import command, fake_3270, look

XEDIT_DIR = Path(cms.xedit.__file__).parent


def _imports_inside_functions(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found += [
                f"{path.name}:{inner.lineno}"
                for inner in ast.walk(node)
                if isinstance(inner, (ast.Import, ast.ImportFrom))
            ]
    return found


def test_no_xedit_module_imports_inside_a_function():
    found = [
        where
        for path in sorted(XEDIT_DIR.glob("*.py"))
        for where in _imports_inside_functions(path)
    ]
    assert not found, "imports inside functions: " + ", ".join(found)


async def test_plain_xedit_has_refresh_but_not_the_list_subcommands():
    s = fake_3270(script=["XEDIT SOME DATA A"], files={("SOME", "DATA"): ["a line"]})
    seen = []
    s.keys = [
        command("refresh"),
        look(seen, command("sortlist name")),
        look(seen, command("qquit")),
    ]
    await run_session(s)
    assert "Unknown CP/CMS command" not in seen[0]  # REFRESH: an XEDIT subcommand
    # SORTLIST is FILELIST's: in a plain XEDIT it is no subcommand, no macro:
    # a CMS command (SET IMPCMSCP ON), and CMS has none of that name.
    assert "Unknown CP/CMS command" in seen[1]


async def test_filelist_sortlist_typed_on_the_command_line():
    s = fake_3270(script=["FILELIST * * A"], files={("BBB", "DATA"): ["b"], ("AAA", "TEXT"): ["a"]})
    seen = []
    s.keys = [
        command("sortlist type"),
        look(seen, command("sortlist name")),
        look(seen, command("quit")),
    ]
    await run_session(s)
    assert seen[0].index("BBB      DATA") < seen[0].index("AAA      TEXT")
    assert seen[1].index("AAA      TEXT") < seen[1].index("BBB      DATA")
