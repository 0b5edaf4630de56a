/* conditions, SIGNAL, CALL ON, CONDITION(), SIGL, RC */
signal on novalue
x = undefined_variable
say 'not reached'
novalue:
say 'novalue at line' sigl condition('C') condition('D') condition('I') condition('S')
signal on syntax
y = 1 + 'abc'
say 'not reached'
syntax:
say 'syntax rc' rc 'line' sigl errortext(rc) condition('C') condition('I')
signal on syntax name bad_call
z = substr('abc', 0)
bad_call:
say 'bad call' rc sigl
signal on syntax name div0
z = 1 / 0
div0:
say 'divide' rc
signal next
say 'skipped'
next: say 'at next, sigl' sigl
signal on syntax name interp_err
interpret 'a = (1'
interp_err:
say 'interpret error' rc
signal on syntax name nolabel
signal value 'NOWHERE'
nolabel:
say 'label not found' rc
call sub
say 'back' result
signal on syntax name deep
call level1
deep:
say 'deep error' rc 'at' sigl
exit
sub:
  signal on novalue name sub_nv
  return qqq
sub_nv:
  return 'sub novalue' condition('D')
level1: call level2; return
level2: x = 'a' + 1; return
