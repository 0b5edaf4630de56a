/* INTERPRET */
interpret 'say 1+2'
do i = 1 to 3; interpret 'v'i '=' i*i; end
say v1 v2 v3
cmd = 'do j = 1 to 3; say "j="j; end'
interpret cmd
interpret 'x = 5; y = x * 2'; say x y
name = 'dynamic'
interpret name '= "value of" name'
say dynamic
interpret 'call sub 7'; say result
code = 'if x > 3 then say "big"; else say "small"'
interpret code
x = 1; interpret code
interpret 'select; when x = 1 then say "one"; otherwise say "other"; end'
s = 'say "nested:" 2**3'
interpret 'interpret s'
exit
sub: return arg(1) * 3
