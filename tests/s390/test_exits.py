"""The CPU's interface constants live in s390/exits.py; s390.cpu shows the
same values in both builds, and the CPU's trace records carry them."""

from pathlib import Path

from s390 import exits
from tests.s390.conftest import make_cpu


def test_cpu_module_exports_the_exit_and_trace_names(cpu_module):
    for name, value in exits.PUBLIC.items():
        assert getattr(cpu_module, name) == value, name
    assert cpu_module.EXIT_NAMES is exits.EXIT_NAMES or cpu_module.EXIT_NAMES == exits.EXIT_NAMES


def test_cpu_py_has_no_re_export_shim():
    source = Path(exits.__file__).with_name("cpu.py").read_text()
    assert "def __getattr__" not in source
    assert "EXIT_BUDGET = 1" not in source and "TRACE_BRANCH = 2" not in source


def test_record_kinds_are_the_trace_bits(cpu_module):
    # BALR 14,0 ; BC 15,8(14) over two NOPRs ; SVC 3 (intercepted): the kinds are the bits.
    cpu = make_cpu(cpu_module, "05E0 47F0E008 0700 0700 0A03")
    cpu.set_svc_intercept(3)
    cpu.trace = exits.TRACE_BRANCH | exits.TRACE_SVC
    cpu.run(10)
    kinds = [record[0] for record in cpu.trace_records()]
    assert kinds == [exits.TRACE_BRANCH, exits.TRACE_SVC]
    assert set(kinds) <= set(exits.TRACE_RECORD_KINDS)


def test_interruption_bits_are_the_four_interruptions():
    assert exits.TRACE_INTERRUPTIONS == (
        exits.TRACE_SVC | exits.TRACE_PROGRAM | exits.TRACE_EXTERNAL | exits.TRACE_IO
    )
    assert not exits.TRACE_INTERRUPTIONS & (exits.TRACE_INSTRUCTION | exits.TRACE_BRANCH)
