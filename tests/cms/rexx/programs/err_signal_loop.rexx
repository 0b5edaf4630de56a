do i = 1 to 3
  say i
  lab:
  say 'in loop'
end
say 'after'
signal lab
