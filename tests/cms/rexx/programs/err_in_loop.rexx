do i = 1 to 3
  say i
  if i = 2 then x = i + 'q'
end
