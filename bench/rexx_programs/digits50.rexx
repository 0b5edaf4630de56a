/* NUMERIC DIGITS 50 arithmetic */
numeric digits 50
x = 1
s = 0
do i = 1 to 40000
  x = x * 1.0001
  s = s + 1 / i
  q = x / 3 - i
end
say format(x, , 30)  /* Regina 3.6 loses the last few of the 50 digits */
say s
say format(q, , 40)  /* and here the last one */
