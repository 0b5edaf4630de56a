"""Fixed storage locations and interruption codes of System/370.

Source: IBM System/370 Principles of Operation, GA22-7000, "Assigned
Storage Locations" (chapter 3) and "Interruptions" (chapter 6).  Addresses
are real addresses; the CPU stores old PSWs and interruption information
here and fetches new PSWs from here.
"""

# ---------------------------------------------------------------- PSW pairs
IPL_PSW = 0x00  # initial-program-loading PSW / restart new PSW
RESTART_NEW_PSW = 0x00
RESTART_OLD_PSW = 0x08
EXTERNAL_OLD_PSW = 0x18
SVC_OLD_PSW = 0x20
PROGRAM_OLD_PSW = 0x28
MCHECK_OLD_PSW = 0x30
IO_OLD_PSW = 0x38
CSW = 0x40  # channel status word, 8 bytes
CAW = 0x48  # channel address word
INTERVAL_TIMER = 0x50  # 32-bit signed, bit 23 = 1/300 second
EXTERNAL_NEW_PSW = 0x58
SVC_NEW_PSW = 0x60
PROGRAM_NEW_PSW = 0x68
MCHECK_NEW_PSW = 0x70
IO_NEW_PSW = 0x78

# ------------------------------------- interruption information (EC mode)
EXT_CPU_ADDRESS = 0x84  # halfword: CPU address of the signalling CPU
EXT_CODE = 0x86  # halfword: external interruption code
SVC_ILC = 0x89  # byte: ILC in bits 5-6
SVC_CODE = 0x8A  # halfword: 00nn
PGM_ILC = 0x8D  # byte: ILC in bits 5-6
PGM_CODE = 0x8E  # halfword: program interruption code
TRANS_EXC_ADDRESS = 0x90  # translation-exception address (DAT)
MONITOR_CLASS = 0x95  # byte: monitor class number (stored in both modes)
MONITOR_CODE = 0x9C  # word: monitor code, 24-bit effective address
CHANNEL_ID = 0xA8  # STIDC stores here
IO_ADDRESS = 0xBA  # halfword: device address of an I/O interruption

# ------------------------------------------- program interruption codes
PGM_OPERATION = 0x01
PGM_PRIVILEGED = 0x02
PGM_EXECUTE = 0x03
PGM_PROTECTION = 0x04
PGM_ADDRESSING = 0x05
PGM_SPECIFICATION = 0x06
PGM_DATA = 0x07
PGM_FIXED_OVERFLOW = 0x08
PGM_FIXED_DIVIDE = 0x09
PGM_DECIMAL_OVERFLOW = 0x0A
PGM_DECIMAL_DIVIDE = 0x0B
PGM_EXPONENT_OVERFLOW = 0x0C
PGM_EXPONENT_UNDERFLOW = 0x0D
PGM_SIGNIFICANCE = 0x0E
PGM_FLOAT_DIVIDE = 0x0F
PGM_SEGMENT_TRANSLATION = 0x10
PGM_PAGE_TRANSLATION = 0x11
PGM_TRANSLATION_SPEC = 0x12
PGM_SPECIAL_OPERATION = 0x13
PGM_MONITOR_EVENT = 0x40

PROGRAM_INTERRUPTION_NAMES = {
    PGM_OPERATION: "operation",
    PGM_PRIVILEGED: "privileged-operation",
    PGM_EXECUTE: "execute",
    PGM_PROTECTION: "protection",
    PGM_ADDRESSING: "addressing",
    PGM_SPECIFICATION: "specification",
    PGM_DATA: "data",
    PGM_FIXED_OVERFLOW: "fixed-point-overflow",
    PGM_FIXED_DIVIDE: "fixed-point-divide",
    PGM_DECIMAL_OVERFLOW: "decimal-overflow",
    PGM_DECIMAL_DIVIDE: "decimal-divide",
    PGM_EXPONENT_OVERFLOW: "exponent-overflow",
    PGM_EXPONENT_UNDERFLOW: "exponent-underflow",
    PGM_SIGNIFICANCE: "significance",
    PGM_FLOAT_DIVIDE: "floating-point-divide",
    PGM_SEGMENT_TRANSLATION: "segment-translation",
    PGM_PAGE_TRANSLATION: "page-translation",
    PGM_TRANSLATION_SPEC: "translation-specification",
    PGM_SPECIAL_OPERATION: "special-operation",
    PGM_MONITOR_EVENT: "monitor-event",
}

# ------------------------------------------- external interruption codes
EXT_INTERVAL_TIMER = 0x0080  # CR0 bit 24 mask
EXT_INTERRUPT_KEY = 0x0040  # CR0 bit 25 mask
EXT_SIGNAL_BITS = 0x003F  # external signals 2-7, CR0 bit 26 mask
EXT_EMERGENCY_SIGNAL = 0x1201  # CR0 bit 17 mask
EXT_EXTERNAL_CALL = 0x1202  # CR0 bit 18 mask
EXT_CLOCK_COMPARATOR = 0x1004  # CR0 bit 20 mask
EXT_CPU_TIMER = 0x1005  # CR0 bit 21 mask
EXT_VMCF = 0x4001  # VM/370 VMCF message (CP's DIAGNOSE X'68'); PSW bit 7 only

# ------------------------------------- control register initial values
# GA22-7000 "Control Registers": values after initial CPU reset.
CR_INITIAL = {0: 0x000000E0, 2: 0xFFFFFFFF, 14: 0xC2000000, 15: 0x00000200}
