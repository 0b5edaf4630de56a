say 'before'
call sub
exit
sub:
  signal missing
