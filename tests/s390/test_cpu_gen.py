"""The dispatch is generated from s390/optable.py and must not be stale."""

import re
from pathlib import Path

from s390 import _gen
from s390.optable import OPCODES

CPU_PY = Path(_gen.__file__).with_name("cpu.py")


def test_generated_dispatch_is_current():
    files = _gen.generated_files()
    assert {p.name for p in files} == {
        "_dispatch.py",
        "_dispatch.pxi",
        "_threaded.pxi",
        "_threaded.h",
        "cpu.pxd",
    }
    for path, text in files.items():
        assert path.read_text() == text, f"{path.name} is stale: run python -m s390._gen"


def test_generated_modules_say_do_not_edit():
    for name in ("_dispatch.py", "_dispatch.pxi", "_threaded.pxi"):
        assert CPU_PY.with_name(name).read_text().startswith(_gen.BANNER), name
    assert CPU_PY.with_name("_threaded.h").read_text().startswith(_gen.C_BANNER)


def test_threaded_loop_has_a_label_per_fast_form_and_no_other():
    """Every fast form has its label in the threaded loop's jump table and a
    C-named function that runs it; every other operation code goes to
    step() (the table's default)."""
    header = _gen.render_threaded_h()
    pxi = _gen.render_threaded_pxi()
    table = dict(re.findall(r"\[0x([0-9A-F]{2})\] = &&vm370_op_([0-9A-F]{2})", header))
    rows = _gen.fast_forms()
    assert table == {f"{op.code:02X}": f"{op.code:02X}" for op in rows}
    assert "[0 ... 255] = &&vm370_slow" in header
    for op in rows:
        code = f"{op.code:02X}"
        kind = "VM370_SEQUENTIAL_FORM" if _gen.sequential(op) else "VM370_FAST_FORM"
        assert f"vm370_op_{code}: {kind}(0x{code}, vm370_fast_{code});" in header
        function = pxi.split(f'"vm370_fast_{code}"(CPU cpu, uint32_t ia)')[1].split("\n\n")[0]
        assert function.rstrip().endswith(f"return cpu.fast_{op.mnemonic}(ia)")
        # the same privileged-operation test as fast_execute's
        assert ("if cpu.problem:" in function) == bool(op.privileged), op.mnemonic


def test_only_forms_that_go_on_to_the_next_instruction_are_sequential():
    """A sequential label tests only that ia has not passed the fetch
    block's end, which is right only when the fast form goes on at ia + 2
    or ia + 4 (or declines): every return of such a form in cpu.py is -1, or
    that address, or a helper's result given it (the float helpers add the
    length themselves)."""
    source = CPU_PY.read_text()
    sequential = [op for op in _gen.fast_forms() if _gen.sequential(op)]
    assert {op.mnemonic for op in sequential} >= {"L", "ST", "LR", "AR", "MVI", "STM"}
    for op in sequential:
        body = re.search(rf"    def fast_{op.mnemonic}\(self, ia\):\n(.*?)\n    def ", source, re.S)
        for result in re.findall(r"return (.*)", body.group(1)):
            assert (
                result.strip() == "-1"
                or re.search(rf"\bia \+ {op.length}\b", result)
                or re.fullmatch(r"self\.quick_float_r[rx]\(ia, .*\)", result.strip())
            ), (op.mnemonic, result)
    for helper, length in (("quick_float_rr", 2), ("quick_float_rx", 4)):
        body = re.search(rf"    def {helper}\(self, ia, .*?\n(.*?)\n    def ", source, re.S)
        assert f"ia + {length}" in body.group(1), helper
    assert not any(_gen.sequential(op) for op in _gen.fast_forms() if op.branch)
    assert not any(_gen.sequential(op) for op in _gen.fast_forms() if op.length == 6)


def test_cpu_py_holds_no_generated_code():
    source = CPU_PY.read_text()
    assert "GENERATED" not in source
    assert not re.search(
        r"^\s*(def|cdef) (execute|is_privileged|is_branch|ilen)\(", source, re.MULTILINE
    )


def test_every_opcode_has_a_handler_and_a_dispatch_entry():
    source = CPU_PY.read_text()
    for cython in (False, True):
        execute = _gen.render_module(cython).split("execute(")[1]
        for op in OPCODES:
            assert f"cpu.{op.handler}()" in execute, op.mnemonic
    for op in OPCODES:
        assert re.search(rf"^    def {op.handler}\(self\):", source, re.MULTILINE), op.mnemonic


def test_pure_and_cython_dispatch_have_the_same_bodies():
    """Only the signature lines differ between the .py and the .pxi."""
    py = _gen.render_module(False).split("\n\n\n", 1)[1].splitlines()
    pxi = _gen.render_module(True).split("\n\n\n", 1)[1].splitlines()
    signatures = {sig for pair in _gen.SIGNATURES.values() for sig in pair}
    assert [l for l in py if l not in signatures] == [l for l in pxi if l not in signatures]


def test_derived_facts_match_the_table():
    from s390 import _dispatch
    from s390.optable import instruction_length, lookup

    for first in range(256):
        assert _dispatch.ilen(first) == instruction_length(first)
        op = lookup(first, 0)
        assert _dispatch.is_branch(first) == (
            1 if op is not None and op.installed and op.branch else 0
        )
    assert {op.mnemonic for op in OPCODES if op.branch} >= {
        "BC",
        "BCR",
        "BAL",
        "BALR",
        "BCT",
        "BXH",
        "EX",
    }


def test_privileged_rows_check_the_problem_state():
    execute = _gen.render_execute()
    for op in OPCODES:
        line = next(
            i
            for i, l in enumerate(execute.splitlines())
            if f"# {op.code:0{4 if op.two_byte else 2}X} {op.mnemonic} " in l
        )
        has_check = "if cpu.problem:" in execute.splitlines()[line]
        assert has_check == op.privileged, op.mnemonic


def test_render_replaces_only_the_marked_region():
    text = "a\n    " + _gen.BEGIN + "\nold\n    " + _gen.END + "\nb\n"
    assert (
        _gen.replace_region(text, "new\n", "    ")
        == "a\n    " + _gen.BEGIN + "\nnew\n    " + _gen.END + "\nb\n"
    )


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
    cpu = make_cpu(cpu_module, "B2FF0000")  # unassigned B2xx
    assert cpu.run(5) == cpu_module.EXIT_PROGRAM and cpu.exit_code == 1


def test_privileged_table_lists_every_privileged_row():
    body = _gen.render_privileged()
    for op in OPCODES:
        code = op.code & 0xFF
        if op.two_byte:
            assert (
                f"op2 == 0x{code:02X}"
                in body.split(f"op == 0x{op.code >> 8:02X}:")[1].splitlines()[1]
            ) == op.privileged, op.mnemonic
        else:
            assert (
                f"op == 0x{code:02X} " in body.splitlines()[0].replace(":", " ")
            ) == op.privileged, op.mnemonic
