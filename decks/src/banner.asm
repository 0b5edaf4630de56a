*---------------------------------------------------------------------*
* BANNER: a banner on the 1403 printer at 00E, standalone - the kind  *
* of page every computer room taped to a wall.  VM/370 1972 is drawn  *
* in 5 by 7 dot letters, each dot two print positions wide and each   *
* row printed twice, across all 132 positions; then a caption.  The   *
* page starts and ends with a skip to channel 1 (CCW X'8B', top of    *
* the next form) so the banner is a page of its own.                  *
*---------------------------------------------------------------------*
BANNER   CSECT
         BALR  12,0
         USING *,12
         LA    3,TOFCCW                a new page
         BAL   14,DOIO
         SR    5,5                     offset of the dot row in a glyph
ROW      MVI   LINE,C' '
         MVC   LINE+1(L'LINE-1),LINE
         LA    2,MESSAGE
         LA    8,LINE
         LA    4,L'MESSAGE
CHAR     LA    10,GLYPHS               find the character's glyph
FIND     CLI   0(10),X'FF'
         BE    NEXTCH                  none: a blank
         CLC   0(1,10),0(2)
         BE    FOUND
         LA    10,36(,10)
         B     FIND
FOUND    LA    11,1(5,10)              this dot row of the glyph
         LR    1,8
         LA    9,5
DOT      CLI   0(11),C' '
         BE    NODOT
         MVC   0(1,1),0(2)             a dot: the letter, twice
         MVC   1(1,1),0(2)
NODOT    LA    11,1(,11)
         LA    1,2(,1)
         BCT   9,DOT
NEXTCH   LA    2,1(,2)
         LA    8,12(,8)                ten positions and a gap
         BCT   4,CHAR
         LA    3,LINECCW
         BAL   14,DOIO
         LA    3,LINECCW               the same row again
         BAL   14,DOIO
         LA    5,5(,5)
         C     5,=F'35'
         BL    ROW
         LA    3,CAPCCW
         BAL   14,DOIO
         LA    3,TOFCCW                end of the page
         BAL   14,DOIO
         LPSW  STOPPSW
*
* DOIO: run the channel program at R3.  A skip alone is an immediate
* command: the 1403 ends it at the SIO (condition code 1, CSW stored).
DOIO     ST    3,72(0)                 CAW: key 0, the CCW address
         SIO   PRINTER
         BC    4,IODONE                CC1, CSW stored: done at once
         BC    7,IOFAIL
IOWAIT   TIO   PRINTER                 until the printer is done
         BC    2,IOWAIT
IODONE   BR    14
IOFAIL   LPSW  BADPSW
*
PRINTER  EQU   X'00E'
         DS    0D
STOPPSW  DC    X'00020000',X'00000000'
BADPSW   DC    X'00020000',X'00000BAD'
* X'8B' skip to channel 1 now; X'09' print, space 1; X'19' space 3
TOFCCW   CCW   X'8B',0,X'20',1
LINECCW  CCW   X'09',LINE,X'20',L'LINE
CAPCCW   CCW   X'11',BLANK,X'60',1
         CCW   X'19',CAP1,X'60',CAP1END-CAP1
         CCW   X'09',CAP2,X'20',CAP2END-CAP2
BLANK    DC    C' '
CAP1     DC    C'ONE REAL MACHINE, A CONTROL PROGRAM, '
         DC    C'AND EVERY USER THEIR OWN VIRTUAL SYSTEM/370.'
CAP1END  EQU   *
CAP2     DC    C'ANNOUNCED BY IBM ON AUGUST 2, 1972; '
         DC    C'STILL RUNNING AS Z/VM.'
CAP2END  EQU   *
MESSAGE  DC    C'VM/370 1972'
LINE     DC    CL132' '
* GLYPHS: the character, then 7 rows of 5 dots (X: a dot)
GLYPHS   DC    C'V',C'X   XX   XX   XX   XX   X X X   X  '
         DC    C'M',C'X   XXX XXX X XX X XX   XX   XX   X'
         DC    C'/',C'    X    X   X   X   X   X    X    '
         DC    C'3',C'XXXX     X    X XXX     X    XXXXX '
         DC    C'7',C'XXXXX    X   X   X   X    X    X   '
         DC    C'0',C' XXX X   XX  XXX X XXX  XX   X XXX '
         DC    C'1',C'  X   XX    X    X    X    X   XXX '
         DC    C'9',C' XXX X   XX   X XXXX    X    X XXX '
         DC    C'2',C' XXX X   X    X   X   X   X   XXXXX'
         DC    X'FF'
         LTORG
         END   BANNER
