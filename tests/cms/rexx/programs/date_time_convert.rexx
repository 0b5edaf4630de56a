/* DATE and TIME conversions of fixed dates and times (none depends on today) */
outs = 'B C D E M N O S U W T'
do b = 365243 to 3652058 by 9973   /* years 1001 to 9999 */
  s = date('S', b, 'B')
  line = s
  do i = 1 to words(outs)
    line = line date(word(outs, i), s, 'S')
  end
  say line
  /* back from the formats that name a day with a four-digit year */
  line = '  back' date('B', date('N', s, 'S')) date('B', s, 'S')
  if s >= 19700101 & s < 20380119 then line = line date('B', date('T', s, 'S'), 'T')
  say line
end
say date('W', '29 Feb 2000') date('W', '1 Mar 2100') date('B', '31 Dec 9999') date('S', '365243', 'B')
say date('N', '19700101', 'S') date('T', '19691231', 'S') date('S', '-1', 'T') date('S', '86399', 'T')
outt = 'C H L M N S'
do t = 0 to 86399 by 3607
  line = t
  do i = 1 to words(outt)
    line = line time(word(outt, i), t, 'S')
  end
  say line
  say '  back' time('S', time('C', t, 'S'), 'C') time('S', time('H', t, 'S'), 'H'),
    time('S', time('L', t, 'S'), 'L') time('S', time('M', t, 'S'), 'M') time('S', time('N', t, 'S'), 'N')
end
say time('C', '00:00:00') time('C', '12:00:00') time('C', '12:59:59') time('C', '23:59:59')
say time('N', '12:00am', 'C') time('N', '12:00pm', 'C') time('N', '9:05am', 'C') time('N', '11:59pm', 'C')
say time('L', '13:04:05') time('N', '13:04:05.999999', 'L') time('M', '23:59:59') time('H', '00:59:59')
/* invalid dates and times are Error 40 */
bad = "date('S', '31 Feb 2026')|date('S', '20261301', 'S')|date('S', '2026030', 'S')|" ||,
      "date('S', '7 Mar 26')|date('S', 'x')|date('X')|date('W', '', 'S')|date('S', '1 mar 2026')|" ||,
      "date('S', 'abc', 'B')|date('S', '20260230', 'S')|date('M', '1 Jan 2000', 'M')|" ||,
      "time('N', '25:00:00')|time('N', '86400', 'S')|time('N', '1:2:3')|time('N', '13:00pm', 'C')|" ||,
      "time('N', '12:60am', 'C')|time('X')|time('N', '1440', 'M')|time('N', '24', 'H')|" ||,
      "time('N', '23:59:59.5', 'L')|time('N', 'abc', 'S')"
do while bad <> ''
  parse var bad call '|' bad
  say call '->' try(call)
end
exit
try: procedure
  signal on syntax
  interpret 'r =' arg(1)
  return r
syntax: return 'ERROR' rc
