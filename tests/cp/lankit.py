"""Helpers for the guest LAN tests: S/370 programs (assembled with s390.asm)
that drive a NIC with real CCWs, and a loop that runs a VM's CPU until its
program ends in a disabled wait, doing its I/O through cp.channel as CP does."""

from __future__ import annotations

from cp import channel
from s390.asm import assemble

#: Wait-state codes (the PSW's address) of the programs.
OK, EMPTY, FAIL = 0x000000, 0x0000E0, 0x000BAD

LAN_DIRECT = """\
USER OPERATOR OPERATORPW 1M 2M AB
 CONSOLE 009 3215
USER MAINT MAINTPW 1M 16M ABCDEFG
 CONSOLE 009 3215
USER ALICE ALICEPW 1M 4M G
 CONSOLE 009 3215
 NICDEF 500 TYPE QDIO DEVICES 3 LAN SYSTEM GLAN MACID 0000A1
USER BOB BOBPW 1M 4M G
 CONSOLE 009 3215
 NICDEF 500 TYPE QDIO DEVICES 3 LAN SYSTEM GLAN MACID 0000B0
USER CAROL CAROLPW 1M 4M G
 CONSOLE 009 3215
 NICDEF 500 TYPE QDIO DEVICES 3 LAN SYSTEM GLAN MACID 0000C0
USER DAVE DAVEPW 1M 4M G
 CONSOLE 009 3215
 NICDEF 500 TYPE QDIO DEVICES 3
"""

MAC = {"ALICE": "0200000000A1", "BOB": "0200000000B0", "CAROL": "0200000000C0"}
BROADCAST = "FFFFFFFFFFFF"


def sender(frames: list[str], device: int = 0x500) -> str:
    """Writes one LCS block holding ``frames`` (hex strings, whole Ethernet
    frames) with one WRITE; unit check: SENSE into SENSEB, then FAIL."""
    body = []
    for n, frame in enumerate(frames):
        body.append(f"H{n}       DC    AL2(H{n + 1}-BLOCK),X'01',X'00'")
        for i in range(0, len(frame), 48):
            body.append(f"         DC    X'{frame[i : i + 48]}'")
    body.append(f"H{len(frames)}       DC    XL2'0000'")
    return _program(
        "WRITE",
        "X'01',AL3(BLOCK),X'00',X'00',AL2(BLOCKEND-BLOCK)",
        device,
        "BLOCK    DS    0H\n" + "\n".join(body) + "\nBLOCKEND EQU   *",
    )


def raw_writer(block_hex: str, device: int = 0x500) -> str:
    """Writes ``block_hex`` as it is (for malformed LCS blocks)."""
    lines = [f"         DC    X'{block_hex[i : i + 48]}'" for i in range(0, len(block_hex), 48)]
    return _program(
        "WRITE",
        "X'01',AL3(BLOCK),X'00',X'00',AL2(BLOCKEND-BLOCK)",
        device,
        "BLOCK    DS    0H\n" + "\n".join(lines or ["         DC    X'00'"]) + "\nBLOCKEND EQU   *",
    )


def receiver(device: int = 0x500, count: int = 2048) -> str:
    """One READ into BUF (SLI): EMPTY on unit exception (nothing waiting),
    OK with the residual count in RESID."""
    return _program(
        "READ", f"X'02',AL3(BUF),X'20',X'00',AL2({count})", device, f"BUF      DC    {count}X'00'"
    )


def _program(name: str, ccw: str, device: int, data: str) -> str:
    return f"""
{name:<8} START X'400'
         BALR  12,0
         USING *,12
         MVC   72(4,0),CAW
         LA    11,3
AGAIN    SIO   X'{device:03X}'(0)
         BC    4,RETRY             cc 1: a pending attention was cleared
         BC    3,FAIL
WAITIO   TIO   X'{device:03X}'(0)
         BC    2,WAITIO
         MVC   RESID(2),70(0)      residual count
         MVC   STATUS(1),68(0)
         TM    68(0),X'02'         unit check: keep the sense bytes
         BO    SENSE
         TM    68(0),X'01'         unit exception: no frame waiting
         BO    EMPTY
         CLI   68(0),X'0C'
         BNE   FAIL
         LPSW  OKPSW
EMPTY    LPSW  EMPTYPSW
RETRY    MVC   CHSTAT(1),69(0)     the channel status SIO stored
         BCT   11,AGAIN
         B     FAIL
SENSE    MVC   72(4,0),CAWSNS
         SIO   X'{device:03X}'(0)
WAITSNS  TIO   X'{device:03X}'(0)
         BC    2,WAITSNS
FAIL     LPSW  BADPSW
         DS    0D
OKPSW    DC    X'0002000000000000'
EMPTYPSW DC    X'00020000000000E0'
BADPSW   DC    X'0002000000000BAD'
CCW      DC    {ccw}
SNSCCW   DC    X'04',AL3(SENSEB),X'20',X'00',AL2(2)
CAW      DC    A(CCW)
CAWSNS   DC    A(SNSCCW)
RESID    DC    H'0'
STATUS   DC    X'00'
CHSTAT   DC    X'00'
SENSEB   DC    XL2'00'
         DS    0H
{data}
         END
"""


class Loaded:
    """A program loaded into a VM: run it, look at its labels."""

    def __init__(self, vm, source: str):
        result = assemble(source)
        assert result.rc == 0, "\n".join(result.listing)
        self.vm, self.symbols = vm, result.symbols
        vm.cpu.mem[0x400 : 0x400 + len(result.text)] = result.text
        vm.cpu.load_psw(bytes.fromhex("0000000000000400"))

    def run(self, limit: int = 200) -> int:
        """Run until the disabled wait; returns its code."""
        return run_until_wait(self.vm, limit)

    def at(self, label: str, length: int) -> bytes:
        addr = _address(self.symbols[label])
        return bytes(self.vm.cpu.mem[addr : addr + length])

    def halfword(self, label: str) -> int:
        return int.from_bytes(self.at(label, 2), "big")


def _address(symbol) -> int:
    """A label's address: the programs are assembled at X'400' and loaded there."""
    value = symbol.value.value
    return value if value >= 0x400 else 0x400 + value


def run_until_wait(vm, limit: int = 200) -> int:
    from s390.cpu import EXIT_DISABLED_WAIT, EXIT_IO

    for _ in range(limit):
        reason = vm.cpu.run(10_000)
        if reason == EXIT_IO:
            channel.start_io(vm, vm.cpu.exit_opcode, vm.cpu.exit_addr)
        elif reason == EXIT_DISABLED_WAIT:
            return int.from_bytes(vm.cpu.get_psw()[4:8], "big") & 0xFFFFFF
    raise AssertionError("the guest program did not end")


def frame(dst: str, src: str, payload: bytes, ethertype: str = "88B5") -> str:
    """An Ethernet frame as hex (88B5: the IEEE local experimental type)."""
    return dst + src + ethertype + payload.hex().upper()


def read_block(data: bytes) -> list[bytes]:
    """The Ethernet frames of an LCS block a READ returned."""
    frames, pos = [], 0
    while pos + 2 <= len(data):
        offset = int.from_bytes(data[pos : pos + 2], "big")
        if offset == 0:
            break
        frames.append(data[pos + 4 : offset])
        pos = offset
    return frames


def run_together(vms: list, rounds: int = 2000) -> dict:
    """Run several VMs' programs a slice each in turn (as the dispatcher
    would) until every one is in a disabled wait; returns userid -> code."""
    from s390.cpu import EXIT_DISABLED_WAIT, EXIT_IO

    codes: dict = {}
    for _ in range(rounds):
        for vm in vms:
            if vm.userid in codes:
                continue
            reason = vm.cpu.run(2_000)
            if reason == EXIT_IO:
                channel.start_io(vm, vm.cpu.exit_opcode, vm.cpu.exit_addr)
            elif reason == EXIT_DISABLED_WAIT:
                codes[vm.userid] = int.from_bytes(vm.cpu.get_psw()[4:8], "big") & 0xFFFFFF
        if len(codes) == len(vms):
            return codes
    raise AssertionError(f"not every program ended: {codes}")


def exchange(device: int, steps: list[tuple[str, str]]) -> str:
    """A program doing channel commands in turn on ``device``: ("WRITE",
    text) writes the EBCDIC text, ("READ", text) reads and compares with it;
    any other status or data ends in FAIL."""
    code = []
    data = []
    for n, (op, text) in enumerate(steps):
        cmd = "01" if op == "WRITE" else "02"
        code += [
            f"         MVC   72(4,0),CAW{n}",
            "         LA    11,3",
            f"S{n}       SIO   X'{device:03X}'(0)",
            f"         BC    4,R{n}",
            "         BC    3,FAIL",
            f"T{n}       TIO   X'{device:03X}'(0)",
            f"         BC    2,T{n}",
            "         CLI   68(0),X'0C'",
            "         BNE   FAIL",
        ]
        if op == "READ":
            code += [f"         CLC   BUF{n}({len(text)}),TXT{n}", "         BNE   FAIL"]
        code += [
            f"         B     N{n}",
            f"R{n}       BCT   11,S{n}",
            "         B     FAIL",
            f"N{n}       DS    0H",
        ]
        data += [
            f"CCW{n}     DC    X'{cmd}',AL3({'TXT' if op == 'WRITE' else 'BUF'}{n}),"
            f"X'20',X'00',AL2({len(text)})",
            f"CAW{n}     DC    A(CCW{n})",
            f"TXT{n}     DC    C'{text}'",
            f"BUF{n}     DC    CL{len(text)}' '",
            "         DS    0D",
        ]
    return (
        "\n".join(
            [
                "EXCH     START X'400'",
                "         BALR  12,0",
                "         USING *,12",
                *code,
                "         LPSW  OKPSW",
                "FAIL     LPSW  BADPSW",
                "         DS    0D",
                "OKPSW    DC    X'0002000000000000'",
                "BADPSW   DC    X'0002000000000BAD'",
                *data,
                "         END",
            ]
        )
        + "\n"
    )
