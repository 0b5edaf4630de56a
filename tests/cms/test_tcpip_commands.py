"""CMS TCP/IP on the real CP: two CMS users on the SYSTEM LAN LOCALNET.

PING both ways (the one pinged sits idle at the Ready prompt: its stack
works while CMS waits at VM READ), NETSTAT, IFCONFIG, QUERY NIC passed to
CP, and the messages for what is missing (no NIC, no address, unknown host).
"""

import asyncio
import faulthandler

import pytest

from cp import ds3270 as ds
from tests.cms.netkit import logged_on, make_net_system


@pytest.fixture(autouse=True)
def watchdog():
    faulthandler.dump_traceback_later(120, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def responses(lines):
    return [x for x in lines if x.startswith("Ping #")]


async def test_ping_both_ways_while_the_other_is_idle_at_ready(tmp_path):
    system = make_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    bob = await logged_on(system, "BOB")
    assert bob.terminal.status == "VM READ"  # BOB only waits at the Ready prompt
    out = await alice.type("PING BOB 3")
    assert out[0] == "Ping Level 370: Pinging host BOB (10.0.0.13)."
    assert [x.split(" response took ")[0] for x in responses(out)] == [
        "Ping #1",
        "Ping #2",
        "Ping #3",
    ]
    assert responses(out)[-1].endswith("seconds. Successes so far 3.")
    assert out[-1].startswith("Ready;")
    back = await bob.type("PING 10.0.0.12")
    assert responses(back)[0].startswith("Ping #1 response took ")
    big = await bob.type("PING ALICE (LENGTH 20000")  # 14 fragments each way
    assert responses(big)[0].startswith("Ping #1 response took "), big
    assert back[-1].startswith("Ready;")
    bob_counters = await bob.type("NETSTAT COUNTERS")
    answered = [x for x in bob_counters if "icmp_echo_answered" in x]
    assert answered and int(answered[0].split()[-1]) >= 3  # BOB answered at VM READ


async def test_ping_unknown_host_and_silent_address(tmp_path):
    system = make_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    out = await alice.type("PING NOSUCH")
    assert "Unknown host 'NOSUCH'." in out
    assert out[-1].startswith("Ready(00001);")
    out = await alice.type("PING 10.0.0.99 (TIMEOUT 1")
    assert "Ping #1 timed out" in out  # nobody answers ARP for it
    assert out[-1].startswith("Ready(00001);")


async def test_netstat_shows_a_connection_and_ifconfig_the_interface(tmp_path):
    system = make_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    bob = await logged_on(system, "BOB")
    # BOB listens and accepts in an EXEC; ALICE connects and stays connected.
    from tests.cms.netkit import write_exec

    await write_exec(
        bob,
        "HOLD",
        [
            "/* */",
            "call socket 'Initialize', 'H'",
            "parse value socket('Socket') with . s",
            "call socket 'Bind', s, 'AF_INET 7000 INADDR_ANY'",
            "call socket 'Listen', s",
            "say 'LISTENING'",
            "parse value socket('Accept', s) with . c .",
            "say 'GOT' c",
            "parse value socket('Recv', c) with rc n data",
            "say 'DONE' rc n",
        ],
    )
    await write_exec(
        alice,
        "HOLDC",
        [
            "/* */",
            "call socket 'Initialize', 'C'",
            "parse value socket('Socket') with . l",
            "call socket 'Bind', l, 'AF_INET 7100 INADDR_ANY'",
            "call socket 'Listen', l",
            "parse value socket('Socket') with . s",
            "say 'CONNECT' socket('Connect', s, 'AF_INET 7000 BOB')",
            "'NETSTAT'",
            "say 'CLOSE' socket('Close', s)",
        ],
    )
    start = len(bob.lines)
    bob.session.enter("HOLD")
    await bob.wait(start, "LISTENING")
    out = await alice.type("HOLDC")
    assert "CONNECT 0" in out
    rows = [x for x in out if x.startswith("ALICE ")]
    assert any("10.0.0.13..7000" in x and "Established" in x for x in rows), out
    assert any(x.split()[2:] == ["TCP", "*..7100", "*..*", "Listen"] for x in rows), out
    assert "Active Transmission Blocks" in out
    done = await bob.wait(start, "Ready")
    assert "DONE 0 0" in done  # ALICE's close is the orderly end BOB reads
    gate = await alice.type("NETSTAT GATE")
    assert [x.split() for x in gate[4:6]] == [
        ["10.0.0.0", "255.255.255.0", "<direct>", "NIC0600"],
        ["Default", "<none>", "10.0.0.1", "NIC0600"],
    ], gate
    config = await alice.type("IFCONFIG")
    assert config[0].startswith("NIC0600: inet 10.0.0.12  netmask 255.255.255.0  gateway 10.0.0.1")
    assert "LAN SYSTEM LOCALNET" in config[1]


async def test_query_nic_typed_in_cms_goes_to_cp(tmp_path):
    system = make_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    out = await alice.type("QUERY NIC")
    assert out[0].startswith("Adapter 0600  Type: QDIO")
    assert "LAN: SYSTEM LOCALNET" in out[1]


async def test_what_is_missing_is_said(tmp_path):
    system = make_net_system(tmp_path)
    carol = await logged_on(system, "CAROL")  # a NIC, no address anywhere
    out = await carol.type("PING ALICE")
    assert any(x.startswith("No IP address for CAROL") for x in out), out
    dave = await logged_on(system, "DAVE")  # no NIC
    out = await dave.type("NETSTAT")
    assert any(x.startswith("No NIC is defined") for x in out), out
    out = await dave.type("NETSTAT BOGUS")
    assert "DMSNET070E INVALID PARAMETER 'BOGUS'" in out


async def test_profile_tcpip_gives_an_address_and_uncoupled_nic_is_said(tmp_path):
    system = make_net_system(tmp_path)
    carol = await logged_on(system, "CAROL")
    await carol.type("EXECIO 1 DISKW PROFILE TCPIP A1 (STRING HOME 10.0.0.33")
    alice = await logged_on(system, "ALICE")
    out = await alice.type("PING 10.0.0.33 (TIMEOUT 1")
    assert "Ping #1 timed out" in out  # CAROL's stack has not started yet
    out = await carol.type("PING ALICE")
    assert responses(out)[0].startswith("Ping #1 response took")
    out = await alice.type("PING 10.0.0.33")
    assert responses(out)[0].startswith("Ping #1 response took")
    await carol.type("CP UNCOUPLE 600")
    out = await carol.type("IFCONFIG")
    assert "LAN not coupled" in out[1]


async def test_gratuitous_arp_reaches_an_idle_user_and_logoff_ends_the_stack(tmp_path):
    system = make_net_system(tmp_path)
    bob = await logged_on(system, "BOB")
    alice = await logged_on(system, "ALICE")  # its stack starts at IPL and announces itself
    await asyncio.sleep(0.05)
    arp = await bob.type("NETSTAT ARP")  # BOB sat at VM READ meanwhile
    mac = system.find_user("ALICE").devices[0x600].nic.mac
    assert any(x.split() == ["10.0.0.12", "-".join(f"{b:02X}" for b in mac)] for x in arp), arp
    await alice.type("LOGOFF", until="LOGOFF AT")
    assert system.find_user("ALICE") is None
    out = await bob.type("PING ALICE (TIMEOUT 1")
    assert "Ping #1 timed out" in out


async def test_a_user_whose_exec_computes_still_answers_ping(tmp_path):
    from tests.cms.netkit import write_exec

    system = make_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    bob = await logged_on(system, "BOB")
    await write_exec(alice, "LOOP", ["/* */", "do forever", "  x = 1", "end"])
    alice.session.enter("LOOP")
    await asyncio.sleep(0.1)
    assert alice.terminal.status == "RUNNING"
    out = await bob.type("PING ALICE 2")
    assert len([x for x in responses(out) if " response took " in x]) == 2, out
    alice.session.enter("")
    await asyncio.sleep(0.05)
    assert (await alice.type("HX", until="CMS"))[-1] == "CMS"


async def test_bad_operands_and_a_bad_profile_line_are_named(tmp_path):
    system = make_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    assert "DMSPNG046E NO HOST SPECIFIED" in await alice.type("PING")
    assert "DMSPNG070E INVALID PARAMETER 'X'" in await alice.type("PING BOB X")
    assert "DMSPNG003E INVALID OPTION 'FAST'" in await alice.type("PING BOB (FAST 1")
    assert "DMSPNG070E INVALID PARAMETER '0'" in await alice.type("PING BOB (TIMEOUT 0")
    assert "DMSIFC070E INVALID PARAMETER 'ETH0'" in await alice.type("IFCONFIG ETH0")
    carol = await logged_on(system, "CAROL")
    await carol.type("EXECIO 1 DISKW PROFILE TCPIP A1 (STRING HOME 10.0.0.999")
    out = await carol.type("PING ALICE")
    assert "PROFILE TCPIP line 1: 10.0.0.999 is not an IP address" in out
    assert out[-1].startswith("Ready(00008);")


async def test_a_user_in_xedit_at_a_3270_answers_ping(tmp_path):
    from tests.cp.screenkit import Display

    system = make_net_system(tmp_path)
    alice = Display(system)

    async def shows(text):
        for _ in range(2000):
            if text in alice.text() and not alice.screen.keyboard_locked:
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"no {text!r} on\n{alice.text()}")

    alice.type("LOGON ALICE ALICE")
    await shows("VM/370 CMS")
    alice.key(ds.AID_CLEAR)
    alice.type("ACCESS (NOPROF")
    await shows("Ready")
    alice.key(ds.AID_CLEAR)
    alice.type("XEDIT NOTES DATA A")
    await shows("X E D I T")
    bob = await logged_on(system, "BOB")
    out = await bob.type("PING ALICE 2")  # ALICE's CMS waits for a key in XEDIT
    assert len([x for x in responses(out) if " response took " in x]) == 2, out


async def test_hx_ends_a_ping_that_goes_on_until_hx(tmp_path):
    system = make_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    await logged_on(system, "BOB")
    start = len(alice.lines)
    alice.session.enter("PING BOB 0")
    await asyncio.sleep(0.3)
    alice.session.enter("")
    await asyncio.sleep(0.05)
    out = await alice.type("HX", until="CMS")
    assert out[-1] == "CMS"
    shown = responses(alice.lines[start:])
    assert len(shown) > 1 and all(" response took " in x for x in shown)
    assert (await alice.type("PING BOB"))[-1].startswith("Ready;")  # the raw socket was freed


async def test_a_vm_cp_holds_stopped_does_not_answer_until_begin(tmp_path):
    system = make_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    bob = await logged_on(system, "BOB")
    await asyncio.sleep(0.1)  # ALICE's slice is long over: it waits at VM READ
    alice.session.attention()  # PA1: CP READ, the VM stops
    await alice.status("CP READ")
    out = await bob.type("PING ALICE (TIMEOUT 1")
    assert "Ping #1 timed out" in out
    alice.session.enter("BEGIN")
    await alice.status("VM READ")
    out = await bob.type("PING ALICE")
    assert responses(out)[0].startswith("Ping #1 response took"), out


async def test_ping_off_the_lan_without_a_gateway_says_so(tmp_path):
    system = make_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    await alice.type("EXECIO 1 DISKW PROFILE TCPIP A1 (STRING GATEWAY NONE")
    await alice.type("IPL CMS", until="VM/370 CMS")  # the configuration is read at IPL
    await alice.type("ACCESS (NOPROF")
    out = await alice.type("PING 192.168.1.1")
    assert "Ping #1: Network is unreachable" in out
    assert out[-1].startswith("Ready(00001);")
    gate = await alice.type("NETSTAT GATE")
    assert not any(x.startswith("Default") for x in gate)
