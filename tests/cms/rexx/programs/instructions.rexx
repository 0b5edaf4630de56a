/* assorted instructions */
a = 1; b = 2; c = 3; names = 'a b'
drop (names)
say a b c names
x.1 = 'one'; x.2 = 'two'; i = 1
call exposer
say x.1 x.2 'i='i
env = 'XEDIT'
address value env
say address()
address value 'CMS'
say address()
numeric form value 'ENGINEERING'; say form(); numeric form scientific
numeric digits 5 + 5; say digits(); numeric digits
push 'p1'; push 'p2'; queue 'q1'; queue 'q2'
do queued(); parse pull line; say line; end
signal 'done'
say 'skipped'
'done':
say 'reached done'
do i = 1 to 3
  if i = 2 then signal out
end
out: say 'out of loop at' i
j = 0
do forever
  j = j + 1
  select
    when j < 3 then iterate
    when j = 5 then leave
    otherwise say 'j' j
  end
end
say 'say with no expression follows'
say
if 1 then do; say 'do group'; end; else nop
do; do; say 'nested groups'; end; end
x = 'ab'; y = x'cd'; say y
z = x || 1 x(1) /* x( is a call */
say z
exit
exposer: procedure expose x.i
  x.i = 'ONE'
  x.2 = 'local two'
  i = 'changed'
  return
x: return 'called' arg(1)
