/* trap inheritance, CONDITION() in handlers, SIGL from INTERPRET */
signal on novalue name nv
call sub
say 'back; trap restored?'
say zz
exit
sub:
  signal off novalue
  say undefined_in_sub
  call sub2
  return
sub2: procedure
  say 'sub2 inherits off:' qq
  return
nv:
  say 'novalue' condition('D') sigl condition('S')
  call inner
  say 'condition after call' condition('C')
  signal on syntax name syn
  x = 'a' + 1
syn:
  say 'syntax' rc condition('C') condition('S') condition('I')
  signal on syntax name syn2
  call deeper
  say 'not here'
syn2:
  say 'syn2 from deeper' rc sigl
  exit
inner: say 'inner sees' condition('C') condition('D'); return
deeper: procedure
  interpret 'y = (1'
  return
