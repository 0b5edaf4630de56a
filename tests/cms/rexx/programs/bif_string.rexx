/* string built-in functions with their options */
say abbrev('Print','Pri') abbrev('PRINT','Pri') abbrev('Print','Pri',4) abbrev('Print','') abbrev('Print','',1)
say '['center('abc',7)']['center('abc',8,'-')']['centre('The blue sky',8)']['center('abcde',4)']'
say compare('abc','abc') compare('abc','ak') compare('ab ','ab') compare('ab--','ab','-') compare('','')
say copies('ab',3) '['copies('x',0)']'
say delstr('abcd',3) delstr('abcde',3,2) delstr('abcde',6)
say '['delword('Now is the  time',2,2)']['delword('Now is the time',3)']['delword('Now is the time',5)']['delword('Now is the time ',3,1)']'
say insert(' ','abcdef',3) insert('123','abc',5,6) insert('123','abc',5,6,'+') insert('123','abc') insert('123','abc',,5,'-')
say lastpos(' ','abc def ghi') lastpos(' ','abcdefghi') lastpos(' ','abc def ghi',7) lastpos('','abc')
say '['left('abc d',8)']['left('abc  def',7)']['left('abc',5,'.')']['left('abc',0)']'
say length('abcdefgh') length('') length(' a ')
say overlay(' ','abcdef',3) overlay('.','abcdef',2) overlay('qq','abcd') overlay('qq','abcd',4) overlay('123','abc',5,6,'+')
say pos('day','Saturday') pos('x','abc def ghi') pos(' ','abc def ghi') pos(' ','abc def ghi',5) pos('','abc')
say reverse('ABc.') '['reverse('')']'
say '['right('abc  d',8)']['right('abc def',5)']['right('12',5,'0')']'
say '['space('abc  def  ')']['space('  abc def  ',3)']['space('abc  def  ',1)']['space('abc  def  ',0)']['space('abc  def  ',2,'+')']'
say '['strip('  ab c  ')']['strip('  ab c  ','L')']['strip('  ab c  ','t')']['strip('12.7000',,0)']['strip('0012.700','B','0')']'
say '['substr('abc',2)']['substr('abc',2,4)']['substr('abc',2,6,'.')']['substr('abc',5)']['substr('abc',1,0)']'
say '['subword('Now is the  time',2,2)']['subword('Now is the  time',3)']['subword('Now is the  time',5)']'
say translate('abcdef') translate('abbc','&','b') translate('abcdef','12','ec') translate('abcdef','12','abcd','.') translate('4123','abc','1234')
say verify('123','1234567890') verify('1Z3','1234567890') verify('AB4T','1234567890','M') verify('1P3Q4','1234567890',,3) verify('','abc')
say word('Now is the time',3) '['word('Now is the time',5)']'
say wordindex('Now is the time',3) wordindex('Now is the time',6)
say wordlength('Now is the time',2) wordlength('Now comes the time',2) wordlength('Now is the time',6)
say wordpos('the','now is the time') wordpos('The','now is the time') wordpos('is the','now is the time') wordpos('is   the','now is the time') wordpos('is time ','now is the time') wordpos('be','To be or not to be',3)
say words('Now is the time') words(' ') words('')
say c2x(xrange('a','f')) c2x(xrange('FE'x,'02'x)) length(xrange())
say bitand('12'x) c2x(bitand('73'x,'27'x)) c2x(bitand('13'x,'5555'x)) c2x(bitand('13'x,'5555'x,'74'x)) bitand('pQrS',,'DF'x)
say c2x(bitor('15'x,'24'x)) c2x(bitor('15'x,'2456'x)) c2x(bitor('15'x,'2456'x,'F0'x)) bitor('Fred',,'40'x)
say c2x(bitxor('12'x,'22'x)) c2x(bitxor('1211'x,'22'x)) c2x(bitxor('1111'x,'444444'x)) c2x(bitxor('1111'x,'444444'x,'40'x)) c2x(bitxor('C711'x,'222222'x,' '))
say find('now is the time','is the') index('abcdef','cd') index('abcdef','xd') index('abcabc','b',3)
say '['justify('The blue sky',14)']['justify('The blue sky',8)']['justify('The blue sky',9,'+')']'
say 'abc'x = 'ABC'x '0101'b '1 0000 0001'b = '101'x ''x = ''
