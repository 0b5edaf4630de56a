/* A recursive function */
say fib(25)
exit
fib: procedure
  arg n
  if n < 2 then return n
  return fib(n - 1) + fib(n - 2)
