"""The System/370 machine: opcode table, CPU (Cython-compiled), storage and
keys, PSW, interruptions, timers, disassembler, assembler, EBCDIC.

``VM370_PURE=1`` selects the uncompiled .py modules (see s390/purepy.py).
"""

from s390 import purepy as _purepy

_purepy.install()
