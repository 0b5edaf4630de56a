"""The System/370 CPU: PSW, registers, storage with keys, interruptions, timers
and every instruction of s390/optable.py.

Source: IBM System/370 Principles of Operation, GA22-7000.  Chapter numbers
in comments refer to it ("PoO 4" = Control, "PoO 6" = Interruptions,
"PoO 7" = General Instructions, "PoO 8" = Decimal, "PoO 9" = Floating-Point,
"PoO 10" = Control Instructions).

Written in Cython's pure-Python mode: this ``.py`` runs as ordinary Python, and
``cpu.pxd`` beside it types every field and method so that the compiled
``run()`` loop touches no Python object.  Rules that keep both builds equal:

* every result is masked explicitly (``& MASK32``, ``& 0xFF``); constants
  >= 2**31 are C-typed module constants (MASK32, MASK64, TWO32), never literals;
* signed values are made with ``s32()``; divisions use magnitudes only;
* handlers return 0, a program interruption code (1-0x40), or
  ``EXITF + exit reason``; only the run loop swaps PSWs.

PSW (PoO 4, "Program-Status Word"), kept as fields:

    BC mode  |sysmask 0-7|key 8-11|0|M|W|P|interruption code 16-31|
             |ILC 32-33|CC 34-35|program mask 36-39|instruction address 40-63|
    EC mode  |0 R 0 0 0 T IO EX|key|1|M|W|P|00|CC|pmask|0 (24-39)|IA 40-63|

Time is counted in instructions (one instruction = TOD_PER_TICK units of the
TOD clock, bit 51 = 1 microsecond); timers are examined at slice boundaries
(at most every TIMER_CHECK instructions) and at the next timer event.

API beyond docs/interfaces.md section 1, for CP:

* ``next_timer_event()`` -> instruction ticks until the next enabled clock
  comparator / CPU timer / interval timer interruption, or -1; after
  EXIT_WAIT CP sleeps and calls ``advance_time(ticks)`` (time passes, no
  instruction runs) before running again;
* ``trace`` (TRACE_INSTRUCTION | TRACE_BRANCH | TRACE_SVC | TRACE_PROGRAM |
  TRACE_EXTERNAL | TRACE_IO | TRACE_PRIVILEGED) selects the traced loop variant; records go to
  a ring read with ``trace_records()``; ``trace_stop`` makes run() return
  EXIT_STOP after each traced event, and when the traced instruction also
  ended in an exit (EXIT_IO, EXIT_DIAG, EXIT_SVC, EXIT_PROGRAM, ...)
  ``stop_exit`` holds that exit (0 otherwise) with its exit_* fields intact:
  the caller performs it before running on; ``adstop`` stops before an address;
* ``withdraw_io_interrupt(devaddr)`` / ``io_interrupt_pending(devaddr)``: the
  channel's view of the queued I/O interruptions (TIO, CLRIO, SIO clear them);
* ``interval_timer_on`` is VM/370's SET TIMER ON/OFF for location X'50';
* ``EXIT_NAMES`` maps exit reasons to the names ``python -m s390 run`` prints.

The fast loop (run_fast) keeps the instruction address and count in locals
and runs the common instructions by their fast forms (``fast_<MNEMONIC>``):
each computes what its full handler computes, or declines before changing
anything when an exception, an exit or an operand crossing a 2K block could
follow, and step() runs the full handler.  With CP TRACE or ADSTOP set every
instruction goes through run_slow and the full handlers.

The compiled fast loop runs without the GIL (the decimal and HFP libraries
too), so CPUs of different VMs can run on different threads and cores.
Dynamic address translation exists for LRA only: a PSW with the DAT bit on
runs with real addresses.
"""

import operator
from array import array

try:  # compile-time directives; a no-op shadow when
    import cython  # Cython is installed but the module runs uncompiled
except ImportError:  # pragma: no cover - no Cython at all
    from s390.purepy import cython_shadow as cython

from s390 import decimal as _decimal  # packed-decimal arithmetic (chapter 8)
from s390 import exits as _exits
from s390 import hfp as _hfp  # hexadecimal floating point (chapter 9)
from s390 import lowcore

# Exit reasons of run(), time base and trace bits: C variables when compiled (cpu.pxd).
from s390.exits import (
    EXIT_BUDGET,
    EXIT_DIAG,
    EXIT_DISABLED_WAIT,
    EXIT_IO,
    EXIT_PGM_LOOP,
    EXIT_PROGRAM,
    EXIT_STOP,
    EXIT_SVC,
    EXIT_WAIT,
    INTERRUPT_BURST,
    TIME_LIMIT,
    TIMER_CHECK,
    TOD_PER_TICK,
    TRACE_BRANCH,
    TRACE_EXTERNAL,
    TRACE_INSTRUCTION,
    TRACE_IO,
    TRACE_PRIVILEGED,
    TRACE_PROGRAM,
    TRACE_RECORDS,
    TRACE_SVC,
)
from s390.lowcore import CR_INITIAL

if not cython.compiled:  # compiled, cpu.pxd includes s390/_dispatch.pxi
    from s390._dispatch import execute, fast_execute, ilen, is_branch, is_privileged

# ----------------------------------------------------------------- constants
# Assigned storage locations (s390/lowcore.py), as C constants when compiled.
LC_RESTART_NEW_PSW = lowcore.RESTART_NEW_PSW
LC_RESTART_OLD_PSW = lowcore.RESTART_OLD_PSW
LC_EXTERNAL_OLD_PSW = lowcore.EXTERNAL_OLD_PSW
LC_SVC_OLD_PSW = lowcore.SVC_OLD_PSW
LC_PROGRAM_OLD_PSW = lowcore.PROGRAM_OLD_PSW
LC_IO_OLD_PSW = lowcore.IO_OLD_PSW
LC_CSW = lowcore.CSW
LC_INTERVAL_TIMER = lowcore.INTERVAL_TIMER
LC_EXTERNAL_NEW_PSW = lowcore.EXTERNAL_NEW_PSW
LC_SVC_NEW_PSW = lowcore.SVC_NEW_PSW
LC_PROGRAM_NEW_PSW = lowcore.PROGRAM_NEW_PSW
LC_IO_NEW_PSW = lowcore.IO_NEW_PSW
LC_EXT_CPU_ADDRESS = lowcore.EXT_CPU_ADDRESS
LC_EXT_CODE = lowcore.EXT_CODE
LC_SVC_ILC = lowcore.SVC_ILC
LC_SVC_CODE = lowcore.SVC_CODE
LC_PGM_ILC = lowcore.PGM_ILC
LC_PGM_CODE = lowcore.PGM_CODE
LC_MONITOR_CLASS = lowcore.MONITOR_CLASS
LC_MONITOR_CODE = lowcore.MONITOR_CODE
LC_IO_ADDRESS = lowcore.IO_ADDRESS
if not cython.compiled:  # compiled, these are C (cpu.pxd): memmove, memcmp, literals

    def move_bytes(m, d, s, n):
        """Storage bytes s..s+n-1 to d..d+n-1 as MVC moves them: left to
        right a byte at a time, so a destination that starts inside the
        source propagates (PoO 7, "Move"); otherwise as one block."""
        if s < d < s + n:
            for i in range(n):
                m[d + i] = m[s + i]
        else:
            m[d : d + n] = m[s : s + n]

    def compare_bytes(m, a, b, n):
        """<0, 0 or >0 as bytes a..a+n-1 compare with b..b+n-1, unsigned."""
        x = m[a : a + n]
        y = m[b : b + n]
        return 0 if x == y else (-1 if x < y else 1)

    def clear_bytes(m, a, n):
        m[a : a + n] = bytes(n)

    def unlikely(x):
        """``x``; compiled, it tells the C compiler the branch is rarely taken
        (the fast loop's code then runs straight through)."""
        return x

    def whole(x):
        """``x``; compiled, a register image stored as a whole word (cpu.pxd)."""
        return x

    whole64 = whole

    def load2(m, a):
        """The big-endian halfword at a (a+1 inside storage)."""
        return (m[a] << 8) | m[a + 1]

    def load4(m, a):
        """The big-endian word at a (a+3 inside storage)."""
        return int.from_bytes(m[a : a + 4], "big")

    def store2(m, a, v):
        m[a : a + 2] = (v & 0xFFFF).to_bytes(2, "big")

    def store4(m, a, v):
        m[a : a + 4] = v.to_bytes(4, "big")

    MASK32 = 0xFFFFFFFF
    MASK64 = 0xFFFFFFFFFFFFFFFF
    TWO32 = 0x100000000
    SIGN32 = 0x80000000
    HIGH_BYTE = 0xFF000000
    HIGH_HALF = 0xFFFF0000
    NOT_LOW_BYTE = 0xFFFFFF00
    M24 = 0xFFFFFF

EXITF = 0x100  # handler return: EXITF + exit reason
# CPU.qk: two bytes per 2K block of storage (at most 2**13 blocks), 0 or
# the tag of the PSW key under which fetching from it (byte 2 * block) and
# storing into it (byte 2 * block + 1) was found allowed.
QUICK_TAG = 0x80  # the tag of a PSW key: 0x80 | key << 3

# External interruption codes (PoO 6, "External Interruption"), from lowcore.py.
EXT_EMERGENCY_SIGNAL = lowcore.EXT_EMERGENCY_SIGNAL
EXT_EXTERNAL_CALL = lowcore.EXT_EXTERNAL_CALL
EXT_CLOCK_COMPARATOR = lowcore.EXT_CLOCK_COMPARATOR
EXT_CPU_TIMER = lowcore.EXT_CPU_TIMER

# Bits of ext_pending beside the 8-bit interrupt-key/timer/signal byte.
PENDING_EMERGENCY_SIGNAL = 0x10000
PENDING_EXTERNAL_CALL = 0x20000
# X'4001': a VMCF message for the virtual machine (VM/370 DIAGNOSE X'68'),
# made pending by CP and taken whenever the PSW enables external interruptions.
EXT_VMCF = lowcore.EXT_VMCF
PENDING_VMCF = 0x40000

# Program interruption codes (PoO 6, "Program Interruption"), from lowcore.py.
PGM_OPERATION = lowcore.PGM_OPERATION
PGM_PRIVILEGED = lowcore.PGM_PRIVILEGED
PGM_EXECUTE = lowcore.PGM_EXECUTE
PGM_PROTECTION = lowcore.PGM_PROTECTION
PGM_ADDRESSING = lowcore.PGM_ADDRESSING
PGM_SPECIFICATION = lowcore.PGM_SPECIFICATION
PGM_DATA = lowcore.PGM_DATA
PGM_FIXED_OVERFLOW = lowcore.PGM_FIXED_OVERFLOW
PGM_FIXED_DIVIDE = lowcore.PGM_FIXED_DIVIDE
PGM_DECIMAL_OVERFLOW = lowcore.PGM_DECIMAL_OVERFLOW
PGM_TRANSLATION_SPEC = lowcore.PGM_TRANSLATION_SPEC
PGM_SPECIAL_OPERATION = lowcore.PGM_SPECIAL_OPERATION
PGM_MONITOR_EVENT = lowcore.PGM_MONITOR_EVENT

# SIGNAL PROCESSOR status bits stored in R1 (PoO 10, "Status Bits").
SIGP_EXTERNAL_CALL_PENDING = 0x80  # bit 24
SIGP_INVALID_ORDER = 0x02  # bit 30

# Program mask bits (PSW bits 36-39 / EC 20-23).
PM_FIXED_OVERFLOW = 8
PM_DECIMAL_OVERFLOW = 4

CVB_INVALID = -(1 << 63)

# Model identification stored by STIDP: version X'FF' is what a virtual
# machine sees under VM/370 (VM/370 CP Programming: "STIDP ... X'FF'").
CPU_VERSION = 0xFF
CPU_SERIAL = 0x012345
CPU_MODEL = 0x3148


def s32(u):
    """The signed value of a 32-bit two's-complement image."""
    return u - TWO32 if u >> 31 else u


def s64(u):
    """The signed value of a 64-bit two's-complement image (the CPU timer)."""
    return -((~u & MASK64) + 1) if u >> 63 else u


def zx(u):
    """A 32-bit image widened to 64 bits (for sums that may carry)."""
    return u + 0


def cc_of(v):
    """Condition code of a signed result: 0 zero, 1 negative, 2 positive."""
    if v == 0:
        return 0
    return 1 if v < 0 else 2


class CPU:
    """One System/370 CPU with its real storage (interfaces.md section 1)."""

    def __init__(self, storage_size=1 << 20):
        if storage_size % 4096 or not 4096 <= storage_size <= 1 << 24:
            raise ValueError("storage size must be a multiple of 4K between 4K and 16M")
        self.mem = bytearray(storage_size)
        self.keys = bytearray(storage_size >> 11)
        if not cython.compiled:  # compiled: arrays in the CPU object (cpu.pxd)
            self.g = array("I", bytes(64))
            self.qk = bytearray(2 << 13)
        self.fpr = array("Q", bytes(32))
        self.cr = array("I", bytes(64))
        self.svc_intercept = bytearray(32)
        self.m = self.mem
        self.k = self.keys
        self.f = self.fpr
        self.c = self.cr
        self.svci = self.svc_intercept
        self.size = storage_size
        self.instructions = 0
        self.idle = 0
        self.tod_offset = 0
        self.program_intercept = False
        self.interval_timer_on = True
        self.adstop = -1
        self.trace = 0
        self.trace_stop = False
        self.trace_ring = array("Q", bytes(8 * 3 * TRACE_RECORDS))
        self.tr = self.trace_ring
        self.trace_count = 0
        self.io_queue = []
        self.io_count = 0
        self.reset(True)

    @property
    def gpr(self):
        """The general registers (a Registers view of them)."""
        return Registers(self)

    # ================================================================ reset
    def reset(self, clear=False):
        """CPU reset, or initial CPU reset plus clear reset when ``clear``
        (PoO 4, "Resets"): PSW, CRs, timers and pending interruptions cleared;
        clear also zeroes registers, storage and keys."""
        self.sysmask = 0
        self.pkey = 0
        self.quick_tag = QUICK_TAG
        self.ec = 0
        self.mbit = 0
        self.waitbit = 0
        self.problem = 0
        self.cc = 0
        self.pmask = 0
        self.ia = 0
        self.ilc = 0
        self.psw_bad = 0
        self.psw_raw = 0
        self.bc_code = 0
        self.i1 = 0
        self.i2 = 0
        self.i3 = 0
        self.horizon = 0
        self.forget_checked_access()
        self.stop_req = 0
        self.restart_req = 0
        self.ext_pending = 0
        self.ckc = 0
        self.cpt_base = 0
        self.cpt_time = 0
        self.itimer_time = self.instructions + self.idle
        self.itimer_frac = 0
        self.last_pgm = -2
        self.exit_opcode = 0
        self.exit_addr = 0
        self.exit_r1 = 0
        self.exit_r3 = 0
        self.exit_code = 0
        self.exit_ilc = 0
        self.stop_exit = 0
        self.io_queue = []
        self.io_count = 0
        for i in range(16):
            self.c[i] = 0
        for i, v in CR_INITIAL.items():
            self.c[i] = v
        if clear:
            for i in range(16):
                self.g[i] = 0
            for i in range(4):
                self.f[i] = 0
            self.mem[:] = bytes(self.size)
            self.keys[:] = bytes(self.size >> 11)
            self.tod_offset = 0

    def restart(self):
        """The operator's RESTART key: a restart interruption (old PSW at 8,
        new PSW from 0) is taken before the next instruction."""
        self.restart_req = 1
        self.horizon = 0

    def request_stop(self):
        """Ask run() to return EXIT_STOP at the next instruction boundary."""
        self.stop_req = 1
        self.horizon = 0

    # ================================================================ PSW
    @property
    def problem_state(self):
        return bool(self.problem)

    @property
    def wait(self):
        return bool(self.waitbit)

    def psw_value(self, code, ilc):
        """The current PSW as a 64-bit value, with ``code``/``ilc`` in the BC
        interruption-code and ILC fields (PoO 4, "Program-Status-Word Format")."""
        if self.psw_bad and self.ec:
            return self.psw_raw
        hi = (
            (self.sysmask << 24)
            | (self.pkey << 20)
            | (self.ec << 19)
            | (self.mbit << 18)
            | (self.waitbit << 17)
            | (self.problem << 16)
        )
        if self.ec:
            hi |= (self.cc << 12) | (self.pmask << 8)
            lo = self.ia
        else:
            hi |= code & 0xFFFF
            lo = (ilc << 30) | (self.cc << 28) | (self.pmask << 24) | self.ia
        return (zx(hi) << 32) | lo

    def set_psw_value(self, v):
        """Load a PSW (the action of LPSW or an interruption's new PSW).  An
        invalid PSW is loaded anyway and recognised as an early specification
        exception before the next instruction (PoO 6, "Early Exception
        Recognition"): EC-mode bits 0, 2-4, 16 (no dual address space), 17,
        24-39 nonzero.  An odd instruction address is not early: it is found
        when the instruction is fetched."""
        hi = v >> 32
        old_key = self.pkey
        old_mask = self.sysmask
        old_ec = self.ec
        old_mbit = self.mbit
        self.sysmask = (hi >> 24) & 0xFF
        self.pkey = (hi >> 20) & 15
        self.quick_tag = QUICK_TAG | (self.pkey << 3)
        self.ec = (hi >> 19) & 1
        self.mbit = (hi >> 18) & 1
        self.waitbit = (hi >> 17) & 1
        self.problem = (hi >> 16) & 1
        lo = v & MASK32
        if self.ec:
            self.cc = (hi >> 12) & 3
            self.pmask = (hi >> 8) & 15
            bad = ((self.sysmask & 0xB8) | (hi & 0xC0FF) | (lo >> 24)) != 0
        else:
            self.cc = (lo >> 28) & 3
            self.pmask = (lo >> 24) & 15
            self.bc_code = hi & 0xFFFF
            bad = 0
        self.ia = lo & M24
        if bad:
            self.psw_bad = 1
            self.psw_raw = v
        else:
            self.psw_bad = 0
        if self.pkey != old_key:  # the fetch blocks were checked under the old key
            self.forget_fetch_blocks()
        # The run loop goes back to service() before the next instruction
        # when the new PSW waits, is invalid, or unmasks an interruption the
        # old one masked (one may be pending).  A PSW that only narrows or
        # keeps the masks (LPSW back to the interrupted program, a disabled
        # supervisor) runs on in the fast loop: nothing it allows can be
        # pending that the horizon does not already stop for.
        if (
            bad
            or self.waitbit
            or self.ec != old_ec
            or self.mbit > old_mbit
            or (self.sysmask & ~old_mask & 0xFF)
        ):
            self.horizon = 0

    def get_psw(self):
        """The current PSW, 8 bytes, in the form PSW bit 12 selects.  A BC
        PSW shows the interruption code it was loaded with: LPSW replaces the
        whole PSW and only an interruption stores a new code (PoO 4)."""
        return self.psw_value(self.bc_code, self.ilc).to_bytes(8, "big")

    def load_psw(self, b):
        """Load an 8-byte PSW as LPSW would."""
        self.set_psw_value(int.from_bytes(bytes(b[:8]), "big"))

    def set_cc(self, cc):
        self.cc = cc & 3

    def set_svc_intercept(self, n, on=True):
        """Make SVC ``n`` leave run() with EXIT_SVC instead of swapping PSWs."""
        if on:
            self.svci[n >> 3] |= 0x80 >> (n & 7)
        else:
            self.svci[n >> 3] &= ~(0x80 >> (n & 7)) & 0xFF

    # ========================================================= storage access
    def key_ok(self, block, store):
        """Key-controlled protection (PoO 3, "Protection"): a store needs the
        PSW key to match the storage key (or be 0); a fetch needs that only
        when the block is fetch-protected."""
        sk = self.k[block]
        if (sk >> 4) == self.pkey:
            return 1
        if store:
            return 0
        return 0 if sk & 8 else 1

    def acc(self, a, n, store):
        """Check an operand of ``n`` bytes (1-256) at ``a`` for addressing and
        protection; set the reference (and change) bits.  Returns 0 or the
        program interruption code.  Nothing is changed when it fails."""
        last = (a + n - 1) & M24
        if a >= self.size or last >= self.size:
            return PGM_ADDRESSING
        b = a >> 11
        bl = last >> 11
        if self.pkey:
            if not self.key_ok(b, store):
                return PGM_PROTECTION
            if bl != b and not self.key_ok(bl, store):
                return PGM_PROTECTION
        rc = 6 if store else 4
        self.k[b] |= rc
        if bl != b:
            self.k[bl] |= rc
        return 0

    def acc_long(self, a, n, store):
        """acc() for an operand of any length (MVCL, CLCL), block by block."""
        while n > 0:
            chunk = 0x800 - (a & 0x7FF)
            if chunk > n:
                chunk = n
            code = self.acc(a, chunk, store)
            if code:
                return code
            a = (a + chunk) & M24
            n -= chunk
        return 0

    def rd1(self, a):
        return self.m[a]

    # The readers and writers below take an address whose operand the
    # caller has access-checked (acc: every byte inside storage); only an
    # operand that wraps from X'FFFFFF' to 0 needs them a byte at a time.
    def rd2(self, a):
        return (self.m[a] << 8) | self.m[(a + 1) & M24]

    def rd4(self, a):
        if a <= M24 - 3:
            return load4(self.m, a)
        b0 = self.m[a]
        b1 = self.m[(a + 1) & M24]
        b2 = self.m[(a + 2) & M24]
        b3 = self.m[(a + 3) & M24]
        return (b0 << 24) | (b1 << 16) | (b2 << 8) | b3

    def rd8(self, a):
        return (zx(self.rd4(a)) << 32) | self.rd4((a + 4) & M24)

    def wr1(self, a, v):
        self.m[a] = v & 0xFF

    def wr2(self, a, v):
        self.m[a] = (v >> 8) & 0xFF
        self.m[(a + 1) & M24] = v & 0xFF

    def wr4(self, a, v):
        if a <= M24 - 3:
            store4(self.m, a, v)
            return
        self.m[a] = (v >> 24) & 0xFF
        self.m[(a + 1) & M24] = (v >> 16) & 0xFF
        self.m[(a + 2) & M24] = (v >> 8) & 0xFF
        self.m[(a + 3) & M24] = v & 0xFF

    def wr8(self, a, v):
        self.wr4(a, (v >> 32) & MASK32)
        self.wr4((a + 4) & M24, v & MASK32)

    # ======================================================= operand decoding
    def base_displacement(self, field):
        """Displacement plus base register (none for B=0) of a B D halfword,
        before the 24-bit wrap (PoO 5, "Address Generation")."""
        b = field >> 12
        a = field & 0xFFF
        if b:
            a += self.g[b]
        return a

    def ea_rx(self):
        """D2(X2,B2) of an RX instruction: the index register added too."""
        return self.rx_address(self.i1, self.i2)

    def ea_rs(self):
        """D2(B2) of RS, SI and S instructions (first operand of SS)."""
        return self.base_displacement(self.i2) & M24

    def ea_ss2(self):
        """D2(B2), the second operand of an SS instruction."""
        return self.base_displacement(self.i3) & M24

    # =========================================================== run loop
    def run(self, budget):
        """Execute up to ``budget`` instructions; return the exit reason."""
        end = self.instructions + budget
        self.forget_checked_access()
        self.stop_exit = 0
        while True:
            reason = self.service(end)
            if reason:
                return reason
            if self.trace or self.adstop >= 0:
                reason = self.run_slow()
            else:
                with cython.nogil:  # other threads (another VM) run meanwhile
                    reason = self.run_fast()
            if reason:
                return reason

    def run_fast(self):
        """The hot loop: instructions up to the horizon, no checks between.

        The instruction address and count live in locals here.  An
        instruction in the current fetch block whose operation has a fast
        form (fast_execute, generated from the opcode table for every
        ``fast_<MNEMONIC>`` below) runs that form; any other instruction,
        and one the fast form declines, goes through step() and the full
        handler with the PSW and count written back first.  The budget and
        the fetch block are checked once per instruction, at the loop's
        head, to which a fast form's return leads straight.

        Compiled, this loop runs in its threaded C form (VM370_RUN_THREADED
        in s390/cpu.pxd), step for step the same: each fast form ends in
        its own copy of the head."""
        if cython.compiled:
            return run_threaded(self)  # noqa: F821 (a C macro, cpu.pxd)
        ia = self.ia
        count = self.instructions - 1  # the first pass counts no instruction
        last = -1  # opcode of the last instruction run by a fast form, or -1
        nxt = ia
        base = self.fetch_base()
        while True:
            ia = nxt
            count += 1
            if unlikely(count >= self.horizon):
                break
            # in the fetch block and not its last 5 bytes (as step());
            # even: the fast forms never branch to an odd address
            if ((ia - base) & MASK32) > 0x7FA:
                base = self.other_fetch_base(ia)
            if ((ia - base) & MASK32) <= 0x7FA:
                op = self.m[ia]
                nxt = fast_execute(self, op, ia)
                if nxt >= 0:
                    last = op
                    continue
            self.leave_fast(ia, count, -1)  # step() sets the ILC itself
            reason = self.step()
            if reason:
                return reason
            nxt = self.ia
            count = self.instructions - 1
            last = -1
            base = self.fetch_base()
        self.leave_fast(ia, count, last)
        return 0

    def leave_fast(self, ia, count, last):
        """The fast loop's locals back into the CPU: the instruction address,
        the count, and the ILC of ``last``, the operation of the last
        instruction a fast form ran (-1: none since step())."""
        self.ia = ia
        self.instructions = count
        if last >= 0:
            self.ilc = ilen(last) >> 1

    def fetch_base(self):
        """The address of the fetch block (see fetch_check), or one that no
        instruction address lies within 2K of when there is none or the
        instruction address is odd (step() finds the exception)."""
        if self.ia & 1:
            return SIGN32
        return self.fetch_base_of(self.fblock)

    def fetch_base_of(self, block):
        return (block << 11) & MASK32 if block >= 0 else SIGN32

    def other_fetch_base(self, ia):
        """The fast loop leaves the fetch block: when ``ia`` (even, not in a
        block's last 5 bytes) lies in the block fetched from before, that is
        the fetch block again (as fetch_check would make it) and its
        address is returned; otherwise one outside every block (step()
        then fetches)."""
        if (ia >> 11) == self.fblock_alt and (ia & 0x7FF) <= 0x7FA and not (ia & 1):
            self.fblock_alt = self.fblock
            self.fblock = ia >> 11
            return self.fetch_base_of(self.fblock)
        return SIGN32

    def run_slow(self):
        """The loop with ADSTOP and the CP TRACE hook, one check per step.
        Interruptions record themselves (program_interrupt, svc_interrupt,
        take_external, take_io) when their trace bit is on."""
        while self.instructions < self.horizon:
            ia = self.ia
            if ia == self.adstop:
                self.adstop = -1
                return EXIT_STOP
            op = self.m[ia] if ia < self.size else 0
            op2 = self.m[ia + 1] if ia + 1 < self.size else 0
            count = self.trace_count
            reason = self.step()
            if self.trace & TRACE_INSTRUCTION:
                self.trace_record(TRACE_INSTRUCTION, ia, self.ia, 0, 1)
            elif (self.trace & TRACE_PRIVILEGED) and is_privileged(op, op2):
                self.trace_record(TRACE_PRIVILEGED, ia, self.ia, 0, 1)
            elif (
                (self.trace & TRACE_BRANCH)
                and is_branch(op)
                and self.ia != ((ia + ilen(op)) & M24)
                and self.last_pgm != self.instructions
            ):
                self.trace_record(TRACE_BRANCH, ia, self.ia, 0, 1)
            if self.trace_stop and self.trace_count != count:
                # The stop must not swallow the exit of the traced instruction
                # (an I/O instruction or DIAGNOSE for CP to perform, an
                # intercepted SVC or program check): it stays in stop_exit.
                self.horizon = 0
                self.stop_exit = reason
                return EXIT_STOP
            if reason:
                return reason
        return 0

    def trace_record(self, kind, ia_from, ia_to, code, with_bytes):
        """Append one record to the trace ring (TRACE_RECORDS entries, the
        oldest overwritten): kind, interruption code, ILC, from and to
        addresses, the 6 bytes at the from address."""
        slot = (self.trace_count % TRACE_RECORDS) * 3
        self.tr[slot] = (zx(kind) << 48) | (zx(code & 0xFFFF) << 16) | self.ilc
        self.tr[slot + 1] = (zx(ia_from) << 32) | ia_to
        word = 0
        if with_bytes:
            for i in range(6):
                a = (ia_from + i) & M24
                word = (word << 8) | (self.m[a] if a < self.size else 0)
        self.tr[slot + 2] = word
        self.trace_count += 1

    def trace_records(self):
        """The trace ring, oldest first, as tuples
        (kind, from_ia, to_ia, ilc, instruction_bytes6, code): for a branch
        the branch and its target; for SVC/program the instruction and the
        new PSW address, code = SVC number / interruption code; for
        external and I/O interruptions the old and new PSW addresses and
        the external code / device address."""
        out = []
        n = min(self.trace_count, TRACE_RECORDS)
        for j in range(self.trace_count - n, self.trace_count):
            slot = (j % TRACE_RECORDS) * 3
            w0, w1, w2 = self.trace_ring[slot], self.trace_ring[slot + 1], self.trace_ring[slot + 2]
            out.append(
                (
                    w0 >> 48,
                    w1 >> 32,
                    w1 & MASK32,
                    w0 & 3,
                    w2.to_bytes(6, "big"),
                    (w0 >> 16) & 0xFFFF,
                )
            )
        return out

    def step(self):
        """Fetch, decode and execute one instruction (PoO 5, "Instruction
        Execution").  Returns 0 or an exit reason."""
        ia = self.ia
        if (ia >> 11) != self.fblock or (ia & 0x7FF) > 0x7FA or (ia & 1):
            code = self.fetch_check(ia)
            if code:
                return self.fetch_exception(ia, code)
        op = self.m[ia]
        self.i1 = self.m[ia + 1]
        if op < 0x40:
            self.ilc = 1
            self.ia = (ia + 2) & M24
        elif op < 0xC0:
            self.i2 = (self.m[ia + 2] << 8) | self.m[ia + 3]
            self.ilc = 2
            self.ia = (ia + 4) & M24
        else:
            self.i2 = (self.m[ia + 2] << 8) | self.m[ia + 3]
            self.i3 = (self.m[ia + 4] << 8) | self.m[ia + 5]
            self.ilc = 3
            self.ia = (ia + 6) & M24
        self.instructions += 1
        code = execute(self, op)
        if code:
            if code >= EXITF:
                return code - EXITF
            return self.program_interrupt(code, self.ilc)
        return 0

    def forget_checked_access(self):
        """Storage keys may have changed (SSK, RRB, or CP between runs):
        instruction fetches and the fast forms' operands are checked again."""
        self.forget_fetch_blocks()
        if cython.compiled:
            clear_array(cython.address(self.qk[0]), 2 * (self.size >> 11))  # noqa: F821
        else:
            clear_bytes(self.qk, 0, 2 * (self.size >> 11))

    def forget_checked_block(self, b):
        """The storage key of block ``b`` changed (SSK, RRB): its fetches
        and fast-form operands are checked again."""
        self.forget_fetch_blocks()
        self.qk[2 * b] = 0
        self.qk[2 * b + 1] = 0

    def forget_fetch_blocks(self):
        """Instruction fetches check access again (the PSW key or a storage
        key changed, or CP may have changed storage keys between runs)."""
        self.fblock = -1
        self.fblock_alt = -1

    def fetch_check(self, ia):
        """Access checks for an instruction fetch at ``ia`` (the whole
        instruction); remembers the block so later fetches skip the check.
        The block fetched from before stays remembered too (an interruption
        handler and the program it returns to).  An odd address (reached by
        a branch) is a specification exception."""
        if ia & 1:
            return PGM_SPECIFICATION
        if (ia >> 11) == self.fblock_alt and (ia & 0x7FF) <= 0x7FA:
            self.fblock_alt = self.fblock
            self.fblock = ia >> 11
            return 0
        if ia >= self.size:
            return PGM_ADDRESSING
        n = ilen(self.m[ia])
        if ia + n > self.size:
            return PGM_ADDRESSING
        code = self.acc(ia, n, 0)
        if code:
            return code
        if self.fblock >= 0:
            self.fblock_alt = self.fblock
        if (ia & 0x7FF) <= 0x7FA:
            self.fblock = ia >> 11
        else:
            self.fblock = -1
        return 0

    def fetch_exception(self, ia, code):
        """Program interruption for an instruction that cannot be fetched
        (odd address, addressing, protection).  PoO "ILC on
        Instruction-Fetching Exceptions": the ILC tells by how many halfwords
        the instruction address was advanced, which is unpredictable (1, 2
        or 3); this machine, like Hercules, advances by 2 halfwords."""
        self.ia = (ia + 4) & M24
        self.instructions += 1
        return self.program_interrupt(code, 2)

    def early_exception(self):
        """Specification exception for an invalid current PSW (or odd
        instruction address), recognised before the next instruction: ILC 0,
        the instruction address not advanced."""
        self.instructions += 1
        return self.program_interrupt(PGM_SPECIFICATION, 0)

    # ============================================================ fast forms
    # fast_<MNEMONIC>(ia) runs the instruction at ia, which lies in the
    # current fetch block, when it completes without an exception and
    # without leaving the loop, and returns the next instruction address.
    # Otherwise it changes nothing and returns -1: step() then runs the
    # full handler op_<MNEMONIC>, which recognises the exception (or a
    # storage operand that crosses a 2K block, or a fixed-point overflow).
    # Each computes what its op_ handler computes; tests/s390/test_fast_forms.py
    # runs random programs both ways.  The ILC is the loop's to set.  The
    # instruction lies at most X'7FA' into its block, so ia + 2 and ia + 4
    # stay within 24 bits (only ia + 6 wraps); a branch to an odd address
    # declines, so the loop's address stays even.
    def quick_access(self, a, n, store):
        """1 when the ``n`` bytes at ``a`` (``n`` at most 2K) lie in one 2K
        block of storage that the PSW key may fetch (``store`` 0) or store
        into, with the reference (and change) bit set as acc() sets it; 0
        otherwise.  A block found so before under the same PSW key is not
        checked again: its fetch (or store) byte in qk holds the
        key's tag."""
        if unlikely((a & 0x7FF) > 0x800 - n):
            return 0
        if unlikely(self.qk[zx(a >> 11) * 2 + store] != self.quick_tag):
            return self.quick_access_check(a, n, store)
        return 1

    def quick_access_check(self, a, n, store):
        """quick_access() of a block not yet found accessible; remembers it."""
        if a + n > self.size:
            return 0
        b = a >> 11
        sk = self.k[b]
        if self.pkey and (sk >> 4) != self.pkey and (store or sk & 8):
            return 0
        rc = 6 if store else 4
        if (sk & rc) != rc:
            self.k[b] = sk | rc
        self.qk[2 * b] = self.quick_tag  # a store allowed is a fetch allowed
        if store:
            self.qk[2 * b + 1] = self.quick_tag
        return 1

    def quick_rd2(self, a):
        """Two bytes inside one block (no 24-bit wrap)."""
        return load2(self.m, a)

    def quick_rd4(self, a):
        """Four bytes inside one block (no 24-bit wrap)."""
        return load4(self.m, a)

    def quick_wr4(self, a, v):
        store4(self.m, a, v)

    def rx_address(self, r, field):
        """D2(X2,B2) from byte 1 and halfword 2 of the instruction; the index
        register is added only when X2 is not 0 (in the threaded loop each
        operation's copy of this branch is predicted on its own)."""
        x = r & 15
        a = self.base_displacement(field)
        if x:
            a += self.g[x]
        return a & M24

    def quick_rx_word(self, ia):
        """The fullword second operand of the RX instruction at ia, or -1."""
        a = self.rx_address(self.m[ia + 1], self.quick_rd2(ia + 2))
        if not self.quick_access(a, 4, 0):
            return -1
        return self.quick_rd4(a)

    def quick_rx_half(self, ia):
        """The halfword second operand, sign-extended, or -1."""
        a = self.rx_address(self.m[ia + 1], self.quick_rd2(ia + 2))
        if not self.quick_access(a, 2, 0):
            return -1
        h = self.quick_rd2(a)
        return (h | HIGH_HALF) if h >> 15 else h

    def quick_si_address(self, ia, store):
        """The SI first-operand address, or -1."""
        a = self.base_displacement(self.quick_rd2(ia + 2)) & M24
        if not self.quick_access(a, 1, store):
            return -1
        return a

    def taken(self, ia, target):
        """``target``, the address the branch at ``ia`` goes to (-1: odd).
        Compiled, by way of the address this branch went to last time when
        it is the same (vm370_predicted, cpu.pxd): the value is the same,
        but known before the computation ends, so that the next
        instruction starts early."""
        if cython.compiled:
            return predicted(cython.address(self.branch_guess[0]), ia, target)  # noqa: F821
        return target

    def even_target(self, target):
        """A branch address, or -1 when it is odd: the fast loop never
        fetches at an odd address, the full handler's branch leads to the
        specification exception (PoO 5, "Instruction Fetching")."""
        return -1 if target & 1 else target

    def quick_add(self, r1, a, b, ia):
        """R1 <- a + b signed: the next address, or -1 on overflow."""
        res = (a + b) & MASK32
        if ((a ^ res) & (b ^ res)) >> 31:
            return -1
        self.g[r1] = res
        self.cc = cc_of(s32(res))
        return ia

    def quick_subtract(self, r1, a, b, ia):
        """R1 <- a - b signed: the next address, or -1 on overflow."""
        res = (a - b) & MASK32
        if ((a ^ b) & (a ^ res)) >> 31:
            return -1
        self.g[r1] = res
        self.cc = cc_of(s32(res))
        return ia

    def quick_logical(self, r1, v, ia):
        """R1 <- v, CC 0 zero / 1 nonzero (AND, OR, XOR)."""
        self.g[r1] = v
        self.cc = 1 if v else 0
        return ia

    def fast_BALR(self, ia):
        r = self.m[ia + 1]
        target = self.g[r & 15] & M24
        if (r & 15) and (target & 1):
            return -1
        nxt = ia + 2
        self.g[r >> 4] = self.link_info(1, nxt)
        return self.taken(ia, target) if r & 15 else nxt

    def fast_BCTR(self, ia):
        r = self.m[ia + 1]
        target = self.g[r & 15] & M24
        if (r & 15) and (target & 1):
            return -1
        v = (self.g[r >> 4] - 1) & MASK32
        self.g[r >> 4] = v
        return self.taken(ia, target) if (r & 15) and v else ia + 2

    def fast_BCR(self, ia):
        r = self.m[ia + 1]
        if (r & 15) and ((r >> 4) & (8 >> self.cc)):
            return self.taken(ia, self.even_target(self.g[r & 15] & M24))
        return ia + 2

    def fast_BASR(self, ia):
        r = self.m[ia + 1]
        target = self.g[r & 15] & M24
        if (r & 15) and (target & 1):
            return -1
        nxt = ia + 2
        self.g[r >> 4] = nxt
        return self.taken(ia, target) if r & 15 else nxt

    def fast_LTR(self, ia):
        r = self.m[ia + 1]
        v = self.g[r & 15]
        self.g[r >> 4] = v
        self.cc = cc_of(s32(v))
        return ia + 2

    def fast_LCR(self, ia):
        r = self.m[ia + 1]
        return self.quick_subtract(r >> 4, 0, self.g[r & 15], ia + 2)

    def fast_NR(self, ia):
        r = self.m[ia + 1]
        return self.quick_logical(r >> 4, self.g[r >> 4] & self.g[r & 15], ia + 2)

    def fast_OR(self, ia):
        r = self.m[ia + 1]
        return self.quick_logical(r >> 4, self.g[r >> 4] | self.g[r & 15], ia + 2)

    def fast_XR(self, ia):
        r = self.m[ia + 1]
        return self.quick_logical(r >> 4, self.g[r >> 4] ^ self.g[r & 15], ia + 2)

    def fast_CLR(self, ia):
        r = self.m[ia + 1]
        self.compare_logical(self.g[r >> 4], self.g[r & 15])
        return ia + 2

    def fast_LR(self, ia):
        r = self.m[ia + 1]
        self.g[r >> 4] = self.g[r & 15]
        return ia + 2

    def fast_CR(self, ia):
        r = self.m[ia + 1]
        self.compare_signed(self.g[r >> 4], self.g[r & 15])
        return ia + 2

    def fast_AR(self, ia):
        r = self.m[ia + 1]
        return self.quick_add(r >> 4, self.g[r >> 4], self.g[r & 15], ia + 2)

    def fast_SR(self, ia):
        r = self.m[ia + 1]
        return self.quick_subtract(r >> 4, self.g[r >> 4], self.g[r & 15], ia + 2)

    def fast_ALR(self, ia):
        r = self.m[ia + 1]
        self.add_logical(r >> 4, self.g[r >> 4], self.g[r & 15], 0)
        return ia + 2

    def fast_SLR(self, ia):
        r = self.m[ia + 1]
        self.add_logical(r >> 4, self.g[r >> 4], self.g[r & 15] ^ MASK32, 1)
        return ia + 2

    def fast_STH(self, ia):
        r = self.m[ia + 1]
        a = self.rx_address(r, self.quick_rd2(ia + 2))
        if not self.quick_access(a, 2, 1):
            return -1
        store2(self.m, a, self.g[r >> 4] & 0xFFFF)
        return ia + 4

    def fast_LA(self, ia):
        r = self.m[ia + 1]
        self.g[r >> 4] = self.rx_address(r, self.quick_rd2(ia + 2))
        return ia + 4

    def fast_STC(self, ia):
        r = self.m[ia + 1]
        a = self.rx_address(r, self.quick_rd2(ia + 2))
        if not self.quick_access(a, 1, 1):
            return -1
        self.m[a] = self.g[r >> 4] & 0xFF
        return ia + 4

    def fast_IC(self, ia):
        r = self.m[ia + 1]
        a = self.rx_address(r, self.quick_rd2(ia + 2))
        if not self.quick_access(a, 1, 0):
            return -1
        self.g[r >> 4] = whole((self.g[r >> 4] & NOT_LOW_BYTE) | self.m[a])
        return ia + 4

    def fast_BAL(self, ia):
        r = self.m[ia + 1]
        target = self.rx_address(r, self.quick_rd2(ia + 2))
        if target & 1:
            return -1
        self.g[r >> 4] = self.link_info(2, ia + 4)
        return self.taken(ia, target)

    def fast_BCT(self, ia):
        r = self.m[ia + 1]
        target = self.rx_address(r, self.quick_rd2(ia + 2))
        if target & 1:
            return -1
        v = (self.g[r >> 4] - 1) & MASK32
        self.g[r >> 4] = v
        if unlikely(v == 0):  # a loop's count runs out once
            return ia + 4
        return self.taken(ia, target)

    def fast_BC(self, ia):
        r = self.m[ia + 1]
        if (r >> 4) & (8 >> self.cc):
            return self.taken(ia, self.even_target(self.rx_address(r, self.quick_rd2(ia + 2))))
        return ia + 4

    def fast_LH(self, ia):
        v = self.quick_rx_half(ia)
        if v < 0:
            return -1
        self.g[self.m[ia + 1] >> 4] = v
        return ia + 4

    def fast_CH(self, ia):
        v = self.quick_rx_half(ia)
        if v < 0:
            return -1
        self.compare_signed(self.g[self.m[ia + 1] >> 4], v)
        return ia + 4

    def fast_AH(self, ia):
        v = self.quick_rx_half(ia)
        if v < 0:
            return -1
        r1 = self.m[ia + 1] >> 4
        return self.quick_add(r1, self.g[r1], v, ia + 4)

    def fast_SH(self, ia):
        v = self.quick_rx_half(ia)
        if v < 0:
            return -1
        r1 = self.m[ia + 1] >> 4
        return self.quick_subtract(r1, self.g[r1], v, ia + 4)

    def fast_BAS(self, ia):
        r = self.m[ia + 1]
        target = self.rx_address(r, self.quick_rd2(ia + 2))
        if target & 1:
            return -1
        self.g[r >> 4] = ia + 4
        return self.taken(ia, target)

    def fast_ST(self, ia):
        r = self.m[ia + 1]
        a = self.rx_address(r, self.quick_rd2(ia + 2))
        if not self.quick_access(a, 4, 1):
            return -1
        self.quick_wr4(a, self.g[r >> 4])
        return ia + 4

    def fast_N(self, ia):
        v = self.quick_rx_word(ia)
        if v < 0:
            return -1
        r1 = self.m[ia + 1] >> 4
        return self.quick_logical(r1, self.g[r1] & v, ia + 4)

    def fast_CL(self, ia):
        v = self.quick_rx_word(ia)
        if v < 0:
            return -1
        self.compare_logical(self.g[self.m[ia + 1] >> 4], v)
        return ia + 4

    def fast_O(self, ia):
        v = self.quick_rx_word(ia)
        if v < 0:
            return -1
        r1 = self.m[ia + 1] >> 4
        return self.quick_logical(r1, self.g[r1] | v, ia + 4)

    def fast_X(self, ia):
        v = self.quick_rx_word(ia)
        if v < 0:
            return -1
        r1 = self.m[ia + 1] >> 4
        return self.quick_logical(r1, self.g[r1] ^ v, ia + 4)

    def fast_L(self, ia):
        v = self.quick_rx_word(ia)
        if v < 0:
            return -1
        self.g[self.m[ia + 1] >> 4] = v
        return ia + 4

    def fast_C(self, ia):
        v = self.quick_rx_word(ia)
        if v < 0:
            return -1
        self.compare_signed(self.g[self.m[ia + 1] >> 4], v)
        return ia + 4

    def fast_A(self, ia):
        v = self.quick_rx_word(ia)
        if v < 0:
            return -1
        r1 = self.m[ia + 1] >> 4
        return self.quick_add(r1, self.g[r1], v, ia + 4)

    def fast_S(self, ia):
        v = self.quick_rx_word(ia)
        if v < 0:
            return -1
        r1 = self.m[ia + 1] >> 4
        return self.quick_subtract(r1, self.g[r1], v, ia + 4)

    def fast_AL(self, ia):
        v = self.quick_rx_word(ia)
        if v < 0:
            return -1
        r1 = self.m[ia + 1] >> 4
        self.add_logical(r1, self.g[r1], v, 0)
        return ia + 4

    def fast_SL(self, ia):
        v = self.quick_rx_word(ia)
        if v < 0:
            return -1
        r1 = self.m[ia + 1] >> 4
        self.add_logical(r1, self.g[r1], v ^ MASK32, 1)
        return ia + 4

    def fast_BXH(self, ia):
        return self.quick_bx(ia, 1)

    def fast_BXLE(self, ia):
        return self.quick_bx(ia, 0)

    def quick_bx(self, ia, high):
        """BXH/BXLE as bx()."""
        r = self.m[ia + 1]
        target = self.base_displacement(self.quick_rd2(ia + 2)) & M24
        if target & 1:
            return -1
        incr = self.g[r & 15]
        limit = s32(self.g[(r & 15) | 1])
        v = (self.g[r >> 4] + incr) & MASK32
        self.g[r >> 4] = v
        if (s32(v) > limit) == (high == 1):
            return self.taken(ia, target)
        return ia + 4

    def fast_SRL(self, ia):
        r1 = self.m[ia + 1] >> 4
        n = self.base_displacement(self.quick_rd2(ia + 2)) & 63
        self.g[r1] = 0 if n > 31 else self.g[r1] >> n
        return ia + 4

    def fast_SLL(self, ia):
        r1 = self.m[ia + 1] >> 4
        n = self.base_displacement(self.quick_rd2(ia + 2)) & 63
        self.g[r1] = 0 if n > 31 else (self.g[r1] << n) & MASK32
        return ia + 4

    def fast_STM(self, ia):
        r = self.m[ia + 1]
        a = self.base_displacement(self.quick_rd2(ia + 2)) & M24
        n = (((r & 15) - (r >> 4)) & 15) + 1
        if not self.quick_access(a, 4 * n, 1):
            return -1
        for i in range(n):
            self.quick_wr4(a + 4 * i, self.g[((r >> 4) + i) & 15])
        return ia + 4

    def fast_LM(self, ia):
        r = self.m[ia + 1]
        a = self.base_displacement(self.quick_rd2(ia + 2)) & M24
        n = (((r & 15) - (r >> 4)) & 15) + 1
        if not self.quick_access(a, 4 * n, 0):
            return -1
        for i in range(n):
            self.g[((r >> 4) + i) & 15] = self.quick_rd4(a + 4 * i)
        return ia + 4

    def fast_TM(self, ia):
        a = self.quick_si_address(ia, 0)
        if a < 0:
            return -1
        mask = self.m[ia + 1]
        v = self.m[a] & mask
        self.cc = 0 if v == 0 else (3 if v == mask else 1)
        return ia + 4

    def fast_MVI(self, ia):
        a = self.quick_si_address(ia, 1)
        if a < 0:
            return -1
        self.m[a] = self.m[ia + 1]
        return ia + 4

    def fast_NI(self, ia):
        a = self.quick_si_address(ia, 1)
        if a < 0:
            return -1
        v = self.m[a] & self.m[ia + 1]
        self.m[a] = v
        self.cc = 1 if v else 0
        return ia + 4

    def fast_CLI(self, ia):
        a = self.quick_si_address(ia, 0)
        if a < 0:
            return -1
        self.compare_logical(self.m[a], self.m[ia + 1])
        return ia + 4

    def fast_OI(self, ia):
        a = self.quick_si_address(ia, 1)
        if a < 0:
            return -1
        v = self.m[a] | self.m[ia + 1]
        self.m[a] = v
        self.cc = 1 if v else 0
        return ia + 4

    def fast_MVC(self, ia):
        n = self.m[ia + 1] + 1
        d = self.base_displacement(self.quick_rd2(ia + 2)) & M24
        s = self.base_displacement(self.quick_rd2(ia + 4)) & M24
        if not self.quick_access(d, n, 1) or not self.quick_access(s, n, 0):
            return -1
        move_bytes(self.m, d, s, n)
        return (ia + 6) & M24

    def fast_CLC(self, ia):
        n = self.m[ia + 1] + 1
        a1 = self.base_displacement(self.quick_rd2(ia + 2)) & M24
        a2 = self.base_displacement(self.quick_rd2(ia + 4)) & M24
        if not self.quick_access(a1, n, 0) or not self.quick_access(a2, n, 0):
            return -1
        c = compare_bytes(self.m, a1, a2, n)
        self.cc = 0 if c == 0 else (1 if c < 0 else 2)
        return (ia + 6) & M24

    # Floating point (PoO 9): the fast forms of the short and long
    # operations, which change only the register R1.  When s390/hfp.py
    # reports an interruption the register is restored and the fast form
    # declines: the full handler then performs the operation again.
    def quick_float_result(self, r1, kept, rc, nxt):
        """The next address after an hfp operation on R1, or -1 (R1 restored
        to ``kept``) when an interruption is to follow it."""
        if rc & 0xFF00:
            self.f[r1 >> 1] = kept
            return -1
        if (rc & 0xF) < 4:
            self.cc = rc & 0xF
        return nxt

    def quick_float_rr(self, ia, op):
        r = self.m[ia + 1]
        if (r >> 4) & 9:
            return -1
        kept = self.f[r >> 5]
        rc = _hfp.float_rr(self.f, op, r >> 4, r & 15, self.pmask)
        return self.quick_float_result(r >> 4, kept, rc, ia + 2)

    def quick_float_rx(self, ia, op, n):
        """An RX operation with an ``n``-byte (4 or 8) operand."""
        r = self.m[ia + 1]
        if (r >> 4) & 9:
            return -1
        a = self.rx_address(r, self.quick_rd2(ia + 2))
        if not self.quick_access(a, n, 0):
            return -1
        v = load4(self.m, a) if n == 4 else self.quick_rd8(a)
        kept = self.f[r >> 5]
        rc = _hfp.float_rx(self.f, op, r >> 4, v, self.pmask)
        return self.quick_float_result(r >> 4, kept, rc, ia + 4)

    def quick_rd8(self, a):
        """Eight bytes inside one block."""
        return (zx(load4(self.m, a)) << 32) | load4(self.m, a + 4)

    def fast_LER(self, ia):
        r = self.m[ia + 1]
        if (r & 0x99) != 0:
            return -1
        self.f[r >> 5] = whole64(
            (self.f[r >> 5] & MASK32) | (self.f[(r & 15) >> 1] & (MASK64 ^ MASK32))
        )
        return ia + 2

    def fast_LDR(self, ia):
        r = self.m[ia + 1]
        if (r & 0x99) != 0:
            return -1
        self.f[r >> 5] = self.f[(r & 15) >> 1]
        return ia + 2

    def quick_float_address(self, ia, n, store):
        """The operand address of LE LD STE STD, or -1."""
        r = self.m[ia + 1]
        if (r >> 4) & 9:
            return -1
        a = self.rx_address(r, self.quick_rd2(ia + 2))
        if not self.quick_access(a, n, store):
            return -1
        return a

    def fast_LE(self, ia):
        a = self.quick_float_address(ia, 4, 0)
        if a < 0:
            return -1
        fr = self.m[ia + 1] >> 5
        self.f[fr] = whole64((self.f[fr] & MASK32) | (zx(load4(self.m, a)) << 32))
        return ia + 4

    def fast_LD(self, ia):
        a = self.quick_float_address(ia, 8, 0)
        if a < 0:
            return -1
        self.f[self.m[ia + 1] >> 5] = self.quick_rd8(a)
        return ia + 4

    def fast_STE(self, ia):
        a = self.quick_float_address(ia, 4, 1)
        if a < 0:
            return -1
        store4(self.m, a, (self.f[self.m[ia + 1] >> 5] >> 32) & MASK32)
        return ia + 4

    def fast_STD(self, ia):
        a = self.quick_float_address(ia, 8, 1)
        if a < 0:
            return -1
        v = self.f[self.m[ia + 1] >> 5]
        store4(self.m, a, (v >> 32) & MASK32)
        store4(self.m, a + 4, v & MASK32)
        return ia + 4

    def fast_LPDR(self, ia):
        return self.quick_float_rr(ia, 0x20)

    def fast_LNDR(self, ia):
        return self.quick_float_rr(ia, 0x21)

    def fast_LTDR(self, ia):
        return self.quick_float_rr(ia, 0x22)

    def fast_LCDR(self, ia):
        return self.quick_float_rr(ia, 0x23)

    def fast_HDR(self, ia):
        return self.quick_float_rr(ia, 0x24)

    def fast_CDR(self, ia):
        return self.quick_float_rr(ia, 0x29)

    def fast_ADR(self, ia):
        return self.quick_float_rr(ia, 0x2A)

    def fast_SDR(self, ia):
        return self.quick_float_rr(ia, 0x2B)

    def fast_MDR(self, ia):
        return self.quick_float_rr(ia, 0x2C)

    def fast_DDR(self, ia):
        return self.quick_float_rr(ia, 0x2D)

    def fast_AWR(self, ia):
        return self.quick_float_rr(ia, 0x2E)

    def fast_SWR(self, ia):
        return self.quick_float_rr(ia, 0x2F)

    def fast_LPER(self, ia):
        return self.quick_float_rr(ia, 0x30)

    def fast_LNER(self, ia):
        return self.quick_float_rr(ia, 0x31)

    def fast_LTER(self, ia):
        return self.quick_float_rr(ia, 0x32)

    def fast_LCER(self, ia):
        return self.quick_float_rr(ia, 0x33)

    def fast_HER(self, ia):
        return self.quick_float_rr(ia, 0x34)

    def fast_CER(self, ia):
        return self.quick_float_rr(ia, 0x39)

    def fast_AER(self, ia):
        return self.quick_float_rr(ia, 0x3A)

    def fast_SER(self, ia):
        return self.quick_float_rr(ia, 0x3B)

    def fast_MER(self, ia):
        return self.quick_float_rr(ia, 0x3C)

    def fast_DER(self, ia):
        return self.quick_float_rr(ia, 0x3D)

    def fast_AUR(self, ia):
        return self.quick_float_rr(ia, 0x3E)

    def fast_SUR(self, ia):
        return self.quick_float_rr(ia, 0x3F)

    def fast_CD(self, ia):
        return self.quick_float_rx(ia, 0x69, 8)

    def fast_AD(self, ia):
        return self.quick_float_rx(ia, 0x6A, 8)

    def fast_SD(self, ia):
        return self.quick_float_rx(ia, 0x6B, 8)

    def fast_MD(self, ia):
        return self.quick_float_rx(ia, 0x6C, 8)

    def fast_DD(self, ia):
        return self.quick_float_rx(ia, 0x6D, 8)

    def fast_AW(self, ia):
        return self.quick_float_rx(ia, 0x6E, 8)

    def fast_SW(self, ia):
        return self.quick_float_rx(ia, 0x6F, 8)

    def fast_CE(self, ia):
        return self.quick_float_rx(ia, 0x79, 4)

    def fast_AE(self, ia):
        return self.quick_float_rx(ia, 0x7A, 4)

    def fast_SE(self, ia):
        return self.quick_float_rx(ia, 0x7B, 4)

    def fast_ME(self, ia):
        return self.quick_float_rx(ia, 0x7C, 4)

    def fast_DE(self, ia):
        return self.quick_float_rx(ia, 0x7D, 4)

    def fast_AU(self, ia):
        return self.quick_float_rx(ia, 0x7E, 4)

    def fast_SU(self, ia):
        return self.quick_float_rx(ia, 0x7F, 4)

    # PSW swaps: SVC and LPSW run here when the new PSW keeps the PSW key
    # (the checked fetch blocks stay good) and has an even instruction
    # address; set_psw_value() sends the loop to service() when the new
    # PSW waits, is invalid or unmasks interruptions (the horizon).
    def fast_SVC(self, ia):
        n = self.m[ia + 1]
        if self.svci[n >> 3] & (0x80 >> (n & 7)):
            return -1  # CP's to handle: an exit
        if (self.m[LC_SVC_NEW_PSW + 1] >> 4) != self.pkey or (self.m[LC_SVC_NEW_PSW + 7] & 1):
            return -1
        self.ilc = 1
        self.ia = ia + 2
        self.svc_interrupt(n)
        return self.ia

    def fast_LPSW(self, ia):
        a = self.base_displacement(self.quick_rd2(ia + 2)) & M24
        if (a & 7) or not self.quick_access(a, 8, 0):
            return -1
        v = self.quick_rd8(a)
        if ((v >> 52) & 15) != self.pkey or (v & 1):
            return -1
        self.set_psw_value(v)
        return self.ia

    # Full handlers run from the fast loop: instructions whose handler
    # recognises every exception before it changes anything but reference
    # and change bits (so step() can run it again): the shifts and the
    # register-pair operations (specification first), the divides (nothing
    # changed on a divide exception, PoO 7), the masked, SI and SS forms
    # (access checks first; TR and TRT check every table byte first).  The
    # loop saves the fetch, the decoding and the dispatch of step().
    def decode(self, ia, n):
        """The instruction's fields for a full handler: byte 1, halfwords 2-3."""
        self.i1 = self.m[ia + 1]
        if n > 2:
            self.i2 = load2(self.m, ia + 2)
        if n > 4:
            self.i3 = load2(self.m, ia + 4)

    def delegated(self, code, nxt):
        """The next address after a full handler, or -1 when it reported an
        exception (having changed nothing: step() runs it again)."""
        return -1 if code else nxt

    def fast_LNR(self, ia):
        self.decode(ia, 2)
        return self.delegated(self.op_LNR(), ia + 2)

    def fast_MR(self, ia):
        self.decode(ia, 2)
        return self.delegated(self.op_MR(), ia + 2)

    def fast_DR(self, ia):
        self.decode(ia, 2)
        return self.delegated(self.op_DR(), ia + 2)

    def fast_SPM(self, ia):
        self.decode(ia, 2)
        return self.delegated(self.op_SPM(), ia + 2)

    def fast_M(self, ia):
        self.decode(ia, 4)
        return self.delegated(self.op_M(), ia + 4)

    def fast_D(self, ia):
        self.decode(ia, 4)
        return self.delegated(self.op_D(), ia + 4)

    def fast_SRA(self, ia):
        self.decode(ia, 4)
        return self.delegated(self.op_SRA(), ia + 4)

    def fast_SRDL(self, ia):
        self.decode(ia, 4)
        return self.delegated(self.op_SRDL(), ia + 4)

    def fast_SLDL(self, ia):
        self.decode(ia, 4)
        return self.delegated(self.op_SLDL(), ia + 4)

    def fast_SRDA(self, ia):
        self.decode(ia, 4)
        return self.delegated(self.op_SRDA(), ia + 4)

    def fast_ICM(self, ia):
        self.decode(ia, 4)
        return self.delegated(self.op_ICM(), ia + 4)

    def fast_STCM(self, ia):
        self.decode(ia, 4)
        return self.delegated(self.op_STCM(), ia + 4)

    def fast_CLM(self, ia):
        self.decode(ia, 4)
        return self.delegated(self.op_CLM(), ia + 4)

    def fast_XI(self, ia):
        self.decode(ia, 4)
        return self.delegated(self.op_XI(), ia + 4)

    def fast_NC(self, ia):
        self.decode(ia, 6)
        return self.delegated(self.op_NC(), (ia + 6) & M24)

    def fast_OC(self, ia):
        self.decode(ia, 6)
        return self.delegated(self.op_OC(), (ia + 6) & M24)

    def fast_XC(self, ia):
        self.decode(ia, 6)
        return self.delegated(self.op_XC(), (ia + 6) & M24)

    def fast_TR(self, ia):
        self.decode(ia, 6)
        return self.delegated(self.op_TR(), (ia + 6) & M24)

    def fast_TRT(self, ia):
        self.decode(ia, 6)
        return self.delegated(self.op_TRT(), (ia + 6) & M24)

    def fast_MVN(self, ia):
        self.decode(ia, 6)
        return self.delegated(self.op_MVN(), (ia + 6) & M24)

    def fast_MVZ(self, ia):
        self.decode(ia, 6)
        return self.delegated(self.op_MVZ(), (ia + 6) & M24)

    # ======================================================== interruptions
    def swap_psw(self, old, new, code, ilc):
        """Store the current PSW at ``old`` and load the one at ``new``.  For
        external, I/O and restart interruptions the BC-mode ILC is
        unpredictable (PoO 6); like Hercules it is the last instruction's."""
        self.wr8(old, self.psw_value(code, ilc))
        self.k[0] |= 6
        self.set_psw_value(self.rd8(new))

    def program_interrupt(self, code, ilc):
        """Program interruption (PoO 6): old PSW at X'28', new from X'68'; in
        EC mode the ILC and code go to X'8D' and X'8E'."""
        if self.program_intercept:
            # The interruption is CP's (or the CMS runner's) to reflect, but
            # it happened: CP TRACE PROGRAM sees it like a swapped one, the
            # "to" address the old PSW's (no new PSW was loaded).
            self.exit_code = code
            self.exit_ilc = ilc
            self.ilc = ilc
            if self.trace & TRACE_PROGRAM:
                self.trace_record(TRACE_PROGRAM, (self.ia - 2 * ilc) & M24, self.ia, code, 1)
            return EXIT_PROGRAM
        if self.last_pgm == self.instructions - 1:
            self.exit_code = code
            self.exit_ilc = ilc
            return EXIT_PGM_LOOP
        self.last_pgm = self.instructions
        ia = (self.ia - 2 * ilc) & M24
        if self.ec:
            self.m[LC_PGM_ILC - 1] = 0
            self.m[LC_PGM_ILC] = ilc << 1
            self.wr2(LC_PGM_CODE, code)
        self.swap_psw(LC_PROGRAM_OLD_PSW, LC_PROGRAM_NEW_PSW, code, ilc)
        if self.trace & TRACE_PROGRAM:
            self.trace_record(TRACE_PROGRAM, ia, self.ia, code, 1)
        return 0

    def svc_interrupt(self, n):
        """Supervisor-call interruption: old PSW at X'20', new from X'60'."""
        ia = (self.ia - 2 * self.ilc) & M24
        if self.trace & TRACE_SVC:
            self.trace_record(TRACE_SVC, ia, self.ia, n, 1)
        if self.svci[n >> 3] & (0x80 >> (n & 7)):
            self.exit_addr = n
            return EXITF + EXIT_SVC
        if self.ec:
            self.m[LC_SVC_ILC - 1] = 0
            self.m[LC_SVC_ILC] = self.ilc << 1
            self.wr2(LC_SVC_CODE, n)
        self.swap_psw(LC_SVC_OLD_PSW, LC_SVC_NEW_PSW, n, self.ilc)
        if self.trace & TRACE_SVC:
            self.tr[((self.trace_count - 1) % TRACE_RECORDS) * 3 + 1] = (zx(ia) << 32) | self.ia
        return 0

    def now(self):
        """The machine's time base in instruction ticks (executed + waited)."""
        return self.instructions + self.idle

    def tod(self):
        """The TOD clock (bit 51 = 1 microsecond)."""
        return (self.tod_offset + self.now() * TOD_PER_TICK) & MASK64

    def cpu_timer(self):
        """The CPU timer, signed 64-bit, decremented with the TOD rate; a
        64-bit binary counter, so it wraps from the maximum negative value
        to positive (PoO 4, "CPU Timer", programming note).  Computed
        unsigned (zx) so that the compiled wrap is defined C, not signed
        overflow."""
        return s64((zx(self.cpt_base) - zx(self.now() - self.cpt_time) * TOD_PER_TICK) & MASK64)

    def advance_time(self, ticks):
        """Let ``ticks`` instruction-times pass without executing (CP calls it
        while the VM waits); timers move, the instruction count does not.
        Time stops at the end of the time base (TIME_LIMIT)."""
        if ticks > 0:
            room = TIME_LIMIT - self.now()
            self.idle += ticks if ticks < room else max(room, 0)
            self.horizon = 0

    def next_timer_event(self):
        """Ticks until the next clock-comparator, CPU-timer or interval-timer
        interruption the CPU would take (external mask and CR0 subclass mask
        on), or -1 when none can come (for CP's wait handling).  0 only for a
        condition that is pending and deliverable now; a condition that is
        masked off, or a timer already past its event, is not "due"."""
        best = -1
        if not (self.sysmask & 1):
            return -1
        c0 = self.c[0]
        if (c0 >> 11) & 1:
            best = self.clock_comparator_event()
        if (c0 >> 10) & 1:
            v = self.cpu_timer()
            d = 0 if v < 0 else v // TOD_PER_TICK + 1
            if best < 0 or d < best:
                best = d
        if (c0 >> 7) & 1 and self.interval_timer_on:
            d = self.interval_timer_event()
            if best < 0 or d < best:
                best = d
        if best > TIME_LIMIT - self.now():
            return -1  # after the end of the time base: never
        return best

    def clock_comparator_event(self):
        """Ticks until the TOD clock exceeds the clock comparator (PoO 4,
        "Clock Comparator": the condition is TOD > comparator), or -1 when
        the clock would have to wrap first (a comparator at or just below
        the top of the 143-year TOD period never fires)."""
        t = self.tod()
        if t > self.ckc:
            return 0
        q = (self.ckc - t) // TOD_PER_TICK
        if (MASK64 - t) - q * TOD_PER_TICK < TOD_PER_TICK:
            return -1
        return q + 1

    def interval_timer_event(self):
        """Ticks until the interval timer at X'50' next goes from positive
        (or zero) to negative, the only change that makes its interruption
        pending (PoO 4, "Interval Timer"): 0 when it is pending now.  A timer
        that is negative already first runs through the positive range, so
        the distance is its unsigned value plus one unit either way."""
        if self.ext_pending & 0x80:
            return 0
        u = self.rd4(LC_INTERVAL_TIMER)
        return (zx(u) + 1) * 2500 // 3 + 1

    def update_interval_timer(self):
        """Decrement the interval timer at X'50' for the time passed since the
        last update (bit 31 = 1/76800 s at the virtual rate of 64 ticks per
        microsecond: 3 units per 2500 ticks); going negative makes the
        interval-timer external interruption pending (PoO 4, "Interval Timer")."""
        t = self.now()
        units = (t - self.itimer_time) * 3 + self.itimer_frac
        self.itimer_time = t
        self.itimer_frac = units % 2500
        dec = units // 2500
        if dec == 0 or not self.interval_timer_on:
            return
        old = self.rd4(LC_INTERVAL_TIMER)
        new = (old - dec) & MASK32
        if dec > old:  # passed from 0 to -1 (from a negative value: after a wrap)
            self.ext_pending |= 0x80
        self.wr4(LC_INTERVAL_TIMER, new)

    def external_code(self):
        """The highest-priority pending external interruption that CR0
        enables, or 0 (PoO 6, "External Interruption")."""
        c0 = self.c[0]
        p = self.ext_pending
        if (p & PENDING_EMERGENCY_SIGNAL) and (c0 >> 14) & 1:
            return EXT_EMERGENCY_SIGNAL
        if (p & PENDING_EXTERNAL_CALL) and (c0 >> 13) & 1:
            return EXT_EXTERNAL_CALL
        if p & PENDING_VMCF:
            return EXT_VMCF
        if (c0 >> 11) & 1 and self.tod() > self.ckc:
            return EXT_CLOCK_COMPARATOR
        if (c0 >> 10) & 1 and self.cpu_timer() < 0:
            return EXT_CPU_TIMER
        code = 0
        if (p & 0x80) and (c0 >> 7) & 1:
            code |= 0x80
        if (p & 0x40) and (c0 >> 6) & 1:
            code |= 0x40
        if (p & 0x3F) and (c0 >> 5) & 1:
            code |= p & 0x3F
        return code

    def take_external(self, code):
        """External interruption: old PSW at X'18', new from X'58'."""
        if code == EXT_EMERGENCY_SIGNAL:
            self.ext_pending &= ~PENDING_EMERGENCY_SIGNAL
        elif code == EXT_EXTERNAL_CALL:
            self.ext_pending &= ~PENDING_EXTERNAL_CALL
        elif code == EXT_VMCF:
            self.ext_pending &= ~PENDING_VMCF
        elif code < 0x100:
            self.ext_pending &= ~code
        if self.ec:
            self.wr2(LC_EXT_CPU_ADDRESS, 0)
            self.wr2(LC_EXT_CODE, code)
        ia = self.ia
        self.swap_psw(LC_EXTERNAL_OLD_PSW, LC_EXTERNAL_NEW_PSW, code, self.ilc)
        if self.trace & TRACE_EXTERNAL:
            self.trace_record(TRACE_EXTERNAL, ia, self.ia, code, 0)

    def vmcf_pending(self):
        """Whether a VMCF interruption (X'4001') is pending, not yet taken."""
        return bool(self.ext_pending & PENDING_VMCF)

    def post_external(self, code):
        """Make an external interruption pending: X'0040' interrupt key,
        X'0001'-X'0020' external signals, X'1201' emergency signal,
        X'1202' external call, X'4001' VMCF (CP's message interruption)."""
        if code == EXT_EMERGENCY_SIGNAL:
            self.ext_pending |= PENDING_EMERGENCY_SIGNAL
        elif code == EXT_EXTERNAL_CALL:
            self.ext_pending |= PENDING_EXTERNAL_CALL
        elif code == EXT_VMCF:
            self.ext_pending |= PENDING_VMCF
        elif 0 < code < 0x80:
            self.ext_pending |= code
        else:
            raise ValueError(f"not an external interruption code that can be posted: {code:#06x}")
        self.horizon = 0

    def channel_enabled(self, devaddr):
        """I/O masks (PoO 4): BC mode PSW bits 0-5 for channels 0-5, bit 6
        with CR2 for channels 6 and up; EC mode PSW bit 6 with CR2."""
        ch = (devaddr >> 8) & 0xFF
        if not self.ec and ch < 6:
            return (self.sysmask >> (7 - ch)) & 1
        if not (self.sysmask & 2) or ch > 31:
            return 0
        return (self.c[2] >> (31 - ch)) & 1

    def post_io_interrupt(self, devaddr, csw):
        """Queue an I/O interruption for ``devaddr`` with the 8-byte CSW."""
        csw = bytes(csw)
        if len(csw) != 8:
            raise ValueError("a CSW is 8 bytes")
        self.io_queue.append((devaddr & 0xFFFF, csw))
        self.io_count = len(self.io_queue)
        self.horizon = 0

    def withdraw_io_interrupt(self, devaddr):
        """Remove the first pending I/O interruption of ``devaddr`` and return
        its CSW (8 bytes), or None when none is pending.  TEST I/O, CLEAR I/O
        and START I/O clear a pending interruption of the addressed device
        and present its status in the CSW instead (PoO 13, "TEST I/O")."""
        for i in range(len(self.io_queue)):
            dev, csw = self.io_queue[i]
            if dev == (devaddr & 0xFFFF):
                del self.io_queue[i]
                self.io_count = len(self.io_queue)
                return bytes(csw)
        return None

    def io_interrupt_pending(self, devaddr):
        """True when an I/O interruption of ``devaddr`` is queued."""
        return any(dev == (devaddr & 0xFFFF) for dev, _ in self.io_queue)

    def take_io(self):
        """Take the first queued I/O interruption whose channel is enabled:
        CSW at X'40', device address in the old PSW (BC) or at X'BA' (EC)."""
        for i in range(len(self.io_queue)):
            dev, csw = self.io_queue[i]
            if self.channel_enabled(dev):
                del self.io_queue[i]
                self.io_count = len(self.io_queue)
                for j in range(8):
                    self.m[LC_CSW + j] = csw[j]
                if self.ec:
                    self.wr2(LC_IO_ADDRESS - 2, 0)
                    self.wr2(LC_IO_ADDRESS, dev)
                ia = self.ia
                self.swap_psw(LC_IO_OLD_PSW, LC_IO_NEW_PSW, dev, self.ilc)
                if self.trace & TRACE_IO:
                    self.trace_record(TRACE_IO, ia, self.ia, dev, 0)
                return 1
        return 0

    def enabled_for_any(self):
        """True when some interruption could end a wait."""
        if self.sysmask & 1:
            return 1
        if self.ec:
            return (self.sysmask >> 1) & 1
        return 1 if self.sysmask & 0xFE else 0

    def service(self, end):
        """Between slices: stop requests, early PSW exceptions, pending
        interruptions, wait states, timers; sets the next horizon.  Returns
        0 to go on executing, or an exit reason."""
        self.forget_checked_access()
        taken = 0
        while True:
            taken += 1
            if taken > INTERRUPT_BURST:
                # A new PSW that enables a condition still pending (clock
                # comparator, CPU timer) is an interruption loop without
                # instructions; give the slice back instead of spinning.
                return EXIT_BUDGET
            if self.stop_req:
                self.stop_req = 0
                return EXIT_STOP
            if self.psw_bad:
                reason = self.early_exception()
                if reason:
                    return reason
                continue
            self.update_interval_timer()
            if self.restart_req:
                self.restart_req = 0
                self.swap_psw(LC_RESTART_OLD_PSW, LC_RESTART_NEW_PSW, 0, self.ilc)
                continue
            if self.sysmask & 1:
                code = self.external_code()
                if code:
                    self.take_external(code)
                    continue
            if self.io_count and self.take_io():
                continue
            break
        if self.waitbit:
            if self.enabled_for_any():
                return EXIT_WAIT
            return EXIT_DISABLED_WAIT
        if self.instructions >= end:
            return EXIT_BUDGET
        h = end
        if h > self.instructions + TIMER_CHECK:
            h = self.instructions + TIMER_CHECK
        ev = self.next_timer_event()
        if ev >= 0 and self.instructions + ev < h:
            h = self.instructions + ev
        if h <= self.instructions:
            h = self.instructions + 1
        self.horizon = h
        return 0

    # ================================================ helpers for handlers
    def fixed_overflow(self):
        """A fixed-point overflow: CC 3, and the program interruption when
        the program mask (PSW bit 36 / EC 20) allows it (PoO 6, "Fixed-Point
        Overflow Exception")."""
        self.cc = 3
        return PGM_FIXED_OVERFLOW if self.pmask & PM_FIXED_OVERFLOW else 0

    def add_signed(self, r, a, b):
        """Signed add into register r: CC 0/1/2 or 3 on overflow (PoO 7 "Add")."""
        res = (a + b) & MASK32
        self.g[r] = res
        if ((a ^ res) & (b ^ res)) >> 31:
            return self.fixed_overflow()
        self.cc = cc_of(s32(res))
        return 0

    def sub_signed(self, r, a, b):
        res = (a - b) & MASK32
        self.g[r] = res
        if ((a ^ b) & (a ^ res)) >> 31:
            return self.fixed_overflow()
        self.cc = cc_of(s32(res))
        return 0

    def add_logical(self, r, a, b, carry_in):
        """Logical add: CC = (result nonzero) + 2*(carry)."""
        t = zx(a) + b + carry_in
        res = t & MASK32
        self.g[r] = res
        self.cc = (1 if res else 0) | ((t >> 32) << 1)
        return 0

    # CC 0 equal, 1 low, 2 high (PoO 7, "Compare"), without branches.
    def compare_signed(self, a, b):
        """With the sign bits inverted, signed order is unsigned order."""
        return self.compare_logical(a ^ SIGN32, b ^ SIGN32)

    def compare_logical(self, a, b):
        self.cc = (a < b) + 2 * (a > b)
        return 0

    # The general instructions that combine R1 with a second operand come in
    # up to three forms (PoO 7): RR (operand in R2), RX (a fullword in
    # storage, fetch_rx) and RX halfword (sign-extended, fetch_half).  Each
    # operation is written once below; the forms differ only in the operand.
    def load_r1(self, v):
        self.g[self.i1 >> 4] = v
        return 0

    def compare_r1(self, v):
        return self.compare_signed(self.g[self.i1 >> 4], v)

    def add_r1(self, v):
        r1 = self.i1 >> 4
        return self.add_signed(r1, self.g[r1], v)

    def subtract_r1(self, v):
        r1 = self.i1 >> 4
        return self.sub_signed(r1, self.g[r1], v)

    def compare_logical_r1(self, v):
        return self.compare_logical(self.g[self.i1 >> 4], v)

    def add_logical_r1(self, v):
        r1 = self.i1 >> 4
        return self.add_logical(r1, self.g[r1], v, 0)

    def subtract_logical_r1(self, v):
        """R1 - v as R1 + not v + 1 (PoO 7, "Subtract Logical")."""
        r1 = self.i1 >> 4
        return self.add_logical(r1, self.g[r1], v ^ MASK32, 1)

    def and_r1(self, v):
        return self.set_logical_r1(self.g[self.i1 >> 4] & v)

    def or_r1(self, v):
        return self.set_logical_r1(self.g[self.i1 >> 4] | v)

    def xor_r1(self, v):
        return self.set_logical_r1(self.g[self.i1 >> 4] ^ v)

    def set_logical_r1(self, v):
        """The result of AND, OR, XOR into R1: CC 0 zero, 1 nonzero."""
        self.g[self.i1 >> 4] = v
        self.cc = 1 if v else 0
        return 0

    def link_bal(self):
        """BAL/BALR link information: ILC, CC, program mask, return address."""
        return self.link_info(self.ilc, self.ia)

    def link_info(self, ilc, next_ia):
        """The link word of BAL and BALR (PoO 7, "Branch and Link"): the
        ILC, CC and program mask in bits 0-7, the return address in 8-31."""
        return ((zx(ilc) << 30) | (self.cc << 28) | (self.pmask << 24) | next_ia) & MASK32

    # ============================================== RR: general instructions
    def op_SPM(self):
        v = self.g[self.i1 >> 4]
        self.cc = (v >> 28) & 3
        self.pmask = (v >> 24) & 15
        return 0

    def op_BALR(self):
        r1 = self.i1 >> 4
        r2 = self.i1 & 15
        target = self.g[r2]
        self.g[r1] = self.link_bal()
        if r2:
            self.ia = target & M24
        return 0

    def op_BCTR(self):
        r1 = self.i1 >> 4
        r2 = self.i1 & 15
        target = self.g[r2]
        v = (self.g[r1] - 1) & MASK32
        self.g[r1] = v
        if r2 and v:
            self.ia = target & M24
        return 0

    def op_BCR(self):
        r2 = self.i1 & 15
        if r2 and ((self.i1 >> 4) & (8 >> self.cc)):
            self.ia = self.g[r2] & M24
        return 0

    def op_SVC(self):
        return self.svc_interrupt(self.i1)

    def op_BASR(self):
        r1 = self.i1 >> 4
        r2 = self.i1 & 15
        target = self.g[r2]
        self.g[r1] = self.ia
        if r2:
            self.ia = target & M24
        return 0

    def op_LPR(self):
        v = self.g[self.i1 & 15]
        r1 = self.i1 >> 4
        if v == SIGN32:
            self.g[r1] = v
            return self.fixed_overflow()
        if v >> 31:
            v = (TWO32 - v) & MASK32
        self.g[r1] = v
        self.cc = 2 if v else 0
        return 0

    def op_LNR(self):
        v = self.g[self.i1 & 15]
        if v and not (v >> 31):
            v = (TWO32 - v) & MASK32
        self.g[self.i1 >> 4] = v
        self.cc = 1 if v else 0
        return 0

    def op_LTR(self):
        v = self.g[self.i1 & 15]
        self.g[self.i1 >> 4] = v
        self.cc = cc_of(s32(v))
        return 0

    def op_LCR(self):
        return self.sub_signed(self.i1 >> 4, 0, self.g[self.i1 & 15])

    def op_NR(self):
        return self.and_r1(self.g[self.i1 & 15])

    def op_CLR(self):
        return self.compare_logical_r1(self.g[self.i1 & 15])

    def op_OR(self):
        return self.or_r1(self.g[self.i1 & 15])

    def op_XR(self):
        return self.xor_r1(self.g[self.i1 & 15])

    def op_LR(self):
        return self.load_r1(self.g[self.i1 & 15])

    def op_CR(self):
        return self.compare_r1(self.g[self.i1 & 15])

    def op_AR(self):
        return self.add_r1(self.g[self.i1 & 15])

    def op_SR(self):
        return self.subtract_r1(self.g[self.i1 & 15])

    def multiply_pair(self, r1, b):
        """R1,R1+1 <- R1+1 * b, a 64-bit signed product (M, MR)."""
        if r1 & 1:
            return PGM_SPECIFICATION
        p = (s32(self.g[r1 + 1]) * s32(b)) & MASK64
        self.g[r1] = (p >> 32) & MASK32
        self.g[r1 + 1] = p & MASK32
        return 0

    def divide_pair(self, r1, b):
        """R1 (remainder), R1+1 (quotient) <- R1,R1+1 / b, signed (D, DR);
        fixed-point divide when b is 0 or the quotient needs more than 32
        bits; nothing is changed then (PoO 7 "Divide")."""
        if r1 & 1:
            return PGM_SPECIFICATION
        dividend = (zx(self.g[r1]) << 32) | self.g[r1 + 1]
        neg_n = dividend >> 63
        mag_n = ((MASK64 ^ dividend) + 1) & MASK64 if neg_n else dividend
        d = s32(b)
        neg_d = 1 if d < 0 else 0
        mag_d = -d if neg_d else d
        if mag_d == 0:
            return PGM_FIXED_DIVIDE
        q = mag_n // mag_d
        rem = mag_n - q * mag_d
        if neg_n != neg_d:
            if q > SIGN32:
                return PGM_FIXED_DIVIDE
            q = (TWO32 - q) & MASK32
        elif q > 0x7FFFFFFF:
            return PGM_FIXED_DIVIDE
        if neg_n:
            rem = (TWO32 - rem) & MASK32
        self.g[r1] = rem & MASK32
        self.g[r1 + 1] = q & MASK32
        return 0

    def op_MR(self):
        return self.multiply_pair(self.i1 >> 4, self.g[self.i1 & 15])

    def op_DR(self):
        return self.divide_pair(self.i1 >> 4, self.g[self.i1 & 15])

    def op_ALR(self):
        return self.add_logical_r1(self.g[self.i1 & 15])

    def op_SLR(self):
        return self.subtract_logical_r1(self.g[self.i1 & 15])

    def long_operands(self):
        """The register pairs of MVCL and CLCL (PoO 7, "Move Long"): R1 and R2
        even; addresses in R1 and R2 bits 8-31 (into self.a1, self.a2),
        lengths in R1+1 and R2+1 bits 8-31 (self.l1, self.l2), the pad byte
        in R2+1 bits 0-7 (self.val).  Returns 0 or a specification exception."""
        r1 = self.i1 >> 4
        r2 = self.i1 & 15
        if (r1 & 1) or (r2 & 1):
            return PGM_SPECIFICATION
        self.a1 = self.g[r1] & M24
        self.l1 = self.g[r1 + 1] & M24
        self.a2 = self.g[r2] & M24
        self.l2 = self.g[r2 + 1] & M24
        self.val = self.g[r2 + 1] >> 24
        return 0

    def op_MVCL(self):
        """Move Long (PoO 7): lengths in R1+1 and R2+1 bits 8-31, pad in
        R2+1 bits 0-7; CC from the lengths, 3 (nothing moved) on destructive
        overlap.  Bits 0-7 of R1 and R2 become zero, those of R1+1 and R2+1
        stay (checked against Hercules).  Done in one step: all access
        exceptions are recognised before anything moves."""
        code = self.long_operands()
        if code:
            return code
        r1 = self.i1 >> 4
        r2 = self.i1 & 15
        d = self.a1
        l1 = self.l1
        s = self.a2
        l2 = self.l2
        pad = self.val
        n = l2 if l2 < l1 else l1
        cc = 0 if l1 == l2 else (1 if l1 < l2 else 2)
        if n > 1 and 0 < ((d - s) & M24) < n:
            # nothing moved; the address registers still lose bits 0-7
            self.g[r1] = d
            self.g[r2] = s
            self.cc = 3
            return 0
        code = self.acc_long(d, l1, 1) or self.acc_long(s, n, 0)
        if code:
            return code
        for i in range(n):
            self.m[(d + i) & M24] = self.m[(s + i) & M24]
        for i in range(n, l1):
            self.m[(d + i) & M24] = pad
        self.g[r1] = (d + l1) & M24
        self.g[r1 + 1] &= HIGH_BYTE  # bits 0-7 of R1+1 are left unchanged
        self.g[r2] = (s + n) & M24
        self.g[r2 + 1] = (zx(pad) << 24) | (l2 - n)
        self.cc = cc
        return 0

    def op_CLCL(self):
        """Compare Logical Long (PoO 7): the shorter operand is extended
        with the pad byte; on inequality the registers point at the first
        unequal byte."""
        code = self.long_operands()
        if code:
            return code
        r1 = self.i1 >> 4
        r2 = self.i1 & 15
        a1 = self.a1
        l1 = self.l1
        a2 = self.a2
        l2 = self.l2
        pad = self.val
        n = l1 if l1 > l2 else l2
        cc = 0
        i = 0
        while i < n:
            # access is checked as the comparison reaches each 2K block, so
            # bytes beyond the first inequality are never accessed
            if i < l1 and (i == 0 or ((a1 + i) & 0x7FF) == 0):
                code = self.acc((a1 + i) & M24, 1, 0)
                if code:
                    return code
            if i < l2 and (i == 0 or ((a2 + i) & 0x7FF) == 0):
                code = self.acc((a2 + i) & M24, 1, 0)
                if code:
                    return code
            b1 = self.m[(a1 + i) & M24] if i < l1 else pad
            b2 = self.m[(a2 + i) & M24] if i < l2 else pad
            if b1 != b2:
                cc = 1 if b1 < b2 else 2
                break
            i += 1
        k1 = i if i < l1 else l1
        k2 = i if i < l2 else l2
        self.g[r1] = (a1 + k1) & M24
        self.g[r1 + 1] = (self.g[r1 + 1] & HIGH_BYTE) | (l1 - k1)
        self.g[r2] = (a2 + k2) & M24
        self.g[r2 + 1] = (zx(pad) << 24) | (l2 - k2)
        self.cc = cc
        return 0

    # ============================================== RX: general instructions
    def op_STH(self):
        a = self.ea_rx()
        code = self.acc(a, 2, 1)
        if code:
            return code
        self.wr2(a, self.g[self.i1 >> 4] & 0xFFFF)
        return 0

    def op_LA(self):
        self.g[self.i1 >> 4] = self.ea_rx()
        return 0

    def op_STC(self):
        a = self.ea_rx()
        code = self.acc(a, 1, 1)
        if code:
            return code
        self.m[a] = self.g[self.i1 >> 4] & 0xFF
        return 0

    def op_IC(self):
        a = self.ea_rx()
        code = self.acc(a, 1, 0)
        if code:
            return code
        r1 = self.i1 >> 4
        self.g[r1] = whole((self.g[r1] & NOT_LOW_BYTE) | self.m[a])
        return 0

    def op_EX(self):
        """Execute (PoO 7): the target instruction, its bits 8-15 ORed with
        R1 bits 24-31, runs in place; EX of EX is an execute exception."""
        a = self.ea_rx()
        r1 = self.i1 >> 4
        if a & 1:
            return PGM_SPECIFICATION
        code = self.acc(a, 2, 0)
        if code:
            return code
        op = self.m[a]
        n = ilen(op)
        if n > 2:
            code = self.acc(a, n, 0)
            if code:
                return code
        if op == 0x44:
            return PGM_EXECUTE
        b1 = self.m[(a + 1) & M24]
        if r1:
            b1 |= self.g[r1] & 0xFF
        self.i1 = b1
        if n > 2:
            self.i2 = self.rd2((a + 2) & M24)
        if n > 4:
            self.i3 = self.rd2((a + 4) & M24)
        return execute(self, op)

    def op_BAL(self):
        target = self.ea_rx()
        self.g[self.i1 >> 4] = self.link_bal()
        self.ia = target
        return 0

    def op_BCT(self):
        target = self.ea_rx()
        r1 = self.i1 >> 4
        v = (self.g[r1] - 1) & MASK32
        self.g[r1] = v
        if v:
            self.ia = target
        return 0

    def op_BC(self):
        if (self.i1 >> 4) & (8 >> self.cc):
            self.ia = self.ea_rx()
        return 0

    def fetch_half(self):
        """The RX halfword operand, sign-extended to 32 bits, in self.val."""
        a = self.ea_rx()
        code = self.acc(a, 2, 0)
        if code:
            return code
        h = self.rd2(a)
        self.val = (h | HIGH_HALF) if h >> 15 else h
        return 0

    def op_LH(self):
        code = self.fetch_half()
        return code if code else self.load_r1(self.val)

    def op_CH(self):
        code = self.fetch_half()
        return code if code else self.compare_r1(self.val)

    def op_AH(self):
        code = self.fetch_half()
        return code if code else self.add_r1(self.val)

    def op_SH(self):
        code = self.fetch_half()
        return code if code else self.subtract_r1(self.val)

    def op_MH(self):
        code = self.fetch_half()
        if code:
            return code
        r1 = self.i1 >> 4
        self.g[r1] = (s32(self.g[r1]) * s32(self.val)) & MASK32
        return 0

    def op_BAS(self):
        target = self.ea_rx()
        self.g[self.i1 >> 4] = self.ia
        self.ia = target
        return 0

    def op_ST(self):
        a = self.ea_rx()
        code = self.acc(a, 4, 1)
        if code:
            return code
        self.wr4(a, self.g[self.i1 >> 4])
        return 0

    def fetch_rx(self):
        """The RX fullword operand in self.val."""
        a = self.ea_rx()
        code = self.acc(a, 4, 0)
        if code:
            return code
        self.val = self.rd4(a)
        return 0

    def op_N(self):
        code = self.fetch_rx()
        return code if code else self.and_r1(self.val)

    def op_CL(self):
        code = self.fetch_rx()
        return code if code else self.compare_logical_r1(self.val)

    def op_O(self):
        code = self.fetch_rx()
        return code if code else self.or_r1(self.val)

    def op_X(self):
        code = self.fetch_rx()
        return code if code else self.xor_r1(self.val)

    def op_L(self):
        code = self.fetch_rx()
        return code if code else self.load_r1(self.val)

    def op_C(self):
        code = self.fetch_rx()
        return code if code else self.compare_r1(self.val)

    def op_A(self):
        code = self.fetch_rx()
        return code if code else self.add_r1(self.val)

    def op_S(self):
        code = self.fetch_rx()
        return code if code else self.subtract_r1(self.val)

    def fetch_rx_for_pair(self):
        """M and D: R1 must name the even register of a pair (specification,
        recognised before the operand is fetched), then fetch_rx()."""
        if (self.i1 >> 4) & 1:
            return PGM_SPECIFICATION
        return self.fetch_rx()

    def op_M(self):
        code = self.fetch_rx_for_pair()
        if code:
            return code
        return self.multiply_pair(self.i1 >> 4, self.val)

    def op_D(self):
        code = self.fetch_rx_for_pair()
        if code:
            return code
        return self.divide_pair(self.i1 >> 4, self.val)

    def op_AL(self):
        code = self.fetch_rx()
        return code if code else self.add_logical_r1(self.val)

    def op_SL(self):
        code = self.fetch_rx()
        return code if code else self.subtract_logical_r1(self.val)

    # ============================================== RS: branches and shifts
    def bx(self, high):
        """BXH/BXLE (PoO 7): R1 += R3, compared with the odd register of the
        R3 pair (R3 itself when odd), read before R1 changes."""
        target = self.ea_rs()
        r1 = self.i1 >> 4
        r3 = self.i1 & 15
        incr = self.g[r3]
        limit = s32(self.g[r3 | 1])
        v = (self.g[r1] + incr) & MASK32
        self.g[r1] = v
        if (s32(v) > limit) == (high == 1):
            self.ia = target
        return 0

    def op_BXH(self):
        return self.bx(1)

    def op_BXLE(self):
        return self.bx(0)

    def op_SRL(self):
        n = self.ea_rs() & 63
        r1 = self.i1 >> 4
        self.g[r1] = 0 if n > 31 else self.g[r1] >> n
        return 0

    def op_SLL(self):
        n = self.ea_rs() & 63
        r1 = self.i1 >> 4
        self.g[r1] = 0 if n > 31 else (self.g[r1] << n) & MASK32
        return 0

    def op_SRA(self):
        n = self.ea_rs() & 63
        r1 = self.i1 >> 4
        v = s32(self.g[r1])
        v = (-1 if v < 0 else 0) if n > 31 else v >> n
        self.g[r1] = v & MASK32
        self.cc = cc_of(v)
        return 0

    def op_SLA(self):
        """Shift Left Single: the 31 numeric bits move, the sign stays; a
        bit unlike the sign shifted out is an overflow (PoO 7)."""
        n = self.ea_rs() & 63
        r1 = self.i1 >> 4
        res = self.shift_left_numeric(self.g[r1], n, 0x7FFFFFFF) & MASK32
        self.g[r1] = res
        if self.val:
            return self.fixed_overflow()
        self.cc = cc_of(s32(res))
        return 0

    def shift_left_numeric(self, v, n, numeric):
        """SLA and SLDA: the numeric bits of ``v`` (mask ``numeric``, 31 or
        63 bits) move left ``n`` places and the sign bit above them stays;
        a bit unlike the sign shifted out is an overflow (PoO 7, "Shift Left
        Single"), reported in self.val (1 or 0).  Returns the result."""
        sign_bit = numeric + 1
        sign = 1 if v & sign_bit else 0
        num = v & numeric
        over = 0
        for _ in range(n):
            num <<= 1
            if (1 if num & sign_bit else 0) != sign:
                over = 1
            num &= numeric
        self.val = over
        return (v & sign_bit) | num

    def pair(self, r1):
        return (zx(self.g[r1]) << 32) | self.g[r1 + 1]

    def set_pair(self, r1, v):
        self.g[r1] = (v >> 32) & MASK32
        self.g[r1 + 1] = v & MASK32

    def double_shift_operands(self):
        """SRDL SLDL SRDA SLDA shift the even-odd pair R1, R1+1: R1 must be
        even (specification, PoO 7 "Shift Left Double"); the shift amount,
        bits 26-31 of D2(B2), into self.val.  Returns 0 or the exception."""
        if (self.i1 >> 4) & 1:
            return PGM_SPECIFICATION
        self.val = self.ea_rs() & 63
        return 0

    def op_SRDL(self):
        code = self.double_shift_operands()
        if code:
            return code
        r1 = self.i1 >> 4
        n = self.val
        self.set_pair(r1, self.pair(r1) >> n)
        return 0

    def op_SLDL(self):
        code = self.double_shift_operands()
        if code:
            return code
        r1 = self.i1 >> 4
        n = self.val
        self.set_pair(r1, (self.pair(r1) << n) & MASK64)
        return 0

    def op_SRDA(self):
        code = self.double_shift_operands()
        if code:
            return code
        r1 = self.i1 >> 4
        n = self.val
        v = self.pair(r1)
        neg = v >> 63
        v = v >> n
        if neg and n:
            v |= (MASK64 << (64 - n)) & MASK64
        self.set_pair(r1, v)
        self.cc = 0 if v == 0 else (1 if neg else 2)
        return 0

    def op_SLDA(self):
        code = self.double_shift_operands()
        if code:
            return code
        r1 = self.i1 >> 4
        n = self.val
        res = self.shift_left_numeric(self.pair(r1), n, MASK64 >> 1)
        self.set_pair(r1, res)
        if self.val:
            return self.fixed_overflow()
        self.cc = 0 if res == 0 else (1 if res >> 63 else 2)
        return 0

    def register_list_operand(self, store, aligned):
        """The storage operand of STM LM STCTL LCTL: one word per register
        R1 up to R3, wrapping from 15 to 0 (PoO 7, "Load Multiple").  Checks
        alignment when ``aligned`` (the control-register forms) and access;
        the address into self.a1, the number of registers into self.l1."""
        a = self.ea_rs()
        if aligned and a & 3:
            return PGM_SPECIFICATION
        n = (((self.i1 & 15) - (self.i1 >> 4)) & 15) + 1
        self.a1 = a
        self.l1 = n
        return self.acc(a, 4 * n, store)

    def op_STM(self):
        code = self.register_list_operand(1, 0)
        if code:
            return code
        r1 = self.i1 >> 4
        for i in range(self.l1):
            self.wr4((self.a1 + 4 * i) & M24, self.g[(r1 + i) & 15])
        return 0

    def op_LM(self):
        code = self.register_list_operand(0, 0)
        if code:
            return code
        r1 = self.i1 >> 4
        for i in range(self.l1):
            self.g[(r1 + i) & 15] = self.rd4((self.a1 + 4 * i) & M24)
        return 0

    # ============================================== SI instructions
    def si_addr(self, store):
        """The SI first-operand address, access-checked; in self.val."""
        a = self.ea_rs()
        code = self.acc(a, 1, store)
        self.val = a
        return code

    def op_TM(self):
        code = self.si_addr(0)
        if code:
            return code
        mask = self.i1
        v = self.m[self.val] & mask
        self.cc = 0 if v == 0 else (3 if v == mask else 1)
        return 0

    def op_MVI(self):
        code = self.si_addr(1)
        if code:
            return code
        self.m[self.val] = self.i1
        return 0

    def op_TS(self):
        code = self.si_addr(1)
        if code:
            return code
        self.cc = self.m[self.val] >> 7
        self.m[self.val] = 0xFF
        return 0

    def op_NI(self):
        code = self.si_addr(1)
        if code:
            return code
        v = self.m[self.val] & self.i1
        self.m[self.val] = v
        self.cc = 1 if v else 0
        return 0

    def op_CLI(self):
        code = self.si_addr(0)
        if code:
            return code
        return self.compare_logical(self.m[self.val], self.i1)

    def op_OI(self):
        code = self.si_addr(1)
        if code:
            return code
        v = self.m[self.val] | self.i1
        self.m[self.val] = v
        self.cc = 1 if v else 0
        return 0

    def op_XI(self):
        code = self.si_addr(1)
        if code:
            return code
        v = self.m[self.val] ^ self.i1
        self.m[self.val] = v
        self.cc = 1 if v else 0
        return 0

    def op_MC(self):
        """Monitor Call (PoO 7): I2 bits 0-3 must be zero; when CR8 enables
        the class, a monitor-event program interruption, in EC mode with the
        class at X'95' and the monitor code (the address) at X'9C'."""
        if self.i1 & 0xF0:
            return PGM_SPECIFICATION
        cls = self.i1 & 15
        if not (self.c[8] >> (15 - cls)) & 1:
            return 0
        if self.ec:  # BC mode stores neither (checked against Hercules)
            self.m[LC_MONITOR_CLASS - 1] = 0
            self.m[LC_MONITOR_CLASS] = cls
            self.wr4(LC_MONITOR_CODE, self.ea_rs())
        return PGM_MONITOR_EVENT

    # ============================================== characters under mask
    def masked_operand(self, store):
        """The storage operand of ICM STCM CLM: one byte per one bit of the
        mask M3 (PoO 7, "Insert Characters under Mask"); with a zero mask
        nothing is accessed.  The address into self.a1, the length into
        self.l1, the bytes there (big-endian, right-aligned) into self.val;
        returns 0 or the access exception."""
        mask = self.i1 & 15
        self.a1 = self.ea_rs()
        self.l1 = (mask >> 3) + ((mask >> 2) & 1) + ((mask >> 1) & 1) + (mask & 1)
        self.val = 0
        if self.l1 == 0:
            return 0
        code = self.acc(self.a1, self.l1, store)
        if code:
            return code
        for i in range(self.l1):
            self.val = (self.val << 8) | self.m[(self.a1 + i) & M24]
        return 0

    def register_bytes_under_mask(self, v):
        """The bytes of ``v`` whose M3 mask bits are one, left to right,
        packed right-aligned (what STCM stores and CLM compares)."""
        mask = self.i1 & 15
        packed = 0
        for i in range(4):
            if (mask >> (3 - i)) & 1:
                packed = (packed << 8) | ((v >> (24 - 8 * i)) & 0xFF)
        return packed

    def op_ICM(self):
        code = self.masked_operand(0)
        if code:
            return code
        r1 = self.i1 >> 4
        mask = self.i1 & 15
        v = self.g[r1]
        left = self.l1
        for i in range(4):
            if (mask >> (3 - i)) & 1:
                left -= 1
                shift = 24 - 8 * i
                v = (v & ~(0xFF << shift) & MASK32) | (((self.val >> (8 * left)) & 0xFF) << shift)
        self.g[r1] = v
        # CC 0 all inserted bits zero, 1 the first of them one, 2 otherwise
        if self.val == 0:
            self.cc = 0
        else:
            self.cc = 1 if (self.val >> (8 * self.l1 - 1)) & 1 else 2
        return 0

    def op_STCM(self):
        code = self.masked_operand(1)
        if code:
            return code
        packed = self.register_bytes_under_mask(self.g[self.i1 >> 4])
        for i in range(self.l1):
            self.m[(self.a1 + i) & M24] = (packed >> (8 * (self.l1 - 1 - i))) & 0xFF
        return 0

    def op_CLM(self):
        # comparing the selected bytes left to right is comparing them as
        # one unsigned big-endian number
        code = self.masked_operand(0)
        if code:
            return code
        return self.compare_logical(self.register_bytes_under_mask(self.g[self.i1 >> 4]), self.val)

    # ============================================== CS, CDS, STCK
    def op_CS(self):
        """Compare and Swap (PoO 7): word-aligned operand, store-type access
        whether or not it is stored."""
        a = self.ea_rs()
        if a & 3:
            return PGM_SPECIFICATION
        code = self.acc(a, 4, 1)
        if code:
            return code
        r1 = self.i1 >> 4
        v = self.rd4(a)
        if v == self.g[r1]:
            self.wr4(a, self.g[self.i1 & 15])
            self.cc = 0
        else:
            self.g[r1] = v
            self.cc = 1
        return 0

    def op_CDS(self):
        a = self.ea_rs()
        r1 = self.i1 >> 4
        r3 = self.i1 & 15
        if (a & 7) or (r1 & 1) or (r3 & 1):
            return PGM_SPECIFICATION
        code = self.acc(a, 8, 1)
        if code:
            return code
        hi = self.rd4(a)
        lo = self.rd4((a + 4) & M24)
        if hi == self.g[r1] and lo == self.g[r1 + 1]:
            self.wr4(a, self.g[r3])
            self.wr4((a + 4) & M24, self.g[r3 + 1])
            self.cc = 0
        else:
            self.g[r1] = hi
            self.g[r1 + 1] = lo
            self.cc = 1
        return 0

    def op_STCK(self):
        a = self.ea_rs()
        code = self.acc(a, 8, 1)
        if code:
            return code
        self.wr8(a, self.tod())
        self.cc = 0
        return 0

    # ============================================== SS: storage to storage
    def ss_check(self, store1):
        """The operands of an SS instruction with one length (MVC MVN MVZ NC
        OC XC CLC): L+1 bytes each (into self.l1), addresses into self.a1 and
        self.a2; access checks for op1 (store or fetch) and op2 (fetch)."""
        self.l1 = self.i1 + 1
        self.a1 = self.ea_rs()
        self.a2 = self.ea_ss2()
        return self.acc(self.a1, self.l1, store1) or self.acc(self.a2, self.l1, 0)

    def op_MVC(self):
        code = self.ss_check(1)
        if code:
            return code
        n = self.l1
        d = self.a1
        s = self.a2
        if d + n <= 0x1000000 and s + n <= 0x1000000:
            for i in range(n):
                self.m[d + i] = self.m[s + i]
        else:
            for i in range(n):
                self.m[(d + i) & M24] = self.m[(s + i) & M24]
        return 0

    def move_half_bytes(self, moved):
        """MVN (``moved`` X'0F', the numeric half) and MVZ (X'F0', the zone
        half): those bits of each second-operand byte replace the same bits
        of the first operand, left to right (PoO 7, "Move Numerics")."""
        code = self.ss_check(1)
        if code:
            return code
        n = self.l1
        kept = moved ^ 0xFF
        for i in range(n):
            d = (self.a1 + i) & M24
            self.m[d] = (self.m[d] & kept) | (self.m[(self.a2 + i) & M24] & moved)
        return 0

    def op_MVN(self):
        return self.move_half_bytes(0x0F)

    def op_MVZ(self):
        return self.move_half_bytes(0xF0)

    def logical_ss(self, kind):
        """NC (0), OC (1), XC (2): CC 0 when the result is all zeros."""
        code = self.ss_check(1)
        if code:
            return code
        n = self.l1
        nz = 0
        for i in range(n):
            d = (self.a1 + i) & M24
            s = self.m[(self.a2 + i) & M24]
            if kind == 0:
                v = self.m[d] & s
            elif kind == 1:
                v = self.m[d] | s
            else:
                v = self.m[d] ^ s
            self.m[d] = v
            nz |= v
        self.cc = 1 if nz else 0
        return 0

    def op_NC(self):
        return self.logical_ss(0)

    def op_OC(self):
        return self.logical_ss(1)

    def op_XC(self):
        return self.logical_ss(2)

    def op_CLC(self):
        code = self.ss_check(0)
        if code:
            return code
        n = self.l1
        a1 = self.a1
        a2 = self.a2
        for i in range(n):
            b1 = self.m[(a1 + i) & M24]
            b2 = self.m[(a2 + i) & M24]
            if b1 != b2:
                self.cc = 1 if b1 < b2 else 2
                return 0
        self.cc = 0
        return 0

    def op_TR(self):
        """Translate (PoO 7): each op1 byte replaced by the table byte it
        indexes; only the table bytes used are accessed."""
        n = self.i1 + 1
        a1 = self.ea_rs()
        t = self.ea_ss2()
        code = self.acc(a1, n, 1)
        if code:
            return code
        for i in range(n):
            code = self.acc((t + self.m[(a1 + i) & M24]) & M24, 1, 0)
            if code:
                return code
        for i in range(n):
            d = (a1 + i) & M24
            self.m[d] = self.m[(t + self.m[d]) & M24]
        return 0

    def op_TRT(self):
        """Translate and Test (PoO 7): stop at the first nonzero function
        byte: its address to R1 bits 8-31, the byte to R2 bits 24-31; CC 1
        (not the last byte) or 2 (last byte); CC 0 when all are zero."""
        n = self.i1 + 1
        a1 = self.ea_rs()
        t = self.ea_ss2()
        code = self.acc(a1, n, 0)
        if code:
            return code
        for i in range(n):
            a = (a1 + i) & M24
            ta = (t + self.m[a]) & M24
            code = self.acc(ta, 1, 0)
            if code:
                return code
            f = self.m[ta]
            if f:
                self.g[1] = (self.g[1] & HIGH_BYTE) | a
                self.g[2] = whole((self.g[2] & NOT_LOW_BYTE) | f)
                self.cc = 2 if i == n - 1 else 1
                return 0
        self.cc = 0
        return 0

    # ============================================== control instructions
    def check_system_mask(self, old_mask):
        """EC-mode system-mask bits 0 and 2-4 must be zero (PoO 4); SSM,
        STNSM and STOSM that set one complete and then report a
        specification exception, the new mask in the old PSW (ILC 2, as
        Hercules does).  A mask that unmasks an interruption class sends
        the run loop to service() before the next instruction (one may be
        pending); one that keeps or narrows the masks runs on."""
        if self.sysmask & ~old_mask & 0xFF:
            self.horizon = 0
        if self.ec and (self.sysmask & 0xB8):
            return PGM_SPECIFICATION
        return 0

    def op_SSM(self):
        """Set System Mask: CR0 bit 1 (SSM suppression) makes it a
        special-operation exception (PoO 10)."""
        if (self.c[0] >> 30) & 1:
            return PGM_SPECIAL_OPERATION
        a = self.ea_rs()
        code = self.acc(a, 1, 0)
        if code:
            return code
        old_mask = self.sysmask
        self.sysmask = self.m[a]
        return self.check_system_mask(old_mask)

    def op_LPSW(self):
        code = self.dw_operand(0)
        if code:
            return code
        self.set_psw_value(self.rd8(self.val))
        return 0

    def op_DIAG(self):
        self.exit_r1 = self.i1 >> 4
        self.exit_r3 = self.i1 & 15
        self.exit_addr = self.ea_rs()
        self.exit_opcode = 0x83
        return EXITF + EXIT_DIAG

    def store_then(self, kind):
        a = self.ea_rs()
        code = self.acc(a, 1, 1)
        if code:
            return code
        old_mask = self.sysmask
        self.m[a] = old_mask
        if kind == 0:
            self.sysmask &= self.i1
        else:
            self.sysmask |= self.i1
        return self.check_system_mask(old_mask)

    def op_STNSM(self):
        return self.store_then(0)

    def op_STOSM(self):
        return self.store_then(1)

    def op_STCTL(self):
        code = self.register_list_operand(1, 1)
        if code:
            return code
        r1 = self.i1 >> 4
        for i in range(self.l1):
            self.wr4((self.a1 + 4 * i) & M24, self.c[(r1 + i) & 15])
        return 0

    def op_LCTL(self):
        code = self.register_list_operand(0, 1)
        if code:
            return code
        r1 = self.i1 >> 4
        for i in range(self.l1):
            self.c[(r1 + i) & 15] = self.rd4((self.a1 + 4 * i) & M24)
        self.horizon = 0
        return 0

    def key_block(self):
        """SSK/ISK operand: the 2K block addressed by R2 bits 8-20; R2 bits
        28-31 must be zero (PoO 10)."""
        a = self.g[self.i1 & 15]
        if a & 0x0F:
            return -PGM_SPECIFICATION
        a &= M24
        if a >= self.size:
            return -PGM_ADDRESSING
        return a >> 11

    def op_SSK(self):
        b = self.key_block()
        if b < 0:
            return -b
        self.k[b] = self.g[self.i1 >> 4] & 0xFE
        self.forget_checked_block(b)
        return 0

    def op_ISK(self):
        b = self.key_block()
        if b < 0:
            return -b
        r1 = self.i1 >> 4
        # BC mode inserts the access-control and fetch-protection bits only,
        # bits 29-31 zero (System/360 compatible); EC mode adds reference
        # and change (checked against Hercules)
        key = self.k[b] & (0xFE if self.ec else 0xF8)
        self.g[r1] = whole((self.g[r1] & NOT_LOW_BYTE) | key)
        return 0

    def op_STIDP(self):
        code = self.dw_operand(1)
        if code:
            return code
        self.wr4(self.val, (CPU_VERSION << 24) | CPU_SERIAL)
        self.wr4((self.val + 4) & M24, CPU_MODEL << 16)
        return 0

    def dw_operand(self, store):
        """A doubleword-aligned control operand (LPSW STIDP SCK SCKC STCKC
        SPT STPT): specification when not on a doubleword boundary (PoO 10),
        then access; the address in self.val."""
        a = self.ea_rs()
        if a & 7:
            return PGM_SPECIFICATION
        self.val = a
        return self.acc(a, 8, store)

    def op_SCK(self):
        code = self.dw_operand(0)
        if code:
            return code
        self.tod_offset = (self.rd8(self.val) - self.now() * TOD_PER_TICK) & MASK64
        self.cc = 0
        self.horizon = 0
        return 0

    def op_SCKC(self):
        code = self.dw_operand(0)
        if code:
            return code
        self.ckc = self.rd8(self.val)
        self.horizon = 0
        return 0

    def op_STCKC(self):
        code = self.dw_operand(1)
        if code:
            return code
        self.wr8(self.val, self.ckc)
        return 0

    def op_SPT(self):
        code = self.dw_operand(0)
        if code:
            return code
        v = self.rd8(self.val)
        self.cpt_base = s64(v)
        self.cpt_time = self.now()
        self.horizon = 0
        return 0

    def op_STPT(self):
        code = self.dw_operand(1)
        if code:
            return code
        self.wr8(self.val, self.cpu_timer() & MASK64)
        return 0

    def op_SIGP(self):
        """Signal Processor (PoO 10): this machine has one CPU, address 0;
        any other address is not operational (CC 3).  Orders to itself:
        sense (1), external call (2), emergency signal (3) and start (4)
        are accepted (CC 0), the calls becoming pending external
        interruptions; stop (5, 9) and restart (6) act on this CPU; the
        reset orders (7, 8, 10-12) are accepted without effect.
        "Status Bits": status replaces R1 with CC 1 - X'00000002' invalid
        order for an unassigned one; X'00000080' external call pending for
        sense (which shows every condition) and for an external call, which
        that pending call precludes."""
        order = self.ea_rs() & 0xFF
        if self.g[self.i1 & 15] & 0xFFFF:
            self.cc = 3
            return 0
        status = 0
        if order == 0 or order > 12:
            status = SIGP_INVALID_ORDER
        elif (order == 1 or order == 2) and self.ext_pending & PENDING_EXTERNAL_CALL:
            status = SIGP_EXTERNAL_CALL_PENDING
        if status:
            self.g[self.i1 >> 4] = status
            self.cc = 1
            return 0
        if order == 2:
            self.ext_pending |= PENDING_EXTERNAL_CALL
            self.horizon = 0
        elif order == 3:
            self.ext_pending |= PENDING_EMERGENCY_SIGNAL
            self.horizon = 0
        elif order == 5 or order == 9:
            self.stop_req = 1
            self.horizon = 0
        elif order == 6:
            self.restart_req = 1
            self.horizon = 0
        self.cc = 0
        return 0

    def op_LRA(self):
        """Load Real Address (PoO 10): translate the second-operand address
        through the tables CR0 and CR1 designate, whatever PSW bit 5 says.
        CC 0 real address in R1; 1 segment-table entry invalid; 2 page-table
        length violation or page invalid; 3 segment-table length violation
        (R1 then holds the address of the table entry concerned)."""
        r1 = self.i1 >> 4
        code = self.translate(self.ea_rx())
        if code < 0:
            return -code
        self.g[r1] = self.val
        self.cc = code
        return 0

    def translate(self, va):
        """S/370 DAT table walk (PoO 3, "Dynamic Address Translation").
        Returns the LRA condition code with the real address (CC 0) or the
        table-entry address (CC 1-3) in self.val, or -code for a
        translation-specification or addressing exception.  CR0 bits 8-9
        page size (01 2K, 10 4K), bits 11-12 segment size (00 64K, 10 1M);
        CR1 bits 0-7 segment-table length in 64-byte units less one, bits
        8-25 the segment-table origin."""
        c0 = self.c[0]
        c1 = self.c[1]
        ps = (c0 >> 22) & 3
        ss = (c0 >> 19) & 7
        if (ps != 1 and ps != 2) or (ss != 0 and ss != 2):
            return -PGM_TRANSLATION_SPEC
        page_bits = 12 if ps == 2 else 11
        seg_bits = 16 if ss == 0 else 20
        sx = va >> seg_bits
        px = (va >> page_bits) & ((1 << (seg_bits - page_bits)) - 1)
        ste_addr = ((c1 & 0x00FFFFC0) + sx * 4) & M24
        if (sx >> 4) > (c1 >> 24):
            self.val = ste_addr
            return 3
        if ste_addr + 4 > self.size:
            return -PGM_ADDRESSING
        ste = self.rd4(ste_addr)
        if ste & 1:
            self.val = ste_addr
            return 1
        if ste & 0x0F000006:
            return -PGM_TRANSLATION_SPEC
        pte_addr = ((ste & 0x00FFFFF8) + px * 2) & M24
        if (px >> (seg_bits - page_bits - 4)) > (ste >> 28):
            self.val = pte_addr
            return 2
        if pte_addr + 2 > self.size:
            return -PGM_ADDRESSING
        pte = self.rd2(pte_addr)
        if page_bits == 12:
            invalid = (pte >> 3) & 1
            bad = pte & 6
            frame = pte >> 4
        else:
            invalid = (pte >> 2) & 1
            bad = pte & 2
            frame = pte >> 3
        if invalid:
            self.val = pte_addr
            return 2
        if bad:
            return -PGM_TRANSLATION_SPEC
        self.val = ((frame << page_bits) | (va & ((1 << page_bits) - 1))) & M24
        return 0

    def op_PTLB(self):
        """Purge TLB: there is no translation-lookaside buffer to purge."""
        return 0

    def op_RRB(self):
        """Reset Reference Bit (PoO 10): CC = reference bit * 2 + change bit."""
        a = self.ea_rs()
        if a >= self.size:
            return PGM_ADDRESSING
        b = a >> 11
        sk = self.k[b]
        self.cc = ((sk >> 2) & 1) * 2 + ((sk >> 1) & 1)
        self.k[b] = sk & 0xFB
        self.forget_checked_block(b)
        return 0

    def io_exit(self, opcode):
        """The I/O instructions are CP's (VM/370 simulates every one): leave
        run() with EXIT_IO, the opcode and the effective address whose bits
        16-31 are the device address (PoO 13, "Input/Output Instructions")."""
        self.exit_opcode = opcode
        self.exit_addr = self.ea_rs()
        return EXITF + EXIT_IO

    def op_SIO(self):
        return self.io_exit(0x9C00)

    def op_SIOF(self):
        return self.io_exit(0x9C01)

    def op_TIO(self):
        return self.io_exit(0x9D00)

    def op_CLRIO(self):
        return self.io_exit(0x9D01)

    def op_HIO(self):
        return self.io_exit(0x9E00)

    def op_HDV(self):
        return self.io_exit(0x9E01)

    def op_TCH(self):
        return self.io_exit(0x9F00)

    def op_STIDC(self):
        return self.io_exit(0xB203)

    # ============================================== decimal (s390/decimal.py)
    def decimal_result(self, rc, overflow_check):
        """Turn a decimal-library return into CC / interruption code."""
        if rc < 0:
            return -rc
        self.cc = rc
        if overflow_check and rc == 3 and self.pmask & PM_DECIMAL_OVERFLOW:
            return PGM_DECIMAL_OVERFLOW
        return 0

    def ss2_check(self, store1):
        """SS2 operands: lengths into self.l1/self.l2, addresses a1/a2."""
        self.l1 = (self.i1 >> 4) + 1
        self.l2 = (self.i1 & 15) + 1
        self.a1 = self.ea_rs()
        self.a2 = self.ea_ss2()
        return self.acc(self.a1, self.l1, store1) or self.acc(self.a2, self.l2, 0)

    def decimal_ss2(self, which):
        """AP SP ZAP CP MP DP PACK UNPK MVO through s390/decimal.py (C
        functions without the GIL when compiled, like s390/hfp.py)."""
        code = self.ss2_check(0 if which == 3 else 1)
        if code:
            return code
        rc = self.decimal_call(which)
        if which <= 2:
            return self.decimal_result(rc, 1)
        if which == 3:
            return self.decimal_result(rc, 0)
        return -rc if rc < 0 else 0

    def decimal_call(self, which):
        a1 = self.a1
        l1 = self.l1
        a2 = self.a2
        l2 = self.l2
        if which == 0:
            return _decimal.ap(self.m, a1, l1, a2, l2)
        if which == 1:
            return _decimal.sp(self.m, a1, l1, a2, l2)
        if which == 2:
            return _decimal.zap(self.m, a1, l1, a2, l2)
        if which == 3:
            return _decimal.cp(self.m, a1, l1, a2, l2)
        if which == 4:
            return _decimal.mp(self.m, a1, l1, a2, l2)
        if which == 5:
            return _decimal.dp(self.m, a1, l1, a2, l2)
        if which == 6:
            return _decimal.pack(self.m, a1, l1, a2, l2)
        if which == 7:
            return _decimal.unpk(self.m, a1, l1, a2, l2)
        return _decimal.mvo(self.m, a1, l1, a2, l2)

    def op_AP(self):
        return self.decimal_ss2(0)

    def op_SP(self):
        return self.decimal_ss2(1)

    def op_ZAP(self):
        return self.decimal_ss2(2)

    def op_CP(self):
        return self.decimal_ss2(3)

    def op_MP(self):
        return self.decimal_ss2(4)

    def op_DP(self):
        return self.decimal_ss2(5)

    def op_PACK(self):
        return self.decimal_ss2(6)

    def op_UNPK(self):
        return self.decimal_ss2(7)

    def op_MVO(self):
        return self.decimal_ss2(8)

    def op_SRP(self):
        """Shift and Round Decimal: the shift is the low 6 bits of the
        second-operand address, signed; I3 is the rounding digit."""
        l1 = (self.i1 >> 4) + 1
        a1 = self.ea_rs()
        shift = self.ea_ss2() & 63
        if shift >> 5:
            shift -= 64
        code = self.acc(a1, l1, 1)
        if code:
            return code
        rc = _decimal.srp(self.m, a1, l1, shift, self.i1 & 15)
        return self.decimal_result(rc, 1)

    def edit(self, mark):
        """ED/EDMK: the pattern (op1) is checked for store, the source for
        exactly the bytes the pattern's digit selectors will consume."""
        n = self.i1 + 1
        a1 = self.ea_rs()
        a2 = self.ea_ss2()
        code = self.acc(a1, n, 1)
        if code:
            return code
        code = self.edit_source_check(a1, n, a2)
        if code:
            return code
        if mark:
            rc = _decimal.edmk(self.m, a1, n, a2)
        else:
            rc = _decimal.edit(self.m, a1, n, a2, 0)
        if rc < 0:
            # a data exception ended it; EDMK has already marked (as Hercules)
            if mark and (-rc) >> 8:
                self.g[1] = (self.g[1] & HIGH_BYTE) | ((((-rc) >> 8) - 1) & M24)
            return (-rc) & 0xFF
        self.cc = rc & 3
        if mark and (rc >> 2):
            self.g[1] = (self.g[1] & HIGH_BYTE) | (((rc >> 2) - 1) & M24)
        return 0

    def edit_source_check(self, a1, n, a2):
        """Access-check the source bytes an edit uses (PoO 8, "Edit"): each
        digit selector or significance starter takes the next digit; a
        source byte supplies its left digit and, unless its right half is a
        sign code, its right digit to the next selector.  A left half that
        is not a digit ends the edit there (the data exception is the
        library's to report)."""
        src = 0
        pending = 0
        for i in range(n):
            p = self.m[(a1 + i) & M24]
            if p != 0x20 and p != 0x21:
                continue
            if pending:
                pending = 0
                continue
            a = (a2 + src) & M24
            code = self.acc(a, 1, 0)
            if code:
                return code
            b = self.m[a]
            src += 1
            if (b >> 4) > 9:
                return 0
            if (b & 15) <= 9:
                pending = 1
        return 0

    def op_ED(self):
        return self.edit(0)

    def op_EDMK(self):
        return self.edit(1)

    def op_CVB(self):
        a = self.ea_rx()
        code = self.acc(a, 8, 0)
        if code:
            return code
        v = _decimal.cvb(self.m, a)
        if v == CVB_INVALID:
            return PGM_DATA
        # A value outside 32 bits: the rightmost 32 bits of the binary
        # result are placed in R1 and fixed-point divide is recognised
        # (as Hercules' S/370 mode does; checked against it).
        self.g[self.i1 >> 4] = v & MASK32
        if v > 0x7FFFFFFF or v < -0x7FFFFFFF - 1:
            return PGM_FIXED_DIVIDE
        return 0

    def op_CVD(self):
        a = self.ea_rx()
        code = self.acc(a, 8, 1)
        if code:
            return code
        _decimal.cvd(self.m, a, s32(self.g[self.i1 >> 4]))
        return 0

    # ============================================== floating point (s390/hfp.py)
    def hfp_result(self, rc):
        """Decode an hfp return: CC (4 = unchanged), interruption code."""
        cc = rc & 0xF
        if cc < 4:
            self.cc = cc
        return (rc >> 8) & 0xFF

    def float_rr(self, op):
        """An RR floating-point instruction, computed by s390/hfp.py (which
        checks the register numbers)."""
        rc = _hfp.float_rr(self.f, op, self.i1 >> 4, self.i1 & 15, self.pmask)
        return self.hfp_result(rc)

    def float_rx(self, op, short):
        """An RX floating-point instruction: fetch the 4- or 8-byte operand
        and hand it to s390/hfp.py."""
        r1 = self.i1 >> 4
        if r1 & 9:
            return PGM_SPECIFICATION
        a = self.ea_rx()
        code = self.acc(a, 4 if short else 8, 0)
        if code:
            return code
        v = self.rd4(a) if short else self.rd8(a)
        rc = _hfp.float_rx(self.f, op, r1, v, self.pmask)
        return self.hfp_result(rc)

    def op_LER(self):
        r1 = self.i1 >> 4
        r2 = self.i1 & 15
        if (r1 & 9) or (r2 & 9):
            return PGM_SPECIFICATION
        self.f[r1 >> 1] = whole64(
            (self.f[r1 >> 1] & MASK32) | (self.f[r2 >> 1] & (MASK64 ^ MASK32))
        )
        return 0

    def op_LDR(self):
        r1 = self.i1 >> 4
        r2 = self.i1 & 15
        if (r1 & 9) or (r2 & 9):
            return PGM_SPECIFICATION
        self.f[r1 >> 1] = self.f[r2 >> 1]
        return 0

    def float_storage_operand(self, n, store):
        """LE LD STE STD: R1 must be floating-point register 0, 2, 4 or 6
        (PoO 9, "Floating-Point Registers"); then the ``n``-byte operand at
        D2(X2,B2) is access-checked.  The address into self.a1."""
        if (self.i1 >> 4) & 9:
            return PGM_SPECIFICATION
        self.a1 = self.ea_rx()
        return self.acc(self.a1, n, store)

    def op_LE(self):
        code = self.float_storage_operand(4, 0)
        if code:
            return code
        fr = self.i1 >> 5
        self.f[fr] = whole64((self.f[fr] & MASK32) | (zx(self.rd4(self.a1)) << 32))
        return 0

    def op_LD(self):
        code = self.float_storage_operand(8, 0)
        if code:
            return code
        self.f[self.i1 >> 5] = self.rd8(self.a1)
        return 0

    def op_STE(self):
        code = self.float_storage_operand(4, 1)
        if code:
            return code
        self.wr4(self.a1, (self.f[self.i1 >> 5] >> 32) & MASK32)
        return 0

    def op_STD(self):
        code = self.float_storage_operand(8, 1)
        if code:
            return code
        self.wr8(self.a1, self.f[self.i1 >> 5])
        return 0

    def op_LPDR(self):
        """Load Positive (long)."""
        return self.float_rr(0x20)

    def op_LNDR(self):
        """Load Negative (long)."""
        return self.float_rr(0x21)

    def op_LTDR(self):
        """Load and Test (long)."""
        return self.float_rr(0x22)

    def op_LCDR(self):
        """Load Complement (long)."""
        return self.float_rr(0x23)

    def op_HDR(self):
        """Halve (long)."""
        return self.float_rr(0x24)

    def op_LRDR(self):
        """Load Rounded (extended to long)."""
        return self.float_rr(0x25)

    def op_MXR(self):
        """Multiply (extended)."""
        return self.float_rr(0x26)

    def op_MXDR(self):
        """Multiply (long to extended)."""
        return self.float_rr(0x27)

    def op_CDR(self):
        """Compare (long)."""
        return self.float_rr(0x29)

    def op_ADR(self):
        """Add Normalized (long)."""
        return self.float_rr(0x2A)

    def op_SDR(self):
        """Subtract Normalized (long)."""
        return self.float_rr(0x2B)

    def op_MDR(self):
        """Multiply (long)."""
        return self.float_rr(0x2C)

    def op_DDR(self):
        """Divide (long)."""
        return self.float_rr(0x2D)

    def op_AWR(self):
        """Add Unnormalized (long)."""
        return self.float_rr(0x2E)

    def op_SWR(self):
        """Subtract Unnormalized (long)."""
        return self.float_rr(0x2F)

    def op_LPER(self):
        """Load Positive (short)."""
        return self.float_rr(0x30)

    def op_LNER(self):
        """Load Negative (short)."""
        return self.float_rr(0x31)

    def op_LTER(self):
        """Load and Test (short)."""
        return self.float_rr(0x32)

    def op_LCER(self):
        """Load Complement (short)."""
        return self.float_rr(0x33)

    def op_HER(self):
        """Halve (short)."""
        return self.float_rr(0x34)

    def op_LRER(self):
        """Load Rounded (long to short)."""
        return self.float_rr(0x35)

    def op_AXR(self):
        """Add Normalized (extended)."""
        return self.float_rr(0x36)

    def op_SXR(self):
        """Subtract Normalized (extended)."""
        return self.float_rr(0x37)

    def op_CER(self):
        """Compare (short)."""
        return self.float_rr(0x39)

    def op_AER(self):
        """Add Normalized (short)."""
        return self.float_rr(0x3A)

    def op_SER(self):
        """Subtract Normalized (short)."""
        return self.float_rr(0x3B)

    def op_MER(self):
        """Multiply (short to long)."""
        return self.float_rr(0x3C)

    def op_DER(self):
        """Divide (short)."""
        return self.float_rr(0x3D)

    def op_AUR(self):
        """Add Unnormalized (short)."""
        return self.float_rr(0x3E)

    def op_SUR(self):
        """Subtract Unnormalized (short)."""
        return self.float_rr(0x3F)

    def op_MXD(self):
        """Multiply (long to extended)."""
        return self.float_rx(0x67, 0)

    def op_CD(self):
        """Compare (long)."""
        return self.float_rx(0x69, 0)

    def op_AD(self):
        """Add Normalized (long)."""
        return self.float_rx(0x6A, 0)

    def op_SD(self):
        """Subtract Normalized (long)."""
        return self.float_rx(0x6B, 0)

    def op_MD(self):
        """Multiply (long)."""
        return self.float_rx(0x6C, 0)

    def op_DD(self):
        """Divide (long)."""
        return self.float_rx(0x6D, 0)

    def op_AW(self):
        """Add Unnormalized (long)."""
        return self.float_rx(0x6E, 0)

    def op_SW(self):
        """Subtract Unnormalized (long)."""
        return self.float_rx(0x6F, 0)

    def op_CE(self):
        """Compare (short)."""
        return self.float_rx(0x79, 1)

    def op_AE(self):
        """Add Normalized (short)."""
        return self.float_rx(0x7A, 1)

    def op_SE(self):
        """Subtract Normalized (short)."""
        return self.float_rx(0x7B, 1)

    def op_ME(self):
        """Multiply (short to long)."""
        return self.float_rx(0x7C, 1)

    def op_DE(self):
        """Divide (short)."""
        return self.float_rx(0x7D, 1)

    def op_AU(self):
        """Add Unnormalized (short)."""
        return self.float_rx(0x7E, 1)

    def op_SU(self):
        """Subtract Unnormalized (short)."""
        return self.float_rx(0x7F, 1)


class Registers:
    """``CPU.gpr``: the 16 general registers as a sequence of unsigned
    32-bit words, read and set by index (a slice reads a list): DISPLAY and
    STORE, DIAGNOSE, IPL and the tests.  Compiled, the registers are an
    array inside the CPU object (the run loop reaches them at a fixed
    offset), so this view stands where an array of them used to."""

    def __init__(self, cpu):
        self.cpu = cpu

    def index(self, i):
        """Register number ``i`` (-16 to 15, as a sequence counts) as 0-15."""
        r = operator.index(i)
        if r < 0:
            r += 16
        if not 0 <= r < 16:
            raise IndexError("register number out of range")
        return r

    def __len__(self):
        return 16

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self.cpu.g[r] for r in range(*i.indices(16))]
        return self.cpu.g[self.index(i)]

    def __setitem__(self, i, value):
        if not 0 <= value <= MASK32:
            raise OverflowError(f"register value out of range: {value}")
        self.cpu.g[self.index(i)] = value

    def __iter__(self):
        return iter(self[:])

    def __repr__(self):
        return "Registers(" + " ".join(f"{v:08X}" for v in self) + ")"


# The exit and trace constants are C variables of the compiled module, which
# Python does not see; the module dict gets their values so that
# ``from s390.cpu import EXIT_STOP`` works in both builds (s390.exits is
# where they are defined).
globals().update(_exits.PUBLIC)
