*---------------------------------------------------------------------*
* PRINT1403: a standalone program that prints a small decimal report  *
* on the 1403 printer at 00E.  Each line is written with CCW X'09'    *
* (write, space one line after printing); the numbers are edited      *
* with ED from packed decimal made by CVD.  Ends with a skip to       *
* channel 1 (X'8B') and a disabled wait with address 0.               *
*---------------------------------------------------------------------*
         MACRO
&LABEL   PRTIO &CCW
.* start a channel program on the printer and wait until it is done
&LABEL   LA    1,&CCW
         ST    1,CAW
         SIO   PRINTER
         BC    7,DONE
WAIT&SYSNDX TIO PRINTER
         BC    2,WAIT&SYSNDX
         MEND
PRINT    CSECT
         BALR  12,0
         USING *,12
         PRTIO TITLECCW            the title line
         LA    3,1                 N = 1
LOOP     LR    5,3                 square of N
         MR    4,3
         CVD   3,DW                N in decimal
         MVC   LINEN,PATTERN
         ED    LINEN,DW+4
         CVD   5,DW                N*N in decimal
         MVC   LINESQ,PATTERN
         ED    LINESQ,DW+4
         PRTIO LINECCW
         LA    3,1(,3)
         CH    3,=H'10'
         BNH   LOOP
         PRTIO EJECTCCW            skip to channel 1
DONE     LPSW  STOPPSW
         DS    0D
STOPPSW  DC    X'0002000000000000'
DW       DS    D
TITLECCW CCW   X'09',TITLE,X'20',L'TITLE
LINECCW  CCW   X'09',LINE,X'20',L'LINE
EJECTCCW CCW   X'8B',0,X'20',1
PATTERN  DC    X'4020202020202120'  edit pattern: 7 digits
TITLE    DC    C'    N      N*N'
LINE     DS    0CL16
LINEN    DC    CL8' '
LINESQ   DC    CL8' '
CAW      EQU   X'48'
PRINTER  EQU   X'00E'
         END   PRINT
