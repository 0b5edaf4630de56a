/* ANSI X3.274 string built-ins and the common extensions UPPER, LOWER, PARSE LOWER */
say changestr('a', 'banana', 'o') changestr('an', 'banana', '') changestr('', 'x', 'y')
say changestr('aa', 'aaaaa', 'b') changestr('x', '', 'y') '|'changestr(' ', ' a b ', '')'|'
say countstr('an', 'banana') countstr('', 'abc') countstr('aa', 'aaaaa') countstr('z', 'abc')
say countstr('A', 'banana') changestr('A', 'banana', 'o')
say upper('abc Def 123') lower('ABC dEF 123')
say upper('') '|' lower('')
parse lower value 'ABC Def GHI' with x y z; say x y z
parse upper value 'abc Def' with x y; say x y
s = 'Mixed Case'
parse lower var s a b; say a b
signal on syntax
say changestr('a', 'b')
exit
syntax: say 'syntax' rc sigl
