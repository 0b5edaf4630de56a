"""The dispatch is generated from s390/optable.py and must not be stale."""
import re
from pathlib import Path

from s390 import _gen
from s390.optable import OPCODES

CPU_PY = Path(_gen.__file__).with_name("cpu.py")


def test_generated_dispatch_is_current():
    for path, text in _gen.generated_files().items():
        assert path.read_text() == text, f"{path.name} is stale: run python -m s390._gen"


def test_every_opcode_has_a_handler_and_a_dispatch_entry():
    source = CPU_PY.read_text()
    start = source.index(_gen.BEGIN)
    execute = source[start:source.index(_gen.END, start)]
    for op in OPCODES:
        assert re.search(rf"^    def {op.handler}\(self\):", source, re.M), op.mnemonic
        assert f"self.{op.handler}()" in execute, op.mnemonic


def test_privileged_rows_check_the_problem_state():
    execute = _gen.render_execute()
    for op in OPCODES:
        line = next(i for i, l in enumerate(execute.splitlines()) if f"# {op.code:0{4 if op.two_byte else 2}X} {op.mnemonic} " in l)
        has_check = "if self.problem:" in execute.splitlines()[line]
        assert has_check == op.privileged, op.mnemonic


def test_render_replaces_only_the_marked_region():
    text = "a\n    " + _gen.BEGIN + "\nold\n    " + _gen.END + "\nb\n"
    assert _gen.replace_region(text, "new\n", "    ") == \
        "a\n    " + _gen.BEGIN + "\nnew\n    " + _gen.END + "\nb\n"


def test_unassigned_opcodes_are_operation_exceptions(cpu_module):
    from tests.s390.conftest import make_cpu
    assigned = {op.code for op in OPCODES if not op.two_byte}
    prefixes = {op.code >> 8 for op in OPCODES if op.two_byte}
    for first in range(256):
        if first in assigned or first in prefixes:
            continue
        cpu = make_cpu(cpu_module, "%02X00 0000 0000" % first)
        assert cpu.run(5) == cpu_module.EXIT_PROGRAM, hex(first)
        assert cpu.exit_code == 1
    cpu = make_cpu(cpu_module, "B2FF0000")                  # unassigned B2xx
    assert cpu.run(5) == cpu_module.EXIT_PROGRAM and cpu.exit_code == 1


def test_privileged_table_lists_every_privileged_row():
    body = _gen.render_privileged()
    for op in OPCODES:
        code = op.code & 0xFF
        if op.two_byte:
            assert (f"op2 == 0x{code:02X}" in body.split(f"op == 0x{op.code >> 8:02X}:")[1]
                    .splitlines()[1]) == op.privileged, op.mnemonic
        else:
            assert (f"op == 0x{code:02X} " in body.splitlines()[0].replace(":", " ")) == op.privileged, \
                op.mnemonic
