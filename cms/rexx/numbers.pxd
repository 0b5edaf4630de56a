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
