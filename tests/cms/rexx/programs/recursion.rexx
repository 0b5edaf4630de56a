/* recursion, PROCEDURE EXPOSE, functions */
say fact(10) fact(20) fib(15)
numeric digits 30
say fact(25)
numeric digits 9
say hanoi(4, 'A', 'C', 'B') 'moves'
counter = 0; call bump; call bump; say 'counter' counter
list = 'a b'; a = 1; b = 2; c = 3
call show
say ackermann(2, 3)
t.1 = 'x'; t.2 = 'y'; call stemsub; say t.1 t.2 t.3
say gcd(1071, 462) digitsum(123456789)
call noproc; say 'noproc set' shared
exit
fact: procedure
  arg n
  if n <= 1 then return 1
  return n * fact(n - 1)
fib: procedure
  parse arg n
  if n < 2 then return n
  return fib(n-1) + fib(n-2)
hanoi: procedure
  parse arg n, from, to, via
  if n = 0 then return 0
  return hanoi(n-1, from, via, to) + 1 + hanoi(n-1, via, to, from)
bump: procedure expose counter
  counter = counter + 1
  return
show: procedure expose (list) c
  say 'show' a b c symbol('list')
  return
ackermann: procedure
  parse arg m, n
  if m = 0 then return n + 1
  if n = 0 then return ackermann(m - 1, 1)
  return ackermann(m - 1, ackermann(m, n - 1))
stemsub: procedure expose t.
  t.3 = t.1 || t.2
  return
gcd: procedure
  parse arg a, b
  do while b \= 0; parse value b a//b with a b; end
  return a
digitsum: procedure
  s = 0; do i = 1 to length(arg(1)); s = s + substr(arg(1), i, 1); end
  return s
noproc:
  shared = 'yes'
  return
