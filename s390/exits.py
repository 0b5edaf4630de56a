"""The CPU's interface constants: exit reasons of ``CPU.run``, the time base
and the CP TRACE bits and record kinds (docs/interfaces.md section 1).

A plain module (like s390/lowcore.py) so that the CPU, CP and the tools
import one set of names, in the compiled and the pure build alike.  The
compiled CPU holds these values in C variables (s390/cpu.pxd).
"""

# ------------------------------------------------------ exit reasons of run()
EXIT_BUDGET = 1  # the instruction budget is used up
EXIT_IO = 2  # an I/O instruction for CP to perform (exit_* fields)
EXIT_DIAG = 3  # DIAGNOSE for CP
EXIT_SVC = 4  # an intercepted SVC (CPU.intercept_svc)
EXIT_PROGRAM = 5  # an intercepted program interruption
EXIT_WAIT = 6  # enabled wait state
EXIT_DISABLED_WAIT = 7  # disabled wait state: nothing can end it
EXIT_STOP = 8  # stop request, ADSTOP, or a traced event with trace_stop
EXIT_PGM_LOOP = 9  # a program interruption loop (the new PSW is itself invalid)

#: The names ``python -m s390 run`` prints for the exit reasons.
EXIT_NAMES = {
    EXIT_BUDGET: "limit",
    EXIT_IO: "io",
    EXIT_DIAG: "diagnose",
    EXIT_SVC: "svc",
    EXIT_PROGRAM: "program",
    EXIT_WAIT: "wait",
    EXIT_DISABLED_WAIT: "disabled-wait",
    EXIT_STOP: "stop",
    EXIT_PGM_LOOP: "pgm-loop",
}

# ------------------------------------------------------------------ time base
#: TOD-clock units (bit 63 = 1/4096 microsecond) per executed instruction:
#: the virtual machine runs at 64 MIPS of virtual time.
TOD_PER_TICK = 64
#: Instructions between examinations of the timers (at most).
TIMER_CHECK = 8192
#: Interruptions taken at one instruction boundary before run() returns
#: EXIT_BUDGET (a new PSW that enables a still-pending condition loops
#: without instructions).
INTERRUPT_BURST = 64
#: The time base ends at TIME_LIMIT ticks of executed plus waited time (about
#: 1,100 years at the virtual rate): a timer event beyond it never comes, and
#: every time difference the timers multiply stays inside 64-bit arithmetic.
TIME_LIMIT = 1 << 61

# ---------------------------------------------------------------- CP TRACE
# Bits of CPU.trace: which events the CPU records in its trace ring.  The
# kind of a record (the first field of a CPU.trace_records() tuple) is the
# bit of the event that made it.
TRACE_INSTRUCTION = 1  # every instruction
TRACE_BRANCH = 2  # successful branches
TRACE_SVC = 4  # SVC interruptions
TRACE_PROGRAM = 8  # program interruptions
TRACE_EXTERNAL = 16  # external interruptions
TRACE_IO = 32  # I/O interruptions
TRACE_PRIVILEGED = 64  # privileged instructions only
#: The four interruption kinds (CP TRACE BRANCH and INSTRUCT include them).
TRACE_INTERRUPTIONS = TRACE_SVC | TRACE_PROGRAM | TRACE_EXTERNAL | TRACE_IO
#: Records the trace ring keeps; older ones are overwritten.
TRACE_RECORDS = 256

#: Every trace record kind, in bit order.
TRACE_RECORD_KINDS = (
    TRACE_INSTRUCTION,
    TRACE_BRANCH,
    TRACE_SVC,
    TRACE_PROGRAM,
    TRACE_EXTERNAL,
    TRACE_IO,
    TRACE_PRIVILEGED,
)

#: The names s390.cpu also exports (``from s390.cpu import EXIT_STOP`` keeps working).
PUBLIC = {
    name: value
    for name, value in globals().items()
    if name.startswith(("EXIT_", "TRACE_"))
    or name in ("TOD_PER_TICK", "TIMER_CHECK", "INTERRUPT_BURST", "TIME_LIMIT")
}
