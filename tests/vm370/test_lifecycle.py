"""The running system (vm370.lifecycle.RunningSystem) every front end attaches
to: one owner per system directory, why it ends, the shutdown as CP's
SHUTDOWN does it, the lock released at the end."""

import asyncio
import os
import signal

import pytest

from tests.cp.cpkit import make_system
from vm370.lifecycle import CannotStart, RunningSystem, claim_system_dir


def log_of(path) -> str:
    return (path / "log" / "system.log").read_text()


async def test_a_second_start_on_one_directory_is_refused_and_the_lock_freed_at_close(tmp_path):
    with RunningSystem(tmp_path, make_system=make_system, signals=False) as first:
        with pytest.raises(CannotStart) as refused:
            RunningSystem(tmp_path, make_system=make_system, signals=False).start()
        assert refused.value.already_running
        assert f"process {os.getpid()}" in refused.value.lines[0]
        assert not first.ended
    assert first.system.shut_down
    claim_system_dir(tmp_path).close()  # free again


async def test_cp_shutdown_ends_the_wait(tmp_path):
    async with RunningSystem(tmp_path, make_system=make_system, signals=False) as running:
        asyncio.get_running_loop().call_later(0.05, running.system.shutdown)
        assert await asyncio.wait_for(running.wait(), 30) == "SHUTDOWN"
        said = []
        running.shutdown(said.append)  # ended already: nothing more
        assert said == []


async def test_a_signal_shuts_down_as_shutdown_does_and_is_logged(tmp_path):
    running = RunningSystem(tmp_path, make_system=make_system)
    running.start()
    try:
        alice = running.system.logon("ALICE", None, noipl=True)
        assert alice is not None
        os.kill(os.getpid(), signal.SIGTERM)  # handled on the event loop
        assert await asyncio.wait_for(running.wait(), 30) == "SIGTERM"
        said = []
        running.shutdown(said.append)
    finally:
        running.close()
    assert said == [
        "DMKCKP960I SYSTEM WARM START DATA SAVED",
        "DMKCPI961W SYSTEM SHUTDOWN COMPLETE",
    ]
    assert running.system.find_user("ALICE") is None
    log = log_of(tmp_path)
    assert log.index("SIGTERM RECEIVED") < log.index("LOGOFF ALICE SYSTEM SHUTDOWN")
    # the handlers went with close(): the default SIGTERM action is back
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


async def test_a_front_end_asks_for_the_end(tmp_path):
    async with RunningSystem(tmp_path, make_system=make_system, signals=False) as running:
        running.request_shutdown("")
        assert running.ended
        assert await asyncio.wait_for(running.wait(), 30) == ""
        running.shutdown()
        assert "SIGTERM RECEIVED" not in log_of(tmp_path) and running.system.shut_down


def test_the_standard_system_installs_its_system_disks_once(tmp_path, monkeypatch):
    import cms.install

    calls = []
    real = cms.install.install_system_disks
    monkeypatch.setattr(
        cms.install, "install_system_disks", lambda *a, **k: calls.append(a) or real(*a, **k)
    )
    with RunningSystem(tmp_path, signals=False, logon_delay=0.0) as running:
        assert running.first_start and running.system.directory.get("MAINT") is not None
    assert len(calls) == 1
