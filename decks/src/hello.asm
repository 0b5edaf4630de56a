*---------------------------------------------------------------------*
* HELLO: a standalone program.  IPL it from a card reader; it writes  *
* one line to the 3215 console at 009 (CCW X'09': write, then         *
* carriage return) and stops in a disabled wait with address 0.       *
*---------------------------------------------------------------------*
HELLO    CSECT
         BALR  12,0                establish addressability
         USING *,12
         LA    1,WRITE             CAW: key 0, address of the CCW
         ST    1,CAW
         SIO   CONSOLE             start the write
         BC    7,DONE              not started (cc 1-3): give up
WAITIO   TIO   CONSOLE             wait until the console is free
         BC    2,WAITIO            cc 2: still busy
DONE     LPSW  STOPPSW             disabled wait, address 0
         DS    0D
STOPPSW  DC    X'0002000000000000' BC mode PSW: wait bit, all masks off
WRITE    CCW   X'09',MSG,X'20',L'MSG  write + carriage return, SLI
MSG      DC    C'HELLO FROM A STANDALONE S/370 PROGRAM'
CAW      EQU   X'48'               channel address word (GA22-7000)
CONSOLE  EQU   X'009'              3215 console
         END   HELLO
