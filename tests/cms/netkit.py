"""Helpers for the CMS TCP/IP tests: a system whose CMS users have NICs on
the SYSTEM LAN LOCALNET (system.config DEFINE LAN, as the default system
has it) and addresses from the shipped HOSTS LOCAL (ALICE 10.0.0.12, BOB
10.0.0.13); CAROL has a NIC but no address, DAVE no NIC at all."""

from __future__ import annotations

from tests.cms.cmskit import User, make_cms_system

NIC = " NICDEF 600 TYPE QDIO DEVICES 3 LAN SYSTEM LOCALNET\n"


def _user(userid: str, start: int, nic: bool = True) -> str:
    return (
        f"USER {userid} {userid} 4M 16M G\n"
        " IPL CMS\n"
        " CONSOLE 009 3215\n"
        " SPOOL 00C 2540 READER *\n"
        " SPOOL 00D 2540 PUNCH A\n"
        " SPOOL 00E 1403 A\n"
        " LINK MAINT 190 190 RR\n"
        " LINK MAINT 19E 19E RR\n"
        f" MDISK 191 3370 {start} 2000 VMPK01 MR\n" + (NIC if nic else "")
    )


NET_DIRECT = (
    "USER MAINT CPCMS 4M 16M ABCDEFG\n"
    " CONSOLE 009 3215\n"
    " MDISK 190 3370 0 4000 VMSRES RR ALL\n"
    " MDISK 19E 3370 4000 2000 VMSRES RR ALL\n"
    + _user("ALICE", 0)
    + _user("BOB", 2000)
    + _user("CAROL", 4000)
    + _user("DAVE", 6000, nic=False)
)


def make_net_system(path):
    """The system: LOCALNET defined by system.config, the users above."""
    config = path / "system.config"
    config.write_text("DEFINE LAN LOCALNET OWNERID SYSTEM TYPE QDIO\n")
    config.chmod(0o600)  # owner-only, as everything in the system directory
    return make_cms_system(path, NET_DIRECT)


async def logged_on(system, userid: str) -> User:
    """A user at the CMS Ready prompt (PROFILE skipped)."""
    user = User(system, userid, userid)
    await user.cms()
    return user


async def write_exec(user: User, name: str, lines: list[str]) -> None:
    """An EXEC on the user's A-disk, written record by record with EXECIO."""
    await user.type(f"ERASE {name} EXEC A")
    for line in lines:
        await user.type(f"EXECIO 1 DISKW {name} EXEC A1 0 V 80 (STRING {line}")


#: A REXX Sockets server: accepts one connection, receives until the peer
#: closes, checks every byte against the sender's pattern (byte k is k mod
#: 256), and says how much it got and how many chunks differed.
SERVER_EXEC = [
    "/* receive and check a stream of pattern bytes */",
    "parse arg port",
    "say socket('Initialize', 'SRV')",
    "parse value socket('Socket', 'AF_INET', 'SOCK_STREAM') with rc s",
    "say 'BIND' socket('Bind', s, 'AF_INET' port 'INADDR_ANY')",
    "say 'LISTEN' socket('Listen', s, 5)",
    "say 'WAITING'",
    "parse value socket('Accept', s) with rc c family cport chost",
    "say 'ACCEPTED' rc family chost",
    "pat = copies(xrange('00'x, 'FF'x), 600)",
    "total = 0; bad = 0",
    "do forever",
    "  parse value socket('Recv', c, 65536) with rc n data",
    "  if rc <> 0 then do; say 'RECV' rc n data; leave; end",
    "  if n = 0 then leave",
    r"  if data \== substr(pat, total // 256 + 1, n) then bad = bad + 1",
    "  total = total + n",
    "end",
    "say 'RECEIVED' total 'BAD' bad",
    "say 'CLOSE' socket('Close', c)",
    "say socket('Terminate')",
]

#: A REXX Sockets client: connects and sends ``blocks`` 64 KiB blocks of the pattern.
CLIENT_EXEC = [
    "/* send blocks of pattern bytes */",
    "parse arg host port blocks",
    "say socket('Initialize', 'CLI')",
    "parse value socket('Socket') with rc s",
    "r = socket('Connect', s, 'AF_INET' port host)",
    "if word(r, 1) <> 0 then do; say 'CONNECT' r; exit 1; end",
    "block = copies(xrange('00'x, 'FF'x), 256)",
    "sent = 0",
    "do blocks",
    "  parse value socket('Send', s, block) with rc n",
    "  if rc <> 0 then do; say 'SEND' rc n; exit 1; end",
    "  sent = sent + n",
    "end",
    "say 'SENT' sent",
    "say 'CLOSE' socket('Close', s)",
    "say socket('Terminate')",
]
