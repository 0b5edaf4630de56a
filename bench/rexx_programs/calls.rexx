/* Procedure CALLs and function calls */
n = 0
do i = 1 to 120000
  call bump i
  n = n + result
  n = n + twice(i)
end
say n
exit
bump: procedure
  return arg(1) + 1
twice: procedure expose n
  parse arg v
  return v * 2
