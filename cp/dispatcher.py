"""The dispatcher: fair CPU slices for the virtual machines, on one asyncio loop.

Every IPLed virtual machine has one asyncio task.  An S/370 guest's task loops
over ``cpu.run(budget)`` slices (docs/interfaces.md section 1); a named system
(``IPL CMS``) is a coroutine that asks for slices itself through
``GuestServices.run_cpu``.  Either way a slice goes through ``run_slice``:

* it first yields to the event loop, so every runnable VM, every terminal and
  every CP command gets its turn between two slices (round robin: asyncio's
  ready queue is first-in first-out);
* the slice is ``slice_budget`` instructions scaled by the VM's SET SHARE
  (relative share, 100 = normal), so a VM with SHARE 200 gets twice the
  instructions per turn;
* I/O instructions leave the CPU loop and are performed at once by the
  channel (cp.channel.start_io), then the slice continues;
* a VM stopped by CP (CP READ without RUN ON, ADSTOP) waits on an event and
  costs nothing; so does a VM in an enabled wait until something wakes it.

VM/370 messages: DMKDSP450W CP ENTERED; DISABLED WAIT PSW, DMKDSP452W CP
ENTERED; PROGRAM INTERRUPT LOOP (CP Command Reference / system messages).
"""
from __future__ import annotations

import asyncio
import time

#: Longest sleep of a VM in an enabled wait between checks for interrupts
#: posted without a wake-up call (devices that do not call vm.wake()); the
#: check interval starts at FIRST_WAIT_POLL and doubles while nothing happens.
MAX_WAIT_POLL = 0.5
FIRST_WAIT_POLL = 0.001
DEFAULT_SLICE = 20000
#: TOD-clock units in a second (GA22-7000: bit 51 of the TOD clock is one microsecond).
TOD_PER_SECOND = 4096 * 1_000_000


def exits():
    """The CPU's exit-reason constants (s390.cpu), imported when first needed."""
    import s390.cpu as cpu_mod
    return cpu_mod


class Dispatcher:
    """Runs the guests of one System fairly."""

    def __init__(self, system, slice_budget: int = DEFAULT_SLICE, threaded: bool = False):
        self.system = system
        self.slice_budget = slice_budget
        self.threaded = threaded          # run cpu.run in a worker thread (needs a nogil CPU)
        self.slices = 0

    # -- starting and stopping guests ----------------------------------------
    def start_named(self, vm, entry_point, parm: str) -> None:
        """Run a named system's coroutine (IPL CMS) as the VM's guest."""
        self.stop_guest(vm)
        vm.guest_task = asyncio.get_running_loop().create_task(self._named(vm, entry_point, parm))

    def start_s370(self, vm) -> None:
        """Run an IPLed S/370 guest: slices until it stops."""
        self.stop_guest(vm)
        vm.guest_task = asyncio.get_running_loop().create_task(self._s370(vm))

    def stop_guest(self, vm) -> None:
        """End the VM's guest task (IPL, SYSTEM RESET, DEFINE STORAGE, LOGOFF).
        When the guest itself asked for it (CMS typing ``CP IPL CMS`` or
        ``CP LOGOFF``, an S/370 guest's DIAGNOSE X'08'), its own task is the
        one ending: the cancellation takes effect at its next wait, so the old
        guest never runs on beside the new one."""
        task, vm.guest_task = vm.guest_task, None
        if task is not None and not task.done():
            task.cancel()
        console = getattr(vm, "console", None)
        if console is not None:         # the old guest's reads end with it: a line typed
            console.cancel_read()       # after the IPL is the new guest's, not lost
            console.fullscreen_callback = None
            console.fullscreen_pending = None

    async def _named(self, vm, entry_point, parm: str) -> None:
        try:
            await GuestTime(entry_point(vm.services, parm), vm.account)
        except asyncio.CancelledError:
            raise
        except Exception as err:       # the guest failed: CP takes over, as on a real abend
            vm.console.write_line(f"DMKDSP450W CP ENTERED; GUEST ERROR {type(err).__name__}: {err}")
        if vm.guest_task is _current_task():
            vm.guest_task = None
            vm.ipled = ""
            vm.halt()

    async def _s370(self, vm) -> None:
        try:
            await self._s370_loop(vm)
        except asyncio.CancelledError:
            raise
        except Exception as err:       # a CP error while serving the guest: stop it, keep CP up
            self.system.log(f"GUEST {vm.userid} STOPPED BY CP ERROR {type(err).__name__}: {err}")
            vm.console.write_line(f"DMKDSP453W CP ENTERED; CP ERROR {type(err).__name__}")
            vm.halt()

    async def _s370_loop(self, vm) -> None:
        cpu = exits()
        poll = FIRST_WAIT_POLL
        while True:
            reason = await self.run_slice(vm, self.budget(vm))
            if reason == cpu.EXIT_WAIT:
                await self.wait_state(vm, poll)
                poll = min(poll * 2, MAX_WAIT_POLL)
                continue
            poll = FIRST_WAIT_POLL
            if reason == cpu.EXIT_DIAG:
                from cp.diag import execute
                execute(vm)
            elif reason in (cpu.EXIT_DISABLED_WAIT, cpu.EXIT_PGM_LOOP, cpu.EXIT_STOP):
                self._cp_entered(vm, reason)

    async def wait_state(self, vm, poll: float) -> None:
        """An enabled wait costs no host CPU: sleep until woken, until the
        guest's next timer interruption is due, or until the poll interval;
        the guest's clocks then advance by the time that passed, at least one
        tick, so a wait never returns with the guest's time standing still
        (a timer the CPU calls due but does not take would otherwise make the
        next slice wait again at once, for ever)."""
        cpu = vm.cpu
        ticks_per_second = TOD_PER_SECOND // exits().TOD_PER_TICK
        event = cpu.next_timer_event()
        timeout = poll if event <= 0 else min(MAX_WAIT_POLL, event / ticks_per_second)
        started = time.perf_counter()
        woken = await vm.wait_for_wakeup(timeout)
        elapsed = int((time.perf_counter() - started) * ticks_per_second)
        if not woken and 0 < event and timeout == event / ticks_per_second:
            elapsed = max(elapsed, event)   # slept until the timer: it is due, not a tick early
        cpu.advance_time(max(1, elapsed))

    def _cp_entered(self, vm, reason) -> None:
        cpu = exits()
        psw = vm.cpu.get_psw().hex().upper()
        text = None
        if reason == cpu.EXIT_DISABLED_WAIT:
            text = f"DMKDSP450W CP ENTERED; DISABLED WAIT PSW '{psw[:8]} {psw[8:]}'"
        elif reason == cpu.EXIT_PGM_LOOP:
            text = "DMKDSP452W CP ENTERED; PROGRAM INTERRUPT LOOP"
        elif vm.adstop is not None and vm.cpu.ia == vm.adstop:
            text = f"ADSTOP AT {vm.adstop:06X}"
            vm.adstop = None
        if text is not None:               # a TRACE stop has shown its trace line already
            vm.console.write_line(text)
        vm.stopped_reason = reason
        vm.halt()

    def budget(self, vm) -> int:
        return max(1, self.slice_budget * vm.share // 100)

    # -- one slice ----------------------------------------------------------
    async def run_slice(self, vm, budget: int) -> int:
        """Run ``vm``'s CPU for up to ``budget`` instructions; I/O exits are
        handled here, any other exit reason (or EXIT_BUDGET) is returned."""
        cpu_mod = exits()
        while not vm.running:
            await vm.wait_for_wakeup(MAX_WAIT_POLL)
        await asyncio.sleep(0)
        cpu = vm.cpu
        started = time.perf_counter()
        start_count = cpu.instructions
        virtual = 0.0
        reason = cpu_mod.EXIT_BUDGET
        while budget > 0:
            t0 = time.perf_counter()
            traced_before = cpu.trace_count
            if self.threaded:
                reason = await asyncio.to_thread(cpu.run, budget)
            else:
                reason = cpu.run(budget)
            virtual += time.perf_counter() - t0
            budget -= max(1, cpu.instructions - start_count)
            start_count = cpu.instructions
            if reason == cpu_mod.EXIT_STOP and vm.trace and cpu.trace_count != traced_before:
                self._perform_traced_exit(vm)
            if vm.trace and self._trace_goes_on(vm, reason):
                reason = cpu_mod.EXIT_BUDGET       # TRACE ... RUN, or a record not shown
                continue
            if reason != cpu_mod.EXIT_IO:
                break
            reason = cpu_mod.EXIT_BUDGET
            if self._start_io(vm):
                reason = cpu_mod.EXIT_STOP        # TRACE IO without RUN: stop after it
                break
        self.slices += 1
        self._account(vm, virtual, time.perf_counter() - started)
        return reason

    def _perform_traced_exit(self, vm) -> None:
        """TRACE with NORUN stops the CPU right after a traced instruction,
        and the stop is what ``run`` reports even when that instruction was
        one CP performs (an I/O instruction, DIAGNOSE): the CPU keeps that
        exit in ``stop_exit`` and CP performs it now, so the traced
        instruction is not lost."""
        cpu, cpu_mod = vm.cpu, exits()
        if cpu.stop_exit == cpu_mod.EXIT_IO:
            self._start_io(vm)
        elif cpu.stop_exit == cpu_mod.EXIT_DIAG and vm.ipled not in self.system.named_systems:
            from cp.diag import execute
            execute(vm)

    @staticmethod
    def _trace_goes_on(vm, reason: int) -> bool:
        """Report the CPU's new trace records.  The CPU stops after every
        traced event (so no record is lost from its ring); True when the VM
        goes on all the same: TRACE ... RUN, or none of the records is one
        TRACE shows (TRACE PRIV records every instruction and shows only the
        privileged ones)."""
        from cp.commands.machine import report_cpu_trace
        made, shown = report_cpu_trace(vm)
        at_adstop = vm.adstop is not None and vm.cpu.ia == vm.adstop
        return (reason == exits().EXIT_STOP and made > 0 and not at_adstop
                and (shown == 0 or vm.trace_run))

    def _start_io(self, vm) -> bool:
        """Perform the I/O instruction; True when TRACE wants the VM stopped."""
        from cp.channel import start_io
        from cp.commands.machine import IO_TRACE_EVENTS, report_io_trace
        cpu = vm.cpu
        vm.account.io_count += 1
        devaddr = cpu.exit_addr & 0xFFFF
        cc = not_ready_start(vm, cpu.exit_opcode, devaddr)
        if cc is None:
            cc = start_io(vm, cpu.exit_opcode, devaddr)
        cpu.set_cc(cc)
        if vm.trace & IO_TRACE_EVENTS:
            report_io_trace(vm, cpu.exit_opcode, devaddr, cc, (cpu.ia - 4) & 0xFFFFFF)
            return not vm.trace_run
        return False

    def _account(self, vm, virtual: float, total: float) -> None:
        vm.account.virtual_us += int(virtual * 1e6)
        vm.account.total_us += int(total * 1e6)
        vm.account.instructions = vm.cpu.instructions


class GuestTime:
    """Awaits a named system's coroutine and charges the host time each of its
    steps takes to the VM as virtual CPU time (the Python CMS nucleus works for
    its VM the way guest instructions do); time already charged by run_slice
    during a step (S/370 instructions) is not counted twice."""

    def __init__(self, coroutine, account):
        self.coroutine, self.account = coroutine, account

    def __await__(self):
        steps = self.coroutine.__await__()
        value, error = None, None
        while True:
            charged, started = self.account.virtual_us, time.perf_counter()
            try:
                request = steps.throw(error) if error is not None else steps.send(value)
            except StopIteration as stop:
                self._charge(started, charged)
                return stop.value
            except BaseException:
                self._charge(started, charged)
                raise
            finally:
                # An exception kept in a local after it was thrown in would
                # make a cycle with this frame (its traceback holds the frame)
                # that keeps a cancelled guest's VM alive until a collection.
                error = None
            self._charge(started, charged)
            try:
                value, error = (yield request), None
            except BaseException as thrown:          # cancellation and the like go in
                value, error = None, thrown

    def _charge(self, started: float, charged_before: int) -> None:
        spent = int((time.perf_counter() - started) * 1e6)
        own = max(0, spent - (self.account.virtual_us - charged_before))
        self.account.virtual_us += own
        self.account.total_us += own


def not_ready_start(vm, opcode: int, devaddr: int) -> int | None:
    """SIO/SIOF to a device CP holds not ready (the NOTREADY command): the
    device answers the start with unit check, sense byte 0 intervention
    required; condition code 1, CSW status stored (GA22-7000 START I/O).
    None for every other case: the channel performs the instruction."""
    from cp import channel
    device = vm.devices.get(devaddr)
    if opcode not in (0x9C00, 0x9C01) or not getattr(device, "cp_not_ready", False):
        return None
    device.sense = bytes([channel.SENSE_INTERVENTION_REQUIRED]).ljust(device.sense_length, b"\0")
    channel.store_csw(vm, channel.make_csw(0, 0, channel.UNIT_CHECK, 0, 0), status_only=True)
    return 1


def _current_task():
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None
