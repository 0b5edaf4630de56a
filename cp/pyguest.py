"""The virtual processor of a Python guest: a named system (CMS) runs in its VM's time.

An S/370 guest is preempted by CP because ``cpu.run(budget)`` returns after
its slice.  A named system is Python code (the CMS nucleus, its REXX and EXEC
interpreters, its commands), so CP needs the same power over it: every piece
of the guest's work must be charged to its virtual machine, must give the
host processor back when its slice is used up, and must stand still while CP
holds the machine stopped.

Each named system therefore runs on a processor of its own: a greenlet (a
separate stack on CP's one thread).  The guest's code, synchronous or
asynchronous, runs on that stack.  Whenever it waits (a console read, its
next dispatcher turn), the processor switches back to CP's event loop,
which runs everything else until the wait is over and then switches back.
So synchronous code deep inside the guest (a REXX clause, an EXEC 1
statement, one record of a long TYPE) can give up the processor at a safe
point with ``wait_for(dispatcher.next_turn(vm))`` without being rewritten
as coroutines, and without threads: CP's state is only ever touched by one
piece of code at a time.

``run_guest(coroutine, account)`` is what the dispatcher awaits for a named
system; ``wait_for(awaitable)`` is how synchronous guest code waits;
``on_processor()`` tells whether the caller runs on such a processor.
"""

from __future__ import annotations

import time

import greenlet


class _Processor(greenlet.greenlet):
    """The greenlet a Python guest runs on (its parent is where CP resumes it)."""


def on_processor() -> bool:
    """True when the caller runs on a Python guest's processor."""
    return isinstance(greenlet.getcurrent(), _Processor)


def wait_for(awaitable):
    """Run ``awaitable`` to its end from synchronous guest code and return its
    result (or raise its exception).  Each time it has to wait, only this
    guest's processor is suspended; CP's event loop and the other guests go on.
    An exception CP throws in while the guest waits (a cancelled guest task)
    is raised inside the awaitable, as ``await`` would."""
    processor = greenlet.getcurrent()
    if not isinstance(processor, _Processor):
        raise RuntimeError("wait_for is called from a Python guest's processor only")
    steps = awaitable.__await__()
    value, error = None, None
    while True:
        try:
            request = steps.throw(error) if error is not None else steps.send(value)
        except StopIteration as stop:
            return stop.value
        finally:
            # An exception kept in a local once thrown in would make a cycle
            # with this frame (its traceback holds the frame) that keeps a
            # cancelled guest's VM alive until a garbage collection.
            error = None
        try:
            value, error = processor.parent.switch(request), None
        except BaseException as thrown:  # cancellation and the like go in
            value, error = None, thrown


class GuestRun:
    """Awaitable: run a named system's coroutine on a processor of its own.

    The event loop sees an ordinary awaitable: every wait of the guest is
    handed up unchanged.  The host time each stretch of the guest's work takes
    is charged to ``account`` as virtual and total CPU time (the Python guest
    works for its VM as guest instructions do); time that CP's run_slice
    already charged during the stretch (S/370 instructions the guest ran) is
    not counted twice."""

    def __init__(self, coroutine, account=None):
        self.coroutine, self.account = coroutine, account

    def __await__(self):
        coroutine = self.coroutine
        processor = _Processor(run=lambda: wait_for(coroutine))
        outcome = self._stretch(processor.switch)
        while not processor.dead:
            try:
                value = yield outcome
            except BaseException as thrown:
                outcome = self._stretch(processor.throw, thrown)
            else:
                outcome = self._stretch(processor.switch, value)
        return outcome

    def _stretch(self, resume, *args):
        """Resume the guest until it waits or ends, charging the time."""
        account = self.account
        charged, started = (account.virtual_us if account else 0), time.perf_counter()
        try:
            return resume(*args)
        finally:
            # ``args`` may hold an exception thrown in (a cancellation): kept
            # in this frame, which its traceback holds, it would make a cycle
            # that keeps a logged-off VM alive until a garbage collection.
            args = None
            if account is not None:
                spent = int((time.perf_counter() - started) * 1e6)
                own = max(0, spent - (account.virtual_us - charged))
                account.virtual_us += own
                account.total_us += own


def run_guest(coroutine, account=None) -> GuestRun:
    """``await run_guest(coro, vm.account)``: the named system on its processor."""
    return GuestRun(coroutine, account)
