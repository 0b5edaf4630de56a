"""A logged-off virtual machine is freed at once, by reference counting alone:
no cycle through its devices, console, guest services or guest task keeps it
(and its storage) until the cycle collector happens to run.  Every test runs
with the collector disabled; each way a VM ends is covered: LOGOFF in CP,
LOGOFF typed in CMS, FORCE, DISCONNECT then FORCE, SHUTDOWN, and the
storage and guests a VM leaves behind on DEFINE STORAGE and a re-IPL."""

from __future__ import annotations

import asyncio
import gc
import weakref

import pytest

from decks.build import LOAD_ADDRESS
from s390.asm import assemble
from s390.asm.ipldeck import build_ipl_deck
from tests.cp.cpkit import logon, make_system

LOOP = """\
LOOPER   CSECT
         BALR  12,0
         USING *,12
LOOP     B     LOOP
         END   LOOPER
"""


@pytest.fixture
def no_gc():
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.fixture
def cms_system(tmp_path):
    from vm370.boot import make_system as make_cms_system

    system = make_cms_system(tmp_path, logon_delay=0.0)
    yield system
    if not system.shut_down:
        system.shutdown()


async def until(condition, what: str, turns: int = 1000, terminal=None):
    for _ in range(turns):
        if condition():
            return
        await asyncio.sleep(0.01)
    shown = terminal.lines[-8:] if terminal is not None else ""
    raise AssertionError(f"not reached: {what} {shown}")


async def settle_tasks():
    """A few turns of the loop: cancelled guest tasks run their cleanup."""
    for _ in range(5):
        await asyncio.sleep(0)
    await asyncio.sleep(0.01)


def live(kind) -> int:
    return sum(1 for o in gc.get_objects() if type(o) is kind)


async def logon_cms(system, userid="CMSUSER", password="CMSUSER"):
    t, s = logon(system, userid, password)
    await until(lambda: t.status == "VM READ", f"{userid} in CMS")
    return t, s, system.find_user(userid)


def loop_cards():
    result = assemble(LOOP, origin="loop.asm")
    assert result.rc == 0
    return build_ipl_deck([result.deck], LOAD_ADDRESS).cards


async def looping_s370_guest(system, userid="ALICE"):
    system.spool.add_closed("OPERATOR", "PUN", [(0x01, c) for c in loop_cards()], owner=userid)
    t, s = logon(system, userid)
    s.enter("IPL 00C")
    vm = system.find_user(userid)
    started = vm.cpu.instructions
    await until(lambda: vm.cpu.instructions > started, "the guest loops")
    return t, s, vm


# -- a CP system with an S/370 guest in a tight loop -------------------------------


async def test_logoff_frees_a_vm_whose_s370_guest_loops(tmp_path, no_gc):
    system = make_system(tmp_path)
    _, s, vm = await looping_s370_guest(system)
    gone = weakref.ref(vm)
    del vm
    s.enter("#CP LOGOFF")  # the guest runs: LINEND, then CP
    await settle_tasks()
    assert system.find_user("ALICE") is None and gone() is None


async def test_force_frees_the_vm(tmp_path, no_gc):
    system = make_system(tmp_path)
    _, _, vm = await looping_s370_guest(system)
    gone = weakref.ref(vm)
    del vm
    _, os_ = logon(system, "OPERATOR")
    os_.enter("FORCE ALICE")
    await settle_tasks()
    assert system.find_user("ALICE") is None and gone() is None


async def test_disconnect_then_force_frees_the_vm(tmp_path, no_gc):
    system = make_system(tmp_path)
    _, s, vm = await looping_s370_guest(system)
    gone = weakref.ref(vm)
    del vm
    s.enter("#CP DISCONNECT")
    await settle_tasks()
    assert gone() is not None and gone().session is None  # disconnected, still running
    _, os_ = logon(system, "OPERATOR")
    os_.enter("FORCE ALICE")
    await settle_tasks()
    assert gone() is None


async def test_shutdown_frees_every_vm(tmp_path, no_gc):
    system = make_system(tmp_path)
    _, _, alice = await looping_s370_guest(system)
    logon(system, "BOB")
    _, os_ = logon(system, "OPERATOR")
    machines = [weakref.ref(vm) for vm in system.users.values()]
    del alice
    os_.enter("SHUTDOWN")
    await settle_tasks()
    assert system.shut_down and [m() for m in machines] == [None] * len(machines)


async def test_define_storage_leaves_the_old_storage_to_no_one(tmp_path, no_gc):
    from s390.cpu import CPU

    system = make_system(tmp_path)
    _, s = logon(system, "ALICE")
    before = live(CPU)
    for size in ("2M", "4M", "1M"):
        s.enter(f"DEFINE STORAGE {size}")
        await settle_tasks()
    assert live(CPU) == before


async def test_a_vm_with_a_nic_on_a_lan_is_freed_at_logoff(tmp_path, no_gc):
    from tests.cp.cpkit import command
    from tests.cp.lankit import LAN_DIRECT

    system = make_system(tmp_path, LAN_DIRECT)
    command(*reversed(logon(system, "MAINT")), "DEFINE LAN GLAN OWNERID SYSTEM")
    terminal, session = logon(system, "ALICE")
    assert "NIC 0500 is connected to LAN SYSTEM GLAN" in terminal.lines
    gone = weakref.ref(system.find_user("ALICE"))
    session.enter("LOGOFF")
    await settle_tasks()
    assert system.find_user("ALICE") is None
    assert gone() is None


# -- CMS ----------------------------------------------------------------------------


async def test_logoff_typed_in_cms_frees_the_vm(cms_system, no_gc):
    _, s, vm = await logon_cms(cms_system)
    gone = weakref.ref(vm)
    del vm
    s.enter("CP LOGOFF")
    await until(lambda: cms_system.find_user("CMSUSER") is None, "logged off")
    await settle_tasks()
    assert gone() is None


async def test_repeated_logon_define_ipl_cms_logoff_leaves_no_machines(cms_system, no_gc):
    from cp.vm import VirtualMachine
    from s390.cpu import CPU

    machines, cpus = live(VirtualMachine), live(CPU)
    for _ in range(5):
        terminal, s, vm = await logon_cms(cms_system)
        del vm
        s.enter("CP DEFINE STORAGE 16M")
        await until(lambda t=terminal: t.status == "CP READ", "CP READ after DEFINE")
        s.enter("IPL CMS")
        await until(lambda t=terminal: t.status == "VM READ", "CMS again")
        s.enter("CP LOGOFF")
        await until(
            lambda: cms_system.find_user("CMSUSER") is None, "logged off", terminal=terminal
        )
        await settle_tasks()
    assert (live(VirtualMachine), live(CPU)) == (machines, cpus)


async def test_a_re_ipl_leaves_no_old_cms_behind(cms_system, no_gc):
    from cms.nucleus import CMS

    t, s, vm = await logon_cms(cms_system)
    after_first = live(CMS)
    for _ in range(3):
        s.enter("CP IPL CMS")
        await until(
            lambda: t.lines[-1:] and t.status == "VM READ" and vm.guest_task is not None,
            "CMS again",
        )
        await settle_tasks()
    assert live(CMS) == after_first
