"""Record Regina's verdict on programs with syntax errors in syntax_regina.json.

    python tests/cms/rexx/make_syntax_cases.py        # needs regina-rexx

Each case is a program whose first clause is ``say 'before'``.  Regina (like
IBM REXX) checks the structure of the whole program when it loads it, so for
a structural error (DO/END, IF/THEN/ELSE, SELECT/WHEN, unterminated comment
or string) nothing is said before the error; an error TRL2 leaves to run time
comes after ``before``.  Recorded: the error number and whether ``before``
was said.  test_syntax.py checks that our interpreter agrees.
"""

from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).parent
RECORD = HERE / "syntax_regina.json"
ERROR_RE = re.compile(r"^Error (\d+) running .*?(?:, line (\d+))?:", re.MULTILINE)

#: name -> the program after its first line, say 'before'
CASES = {
    "do_without_end": "do i = 1 to 2\n  say i",
    "select_without_end": "select\n  when 1 then say 'x'",
    "select_without_when": "select\n  otherwise say 'x'\nend",
    "select_empty": "select\nend",
    "end_without_do": "end",
    "extra_end": "do 3\nend\nend",
    "extra_end_same_line": "select; when 1 then say 1; end; end",
    "end_after_then": "if 1 then end",
    "end_wrong_name": "do i = 1 to 2\nend j",
    "else_without_if": "else say 'x'",
    "double_else": "if 1 then nop; else nop; else nop",
    "then_else": "if 1 then else say 'x'",
    "then_alone": "then say 'x'",
    "then_in_do": "do 2; say 'x'; then nop; end",
    "if_without_then": "if 1 say 'x'",
    "then_without_instruction": "if 1 then",
    "when_alone": "when 1 then say 'x'",
    "otherwise_alone": "otherwise say 'x'",
    "when_after_otherwise": "select\nwhen 1 then nop\notherwise nop\nwhen 2 then nop\nend",
    "else_in_select": "select\nwhen 1 then nop\nelse nop\nend",
    "do_two_conditions": "do forever while 1 until 0\nend",
    "unterminated_comment": "/* unterminated\nsay 'x'",
    "unterminated_nested_comment": "say 'x' /* comment /* nested */",
    "unterminated_string": "say 'unterminated",
    "mismatched_quotes": "x = 'abc\"",
    "signal_on_syntax_cannot_trap_structure": "signal on syntax\ndo\nsyntax: say 'trapped' rc",
    # errors TRL2 leaves to run time: SIGNAL ON SYNTAX can trap them
    "leave_outside_loop": "leave",
    "procedure_in_main_program": "procedure",
    "label_not_found": "signal nowhere",
    "string_label": "'abc': say 'x'",
    "when_as_variable": "when = 1; say when",
}


def program(body: str) -> str:
    return "say 'before'\n" + body + "\n"


def verdict(stdout: str, stderr: str) -> dict:
    match = ERROR_RE.search(stderr)
    return {"before": stdout.startswith("before"), "error": int(match.group(1)) if match else None}


def main() -> int:
    regina = shutil.which("regina")
    if regina is None:
        print("make_syntax_cases: regina not installed (apt-get install regina-rexx)")
        return 1
    recorded = {}
    with tempfile.TemporaryDirectory() as work:
        for name, body in CASES.items():
            path = pathlib.Path(work) / f"{name}.rexx"
            path.write_text(program(body))
            completed = subprocess.run(
                [regina, f"./{path.name}"], cwd=work, capture_output=True, text=True, timeout=60
            )
            recorded[name] = {
                "source": program(body),
                **verdict(completed.stdout, completed.stderr),
            }
    RECORD.write_text(json.dumps(recorded, indent=1) + "\n")
    print(f"{len(recorded)} cases recorded in {RECORD.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
