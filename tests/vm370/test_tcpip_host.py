"""Guest TCP/IP seen from the host: the default system run by ``vm370 serve
--forward 0=WEBSRV:80 --forward 0=FTPSERVE:21`` (HOSTPORT 0: any free port),
and the host's own clients on the forwards.

* Python's ftplib logs on to FTPSERVE and STORs/RETRs a text and a binary
  file, in passive mode (the gateway's FTP ALG rewrites the 227 reply and
  relays the data connection) and in active mode (PORT rewritten to the
  gateway's address, the server's data connection NATed back to the host);
* curl GETs the home page, a text file, a PNG, a 404, a HEAD from WEBSRV;
* headless Chromium renders a page with an image from WEBSRV to a
  screenshot and a PDF whose text pdftotext reads back;
* garbage sent to the web forward gets WEBSERV's 400 and it serves on.
"""

from __future__ import annotations

import ftplib
import io
import random
import socket
import subprocess

import pytest

from s390.ebcdic import to_ebcdic
from tests.vm370.e2ekit import (
    Served,
    make_png,
    png_colours,
    prepare_system,
    receive_all,
    records,
    wait_for_banner,
)

NOTES = ["Notes from WEBSRV", "  [brackets] {braces} $#@ caf\u00e9", "", "last line"]
LOGO = make_png(64, 48)
PICTURE = [
    "<!DOCTYPE html>",
    "<html><head><title>Picture page</title></head>",
    '<body style="background:#ffffff">',
    "<h1>Served by a CMS guest</h1>",
    "<p>The picture below is LOGO PNG on WEBSRV's A-disk.</p>",
    '<img src="/logo.png" width="256" height="192">',
    "</body></html>",
]
GET = b"GET / HTTP/1.0\r\n\r\n"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    base = tmp_path_factory.mktemp("tcpiphost")
    prepare_system(
        base,
        {
            ("WEBSRV", "NOTES TEXT", 0x191): ([to_ebcdic(x) for x in NOTES], "V"),
            ("WEBSRV", "LOGO PNG", 0x191): (records(LOGO), "V"),
            ("WEBSRV", "PICTURE HTML", 0x191): ([to_ebcdic(x) for x in PICTURE], "V"),
        },
    )
    system = Served(base, "0=WEBSRV:80", "0=FTPSERVE:21")
    try:
        assert set(system.ports) == {"WEBSRV", "FTPSERVE"}, system.lines
        wait_for_banner(system.ports["WEBSRV"], b"HTTP/1.1 200 OK", send=GET)
        wait_for_banner(system.ports["FTPSERVE"], b"220-FTPSERVE")
        yield system
    finally:
        out = system.stop()
    assert "Traceback" not in out + system.log()


def url(served, path: str) -> str:
    return f"http://127.0.0.1:{served.ports['WEBSRV']}{path}"


# ------------------------------------------------------------------ FTP


def curl(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["curl", "--silent", "--show-error", "--max-time", "60", *arguments],
        capture_output=True,
        timeout=90,
    )


def ftp_session(served) -> ftplib.FTP:
    ftp = ftplib.FTP()
    ftp.connect("127.0.0.1", served.ports["FTPSERVE"], timeout=60)
    assert ftp.login("alice", "alice").startswith("230 ALICE logged in")
    return ftp


def test_ftplib_stores_and_retrieves_text_and_binary_in_passive_mode(served):
    text = ["First line", "", "  [brackets] {braces} $#@", "x" * 200, "last"]
    binary = random.Random(370).randbytes(150_000) + b"\r\n\x00\r\x1a\n"
    ftp = ftp_session(served)
    assert ftp.passiveserver
    answer = ftp.sendcmd("PASV")  # what the host's client reads: the host's address
    assert answer.startswith("227 Entering Passive Mode (127,0,0,1,"), answer
    ftp.storlines("STOR hosttext.file", io.BytesIO("\r\n".join(text).encode() + b"\r\n"))
    ftp.storbinary("STOR hostbin.file", io.BytesIO(binary))
    lines = []
    ftp.retrlines("RETR HOSTTEXT.FILE", lines.append)
    assert lines == text
    back = bytearray()
    ftp.retrbinary("RETR HOSTBIN.FILE", back.extend)
    assert bytes(back) == binary
    assert {"HOSTTEXT.FILE", "HOSTBIN.FILE"} <= set(ftp.nlst())
    ftp.delete("HOSTTEXT.FILE")
    assert ftp.quit().startswith("221")


def test_ftplib_in_active_mode_through_port_and_nat(served):
    binary = bytes(range(256)) * 300
    ftp = ftp_session(served)
    ftp.set_pasv(False)
    ftp.storbinary("STOR active.bin", io.BytesIO(binary))
    back = bytearray()
    ftp.retrbinary("RETR ACTIVE.BIN", back.extend)
    assert bytes(back) == binary
    assert ftp.quit().startswith("221")


def test_a_passive_port_of_the_gateway_takes_one_connection(served):
    """The host port of a rewritten 227 carries one data connection (a
    listing here); a second connection to it finds nobody listening."""
    ftp = ftp_session(served)
    host, port = ftplib.parse227(ftp.sendcmd("PASV"))
    assert host == "127.0.0.1"
    with socket.create_connection((host, port), timeout=30) as data:
        ftp.sendcmd("TYPE A")
        ftp.putcmd("LIST")
        assert ftp.getresp().startswith("125 List started OK")
        listing = receive_all(data)
    assert ftp.getresp().startswith("250")
    assert listing.endswith(b"\r\n") and b" " in listing
    with pytest.raises(OSError):
        socket.create_connection((host, port), timeout=5).close()  # used once: gone
    ftp.quit()


def test_garbage_on_the_ftp_forward_leaves_ftpserve_serving(served):
    """Binary junk and a line past any limit go through the FTP gateway as
    they came; FTPSERVE answers or drops that session and takes the next."""
    port = served.ports["FTPSERVE"]
    with socket.create_connection(("127.0.0.1", port), timeout=60) as client:
        assert client.recv(4096).startswith(b"220-FTPSERVE")
        client.sendall(
            b"\xff\xfe\x00garbage\r\n" + b"\x80" * 6000 + b"\r\n227 (10,0,0,21,1,1)\r\nQUIT\r\n"
        )
        answer = receive_all(client)
    assert answer.startswith(b"220 ") and b"500 Command line too long." in answer, answer
    assert b"\r\n500 Unknown command 227\r\n" in answer  # a 227 from the client is no reply
    assert answer.endswith(b"221 Quit command received. Goodbye.\r\n"), answer
    ftp = ftp_session(served)  # the next client is served
    assert ftp.sendcmd("NOOP").startswith("200")
    ftp.quit()


@pytest.mark.tool("curl")
def test_curl_puts_and_gets_a_file_over_ftp(served, tmp_path):
    """curl tries EPSV first (FTPSERVE answers 502), then PASV through the gateway."""
    data = random.Random(1970).randbytes(50_000)
    (tmp_path / "up.bin").write_bytes(data)
    address = f"ftp://bob:bob@127.0.0.1:{served.ports['FTPSERVE']}/CURL.BIN"
    put = curl("--upload-file", str(tmp_path / "up.bin"), address)
    assert put.returncode == 0, put.stderr
    got = curl(address)
    assert got.returncode == 0 and got.stdout == data, got.stderr


# ------------------------------------------------------------------ HTTP with curl


def split_response(raw: bytes) -> tuple[str, dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status, *fields = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (f.partition(":") for f in fields)}
    return status, headers, body


@pytest.mark.tool("curl")
def test_curl_gets_pages_files_a_404_and_a_head(served):
    status, headers, body = split_response(curl("--include", url(served, "/")).stdout)
    assert status == "HTTP/1.1 200 OK"
    assert headers["content-type"] == "text/html; charset=ISO-8859-1"
    assert int(headers["content-length"]) == len(body)
    assert b"<h1>Welcome to vm370</h1>" in body
    status, headers, body = split_response(curl("--include", url(served, "/notes.text")).stdout)
    assert status == "HTTP/1.1 200 OK"
    assert headers["content-type"] == "text/plain; charset=ISO-8859-1"
    assert body == "\n".join(NOTES + [""]).encode("latin-1")
    done = curl(
        "--output", "-", "--write-out", "%{http_code} %{content_type}", url(served, "/logo.png")
    )
    assert done.stdout == LOGO + b"200 image/png"
    status, headers, body = split_response(curl("--include", url(served, "/nosuch.file")).stdout)
    assert status == "HTTP/1.1 404 Not Found"
    assert b"<h1>404 Not Found</h1>" in body
    raw = curl("--head", url(served, "/logo.png")).stdout
    status, headers, body = split_response(raw)
    assert status == "HTTP/1.1 200 OK" and body == b""
    assert int(headers["content-length"]) == len(LOGO)
    assert headers["server"] == "vm370 WEBSERV"


def test_garbage_gets_a_400_and_the_server_serves_on(served):
    port = served.ports["WEBSRV"]
    for garbage, status in (
        (b"\x00\xff\xfe garbage \x80\r\n\r\n", b"400 Bad Request"),
        (b"GET\r\n\r\n", b"400 Bad Request"),
        (b"BREW /pot HTCPCP/1.0\r\n\r\n", b"400 Bad Request"),  # not HTTP/1.x
        (b"GET / HTTP/1.1\r\n\r\n", b"400 Bad Request"),  # HTTP/1.1 without Host
        (b"X-Long: " + b"x" * 10000, b"400 Bad Request"),  # a head past 8 KiB, never ended
        (b"BREW /pot HTTP/1.0\r\n\r\n", b"501 Not Implemented"),
    ):
        with socket.create_connection(("127.0.0.1", port), timeout=60) as client:
            client.sendall(garbage)
            answer = receive_all(client)
        assert answer.startswith(b"HTTP/1.1 " + status), (garbage[:40], answer)
    with socket.create_connection(("127.0.0.1", port), timeout=60) as client:
        client.sendall(GET)
        assert receive_all(client).startswith(b"HTTP/1.1 200 OK")


# ------------------------------------------------------------------ a real browser


@pytest.mark.tool("chromium", "pdftotext")
def test_headless_chromium_renders_a_page_with_a_picture(served, tmp_path):
    screenshot, pdf = tmp_path / "page.png", tmp_path / "page.pdf"
    browser = [
        "chromium",
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    page = url(served, "/picture.html")
    for option in (f"--screenshot={screenshot}", f"--print-to-pdf={pdf}"):
        done = subprocess.run(
            [*browser, "--window-size=800,600", option, page],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
    width, height, colours = png_colours(screenshot.read_bytes())
    assert (width, height) == (800, 600)
    assert colours > 16  # text and the picture's stripes, not a blank page
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60)
    assert "Served by a CMS guest" in text.stdout
    assert "The picture below is LOGO PNG on WEBSRV" in text.stdout
