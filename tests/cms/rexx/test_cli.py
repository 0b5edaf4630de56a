"""``vm370 rexx FILE [ARGS]``: stdout, stdin, stderr, exit status, host commands."""

from __future__ import annotations

import io
import sys

import pytest

from cms.rexx import cli


def run_cli(tmp_path, source, argv=(), stdin="", capsys=None, monkeypatch=None):
    program = tmp_path / "prog.rexx"
    program.write_text(source)
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    status = cli.main(
        [*argv[:1], str(program), *argv[1:]]
        if argv and argv[0].startswith("--")
        else [str(program), *argv]
    )
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_say_pull_and_arguments(tmp_path, capsys, monkeypatch):
    status, out, err = run_cli(
        tmp_path,
        "parse arg a\nsay 'arg:' a\npull x\nsay x\nexit 5",
        ["one", "two"],
        "typed text\n",
        capsys,
        monkeypatch,
    )
    assert (status, out, err) == (5, "arg: one two\nTYPED TEXT\n", "")


def test_host_commands_are_refused_with_rc_minus_3(tmp_path, capsys, monkeypatch):
    status, out, err = run_cli(
        tmp_path, "'echo should-not-run'\nsay 'rc' rc", (), "", capsys, monkeypatch
    )
    assert status == 0
    assert out == "rc -3\n"
    assert "should-not-run" not in out
    assert err == "     1 *-* 'echo should-not-run'\n       +++ RC(-3) +++\n"


def test_host_commands_flag_runs_the_shell(tmp_path, capsys, monkeypatch):
    status, out, err = run_cli(
        tmp_path,
        "'exit 3'\nsay 'rc' rc\n'true'\nsay 'rc' rc",
        ["--host-commands"],
        "",
        capsys,
        monkeypatch,
    )
    assert out == "rc 3\nrc 0\n"


def test_error_goes_to_stderr_with_its_number_as_status(tmp_path, capsys, monkeypatch):
    status, out, err = run_cli(tmp_path, "say 'hi'\nsignal nowhere", (), "", capsys, monkeypatch)
    assert status == 16
    assert out == "hi\n"
    assert err == "     2 +++ signal nowhere\nError 16 running prog.rexx, line 2: Label not found\n"


def test_missing_file_is_reported(tmp_path, capsys):
    status = cli.main([str(tmp_path / "none.rexx")])
    assert status == 2
    assert "No such file" in capsys.readouterr().err


def test_external_routine_found_beside_the_program(tmp_path, capsys, monkeypatch):
    (tmp_path / "triple.rexx").write_text("return arg(1) * 3\n")
    status, out, err = run_cli(tmp_path, "say triple(14)", (), "", capsys, monkeypatch)
    assert out == "42\n"


def test_ctrl_c_is_hi_and_can_be_trapped(tmp_path):
    import signal
    import subprocess
    import time

    program = tmp_path / "loop.rexx"
    program.write_text(
        "signal on halt\nsay 'looping'\ndo forever; nop; end\n"
        "halt: say 'halted at line' sigl; exit 9\n"
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import sys; from cms.rexx.cli import main; sys.exit(main([{str(program)!r}]))",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline() == "looping\n"
    time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=20)
    assert out == "halted at line 3\n"
    assert process.returncode == 9


def test_bytes_round_trip_like_regina(tmp_path):
    import subprocess

    program = tmp_path / "bytes.rexx"
    program.write_bytes("say 'café' length('é')\npull x\nsay x\n".encode("utf-8"))
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys; from cms.rexx.cli import main; sys.exit(main([{str(program)!r}]))",
        ],
        input="déjà\n".encode("utf-8"),
        capture_output=True,
    )
    # bytes are characters: é is two of them, and only a-z are uppercased
    assert completed.stdout == "café 2\nDéJà\n".encode("utf-8")


def test_exit_status_keeps_the_low_8_bits_like_regina(tmp_path, capsys, monkeypatch):
    for source, expected in (("exit 300", 44), ("return 256", 0), ("exit -1", 255), ("exit 7", 7)):
        status, _, _ = run_cli(tmp_path, source, (), "", capsys, monkeypatch)
        assert status == expected, source


def test_no_program_file_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main([])
    assert stop.value.code == 2
    assert "the REXX program file is required" in capsys.readouterr().err


def test_stream_io_on_host_files_and_charout_to_the_console(tmp_path):
    """``vm370 rexx`` in a subprocess: LINEOUT / LINEIN name host files
    (relative to the working directory), CHAROUT with no name writes to
    stdout with no new line, LINES() of stdin looks ahead."""
    import pathlib
    import subprocess

    program = tmp_path / "files.rexx"
    program.write_text(
        "\n".join(
            [
                "call lineout 'out.txt', 'first'",
                "call lineout 'out.txt', 'second'",
                "call lineout 'out.txt'",
                "call charout , 'count:'",
                "call charout , ' ' || lines('out.txt', 'C')",
                "say ''",
                "do while lines() > 0",
                "  say 'stdin:' linein()",
                "end",
                "say linein('missing.txt') '|' stream('missing.txt', 'S')",
            ]
        )
        + "\n"
    )
    root = pathlib.Path(__file__).resolve().parents[3]
    completed = subprocess.run(
        [sys.executable, "-m", "vm370", "rexx", str(program)],
        input="a\nb\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert completed.stdout == "count: 2\nstdin: a\nstdin: b\n | ERROR\n"
    assert (tmp_path / "out.txt").read_text() == "first\nsecond\n"
    assert completed.returncode == 0
