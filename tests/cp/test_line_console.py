"""The line console: VM READ / CP READ / RUNNING, LINEND and #CP, attention,
RUN ON/OFF, type-ahead and line editing, driven through a named-system guest."""

import re

from cp.console import TerminalOptions, edit_line
from tests.cp.cpkit import command, logon, make_system, settle

LOOP_AT_2000 = bytes.fromhex("47F02000")  # BC 15,X'2000': a guest loop


async def echo_guest(services, parm):
    """Says its PARM, then answers every console line until 'quit'."""
    services.write_line(f"ECHO {parm}")
    while True:
        line = await services.read_line()
        if line == "quit":
            return
        services.write_line(f"GOT {line}")


async def spin_guest(services, parm):
    """Runs a CPU loop for a number of slices, then reads lines as ECHO does."""
    vm_cpu = services.vm.cpu
    vm_cpu.mem[0x2000:0x2004] = LOOP_AT_2000
    vm_cpu.load_psw(bytes.fromhex("0000000000002000"))
    for _ in range(int(parm or "20")):
        await services.run_cpu(2000)
    services.write_line(f"ATTN {services.attention_pending()}")
    await echo_guest(services, "AGAIN")


async def converse(session, terminal, line: str) -> list[str]:
    """Enter a line for the guest and return what it answered."""
    terminal.take()
    session.enter(line)
    await settle()
    return terminal.take()


def system_with_guests(tmp_path):
    return make_system(tmp_path, named_systems={"ECHO": echo_guest, "SPIN": spin_guest})


def test_edit_line_rules():
    o = TerminalOptions()
    assert edit_line("abc", o) == [("abc", False)]
    assert edit_line("a#b", o) == [("a", False), ("b", True)]
    assert edit_line("#CP Q T", o) == [("CP Q T", True)]
    assert edit_line("ab@c", o) == [("ac", False)]
    assert edit_line('a"#b', o) == [("a#b", False)]
    assert edit_line("junk\u00a2good", o) == [("good", False)]
    o.linend = None
    assert edit_line("a#b", o) == [("a#b", False)]


async def test_named_system_ipl_and_vm_read(tmp_path):
    system = system_with_guests(tmp_path)
    t, s = logon(system, "ALICE")
    command(s, t, "IPL ECHO PARM hello world")
    await settle()
    assert t.lines[-1] == "ECHO hello world"
    assert t.status == "VM READ"
    assert await converse(s, t, "abc") == ["GOT abc"]
    assert await converse(s, t, "one#two") == ["GOT one", "GOT two"]


async def test_hash_cp_from_vm_read(tmp_path):
    system = system_with_guests(tmp_path)
    t, s = logon(system, "ALICE")
    command(s, t, "IPL ECHO")
    await settle()
    assert command(s, t, "#CP QUERY USERS") == ["001 USERS, 000 DIALED"]
    assert t.status == "VM READ"
    command(s, t, "#CP")
    assert t.status == "CP READ"
    assert command(s, t, "Q USERS") == ["001 USERS, 000 DIALED"]
    command(s, t, "BEGIN")
    assert t.status == "VM READ"
    assert await converse(s, t, "x") == ["GOT x"]


async def test_attention_stops_vm_until_begin(tmp_path):
    system = system_with_guests(tmp_path)
    t, s = logon(system, "ALICE")
    command(s, t, "IPL SPIN PARM 100000")
    await settle()
    vm = system.find_user("ALICE")
    assert t.status == "RUNNING"
    s.attention()
    assert t.status == "CP READ" and not vm.running
    before = vm.cpu.instructions
    await settle(0.05)
    assert vm.cpu.instructions - before <= 2000  # at most the slice in progress
    command(s, t, "BEGIN")
    assert vm.running and t.status == "RUNNING"
    await settle(0.05)
    assert vm.cpu.instructions > before + 2000


async def test_run_on_keeps_vm_running_in_cp_mode(tmp_path):
    system = system_with_guests(tmp_path)
    t, s = logon(system, "ALICE")
    command(s, t, "SET RUN ON")
    command(s, t, "IPL SPIN PARM 100000")
    await settle()
    vm = system.find_user("ALICE")
    s.attention()
    assert t.status == "CP READ" and vm.running
    before = vm.cpu.instructions
    await settle(0.05)
    assert vm.cpu.instructions > before
    assert command(s, t, "Q USERS") == ["001 USERS, 000 DIALED"]
    assert t.status == "RUNNING"  # back to the VM after the command


async def test_type_ahead_and_attention_while_running(tmp_path):
    system = system_with_guests(tmp_path)
    t, s = logon(system, "ALICE")
    command(s, t, "IPL SPIN PARM 200")
    assert t.status == "RUNNING"
    s.enter("")  # attention for the guest
    s.enter("first")
    s.enter("second")
    for _ in range(500):
        await settle(0.01)
        if t.lines[-1] == "GOT second":
            break
    assert t.lines[-4:] == ["ATTN True", "ECHO AGAIN", "GOT first", "GOT second"]
    assert t.status == "VM READ"


async def test_guest_end_returns_to_cp_read(tmp_path):
    system = system_with_guests(tmp_path)
    t, s = logon(system, "ALICE")
    command(s, t, "IPL ECHO")
    await settle()
    s.enter("quit")
    await settle()
    assert t.status == "CP READ"
    assert command(s, t, "BEGIN") == ["DMKCFM146E NO IPL OR BEGIN ADDRESS"]


async def test_terminal_mode_cp_and_linend_change(tmp_path):
    system = system_with_guests(tmp_path)
    t, s = logon(system, "ALICE")
    command(s, t, "IPL ECHO")
    await settle()
    command(s, t, "#CP TERMINAL LINEND ;")
    assert await converse(s, t, "a#b") == ["GOT a#b"]
    assert command(s, t, ";CP Q USERS") == ["001 USERS, 000 DIALED"]
    command(s, t, ";CP TERMINAL MODE CP")
    assert command(s, t, "Q USERS") == ["001 USERS, 000 DIALED"]


async def test_logon_runs_directory_ipl_and_noipl(tmp_path):
    text = "USER ECHOER PW 1M 1M G\n CONSOLE 009 3215\n IPL ECHO PARM AUTO\n"
    system = make_system(tmp_path, text, named_systems={"ECHO": echo_guest})
    t, s = logon(system, "ECHOER", "PW")
    await settle()
    assert t.lines[-1] == "ECHO AUTO" and t.status == "VM READ"
    command(s, t, "#CP LOGOFF")
    t2, s2 = logon(system, "ECHOER", "PW", "NOIPL")
    await settle()
    assert t2.status == "CP READ" and "ECHO AUTO" not in t2.lines


async def test_disconnected_guest_keeps_running_and_reconnect_shows_cp_read(tmp_path):
    system = system_with_guests(tmp_path)
    t, s = logon(system, "ALICE")
    command(s, t, "SET RUN ON")
    command(s, t, "IPL SPIN PARM 1000000")
    await settle()
    vm = system.find_user("ALICE")
    command(s, t, "#CP DISCONNECT")
    before = vm.cpu.instructions
    await settle(0.05)
    assert vm.cpu.instructions > before  # still running, disconnected
    t2, s2 = logon(system, "ALICE")
    assert t2.lines[-1].startswith("RECONNECTED AT") and t2.status == "CP READ"


async def busy_guest(services, parm):
    """Works in Python for a while (as the CMS nucleus does), then reads."""
    deadline = __import__("time").perf_counter() + 0.05
    while __import__("time").perf_counter() < deadline:
        pass
    await services.read_line()


async def test_named_guest_time_is_virtual_cpu(tmp_path):
    system = make_system(tmp_path, named_systems={"BUSY": busy_guest})
    t, s = logon(system, "ALICE")
    command(s, t, "IPL BUSY")
    await settle(0.1)
    account = system.find_user("ALICE").account
    assert account.virtual_us >= 40_000 and account.total_us >= account.virtual_us
    s.enter("#CP LOGOFF")
    assert re.search(r"VIRTCPU= 000:00\.0[4-9]", t.text()) or re.search(
        r"VIRTCPU= 000:00\.[1-9]", t.text()
    )
