*---------------------------------------------------------------------*
* SIEVE: the sieve of Eratosthenes, standalone.  Marks the multiples  *
* of each prime below 1000 in a table of flags, then writes the       *
* primes to the console at 009, ten to a line, and their count.       *
* The I/O is real: SIO starts the channel program, TIO asks until   *
* the console is done (LANDER and LIFE wait for the interruption      *
* instead).  Ends with a disabled wait, instruction address 0.        *
*---------------------------------------------------------------------*
SIEVE    CSECT
         BALR  12,0
         USING *,12
         LA    3,TITLECCW
         BAL   14,DOIO
         XC    FLAGS(250),FLAGS        every number a candidate
         XC    FLAGS+250(250),FLAGS+250
         XC    FLAGS+500(250),FLAGS+500
         XC    FLAGS+750(250),FLAGS+750
         LA    6,2                     P = 2
OUTER    LR    9,6
         MR    8,6                     R9 = P*P
         C     9,LIMIT
         BNL   COLLECT                 P*P past the limit: done
         LA    10,FLAGS(6)
         CLI   0(10),0
         BNE   NEXTP                   P is not prime
MARK     LA    10,FLAGS(9)
         MVI   0(10),1                 a multiple of P
         AR    9,6
         C     9,LIMIT
         BL    MARK
NEXTP    LA    6,1(,6)
         B     OUTER
COLLECT  SR    7,7                     primes found
         SR    11,11                   numbers on this line
         LA    8,LINE
         LA    6,2
SCAN     LA    10,FLAGS(6)
         CLI   0(10),0
         BNE   NOTPRIME
         LA    7,1(,7)
         CVD   6,DW
         MVC   0(6,8),PATTERN
         ED    0(6,8),DW+5
         LA    8,6(,8)
         LA    11,1(,11)
         CH    11,=H'10'
         BL    NOTPRIME
         BAL   14,PUTLINE              ten on the line: write it
NOTPRIME LA    6,1(,6)
         C     6,LIMIT
         BL    SCAN
         LTR   11,11
         BZ    COUNT
         BAL   14,PUTLINE              the last, short line
COUNT    CVD   7,DW
         MVC   TOTAL,PATTERN
         ED    TOTAL,DW+5
         LA    3,TOTALCCW
         BAL   14,DOIO
         LPSW  STOPPSW
*
PUTLINE  ST    14,SAVE14
         LA    3,LINECCW
         BAL   14,DOIO
         MVI   LINE,C' '
         MVC   LINE+1(L'LINE-1),LINE
         LA    8,LINE
         SR    11,11
         L     14,SAVE14
         BR    14
*
DOIO     ST    3,72(0)                 CAW: key 0, the CCW address
         SIO   CONSOLE
         BC    7,IOFAIL
IOWAIT   TIO   CONSOLE                 until the console is done
         BC    2,IOWAIT
         BR    14
IOFAIL   LPSW  BADPSW
*
         DS    0D
STOPPSW  DC    X'00020000',X'00000000'
BADPSW   DC    X'00020000',X'00000BAD'
DW       DS    D
TITLECCW CCW   X'09',TITLE,X'20',L'TITLE
LINECCW  CCW   X'09',LINE,X'20',L'LINE
TOTALCCW CCW   X'09',TOTAL,X'20',L'TOTAL+L'TOTALTXT
LIMIT    DC    F'1000'
SAVE14   DS    F
PATTERN  DC    X'402020202120'
TITLE    DC    C'SIEVE OF ERATOSTHENES: THE PRIMES BELOW 1000'
LINE     DC    CL60' '
TOTAL    DC    CL6' '
TOTALTXT DC    C' PRIMES BELOW 1000'
CONSOLE  EQU   X'009'
         LTORG
FLAGS    DS    1000C
         END   SIEVE
