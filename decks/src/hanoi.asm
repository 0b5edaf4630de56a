*---------------------------------------------------------------------*
* HANOI: the Towers of Hanoi, standalone.  Moves four disks from peg  *
* A to peg C, writing each move on the console at 009.  The solution  *
* is the textbook recursion HANOI(N,FROM,TO,VIA): move N-1 disks out  *
* of the way, move disk N, move the N-1 disks back on top.  S/370 has *
* no stack: R13 points into a table of 20-byte frames (N, FROM, TO,   *
* VIA, return address) that this program keeps itself.                *
*---------------------------------------------------------------------*
HANOI    CSECT
         BALR  12,0
         USING *,12
         LA    3,TITLECCW
         BAL   14,DOIO
         LA    13,STACK
         SR    9,9                     moves made
         LA    2,4                     N = 4 disks
         LA    3,C'A'                  from peg A
         LA    4,C'C'                  to peg C
         LA    5,C'B'                  by way of peg B
         BAL   14,SOLVE
         CVD   9,DW
         MVC   COUNT,PATTERN
         ED    COUNT,DW+6
         LA    3,DONECCW
         BAL   14,DOIO
         LPSW  STOPPSW
*
* SOLVE: R2 = N, R3 = from, R4 = to, R5 = via (EBCDIC peg letters)
SOLVE    LTR   2,2
         BZR   14                      no disks: nothing to do
         STM   2,5,0(13)               push this call's frame
         ST    14,16(,13)
         LA    13,20(,13)
         BCTR  2,0                     N-1 disks from FROM to VIA
         LR    0,4
         LR    4,5
         LR    5,0
         BAL   14,SOLVE
         S     13,=F'20'
         LM    2,5,0(13)
         BAL   14,SHOWMOVE             disk N from FROM to TO
         LA    13,20(,13)
         BCTR  2,0                     N-1 disks from VIA to TO
         LR    0,3
         LR    3,5
         LR    5,0
         BAL   14,SOLVE
         S     13,=F'20'
         LM    2,5,0(13)
         L     14,16(,13)
         BR    14
*
SHOWMOVE ST    14,SAVE14
         LA    9,1(,9)
         LA    0,X'F0'(,2)             the disk number as a digit
         STC   0,DISK
         STC   3,FROM
         STC   4,TO
         STM   2,5,SAVEREGS
         LA    3,MOVECCW
         BAL   14,DOIO
         LM    2,5,SAVEREGS
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
MOVECCW  CCW   X'09',MOVE,X'20',MOVEEND-MOVE
DONECCW  CCW   X'09',COUNT,X'20',L'COUNT+L'DONETXT
SAVE14   DS    F
SAVEREGS DS    4F
PATTERN  DC    X'40202120'
TITLE    DC    C'TOWERS OF HANOI: FOUR DISKS FROM PEG A TO PEG C'
MOVE     DC    C'MOVE DISK '
DISK     DC    C' '
         DC    C' FROM '
FROM     DC    C' '
         DC    C' TO '
TO       DC    C' '
MOVEEND  EQU   *
COUNT    DC    CL4' '
DONETXT  DC    C' MOVES, THE FEWEST POSSIBLE (2**4-1)'
CONSOLE  EQU   X'009'
         LTORG
STACK    DS    10CL20
         END   HANOI
