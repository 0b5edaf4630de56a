*---------------------------------------------------------------------*
* LANDER: land on the Moon from the console, standalone - the game   *
* people typed on teletypes in 1969 (Jim Storer's LUNAR).  Each turn  *
* shows height, speed (down is positive) and fuel and reads a burn    *
* of 0 to 30 from the console at 009 (CCW X'0A', the 3215 read: the   *
* program waits in an enabled wait until the line is typed).  The     *
* Moon adds 5 m/s a turn; a burn of B takes off B/2 m/s and B units   *
* of fuel.  Touch down at 10 m/s or less to land; faster is a crash.  *
*---------------------------------------------------------------------*
LANDER   CSECT
         BALR  12,0
         USING *,12
         MVC   120(8,0),IONEW          I/O new PSW: back at AFTERIO
         LA    3,TITLECCW
         BAL   14,DOIO
         LA    6,120                   height (m)
         LA    7,20                    speed (m/s, down is positive)
         LA    8,100                   fuel
TURN     CVD   6,DW                    the state line
         MVC   ALT,PAT4
         ED    ALT,DW+6
         LPR   1,7
         CVD   1,DW
         MVC   VEL,PAT4
         ED    VEL,DW+6
         LTR   7,7
         BNM   SHOWFUEL
         MVI   VEL+1,C'-'              going up
SHOWFUEL CVD   8,DW
         MVC   FUEL,PAT4
         ED    FUEL,DW+6
         LA    3,STATECCW
         BAL   14,DOIO
         MVI   INPUT,C' '
         MVC   INPUT+1(L'INPUT-1),INPUT
         LA    3,READCCW
         BAL   14,DOIO                 read the burn
         SR    9,9                     B: the digits of the answer
         LA    2,INPUT
         LA    4,L'INPUT
DIGIT    CLI   0(2),C'0'
         BL    NOTDIG
         CLI   0(2),C'9'
         BH    NOTDIG
         MH    9,=H'10'
         IC    1,0(,2)
         N     1,=F'15'
         AR    9,1
         C     9,=F'99'
         BH    CLAMP
NOTDIG   LA    2,1(,2)
         BCT   4,DIGIT
CLAMP    C     9,=F'30'                at most 30 ...
         BNH   FUELOK
         LA    9,30
FUELOK   CR    9,8                     ... and no more than is left
         BNH   PHYSICS
         LR    9,8
PHYSICS  SR    8,9                     fuel used
         LA    7,5(,7)                 the Moon pulls
         LR    1,9
         SRA   1,1
         SR    7,1                     the engine pushes
         SR    6,7                     down by the speed
         BP    TURN
         LPR   1,7                     touchdown
         CVD   1,DW
         C     7,=F'10'
         BH    CRASH
         MVC   LANDV,PAT4
         ED    LANDV,DW+6
         LA    3,LANDCCW
         BAL   14,DOIO
         LPSW  STOPPSW
CRASH    MVC   CRASHV,PAT4
         ED    CRASHV,DW+6
         LA    3,CRASHCCW
         BAL   14,DOIO
         LPSW  CRASHPSW
*
DOIO     ST    3,72(0)                 CAW: key 0, the CCW address
         SIO   CONSOLE
         BC    7,IOFAIL
         LPSW  WAITPSW                 wait for the I/O interruption
AFTERIO  BR    14
IOFAIL   LPSW  BADPSW
*
CONSOLE  EQU   X'009'
         DS    0D
IONEW    DC    X'00000000',A(AFTERIO)
WAITPSW  DC    X'FE020000',X'00000000'
STOPPSW  DC    X'00020000',X'00000000'
* a crash stops with wait PSW address X'DEAD0'
CRASHPSW DC    X'00020000',X'000DEAD0'
BADPSW   DC    X'00020000',X'00000BAD'
DW       DS    D
TITLECCW CCW   X'09',TITLE,X'20',L'TITLE
STATECCW CCW   X'09',STATE,X'20',STATEEND-STATE
READCCW  CCW   X'0A',INPUT,X'20',L'INPUT
LANDCCW  CCW   X'09',LANDED,X'20',LANDEND-LANDED
CRASHCCW CCW   X'09',CRASHED,X'20',CRASHEND-CRASHED
PAT4     DC    X'40202120'
TITLE    DC    C'LUNAR LANDER: 120 M TO GO. BURN 0-30 EACH TURN.'
STATE    DC    C'HEIGHT'
ALT      DC    CL4' '
         DC    C' M   SPEED'
VEL      DC    CL4' '
         DC    C' M/S   FUEL'
FUEL     DC    CL4' '
         DC    C'   BURN?'
STATEEND EQU   *
LANDED   DC    C'TOUCHDOWN AT'
LANDV    DC    CL4' '
         DC    C' M/S. THE EAGLE HAS LANDED.'
LANDEND  EQU   *
CRASHED  DC    C'CRASH AT'
CRASHV   DC    CL4' '
         DC    C' M/S. A NEW CRATER.'
CRASHEND EQU   *
INPUT    DS    CL20
         LTORG
         END   LANDER
