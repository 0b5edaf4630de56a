"""DEFINE Tdddd: temporary disks (VM/370 CP Command Reference, DEFINE).

``DEFINE T2314|T3330|T3340|T3350 [AS] vaddr [CYL] ncyl`` and
``DEFINE T3310|T3370 [AS] vaddr [BLK] nblk``: a new, unformatted disk of
that size (the T-disk itself: cp.tdisk).
"""

from __future__ import annotations

from cp.commands.base import CommandError, operand_error
from cp.tdisk import MAX_BLOCKS, TDISK_TYPES, define_temporary_disk, tdisk_blocks


def hex_address(word: str) -> int:
    try:
        if not 1 <= len(word) <= 4:
            raise ValueError
        return int(word, 16)
    except ValueError:
        raise CommandError("DMKDEF022E VADDR MISSING OR INVALID", 22) from None


def parse_tdisk(keyword: str, args: list[str]) -> tuple[int, int, int]:
    """(vaddr, count, blocks) from ``[AS] vaddr [CYL|BLK] n``."""
    unit = TDISK_TYPES[keyword][1]
    words = [w.upper() for w in args]
    if words and words[0] == "AS":
        words = words[1:]
    if not words:
        raise CommandError("DMKDEF022E VADDR MISSING OR INVALID", 22)
    vaddr = hex_address(words[0])
    rest = words[1:]
    if rest and rest[0] in ("CYL", "BLK"):
        if rest[0] != unit:
            raise operand_error(rest[0])
        rest = rest[1:]
    if len(rest) != 1:
        raise operand_error(rest[1] if len(rest) > 1 else None)
    if not rest[0].isdigit() or int(rest[0]) <= 0:
        raise operand_error(rest[0])
    count = int(rest[0])
    blocks = tdisk_blocks(keyword, count)
    if blocks > MAX_BLOCKS:
        raise operand_error(rest[0])
    return vaddr, count, blocks


def define_tdisk(ctx, keyword: str, args: list[str]) -> int:
    vaddr, count, _ = parse_tdisk(keyword, args)
    define_temporary_disk(ctx.vm, vaddr, keyword, count)
    ctx.reply(f"DASD {vaddr:03X} DEFINED")
    return 0


def tdisk_keyword(word: str) -> str | None:
    """The T-disk keyword a DEFINE operand names (spelt in full), or None."""
    word = word.upper()
    return word if word in TDISK_TYPES else None
