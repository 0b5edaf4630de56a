"""What several benchmarks share: a user directory of CMS users."""

from __future__ import annotations

#: MAINT with the CMS system disks (190 S, 19E Y).
MAINT = [
    "USER MAINT CPCMS 4M 16M ABCDEFG",
    " CONSOLE 009 3215",
    " MDISK 190 3370 0 4000 VMSRES RR ALL",
    " MDISK 19E 3370 4000 2000 VMSRES RR ALL",
]


def cms_user(userid: str, start: int, blocks: int, volser: str) -> list[str]:
    """A class G user (password = user id) who IPLs CMS, with unit record
    devices, the system disks linked and a 191 A-disk of ``blocks`` blocks."""
    return [
        f"USER {userid} {userid} 4M 16M G",
        " IPL CMS",
        " CONSOLE 009 3215",
        " SPOOL 00C 2540 READER *",
        " SPOOL 00D 2540 PUNCH A",
        " SPOOL 00E 1403 A",
        " LINK MAINT 190 190 RR",
        " LINK MAINT 19E 19E RR",
        f" MDISK 191 3370 {start} {blocks} {volser} MR",
    ]


def cms_directory(userids: list[str], blocks: int) -> str:
    """USER DIRECT text: MAINT and the CMS users ``userids``, each with its own A-disk."""
    text = list(MAINT)
    for n, userid in enumerate(userids):
        text += cms_user(userid, (n % 100) * blocks, blocks, f"UPK{n // 100:03d}")
    return "\n".join(text) + "\n"
