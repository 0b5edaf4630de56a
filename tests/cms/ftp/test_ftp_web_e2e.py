"""FTP and the web server inside the system: CMS users on LOCALNET talk to
the service machines FTPSERVE and WEBSRV, which the system's start
autologged and whose PROFILE EXECs started their servers.

ALICE PUTs a text and a binary file to BOB's minidisk through FTPSERVE and
GETs them back (verified byte for byte on both minidisks), an EXEC drives
FTP through the console stack, and a REXX client EXEC GETs pages from
WEBSRV: the home page, a 404, a malformed request (400) after which the
server goes on serving."""

import asyncio
import faulthandler

import pytest

from cms.fs import Disk
from cp.minidisk import Minidisk
from cp.sysdir import minidisk_path
from cp.terminal import LineTerminal
from s390.ebcdic import to_ebcdic
from tests.cms.cmskit import make_cms_system, ready_code
from tests.cms.netkit import NIC, logged_on, write_exec
from vm370.boot import ImageBlocks


def _user(userid, start, extra=""):
    return (
        f"USER {userid} {userid} 4M 16M G\n{extra}"
        " IPL CMS\n CONSOLE 009 3215\n SPOOL 00C 2540 READER *\n"
        " SPOOL 00D 2540 PUNCH A\n SPOOL 00E 1403 A\n"
        " LINK MAINT 190 190 RR\n LINK MAINT 19E 19E RR\n"
        f" MDISK 191 3370 {start} 2000 VMPK01 MR\n" + NIC
    )


def _service(userid, start, options=""):
    return (
        _user(userid, start, options)
        .replace(f"USER {userid} {userid}", f"USER {userid} AUTOONLY")
        .replace(" IPL CMS\n", " IPL CMS PARM AUTOCR\n")
    )


DIRECT = (
    "USER OPERATOR OPERATOR 2M 16M AB\n CONSOLE 009 3215\n"
    "USER MAINT CPCMS 4M 16M ABCDEFG\n CONSOLE 009 3215\n"
    " MDISK 190 3370 0 4000 VMSRES RR ALL\n MDISK 19E 3370 4000 2000 VMSRES RR ALL\n"
    + _user("ALICE", 0)
    + _user("BOB", 2000)
    + _service("FTPSERVE", 4000, " OPTION LNKNOPAS DIAG88\n")
    + _service("WEBSRV", 6000)
)

TEXT = [to_ebcdic(x) for x in ("First line", "", "  [brackets] {braces} $#@ \u00e9", "last")]
BINARY = bytes(range(256)) * 40 + b"\r\n\x00tail"


@pytest.fixture(autouse=True)
def watchdog():
    faulthandler.dump_traceback_later(300, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def disk_files(system, userid, vaddr=0x191, write=None):
    """The files on a minidisk image (after writing ``write``: {(fn, ft): (records, recfm)})."""
    with Minidisk(minidisk_path(system.path, userid, vaddr)) as image:
        disk = Disk.open(ImageBlocks(image))
        for (fn, ft), (records, recfm) in (write or {}).items():
            disk.write_file(fn, ft, records, recfm)
        return {key: (disk.read_file(*key), fst.recfm) for key, fst in disk.files.items()}


async def start_system(tmp_path):
    """The system with its service machines' consoles watched; waits until
    both servers listen."""
    config = tmp_path / "system.config"
    config.write_text("DEFINE LAN LOCALNET OWNERID SYSTEM TYPE QDIO\n")
    config.chmod(0o600)
    system = make_cms_system(tmp_path, DIRECT)
    consoles = {}
    for userid in ("FTPSERVE", "WEBSRV"):
        consoles[userid] = LineTerminal()
        system.find_user(userid).console.attach(consoles[userid])
    return system, consoles


async def wait_for_line(terminal, text, timeout=60.0):
    for _ in range(int(timeout / 0.05)):
        if any(text in line for line in terminal.lines):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"no {text!r} in: " + "\n".join(terminal.lines[-20:]))


async def test_put_and_get_text_and_binary_through_ftpserve(tmp_path):
    system, consoles = await start_system(tmp_path)
    disk_files(
        system,
        "ALICE",
        write={
            ("NOTES", "TEXT"): (TEXT, "V"),
            ("CARDS", "TEXT"): ([to_ebcdic("A CARD").ljust(80, b"\x40")], "F"),
            ("IMAGE", "BIN"): ([BINARY[:1000], BINARY[1000:]], "V"),
        },
    )
    await wait_for_line(consoles["FTPSERVE"], "listening on 10.0.0.21 port 21")
    alice = await logged_on(system, "ALICE")
    out = await alice.type("FTP FTPSERVE", until="USER (identify yourself", timeout=60)
    assert out[0] == "VM TCP/IP FTP Level 370"
    assert "Connecting to FTPSERVE 10.0.0.21, port 21" in out
    assert any(x.startswith("220-FTPSERVE IBM VM Level 370 at 10.0.0.21") for x in out)
    out = await alice.type("bob", until="Password:")
    assert ">>>USER bob" in out and "331 Send password please." in out
    out = await alice.type("bob", until="Command:")
    assert ">>>PASS ********" in out and "230 BOB logged in; working directory = BOB 191" in out
    assert alice.terminal.password_prompts == ["Password:"]
    script = ("put notes text a", "put cards.text", "binary", "put image bin a")
    script += ("get image.bin copy bin a", "ascii", "get notes.text back text")
    for line in script:
        out = await alice.type(line, until="Command:", timeout=60)
        if line in ("binary", "ascii"):
            assert out[1].startswith("200 Representation type is"), out
            continue
        assert "250 Transfer completed successfully." in out, out
        assert any("bytes transferred in" in x for x in out), out
        # SRVRFTP CONFIG's PASSIVEPORTRANGE 30000 30015 (30000 = 117 * 256 + 48)
        assert any(x.startswith("227 Entering Passive Mode (10,0,0,21,117,") for x in out), out
    out = await alice.type("dir", until="Command:", timeout=60)
    assert any(x.startswith("IMAGE    BIN      V") and x.endswith("BOB191") for x in out), out
    out = await alice.type("get notes.text back text", until="Command:")
    assert "File BACK TEXT A already exists; specify (REPLACE to replace it." in out
    out = await alice.type("quit", until="Ready")
    assert "221 Quit command received. Goodbye." in out and ready_code(out) == "Ready"

    bob = disk_files(system, "BOB")
    assert bob[("NOTES", "TEXT")] == (TEXT, "V")
    assert bob[("CARDS", "TEXT")] == ([to_ebcdic("A CARD")], "V")  # F padding not sent
    assert b"".join(bob[("IMAGE", "BIN")][0]) == BINARY
    mine = disk_files(system, "ALICE")
    assert b"".join(mine[("COPY", "BIN")][0]) == BINARY
    assert mine[("BACK", "TEXT")] == (TEXT, "V")


async def test_an_exec_drives_ftp_through_the_console_stack(tmp_path):
    system, consoles = await start_system(tmp_path)
    disk_files(system, "BOB", write={("HELLO", "TEXT"): ([to_ebcdic("hi")], "V")})
    await wait_for_line(consoles["FTPSERVE"], "listening on")
    alice = await logged_on(system, "ALICE")
    await write_exec(
        alice,
        "GETHELLO",
        [
            "/* fetch a file from BOB's disk by FTP */",
            "queue 'bob wrongpassword'",
            "queue 'user bob bob'",
            "queue 'cd bob.191'",
            "queue 'ls'",
            "queue 'get hello.text'",
            "queue 'cd alice.191'",
            "queue 'close'",
            "queue 'open nosuchhost'",
            "queue 'quit'",
            "'FTP FTPSERVE'",
            "exit rc",
        ],
    )
    out = await alice.type("GETHELLO", timeout=90)
    assert "530 Login incorrect." in out
    assert "250 Working directory is BOB 191" in out
    assert "HELLO.TEXT" in out
    assert "550 Permission denied to access ALICE.191" in out  # BOB may not use ALICE's disk
    assert "Unknown host: nosuchhost" in out
    assert ready_code(out) == "Ready"
    assert disk_files(system, "ALICE")[("HELLO", "TEXT")] == ([to_ebcdic("hi")], "V")
    assert not any("wrongpassword" in x.lower() for x in out)


#: A REXX HTTP client: sends one request (its argument, \n for CR LF) to
#: WEBSRV port 80 with SO_ASCII on, says the answer's lines.
WEBGET = [
    "/* one HTTP request to WEBSRV */",
    "parse arg request",
    "call socket 'Initialize', 'WEBGET'",
    "parse value socket('Socket') with rc s",
    "call socket 'SetSockOpt', s, 'SOL_SOCKET', 'SO_ASCII', 'On'",
    "r = socket('Connect', s, 'AF_INET 80 WEBSRV')",
    "if word(r, 1) <> 0 then do; say 'CONNECT' r; exit 1; end",
    "crlf = '0D25'x",
    "request = changestr('\\n', request, crlf)",
    "call socket 'Send', s, request",
    "answer = ''",
    "do forever",
    "  parse value socket('Recv', s, 65536) with rc n data",
    "  if rc <> 0 | n = 0 then leave",
    "  answer = answer || data",
    "end",
    "call socket 'Close', s",
    "do while answer <> ''",
    "  parse var answer line '25'x answer",
    "  say 'GOT' strip(line, 'T', '0D'x)",
    "end",
    "call socket 'Terminate'",
]


async def test_a_rexx_client_gets_pages_from_websrv(tmp_path):
    system, consoles = await start_system(tmp_path)
    await wait_for_line(consoles["WEBSRV"], "WEBSERV: listening on port 80")
    alice = await logged_on(system, "ALICE")
    await write_exec(alice, "WEBGET", WEBGET)
    out = await alice.type("WEBGET GET / HTTP/1.1\\nHost: websrv\\n\\n", timeout=90)
    assert "GOT HTTP/1.1 200 OK" in out
    assert "GOT Content-Type: text/html; charset=ISO-8859-1" in out
    assert "GOT <h1>Welcome to vm370</h1>" in out
    out = await alice.type("WEBGET GET /nosuch.html HTTP/1.0\\n\\n", timeout=90)
    assert "GOT HTTP/1.1 404 Not Found" in out
    out = await alice.type("WEBGET this is not http\\n\\n", timeout=90)
    assert "GOT HTTP/1.1 400 Bad Request" in out
    out = await alice.type("WEBGET HEAD /webserv.exec HTTP/1.0\\n\\n", timeout=90)
    assert "GOT HTTP/1.1 200 OK" in out and "GOT Content-Type: application/octet-stream" in out
    assert any("WEBSERV: 400" in x for x in consoles["WEBSRV"].lines)


async def test_xautolog_brings_a_forced_server_back(tmp_path):
    from tests.cms.cmskit import User

    system, consoles = await start_system(tmp_path)
    await wait_for_line(consoles["WEBSRV"], "WEBSERV: listening on port 80")
    operator = User(system, "OPERATOR", "OPERATOR")
    out = await operator.type("FORCE WEBSRV", until="USER DSC")
    assert system.find_user("WEBSRV") is None
    out = await operator.type("XAUTOLOG WEBSRV", until="AUTO LOGON")
    assert any(x.startswith("AUTO LOGON  ***   WEBSRV") for x in out)
    alice = await logged_on(system, "ALICE")
    await write_exec(alice, "WEBGET", WEBGET)
    for _ in range(50):  # the new WEBSRV listens once its PROFILE EXEC has run
        out = await alice.type("WEBGET GET / HTTP/1.0\\n\\n", timeout=90)
        if "GOT HTTP/1.1 200 OK" in out:
            break
        assert any(x.startswith("CONNECT ") for x in out), out
        await asyncio.sleep(0.2)
    assert "GOT HTTP/1.1 200 OK" in out


async def test_srvrftp_without_diag88_logs_nobody_in_and_hx_stops_it(tmp_path):
    """BOB runs the server himself: CP does not check passwords for a
    machine without OPTION DIAG88, so every login is refused; HX stops the
    server and frees its port for the next start."""
    system, consoles = await start_system(tmp_path)
    bob = await logged_on(system, "BOB")
    start = len(bob.lines)
    bob.session.enter("SRVRFTP 2121")
    await bob.wait(start, "VM TCP/IP FTP Server Level 370 listening on 10.0.0.13 port 2121")
    alice = await logged_on(system, "ALICE")
    await alice.type("FTP BOB 2121", until="USER (identify", timeout=60)
    out = await alice.type("alice alice", until="Command:")
    assert "530 Login incorrect." in out
    out = await alice.type("quit")
    assert ready_code(out) == "Ready"
    for port_free_again in (True, False):
        bob.session.enter("")  # the attention
        await asyncio.sleep(0.05)
        out = await bob.type("HX", until="CMS")
        assert out[-1] == "CMS"
        if port_free_again:
            start = len(bob.lines)
            bob.session.enter("SRVRFTP 2121")
            await bob.wait(start, "VM TCP/IP FTP Server Level 370 listening")


async def test_ftpserve_serves_a_second_user_while_the_first_is_idle(tmp_path):
    system, consoles = await start_system(tmp_path)
    await wait_for_line(consoles["FTPSERVE"], "listening on")
    alice = await logged_on(system, "ALICE")
    await alice.type("FTP FTPSERVE", until="USER (identify", timeout=60)
    out = await alice.type("alice alice", until="Command:")
    # ALICE has her 191 R/W herself: FTPSERVE's link is R/O
    assert "230 ALICE logged in; working directory = ALICE 191 (ReadOnly)" in out
    bob = await logged_on(system, "BOB")  # ALICE's session stays open, idle
    await bob.type("FTP FTPSERVE", until="USER (identify", timeout=60)
    out = await bob.type("bob bob", until="Command:", timeout=60)
    assert "230 BOB logged in; working directory = BOB 191 (ReadOnly)" in out
    out = await bob.type("quit", timeout=60)
    assert "221 Quit command received. Goodbye." in out
    out = await alice.type("pwd", until="Command:", timeout=60)
    assert '257 "ALICE.191" is working directory.' in out
    await alice.type("quit")


async def test_hx_stops_ftpserve_and_detaches_the_disks_of_open_sessions(tmp_path):
    system, consoles = await start_system(tmp_path)
    await wait_for_line(consoles["FTPSERVE"], "listening on")
    alice = await logged_on(system, "ALICE")
    await alice.type("FTP FTPSERVE", until="USER (identify", timeout=60)
    out = await alice.type("bob bob", until="Command:")
    assert "230 BOB logged in; working directory = BOB 191" in out
    ftpserve = system.find_user("FTPSERVE")
    assert 0x400 in ftpserve.devices  # BOB 191, linked for the session
    ftpserve.console.input_line("")  # an attention, as ENTER while RUNNING
    await asyncio.sleep(0.05)
    ftpserve.console.input_line("HX")
    for _ in range(1000):  # CMS types "CMS" after HX
        if "CMS" in consoles["FTPSERVE"].lines:
            break
        await asyncio.sleep(0.01)
    assert "CMS" in consoles["FTPSERVE"].lines, consoles["FTPSERVE"].lines
    assert 0x400 not in ftpserve.devices
    out = await alice.type("pwd", until="Command:", timeout=60)
    assert any(x.startswith("421") or "Connection" in x for x in out), out
    await alice.type("quit")
