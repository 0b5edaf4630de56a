/* exposure, stems and DROP across procedures */
a. = 'dflt'; a.1 = 'one'; j = 2; k = 'K'
call p1
say a.1 a.2 a.3 j k symbol('a.4') a.4
call p2 'x'
say 'after p2' b.x b.y symbol('b.')
list = 'c d'; c = 'C'; d = 'D'
call p3
say 'after p3' c d symbol('c') symbol('d') list
e.1 = 'e1'; e.2 = 'e2'
call p4
say 'after p4' e.1 e.2 e.3
exit
p1: procedure expose a. j
  a.j = 'two'; a.3 = 'three'; drop a.1; k = 'local'
  say 'in p1' a.1 a.j k
  return
p2: procedure expose b.
  parse arg t
  b.t = 'bx'; b.y = 'by'
  return
p3: procedure expose (list)
  drop c
  d = 'changed'
  return
p4: procedure expose e.2 e.3
  e.2 = 'E2'; e.3 = 'E3'; e.1 = 'local e1'
  return
