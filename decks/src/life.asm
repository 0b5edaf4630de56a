*---------------------------------------------------------------------*
* LIFE: John Conway's Game of Life (Scientific American, October      *
* 1970) on the 3270 console, standalone.  A 20 by 78 board, each      *
* generation drawn over the last with DIAGNOSE X'58' (CP's 3270       *
* virtual console interface: CCW X'19' displays data in the output   *
* area, control byte X'80' erases it first and starts at line 0).    *
* Between generations the program waits a tenth of a second on the   *
* clock comparator (an enabled wait: no CPU is used meanwhile).       *
* The board is kept 80 bytes a row with a dead border, one byte a     *
* cell (0 or 1), so the eight neighbours of a cell are at fixed       *
* distances and a row of the board translates (TR) into a row of the  *
* screen.  Starts with an R-pentomino, a glider and a blinker.        *
*---------------------------------------------------------------------*
LIFE     CSECT
         BALR  12,0
         USING *,12
         MVC   120(8,0),IONEW          I/O new PSW: back at AFTERIO
         MVC   88(8,0),EXTNEW          external new PSW: back at TICKED
         LCTL  0,0,CR0                 clock-comparator interrupts
         L     2,=A(GRID)              an empty board
         LA    4,ROWS+2
CLEAR    XC    0(80,2),0(2)
         LA    2,80(,2)
         BCT   4,CLEAR
         LA    3,SEED                  the first live cells
PLANT    LH    4,0(,3)                 row
         LTR   4,4
         BM    START
         MH    4,=H'80'
         AH    4,2(,3)                 + column
         A     4,=A(GRID)
         MVI   0(4),1
         LA    3,4(,3)
         B     PLANT
START    SR    9,9                     generation number
SHOW     BAL   14,DISPLAY
         C     9,=F'31'
         BNL   FINISH
         BAL   14,DELAY
         BAL   14,NEXTGEN
         LA    9,1(,9)
         B     SHOW
FINISH   LA    3,ENDCCW
         BAL   14,DOIO
         LPSW  STOPPSW
*
* NEXTGEN: the next generation into NEW, then copied back to GRID.
* R6 points at a cell's upper-left neighbour, R7 at the cell in NEW.
NEXTGEN  L     6,=A(GRID)
         L     7,=A(NEW+81)
         LA    10,ROWS
ROWLOOP  LA    11,COLS
CELL     SR    0,0
         SR    1,1
         IC    1,0(,6)
         AR    0,1
         IC    1,1(,6)
         AR    0,1
         IC    1,2(,6)
         AR    0,1
         IC    1,80(,6)
         AR    0,1
         IC    1,82(,6)
         AR    0,1
         IC    1,160(,6)
         AR    0,1
         IC    1,161(,6)
         AR    0,1
         IC    1,162(,6)
         AR    0,1
         MVI   0(7),0                  dead unless ...
         CH    0,=H'3'                 three neighbours: born or stays
         BE    ALIVE
         CH    0,=H'2'                 two: stays as it was
         BNE   NEXTCELL
         CLI   81(6),1
         BNE   NEXTCELL
ALIVE    MVI   0(7),1
NEXTCELL LA    6,1(,6)
         LA    7,1(,7)
         BCT   11,CELL
         LA    6,2(,6)                 over the border columns
         LA    7,2(,7)
         BCT   10,ROWLOOP
         L     2,=A(GRID)
         L     3,=A(NEW)
         LA    4,ROWS+2
COPY     MVC   0(80,2),0(3)
         LA    2,80(,2)
         LA    3,80(,3)
         BCT   4,COPY
         BR    14
*
* DISPLAY: the title and the board on the console, over the last one.
DISPLAY  ST    14,SAVE14
         CVD   9,DW
         MVC   GENNO,PATTERN
         ED    GENNO,DW+6
         L     8,=A(SCREEN)
         MVC   0(80,8),TITLE
         L     2,=A(GRID+80)
         LA    4,ROWS
PAINT    LA    8,80(,8)
         MVC   0(80,8),0(2)
         TR    0(80,8),CELLS
         LA    2,80(,2)
         BCT   4,PAINT
         LA    1,SHOWCCW
         LA    2,CONSOLE
         DIAG  1,2,X'58'               CP: display in the output area
         L     14,SAVE14
         BR    14
*
* DELAY: a tenth of a second on the clock comparator.
DELAY    STCK  NOW
         LM    4,5,NOW
         AL    5,TENTH
         BC    12,NOCARRY
         AL    4,=F'1'
NOCARRY  STM   4,5,WHEN
         SCKC  WHEN
         LPSW  CLKWAIT                 enabled wait for the interrupt
TICKED   BR    14
*
DOIO     ST    3,72(0)                 CAW: key 0, the CCW address
         SIO   CONSOLE
         BC    7,IOFAIL
         LPSW  WAITPSW                 wait for the I/O interruption
AFTERIO  BR    14
IOFAIL   LPSW  BADPSW
*
ROWS     EQU   20
COLS     EQU   78
CONSOLE  EQU   X'009'
         DS    0D
IONEW    DC    X'00000000',A(AFTERIO)
EXTNEW   DC    X'00000000',A(TICKED)
WAITPSW  DC    X'FE020000',X'00000000'
CLKWAIT  DC    X'01020000',X'00000000'
STOPPSW  DC    X'00020000',X'00000000'
BADPSW   DC    X'00020000',X'00000BAD'
DW       DS    D
NOW      DS    D
WHEN     DS    D
* the clock's bit 51 is one microsecond: 100000 us is 100000*4096
TENTH    DC    F'409600000'
CR0      DC    X'00000800'
SAVE14   DS    F
* DIAGNOSE X'58' CCW: X'19' display, control byte X'80' (erase, line 0)
SHOWCCW  DC    X'19',AL3(SCREEN),X'0080',AL2(80*(ROWS+1))
ENDCCW   CCW   X'09',ENDTEXT,X'20',L'ENDTEXT
PATTERN  DC    X'40202120'
CELLS    DC    C' O'                   TR table: 0 dead, 1 alive
TITLE    DC    CL80' '
         ORG   TITLE
         DC    C'CONWAY''S LIFE (1970) ON A VIRTUAL 3270'
         DC    C'    GENERATION'
GENNO    DC    CL4' '
         ORG
ENDTEXT  DC    C'LIFE: 32 GENERATIONS SHOWN WITH DIAGNOSE X''58'''
* SEED: (row, column) of each live cell, ended by -1
SEED     DC    H'9,40,9,41,10,39,10,40,11,40'      R-pentomino
         DC    H'2,6,3,7,4,5,4,6,4,7'              glider
         DC    H'15,64,15,65,15,66'                blinker
         DC    H'-1,-1'
         LTORG
GRID     DS    22CL80
NEW      DS    22CL80
SCREEN   DS    21CL80
         END   LIFE
