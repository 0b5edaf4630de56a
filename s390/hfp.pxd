# Cython declarations for s390/hfp.py (pure-Python mode; see hfp.py).
cimport cython
from libc.stdint cimport uint64_t

cdef extern from *:
    # GCC's 128-bit unsigned integer: extended fractions are 112 bits.
    ctypedef unsigned long long u128 "unsigned __int128"

# The constants are C literals, so that the compiler folds them (and the
# format of every inlined call) into the code.
cdef extern from *:
    """
    #define VM370_HFP_SHORT 6
    #define VM370_HFP_LONG 14
    #define VM370_HFP_EXTENDED 28
    #define VM370_HFP_CC_UNCHANGED 4
    #define VM370_HFP_SUPPRESSED 0x10000
    #define VM370_HFP_PGM_OPERATION 1
    #define VM370_HFP_PGM_SPECIFICATION 6
    #define VM370_HFP_PGM_EXPONENT_OVERFLOW 0xC
    #define VM370_HFP_PGM_EXPONENT_UNDERFLOW 0xD
    #define VM370_HFP_PGM_SIGNIFICANCE 0xE
    #define VM370_HFP_PGM_FP_DIVIDE 0xF
    #define VM370_HFP_MASK_UNDERFLOW 2
    #define VM370_HFP_MASK_SIGNIFICANCE 1
    #define VM370_HFP_FRACTION56 0xFFFFFFFFFFFFFFull
    #define VM370_HFP_LOW32 0xFFFFFFFFull
    /* x, opaque to the C compiler: a short result goes into the register
       as a whole doubleword, not as a word store into its left half (a
       doubleword load of the register soon after could not be forwarded
       from that store and would wait for the cache) */
    static inline uint64_t vm370_hfp_whole(uint64_t x) { __asm__("" : "+r"(x)); return x; }
    #define VM370_HFP_BIAS 64
    #define VM370_HFP_ONE ((unsigned __int128)1)
    #define VM370_HFP_FN_LOAD_POSITIVE 0x0
    #define VM370_HFP_FN_LOAD_NEGATIVE 0x1
    #define VM370_HFP_FN_LOAD_AND_TEST 0x2
    #define VM370_HFP_FN_LOAD_COMPLEMENT 0x3
    #define VM370_HFP_FN_HALVE 0x4
    #define VM370_HFP_FN_LOAD 0x8
    #define VM370_HFP_FN_COMPARE 0x9
    #define VM370_HFP_FN_ADD 0xA
    #define VM370_HFP_FN_SUBTRACT 0xB
    #define VM370_HFP_FN_MULTIPLY 0xC
    #define VM370_HFP_FN_DIVIDE 0xD
    #define VM370_HFP_FN_ADD_UNNORMALIZED 0xE
    #define VM370_HFP_FN_SUBTRACT_UNNORMALIZED 0xF
    #define VM370_HFP_OP_LRDR 0x25
    #define VM370_HFP_OP_MXR 0x26
    #define VM370_HFP_OP_MXDR 0x27
    #define VM370_HFP_OP_LRER 0x35
    #define VM370_HFP_OP_AXR 0x36
    #define VM370_HFP_OP_SXR 0x37
    #define VM370_HFP_OP_MXD 0x67
    static inline int vm370_bit_length(unsigned __int128 v) {
        unsigned long long hi = (unsigned long long)(v >> 64), lo = (unsigned long long)v;
        if (hi) return 128 - __builtin_clzll(hi);
        return lo ? 64 - __builtin_clzll(lo) : 0;
    }
    """
    int bit_length "vm370_bit_length"(u128 v) noexcept nogil
    const int SHORT "VM370_HFP_SHORT"
    const int LONG "VM370_HFP_LONG"
    const int EXTENDED "VM370_HFP_EXTENDED"
    const int CC_UNCHANGED "VM370_HFP_CC_UNCHANGED"
    const int SUPPRESSED "VM370_HFP_SUPPRESSED"
    const int PGM_OPERATION "VM370_HFP_PGM_OPERATION"
    const int PGM_SPECIFICATION "VM370_HFP_PGM_SPECIFICATION"
    const int PGM_EXPONENT_OVERFLOW "VM370_HFP_PGM_EXPONENT_OVERFLOW"
    const int PGM_EXPONENT_UNDERFLOW "VM370_HFP_PGM_EXPONENT_UNDERFLOW"
    const int PGM_SIGNIFICANCE "VM370_HFP_PGM_SIGNIFICANCE"
    const int PGM_FP_DIVIDE "VM370_HFP_PGM_FP_DIVIDE"
    const int MASK_UNDERFLOW "VM370_HFP_MASK_UNDERFLOW"
    const int MASK_SIGNIFICANCE "VM370_HFP_MASK_SIGNIFICANCE"
    const uint64_t FRACTION56 "VM370_HFP_FRACTION56"
    const uint64_t LOW32 "VM370_HFP_LOW32"
    uint64_t whole "vm370_hfp_whole"(uint64_t) noexcept nogil
    const int BIAS "VM370_HFP_BIAS"
    const u128 ONE "VM370_HFP_ONE"
    const int FN_LOAD_POSITIVE "VM370_HFP_FN_LOAD_POSITIVE"
    const int FN_LOAD_NEGATIVE "VM370_HFP_FN_LOAD_NEGATIVE"
    const int FN_LOAD_AND_TEST "VM370_HFP_FN_LOAD_AND_TEST"
    const int FN_LOAD_COMPLEMENT "VM370_HFP_FN_LOAD_COMPLEMENT"
    const int FN_HALVE "VM370_HFP_FN_HALVE"
    const int FN_LOAD "VM370_HFP_FN_LOAD"
    const int FN_COMPARE "VM370_HFP_FN_COMPARE"
    const int FN_ADD "VM370_HFP_FN_ADD"
    const int FN_SUBTRACT "VM370_HFP_FN_SUBTRACT"
    const int FN_MULTIPLY "VM370_HFP_FN_MULTIPLY"
    const int FN_DIVIDE "VM370_HFP_FN_DIVIDE"
    const int FN_ADD_UNNORMALIZED "VM370_HFP_FN_ADD_UNNORMALIZED"
    const int FN_SUBTRACT_UNNORMALIZED "VM370_HFP_FN_SUBTRACT_UNNORMALIZED"
    const int OP_LRDR "VM370_HFP_OP_LRDR"
    const int OP_MXR "VM370_HFP_OP_MXR"
    const int OP_MXDR "VM370_HFP_OP_MXDR"
    const int OP_LRER "VM370_HFP_OP_LRER"
    const int OP_AXR "VM370_HFP_OP_AXR"
    const int OP_SXR "VM370_HFP_OP_SXR"
    const int OP_MXD "VM370_HFP_OP_MXD"

cdef inline int sign_of(uint64_t w) noexcept nogil
cdef inline int characteristic_of(uint64_t w) noexcept nogil
cdef inline u128 fraction_of(uint64_t w, int digits) noexcept nogil
@cython.locals(hi=u128, lo=u128)
cdef inline u128 extended_fraction(uint64_t[::1] fpr, int r) noexcept nogil
@cython.locals(w=uint64_t, c=uint64_t)
cdef inline uint64_t long_image(int sign, int characteristic, uint64_t fraction) noexcept nogil
@cython.locals(w=uint64_t)
cdef inline void store_fraction(uint64_t[::1] fpr, int r, int digits, int sign, int characteristic,
                         u128 fraction) noexcept nogil
cdef inline void store_extended(uint64_t[::1] fpr, int r, int sign, int characteristic, u128 fraction,
                         int true_zero) noexcept nogil
cdef inline u128 top_digit_limit(int digits) noexcept nogil
@cython.locals(n=int)
cdef inline int leading_zero_digits(u128 fraction, int digits) noexcept nogil
cdef inline int condition_code(int sign, u128 fraction) noexcept nogil
@cython.locals(code=int, cc=int)
cdef inline int finish(uint64_t[::1] fpr, int r, int digits, int sign, int characteristic,
                u128 fraction, int pgm_mask, int set_cc) noexcept nogil
cdef inline int significance_result(uint64_t[::1] fpr, int r, int digits, int characteristic,
                             int pgm_mask) noexcept nogil
@cython.locals(a=u128, b=u128)
cdef inline int aligned_sum_sign(int digits, int s1, int c1, u128 f1, int s2, int c2, u128 f2) noexcept nogil
cdef inline u128 aligned_fraction(int digits, int c, u128 f, int c_other) noexcept nogil
@cython.locals(a=u128, b=u128)
cdef inline u128 aligned_sum(int digits, int s1, int c1, u128 f1, int s2, int c2, u128 f2) noexcept nogil
@cython.locals(c=int, f=u128, s=int, shift=int)
cdef inline int add(uint64_t[::1] fpr, int r1, int digits, int s1, int c1, u128 f1, int s2, int c2,
             u128 f2, int normalized, int pgm_mask) noexcept nogil
@cython.locals(f=u128)
cdef inline int compare(int digits, int s1, int c1, u128 f1, int s2, int c2, u128 f2) noexcept nogil
@cython.locals(shift=int)
cdef inline int halve(uint64_t[::1] fpr, int r1, int digits, int s, int c, u128 f, int pgm_mask) noexcept nogil
@cython.locals(n1=int, n2=int, c=int, p=u128)
cdef inline int multiply(uint64_t[::1] fpr, int r1, int in_digits, int out_digits, int s1, int c1,
                  u128 f1, int s2, int c2, u128 f2, int pgm_mask) noexcept nogil
@cython.locals(n1=int, n2=int, c=int, h1=u128, l1=u128, h2=u128, l2=u128, middle=u128, top=u128)
cdef inline int multiply_extended(uint64_t[::1] fpr, int r1, int s1, int c1, u128 f1, int s2, int c2,
                           u128 f2, int pgm_mask) noexcept nogil
@cython.locals(n1=int, n2=int, c=int, q=u128)
cdef inline int divide(uint64_t[::1] fpr, int r1, int digits, int s1, int c1, u128 f1, int s2, int c2,
                u128 f2, int pgm_mask) noexcept nogil
@cython.locals(out_digits=int)
cdef inline int load_rounded(uint64_t[::1] fpr, int r1, int in_digits, int s, int c, u128 f,
                      int round_bit, int pgm_mask) noexcept nogil
cdef inline int load_signed(uint64_t[::1] fpr, int r1, int digits, int fn, int s, int c, u128 f) noexcept nogil
@cython.locals(w1=uint64_t, s1=int, c1=int, f1=u128, s2=int, c2=int, f2=u128)
cdef inline int short_or_long(uint64_t[::1] fpr, int r1, int fn, int digits, uint64_t w2,
                       int pgm_mask) noexcept nogil
cdef inline int is_fpr(int r) noexcept nogil
cdef inline int is_extended_pair(int r) noexcept nogil
@cython.locals(w1=uint64_t, w2=uint64_t, round_bit=int, s2=int)
cdef inline int extended_rr(uint64_t[::1] fpr, int opcode, int r1, int r2, int pgm_mask) noexcept nogil
cdef inline int registers_valid(int opcode, int r1, int r2) noexcept nogil
@cython.locals(w2=uint64_t, round_bit=int, digits=int)
cpdef int float_rr(uint64_t[::1] fpr, int opcode, int r1, int r2, int pgm_mask) noexcept nogil
@cython.locals(w1=uint64_t)
cpdef int float_rx(uint64_t[::1] fpr, int opcode, int r1, unsigned long long operand,
                   int pgm_mask) noexcept nogil
