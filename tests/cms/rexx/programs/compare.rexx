/* normal and strict comparisons */
pairs = "'abc' 'abc ' ; ' abc' 'abc' ; 'abc' 'abd' ; 'ab' 'abc' ; '' ' ' ; '1' '1.0' ; '1' ' 1 ' ;",
        "'1e2' '100' ; '-0' '0' ; '0.0' '-0.00' ; 'a' 'A' ; '10' '9' ; '10' '9a' ; 'abc' 'ab'"
do while pairs <> ''
  parse var pairs a b ';' pairs
  interpret 'x =' a '; y =' b
  say left(a '~' b, 16) (x = y) (x \= y) (x > y) (x < y) (x >= y) (x <= y) (x <> y) (x >< y),
      '|' (x == y) (x \== y) (x >> y) (x << y) (x >>= y) (x <<= y) (x \>> y) (x \<< y)
end
numeric digits 4
say (1.0001 = 1) (12345 = 12346) (12345 < 12346) (0.00001 = 0)
numeric fuzz 1
say (1.0001 = 1) (12345 = 12346) (12345 < 12346) (123 = 124)
