"""A minimal test double of the channel, so that tests in tests/s390 can IPL a card
deck and run programs that do unit-record output on the CPU without CP.

It follows GA22-7000's IPL and channel-program rules only as far as these
programs need: format-0 CCWs at the CAW's address, command chaining, TIC, reads
of 80-byte cards, writes recorded per device with their command code.
"""

from __future__ import annotations

from s390.cpu import CPU, EXIT_BUDGET, EXIT_IO

CAW = 0x48
IPL_CCW = bytes.fromhex("0200000060000018")  # read 24 bytes at 0, chained, SLI


class Channel:
    def __init__(self, cpu: CPU, cards: list[bytes] | None = None) -> None:
        self.cpu = cpu
        self.cards = list(cards or [])
        self.output: dict[int, list[tuple[int, bytes]]] = {}

    def run_program(self, device: int, ccw_addr: int, first: bytes | None = None) -> None:
        """Run the channel program at ccw_addr (``first``: a CCW given outside storage,
        after which the chain goes on at ccw_addr, as for IPL)."""
        mem = self.cpu.mem
        if first is not None:
            ccw = first
        else:
            ccw = bytes(mem[ccw_addr : ccw_addr + 8])
            ccw_addr += 8
        while True:
            cmd, addr = ccw[0], int.from_bytes(ccw[1:4], "big")
            flags, count = ccw[4], int.from_bytes(ccw[6:8], "big")
            if cmd & 0x0F == 0x08:  # TIC
                ccw, ccw_addr = bytes(mem[addr : addr + 8]), addr + 8
                continue
            if cmd & 3 == 2:  # read a card
                card = self.cards.pop(0)
                mem[addr : addr + min(count, 80)] = card[:count]
            elif cmd & 3 in (1, 3):  # write or control
                self.output.setdefault(device, []).append((cmd, bytes(mem[addr : addr + count])))
            if not flags & 0x40:
                return
            ccw = bytes(mem[ccw_addr : ccw_addr + 8])
            ccw_addr += 8

    def ipl(self, device: int = 0x00C) -> None:
        """IPL from the card reader: 24 bytes to 0, the chain goes on at 8, then the PSW at 0."""
        self.run_program(device, 8, IPL_CCW)
        self.cpu.load_psw(bytes(self.cpu.mem[0:8]))

    def run(self, budget: int = 200_000) -> int:
        """Run until a disabled wait (or the budget is spent); performs SIO/TIO."""
        spent = 0
        while spent < budget:
            before = self.cpu.instructions
            reason = self.cpu.run(budget - spent)
            spent += max(1, self.cpu.instructions - before)
            if reason == EXIT_IO:
                device = self.cpu.exit_addr & 0xFFFF
                if self.cpu.exit_opcode == 0x9C00:
                    caw = int.from_bytes(self.cpu.mem[CAW : CAW + 4], "big") & 0xFFFFFF
                    self.run_program(device, caw)
                self.cpu.set_cc(0)
            elif reason != EXIT_BUDGET:
                return reason
        return EXIT_BUDGET

    def lines(self, device: int) -> list[str]:
        return [data.decode("cp037") for _, data in self.output.get(device, [])]
