/* numeric and conversion built-in functions */
say abs('12.3') abs(-0.307) abs(' -5 ') abs(0)
say sign('12.3') sign(' -0.307') sign(0.0)
say max(12,6,7,9) max(17.3,19,17.03) max(-7,-3,-4.3) max(1,2,3,4,5,6,7,8,9,10,11,12)
say min(12,6,7,9) min(17.3,19,17.03) min(-7,-3,-4.3) min(1.0,1)
say trunc(12.3) trunc(127.09782,3) trunc(127.1,3) trunc(127,2) trunc(-1.99) trunc(0.5) trunc(1e3,1)
say c2d('09'x) c2d('81'x) c2d('FF81'x) c2d('') c2d('a') c2d('81'x,1) c2d('81'x,2) c2d('FF81'x,2) c2d('FF81'x,1) c2d('FF7F'x,1) c2d('F081'x,2) c2d('F081'x,1) c2d('0031'x,0)
say c2x('72s') c2x('0123'x) c2x('')
say c2x(d2c(9)) c2x(d2c(129)) c2x(d2c(129,1)) c2x(d2c(129,2)) c2x(d2c(257,1)) c2x(d2c(-127,1)) c2x(d2c(-127,2)) c2x(d2c(-1,4)) c2x(d2c(12,0)) c2x(d2c(0))
say d2x(9) d2x(129) d2x(129,1) d2x(129,2) d2x(127,4) d2x(-127,4) d2x(12,0) d2x(0) d2x(255)
say x2c('4865 6c6c6f') x2c('3732 73') c2x(x2c('F')) '['x2c('')']'
say x2d('0E') x2d('81') x2d('F81') x2d('FF81') x2d('c6 f0') x2d('81',2) x2d('81',4) x2d('F081',4) x2d('F081',3) x2d('F081',2) x2d('F081',1) x2d('0031',0) x2d('')
say x2b('C3') x2b('789') x2b('1 02') b2x('11000011') b2x('10111') b2x('101') b2x('1 1111 0000')
say format(3,4) format(1.73,4,0) format(1.73,4,3) format(-.76,4,1) format(3.03,4) format(' - 12.73',,4) format(-12.73) format(0.000,,2)
say format(12345.73,,,2,2) format(12345.73,,3,,0) format(1.234573,,3,,0) format(123.45,,3,2,0) format(1.2345,,3,2,0) format(12345.73,,,3,6) format(1234567e5,,3,0) format(12345678,,,0)
say '['format(1.5,,,3)']['format(1e20,,,3)']['format(0.0001,,,,2)']['format(99.999,3,2)']['format(-0.001,,1)']['format(9.9999,,2,,0)']'
say datatype(' 12 ') datatype('') datatype(123) datatype('12.3', 'N') datatype('12.3','W') datatype('Fred','M') datatype('','M') datatype('Minx','L') datatype('3d?','S') datatype('BCd3','X') datatype('BC d3','X') datatype('BC 3','X') datatype('0101','B') datatype('01 0101','B')
say datatype('abc','A') datatype('ab c','A') datatype('ABC','U') datatype('AbC','U') datatype('abc','l') datatype('1e5','W') datatype('1.0','W') datatype('1.5','W') datatype('','X') datatype('','B') datatype('12345678901','W')
say digits() fuzz() form()
numeric digits 4
say max(1.23456, 1) abs(-1.23456) trunc(1.23456,4) format(1.23456) sign(-0.00001)
numeric digits
say errortext(16) '|' errortext(40) '|' errortext(99) '|'
