/* hex and binary literals and conversions */
call t "c2x('1 23'x)"
call t "c2x('12 3'x)"
call t "c2x('123'x)"
call t "c2x(''x)"
call t "c2x('1 0101'b)"
call t "c2x('101 0101'b)"
call t "c2x('11111111 0'b)"
call t "c2x(' 12'x)"
call t "c2x('1g'x)"
call t "x2c('1 23')"
call t "x2c('12 3')"
call t "x2d('fff')"
call t "b2x('1 0101')"
call t "datatype('1 23', 'X')"
call t "datatype('12 3', 'X')"
call t "datatype('1 0101', 'B')"
exit
t: procedure
  parse arg e
  signal on syntax name bad
  interpret 'v =' e
  say e '=' v
  return
bad: say e '-> error' rc; return
