/* Stem and compound variables */
do i = 1 to 50000
  a.i = i * 3
  k = 'K'i // 97
end
total = 0
do j = 1 to 50000
  total = total + a.j
end
do i = 1 to 200
  do j = 1 to 100
    m.i.j = i + j
  end
end
x = 0
do i = 1 to 200
  x = x + m.i.100
end
say total x
