"""The TN3270 server with real clients not written here: Debian's s3270 and
PyPI's tnz, against the real CP (cp.system.System), plus the negotiation
bytes of RFC 1576 / RFC 2355 checked with a raw socket."""

import re
import socket
import subprocess

import pytest
from tnz import tnz

from cp.system import System
from cp.tn3270 import TelnetParser, TerminalType
from tests.cp.s3270kit import S3270, ServerThread, enter, s3270_logon, status, wait_for


@pytest.fixture
def served(tmp_path):
    with ServerThread(
        lambda: System(tmp_path, logon_delay=0.01), more_seconds=60.0, logo_seconds=0.3
    ) as st:
        yield st


# -- s3270 -------------------------------------------------------------------------


def test_s3270_logon_screen_shows_banner_and_its_terminal_address(served):
    c = S3270()
    try:
        c.do(f"Connect(127.0.0.1:{served.port})")
        c.do("Wait(10,InputField)")
        assert c.do("Query(ConnectionState)") == ["connected-tn3270e"]
        lu = c.do("Query(LuName)")[0]
        text = c.wait_text("VM/370 ONLINE")
        assert f"TERMINAL {lu}" in text
        assert status(c) == "CP READ"
        assert c.status.split()[8:10] == ["22", "0"]  # cursor in the input area
    finally:
        c.close()


def test_s3270_logon_with_hidden_password_then_cp_commands(served):
    c = S3270()
    try:
        c.do(f"Connect(127.0.0.1:{served.port})")
        c.do("Wait(10,InputField)")
        enter(c, "logon maint")
        c.wait_text("ENTER PASSWORD:")
        rb = " ".join(c.do("ReadBuffer(Ascii)"))
        assert "SF(c0=4c" in rb or "c0=cc" in rb, rb[:0] + str(
            set(re.findall(r"SF\([^)]*\)", rb))
        )  # non-display input
        enter(c, "cpcms")
        text = c.wait_text("LOGON AT")
        assert "cpcms" not in text.lower().replace("logon maint", "")
        enter(c, "query time")
        text = c.wait_text("CONNECT=")  # QUERY TIME's second line
        assert "TIME IS" in text
        wait_for(lambda: status(c) == "CP READ")
        enter(c, "bogus")
        c.wait_text("DMKCFM001E UNKNOWN CP COMMAND")
        lu = c.do("Query(LuName)")[0]
        enter(c, "q n")
        c.wait_text(f"MAINT    - {lu}")
    finally:
        c.close()


def test_s3270_more_then_clear_then_holding(served):
    c = s3270_logon(served, "MAINT", "CPCMS")
    try:
        enter(c, "#".join(["q t"] * 12))  # LINEND: many lines at once
        wait_for(lambda: status(c) == "MORE...")
        enter(c, "")  # empty ENTER freezes it
        wait_for(lambda: status(c) == "HOLDING")
        c.do("Clear()")
        text = c.wait_text("TIME IS")
        assert "LOGON AT" not in text
        wait_for(lambda: status(c) == "CP READ")
    finally:
        c.close()


def test_s3270_pa2_continues_from_more_and_pf12_retrieves(served):
    c = s3270_logon(served, "MAINT", "CPCMS")
    try:
        enter(c, "#".join(["q t"] * 12))
        wait_for(lambda: status(c) == "MORE...")
        c.do("PA(2)")
        wait_for(lambda: status(c) == "CP READ")
        c.do("PF(12)")
        wait_for(lambda: c.row(22).startswith("q t#q t"))
    finally:
        c.close()


def test_a_msg_from_another_user_rings_and_holds(served):
    a = s3270_logon(served, "MAINT", "CPCMS")
    b = s3270_logon(served, "OPERATOR", "OPERATOR")
    try:
        enter(a, "msg operator hello from maint")
        text = b.wait_text("hello from maint")
        assert "MSG FROM MAINT" in text.upper()
        assert status(b) == "HOLDING"
        b.do("Clear()")
        wait_for(lambda: status(b) == "CP READ")
    finally:
        a.close()
        b.close()


def test_several_clients_at_once_and_a_dropped_connection_reconnects(served):
    a = s3270_logon(served, "MAINT", "CPCMS")
    b = s3270_logon(served, "OPERATOR", "OPERATOR")
    c = s3270_logon(served, "CMSUSER", "CMSUSER")
    try:
        enter(b, "q n")
        text = b.wait_text("OPERATOR - ")  # QUERY NAMES' own line
        assert "MAINT" in text and "CMSUSER" in text
        a.proc.kill()  # the line drops
        a.proc.wait(10)
        wait_for(lambda: (enter(b, "q maint"), "DSC" in b.text())[1])
        assert served.call(lambda: served.system.find_user("MAINT") is not None)
        d = S3270()
        d.do(f"Connect(127.0.0.1:{served.port})")
        d.do("Wait(10,InputField)")
        enter(d, "logon maint cpcms")
        d.wait_text("RECONNECTED AT")
        d.close()
    finally:
        for x in (b, c):
            x.close()


def test_logoff_returns_to_the_logon_screen(served):
    c = s3270_logon(served, "MAINT", "CPCMS")
    try:
        enter(c, "logoff")
        c.wait_text("LOGOFF AT")
        c.do("Clear()")
        c.wait_text("VM/370 ONLINE")
        enter(c, "logon operator operator")
        c.wait_text("LOGON AT")
    finally:
        c.close()


@pytest.mark.parametrize(
    "model, rows, cols", [("3279-3", 32, 80), ("3278-4", 43, 80), ("3279-5", 27, 132)]
)
def test_s3270_larger_models_get_the_whole_screen(served, model, rows, cols):
    c = S3270()
    c.proc.kill()
    c.proc.wait()
    args = list(S3270.ARGS)
    args[args.index("3279-2")] = model
    c.proc = subprocess.Popen(
        args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        c.do(f"Connect(127.0.0.1:{served.port})")
        c.do("Wait(10,InputField)")
        screen = c.screen()
        assert len(screen) == rows and len(screen[0]) == cols
        assert screen[-1][-20:].strip() == "CP READ"
    finally:
        c.close()


# -- tnz ----------------------------------------------------------------------------


def tnz_wait(t, text, timeout=10.0):
    def seen():
        t.wait(0.05)
        return text in t.scrstr(0, 0)

    wait_for(seen, timeout, interval=0)
    return t.scrstr(0, 0)


def tnz_unlocked(t):
    def unlocked():
        t.wait(0.02)
        return not t.pwait and not t.system_lock_wait

    wait_for(unlocked, interval=0)


def test_tnz_dynamic_terminal_logs_on_and_uses_pf_keys(served):
    t = tnz.Tnz(name="vm370test")
    try:
        t.connect("127.0.0.1", served.port)
        tnz_wait(t, "VM/370 ONLINE")
        assert t.tn3270 and (t.maxrow, t.maxcol) == (24, 80)
        assert divmod(t.curadd, t.maxcol) == (22, 0)
        t.key_data("logon operator operator")
        t.enter()
        tnz_wait(t, "LOGON AT")
        tnz_unlocked(t)
        t.key_data("set pf3 query time")
        t.enter()
        tnz_unlocked(t)
        t.pf3()
        text = tnz_wait(t, "TIME IS")
        assert "query time" in text.lower()
        tnz_unlocked(t)
        t.pa1()
        tnz_unlocked(t)
        t.key_data("begin")
        t.enter()
        tnz_wait(t, "begin")
    finally:
        t.close()


def test_tnz_and_s3270_together(served):
    t = tnz.Tnz(name="both")
    c = s3270_logon(served, "MAINT", "CPCMS")
    try:
        t.connect("127.0.0.1", served.port)
        tnz_wait(t, "VM/370 ONLINE")
        t.key_data("logon operator operator")
        t.enter()
        tnz_wait(t, "LOGON AT")
        enter(c, "msg operator from s3270")
        tnz_wait(t, "from s3270")
    finally:
        t.close()
        c.close()


# -- negotiation bytes ------------------------------------------------------------------


def raw_events(sock, until, timeout=5.0):
    parser = TelnetParser()
    sock.settimeout(timeout)
    while not any(until(e) for e in parser.events):
        data = sock.recv(4096)
        if not data:
            break
        parser.feed(data)
    return parser.events


def test_tn3270e_device_type_with_a_requested_terminal_name(served):
    with socket.create_connection(("127.0.0.1", served.port)) as s:
        assert s.recv(3) == bytes([255, 253, 40])  # DO TN3270E
        s.sendall(bytes([255, 251, 40]))  # WILL TN3270E
        assert s.recv(6) == bytes([255, 250, 40, 8, 2, 255]) and s.recv(1) == b"\xf0"
        s.sendall(
            bytes([255, 250, 40, 2, 7]) + b"IBM-3278-2-E" + b"\x01" + b"TERMX" + bytes([255, 240])
        )
        events = raw_events(s, lambda e: e[0] == "sb")
        assert events[0] == ("sb", bytes([40, 2, 4]) + b"IBM-3278-2-E\x01TERMX")
        s.sendall(bytes([255, 250, 40, 3, 7, 0, 2, 4, 255, 240]))  # FUNCTIONS REQUEST
        events = raw_events(s, lambda e: e[0] == "sb")
        assert events[0] == ("sb", bytes([40, 3, 7]))  # REQUEST (none of them)
        s.sendall(bytes([255, 250, 40, 3, 4, 255, 240]))  # IS (none)
        events = raw_events(s, lambda e: e[0] == "record")
        record = [e for e in events if e[0] == "record"][0][1]
        assert record[:5] == bytes(5) and record[5] == 0xF5  # header + Erase/Write
        with socket.create_connection(("127.0.0.1", served.port)) as s2:
            s2.recv(3)
            s2.sendall(bytes([255, 251, 40]))
            s2.recv(7)
            s2.sendall(bytes([255, 250, 40, 2, 7]) + b"IBM-3278-2-E\x01TERMX" + bytes([255, 240]))
            events = raw_events(s2, lambda e: e[0] == "sb")
            assert events[0] == ("sb", bytes([40, 2, 6, 5, 1]))  # REJECT DEVICE-IN-USE


def test_tn3270e_rejects_a_device_type_that_is_not_a_3270(served):
    with socket.create_connection(("127.0.0.1", served.port)) as s:
        s.recv(3)
        s.sendall(bytes([255, 251, 40]))
        s.recv(7)
        s.sendall(bytes([255, 250, 40, 2, 7]) + b"VT100" + bytes([255, 240]))
        events = raw_events(s, lambda e: e[0] == "sb")
        assert events[0] == ("sb", bytes([40, 2, 6, 5, 4]))  # INV-DEVICE-TYPE


def test_classic_tn3270_after_wont_tn3270e(served):
    with socket.create_connection(("127.0.0.1", served.port)) as s:
        s.recv(3)
        s.sendall(bytes([255, 252, 40]))  # WONT TN3270E
        events = raw_events(s, lambda e: e == ("cmd", 253, 24))
        assert ("cmd", 253, 24) in events  # DO TERMINAL-TYPE
        s.sendall(bytes([255, 251, 24]))
        raw_events(s, lambda e: e[0] == "sb")
        s.sendall(bytes([255, 250, 24, 0]) + b"IBM-3279-2" + bytes([255, 240]))
        events = raw_events(s, lambda e: e == ("cmd", 251, 0))
        assert {("cmd", 253, 25), ("cmd", 251, 25), ("cmd", 253, 0)} <= set(events)
        s.sendall(bytes([255, 251, 25, 255, 253, 25, 255, 251, 0, 255, 253, 0]))
        events = raw_events(s, lambda e: e[0] == "record")
        record = [e for e in events if e[0] == "record"][0][1]
        assert record[0] == 0xF5 and b"\x29" not in record[:40]  # plain SF, no SFE


def test_a_terminal_type_that_is_not_a_3270_is_told_and_closed(served):
    with socket.create_connection(("127.0.0.1", served.port)) as s:
        s.recv(3)
        s.sendall(bytes([255, 252, 40, 255, 251, 24]))
        raw_events(s, lambda e: e[0] == "sb")
        s.sendall(bytes([255, 250, 24, 0]) + b"XTERM" + bytes([255, 240]))
        s.settimeout(5)
        data = b""
        while chunk := s.recv(4096):
            data += chunk
        assert b"NOT A 3270" in data.upper()


@pytest.mark.parametrize(
    "name, ok, size, extended",
    [
        ("IBM-3278-2", True, (24, 80), False),
        ("IBM-3279-3-E", True, (32, 80), True),
        ("IBM-3278-4-E", True, (43, 80), True),
        ("IBM-3279-5", True, (27, 132), True),
        ("IBM-DYNAMIC", True, (24, 80), True),
        ("IBM-3278-6", False, None, None),
        ("IBM-3180", False, None, None),
    ],
)
def test_terminal_types(name, ok, size, extended):
    if not ok:
        with pytest.raises(ValueError):
            TerminalType(name)
        return
    t = TerminalType(name)
    assert t.size == size and t.extended == extended


def test_a_client_that_never_answers_is_closed_after_the_negotiation_time(tmp_path):
    with ServerThread(lambda: System(tmp_path), negotiation_seconds=0.2) as st:
        with socket.create_connection(("127.0.0.1", st.port)) as s:
            s.settimeout(5)
            data = b""
            while chunk := s.recv(4096):
                data += chunk
            assert data.startswith(bytes([255, 253, 40])) and b"TIMED OUT" in data.upper()
        wait_for(lambda: not st.server.connections)


def test_iac_bytes_in_3270_data_are_doubled_and_undoubled():
    from cp.tn3270 import escape_iac

    parser = TelnetParser()
    parser.feed(escape_iac(b"\x7d\xff\x40") + bytes([255, 239]))
    assert parser.events == [("record", b"\x7d\xff\x40")]


# -- with CMS (the standard system of vm370.boot) ------------------------------------


@pytest.fixture
def served_cms(tmp_path):
    from vm370.boot import make_system

    with ServerThread(lambda: make_system(tmp_path, logon_delay=0.01)) as st:
        yield st


def test_s3270_cms_vm_read_pa1_cp_read_begin_and_hash_cp(served_cms):
    c = s3270_logon(served_cms, "CMSUSER", "CMSUSER")
    try:
        wait_for(lambda: status(c) == "VM READ")
        enter(c, "query disk")
        c.wait_text("Ready;")
        c.do("PA(1)")
        wait_for(lambda: status(c) == "CP READ")
        enter(c, "begin")
        wait_for(lambda: status(c) == "VM READ")
        enter(c, "#cp query time")  # LINEND + CP from the VM's read
        c.wait_text("TIME IS")
        assert status(c) == "VM READ"
    finally:
        c.close()


def test_disconnect_shows_the_logon_screen_and_logon_reconnects(served):
    c = s3270_logon(served, "OPERATOR", "OPERATOR")
    try:
        enter(c, "disconnect")
        c.wait_text("DISCONNECT AT")
        c.wait_text("VM/370 ONLINE")  # by itself after a few seconds
        enter(c, "logon operator operator")
        c.wait_text("RECONNECTED AT")
        wait_for(lambda: status(c) == "CP READ")
    finally:
        c.close()


def test_s3270_classic_tn3270_without_tn3270e_logs_on(served):
    c = S3270()
    try:
        c.do(f"Connect(N:127.0.0.1:{served.port})")  # N: no TN3270E
        c.do("Wait(10,InputField)")
        assert c.do("Query(ConnectionState)") == ["connected-3270"]
        c.wait_text("VM/370 ONLINE")
        enter(c, "logon operator operator")
        c.wait_text("LOGON AT")
        enter(c, "q n")
        c.wait_text("OPERATOR - L")
    finally:
        c.close()


def test_an_oversized_record_is_dropped_and_the_stream_goes_on():
    from cp.tn3270 import MAX_RECORD

    parser = TelnetParser()
    parser.feed(b"\x7d" * (MAX_RECORD + 10) + bytes([255, 239]) + b"\x6d" + bytes([255, 239]))
    assert parser.events == [("record", b"\x6d")]


def test_a_client_may_refuse_tn3270e_after_a_reject_and_fall_back(served):
    with socket.create_connection(("127.0.0.1", served.port)) as s:
        s.recv(3)
        s.sendall(bytes([255, 251, 40]))
        s.recv(7)
        s.sendall(bytes([255, 250, 40, 2, 7]) + b"IBM-3180" + bytes([255, 240]))
        assert raw_events(s, lambda e: e[0] == "sb")[0] == ("sb", bytes([40, 2, 6, 5, 4]))
        s.sendall(bytes([255, 252, 40]))  # WONT TN3270E
        assert ("cmd", 253, 24) in raw_events(s, lambda e: e == ("cmd", 253, 24))


def test_s3270_attn_key_over_classic_tn3270_is_a_break_to_cp(tmp_path):
    from tests.cp.termkit import FakeSystem

    with ServerThread(FakeSystem) as st:
        c = S3270()
        try:
            c.do(f"Connect(N:127.0.0.1:{st.port})")
            c.do("Wait(10,InputField)")
            enter(c, "logon maint cpcms")
            c.wait_text("LOGON AT")
            c.do("Attn()")  # Telnet BREAK
            session = st.system.sessions["MAINT"]
            wait_for(lambda: session.attentions == 1)
            wait_for(c.keyboard_unlocked)
        finally:
            c.close()
