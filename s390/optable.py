"""The one S/370 opcode table.

Every instruction the machine knows is declared here exactly once: its
operation code, mnemonic, instruction format, whether it is privileged, the
feature group it belongs to, and the name of the handler that executes it.
Dispatch (the generated ``s390/_dispatch``), the disassembler, the assembler's
mnemonic table and CP's TRACE output are all derived from this table.

Source: IBM System/370 Principles of Operation, GA22-7000, Appendix B
("Lists of Instructions") and the instruction descriptions in chapters 7-9
(general, decimal, floating-point) and chapter 10 (control).

Formats (GA22-7000, "Instruction Formats"); the operand order is the
assembler's:

    RR    R1,R2              |op(8)|R1(4)|R2(4)|
    RRM   M1,R2              RR with a mask in the R1 field (BCR)
    RR1   R1                 RR with only R1 used (SPM)
    I     I                  |op(8)|I(8)|                            (SVC)
    RX    R1,D2(X2,B2)       |op(8)|R1(4)|X2(4)|B2(4)|D2(12)|
    RXM   M1,D2(X2,B2)       RX with a mask in the R1 field (BC)
    RS    R1,R3,D2(B2)       |op(8)|R1(4)|R3(4)|B2(4)|D2(12)|
    RS2   R1,D2(B2)          RS with R3 ignored (shifts)
    RSM   R1,M3,D2(B2)       RS with a mask in the R3 field (ICM STCM CLM)
    SI    D1(B1),I2          |op(8)|I2(8)|B1(4)|D1(12)|
    S     D2(B2)             |op(16)|B2(4)|D2(12)|      (two-byte opcodes)
    S1    D2(B2)             |op(8)|ignored(8)|B2(4)|D2(12)|  (SSM LPSW TS)
    SS1   D1(L,B1),D2(B2)    |op(8)|L(8)|B1(4)|D1(12)|B2(4)|D2(12)|
    SS2   D1(L1,B1),D2(L2,B2) |op(8)|L1(4)|L2(4)|B1|D1|B2|D2|
    SS3   D1(L1,B1),D2(B2),I3 SS2 with I3 in the L2 field (SRP)
    S0    (no operand)       |op(16)|ignored(16)|                 (PTLB IPK)
    RRE   R1,R2              |op(16)|ignored(8)|R1(4)|R2(4)|
    RRE1  R1                 RRE with only R1 used (SSAR EPAR ESAR IAC)
    SSE   D1(B1),D2(B2)      |op(16)|B1(4)|D1(12)|B2(4)|D2(12)|
    SS4   D1(R1,B1),D2(B2),R3 |op(8)|R1(4)|R3(4)|B1|D1|B2|D2|  (MVCK MVCP MVCS)

Not every row is installed in this machine's CPU.  Rows marked ``installed=False``
(the dual-address-space, extended-storage-key, channel-set and direct-control
instructions that IBM HLASM's OPTABLE(370) knows) are assembled and disassembled,
but the CPU generator leaves them out of the dispatch, so executing one is an
operation exception, as the architecture says for an instruction whose facility
is not installed (GA22-7000 "Operation Exception").  ``OPCODES`` is the installed
part; ``TABLE`` is every row.  ``privileged`` is the architecture's: an instruction
that is privileged only under some control-register settings (semiprivileged,
e.g. SPKA, IAC, PC) is not marked.

Instruction length follows from the first two bits of the opcode (00: 2
bytes, 01/10: 4 bytes, 11: 6 bytes), as the architecture defines.
"""

from __future__ import annotations

from dataclasses import dataclass

# Feature groups (GA22-7000 "Instruction sets" / facilities).
GENERAL = "general"  # standard instruction set
DECIMAL = "decimal"  # commercial instruction set
FLOAT = "float"  # floating-point feature (short and long HFP)
XFLOAT = "xfloat"  # extended-precision floating point
CONTROL = "control"  # system-control instructions (mostly privileged)
IO = "io"  # I/O instructions: always leave the run loop for CP
DAT = "dat"  # dynamic address translation (LRA PTLB RRB)
DAS = "das"  # dual-address-space facility (GA22-7000 chapter 5)
XKEY = "xkey"  # extended storage keys / ESA control instructions

#: Formats and the number of bytes an instruction of that format occupies.
FORMAT_LENGTH = {
    "RR": 2,
    "RRM": 2,
    "RR1": 2,
    "I": 2,
    "RX": 4,
    "RXM": 4,
    "RS": 4,
    "RS2": 4,
    "RSM": 4,
    "SI": 4,
    "S": 4,
    "S1": 4,
    "SS1": 6,
    "SS2": 6,
    "SS3": 6,
    "S0": 4,
    "RRE": 4,
    "RRE1": 4,
    "SSE": 6,
    "SS4": 6,
}


@dataclass(frozen=True)
class Op:
    """One instruction. ``code`` is the 8-bit opcode, or the 16-bit opcode
    for the two-byte operation codes (B2xx, and 9Cxx-9Fxx where the second
    byte selects SIO/SIOF, TIO/CLRIO, HIO/HDV, TCH)."""

    code: int
    mnemonic: str
    fmt: str
    privileged: bool
    group: str
    title: str
    installed: bool = True  # False: the CPU gives an operation exception

    @property
    def handler(self) -> str:
        """Name of the handler function that executes this instruction."""
        return "op_" + self.mnemonic

    @property
    def branch(self) -> bool:
        """May change the instruction address other than to the next
        instruction (CP TRACE BRANCH): the branch instructions of PoO 7 and
        EX, whose target may be one."""
        return self.mnemonic in BRANCHES

    @property
    def length(self) -> int:
        return FORMAT_LENGTH[self.fmt]

    @property
    def two_byte(self) -> bool:
        return self.code > 0xFF


#: Mnemonics of the instructions that can branch (see ``Op.branch``).  LPSW
#: and the interruptions change the address too; TRACE shows them as PSW
#: swaps, not as branches.
BRANCHES = frozenset(
    {"BALR", "BCTR", "BCR", "BASR", "BAL", "BCT", "BC", "BAS", "BXH", "BXLE", "EX"}
)


def _ops(group, privileged, rows, installed=True):
    return [Op(code, mn, fmt, privileged, group, title, installed) for code, mn, fmt, title in rows]


P, N = True, False

TABLE: tuple[Op, ...] = tuple(
    # ---------------------------------------------------------------- RR
    _ops(
        GENERAL,
        N,
        [
            (0x04, "SPM", "RR1", "Set Program Mask"),
            (0x05, "BALR", "RR", "Branch and Link Register"),
            (0x06, "BCTR", "RR", "Branch on Count Register"),
            (0x07, "BCR", "RRM", "Branch on Condition Register"),
            (0x0A, "SVC", "I", "Supervisor Call"),
            (0x0D, "BASR", "RR", "Branch and Save Register"),
            (0x0E, "MVCL", "RR", "Move Long"),
            (0x0F, "CLCL", "RR", "Compare Logical Long"),
            (0x10, "LPR", "RR", "Load Positive"),
            (0x11, "LNR", "RR", "Load Negative"),
            (0x12, "LTR", "RR", "Load and Test"),
            (0x13, "LCR", "RR", "Load Complement"),
            (0x14, "NR", "RR", "AND"),
            (0x15, "CLR", "RR", "Compare Logical"),
            (0x16, "OR", "RR", "OR"),
            (0x17, "XR", "RR", "Exclusive OR"),
            (0x18, "LR", "RR", "Load"),
            (0x19, "CR", "RR", "Compare"),
            (0x1A, "AR", "RR", "Add"),
            (0x1B, "SR", "RR", "Subtract"),
            (0x1C, "MR", "RR", "Multiply"),
            (0x1D, "DR", "RR", "Divide"),
            (0x1E, "ALR", "RR", "Add Logical"),
            (0x1F, "SLR", "RR", "Subtract Logical"),
        ],
    )
    + _ops(
        CONTROL,
        P,
        [
            (0x08, "SSK", "RR", "Set Storage Key"),
            (0x09, "ISK", "RR", "Insert Storage Key"),
        ],
    )
    + _ops(
        FLOAT,
        N,
        [
            (0x20, "LPDR", "RR", "Load Positive (long)"),
            (0x21, "LNDR", "RR", "Load Negative (long)"),
            (0x22, "LTDR", "RR", "Load and Test (long)"),
            (0x23, "LCDR", "RR", "Load Complement (long)"),
            (0x24, "HDR", "RR", "Halve (long)"),
            (0x28, "LDR", "RR", "Load (long)"),
            (0x29, "CDR", "RR", "Compare (long)"),
            (0x2A, "ADR", "RR", "Add Normalized (long)"),
            (0x2B, "SDR", "RR", "Subtract Normalized (long)"),
            (0x2C, "MDR", "RR", "Multiply (long)"),
            (0x2D, "DDR", "RR", "Divide (long)"),
            (0x2E, "AWR", "RR", "Add Unnormalized (long)"),
            (0x2F, "SWR", "RR", "Subtract Unnormalized (long)"),
            (0x30, "LPER", "RR", "Load Positive (short)"),
            (0x31, "LNER", "RR", "Load Negative (short)"),
            (0x32, "LTER", "RR", "Load and Test (short)"),
            (0x33, "LCER", "RR", "Load Complement (short)"),
            (0x34, "HER", "RR", "Halve (short)"),
            (0x38, "LER", "RR", "Load (short)"),
            (0x39, "CER", "RR", "Compare (short)"),
            (0x3A, "AER", "RR", "Add Normalized (short)"),
            (0x3B, "SER", "RR", "Subtract Normalized (short)"),
            (0x3C, "MER", "RR", "Multiply (short to long)"),
            (0x3D, "DER", "RR", "Divide (short)"),
            (0x3E, "AUR", "RR", "Add Unnormalized (short)"),
            (0x3F, "SUR", "RR", "Subtract Unnormalized (short)"),
        ],
    )
    + _ops(
        XFLOAT,
        N,
        [
            (0x25, "LRDR", "RR", "Load Rounded (extended to long)"),
            (0x26, "MXR", "RR", "Multiply (extended)"),
            (0x27, "MXDR", "RR", "Multiply (long to extended)"),
            (0x35, "LRER", "RR", "Load Rounded (long to short)"),
            (0x36, "AXR", "RR", "Add Normalized (extended)"),
            (0x37, "SXR", "RR", "Subtract Normalized (extended)"),
        ],
    )
    # ---------------------------------------------------------------- RX
    + _ops(
        GENERAL,
        N,
        [
            (0x40, "STH", "RX", "Store Halfword"),
            (0x41, "LA", "RX", "Load Address"),
            (0x42, "STC", "RX", "Store Character"),
            (0x43, "IC", "RX", "Insert Character"),
            (0x44, "EX", "RX", "Execute"),
            (0x45, "BAL", "RX", "Branch and Link"),
            (0x46, "BCT", "RX", "Branch on Count"),
            (0x47, "BC", "RXM", "Branch on Condition"),
            (0x48, "LH", "RX", "Load Halfword"),
            (0x49, "CH", "RX", "Compare Halfword"),
            (0x4A, "AH", "RX", "Add Halfword"),
            (0x4B, "SH", "RX", "Subtract Halfword"),
            (0x4C, "MH", "RX", "Multiply Halfword"),
            (0x4D, "BAS", "RX", "Branch and Save"),
            (0x50, "ST", "RX", "Store"),
            (0x54, "N", "RX", "AND"),
            (0x55, "CL", "RX", "Compare Logical"),
            (0x56, "O", "RX", "OR"),
            (0x57, "X", "RX", "Exclusive OR"),
            (0x58, "L", "RX", "Load"),
            (0x59, "C", "RX", "Compare"),
            (0x5A, "A", "RX", "Add"),
            (0x5B, "S", "RX", "Subtract"),
            (0x5C, "M", "RX", "Multiply"),
            (0x5D, "D", "RX", "Divide"),
            (0x5E, "AL", "RX", "Add Logical"),
            (0x5F, "SL", "RX", "Subtract Logical"),
        ],
    )
    + _ops(
        DECIMAL,
        N,
        [
            (0x4E, "CVD", "RX", "Convert to Decimal"),
            (0x4F, "CVB", "RX", "Convert to Binary"),
        ],
    )
    + _ops(
        FLOAT,
        N,
        [
            (0x60, "STD", "RX", "Store (long)"),
            (0x68, "LD", "RX", "Load (long)"),
            (0x69, "CD", "RX", "Compare (long)"),
            (0x6A, "AD", "RX", "Add Normalized (long)"),
            (0x6B, "SD", "RX", "Subtract Normalized (long)"),
            (0x6C, "MD", "RX", "Multiply (long)"),
            (0x6D, "DD", "RX", "Divide (long)"),
            (0x6E, "AW", "RX", "Add Unnormalized (long)"),
            (0x6F, "SW", "RX", "Subtract Unnormalized (long)"),
            (0x70, "STE", "RX", "Store (short)"),
            (0x78, "LE", "RX", "Load (short)"),
            (0x79, "CE", "RX", "Compare (short)"),
            (0x7A, "AE", "RX", "Add Normalized (short)"),
            (0x7B, "SE", "RX", "Subtract Normalized (short)"),
            (0x7C, "ME", "RX", "Multiply (short to long)"),
            (0x7D, "DE", "RX", "Divide (short)"),
            (0x7E, "AU", "RX", "Add Unnormalized (short)"),
            (0x7F, "SU", "RX", "Subtract Unnormalized (short)"),
        ],
    )
    + _ops(
        XFLOAT,
        N,
        [
            (0x67, "MXD", "RX", "Multiply (long to extended)"),
        ],
    )
    # ---------------------------------------------------------------- RS / SI / S
    + _ops(
        GENERAL,
        N,
        [
            (0x86, "BXH", "RS", "Branch on Index High"),
            (0x87, "BXLE", "RS", "Branch on Index Low or Equal"),
            (0x88, "SRL", "RS2", "Shift Right Single Logical"),
            (0x89, "SLL", "RS2", "Shift Left Single Logical"),
            (0x8A, "SRA", "RS2", "Shift Right Single"),
            (0x8B, "SLA", "RS2", "Shift Left Single"),
            (0x8C, "SRDL", "RS2", "Shift Right Double Logical"),
            (0x8D, "SLDL", "RS2", "Shift Left Double Logical"),
            (0x8E, "SRDA", "RS2", "Shift Right Double"),
            (0x8F, "SLDA", "RS2", "Shift Left Double"),
            (0x90, "STM", "RS", "Store Multiple"),
            (0x91, "TM", "SI", "Test under Mask"),
            (0x92, "MVI", "SI", "Move Immediate"),
            (0x93, "TS", "S1", "Test and Set"),
            (0x94, "NI", "SI", "AND Immediate"),
            (0x95, "CLI", "SI", "Compare Logical Immediate"),
            (0x96, "OI", "SI", "OR Immediate"),
            (0x97, "XI", "SI", "Exclusive OR Immediate"),
            (0x98, "LM", "RS", "Load Multiple"),
            (0xBA, "CS", "RS", "Compare and Swap"),
            (0xBB, "CDS", "RS", "Compare Double and Swap"),
            (0xBD, "CLM", "RSM", "Compare Logical Characters under Mask"),
            (0xBE, "STCM", "RSM", "Store Characters under Mask"),
            (0xBF, "ICM", "RSM", "Insert Characters under Mask"),
            (0xB205, "STCK", "S", "Store Clock"),
            (0xAF, "MC", "SI", "Monitor Call"),
        ],
    )
    + _ops(
        CONTROL,
        P,
        [
            (0x80, "SSM", "S1", "Set System Mask"),
            (0x82, "LPSW", "S1", "Load PSW"),
            (0x83, "DIAG", "RS", "Diagnose"),
            (0xAC, "STNSM", "SI", "Store Then AND System Mask"),
            (0xAD, "STOSM", "SI", "Store Then OR System Mask"),
            (0xB6, "STCTL", "RS", "Store Control"),
            (0xB7, "LCTL", "RS", "Load Control"),
            (0xB202, "STIDP", "S", "Store CPU ID"),
            (0xB204, "SCK", "S", "Set Clock"),
            (0xB206, "SCKC", "S", "Set Clock Comparator"),
            (0xB207, "STCKC", "S", "Store Clock Comparator"),
            (0xB208, "SPT", "S", "Set CPU Timer"),
            (0xB209, "STPT", "S", "Store CPU Timer"),
            (0xAE, "SIGP", "RS", "Signal Processor"),
        ],
    )
    + _ops(
        DAT,
        P,
        [
            (0xB1, "LRA", "RX", "Load Real Address"),
            (0xB20D, "PTLB", "S0", "Purge TLB"),
            (0xB213, "RRB", "S", "Reset Reference Bit"),
        ],
    )
    + _ops(
        IO,
        P,
        [
            (0x9C00, "SIO", "S", "Start I/O"),
            (0x9C01, "SIOF", "S", "Start I/O Fast Release"),
            (0x9D00, "TIO", "S", "Test I/O"),
            (0x9D01, "CLRIO", "S", "Clear I/O"),
            (0x9E00, "HIO", "S", "Halt I/O"),
            (0x9E01, "HDV", "S", "Halt Device"),
            (0x9F00, "TCH", "S", "Test Channel"),
            (0xB203, "STIDC", "S", "Store Channel ID"),
        ],
    )
    # ---------------------------------------------------------------- SS
    + _ops(
        GENERAL,
        N,
        [
            (0xD1, "MVN", "SS1", "Move Numerics"),
            (0xD2, "MVC", "SS1", "Move Characters"),
            (0xD3, "MVZ", "SS1", "Move Zones"),
            (0xD4, "NC", "SS1", "AND Characters"),
            (0xD5, "CLC", "SS1", "Compare Logical Characters"),
            (0xD6, "OC", "SS1", "OR Characters"),
            (0xD7, "XC", "SS1", "Exclusive OR Characters"),
            (0xDC, "TR", "SS1", "Translate"),
            (0xDD, "TRT", "SS1", "Translate and Test"),
        ],
    )
    + _ops(
        DECIMAL,
        N,
        [
            (0xDE, "ED", "SS1", "Edit"),
            (0xDF, "EDMK", "SS1", "Edit and Mark"),
            (0xF0, "SRP", "SS3", "Shift and Round Decimal"),
            (0xF1, "MVO", "SS2", "Move with Offset"),
            (0xF2, "PACK", "SS2", "Pack"),
            (0xF3, "UNPK", "SS2", "Unpack"),
            (0xF8, "ZAP", "SS2", "Zero and Add"),
            (0xF9, "CP", "SS2", "Compare Decimal"),
            (0xFA, "AP", "SS2", "Add Decimal"),
            (0xFB, "SP", "SS2", "Subtract Decimal"),
            (0xFC, "MP", "SS2", "Multiply Decimal"),
            (0xFD, "DP", "SS2", "Divide Decimal"),
        ],
    )
    # ------------------------------------------------ in HLASM OPTABLE(370), not installed
    # Opcodes and formats: GA22-7000-10 Appendix B and the ESA/370 Principles of
    # Operation (SA22-7200); they agree with GNU binutils' s390-opc.txt.
    + _ops(
        GENERAL,
        N,
        [
            (0xE8, "MVCIN", "SS1", "Move Inverse"),
        ],
        installed=False,
    )
    + _ops(
        DAS,
        N,
        [
            (0xB20A, "SPKA", "S", "Set PSW Key from Address"),
            (0xB20B, "IPK", "S0", "Insert PSW Key"),
            (0xB218, "PC", "S", "Program Call"),
            (0xB219, "SAC", "S", "Set Address Space Control"),
            (0xB223, "IVSK", "RRE", "Insert Virtual Storage Key"),
            (0xB224, "IAC", "RRE1", "Insert Address Space Control"),
            (0xB225, "SSAR", "RRE1", "Set Secondary ASN"),
            (0xB226, "EPAR", "RRE1", "Extract Primary ASN"),
            (0xB227, "ESAR", "RRE1", "Extract Secondary ASN"),
            (0xB228, "PT", "RRE", "Program Transfer"),
            (0xD9, "MVCK", "SS4", "Move with Key"),
            (0xDA, "MVCP", "SS4", "Move to Primary"),
            (0xDB, "MVCS", "SS4", "Move to Secondary"),
        ],
        installed=False,
    )
    + _ops(
        DAS,
        P,
        [
            (0xE500, "LASP", "SSE", "Load Address Space Parameters"),
        ],
        installed=False,
    )
    + _ops(
        XKEY,
        P,
        [
            (0xB210, "SPX", "S", "Set Prefix"),
            (0xB211, "STPX", "S", "Store Prefix"),
            (0xB212, "STAP", "S", "Store CPU Address"),
            (0xB221, "IPTE", "RRE", "Invalidate Page Table Entry"),
            (0xB229, "ISKE", "RRE", "Insert Storage Key Extended"),
            (0xB22A, "RRBE", "RRE", "Reset Reference Bit Extended"),
            (0xB22B, "SSKE", "RRE", "Set Storage Key Extended"),
            (0xB22C, "TB", "RRE", "Test Block"),
            (0xE501, "TPROT", "SSE", "Test Protection"),
        ],
        installed=False,
    )
    + _ops(
        IO,
        P,
        [
            (0x84, "WRD", "SI", "Write Direct"),
            (0x85, "RDD", "SI", "Read Direct"),
            (0x9C02, "RIO", "S", "Resume I/O"),
            (0x9F01, "CLRCH", "S", "Clear Channel"),
            (0xB200, "CONCS", "S", "Connect Channel Set"),
            (0xB201, "DISCS", "S", "Disconnect Channel Set"),
        ],
        installed=False,
    )
)

#: The rows the CPU executes (s390/_gen.py builds the dispatch from these).
OPCODES: tuple[Op, ...] = tuple(op for op in TABLE if op.installed)

#: Other names HLASM accepts for a row (MDE/MDER: ESA/370's names for ME/MER).
ALIASES = {"MDE": "ME", "MDER": "MER"}

#: Lookup by mnemonic and by opcode, derived once from OPCODES.
BY_MNEMONIC: dict[str, Op] = {op.mnemonic: op for op in TABLE}
BY_CODE: dict[int, Op] = {op.code: op for op in TABLE}
BY_MNEMONIC.update({alias: BY_MNEMONIC[name] for alias, name in ALIASES.items()})

#: First bytes that introduce a two-byte operation code (in the table / in the CPU).
TWO_BYTE_PREFIXES = frozenset(op.code >> 8 for op in TABLE if op.two_byte)
INSTALLED_TWO_BYTE_PREFIXES = frozenset(op.code >> 8 for op in OPCODES if op.two_byte)


def instruction_length(first_byte: int) -> int:
    """Length in bytes of the instruction whose opcode byte is ``first_byte``
    (GA22-7000: bits 0-1 of the opcode give the length)."""
    return (2, 4, 4, 6)[first_byte >> 6]


def lookup(first: int, second: int = 0) -> Op | None:
    """The table entry for an instruction starting with bytes ``first`` and
    ``second``; None when the operation code is not assigned (operation
    exception, interruption code 1)."""
    if first in TWO_BYTE_PREFIXES:
        return BY_CODE.get((first << 8) | second)
    return BY_CODE.get(first)


assert len(BY_MNEMONIC) == len(TABLE) + len(ALIASES), "duplicate mnemonic in TABLE"
assert len(BY_CODE) == len(TABLE), "duplicate opcode in TABLE"
assert all(
    op.length == instruction_length(op.code >> 8 if op.two_byte else op.code) for op in TABLE
), "format length disagrees with opcode bits"
