"""Running a control-side case on our CPU, and the facts both machines are
compared on: the end status, the wait PSW, the 16 GPRs and the changed
bytes of the compared storage (data blocks, log, final dump)."""

from s390.cpu import CPU, EXIT_DISABLED_WAIT
from tests.s390.diff.compare import changed_runs
from tests.s390.diffctl import gen

BUDGET = 100_000
SLICES = 20


def final_ranges(mem):
    return {addr: bytes(mem[addr : addr + length]) for addr, length in gen.COMPARE_RANGES}


def run_on_cpu(case, cpu_class=CPU):
    """Load the image at 0, start with the case's PSW, run to the disabled
    wait (as the recorder does on Hercules)."""
    cpu = cpu_class(storage_size=gen.STORAGE)
    cpu.mem[0 : gen.IMAGE_SIZE] = case.image
    cpu.load_psw(case.psw)
    rc = None
    for _ in range(SLICES):
        rc = cpu.run(BUDGET)
        if rc == EXIT_DISABLED_WAIT:
            break
    return {
        "status": "wait" if rc == EXIT_DISABLED_WAIT else "exit %r" % rc,
        "psw": cpu.get_psw().hex().upper(),
        "gpr": ["%08X" % cpu.gpr[i] for i in range(16)],
        "mem": changed_runs(case.image, final_ranges(cpu.mem)),
    }
