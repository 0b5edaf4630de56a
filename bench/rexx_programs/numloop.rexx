/* Numeric loop: an add, a // and an IF per iteration */
s = 0
do i = 1 to 900000
  s = s + i
  if i // 7 = 0 then s = s - 1
end
say s
