"""The system panel's numbers, apart from Textual: instruction rates per VM
from two samples, the trend column, states and spool queue sizes."""

from types import SimpleNamespace

from tui.panel import Sampler, spool_counts, trend_text


def vm(userid, instructions, session=True, status="VM READ", running=True):
    terminal = SimpleNamespace(address="0C0")
    return SimpleNamespace(
        userid=userid,
        cpu=SimpleNamespace(instructions=instructions),
        session=SimpleNamespace(terminal=terminal) if session else None,
        console=SimpleNamespace(status=lambda: status),
        running=running,
    )


def test_rates_come_from_instruction_counts_between_samples():
    system = SimpleNamespace(users={"A": vm("A", 1000), "B": vm("B", 0, session=False)})
    sampler = Sampler()
    first = sampler.sample(system, now=10.0)
    assert [r.rate for r in first] == [0.0, 0.0]
    system.users["A"].cpu.instructions = 501000
    rows = sampler.sample(system, now=12.0)
    assert rows[0].userid == "A" and rows[0].rate == 250000.0 and rows[0].state == "VM READ"
    assert rows[1].terminal == "DSC" and rows[1].state == "DSC VM READ"
    assert sampler.total_history[-1] == 250000.0
    assert rows[0].trend.endswith("█") and rows[1].trend.strip() == ""
    del system.users["B"]
    assert [r.userid for r in sampler.sample(system, now=13.0)] == ["A"]


def test_trend_text_scales_to_the_peak():
    assert trend_text([0, 5, 10]) == " ▄█"
    assert trend_text([0, 0]) == "  "


def test_spool_counts_per_queue():
    files = {"RDR": [1, 2], "PRT": [1], "PUN": []}
    system = SimpleNamespace(spool=SimpleNamespace(queue=lambda q: files[q]))
    assert spool_counts(system) == {"RDR": 2, "PRT": 1, "PUN": 0}
    assert spool_counts(SimpleNamespace(spool=None)) == {}
