# Cython declarations for s390/hfp.py (pure-Python mode; see hfp.py).
cimport cython
from libc.stdint cimport uint64_t

cdef extern from *:
    # GCC's 128-bit unsigned integer: extended fractions are 112 bits.
    ctypedef unsigned long long u128 "unsigned __int128"

cdef int SHORT, LONG, EXTENDED, CC_UNCHANGED, SUPPRESSED
cdef int PGM_OPERATION, PGM_SPECIFICATION, PGM_EXPONENT_OVERFLOW, PGM_EXPONENT_UNDERFLOW
cdef int PGM_SIGNIFICANCE, PGM_FP_DIVIDE, MASK_UNDERFLOW, MASK_SIGNIFICANCE, BIAS
cdef uint64_t FRACTION56, LOW32
cdef u128 ONE
cdef int FN_LOAD_POSITIVE, FN_LOAD_NEGATIVE, FN_LOAD_AND_TEST, FN_LOAD_COMPLEMENT, FN_HALVE
cdef int FN_LOAD, FN_COMPARE, FN_ADD, FN_SUBTRACT, FN_MULTIPLY, FN_DIVIDE
cdef int FN_ADD_UNNORMALIZED, FN_SUBTRACT_UNNORMALIZED
cdef int OP_LRDR, OP_MXR, OP_MXDR, OP_LRER, OP_AXR, OP_SXR, OP_MXD

cdef int sign_of(uint64_t w) noexcept nogil
cdef int characteristic_of(uint64_t w) noexcept nogil
cdef u128 fraction_of(uint64_t w, int digits) noexcept nogil
@cython.locals(hi=u128, lo=u128)
cdef u128 extended_fraction(uint64_t[::1] fpr, int r) noexcept nogil
@cython.locals(w=uint64_t, c=uint64_t)
cdef uint64_t long_image(int sign, int characteristic, uint64_t fraction) noexcept nogil
@cython.locals(w=uint64_t)
cdef void store_fraction(uint64_t[::1] fpr, int r, int digits, int sign, int characteristic,
                         u128 fraction) noexcept nogil
cdef void store_extended(uint64_t[::1] fpr, int r, int sign, int characteristic, u128 fraction,
                         int true_zero) noexcept nogil
cdef u128 top_digit_limit(int digits) noexcept nogil
@cython.locals(n=int, limit=u128)
cdef int leading_zero_digits(u128 fraction, int digits) noexcept nogil
cdef int condition_code(int sign, u128 fraction) noexcept nogil
@cython.locals(code=int, cc=int)
cdef int finish(uint64_t[::1] fpr, int r, int digits, int sign, int characteristic,
                u128 fraction, int pgm_mask, int set_cc) noexcept nogil
cdef int significance_result(uint64_t[::1] fpr, int r, int digits, int characteristic,
                             int pgm_mask) noexcept nogil
@cython.locals(a=u128, b=u128)
cdef int aligned_sum_sign(int digits, int s1, int c1, u128 f1, int s2, int c2, u128 f2) noexcept nogil
cdef u128 aligned_fraction(int digits, int c, u128 f, int c_other) noexcept nogil
@cython.locals(a=u128, b=u128)
cdef u128 aligned_sum(int digits, int s1, int c1, u128 f1, int s2, int c2, u128 f2) noexcept nogil
@cython.locals(c=int, f=u128, s=int, shift=int)
cdef int add(uint64_t[::1] fpr, int r1, int digits, int s1, int c1, u128 f1, int s2, int c2,
             u128 f2, int normalized, int pgm_mask) noexcept nogil
@cython.locals(f=u128)
cdef int compare(int digits, int s1, int c1, u128 f1, int s2, int c2, u128 f2) noexcept nogil
@cython.locals(shift=int)
cdef int halve(uint64_t[::1] fpr, int r1, int digits, int s, int c, u128 f, int pgm_mask) noexcept nogil
@cython.locals(n1=int, n2=int, c=int, p=u128)
cdef int multiply(uint64_t[::1] fpr, int r1, int in_digits, int out_digits, int s1, int c1,
                  u128 f1, int s2, int c2, u128 f2, int pgm_mask) noexcept nogil
@cython.locals(n1=int, n2=int, c=int, h1=u128, l1=u128, h2=u128, l2=u128, middle=u128, top=u128)
cdef int multiply_extended(uint64_t[::1] fpr, int r1, int s1, int c1, u128 f1, int s2, int c2,
                           u128 f2, int pgm_mask) noexcept nogil
@cython.locals(n1=int, n2=int, c=int, q=u128)
cdef int divide(uint64_t[::1] fpr, int r1, int digits, int s1, int c1, u128 f1, int s2, int c2,
                u128 f2, int pgm_mask) noexcept nogil
@cython.locals(out_digits=int)
cdef int load_rounded(uint64_t[::1] fpr, int r1, int in_digits, int s, int c, u128 f,
                      int round_bit, int pgm_mask) noexcept nogil
cdef int load_signed(uint64_t[::1] fpr, int r1, int digits, int fn, int s, int c, u128 f) noexcept nogil
@cython.locals(w1=uint64_t, s1=int, c1=int, f1=u128, s2=int, c2=int, f2=u128)
cdef int short_or_long(uint64_t[::1] fpr, int r1, int fn, int digits, uint64_t w2,
                       int pgm_mask) noexcept nogil
cdef int is_fpr(int r) noexcept nogil
cdef int is_extended_pair(int r) noexcept nogil
@cython.locals(w1=uint64_t, w2=uint64_t, round_bit=int, s2=int)
cdef int extended_rr(uint64_t[::1] fpr, int opcode, int r1, int r2, int pgm_mask) noexcept nogil
cdef int registers_valid(int opcode, int r1, int r2) noexcept nogil
@cython.locals(w2=uint64_t, round_bit=int, digits=int)
cpdef int float_rr(uint64_t[::1] fpr, int opcode, int r1, int r2, int pgm_mask) noexcept nogil
@cython.locals(w1=uint64_t)
cpdef int float_rx(uint64_t[::1] fpr, int opcode, int r1, unsigned long long operand,
                   int pgm_mask) noexcept nogil
