# Cython declarations for cms/rexx/numbers.py (pure-Python mode; see the
# comment "the compiled build" there).  Only the addition on C integers is
# typed; the rest compiles as ordinary Python objects.
cimport cython

@cython.locals(result=cython.longlong)
cdef long long _pow10(long long n) noexcept

@cython.locals(length=cython.int, scale=cython.longlong)
cdef int _digit_count(long long magnitude) noexcept

@cython.locals(top=cython.longlong, lowest=cython.longlong, total=cython.longlong,
               exponent=cython.longlong, negative=cython.bint, length=cython.longlong,
               scale=cython.longlong, rest=cython.longlong, rounding_place=cython.longlong,
               adjusted=cython.longlong, point=cython.longlong)
cdef object _add_small(long long ca, long long ea, long long na, long long cb, long long eb,
                       long long nb, long long digits)


# The scientific notation of a sum on C integers, written straight into a
# C buffer (compiled build only: _add_small calls it when _COMPILED).
@cython.cdivision(True)
cdef inline str _c_scientific(unsigned long long magnitude, bint negative, long long adjusted):
    cdef char buffer[64]
    cdef char digits[24]
    cdef int count = 0
    cdef int n = 0
    cdef int i
    cdef unsigned long long power
    while True:
        digits[count] = 48 + <char>(magnitude % 10)
        magnitude = magnitude // 10
        count += 1
        if magnitude == 0:
            break
    if negative:
        buffer[n] = 45  # -
        n += 1
    buffer[n] = digits[count - 1]
    n += 1
    if count > 1:
        buffer[n] = 46  # .
        n += 1
        i = count - 2
        while i >= 0:
            buffer[n] = digits[i]
            n += 1
            i -= 1
    if adjusted != 0:
        buffer[n] = 69  # E
        n += 1
        if adjusted > 0:
            buffer[n] = 43  # +
            power = <unsigned long long>adjusted
        else:
            buffer[n] = 45
            power = <unsigned long long>(-adjusted)
        n += 1
        count = 0
        while True:
            digits[count] = 48 + <char>(power % 10)
            power = power // 10
            count += 1
            if power == 0:
                break
        i = count - 1
        while i >= 0:
            buffer[n] = digits[i]
            n += 1
            i -= 1
    return buffer[:n].decode("ascii")


# A compound variable's value parsed as a whole number on C integers.
@cython.locals(length=cython.Py_ssize_t, value=cython.longlong, code=cython.int,
               character=cython.Py_UCS4)
cdef object _plain_parts(str text)
