x = 2
if x = 2
  then say 'then on next line'
  else say 'no'
select
  when x = 1
    then say 'one'
  when x = 2
    then
      say 'two'
  otherwise
    say 'other'
end
if x = 3
then do
  say 'three'
end
else
  say 'not three'
/* comments /* nested */ still comment */ say 'after nested comment'
say 'continued',
    'line',      /* comment after the comma */
    'three'
a = 1; b = 2; say a b; ; ; say 'after null clauses'
lab1: lab2: say 'two labels then code'
say 'abc'/* no blank */'def' 'ghi' /**/ 'jkl'
say "it's" 'say "hi"' '''' """"
say 'tab	separated'
x.1 = 'a'
say x.1'b' x.1 'b'
say length( 'a' ) substr( 'abc' , 2 )
y = ,
  5
say y
if 1 then if 0 then say 'inner' ; else say 'else binds inner'
say 1e3 1.5e-2 .5e1 12abc
say 'a'"b" 'don''t'
say -(-3)
say +'  7 '
say 2**-1
say 3 -1
say '3'-'1'
say (3)(4)
x = 3; say x. x.x abc.. a.b.c. .5. 1.2.3
say 'a' /* c */ 'b' 'a'/**/'b'
say length(' ') "'" '"'
say 3'x' 3 'x' x'y'
say \0 \1 \ 0
