/* INTERPRET */
s = 0
do i = 1 to 160000
  interpret 's = s +' i
  interpret 'v'i // 10 '= i'
end
say s v3
