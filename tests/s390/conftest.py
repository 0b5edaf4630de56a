"""Fixtures for the CPU tests: both builds, and a small program runner.

``cpu_module`` is parametrized over the compiled module (when it is built)
and the pure-Python module loaded from cpu.py, so every CPU test runs on both.
Programs are loaded at X'1000' and end with DIAGNOSE (X'83'), which leaves
run() with the PSW (and so the condition code) untouched; program checks are
intercepted (EXIT_PROGRAM) unless a test asks for real interruptions.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import pytest

from s390 import purepy

CODE = 0x1000
DIAG_END = "83000000"


def _builds():
    builds = [pytest.param(purepy.load_pure("s390.cpu"), id="pure")]
    compiled = importlib.import_module("s390.cpu")
    if purepy.is_compiled(compiled):
        builds.insert(0, pytest.param(compiled, id="compiled"))
    return builds


BUILDS = _builds()


@pytest.fixture(params=BUILDS)
def cpu_module(request):
    return request.param


@dataclass
class Result:
    reason: int
    cpu: object

    @property
    def cc(self):
        return self.cpu.cc

    @property
    def code(self):
        return self.cpu.exit_code

    @property
    def ilc(self):
        return self.cpu.exit_ilc

    def r(self, n):
        return self.cpu.gpr[n]

    def mem(self, addr, n):
        return bytes(self.cpu.mem[addr : addr + n])


def hexbytes(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


def make_cpu(
    mod, code="", regs=None, data=None, storage=1 << 16, psw=None, end=DIAG_END, intercept=True
):
    cpu = mod.CPU(storage_size=storage)
    cpu.interval_timer_on = False
    prog = hexbytes(code) + hexbytes(end)
    cpu.mem[CODE : CODE + len(prog)] = prog
    for addr, text in (data or {}).items():
        b = hexbytes(text) if isinstance(text, str) else bytes(text)
        cpu.mem[addr : addr + len(b)] = b
    for r, v in (regs or {}).items():
        cpu.gpr[r] = v & 0xFFFFFFFF
    cpu.program_intercept = intercept
    cpu.load_psw(hexbytes(psw) if psw else bytes.fromhex("00000000%08X" % CODE))
    return cpu


def run_code(mod, code, budget=10_000, **kw) -> Result:
    """Run ``code`` (hex, assembler in the caller's comments) to its end."""
    cpu = make_cpu(mod, code, **kw)
    return Result(cpu.run(budget), cpu)


@pytest.fixture
def run(cpu_module):
    """run(code, **kw) -> Result on the build under test."""

    def _run(code, **kw):
        return run_code(cpu_module, code, **kw)

    return _run
