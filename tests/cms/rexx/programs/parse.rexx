/* PARSE templates */
parse value 'The quick brown fox' with a bb c
say '['a']['bb']['c']'
parse value '  a   b  c  ' with xx y
say '['xx']['y']'
parse value '  a   b  c  ' with xx
say '['xx']'
parse value 'one two three' with . second .
say '['second']'
parse value 'key=value;rest' with k '=' v ';' r
say k v r
parse value 'abcdefghij' with 3 p 6 q
say p q
parse value 'abcdefghij' with 1 p +2 q +3 r
say p q r
parse value 'abcdefghij' with 5 p 2 q
say '['p']['q']'
parse value 'abcdefghij' with p 4 q -2 r
say '['p']['q']['r']'
delim = ','
parse value 'a,b,c' with f1 (delim) f2 (delim) f3
say f1 f2 f3
parse value 'abc' with 'x' nothing
say '['nothing']'
parse value 'a b c d' with w1 w2 'zz' w3
say '['w1']['w2']['w3']'
parse upper value 'Mixed Case' with m1 m2
say m1 m2
s = 'VAR source string'
parse var s first rest
say first '|' rest
parse value '12 34' with n1 n2 . ; say n1 + n2
parse value 'abcdef' with =3 z1 =(n1) z2
say z1 z2
len = 2
parse value 'abcdefgh' with z3 +(len) z4 +(len) z5
say z3 z4 z5
parse value 'L5 hello world' with 'L' n +1 str
say n str
parse value 'a.b.c' with p1 '.' p2 '.' p3
say p1 p2 p3
parse value '' with e1 e2
say '['e1']['e2']'
parse value 'x y' with e1 e2 e3
say '['e1']['e2']['e3']'
call sub 'one two', 'three', , 'five'
exit
sub:
  parse arg a1 bb1, c1, d1, e1
  say '['a1']['bb1']['c1']['d1']['e1']'
  arg up1 .
  say up1
  say arg() arg(3, 'E') arg(3, 'O') arg(4)
  return
