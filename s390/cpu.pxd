# Types for s390/cpu.py (Cython pure-Python mode).  Every constant >= 2**31
# is a C variable here so that arithmetic with it stays in C; the masks are
# C literals, so that the compiler folds them into the instructions.
cimport cython
from libc.stdint cimport uint8_t, uint32_t, uint64_t, int64_t
from s390 cimport decimal as _decimal
from s390 cimport hfp as _hfp

cdef extern from *:
    """
    #define VM370_MASK32 0xFFFFFFFFu
    #define VM370_SIGN32 0x80000000u
    #define VM370_HIGH_BYTE 0xFF000000u
    #define VM370_HIGH_HALF 0xFFFF0000u
    #define VM370_NOT_LOW_BYTE 0xFFFFFF00u
    #define VM370_M24 0xFFFFFFu
    #define VM370_MASK64 0xFFFFFFFFFFFFFFFFull
    #define VM370_TWO32 0x100000000ll
    #define VM370_UNLIKELY(x) __builtin_expect(!!(x), 0)
    /* x, which the C compiler cannot see through: a register image built
       from its old value is stored whole, not as a byte store into it (a
       word load of it soon after would wait for that byte to reach the
       cache: the store cannot be forwarded). */
    static inline uint32_t vm370_whole(uint32_t x) { __asm__("" : "+r"(x)); return x; }
    static inline uint64_t vm370_whole64(uint64_t x) { __asm__("" : "+r"(x)); return x; }
    #include <string.h>
    static inline uint64_t vm370_be64(const char *p) {
        uint64_t v; memcpy(&v, p, 8); return __builtin_bswap64(v);
    }
    static inline uint32_t vm370_be32(const char *p) {
        uint32_t v; memcpy(&v, p, 4); return __builtin_bswap32(v);
    }
    /* MVC's move: left to right a byte at a time (PoO 7), so a destination
       that starts inside the source propagates; otherwise as memmove.  Up
       to 16 bytes that do not overlap move as two (overlapping) words. */
    static inline void vm370_move_bytes(char *m, uint32_t d, uint32_t s, uint32_t n) {
        if (VM370_UNLIKELY(d - s - 1 < n - 1)) {  /* s < d < s + n, one test */
            for (uint32_t i = 0; i < n; i++) m[d + i] = m[s + i];
        } else if (n <= 16 && n >= 4) {
            /* every byte loaded before any is stored: as memmove */
            if (n >= 8) {
                uint64_t x, y;
                memcpy(&x, m + s, 8); memcpy(&y, m + s + n - 8, 8);
                memcpy(m + d, &x, 8); memcpy(m + d + n - 8, &y, 8);
            } else {
                uint32_t x, y;
                memcpy(&x, m + s, 4); memcpy(&y, m + s + n - 4, 4);
                memcpy(m + d, &x, 4); memcpy(m + d + n - 4, &y, 4);
            }
        } else {
            memmove(m + d, m + s, n);
        }
    }
    /* <0, 0, >0 as memcmp; 4 to 16 bytes as two big-endian words each
       (a first and a last word: together every byte, in order). */
    static inline int vm370_compare_bytes(const char *m, uint32_t a, uint32_t b, uint32_t n) {
        uint64_t x, y;
        if (n >= 8 && n <= 16) {
            x = vm370_be64(m + a); y = vm370_be64(m + b);
            if (x == y && n > 8) { x = vm370_be64(m + a + n - 8); y = vm370_be64(m + b + n - 8); }
        } else if (n >= 4 && n < 8) {
            x = ((uint64_t)vm370_be32(m + a) << 32) | vm370_be32(m + a + n - 4);
            y = ((uint64_t)vm370_be32(m + b) << 32) | vm370_be32(m + b + n - 4);
        } else {
            return memcmp(m + a, m + b, n);
        }
        return x == y ? 0 : (x < y ? -1 : 1);
    }
    #define VM370_MOVE_BYTES(m, d, s, n) vm370_move_bytes((m).data, (d), (s), (n))
    #define VM370_COMPARE_BYTES(m, a, b, n) vm370_compare_bytes((m).data, (a), (b), (n))
    #define VM370_CLEAR_BYTES(m, a, n) memset((m).data + (a), 0, (n))
    #define VM370_CLEAR_ARRAY(p, n) memset((p), 0, (n))
    static inline uint32_t vm370_load2(const char *p) {
        uint16_t v; memcpy(&v, p, 2); return __builtin_bswap16(v);
    }
    static inline uint32_t vm370_load4(const char *p) {
        uint32_t v; memcpy(&v, p, 4); return __builtin_bswap32(v);
    }
    static inline void vm370_store2(char *p, uint32_t v) {
        uint16_t w = __builtin_bswap16((uint16_t)v); memcpy(p, &w, 2);
    }
    static inline void vm370_store4(char *p, uint32_t v) {
        v = __builtin_bswap32(v); memcpy(p, &v, 4);
    }
    /* The compiled run loop: CPU.run_fast's loop (s390/cpu.py) in threaded
       form.  Every fast form's label (s390/_threaded.h, generated from the
       opcode table) ends in its own copy of the loop's head, VM370_NEXT: the
       budget, the fetch block and an indirect jump to the next instruction's
       label, which the processor's branch prediction then learns per
       operation code (one shared jump mispredicts far more).  The vm370_*
       functions are the loop's state in the CPU (s390/cpu.pxd, after the
       class); the steps are run_fast's, line for line, but for the fetch
       block, held as its last instruction address (limit, the block's
       address + X'7FA').  The test that ia lies in the block, ia - base <=
       X'7FA', is then limit - ia <= X'7FA' (VM370_NEXT); after a fast form
       that goes on to the next instruction (VM370_SEQUENTIAL_FORM: all but
       the branches, the PSW swaps and the six-byte instructions, whose next
       address can wrap to 0; s390/_gen.py) ia >= base holds, and
       the test is one compare, ia <= limit (VM370_NEXT_SEQUENTIAL).  The
       operation of the last instruction a fast form ran (last, for its ILC)
       is needed only where the loop ends at the budget: a label sets it on
       that way out, not at every instruction (as in run_fast, the way to
       step() does not need it: step() sets the ILC itself). */
    #define VM370_NEXT_IF_IN(op, outside) do { \
            ia = (uint32_t)nxt; \
            count++; \
            if (VM370_UNLIKELY(count >= vm370_horizon(cpu_))) { last = (op); goto vm370_out; } \
            if (VM370_UNLIKELY(outside)) goto vm370_other_block; \
            goto *vm370_fast_labels[vm370_storage(cpu_)[ia]]; \
        } while (0)
    #define VM370_NEXT(op) VM370_NEXT_IF_IN(op, (uint32_t)(limit - ia) > 0x7FA)
    #define VM370_NEXT_SEQUENTIAL(op) VM370_NEXT_IF_IN(op, ia > limit)
    #define VM370_RUN_FORM(form) \
        nxt = form(cpu_, ia); \
        if (VM370_UNLIKELY(nxt < 0)) goto vm370_slow
    #define VM370_FAST_FORM(op, form) VM370_RUN_FORM(form); VM370_NEXT(op)
    #define VM370_SEQUENTIAL_FORM(op, form) VM370_RUN_FORM(form); VM370_NEXT_SEQUENTIAL(op)
    /* A branch taken (CPU.taken): the loop goes on at the address the branch
       computed from a register (late: the next instruction's decoding waits
       for it) by way of a value equal to it that is known early, the
       address the branch at ia went to last time (a guess per branch
       address), chosen by a compare the processor predicts.  The
       instructions after the branch then start before its address is
       computed (a loop's closing BCT, above all).  The value is the
       computed address in every case. */
    static inline int64_t vm370_predicted(uint32_t *guesses, uint32_t ia, int64_t target) {
        uint32_t *slot = guesses + ((ia >> 1) & 255);
        uint32_t guess = *slot;
        if (__builtin_expect(target == (int64_t)guess, 1)) {
            __asm__("" : "+r"(guess));  /* the guess, not the computation */
            return guess;
        }
        *slot = (uint32_t)target;
        return target;
    }
    #define VM370_RUN_THREADED(cpu) ({ \
        __typeof__(cpu) cpu_ = (cpu); \
        static void *const vm370_fast_labels[256] = VM370_FAST_LABELS; \
        uint32_t ia = vm370_ia(cpu_); \
        uint32_t limit = vm370_fetch_base(cpu_) + 0x7FA; \
        int64_t count = vm370_instructions(cpu_) - 1; \
        int64_t nxt = ia; \
        int last = -1; \
        int reason = 0; \
        VM370_NEXT(-1); \
      vm370_other_block: \
        limit = vm370_other_fetch_base(cpu_, ia) + 0x7FA; \
        if ((uint32_t)(limit - ia) <= 0x7FA) \
            goto *vm370_fast_labels[vm370_storage(cpu_)[ia]]; \
      vm370_slow: \
        vm370_leave_fast(cpu_, ia, count, -1); \
        reason = vm370_step(cpu_); \
        if (reason) \
            goto vm370_done; \
        nxt = vm370_ia(cpu_); \
        count = vm370_instructions(cpu_) - 1; \
        limit = vm370_fetch_base(cpu_) + 0x7FA; \
        VM370_NEXT(-1); \
        VM370_FAST_FORMS \
      vm370_out: \
        vm370_leave_fast(cpu_, ia, count, last); \
      vm370_done: \
        reason; \
    })
    #define VM370_LOAD2(m, a) vm370_load2((m).data + (a))
    #define VM370_LOAD4(m, a) vm370_load4((m).data + (a))
    #define VM370_STORE2(m, a, v) vm370_store2((m).data + (a), (v))
    #define VM370_STORE4(m, a, v) vm370_store4((m).data + (a), (v))
    """
    uint32_t load2 "VM370_LOAD2"(uint8_t[::1] m, uint32_t a) noexcept nogil
    uint32_t load4 "VM370_LOAD4"(uint8_t[::1] m, uint32_t a) noexcept nogil
    void store2 "VM370_STORE2"(uint8_t[::1] m, uint32_t a, uint32_t v) noexcept nogil
    void store4 "VM370_STORE4"(uint8_t[::1] m, uint32_t a, uint32_t v) noexcept nogil
    void move_bytes "VM370_MOVE_BYTES"(uint8_t[::1] m, uint32_t d, uint32_t s, uint32_t n) noexcept nogil
    int compare_bytes "VM370_COMPARE_BYTES"(uint8_t[::1] m, uint32_t a, uint32_t b, uint32_t n) noexcept nogil
    void clear_bytes "VM370_CLEAR_BYTES"(uint8_t[::1] m, uint32_t a, uint32_t n) noexcept nogil
    void clear_array "VM370_CLEAR_ARRAY"(uint8_t *p, uint32_t n) noexcept nogil
    bint unlikely "VM370_UNLIKELY"(bint) noexcept nogil
    uint32_t whole "vm370_whole"(uint32_t) noexcept nogil
    uint64_t whole64 "vm370_whole64"(uint64_t) noexcept nogil
    int64_t predicted "vm370_predicted"(uint32_t *guesses, uint32_t ia, int64_t target) noexcept nogil
    const uint32_t MASK32 "VM370_MASK32"
    const uint32_t SIGN32 "VM370_SIGN32"
    const uint32_t HIGH_BYTE "VM370_HIGH_BYTE"
    const uint32_t HIGH_HALF "VM370_HIGH_HALF"
    const uint32_t NOT_LOW_BYTE "VM370_NOT_LOW_BYTE"
    const uint32_t M24 "VM370_M24"
    const uint64_t MASK64 "VM370_MASK64"
    const int64_t TWO32 "VM370_TWO32"
cdef int64_t CVB_INVALID
cdef int EXIT_BUDGET, EXIT_IO, EXIT_DIAG, EXIT_SVC, EXIT_PROGRAM, EXIT_WAIT
cdef int EXIT_DISABLED_WAIT, EXIT_STOP, EXIT_PGM_LOOP, EXITF
cdef uint32_t QUICK_TAG
cdef int PGM_OPERATION, PGM_PRIVILEGED, PGM_EXECUTE, PGM_PROTECTION, PGM_ADDRESSING
cdef int PGM_SPECIFICATION, PGM_DATA, PGM_FIXED_OVERFLOW, PGM_FIXED_DIVIDE
cdef int PGM_DECIMAL_OVERFLOW, PGM_SPECIAL_OPERATION, PGM_MONITOR_EVENT, PGM_TRANSLATION_SPEC
cdef int EXT_EMERGENCY_SIGNAL, EXT_EXTERNAL_CALL, EXT_CLOCK_COMPARATOR, EXT_CPU_TIMER
cdef int PENDING_EMERGENCY_SIGNAL, PENDING_EXTERNAL_CALL, EXT_VMCF, PENDING_VMCF
cdef uint32_t PM_FIXED_OVERFLOW, PM_DECIMAL_OVERFLOW
cdef uint32_t SIGP_EXTERNAL_CALL_PENDING, SIGP_INVALID_ORDER
cdef int64_t TOD_PER_TICK, TIMER_CHECK, INTERRUPT_BURST, TIME_LIMIT
cdef int TRACE_INSTRUCTION, TRACE_BRANCH, TRACE_SVC, TRACE_PROGRAM, TRACE_EXTERNAL, TRACE_IO
cdef int TRACE_PRIVILEGED
cdef int TRACE_RECORDS
cdef uint32_t CPU_VERSION, CPU_SERIAL, CPU_MODEL
cdef uint32_t LC_RESTART_NEW_PSW, LC_RESTART_OLD_PSW, LC_EXTERNAL_OLD_PSW, LC_SVC_OLD_PSW
cdef uint32_t LC_PROGRAM_OLD_PSW, LC_IO_OLD_PSW, LC_CSW, LC_INTERVAL_TIMER, LC_EXTERNAL_NEW_PSW
cdef uint32_t LC_SVC_NEW_PSW, LC_PROGRAM_NEW_PSW, LC_IO_NEW_PSW, LC_EXT_CPU_ADDRESS, LC_EXT_CODE
cdef uint32_t LC_SVC_ILC, LC_SVC_CODE, LC_PGM_ILC, LC_PGM_CODE, LC_MONITOR_CLASS, LC_MONITOR_CODE
cdef uint32_t LC_IO_ADDRESS

cdef int64_t s32(uint32_t u) noexcept nogil
cdef int64_t s64(uint64_t u) noexcept nogil
cdef uint64_t zx(uint64_t u) noexcept nogil
cdef int cc_of(int64_t v) noexcept nogil


@cython.final
cdef class CPU:
    cdef readonly object mem, keys, fpr, cr, svc_intercept, trace_ring
    cdef public object io_queue
    cdef uint8_t[::1] m, k, svci
    # In the object itself, not behind a buffer: the fast forms reach the
    # registers (and qk, at the end of the object) at a fixed offset from
    # the CPU, without loading a buffer's address.
    cdef uint32_t g[16]  # the general registers (gpr: a Registers view)
    cdef uint32_t quick_tag
    cdef uint32_t branch_guess[256]  # CPU.taken's guesses (vm370_predicted)
    cdef uint32_t[::1] c
    cdef uint64_t[::1] f, tr
    cdef readonly uint32_t size
    # PSW fields
    cdef public uint32_t sysmask, pkey, ec, mbit, waitbit, problem, cc, pmask, ia, ilc
    cdef readonly int psw_bad
    cdef uint64_t psw_raw
    cdef uint32_t bc_code
    # the instruction being executed: byte 1, halfwords 2 and 3
    cdef public uint32_t i1, i2, i3
    cdef uint32_t val, a1, a2, l1, l2
    # time base, timers, interruptions
    cdef public int64_t instructions, idle, adstop
    cdef public uint64_t tod_offset, ckc
    cdef int64_t horizon, last_pgm, cpt_base, cpt_time, itimer_time, itimer_frac
    cdef int fblock, fblock_alt, stop_req, restart_req, ext_pending, io_count
    cdef public bint program_intercept, interval_timer_on, trace_stop
    cdef public int trace
    cdef public int64_t trace_count
    cdef public uint32_t exit_opcode, exit_addr, exit_r1, exit_r3, exit_code, exit_ilc
    cdef public int stop_exit
    cdef uint8_t qk[2 << 13]  # two bytes per 2K block (QUICK_TAG, cpu.py)

    cdef inline int key_ok(self, uint32_t block, int store) noexcept nogil
    cdef inline int acc(self, uint32_t a, uint32_t n, int store) noexcept nogil
    @cython.locals(chunk=uint32_t)
    cdef int acc_long(self, uint32_t a, uint32_t n, int store) noexcept nogil
    cdef inline uint32_t rd1(self, uint32_t a) noexcept nogil
    cdef inline uint32_t rd2(self, uint32_t a) noexcept nogil
    @cython.locals(b0=uint32_t, b1=uint32_t, b2=uint32_t, b3=uint32_t)
    cdef inline uint32_t rd4(self, uint32_t a) noexcept nogil
    cdef inline uint64_t rd8(self, uint32_t a) noexcept nogil
    cdef inline void wr1(self, uint32_t a, uint32_t v) noexcept nogil
    cdef inline void wr2(self, uint32_t a, uint32_t v) noexcept nogil
    cdef inline void wr4(self, uint32_t a, uint32_t v) noexcept nogil
    cdef inline void wr8(self, uint32_t a, uint64_t v) noexcept nogil
    @cython.locals(a=uint32_t, b=uint32_t)
    cdef inline uint32_t base_displacement(self, uint32_t field) noexcept nogil
    cdef inline uint32_t ea_rx(self) noexcept nogil
    cdef inline uint32_t ea_rs(self) noexcept nogil
    cdef inline uint32_t ea_ss2(self) noexcept nogil

    @cython.locals(hi=uint32_t, lo=uint32_t)
    cdef uint64_t psw_value(self, uint32_t code, uint32_t ilc) noexcept nogil
    @cython.locals(hi=uint32_t, lo=uint32_t, bad=int, old_mask=uint32_t, old_ec=uint32_t,
                   old_mbit=uint32_t, old_key=uint32_t)
    cdef void set_psw_value(self, uint64_t v) noexcept nogil

    @cython.locals(end=int64_t, reason=int)
    cpdef int run(self, int64_t budget) except -1
    @cython.locals(reason=int, ia=uint32_t, count=int64_t, last=int, op=int, nxt=int64_t,
                   base=uint32_t)
    cdef int run_fast(self) noexcept nogil
    cdef inline void leave_fast(self, uint32_t ia, int64_t count, int last) noexcept nogil
    cdef inline uint32_t fetch_base(self) noexcept nogil
    cdef inline uint32_t fetch_base_of(self, int block) noexcept nogil
    cdef inline uint32_t other_fetch_base(self, uint32_t ia) noexcept nogil
    @cython.locals(ia=uint32_t, op=int, op2=int, reason=int, count=int64_t)
    cdef int run_slow(self) noexcept nogil
    @cython.locals(slot=int64_t, word=uint64_t, i=int, a=uint32_t)
    cdef void trace_record(self, int kind, uint32_t ia_from, uint32_t ia_to, uint32_t code,
                           int with_bytes) noexcept nogil
    @cython.locals(ia=uint32_t, op=uint32_t, code=int)
    cdef inline int step(self) noexcept nogil
    @cython.locals(n=uint32_t, code=int)
    cdef int fetch_check(self, uint32_t ia) noexcept nogil
    cdef inline void forget_fetch_blocks(self) noexcept nogil
    cdef void forget_checked_access(self) noexcept nogil
    cdef void forget_checked_block(self, uint32_t b) noexcept nogil
    cdef int fetch_exception(self, uint32_t ia, int code) noexcept nogil
    cdef int early_exception(self) noexcept nogil
    cdef void swap_psw(self, uint32_t old, uint32_t new, uint32_t code, uint32_t ilc) noexcept nogil
    @cython.locals(ia=uint32_t)
    cdef int program_interrupt(self, int code, uint32_t ilc) noexcept nogil
    @cython.locals(ia=uint32_t)
    cdef int svc_interrupt(self, uint32_t n) noexcept nogil
    cdef inline int64_t now(self) noexcept nogil
    cdef uint64_t tod(self) noexcept nogil
    cdef int64_t cpu_timer(self) noexcept nogil
    @cython.locals(best=int64_t, d=int64_t, v=int64_t, c0=uint32_t)
    cpdef int64_t next_timer_event(self)
    @cython.locals(t=uint64_t, q=uint64_t)
    cdef int64_t clock_comparator_event(self) noexcept nogil
    @cython.locals(u=uint32_t)
    cdef int64_t interval_timer_event(self) noexcept nogil
    @cython.locals(t=int64_t, units=int64_t, dec=int64_t, old=uint32_t, new=uint32_t)
    cdef void update_interval_timer(self) noexcept nogil
    @cython.locals(c0=uint32_t, p=int, code=int)
    cdef int external_code(self) noexcept nogil
    @cython.locals(ia=uint32_t)
    cdef void take_external(self, int code) noexcept nogil
    @cython.locals(ch=uint32_t)
    cdef int channel_enabled(self, uint32_t devaddr) noexcept nogil
    @cython.locals(ia=uint32_t)
    cdef int take_io(self) except -1
    cdef int enabled_for_any(self) noexcept nogil
    @cython.locals(h=int64_t, ev=int64_t, code=int, reason=int, taken=int64_t)
    cdef int service(self, int64_t end) except -1

    @cython.locals(res=uint32_t)
    cdef int add_signed(self, uint32_t r, uint32_t a, uint32_t b) noexcept nogil
    @cython.locals(res=uint32_t)
    cdef int sub_signed(self, uint32_t r, uint32_t a, uint32_t b) noexcept nogil
    @cython.locals(t=uint64_t, res=uint32_t)
    cdef int add_logical(self, uint32_t r, uint32_t a, uint32_t b, uint32_t carry_in) noexcept nogil
    cdef int compare_signed(self, uint32_t a, uint32_t b) noexcept nogil
    cdef int compare_logical(self, uint32_t a, uint32_t b) noexcept nogil
    cdef inline int fixed_overflow(self) noexcept nogil
    cdef int io_exit(self, uint32_t opcode) noexcept nogil
    cdef inline int load_r1(self, uint32_t v) noexcept nogil
    cdef inline int compare_r1(self, uint32_t v) noexcept nogil
    @cython.locals(r1=uint32_t)
    cdef inline int add_r1(self, uint32_t v) noexcept nogil
    @cython.locals(r1=uint32_t)
    cdef inline int subtract_r1(self, uint32_t v) noexcept nogil
    cdef inline int compare_logical_r1(self, uint32_t v) noexcept nogil
    @cython.locals(r1=uint32_t)
    cdef inline int add_logical_r1(self, uint32_t v) noexcept nogil
    @cython.locals(r1=uint32_t)
    cdef inline int subtract_logical_r1(self, uint32_t v) noexcept nogil
    cdef inline int and_r1(self, uint32_t v) noexcept nogil
    cdef inline int or_r1(self, uint32_t v) noexcept nogil
    cdef inline int xor_r1(self, uint32_t v) noexcept nogil
    cdef inline int set_logical_r1(self, uint32_t v) noexcept nogil
    cdef inline uint32_t link_bal(self) noexcept nogil
    cdef inline uint32_t link_info(self, uint32_t ilc, uint32_t next_ia) noexcept nogil

    # fast forms (the run loop's fast path) and their helpers
    cdef inline int quick_access(self, uint32_t a, uint32_t n, int store) noexcept nogil
    @cython.locals(b=uint32_t, sk=uint32_t, rc=uint32_t)
    cdef int quick_access_check(self, uint32_t a, uint32_t n, int store) noexcept nogil
    cdef inline uint32_t quick_rd2(self, uint32_t a) noexcept nogil
    cdef inline uint32_t quick_rd4(self, uint32_t a) noexcept nogil
    cdef inline void quick_wr4(self, uint32_t a, uint32_t v) noexcept nogil
    @cython.locals(a=uint32_t, x=uint32_t)
    cdef inline uint32_t rx_address(self, uint32_t r, uint32_t field) noexcept nogil
    @cython.locals(a=uint32_t)
    cdef inline int64_t quick_rx_word(self, uint32_t ia) noexcept nogil
    @cython.locals(a=uint32_t, h=uint32_t)
    cdef inline int64_t quick_rx_half(self, uint32_t ia) noexcept nogil
    @cython.locals(a=uint32_t)
    cdef inline int64_t quick_si_address(self, uint32_t ia, int store) noexcept nogil
    cdef inline int64_t taken(self, uint32_t ia, int64_t target) noexcept nogil
    cdef inline int64_t even_target(self, uint32_t target) noexcept nogil
    @cython.locals(res=uint32_t)
    cdef inline int64_t quick_add(self, uint32_t r1, uint32_t a, uint32_t b, uint32_t ia) noexcept nogil
    @cython.locals(res=uint32_t)
    cdef inline int64_t quick_subtract(self, uint32_t r1, uint32_t a, uint32_t b, uint32_t ia) noexcept nogil
    cdef inline int64_t quick_logical(self, uint32_t r1, uint32_t v, uint32_t ia) noexcept nogil
    @cython.locals(r=uint32_t, target=uint32_t, incr=uint32_t, limit=int64_t, v=uint32_t)
    cdef inline int64_t quick_bx(self, uint32_t ia, int high) noexcept nogil
    cdef inline int64_t quick_float_result(self, uint32_t r1, uint64_t kept, int rc, uint32_t nxt) noexcept nogil
    @cython.locals(r=uint32_t, kept=uint64_t, rc=int)
    cdef inline int64_t quick_float_rr(self, uint32_t ia, int op) noexcept nogil
    @cython.locals(r=uint32_t, a=uint32_t, v=uint64_t, kept=uint64_t, rc=int)
    cdef inline int64_t quick_float_rx(self, uint32_t ia, int op, uint32_t n) noexcept nogil
    cdef inline uint64_t quick_rd8(self, uint32_t a) noexcept nogil
    @cython.locals(r=uint32_t, a=uint32_t)
    cdef inline int64_t quick_float_address(self, uint32_t ia, uint32_t n, int store) noexcept nogil
    @cython.locals(a=int64_t, fr=uint32_t)
    cdef inline int64_t fast_LE(self, uint32_t ia) noexcept nogil
    @cython.locals(a=int64_t)
    cdef inline int64_t fast_LD(self, uint32_t ia) noexcept nogil
    @cython.locals(a=int64_t)
    cdef inline int64_t fast_STE(self, uint32_t ia) noexcept nogil
    @cython.locals(a=int64_t, v=uint64_t)
    cdef inline int64_t fast_STD(self, uint32_t ia) noexcept nogil
    cdef inline void decode(self, uint32_t ia, int n) noexcept nogil
    cdef inline int64_t delegated(self, int code, uint32_t nxt) noexcept nogil
    @cython.locals(n=uint32_t)
    cdef inline int64_t fast_SVC(self, uint32_t ia) noexcept nogil
    @cython.locals(a=uint32_t, v=uint64_t)
    cdef inline int64_t fast_LPSW(self, uint32_t ia) noexcept nogil
    @cython.locals(v=int64_t)
    cdef inline int64_t fast_LH(self, uint32_t ia) noexcept nogil
    @cython.locals(v=int64_t)
    cdef inline int64_t fast_CH(self, uint32_t ia) noexcept nogil
    @cython.locals(v=int64_t, r1=uint32_t)
    cdef inline int64_t fast_AH(self, uint32_t ia) noexcept nogil
    @cython.locals(v=int64_t, r1=uint32_t)
    cdef inline int64_t fast_SH(self, uint32_t ia) noexcept nogil
    @cython.locals(r=uint32_t, a=uint32_t, n=uint32_t, i=uint32_t)
    cdef inline int64_t fast_STM(self, uint32_t ia) noexcept nogil
    @cython.locals(r=uint32_t, a=uint32_t, n=uint32_t, i=uint32_t)
    cdef inline int64_t fast_LM(self, uint32_t ia) noexcept nogil
    @cython.locals(n=uint32_t, d=uint32_t, s=uint32_t, i=uint32_t)
    cdef inline int64_t fast_MVC(self, uint32_t ia) noexcept nogil
    @cython.locals(n=uint32_t, a1=uint32_t, a2=uint32_t, c=int)
    cdef inline int64_t fast_CLC(self, uint32_t ia) noexcept nogil
    @cython.locals(p=uint64_t)
    cdef int multiply_pair(self, uint32_t r1, uint32_t b) noexcept nogil
    @cython.locals(dividend=uint64_t, neg_n=int, mag_n=uint64_t, d=int64_t, neg_d=int,
                   mag_d=uint64_t, q=uint64_t, rem=uint64_t)
    cdef int divide_pair(self, uint32_t r1, uint32_t b) noexcept nogil
    @cython.locals(a=uint32_t, code=int, h=uint32_t)
    cdef inline int fetch_half(self) noexcept nogil
    @cython.locals(a=uint32_t, code=int)
    cdef inline int fetch_rx(self) noexcept nogil
    @cython.locals(limit=int64_t, v=uint32_t)
    cdef int bx(self, int high) noexcept nogil
    cdef inline uint64_t pair(self, uint32_t r1) noexcept nogil
    cdef inline void set_pair(self, uint32_t r1, uint64_t v) noexcept nogil
    cdef inline int si_addr(self, int store) noexcept nogil
    cdef inline int ss_check(self, int store1) noexcept nogil
    @cython.locals(a=uint32_t, n=uint32_t)
    cdef inline int register_list_operand(self, int store, int aligned) noexcept nogil
    cdef inline int fetch_rx_for_pair(self) noexcept nogil
    @cython.locals(n=uint32_t, code=int, kept=uint32_t, i=uint32_t, d=uint32_t)
    cdef int move_half_bytes(self, uint32_t moved) noexcept nogil
    cdef inline int float_storage_operand(self, uint32_t n, int store) noexcept nogil
    @cython.locals(nz=uint32_t, v=uint32_t, s=uint32_t, d=uint32_t, i=uint32_t, n=uint32_t)
    cdef int logical_ss(self, int kind) noexcept nogil
    cdef int check_system_mask(self, uint32_t old_mask) noexcept nogil
    @cython.locals(old_mask=uint32_t)
    cdef int store_then(self, int kind) noexcept nogil
    @cython.locals(a=uint32_t)
    cdef int key_block(self) noexcept nogil
    cdef int dw_operand(self, int store) noexcept nogil
    @cython.locals(c0=uint32_t, c1=uint32_t, ps=uint32_t, ss=uint32_t, page_bits=uint32_t,
                   seg_bits=uint32_t, sx=uint32_t, px=uint32_t, ste_addr=uint32_t, ste=uint32_t,
                   pte_addr=uint32_t, pte=uint32_t, invalid=uint32_t, bad=uint32_t, frame=uint32_t)
    cdef int translate(self, uint32_t va) noexcept nogil
    cdef int decimal_result(self, int rc, int overflow_check) noexcept nogil
    cdef int ss2_check(self, int store1) noexcept nogil
    @cython.locals(rc=int, code=int)
    cdef int decimal_ss2(self, int which) noexcept nogil
    @cython.locals(a1=int, l1=int, a2=int, l2=int)
    cdef int decimal_call(self, int which) noexcept nogil
    @cython.locals(rc=int64_t, code=int, n=uint32_t, a1=uint32_t, a2=uint32_t)
    cdef int edit(self, int mark) noexcept nogil
    @cython.locals(src=uint32_t, pending=int, i=uint32_t, p=uint32_t, a=uint32_t, b=uint32_t, code=int)
    cdef int edit_source_check(self, uint32_t a1, uint32_t n, uint32_t a2) noexcept nogil
    cdef int hfp_result(self, int rc) noexcept nogil
    @cython.locals(rc=int)
    cdef int float_rr(self, int op) noexcept nogil
    @cython.locals(v=uint64_t, a=uint32_t, code=int, r1=uint32_t, rc=int)
    cdef int float_rx(self, int op, int short) noexcept nogil

    # handlers with wide or signed locals
    @cython.locals(v=uint32_t)
    cdef int op_LPR(self) noexcept nogil
    @cython.locals(v=uint32_t)
    cdef int op_LNR(self) noexcept nogil
    @cython.locals(v=int64_t, n=uint32_t)
    cdef int op_SRA(self) noexcept nogil
    @cython.locals(res=uint32_t, n=uint32_t, r1=uint32_t)
    cdef int op_SLA(self) noexcept nogil
    @cython.locals(sign_bit=uint64_t, sign=int, num=uint64_t, over=int, i=uint32_t)
    cdef uint64_t shift_left_numeric(self, uint64_t v, uint32_t n, uint64_t numeric) noexcept nogil
    cdef int double_shift_operands(self) noexcept nogil
    @cython.locals(v=uint64_t, neg=uint64_t, n=uint32_t)
    cdef int op_SRDA(self) noexcept nogil
    @cython.locals(res=uint64_t, n=uint32_t)
    cdef int op_SLDA(self) noexcept nogil
    @cython.locals(mask=uint32_t, code=int, i=uint32_t)
    cdef int masked_operand(self, int store) noexcept nogil
    @cython.locals(mask=uint32_t, packed=uint32_t, i=int)
    cdef uint32_t register_bytes_under_mask(self, uint32_t v) noexcept nogil
    @cython.locals(v=uint32_t, shift=uint32_t, left=uint32_t, code=int, i=int, mask=uint32_t,
                   r1=uint32_t)
    cdef int op_ICM(self) noexcept nogil
    @cython.locals(d=uint32_t, s=uint32_t, n=uint32_t, i=uint32_t, code=int)
    cdef int op_MVC(self) noexcept nogil
    @cython.locals(a1=uint32_t, a2=uint32_t, n=uint32_t, i=uint32_t, b1=uint32_t, b2=uint32_t,
                   code=int)
    cdef int op_CLC(self) noexcept nogil
    @cython.locals(r1=uint32_t, r2=uint32_t)
    cdef int long_operands(self) noexcept nogil
    @cython.locals(d=uint32_t, l1=uint32_t, s=uint32_t, l2=uint32_t, pad=uint32_t, n=uint32_t,
                   cc=int, code=int, i=uint32_t, r1=uint32_t, r2=uint32_t)
    cdef int op_MVCL(self) noexcept nogil
    @cython.locals(a1=uint32_t, l1=uint32_t, a2=uint32_t, l2=uint32_t, pad=uint32_t, n=uint32_t,
                   cc=int, code=int, i=uint32_t, b1=uint32_t, b2=uint32_t, k1=uint32_t,
                   k2=uint32_t)
    cdef int op_CLCL(self) noexcept nogil
    @cython.locals(v=uint64_t)
    cdef int op_SPT(self) noexcept nogil
    @cython.locals(b=int)
    cdef int op_SSK(self) noexcept nogil
    @cython.locals(b=int, key=uint32_t, r1=uint32_t)
    cdef int op_ISK(self) noexcept nogil
    @cython.locals(order=uint32_t, status=uint32_t)
    cdef int op_SIGP(self) noexcept nogil
    @cython.locals(v=int64_t, a=uint32_t, code=int)
    cdef int op_CVB(self) noexcept nogil
    @cython.locals(shift=int, l1=uint32_t, a1=uint32_t, code=int)
    cdef int op_SRP(self) noexcept nogil

    # BEGIN GENERATED by s390/_gen.py (do not edit)
    cdef int op_A(self) noexcept nogil
    cdef int op_AD(self) noexcept nogil
    cdef int op_ADR(self) noexcept nogil
    cdef int op_AE(self) noexcept nogil
    cdef int op_AER(self) noexcept nogil
    cdef int op_AH(self) noexcept nogil
    cdef int op_AL(self) noexcept nogil
    cdef int op_ALR(self) noexcept nogil
    cdef int op_AP(self) noexcept nogil
    cdef int op_AR(self) noexcept nogil
    cdef int op_AU(self) noexcept nogil
    cdef int op_AUR(self) noexcept nogil
    cdef int op_AW(self) noexcept nogil
    cdef int op_AWR(self) noexcept nogil
    cdef int op_AXR(self) noexcept nogil
    cdef int op_BAL(self) noexcept nogil
    cdef int op_BALR(self) noexcept nogil
    cdef int op_BAS(self) noexcept nogil
    cdef int op_BASR(self) noexcept nogil
    cdef int op_BC(self) noexcept nogil
    cdef int op_BCR(self) noexcept nogil
    cdef int op_BCT(self) noexcept nogil
    cdef int op_BCTR(self) noexcept nogil
    cdef int op_BXH(self) noexcept nogil
    cdef int op_BXLE(self) noexcept nogil
    cdef int op_C(self) noexcept nogil
    cdef int op_CD(self) noexcept nogil
    cdef int op_CDR(self) noexcept nogil
    cdef int op_CDS(self) noexcept nogil
    cdef int op_CE(self) noexcept nogil
    cdef int op_CER(self) noexcept nogil
    cdef int op_CH(self) noexcept nogil
    cdef int op_CL(self) noexcept nogil
    cdef int op_CLI(self) noexcept nogil
    cdef int op_CLM(self) noexcept nogil
    cdef int op_CLR(self) noexcept nogil
    cdef int op_CLRIO(self) noexcept nogil
    cdef int op_CP(self) noexcept nogil
    cdef int op_CR(self) noexcept nogil
    cdef int op_CS(self) noexcept nogil
    cdef int op_CVD(self) noexcept nogil
    cdef int op_D(self) noexcept nogil
    cdef int op_DD(self) noexcept nogil
    cdef int op_DDR(self) noexcept nogil
    cdef int op_DE(self) noexcept nogil
    cdef int op_DER(self) noexcept nogil
    cdef int op_DIAG(self) noexcept nogil
    cdef int op_DP(self) noexcept nogil
    cdef int op_DR(self) noexcept nogil
    cdef int op_ED(self) noexcept nogil
    cdef int op_EDMK(self) noexcept nogil
    cdef int op_EX(self) noexcept nogil
    cdef int op_HDR(self) noexcept nogil
    cdef int op_HDV(self) noexcept nogil
    cdef int op_HER(self) noexcept nogil
    cdef int op_HIO(self) noexcept nogil
    cdef int op_IC(self) noexcept nogil
    cdef int op_L(self) noexcept nogil
    cdef int op_LA(self) noexcept nogil
    cdef int op_LCDR(self) noexcept nogil
    cdef int op_LCER(self) noexcept nogil
    cdef int op_LCR(self) noexcept nogil
    cdef int op_LCTL(self) noexcept nogil
    cdef int op_LD(self) noexcept nogil
    cdef int op_LDR(self) noexcept nogil
    cdef int op_LE(self) noexcept nogil
    cdef int op_LER(self) noexcept nogil
    cdef int op_LH(self) noexcept nogil
    cdef int op_LM(self) noexcept nogil
    cdef int op_LNDR(self) noexcept nogil
    cdef int op_LNER(self) noexcept nogil
    cdef int op_LPDR(self) noexcept nogil
    cdef int op_LPER(self) noexcept nogil
    cdef int op_LPSW(self) noexcept nogil
    cdef int op_LR(self) noexcept nogil
    cdef int op_LRA(self) noexcept nogil
    cdef int op_LRDR(self) noexcept nogil
    cdef int op_LRER(self) noexcept nogil
    cdef int op_LTDR(self) noexcept nogil
    cdef int op_LTER(self) noexcept nogil
    cdef int op_LTR(self) noexcept nogil
    cdef int op_M(self) noexcept nogil
    cdef int op_MC(self) noexcept nogil
    cdef int op_MD(self) noexcept nogil
    cdef int op_MDR(self) noexcept nogil
    cdef int op_ME(self) noexcept nogil
    cdef int op_MER(self) noexcept nogil
    cdef int op_MH(self) noexcept nogil
    cdef int op_MP(self) noexcept nogil
    cdef int op_MR(self) noexcept nogil
    cdef int op_MVI(self) noexcept nogil
    cdef int op_MVN(self) noexcept nogil
    cdef int op_MVO(self) noexcept nogil
    cdef int op_MVZ(self) noexcept nogil
    cdef int op_MXD(self) noexcept nogil
    cdef int op_MXDR(self) noexcept nogil
    cdef int op_MXR(self) noexcept nogil
    cdef int op_N(self) noexcept nogil
    cdef int op_NC(self) noexcept nogil
    cdef int op_NI(self) noexcept nogil
    cdef int op_NR(self) noexcept nogil
    cdef int op_O(self) noexcept nogil
    cdef int op_OC(self) noexcept nogil
    cdef int op_OI(self) noexcept nogil
    cdef int op_OR(self) noexcept nogil
    cdef int op_PACK(self) noexcept nogil
    cdef int op_PTLB(self) noexcept nogil
    cdef int op_RRB(self) noexcept nogil
    cdef int op_S(self) noexcept nogil
    cdef int op_SCK(self) noexcept nogil
    cdef int op_SCKC(self) noexcept nogil
    cdef int op_SD(self) noexcept nogil
    cdef int op_SDR(self) noexcept nogil
    cdef int op_SE(self) noexcept nogil
    cdef int op_SER(self) noexcept nogil
    cdef int op_SH(self) noexcept nogil
    cdef int op_SIO(self) noexcept nogil
    cdef int op_SIOF(self) noexcept nogil
    cdef int op_SL(self) noexcept nogil
    cdef int op_SLDL(self) noexcept nogil
    cdef int op_SLL(self) noexcept nogil
    cdef int op_SLR(self) noexcept nogil
    cdef int op_SP(self) noexcept nogil
    cdef int op_SPM(self) noexcept nogil
    cdef int op_SR(self) noexcept nogil
    cdef int op_SRDL(self) noexcept nogil
    cdef int op_SRL(self) noexcept nogil
    cdef int op_SSM(self) noexcept nogil
    cdef int op_ST(self) noexcept nogil
    cdef int op_STC(self) noexcept nogil
    cdef int op_STCK(self) noexcept nogil
    cdef int op_STCKC(self) noexcept nogil
    cdef int op_STCM(self) noexcept nogil
    cdef int op_STCTL(self) noexcept nogil
    cdef int op_STD(self) noexcept nogil
    cdef int op_STE(self) noexcept nogil
    cdef int op_STH(self) noexcept nogil
    cdef int op_STIDC(self) noexcept nogil
    cdef int op_STIDP(self) noexcept nogil
    cdef int op_STM(self) noexcept nogil
    cdef int op_STNSM(self) noexcept nogil
    cdef int op_STOSM(self) noexcept nogil
    cdef int op_STPT(self) noexcept nogil
    cdef int op_SU(self) noexcept nogil
    cdef int op_SUR(self) noexcept nogil
    cdef int op_SVC(self) noexcept nogil
    cdef int op_SW(self) noexcept nogil
    cdef int op_SWR(self) noexcept nogil
    cdef int op_SXR(self) noexcept nogil
    cdef int op_TCH(self) noexcept nogil
    cdef int op_TIO(self) noexcept nogil
    cdef int op_TM(self) noexcept nogil
    cdef int op_TR(self) noexcept nogil
    cdef int op_TRT(self) noexcept nogil
    cdef int op_TS(self) noexcept nogil
    cdef int op_UNPK(self) noexcept nogil
    cdef int op_X(self) noexcept nogil
    cdef int op_XC(self) noexcept nogil
    cdef int op_XI(self) noexcept nogil
    cdef int op_XR(self) noexcept nogil
    cdef int op_ZAP(self) noexcept nogil
    cdef inline int64_t fast_A(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_AD(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_ADR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_AE(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_AER(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_AL(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_ALR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_AR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_AU(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_AUR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_AW(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_AWR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_BAL(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_BALR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_BAS(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_BASR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_BC(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_BCR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_BCT(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_BCTR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_BXH(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_BXLE(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_C(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_CD(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_CDR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_CE(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_CER(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_CL(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_CLI(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_CLM(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_CLR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_CR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_D(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_DD(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_DDR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_DE(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_DER(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_DR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_HDR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_HER(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_IC(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_ICM(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_L(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_LA(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_LCDR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_LCER(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_LCR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_LDR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_LER(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_LNDR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_LNER(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_LNR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_LPDR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_LPER(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_LR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_LTDR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_LTER(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_LTR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_M(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_MD(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_MDR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_ME(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_MER(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_MR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_MVI(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_MVN(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_MVZ(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_N(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_NC(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_NI(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_NR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_O(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_OC(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_OI(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_OR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_S(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_SD(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_SDR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_SE(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_SER(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_SL(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_SLDL(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_SLL(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_SLR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_SPM(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_SR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_SRA(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_SRDA(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_SRDL(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_SRL(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_ST(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_STC(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_STCM(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_STH(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_SU(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_SUR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_SW(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_SWR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_TM(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_TR(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_TRT(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_X(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_XC(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_XI(self, uint32_t ia) noexcept nogil
    cdef inline int64_t fast_XR(self, uint32_t ia) noexcept nogil
    # END GENERATED


@cython.final
cdef class Registers:
    cdef readonly CPU cpu
    cdef int index(self, object i) except -1


# execute(), is_privileged(), is_branch() and ilen(), generated from the opcode
# table (s390/_gen.py); the pure build imports the same functions from s390/_dispatch.py.
include "_dispatch.pxi"


# The run loop's state, under the C names of VM370_RUN_THREADED (above: the
# threaded form of CPU.run_fast's loop, a C macro because its jump table
# holds label addresses) and the fast forms by operation code.
cdef inline int64_t loop_horizon "vm370_horizon"(CPU cpu) noexcept nogil:
    return cpu.horizon


cdef inline uint8_t *loop_storage "vm370_storage"(CPU cpu) noexcept nogil:
    return &cpu.m[0]


cdef inline uint32_t loop_ia "vm370_ia"(CPU cpu) noexcept nogil:
    return cpu.ia


cdef inline int64_t loop_instructions "vm370_instructions"(CPU cpu) noexcept nogil:
    return cpu.instructions


cdef inline uint32_t loop_fetch_base "vm370_fetch_base"(CPU cpu) noexcept nogil:
    return cpu.fetch_base()


cdef inline uint32_t loop_other_fetch_base "vm370_other_fetch_base"(CPU cpu, uint32_t ia) noexcept nogil:
    return cpu.other_fetch_base(ia)


cdef inline int loop_step "vm370_step"(CPU cpu) noexcept nogil:
    return cpu.step()


cdef inline void loop_leave_fast "vm370_leave_fast"(CPU cpu, uint32_t ia, int64_t count, int last) noexcept nogil:
    cpu.leave_fast(ia, count, last)


include "_threaded.pxi"

cdef extern from "_threaded.h":
    int run_threaded "VM370_RUN_THREADED"(CPU cpu) noexcept nogil
