"""Where our CPU once departed from GA22-7000 (found by the control-side
differential corpus, DISAGREEMENTS.md #1 and #2): one small program each,
now fixed in s390/cpu.py and kept as regression tests on both builds."""

from s390.cpu import EXIT_DIAG, EXIT_DISABLED_WAIT
from tests.s390.conftest import make_cpu

#: SIGP 8,7,2 (external call to CPU 0) twice, then SIGP 10,7,1 (sense).
SIGP_TWICE = (
    "4170 0000"  # LA 7,0
    "AE87 0002"  # SIGP 8,7,2   external call: accepted, CC 0
    "AE87 0002"  # SIGP 8,7,2   one is pending: status bit 24, CC 1
    "05 90"  # BALR 9,0
    "AEA7 0001"
)  # SIGP 10,7,1  sense: status bit 24, CC 1


def test_sigp_reports_a_pending_external_call(cpu_module):
    """PoO 10, SIGNAL PROCESSOR status bits: bits 24-29 show conditions in
    the addressed CPU; except for sense, one is indicated when it precludes
    the order (an external call already pending precludes another); sense
    indicates all. The status replaces R1, CC 1."""
    cpu = make_cpu(cpu_module, SIGP_TWICE, regs={8: 0xD8805746, 10: 0x7524BB38})
    assert cpu.run(100) == EXIT_DIAG
    assert cpu.gpr[8] == 0x00000080
    assert (cpu.gpr[9] >> 28) & 3 == 1
    assert cpu.gpr[10] == 0x00000080
    assert cpu.cc == 1


def test_bc_wait_psw_keeps_the_interruption_code_it_was_loaded_with(cpu_module):
    """PoO 4: LPSW replaces the whole current PSW; in BC mode bits 16-31
    are the interruption-code field and nothing clears them until an
    interruption stores a new code. A guest's disabled-wait code there must
    show in the wait PSW (CP's disabled-wait message)."""
    cpu = make_cpu(cpu_module, "8200 0300", data={0x300: "0002 BEEF 0000 0ABC"})
    assert cpu.run(10) == EXIT_DISABLED_WAIT
    assert cpu.get_psw().hex().upper()[:8] == "0002BEEF"
