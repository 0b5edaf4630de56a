*---------------------------------------------------------------------*
* SPIN: a program that never ends, standalone.  Says so on the        *
* console at 009, then counts in R5 for ever.  On a real 1972         *
* machine such a program owned the CPU; under CP it is one virtual    *
* machine among many: the dispatcher takes the CPU back at the end    *
* of each time slice, and INDICATE shows what it used.  Stop it with  *
* the CP commands SYSTEM RESET or IPL, or by logging off.             *
*---------------------------------------------------------------------*
SPIN     CSECT
         BALR  12,0
         USING *,12
         MVC   120(8,0),IONEW          I/O new PSW: back at AFTERIO
         LA    3,HELLOCCW
         ST    3,72(0)                 CAW: key 0, the CCW address
         SIO   CONSOLE
         BC    7,COUNT
         LPSW  WAITPSW                 wait for the I/O interruption
AFTERIO  SR    5,5
COUNT    LA    5,1(,5)                 round and round
         B     COUNT
*
CONSOLE  EQU   X'009'
         DS    0D
IONEW    DC    X'00000000',A(AFTERIO)
WAITPSW  DC    X'FE020000',X'00000000'
HELLOCCW CCW   X'09',HELLO,X'20',L'HELLO
HELLO    DC    C'SPIN: COUNTING FOR EVER. CP STILL SHARES THE CPU.'
         LTORG
         END   SPIN
