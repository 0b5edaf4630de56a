"""Both builds: the VM370_PURE switch, the pure loader and vm370 bench."""

import os
import subprocess
import sys

import pytest

from s390 import bench, purepy

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_pure_loader_gives_python_modules_throughout():
    mod = purepy.load_pure("s390.cpu")
    assert mod.__file__.endswith("cpu.py")
    assert mod._decimal.__file__.endswith("decimal.py")
    assert mod._hfp.__file__.endswith("hfp.py")
    assert not purepy.is_compiled(mod)


def test_vm370_pure_environment_switch():
    code = "import s390.cpu, s390.decimal; print(s390.cpu.__file__, s390.decimal.__file__)"
    env = dict(os.environ, VM370_PURE="1")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )
    assert out.returncode == 0, out.stderr
    cpu_file, dec_file = out.stdout.split()
    assert cpu_file.endswith("cpu.py") and dec_file.endswith("decimal.py")


def test_exit_constants_are_importable_in_both_builds(cpu_module):
    assert (cpu_module.EXIT_BUDGET, cpu_module.EXIT_PGM_LOOP) == (1, 9)
    assert cpu_module.EXIT_NAMES[cpu_module.EXIT_DISABLED_WAIT] == "disabled-wait"
    from s390.cpu import EXIT_DISABLED_WAIT, EXIT_IO  # noqa: F401  (module __getattr__)


def test_bench_loop_runs_the_documented_mix(cpu_module):
    instructions, seconds = bench.measure(cpu_module, 100)
    assert instructions == 3 + 25 * 100 + 1  # prologue (LM LA BR), the loop, the final LPSW
    cpu = bench.load_cpu(cpu_module, 100)
    cpu.run(10_000)
    # per iteration R4 = (((IC 0) & 1 | 2) ^ 1) << 3 >> 2 = 6, accumulated by ALR 5,4
    assert cpu.gpr[5] == 600 and cpu.gpr[15] == 0


def test_bench_command_prints_mips(capsys):
    assert bench.main(["--iterations", "200", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "MIPS:" in out and ("compiled build" in out or "pure build" in out)


def test_every_bench_mix_computes_what_it_says(cpu_module):
    """Each mix reaches its wait PSW having done its work (same image as Hercules runs)."""
    results = {}
    for mix in bench.MIXES:
        instructions, _ = bench.measure(cpu_module, 10, mix)
        assert instructions == 3 + mix.per_iteration * 10 + 1, mix.name
        cpu = bench.load_cpu(cpu_module, 10, mix)
        cpu.run(100_000)
        results[mix.name] = cpu
    dec = results["decimal"].mem
    assert bytes(dec[0x2010:0x2015]) == bytes.fromhex("000012345C")  # DP quotient 8369910/678
    assert bytes(dec[0x2040:0x2046]) == bytes.fromhex("404040F6F7F8")  # ED of 00678F
    assert results["decimal"].gpr[1] == 678  # CVB
    flt = results["float"].mem
    assert bytes(flt[0x2018:0x2020]) == bytes.fromhex("4130000000000000")  # (1+2)*3/3
    assert bytes(flt[0x202C:0x2030]) == bytes.fromhex("41300000")
    long_ = results["long"]
    assert bytes(long_.mem[0x2100:0x2200]) == bytes(range(256)) and long_.cc == 0
    for name in ("program", "svc", "supervisor"):
        assert results[name].gpr[1] == 10, name  # LA 1,1(1) each time


def test_bench_all_prints_a_line_per_mix(capsys):
    assert bench.main(["--all", "--no-hercules", "--scale", "0.0001", "--repeat", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out[2:]] == [mix.name for mix in bench.MIXES]


def test_bench_all_by_cpu_time(capsys):
    args = ["--all", "--no-hercules", "--cpu-time", "--scale", "0.0001", "--repeat", "1"]
    assert bench.main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith(", CPU time")
    assert [line.split()[0] for line in out[2:]] == [mix.name for mix in bench.MIXES]


def test_bad_storage_size_is_a_value_error(cpu_module):

    with pytest.raises(ValueError):
        cpu_module.CPU(storage_size=5000)
    with pytest.raises(ValueError):
        cpu_module.CPU(storage_size=(1 << 24) + 4096)


def test_run_lets_other_threads_run(cpu_module):
    # The compiled loop releases the GIL (``with nogil``): the main thread keeps
    # running Python while another thread runs a CPU.
    import threading

    cpu = bench.load_cpu(cpu_module, 2_000_000 if purepy.is_compiled(cpu_module) else 20_000)
    done = threading.Event()
    ticks = 0

    def worker():
        cpu.run(1 << 40)
        done.set()

    t = threading.Thread(target=worker)
    t.start()
    while not done.is_set():
        ticks += 1
    t.join()
    assert cpu.gpr[15] == 0
    assert ticks > 1000


def test_pure_build_runs_without_cython_installed():
    code = (
        "import sys; sys.modules['cython'] = None; sys.modules['Cython'] = None\n"
        "from s390 import bench\n"
        "import s390.cpu as m\n"
        "assert m.__file__.endswith('cpu.py')\n"
        "print(bench.measure(m, 50)[0])\n"
    )
    env = dict(os.environ, VM370_PURE="1")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(3 + 25 * 50 + 1)]  # prologue, loop, LPSW


def test_c_typed_copies_of_lowcore_constants_are_assigned_from_lowcore():
    """cpu.pxd types copies of the assigned storage locations (LC_*), the
    program and external interruption codes (PGM_*, EXT_*) as C variables, which the compiled
    module cannot export; each must be assigned from s390/lowcore.py, the
    one place they are written, and so hold the same value in both builds."""
    import re

    from s390 import lowcore

    here = os.path.join(ROOT, "s390")
    pxd = open(os.path.join(here, "cpu.pxd")).read()
    src = open(os.path.join(here, "cpu.py")).read()
    copies = [
        name
        for line in re.findall(r"^cdef \w+ (.*)$", pxd, re.M)
        for name in re.split(r",\s*", line)
        if re.match(r"(LC|PGM|EXT)_", name)
    ]
    assert len(copies) > 30
    for name in copies:
        source = name[3:] if name.startswith("LC_") else name
        assert hasattr(lowcore, source), name
        assert re.search(rf"^{name} = lowcore\.{source}$", src, re.M), name
    pure = purepy.load_pure("s390.cpu")
    assert all(
        getattr(pure, name) == getattr(lowcore, name[3:] if name.startswith("LC_") else name)
        for name in copies
    )
