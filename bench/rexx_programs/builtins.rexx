/* Built-in heavy code */
c = 0
do i = 1 to 150000
  s = copies('ab', 5) || reverse(i)
  c = c + length(s) + pos('ba', s) + words('a b c' i)
  t = translate(left(s, 8), 'XY', 'ab')
  u = strip('  ' t '  ')
  h = c2x(substr(u, 1, 3))
  d = x2d('FF') + max(i, 5) + abs(-i)
  v = space(overlay('zz', u, 2))
end
say c t u h d v
