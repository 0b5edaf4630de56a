"""``vm370 serve`` as a user runs it: a process, a port, s3270 (also over
TLS), a clean end on SIGINT, and the real messages for bad options."""

import socket
import subprocess
import sys
from pathlib import Path

from tests.cp.s3270kit import S3270
from tests.cp.servekit import start_serve, stop_serve


def logon_operator(port, *connect_prefix_and_args):
    prefix, *args = connect_prefix_and_args or ("",)
    c = S3270(*args)
    try:
        c.do(f"Connect({prefix}127.0.0.1:{port})")
        c.do("Wait(10,InputField)")
        c.wait_text("VM/370 ONLINE")
        c.do('String("logon operator operator")')
        c.do("Enter()")
        return c.wait_text("LOGON AT")
    finally:
        c.close()


def test_serve_first_start_lists_users_then_serves_and_ends_on_sigint(tmp_path):
    proc, port, lines = start_serve(tmp_path)
    try:
        assert any("LOGON MAINT" in line and "CPCMS" in line for line in lines)
        assert lines[-1] == f"VM370 TN3270 SERVER LISTENING ON 127.0.0.1:{port}"
        logon_operator(port)
    finally:
        out = stop_serve(proc)
    assert "SERVER ENDED" in out
    proc, port, lines = start_serve(tmp_path)  # second start: no user list
    try:
        assert not any("LOGON MAINT" in line for line in lines)
    finally:
        stop_serve(proc)


#: A self-signed certificate and key made for these tests only (CN=localhost,
#: valid for 100 years): ``openssl req -x509 -newkey rsa:2048 -nodes -days 36500``.
TEST_KEY = Path(__file__).with_name("test_tn3270_tls_key.pem")
TEST_CERT = Path(__file__).with_name("test_tn3270_tls_cert.pem")


def test_serve_over_tls(tmp_path):
    key, cert = TEST_KEY, TEST_CERT
    proc, port, lines = start_serve(tmp_path, "--tls-cert", str(cert), "--tls-key", str(key))
    try:
        assert "TLS SERVER LISTENING" in lines[-1]
        logon_operator(port, "L:", "-noverifycert")
    finally:
        stop_serve(proc)


def test_serve_bad_options_get_messages_not_tracebacks(tmp_path):
    run = [sys.executable, "-m", "vm370", "serve", "--system", str(tmp_path / "s")]
    r = subprocess.run(run + ["--tls-cert", "x.pem"], capture_output=True, text=True)
    assert r.returncode == 2 and "--tls-cert and --tls-key go together" in r.stderr
    r = subprocess.run(
        run + ["--tls-cert", "no.pem", "--tls-key", "no.pem"], capture_output=True, text=True
    )
    assert r.returncode == 1 and "cannot use the TLS certificate" in r.stderr
    assert "Traceback" not in r.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        r = subprocess.run(
            run + ["--port", str(busy.getsockname()[1])], capture_output=True, text=True, timeout=30
        )
    assert r.returncode == 1 and "cannot listen on 127.0.0.1" in r.stderr
    assert "Traceback" not in r.stderr


def test_a_refused_directory_is_reported_with_its_dmkdir_messages(tmp_path):
    (tmp_path / "user.direct").write_text("USER FOO\n")
    for command in (["serve", "--port", "0"], []):
        r = subprocess.run(
            [sys.executable, "-m", "vm370", *command, "--system", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert r.returncode == 1 and "DMKDIR752E" in r.stderr and "Traceback" not in r.stderr


def test_cp_shutdown_ends_vm370_serve(tmp_path):
    proc, port, _ = start_serve(tmp_path)
    c = S3270()
    try:
        c.do(f"Connect(127.0.0.1:{port})")
        c.do("Wait(10,InputField)")
        c.do('String("logon operator operator")')
        c.do("Enter()")
        c.wait_text("LOGON AT")
        c.do('String("shutdown")')
        c.do("Enter()")
        assert proc.wait(20) == 0
        assert "SERVER ENDED" in proc.stdout.read()
    finally:
        c.close()
        if proc.poll() is None:
            proc.kill()
