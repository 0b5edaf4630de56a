"""REXX Sockets (SOCKET()) between two CMS users on the real CP.

A client EXEC sends 1 MB to a server EXEC over TCP and the server checks
every byte; HX ends an EXEC blocked in Accept; misuse gets z/VM's errno
strings; a third user's CP command is answered while two users transfer.
"""

import asyncio
import faulthandler

import pytest

from tests.cms.cmskit import ready_code
from tests.cms.netkit import CLIENT_EXEC, SERVER_EXEC, logged_on, make_net_system, write_exec


@pytest.fixture(autouse=True)
def watchdog():
    faulthandler.dump_traceback_later(240, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


async def start_server(bob, port=5000):
    await write_exec(bob, "SERVER", SERVER_EXEC)
    start = len(bob.lines)
    bob.session.enter(f"SERVER {port}")
    await bob.wait(start, "WAITING")
    return start


async def test_one_megabyte_from_client_exec_to_server_exec_verified(tmp_path):
    system = make_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    bob = await logged_on(system, "BOB")
    await write_exec(alice, "CLIENT", CLIENT_EXEC)
    start = await start_server(bob)
    out = await alice.type("CLIENT BOB 5000 16", timeout=120)
    assert "SENT 1048576" in out and "CLOSE 0" in out
    assert ready_code(out) == "Ready"
    done = await bob.wait(start, "Ready", timeout=120)
    assert "ACCEPTED 0 AF_INET 10.0.0.12" in done
    assert "RECEIVED 1048576 BAD 0" in done
    assert "CLOSE 0" in done and "0 SRV" in done


async def test_third_user_answered_while_two_transfer(tmp_path):
    system = make_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    bob = await logged_on(system, "BOB")
    carol = await logged_on(system, "CAROL")
    await write_exec(alice, "CLIENT", CLIENT_EXEC)
    start = await start_server(bob)
    client_start = len(alice.lines)
    alice.session.enter("CLIENT BOB 5000 64")  # 4 MB
    await asyncio.sleep(0.05)
    out = await carol.type("CP QUERY TIME", until="Ready", timeout=60)
    assert any(x.startswith("TIME IS ") for x in out)
    done = await bob.wait(start, "Ready", timeout=180)
    assert "RECEIVED 4194304 BAD 0" in done
    sent = await alice.wait(client_start, "Ready", timeout=60)
    assert "SENT 4194304" in sent


async def test_hx_ends_an_exec_blocked_in_accept(tmp_path):
    system = make_net_system(tmp_path)
    bob = await logged_on(system, "BOB")
    await start_server(bob, 5001)
    await asyncio.sleep(0.2)
    assert bob.terminal.status == "RUNNING"  # Accept waits (the VM sleeps)
    bob.session.enter("")  # the attention
    await asyncio.sleep(0.05)
    start = len(bob.lines)
    out = await bob.type("HX", until="CMS")
    assert out[-1] == "CMS"
    assert not any(x.startswith("ACCEPTED") for x in bob.lines[start:])
    # the EXEC's socket set ended with it: the port is free for the next one
    again = await start_server(bob, 5001)
    assert "BIND 0" in bob.lines[again:]
    bob.session.enter("")
    await asyncio.sleep(0.05)
    out = await bob.type("HX", until="CMS")
    assert out[-1] == "CMS"


MISUSE = [
    "/* misuse of SOCKET() */",
    "say 'A' socket('Socket')",
    "say 'B' socket('Initialize', 'M')",
    "say 'C' socket('Initialize', 'M')",
    "say 'D' socket('Close', 99)",
    "say 'E' socket('Recv')",
    "say 'F' socket('Frobnicate', 1)",
    "say 'G' socket('Bind', 'x', 'AF_INET 1 INADDR_ANY')",
    "say 'H' socket('GetHostByName', 'NOSUCH')",
    "say 'I' socket('GetHostByName', 'bob')",
    "parse value socket('Socket') with rc s",
    "say 'J' socket('Connect', s, 'AF_INET 9 BOB')",
    "say 'K' socket('Connect', s, 'AF_INET 9')",
    "say 'L' socket('SetSockOpt', s, 'SOL_SOCKET', 'SO_BOGUS', 'ON')",
    "say 'M' socket('Ioctl', s, 'FIONBIO', 'ON')",
    "parse value socket('Socket') with rc t",
    "say 'S' socket('Accept', t)",
    "say 'T' socket('Recv', t)",
    "say 'U' socket('Send', t, 'data')",
    "say 'N' socket('Version')",
    "say 'O' socket('GetHostId')",
    "say 'P' socket('Terminate')",
    "say 'Q' socket('Send', s, 'x')",
    "say 'R' socket()",
]


async def test_misuse_gets_errno_strings_never_a_traceback(tmp_path):
    system = make_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    await logged_on(system, "BOB")
    await write_exec(alice, "MISUSE", MISUSE)
    out = await alice.type("MISUSE")
    said = {x[0]: x[2:] for x in out if len(x) > 1 and x[1] == " " and x[0].isupper()}
    assert said["A"] == "2005 ESUBTASKNOTACTIVE Subtask not active"
    assert said["B"] == "0 M 40 TCPIP"
    assert said["C"] == "2004 ESUBTASKALREADYACTIVE Subtask already active"
    assert said["D"] == "9 EBADF Bad file number"
    assert said["E"] == "2001 EINVALIDRXSOCKETCALL Syntax error in RXSOCKET parameter list"
    assert said["F"] == "2001 EINVALIDRXSOCKETCALL Syntax error in RXSOCKET parameter list"
    assert said["G"] == "2001 EINVALIDRXSOCKETCALL Syntax error in RXSOCKET parameter list"
    assert said["H"] == "2016 EHOSTNOTFOUND Host not found"
    assert said["I"] == "0 10.0.0.13"
    assert said["J"] == "61 ECONNREFUSED Connection refused"  # BOB's stack answers RST
    assert said["K"] == "2001 EINVALIDRXSOCKETCALL Syntax error in RXSOCKET parameter list"
    assert said["L"] == "42 ENOPROTOOPT Option not supported by protocol"
    assert said["M"] == "0"
    assert said["S"] == "22 EINVAL Invalid argument"  # not listening: no wait for ever
    assert said["T"] == "57 ENOTCONN Socket is not connected"
    assert said["U"] == "57 ENOTCONN Socket is not connected"
    assert said["N"].startswith("0 REXX/SOCKETS")
    assert said["O"] == "0 10.0.0.12"
    assert said["P"] == "0 M"
    assert said["Q"] == "2005 ESUBTASKNOTACTIVE Subtask not active"
    assert said["R"] == "2001 EINVALIDRXSOCKETCALL Syntax error in RXSOCKET parameter list"
    assert ready_code(out) == "Ready"
    assert not any("DMSABN" in x or "Traceback" in x for x in out)


async def test_nonblocking_recv_and_select_with_timeout(tmp_path):
    system = make_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    bob = await logged_on(system, "BOB")
    await write_exec(
        bob,
        "ECHO1",
        [
            "/* accept one connection, echo one message in ASCII */",
            "call socket 'Initialize', 'E'",
            "parse value socket('Socket') with . s",
            "call socket 'Bind', s, 'AF_INET 7007 INADDR_ANY'",
            "call socket 'Listen', s",
            "say 'READY'",
            "parse value socket('Accept', s) with . c .",
            "call socket 'SetSockOpt', c, 'SOL_SOCKET', 'SO_ASCII', 'ON'",
            "parse value socket('Recv', c) with rc n data",
            "say 'ECHO' socket('Send', c, translate(data))",
            "call socket 'Close', c",
        ],
    )
    await write_exec(
        alice,
        "ASK",
        [
            "/* */",
            "call socket 'Initialize', 'A'",
            "parse value socket('Socket') with . s",
            "say 'CONN' socket('Connect', s, 'AF_INET 7007 10.0.0.13')",
            "call socket 'Ioctl', s, 'FIONBIO', 'ON'",
            "say 'EMPTY' socket('Recv', s)",
            "say 'SEL0' socket('Select', 'READ' s, 0)",
            "call socket 'SetSockOpt', s, 'SOL_SOCKET', 'SO_ASCII', 'ON'",
            "say 'SEND' socket('Send', s, 'hello')",
            "say 'SEL' socket('Select', 'READ' s 'WRITE EXCEPTION', 5)",
            "say 'GOT' socket('Recv', s)",
        ],
    )
    start = len(bob.lines)
    bob.session.enter("ECHO1")
    await bob.wait(start, "READY")
    out = await alice.type("ASK")
    assert "CONN 0" in out
    assert "EMPTY 35 EWOULDBLOCK Operation would block" in out
    sel0 = [x for x in out if x.startswith("SEL0 ")][0]
    assert sel0.startswith("SEL0 0 0 READ")
    assert "SEND 0 5" in out
    sel = [x for x in out if x.startswith("SEL ")][0]
    assert sel.split()[1:4] == ["0", "1", "READ"]
    assert "GOT 0 5 HELLO" in out
    done = await bob.wait(start, "Ready")
    assert "ECHO 0 5" in done


NAMES_AND_DATAGRAMS = [
    "/* names, status, translation, datagrams */",
    "say 'A' socket('Initialize', 'N', 5)",
    "say 'B' socket('SocketSetStatus')",
    "parse value socket('Socket', 'AF_INET', 'SOCK_DGRAM') with . u",
    "say 'C' socket('Bind', u, 'AF_INET 9000 INADDR_ANY')",
    "say 'D' socket('GetSockName', u)",
    "say 'E' socket('SendTo', u, 'to myself', '', 'AF_INET 9000 ALICE')",
    "say 'F' socket('RecvFrom', u)",
    "say 'G' socket('GetHostByAddr', '10.0.0.13')",
    "say 'H' socket('GetHostName')",
    "say 'I' c2x(word(socket('Translate', 'AB', 'TO_ASCII'), 2))",
    "say 'J' socket('Translate', '41'x, 'TO_EBCDIC')",
    "say 'K' socket('SocketSetStatus')",
    "do 4; call socket 'Socket'; end",
    "say 'L' socket('Socket')",
    "say 'M' socket('GetPeerName', u)",
    "say 'N' socket('Select', 'READ' u, 0)",
]


async def test_names_status_translation_and_datagrams(tmp_path):
    system = make_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    await write_exec(alice, "NAMES", NAMES_AND_DATAGRAMS)
    out = await alice.type("NAMES")
    said = {x[0]: x[2:] for x in out if len(x) > 1 and x[1] == " " and x[0].isupper()}
    assert said["A"] == "0 N 5 TCPIP"
    assert said["B"] == "0 N Connected Free 5 Used 0"
    assert said["C"] == "0"
    assert said["D"] == "0 AF_INET 9000 0.0.0.0"
    assert said["E"] == "0 9"
    assert said["F"] == "0 9 AF_INET 9000 10.0.0.12 to myself"
    assert said["G"] == "0 BOB"
    assert said["H"] == "0 ALICE"
    assert said["I"] == "4142"  # ASCII A B
    assert said["J"] == "0 A"
    assert said["K"] == "0 N Connected Free 4 Used 1"
    assert said["L"] == "2007 EMAXSOCKETSREACHED Maximum number of sockets reached"
    assert said["M"] == "57 ENOTCONN Socket is not connected"
    assert said["N"] == "0 0 READ WRITE EXCEPTION"
