"""CPU slices on worker threads (Dispatcher.threaded): the compiled CPU
runs without the GIL there, so busy VMs use every host core, while I/O,
CP commands and the terminals stay on the event loop."""

import threading

from bench.fairness import DIRECT, ECHO_PROGRAM, LOOP_PROGRAM, echo_latency, start
from cp.directory import parse
from cp.dispatcher import cpu_releases_gil
from cp.system import System
from tests.cp.cpkit import settle


def threaded_system(tmp_path) -> System:
    system = System(tmp_path, directory=parse(DIRECT))
    system.dispatcher.threaded = True
    return system


async def test_busy_vms_run_on_their_own_worker_threads(tmp_path):
    system = threaded_system(tmp_path)
    for userid in ("LOOPER", "LOOPER2"):
        start(system, userid, LOOP_PROGRAM)
    one, two = system.find_user("LOOPER"), system.find_user("LOOPER2")
    await settle(0.1)
    a, b = one.cpu.instructions, two.cpu.instructions
    await settle(0.2)
    assert one.cpu.instructions > a and two.cpu.instructions > b  # both make progress
    names = {t.name for t in threading.enumerate()}
    seen = {
        userid: any(n.startswith(f"cpu-{userid}_") for n in names)
        for userid in ("LOOPER", "LOOPER2")
    }
    expected = cpu_releases_gil()  # the uncompiled CPU stays on the loop
    assert seen == {"LOOPER": expected, "LOOPER2": expected}
    system.shutdown()


async def test_an_interactive_vm_stays_on_the_loop_beside_a_busy_one(tmp_path):
    system = threaded_system(tmp_path)
    terminal, session = start(system, "ECHOER", ECHO_PROGRAM)
    start(system, "LOOPER", LOOP_PROGRAM)
    await settle(0.1)
    await echo_latency(terminal, session, 5)  # each line comes back
    echoed = [line.rstrip() for line in terminal.lines if line.startswith("PING")]
    assert echoed == [f"PING {i:05d}" for i in range(5)]
    # the VM that stops for I/O keeps its short slices on the loop
    names = {t.name for t in threading.enumerate()}
    assert not any(name.startswith("cpu-ECHOER") for name in names)
    assert any(name.startswith("cpu-LOOPER") for name in names) == cpu_releases_gil()
    system.shutdown()


async def test_reset_and_logoff_of_a_vm_running_on_its_thread(tmp_path):
    """SYSTEM RESET and LOGOFF end the guest; its slice on the worker
    thread stops at the next instruction and runs no more."""
    system = threaded_system(tmp_path)
    terminal, session = start(system, "LOOPER", LOOP_PROGRAM)
    vm = system.find_user("LOOPER")
    await settle(0.1)
    session.enter("#CP SYSTEM RESET")
    await settle(0.1)
    assert not system.dispatcher.slice_in_flight(vm)
    count = vm.cpu.instructions
    await settle(0.1)
    assert vm.cpu.instructions == count, terminal.lines  # nothing runs on
    session.enter("#CP LOGOFF")
    await settle(0.1)
    assert system.find_user("LOOPER") is None
    assert not system.dispatcher.slice_in_flight(vm)
    system.shutdown()


def test_vm370_threads_0_in_the_environment_turns_threads_off(tmp_path, monkeypatch):
    from cp.dispatcher import Dispatcher

    monkeypatch.delenv("VM370_THREADS", raising=False)
    assert Dispatcher(None).threaded is True  # the default: both cores
    monkeypatch.setenv("VM370_THREADS", "0")
    assert Dispatcher(None).threaded is False
    monkeypatch.setenv("VM370_THREADS", "1")
    assert Dispatcher(None).threaded is True
    assert Dispatcher(None, threaded=False).threaded is False


THREE_LOOPERS = "".join(
    f"USER {u} PW 1M 1M G\n CONSOLE 009 3215\n SPOOL 00C 2540 READER *\n"
    for u in ("LOOPA", "LOOPB", "LOOPC")
)


async def test_busy_vms_share_the_host_cores_by_set_share(tmp_path):
    """Never more slices on worker threads than the host has cores, and the
    VMs waiting for a core take turns, so SET SHARE divides the cores as it
    divides the event loop: with one core, SHARE 300 against SHARE 100 gets
    three times the instructions (each turn is a whole slice of a VM that
    never waits)."""
    import asyncio

    if not cpu_releases_gil():
        return  # the uncompiled CPU never leaves the loop
    system = System(tmp_path, directory=parse(THREE_LOOPERS))
    system.dispatcher.threaded = True
    system.dispatcher.host_cores = asyncio.Semaphore(1)
    for userid in ("LOOPA", "LOOPB"):
        start(system, userid, LOOP_PROGRAM)
    heavy, light = system.find_user("LOOPA"), system.find_user("LOOPB")
    heavy.share = 300
    await settle(0.3)
    a, b = heavy.cpu.instructions, light.cpu.instructions
    await settle(1.0)
    ratio = (heavy.cpu.instructions - a) / max(1, light.cpu.instructions - b)
    assert 2.0 < ratio < 4.5, ratio
    assert system.dispatcher.most_threads_in_flight == 1
    system.shutdown()


async def test_no_more_slices_in_flight_than_host_cores(tmp_path):
    import asyncio

    if not cpu_releases_gil():
        return
    system = System(tmp_path, directory=parse(THREE_LOOPERS))
    system.dispatcher.threaded = True
    system.dispatcher.host_cores = asyncio.Semaphore(2)
    for userid in ("LOOPA", "LOOPB", "LOOPC"):
        start(system, userid, LOOP_PROGRAM)
    vms = [system.find_user(u) for u in ("LOOPA", "LOOPB", "LOOPC")]
    await settle(0.2)
    before = [vm.cpu.instructions for vm in vms]
    await settle(0.5)
    assert all(vm.cpu.instructions > n for vm, n in zip(vms, before))  # all three progress
    assert system.dispatcher.most_threads_in_flight == 2
    system.shutdown()


async def test_a_cp_command_never_meets_a_slice_in_flight(tmp_path):
    """With SET RUN ON the VM runs while its user types CP commands: the
    command (here DISPLAY of the registers) runs only once the VM's slice
    on its worker thread has ended, and the VM goes on afterwards."""
    if not cpu_releases_gil():
        return  # the uncompiled CPU never leaves the loop
    system = threaded_system(tmp_path)
    start(system, "LOOPER", LOOP_PROGRAM)
    vm = system.find_user("LOOPER")
    vm.settings.run = True
    for _ in range(500):
        if system.dispatcher.slice_in_flight(vm):
            break
        await settle(0.01)
    assert system.dispatcher.slice_in_flight(vm)
    seen = []
    system.execute_command(
        vm, "DISPLAY G", lambda line: seen.append(system.dispatcher.slice_in_flight(vm))
    )
    assert seen and not any(seen)
    count = vm.cpu.instructions
    await settle(0.2)
    assert vm.cpu.instructions > count  # it runs on
    system.shutdown()
