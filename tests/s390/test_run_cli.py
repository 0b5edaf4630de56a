"""``python -m s390 run`` and ``python -m s390 info`` as a user runs them."""

import json
import os
import subprocess
import sys

import pytest

from s390 import __main__ as cli
from tests.s390.cpukit import ROOT

WAIT_AT_100 = bytes.fromhex("0002000000000000")


def python_m_s390(*args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "s390", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=e,
        timeout=120,
    )


@pytest.fixture
def images(tmp_path):
    # LA 1,5; AR 1,1; LPSW X'100' (a disabled wait)
    prog = tmp_path / "prog.bin"
    prog.write_bytes(bytes.fromhex("41100005 1A11 82000100".replace(" ", "")))
    wait = tmp_path / "wait.bin"
    wait.write_bytes(WAIT_AT_100)
    return prog, wait


@pytest.mark.parametrize("pure", ["", "1"])
def test_run_to_disabled_wait(images, pure):
    prog, wait = images
    out = python_m_s390(
        "run",
        "--image",
        f"{prog}@0x200",
        "--image",
        f"{wait}@256",
        "--psw",
        "0000000000000200",
        "--dump",
        "0x200:4",
        "--dump",
        "80:4",
        "--json",
        env={"VM370_PURE": pure},
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["reason"] == "disabled-wait"
    assert result["psw"] == "0002000080000000"
    assert result["gpr"][1] == "0000000A" and len(result["gpr"]) == 16
    assert result["instructions"] == 3
    assert result["storage"] == {"0x200": "41100005", "80": "00000000"}
    assert set(result) >= {"seconds", "mips", "fpr", "cc"}


def test_psw_taken_from_location_0(tmp_path):
    img = bytearray(0x300)
    img[0:8] = bytes.fromhex("0000000000000200")
    img[0x100:0x108] = WAIT_AT_100
    img[0x200:0x20A] = bytes.fromhex("41100005 1A11 82000100".replace(" ", ""))
    f = tmp_path / "ipl.bin"
    f.write_bytes(bytes(img))
    result = run_in_process(["run", "--image", f"{f}@0", "--json"])
    assert result["reason"] == "disabled-wait" and result["gpr"][1] == "0000000A"


def run_in_process(argv, capsys=None):
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = cli.main(argv)
    assert rc == 0
    return json.loads(buf.getvalue())


def test_limit_and_program_loop(tmp_path):
    loop = tmp_path / "loop.bin"
    loop.write_bytes(bytes.fromhex("47F00200"))  # BC 15,X'200'
    result = run_in_process(
        [
            "run",
            "--image",
            f"{loop}@0x200",
            "--psw",
            "0000000000000200",
            "--max-instructions",
            "1000",
            "--storage",
            "64K",
        ]
    )
    assert result["reason"] == "limit" and result["instructions"] == 1000
    # all-zero storage: operation exception, new PSW 0 fetches it again
    result = run_in_process(["run", "--psw", "0000000000000000", "--storage", "64K"])
    assert result["reason"] == "pgm-loop" and result["code"] == 1


def test_timer_wait_lets_time_pass(tmp_path):
    # enabled wait (external mask) with CR0 clock-comparator mask: the runner
    # advances virtual time to the comparator, the interruption ends in a wait
    img = bytearray(0x400)
    img[0x58:0x60] = bytes.fromhex("000200000000EEEE")  # external new PSW: wait
    img[0x300:0x308] = bytes.fromhex("0000000000010000")  # comparator value
    img[0x308:0x30C] = bytes.fromhex("00000800")  # CR0: clock comparator mask
    img[0x310:0x318] = bytes.fromhex("0102000000000000")  # enabled wait
    img[0x200:0x20C] = bytes.fromhex("B2060300 B7000308 82000310")
    f = tmp_path / "t.bin"
    f.write_bytes(bytes(img))
    result = run_in_process(["run", "--image", f"{f}@0", "--psw", "0000000000000200"])
    assert result["reason"] == "disabled-wait" and result["psw"].endswith("EEEE")


@pytest.mark.parametrize(
    "args,message",
    [
        (["run", "--image", "nope.bin@0"], "cannot read image"),
        (["run", "--image", "x.bin"], "FILE@ADDR"),
        (["run", "--psw", "123"], "16 hex digits"),
        (["run", "--storage", "3K"], "multiple of 4K"),
        (["run", "--dump", "0x10"], "START:LEN"),
        (["run", "--max-instructions", "lots"], "not a number"),
    ],
)
def test_bad_arguments_get_a_message_not_a_traceback(args, message, capsys):
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_info_names_the_build():
    out = python_m_s390("info")
    assert out.returncode == 0 and out.stdout.startswith("s390 CPU build: ")
    assert "Cython" in out.stdout
    pure = python_m_s390("info", env={"VM370_PURE": "1"})
    assert "build: pure" in pure.stdout and "cpu.py" in pure.stdout
