/* Clauses run many times: compiled expressions, assignments, IFs and the
   whole-number DO steps must give what the clauses give when run once */
out = ''
do i = 1 to 10
  if i = 3 then i = i + 2          /* the body changes the control variable */
  out = out i
end
say 'modified:' out i
out = ''
do i = 10 to 1 by -3; out = out i; end
say 'down:' out i
out = ''
do i = 1 to 2.5 by 0.5; out = out i; end
say 'fraction:' out i
out = ''
do i = 999999995 to 1000000003 by 2 for 6; out = out i; end
say 'over digits:' out i
out = ''
do i = 1 to 20 for 4; out = out i; end
say 'for:' out i
out = ''
do i = 1 by 7 while i < 30; out = out i; end
say 'while:' out i
out = ''
do i = 1 until i >= 4; out = out i; end
say 'until:' out i
out = ''
do i = 95 to 120 by 5
  if i = 100 then numeric digits 2
  out = out i
end
numeric digits
say 'digits changed:' out i
out = ''
k = 7
do a.k = 1 to 3; out = out a.k; end
say 'compound control:' out a.7
out = ''
do i = 1 to 3
  j = i
  i = j          /* the same value, another string */
  out = out i
end
say 'reassigned:' out
s = 0
do i = 1 to 60000 by 997
  s = s + i * 3.25
  t = s / 7
  u = i // 13 - i % 3 + (s // 7.5)
end
say 'sums:' s t u
x = 1.5
do 5
  x = x * x - 0.25
  y = -x
  z = \ (x > 2)
end
say 'powers:' x y z
say 'lengths:' length('abc') twice(4) twice(5)
c = 0
do i = 1 to 12
  select
    when i // 4 = 0 then c = c + 100
    when i == '3' | i >>= 11 then c = c + 10
    otherwise c = c + 1
  end
end
say 'select:' c
n = 0
call bump; call bump; call bump
say 'exposed:' n m.1 m.2 m.3
say 'returns:' early(3) early(12) viainterpret(2) viainterpret(9) nested(4)
call early 5; say 'result:' result
call noresult; say 'dropped:' symbol('RESULT')
signal on syntax
do i = 1 to 3
  v = word('1 0 2', i)
  if v then say 'true at' i
  else say 'false at' i
end
exit
syntax:
  say 'syntax' rc 'at line' sigl 'with v =' v
  exit
length: procedure
  return 'internal' arg(1)
twice: procedure
  return arg(1) * 2
bump: procedure expose n m.
  n = n + 1
  m.n = n * n
  return
early: procedure
  do i = 1 to 10
    do j = 1 to 10
      if i * j > arg(1) then return i j
    end
  end
  return 'none'
viainterpret: procedure
  interpret 'if arg(1) > 5 then return "big"; x = 1'
  return 'small'
nested: procedure
  if arg(1) = 0 then return 'bottom'
  return arg(1) || nested(arg(1) - 1)
noresult:
  return
