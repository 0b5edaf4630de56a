"""The system panel: logged-on virtual machines, their state and instruction
rate over time, and the spool queues.  It only reads CP's state."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Sparkline, Static

HISTORY = 60  # samples kept for the sparkline (one per refresh)
SPOOL_QUEUES = ("RDR", "PRT", "PUN")


TREND_SAMPLES = 20  # samples in each VM's own trend column
TREND_BLOCKS = " ▁▂▃▄▅▆▇█"


@dataclass
class VmRow:
    userid: str
    terminal: str
    state: str
    instructions: int
    rate: float
    trend: str


def trend_text(history) -> str:
    """A sparkline in block characters, scaled to the largest sample."""
    peak = max(history, default=0)
    if peak <= 0:
        return TREND_BLOCKS[0] * len(history)
    top = len(TREND_BLOCKS) - 1
    return "".join(TREND_BLOCKS[min(top, round(v / peak * top))] for v in history)


def vm_state(vm) -> str:
    """The console state CP shows (CP READ, VM READ, RUNNING), after DSC
    for a disconnected user: a disconnected CMS at its ready prompt is in
    VM READ, not running."""
    state = vm.console.status()
    return f"DSC {state}" if vm.session is None else state


def vm_terminal(vm) -> str:
    session = vm.session
    terminal = getattr(session, "terminal", None) if session is not None else None
    return getattr(terminal, "address", "DSC") if terminal is not None else "DSC"


def spool_counts(system) -> dict[str, int]:
    spool = getattr(system, "spool", None)
    if spool is None:
        return {}
    return {q: len(spool.queue(q)) for q in SPOOL_QUEUES}


class Sampler:
    """Instruction counts per VM between two samples -> instructions per second."""

    def __init__(self):
        self._last: dict[str, tuple[float, int]] = {}
        self._trends: dict[str, deque[float]] = {}
        self.total_history: deque[float] = deque([0.0] * HISTORY, maxlen=HISTORY)

    def sample(self, system, now: float | None = None) -> list[VmRow]:
        now = time.monotonic() if now is None else now
        rows, total = [], 0.0
        for userid in sorted(system.users):
            vm = system.users[userid]
            count = _instructions(vm)
            then, before = self._last.get(userid, (now, count))
            rate = (count - before) / (now - then) if now > then else 0.0
            self._last[userid] = (now, count)
            trend = self._trends.setdefault(
                userid, deque([0.0] * TREND_SAMPLES, maxlen=TREND_SAMPLES)
            )
            trend.append(rate)
            total += rate
            rows.append(
                VmRow(userid, vm_terminal(vm), vm_state(vm), count, rate, trend_text(trend))
            )
        for gone in set(self._last) - set(system.users):
            del self._last[gone]
            self._trends.pop(gone, None)
        self.total_history.append(total)
        return rows


def _instructions(vm) -> int:
    try:
        return int(vm.cpu.instructions)
    except (AttributeError, TypeError):
        return int(vm.account.instructions)


class SystemPanel(Vertical):
    """Logged-on VMs (table), total instruction rate (sparkline), spool queues."""

    DEFAULT_CSS = """
    SystemPanel { height: auto; }
    SystemPanel DataTable { height: auto; max-height: 14; }
    SystemPanel Sparkline { height: 3; margin: 1 0; }
    """

    def __init__(self, system, *, interval: float = 1.0, id: str | None = None):
        super().__init__(id=id)
        self.system = system
        self.interval = interval
        self.sampler = Sampler()

    def compose(self) -> ComposeResult:
        yield Static("Logged-on virtual machines", id="vm-title")
        table = DataTable(id="vms", cursor_type="row")
        table.add_columns(
            "USERID",
            "TERMINAL",
            "STATE",
            "INSTRUCTIONS",
            "PER SECOND",
            f"LAST {TREND_SAMPLES} SAMPLES",
        )
        yield table
        yield Static("Instruction rate, all virtual machines", id="rate-title")
        yield Sparkline(list(self.sampler.total_history), id="rate")
        yield Static("", id="spool")

    def on_mount(self) -> None:
        self.refresh_panel()
        self.set_interval(self.interval, self.refresh_panel)

    def refresh_panel(self) -> None:
        rows = self.sampler.sample(self.system)
        table = self.query_one("#vms", DataTable)
        table.clear()
        for r in rows:
            table.add_row(
                r.userid, r.terminal, r.state, f"{r.instructions:,}", f"{r.rate:,.0f}", r.trend
            )
        self.query_one("#rate", Sparkline).data = list(self.sampler.total_history)
        counts = spool_counts(self.system)
        text = (
            "Spool queues: " + "  ".join(f"{q} {n}" for q, n in counts.items())
            if counts
            else "Spool queues: (no spool)"
        )
        self.query_one("#spool", Static).update(
            f"{text}\nUsers logged on: {len(rows)}   Rate now: "
            f"{self.sampler.total_history[-1]:,.0f} instructions/s"
        )
