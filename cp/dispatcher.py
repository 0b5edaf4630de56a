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
import collections
import os
import time
import weakref
from concurrent.futures import ThreadPoolExecutor

import s390.cpu as cpu_module
from cp import channel, diag, trace
from cp.pyguest import run_guest
from s390 import exits, purepy

#: Longest sleep of a VM in an enabled wait between checks for interrupts
#: posted without a wake-up call (devices that do not call vm.wake()); the
#: check interval starts at FIRST_WAIT_POLL and doubles while nothing happens.
MAX_WAIT_POLL = 0.5
FIRST_WAIT_POLL = 0.001
DEFAULT_SLICE = 20000
#: Host time a Python guest (the CMS nucleus) runs before it gives the host
#: processor back at its next safe point, in seconds at SHARE 100.  About the
#: time an S/370 slice takes in the pure-Python build; short enough that the
#: users at their terminals get an answer within a few slices.
GUEST_SLICE_SECONDS = 0.002
#: TOD-clock units in a second (GA22-7000: bit 51 of the TOD clock is one microsecond).
TOD_PER_SECOND = 4096 * 1_000_000


#: A slice on a worker thread is this many times the normal budget (2 million
#: instructions, about 5 ms of the compiled CPU): handing a slice to a thread
#: and back costs about as much as 20,000 instructions take, and a worker
#: waits for the event loop between two slices, so short slices there leave
#: the cores idle (bench.scaling, 2 busy VMs: 1.69-1.77x one VM at half this
#: length, 1.79-1.85x at this one).
THREAD_SLICE_FACTOR = 100


def host_processors() -> int:
    """The host cores this process may run on (its CPU affinity)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # no affinity call on this platform
        return max(1, os.cpu_count() or 1)


def cpu_releases_gil() -> bool:
    """Whether the CPU is the compiled one, which runs without the GIL (the
    uncompiled CPU holds it: a thread would only add hand-over costs)."""
    return purepy.is_compiled(cpu_module)


class Dispatcher:
    """Runs the guests of one System fairly."""

    def __init__(self, system, slice_budget: int = DEFAULT_SLICE, threaded: bool | None = None):
        self.system = system
        self.slice_budget = slice_budget
        if threaded is None:  # busy VMs on worker threads unless VM370_THREADS=0
            threaded = os.environ.get("VM370_THREADS", "1") != "0"
        self.threaded = threaded  # run cpu.run in a worker thread (needs a nogil CPU)
        # The host's cores are the real processors the busy VMs' slices share:
        # at most one slice per core runs at a time and the VMs waiting for a
        # core are served first come, first served, so each VM's share of the
        # cores follows its slice length, which SET SHARE scales - the same
        # rule as on the event loop alone.
        self.host_cores = asyncio.Semaphore(host_processors())
        self.threads_in_flight = 0  # slices executing on worker threads now
        self.most_threads_in_flight = 0
        self.slices = 0
        self._workers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._in_flight: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._busy: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self.turns: collections.deque[asyncio.Future] = collections.deque()
        self._giving_turns = False

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
        self.end_slice_in_flight(vm)
        console = vm.console  # the old guest's reads end with it: a line typed
        console.cancel_read()  # after the IPL is the new guest's, not lost
        console.fullscreen_callback = None
        console.fullscreen_pending = None

    async def _named(self, vm, entry_point, parm: str) -> None:
        try:
            await run_guest(entry_point(vm.services, parm), vm.account)
        except asyncio.CancelledError:
            raise
        except Exception as err:  # the guest failed: CP takes over, as on a real abend
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
        except Exception as err:  # a CP error while serving the guest: stop it, keep CP up
            self.system.log(f"GUEST {vm.userid} STOPPED BY CP ERROR {type(err).__name__}: {err}")
            vm.console.write_line(f"DMKDSP453W CP ENTERED; CP ERROR {type(err).__name__}")
            vm.halt()

    async def _s370_loop(self, vm) -> None:
        poll = FIRST_WAIT_POLL
        while True:
            reason = await self.run_slice(vm, self.budget(vm))
            if reason == exits.EXIT_WAIT:
                await self.wait_state(vm, poll)
                poll = min(poll * 2, MAX_WAIT_POLL)
                continue
            poll = FIRST_WAIT_POLL
            if reason == exits.EXIT_DIAG:
                diag.execute(vm)
            elif reason in (exits.EXIT_DISABLED_WAIT, exits.EXIT_PGM_LOOP, exits.EXIT_STOP):
                self._cp_entered(vm, reason)

    async def wait_state(self, vm, poll: float) -> None:
        """An enabled wait costs no host CPU: sleep until woken, until the
        guest's next timer interruption is due, or until the poll interval;
        the guest's clocks then advance by the time that passed, at least one
        tick, so a wait never returns with the guest's time standing still
        (a timer the CPU calls due but does not take would otherwise make the
        next slice wait again at once, for ever)."""
        cpu = vm.cpu
        self.system.vmcf.present_next(vm)  # VMCF messages wait for an enabled machine
        ticks_per_second = TOD_PER_SECOND // exits.TOD_PER_TICK
        event = cpu.next_timer_event()
        timeout = poll if event <= 0 else min(MAX_WAIT_POLL, event / ticks_per_second)
        started = time.perf_counter()
        woken = await vm.wait_for_wakeup(timeout)
        elapsed = int((time.perf_counter() - started) * ticks_per_second)
        if not woken and 0 < event and timeout == event / ticks_per_second:
            elapsed = max(elapsed, event)  # slept until the timer: it is due, not a tick early
        cpu.advance_time(max(1, elapsed))

    def _cp_entered(self, vm, reason) -> None:
        psw = vm.cpu.get_psw().hex().upper()
        text = None
        if reason == exits.EXIT_DISABLED_WAIT:
            text = f"DMKDSP450W CP ENTERED; DISABLED WAIT PSW '{psw[:8]} {psw[8:]}'"
        elif reason == exits.EXIT_PGM_LOOP:
            text = "DMKDSP452W CP ENTERED; PROGRAM INTERRUPT LOOP"
        if text is not None:
            vm.console.write_line(text)
        vm.stopped_reason = reason
        vm.halt()

    # -- the turns of Python guests ---------------------------------------------
    async def next_turn(self, vm) -> None:
        """A Python guest used up its slice (cp.pyguest): CP's own work and
        every other VM run before it goes on.  The waiting guests are given
        their turns one per pass of the event loop, so the loop looks at the
        terminals between any two slices however many guests are busy.  A VM
        that CP holds stopped (CP READ without SET RUN ON, a TRACE stop) or
        whose console output waits for the user (MORE..., HOLDING) costs
        nothing until BEGIN or until the output is shown."""
        await self.until_runnable(vm)
        turn = asyncio.get_running_loop().create_future()
        self.turns.append(turn)
        if not self._giving_turns:
            self._giving_turns = True
            asyncio.get_running_loop().call_soon(self._give_turn)
        await turn
        await self.until_runnable(vm)  # stopped while it waited for the turn
        self.fresh_slice(vm)

    @staticmethod
    def fresh_slice(vm) -> None:
        """The Python guest of ``vm`` may run a whole slice from now on."""
        vm.slice_deadline = time.perf_counter() + GUEST_SLICE_SECONDS * vm.share / 100

    def _give_turn(self) -> None:
        while self.turns:
            turn = self.turns.popleft()
            if not turn.done():  # a cancelled guest left its place
                turn.set_result(None)
                break
        if self.turns:
            asyncio.get_running_loop().call_soon(self._give_turn)
        else:
            self._giving_turns = False

    def budget(self, vm) -> int:
        return max(1, self.slice_budget * vm.share // 100)

    # -- one slice ----------------------------------------------------------
    async def run_slice(self, vm, budget: int) -> int:
        """Run ``vm``'s CPU for up to ``budget`` instructions; I/O exits are
        handled here, any other exit reason (or EXIT_BUDGET) is returned.

        CP's stops happen here too, whoever asked for the slice (the S/370
        loop or the CMS program runner): an ADSTOP reached, a TRACE event
        with NORUN, a CP READ the user entered.  The VM waits in CP READ
        until BEGIN and the slice goes on; the exit the traced instruction
        ended in (stop_exit) is performed or returned as if no trace had
        been there, so tracing never changes what the program does.  The
        VM does not run while its console output is held (MORE...,
        HOLDING), as VM/370 keeps a VM waiting for its terminal output."""
        await asyncio.sleep(0)  # every other VM and terminal first
        await self.until_runnable(vm)  # then: not stopped by what they did
        cpu = vm.cpu
        started = time.perf_counter()
        start_count = cpu.instructions
        virtual = 0.0
        reason = exits.EXIT_BUDGET
        shown = 0
        waited = 0.0  # seconds the VM sat in CP READ: not its CPU time
        while budget > 0:
            t0 = time.perf_counter()
            traced_before = cpu.trace_count
            if self.threaded and self._busy.get(vm) and cpu_releases_gil():
                reason = await self._run_in_worker(vm, cpu, budget)
            else:
                reason = cpu.run(budget)
            # A VM that used its whole slice is busy: its next slices go to its
            # worker thread.  One that stops for I/O or a wait stays on the loop,
            # where its short slices answer at once (no thread hand-over).
            self._busy[vm] = reason == exits.EXIT_BUDGET
            virtual += time.perf_counter() - t0
            budget -= max(1, cpu.instructions - start_count)
            start_count = cpu.instructions
            if reason == exits.EXIT_STOP:
                lines, stop = trace.report_new_records(vm, traced_before)
                shown += lines
                reason, pause = await self._cp_stop(vm, stop)
                waited += pause
                if reason != exits.EXIT_BUDGET:
                    break  # an exit for the caller
                if self._output_full(vm, shown) or not vm.running:
                    break  # the terminal has enough to show: let it catch up
                continue
            if reason != exits.EXIT_IO:
                break
            reason = exits.EXIT_BUDGET
            if self._start_io(vm):  # TRACE I/O without RUN: stop after it
                waited += await self._stop_in_cp(vm)
        self.slices += 1
        self._account(vm, virtual, time.perf_counter() - started - waited)
        return reason

    async def _run_in_worker(self, vm, cpu, budget: int) -> int:
        """One longer slice (THREAD_SLICE_FACTOR times the budget) on the
        VM's own worker thread: the compiled CPU releases the GIL while it
        executes, so busy VMs use every host core while the event loop
        serves terminals and CP commands.  The slice still ends at once for
        I/O, a posted interruption or a stop request (the CPU ends its run
        when its horizon is reset), so the loop handles those as before."""
        worker = self._workers.get(vm)
        if worker is None:
            worker = self._workers[vm] = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix=f"cpu-{vm.userid}"
            )
        async with self.host_cores:  # a host core of its own for the slice
            running = worker.submit(cpu.run, budget * THREAD_SLICE_FACTOR)
            self._in_flight[vm] = running
            running.add_done_callback(lambda _: self._in_flight.pop(vm, None))
            self.threads_in_flight += 1
            self.most_threads_in_flight = max(self.most_threads_in_flight, self.threads_in_flight)
            try:
                return await asyncio.shield(asyncio.wrap_future(running))
            except asyncio.CancelledError:
                self.end_slice_in_flight(vm)  # the guest task was cancelled
                raise
            finally:
                self.threads_in_flight -= 1

    def end_slice_in_flight(self, vm) -> None:
        """Stop ``vm``'s slice on its worker thread at the next instruction
        and wait for it (microseconds: the wait releases the GIL), so that
        what CP does next (a reset, an IPL) never meets a running CPU."""
        running = self._in_flight.get(vm)
        if running is None:
            return
        vm.cpu.request_stop()
        running.result()

    def slice_in_flight(self, vm) -> bool:
        """Whether ``vm``'s CPU is executing on its worker thread now."""
        return vm in self._in_flight

    async def until_runnable(self, vm) -> None:
        """Wait while CP holds the VM: stopped (CP READ without RUN ON), or
        its console output waiting for the user (MORE..., HOLDING) - unless
        the user gave an attention meanwhile (HX typed at MORE...): the
        guest runs to take it."""
        console = vm.console
        while not vm.running or (console.output_held() and not console.attention_waiting):
            await vm.wait_for_wakeup(MAX_WAIT_POLL)

    async def _cp_stop(self, vm, trace_stop: bool) -> tuple[int, float]:
        """The CPU stopped (EXIT_STOP): an ADSTOP address reached, a traced
        event, or a stop request.  The traced instruction's own exit is
        performed first (TRACE stops the VM once the traced event is
        complete, CP Command Reference, TRACE, note 3); then the VM stops
        in CP READ when CP wants it (ADSTOP, a TRACE line shown with
        NORUN).  Returns the exit left for the caller (an intercepted SVC
        or program check for CMS) or EXIT_BUDGET when the slice goes on, and
        the seconds the VM waited in CP READ."""
        if self._adstop_reached(vm):
            vm.console.write_line(f"ADSTOP AT {vm.adstop:06X}")
            vm.adstop = None
            return exits.EXIT_BUDGET, await self._stop_in_cp(vm)
        trace_stop = trace.stops_after_exit(vm, trace_stop)
        pending, io_stop = self._perform_exit(vm, vm.cpu.stop_exit)
        waited = await self._stop_in_cp(vm) if trace_stop or io_stop else 0.0
        return pending, waited

    @staticmethod
    def _adstop_reached(vm) -> bool:
        """The CPU stopped at the ADSTOP address (it clears its one-shot stop)."""
        cpu = vm.cpu
        return vm.adstop is not None and cpu.adstop != vm.adstop and cpu.ia == vm.adstop

    def _perform_exit(self, vm, pending: int) -> tuple[int, bool]:
        """Perform the exit a traced instruction ended in when CP does it
        (an I/O instruction; a DIAGNOSE of an S/370 guest).  Returns the
        exit the caller performs otherwise (an SVC or program check CMS
        intercepts, a DIAGNOSE for a named system) or EXIT_BUDGET when none
        is left, and whether a traced I/O instruction stops the VM."""
        if pending == exits.EXIT_IO:
            return exits.EXIT_BUDGET, self._start_io(vm)
        if pending == exits.EXIT_DIAG and vm.ipled not in self.system.named_systems:
            diag.execute(vm)
            return exits.EXIT_BUDGET, False
        return pending or exits.EXIT_BUDGET, False

    async def _stop_in_cp(self, vm) -> float:
        """CP takes the VM (CP READ) and the slice waits until BEGIN;
        returns the seconds waited."""
        vm.stopped_reason = exits.EXIT_STOP
        vm.halt()
        started = time.perf_counter()
        await self.until_runnable(vm)
        return time.perf_counter() - started

    @staticmethod
    def _output_full(vm, shown: int) -> bool:
        """Trace output with RUN: end the slice when a screenful of lines was
        shown or the terminal holds output, so the user's keys (PA1, CLEAR,
        #CP TRACE END) are seen between two screens."""
        rows = vm.console.output_area()[0]
        return shown >= rows or vm.console.output_held()

    def _start_io(self, vm) -> bool:
        """Perform the I/O instruction; True when TRACE wants the VM stopped."""
        cpu = vm.cpu
        vm.account.io_count += 1
        devaddr = cpu.exit_addr & 0xFFFF
        cc = channel.start_io(vm, cpu.exit_opcode, devaddr)  # sets the condition code
        if vm.trace:
            return trace.report_io_trace(vm, cpu.exit_opcode, devaddr, cc, (cpu.ia - 4) & 0xFFFFFF)
        return False

    def _account(self, vm, virtual: float, total: float) -> None:
        vm.account.virtual_us += int(virtual * 1e6)
        vm.account.total_us += int(total * 1e6)
        vm.account.instructions = vm.cpu.instructions


def _current_task():
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None
