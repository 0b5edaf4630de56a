*---------------------------------------------------------------------*
* TRANSLATE: a standalone program (15 cards, so its IPL deck chains   *
* two CCW cards).  On the 3215 console at 009 it writes a message as  *
* it is, translated to upper case and to lower case with TR and       *
* 256-byte tables, and then its first word, found with TRT and moved  *
* with an EXecuted MVC; the CCW count is set from the word's length.  *
*---------------------------------------------------------------------*
         MACRO
&LABEL   WRITE &AREA,&LEN
.* write one line to the console and wait until the console is free
&LABEL   LA    1,&AREA
         ST    1,CCW               data address in the CCW ...
         MVI   CCW,X'09'           ... with the write command back in
         LA    1,&LEN
         STH   1,CCW+6             the byte count
         LA    1,CCW
         ST    1,CAW
         SIO   CONSOLE
         BC    7,DONE
WAIT&SYSNDX TIO CONSOLE
         BC    2,WAIT&SYSNDX
         MEND
TRANS    CSECT
         BALR  12,0
         USING *,12
         WRITE MSG,L'MSG           as it is
         MVC   WORK,MSG
         TR    WORK,UPPER
         WRITE WORK,L'WORK         upper case
         MVC   WORK,MSG
         TR    WORK,LOWER
         WRITE WORK,L'WORK         lower case
         SR    2,2
         TRT   MSG,DELIMS          find the end of the first word
         BC    8,DONE              no delimiter: give up
         SR    1,12                R1 = offset of the delimiter ...
         LA    3,MSG
         SR    3,12                ... minus the offset of MSG
         SR    1,3                 = length of the first word
         LR    4,1
         BCTR  1,0
         EX    1,MOVE              move that many bytes
         WRITE WORK,0(4)           and write them
DONE     LPSW  STOPPSW
MOVE     MVC   WORK(0),MSG         executed with the length in R1
         DS    0D
STOPPSW  DC    X'0002000000000000'
CCW      CCW   X'09',0,X'20',0     filled in by WRITE
MSG      DC    C'Hello, World of System/370'
WORK     DS    CL(L'MSG)
*        TR table to upper case: every byte itself, letters a-z to A-Z
UPPER    DC    256AL1(*-UPPER)
         ORG   UPPER+C'a'
         DC    C'ABCDEFGHI'
         ORG   UPPER+C'j'
         DC    C'JKLMNOPQR'
         ORG   UPPER+C's'
         DC    C'STUVWXYZ'
         ORG
*        TR table to lower case
LOWER    DC    256AL1(*-LOWER)
         ORG   LOWER+C'A'
         DC    C'abcdefghi'
         ORG   LOWER+C'J'
         DC    C'jklmnopqr'
         ORG   LOWER+C'S'
         DC    C'stuvwxyz'
         ORG
*        TRT table: comma and blank end a word
DELIMS   DC    256X'00'
         ORG   DELIMS+C','
         DC    X'04'
         ORG   DELIMS+C' '
         DC    X'08'
         ORG
CAW      EQU   X'48'
CONSOLE  EQU   X'009'
         END   TRANS
