/* stack, SAY, PULL, ADDRESS, TRACE(), SOURCELINE, NUMERIC, misc instructions */
push 'first'; push 'second'; queue 'third'
say queued()
pull a; say a
parse pull b; say b
pull c; say c
say queued()
pull fromstdin; say 'stdin:' fromstdin
parse pull raw; say 'raw:' raw
say sourceline() sourceline(1)
address system
say address()
address command
say address()
address
say address()
say trace() trace('R') trace('O') trace()
numeric digits 12; say digits(); numeric digits; say digits()
numeric form engineering; say form(); numeric form; say form()
numeric form value 'SCIENTIFIC'; say form()
say length(date()) length(time()) time('H') < 24 date('S') > 19000101
say datatype(time('S'), 'W') datatype(date('B'), 'W') datatype(date('D'), 'W')
x = 'a'; drop x; say x
say 'a' 'b'  'c'||'d' 'e'
say "double ""quoted"" string" 'single ''quoted'''
say 1 2,
   3
say; say 'after empty say'
nop
y = random(1, 6); say y >= 1 & y <= 6
say random(5,5) (length(random()) <= 3) random(0,0,42) >= 0
say xrange('a','e') 'hex:' '4142'x 'bin:' '01000011'b
exit 7
