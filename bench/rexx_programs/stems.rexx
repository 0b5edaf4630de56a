/* Stem and compound variables */
do i = 1 to 450000
  a.i = i * 3
  k = 'K'i // 97
end
total = 0
do j = 1 to 450000
  total = total + a.j
end
do i = 1 to 600
  do j = 1 to 300
    m.i.j = i + j
  end
end
x = 0
do i = 1 to 600
  x = x + m.i.300
end
say total x
