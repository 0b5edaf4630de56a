"""REXX calls nest far deeper than Python's recursion limit, without
raising it: every LEVELS_PER_STACK levels the next activation runs on a
fresh thread stack (cms.rexx.interpreter.run_on_fresh_stack).  Regina 3.6
reaches about 9,880 levels of function recursion; so do we, and more, up to
MAX_CALL_DEPTH, where Error 11 ("Control stack full") ends the program."""

from __future__ import annotations

import sys

from cms.rexx import Interpreter
from cms.rexx import interpreter as interpreter_module

DEPTH_FUNCTION = """
say depth(0)
exit
depth: procedure expose limit
  arg n
  if n >= limit then return n
  return depth(n + 1)
"""

ACKERMANN = """
parse arg m n
say ack(m, n)
exit
ack: procedure
  parse arg m, n
  if m = 0 then return n + 1
  if n = 0 then return ack(m - 1, 1)
  return ack(m - 1, ack(m, n - 1))
"""


def run(source, args=None, **options):
    out, err = [], []
    interp = Interpreter(
        source.strip("\n").split("\n"), output=out.append, trace_output=err.append, **options
    )
    return out, err, interp.run(args)


def test_function_recursion_deeper_than_regina_reaches():
    limit_before = sys.getrecursionlimit()
    out, err, result = run("limit = 12000\n" + DEPTH_FUNCTION)
    assert result.error is None, err[-1:]
    assert out == ["12000"]
    assert sys.getrecursionlimit() == limit_before


def test_ackermann_recursion():
    out, err, result = run(ACKERMANN, "3 5")
    assert result.error is None, err[-1:]
    assert out == ["253"]


def test_call_instruction_recursion_and_results():
    source = """
call count 0
say result
exit
count: procedure
  parse arg n
  if n = 5000 then return n
  call count n + 1
  return result
"""
    out, _, result = run(source)
    assert result.error is None and out == ["5000"]


def test_external_routines_and_interpret_nest_deeply():
    source = "parse arg n\nif n = 0 then return 0\ninterpret 'r = selfcall(n - 1)'\nreturn r + 1"
    out, err, result = run(
        "say selfcall(300)",
        external=lambda name: source.split("\n") if name == "SELFCALL" else None,
    )
    assert result.error is None, err[-1:]
    assert out == ["300"]


def test_errors_and_signals_cross_stack_segments():
    source = """
signal on syntax
say depth(0)
exit
syntax:
  say 'trapped' rc 'at line' sigl
  exit
depth: procedure
  arg n
  if n = 100 then return 1 + 'x'
  return depth(n + 1)
"""
    out, _, result = run(source)
    assert out == ["trapped 41 at line 9"]
    assert result.error is None


def test_runaway_recursion_is_error_11(monkeypatch):
    monkeypatch.setattr(interpreter_module, "MAX_CALL_DEPTH", 500)
    _, err, result = run("call r\nexit\nr: call r")
    assert result.error.number == 11
    assert err[-1] == "Error 11 running PROGRAM EXEC, line 3: Control stack full"


def test_every_rexx_thread_runs_under_a_frame_with_room(monkeypatch):
    """Python keeps frames in 16 KB chunks and frees one whenever the frame
    at its start returns; a call going to and fro across such a boundary
    would map and unmap memory at every call.  The host thread and every
    fresh stack therefore run their REXX work under with_frame_room, whose
    frame is larger than a chunk (Python gives it a chunk of its own, with
    room for the frames of LEVELS_PER_STACK levels after it)."""
    import threading

    original = interpreter_module.with_frame_room
    assert original.__code__.co_stacksize * 8 > 16 * 1024
    threads = []

    def spy(work, *args):
        threads.append(threading.get_ident())
        return original(work, *args)

    monkeypatch.setattr(interpreter_module, "with_frame_room", spy)
    levels = 3 * interpreter_module.LEVELS_PER_STACK + 5
    out, err, result = run(f"limit = {levels}\n" + DEPTH_FUNCTION)
    assert result.error is None, err[-1:]
    assert out == [str(levels)]
    assert len(threads) == 4 and len(set(threads)) == 4  # the host and 3 fresh stacks
