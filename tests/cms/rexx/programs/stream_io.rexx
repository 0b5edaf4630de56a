f = 'test.txt'
say stream(f, 'c', 'open write replace')
say lineout(f, 'line one')
say lineout(f, 'line two')
say charout(f, 'abc')
say charout(f, 'def')
say lineout(f)
say stream(f, 's') stream(f, 'd')
say stream(f, 'c', 'query exists') <> ''
say stream(f, 'c', 'query size')
say lines(f) chars(f)
say linein(f)
say charin(f, , 3) charin(f) chars(f) lines(f)
say linein(f)
say linein(f)
say lines(f) chars(f)
say linein(f) '|' stream(f, 's') stream(f,'d')
say stream(f, 'c', 'close')
say linein(f, 1) linein(f, 2, 1)
say charin(f, 1, 5)
say lines('nosuch.file') stream('nosuch.file', 'c', 'query exists') '|'
say linein('nosuch.file') '|' stream('nosuch.file','s') stream('nosuch.file','d')
call on notready name nr
x = linein('nosuch.file')
say 'after' x
signal on notready name nr2
x = linein(f, 1)
x = linein(f)
x = linein(f)
x = linein(f)
say 'not reached'
exit
nr: say 'NOTREADY' condition('d') condition('c') condition('i') sigl; return
nr2: say 'SIG NOTREADY' condition('d') sigl; 
call charout , 'no newline'
call charout , ' here'
say ''
say lineout(, 'to console')
say changestr('a', 'banana', 'o') countstr('an', 'banana') changestr('', 'x', 'y') countstr('', 'abc')
say upper('abc') lower('ABC')
parse lower value 'ABC Def' with x y; say x y
exit
