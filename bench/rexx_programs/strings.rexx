/* String building and PARSE */
line = ''
do i = 1 to 250000
  line = 'field'i 'value'i || ',' i * 2
  parse var line a b ',' c
  if c \= i * 2 then say 'bad' i
  w = word(line, 2)
end
t = ''
do i = 1 to 20000
  t = t || right(i, 6)
end
say length(t) a b c w
