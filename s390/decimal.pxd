# Cython declarations for s390/decimal.py (pure-Python mode; see decimal.py).
cimport cython
from libc.stdint cimport uint8_t, int64_t

cdef extern from *:
    # GCC's 128-bit unsigned integer: 31 decimal digits need 104 bits.
    ctypedef unsigned long long u128 "unsigned __int128"

cdef int PLUS_SIGN, MINUS_SIGN, ADDR_MASK
cdef int PGM_SPECIFICATION, PGM_DATA, PGM_DECIMAL_DIVIDE
cdef long long CVB_INVALID
@cython.locals(quarter=int64_t)
cdef int64_t int64_minimum() noexcept nogil
cdef int ED_DIGIT_SELECTOR, ED_SIGNIFICANCE_STARTER, ED_FIELD_SEPARATOR

@cython.locals(v=u128, i=int)
cdef u128 pow10(int n) noexcept nogil
cdef int field_byte(uint8_t[::1] mem, int addr, int i) noexcept nogil
cdef int digit_count(int length) noexcept nogil
@cython.locals(i=int, b=int)
cdef int is_valid_packed(uint8_t[::1] mem, int addr, int length) noexcept nogil
cdef int is_minus_code(int code) noexcept nogil
cdef int is_negative(uint8_t[::1] mem, int addr, int length) noexcept nogil
@cython.locals(v=u128, i=int, b=int)
cdef u128 magnitude(uint8_t[::1] mem, int addr, int length) noexcept nogil
@cython.locals(b=int, i=int, lo=int, hi=int)
cdef void store_packed(uint8_t[::1] mem, int addr, int length, u128 value, int negative) noexcept nogil
@cython.locals(limit=u128)
cdef int store_result(uint8_t[::1] mem, int addr, int length, u128 value, int negative) noexcept nogil
@cython.locals(m1=u128, m2=u128, n1=int, n2=int)
cdef int add_signed(uint8_t[::1] mem, int a1, int l1, int a2, int l2, int subtract) noexcept nogil

cpdef int ap(uint8_t[::1] mem, int a1, int l1, int a2, int l2) noexcept nogil
cpdef int sp(uint8_t[::1] mem, int a1, int l1, int a2, int l2) noexcept nogil
cpdef int zap(uint8_t[::1] mem, int a1, int l1, int a2, int l2) noexcept nogil
@cython.locals(m1=u128, m2=u128, n1=int, n2=int)
cpdef int cp(uint8_t[::1] mem, int a1, int l1, int a2, int l2) noexcept nogil
@cython.locals(i=int, product=u128)
cpdef int mp(uint8_t[::1] mem, int a1, int l1, int a2, int l2) noexcept nogil
@cython.locals(dividend=u128, divisor=u128, quotient=u128, remainder=u128, n1=int, n2=int)
cpdef int dp(uint8_t[::1] mem, int a1, int l1, int a2, int l2) noexcept nogil
@cython.locals(value=u128, negative=int, digits=int, lost=int, right=int)
cpdef int srp(uint8_t[::1] mem, int a1, int l1, int shift, int rnd) noexcept nogil
@cython.locals(i1=int, i2=int, b=int, lo=int, hi=int)
cpdef int pack(uint8_t[::1] mem, int a1, int l1, int a2, int l2) noexcept nogil
@cython.locals(i1=int, i2=int, b=int)
cpdef int unpk(uint8_t[::1] mem, int a1, int l1, int a2, int l2) noexcept nogil
@cython.locals(i1=int, i2=int, b=int, carry=int)
cpdef int mvo(uint8_t[::1] mem, int a1, int l1, int a2, int l2) noexcept nogil
@cython.locals(value=u128, signed_value=int64_t)
cpdef long long cvb(uint8_t[::1] mem, int addr) noexcept nogil
@cython.locals(amount=int64_t)
cpdef void cvd(uint8_t[::1] mem, int addr, int value) noexcept nogil
@cython.locals(rc=int64_t)
cpdef int edit(uint8_t[::1] mem, int a1, int length, int a2, int mark) noexcept nogil
cpdef int64_t edmk(uint8_t[::1] mem, int a1, int length, int a2) noexcept nogil
@cython.locals(fill=int, significance=int, nonzero=int, src=int, pending=int, mark_plus1=int,
               i=int, p=int, result=int, sign_seen_plus=int, d=int, b=int, right=int, cc=int,
               mark_so_far=int64_t)
cdef int64_t edit_with_mark(uint8_t[::1] mem, int a1, int length, int a2, int mark) noexcept nogil
