*---------------------------------------------------------------------*
* LANECHO: a standalone echo responder for the guest LAN.  IPL it     *
* from a card reader in a virtual machine whose NIC is at X'500',     *
* coupled to a LAN.  It asks the NIC for its MAC address (the LCS     *
* LANSTAT command), then for ever: READ the waiting frames (an LCS    *
* block), send each one back to its source with this NIC's MAC as     *
* the source (one WRITE of the same block), and when nothing waits    *
* (unit exception) wait enabled for the NIC's attention.  A NIC that  *
* answers unit check (not coupled) stops it: disabled wait X'0BAD'.   *
* Without a 3088 at X'500' (SENSE ID) it stops the same way.        *
*---------------------------------------------------------------------*
LANECHO  CSECT
         BALR  12,0                establish addressability
         USING *,12
         MVC   IONEWPSW(8),IONEW   an I/O interruption goes to READ
         LA    1,IDCCW             is X'500' a 3088?
         BAL   14,DOIO
         CLC   SENSEID+1(2),=X'3088'   control unit type
         BNE   STOP
         LA    1,STATCCW           LCS LANSTAT command ...
         BAL   14,DOIO
         LA    1,READCCW           ... and its reply
         BAL   14,DOIO
         MVC   MYMAC(6),BUF+34     header 4 + command 20 + 10 bytes
READ     LA    1,READCCW           the frames waiting
         BAL   14,DOIO
         TM    STATUS,X'01'        unit exception: none waiting
         BO    WAIT
         LA    2,BUF               R2: the current LCS header
NEXT     LH    3,0(2)              offset of the next header
         LTR   3,3
         BZ    ECHO                offset 0: the end of the block
         LA    3,BUF(3)            R3: the next header's address
         CLI   2(2),X'01'          an Ethernet frame?
         BNE   SKIP
         MVC   4(6,2),10(2)        destination := the source
         MVC   10(6,2),MYMAC       source := this NIC
SKIP     LR    2,3
         B     NEXT
ECHO     LA    3,BUF
         SR    2,3                 block length ...
         LA    2,2(2)              ... with its ending zero offset
         STH   2,WRITECCW+6
         LA    1,WRITECCW
         BAL   14,DOIO
         B     READ
WAIT     LPSW  WAITPSW             until the NIC's attention
*        DOIO: start the CCW at R1 on the NIC, wait for its end.
DOIO     ST    1,CAW
STARTIO  SIO   NIC
         BC    4,STARTIO           cc 1: a pending attention was cleared
         BC    3,STOP
TESTIO   TIO   NIC
         BC    2,TESTIO
         MVC   STATUS(1),CSWSTAT
         TM    STATUS,X'02'        unit check: no LAN
         BO    STOP
         BR    14
STOP     LPSW  STOPPSW
         DS    0D
IONEW    DC    X'00000000',A(READ)
WAITPSW  DC    X'04020000',X'00000000'  channel 5 enabled, wait
STOPPSW  DC    X'00020000',X'00000BAD'
IDCCW    CCW   X'E4',SENSEID,X'20',7
STATCCW  CCW   X'01',STATCMD,X'20',STATEND+2-STATCMD
READCCW  CCW   X'02',BUF,X'20',8192
WRITECCW CCW   X'01',BUF,X'20',0
STATCMD  DC    AL2(STATEND-STATCMD),X'00',X'00'
         DC    X'04',X'00',H'1',H'0',X'01',X'00'   LANSTAT
         DC    XL12'00'
STATEND  DC    XL2'0000'
STATUS   DC    X'00'
SENSEID  DC    XL7'00'
MYMAC    DC    XL6'00'
         LTORG
         DS    0H
BUF      DS    32CL256             room for 8192 bytes of frames
CAW      EQU   X'48'               channel address word
CSWSTAT  EQU   X'44'               unit status in the CSW
IONEWPSW EQU   X'78'               I/O new PSW
NIC      EQU   X'500'
         END   LANECHO
