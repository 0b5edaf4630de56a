"""IPL-able standalone card decks.

Initial program load from a card reader (GA22-7000, "Initial program loading"):
the channel reads 24 bytes into storage at 0 as if by a READ CCW with command
chaining and SLI, then goes on with the CCW at location 8.  When the channel
program ends, the PSW at 0 is loaded.

The deck built here needs no bootstrap code, only the channel:

    card 1        IPL PSW | CCW 8: READ 80 bytes into CCW list 1, chained |
                  CCW 16: TIC to CCW list 1
    CCW list 1    up to 9 READ CCWs for the next program cards, then a READ of
                  CCW list 2 into the 80 bytes right after list 1, where the
                  channel fetches its next CCW
    program cards 80 bytes of the program image each
    CCW list 2    ... and so on; the last CCW of all has no chaining flag.

2540 / 3505 card readers read one 80-byte card per READ (X'02').
"""

from __future__ import annotations

from dataclasses import dataclass

from .loader import LoadResult, load

CARD = 80
READ = 0x02
TIC = 0x08
CC = 0x40  # command chaining
SLI = 0x20
CCWS_PER_CARD = 10
DEFAULT_LOAD_ADDRESS = 0x1000


@dataclass
class IPLDeck:
    cards: list[bytes]
    entry: int
    load: LoadResult
    image_start: int
    image_length: int


def ccw(command: int, address: int, flags: int, count: int) -> bytes:
    """A format-0 CCW (GA22-7000 "Channel-command word")."""
    return (
        bytes([command]) + address.to_bytes(3, "big") + bytes([flags, 0]) + count.to_bytes(2, "big")
    )


def bc_psw(address: int, system_mask: int = 0, key: int = 0, wait: bool = False) -> bytes:
    """A basic-control-mode PSW: system mask, key, wait bit, instruction address."""
    return bytes([system_mask, key << 4 | (2 if wait else 0), 0, 0, 0]) + address.to_bytes(3, "big")


def build_ipl_deck(
    decks,
    load_address: int = DEFAULT_LOAD_ADDRESS,
    storage_size: int = 1 << 20,
    system_mask: int = 0,
) -> IPLDeck:
    """Load object decks at load_address and write the program as an IPL deck."""
    if load_address < 24 + 0x60:
        raise ValueError("load address would overlap the IPL PSW, CCWs and low storage")
    storage = bytearray(storage_size)
    result = load(decks, storage, load_address)
    image = bytes(storage[load_address : result.end])
    return IPLDeck(
        ipl_cards(image, load_address, result.entry, system_mask),
        result.entry,
        result,
        load_address,
        len(image),
    )


def ipl_cards(image: bytes, load_address: int, entry: int, system_mask: int = 0) -> list[bytes]:
    """The cards that IPL ``image`` at load_address and start it at entry."""
    nprog = max(1, -(-len(image) // CARD))
    program = [image[i * CARD : (i + 1) * CARD].ljust(CARD, b"\0") for i in range(nprog)]
    ccw_base = (load_address + nprog * CARD + 7) & ~7
    reads = [ccw(READ, load_address + i * CARD, CC, CARD) for i in range(nprog)]
    groups: list[list[bytes]] = []
    while len(reads) > CCWS_PER_CARD:
        groups.append(reads[: CCWS_PER_CARD - 1])
        reads = reads[CCWS_PER_CARD - 1 :]
    groups.append(reads)
    cards: list[bytes] = []
    first = bc_psw(entry, system_mask) + ccw(READ, ccw_base, CC, CARD) + ccw(TIC, ccw_base, 0, 0)
    cards.append(first.ljust(CARD, b"\0"))
    for k, group in enumerate(groups):
        last_group = k == len(groups) - 1
        chain = list(group)
        if not last_group:
            chain.append(ccw(READ, ccw_base + (k + 1) * CARD, CC, CARD))
        else:
            final = chain[-1]
            chain[-1] = final[:4] + bytes([0]) + final[5:]  # end of the channel program
        cards.append(b"".join(chain).ljust(CARD, b"\0"))
        start = sum(len(g) for g in groups[:k])
        cards += program[start : start + len(group)]
    return cards
