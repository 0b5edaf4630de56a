"""FTPSERVE's store on the real CP: logon passwords checked by CP (paced and
counted like LOGON's), minidisks linked as the directory allows, CMS files
read and written on them; and a whole server session over host sockets."""

import socket
import threading

import pytest

from cms.fs import Disk
from cms.ftp.cmsfiles import MinidiskStore
from cms.ftp.control import LineReader, parse_host_port, read_reply, send_line
from cms.ftp.server import FtpSession, StoreError
from cp.minidisk import Minidisk
from cp.services import GuestServices
from cp.sysdir import minidisk_path
from s390.ebcdic import to_ebcdic
from tests.cms.cmskit import make_cms_system
from tests.cms.ftp.ftpkit import HostNet
from vm370.boot import ImageBlocks

DIRECT = """\
USER MAINT CPCMS 4M 16M ABCDEFG
 CONSOLE 009 3215
 MDISK 190 3370 0 4000 VMSRES RR ALL
 MDISK 19E 3370 4000 2000 VMSRES RR ALL
USER ALICE ALICE 4M 16M G
 CONSOLE 009 3215
 MDISK 191 3370 0 400 VMPK01 MR
USER BOB BOB 4M 16M G
 CONSOLE 009 3215
 MDISK 191 3370 400 400 VMPK01 MR
 MDISK 192 3370 800 100 VMPK01 RR ALL
USER FTPSERVE AUTOONLY 4M 16M G
 OPTION LNKNOPAS DIAG88
 CONSOLE 009 3215
 MDISK 191 3370 900 100 VMPK01 MR
"""


@pytest.fixture
def system(tmp_path):
    return make_cms_system(tmp_path, DIRECT)


def ftpserve(system):
    vm = system.logon("FTPSERVE", None, noipl=True)
    return vm, GuestServices(vm)


def bob_files(system, vaddr=0x191):
    with Minidisk(minidisk_path(system.path, "BOB", vaddr)) as image:
        disk = Disk.open(ImageBlocks(image))
        return {key: disk.read_file(*key) for key in disk.files}


def test_cp_checks_the_logon_password_for_a_diag88_machine_only(system):
    _, services = ftpserve(system)
    assert services.check_password("bob", "bob", "10.0.0.9:1025").accepted
    wrong = services.check_password("BOB", "nope", "10.0.0.9:1025")
    assert (wrong.accepted, wrong.reason) == (False, "INCORRECT")
    assert not services.check_password("NOSUCH", "x", "10.0.0.9:1").accepted
    alice = GuestServices(system.logon("ALICE", None, noipl=True))
    assert alice.check_password("BOB", "BOB").reason == "NOT AUTHORIZED"
    assert alice.minidisk_rights("BOB", "BOB", 0x191) is None
    log = (system.path / "log").glob("*")
    assert any("LOGON FAILED BOB BY FTPSERVE FROM 10.0.0.9:1025" in p.read_text() for p in log)


def test_the_throttle_paces_ftp_logins_as_it_paces_logon(tmp_path):
    system = make_cms_system(tmp_path, DIRECT)
    system.logon_throttle.policy.delay = 30.0
    _, services = ftpserve(system)
    assert services.check_password("BOB", "wrong", "10.0.0.9:1").reason == "INCORRECT"
    turn = services.check_password("BOB", "BOB", "10.0.0.9:1")
    assert turn.reason == "NOT CHECKED" and 0 < turn.retry_after <= 30
    with pytest.raises(StoreError) as refused:  # FTPSERVE does not wait for the turn
        MinidiskStore(services).login("BOB", "BOB", ("10.0.0.9", 1))
    assert refused.value.text.startswith("Login not checked; retry in")


def test_autoonly_machines_cannot_log_on_at_a_terminal(system):
    from cp.terminal import LineTerminal

    terminal = LineTerminal()
    session = system.connect(terminal)
    session.enter("LOGON FTPSERVE AUTOONLY")
    assert "DMKLOG050E PASSWORD INCORRECT - REINITIATE LOGON PROCEDURE" in terminal.lines
    assert system.find_user("FTPSERVE") is None
    assert system.autolog("FTPSERVE") is not None  # AUTOLOG and XAUTOLOG still may


def test_minidisk_rights_follow_the_directory(system):
    _, services = ftpserve(system)
    assert services.minidisk_rights("BOB", "BOB", 0x191) == "W"
    assert services.minidisk_rights("ALICE", "BOB", 0x191) is None  # no password ALL
    assert services.minidisk_rights("ALICE", "BOB", 0x192) == "R"  # RR ALL
    assert services.minidisk_rights("BOB", "BOB", 0x192) == "R"  # its own R/O disk
    assert services.minidisk_rights("BOB", "BOB", 0x999) is None


def test_store_links_the_users_disk_and_writes_cms_files(system):
    _, services = ftpserve(system)
    store = MinidiskStore(services)
    with pytest.raises(StoreError) as refused:
        store.login("BOB", "wrong", ("10.0.0.9", 1025))
    assert refused.value.code == 530
    assert store.login("BOB", "bob", ("10.0.0.9", 1025)) == "BOB 191"
    assert services.device_info(0x400) is not None and not services.device_info(0x400).read_only
    store.write("NEW", "DATA", [to_ebcdic("line one"), to_ebcdic("two")])
    assert bob_files(system)[("NEW", "DATA")] == [to_ebcdic("line one"), to_ebcdic("two")]
    assert [f.fn for f in store.files("*", "DATA")] == ["NEW"]
    assert store.working_label() == "BOB191"
    with pytest.raises(StoreError) as denied:
        store.change_directory("ALICE.191")
    assert denied.value.code == 550
    assert store.change_directory("bob.192") == "BOB 192 (ReadOnly)"
    with pytest.raises(StoreError):
        store.check_writable()
    store.logout()
    assert services.device_info(0x400) is None  # the link is gone


def test_a_disk_its_owner_writes_is_linked_read_only(system):
    from cp.terminal import LineTerminal

    terminal = LineTerminal()
    system.connect(terminal).enter("LOGON BOB BOB NOIPL")
    _, services = ftpserve(system)
    store = MinidiskStore(services)
    assert store.login("BOB", "BOB", None) == "BOB 191 (ReadOnly)"


def test_a_whole_session_over_host_sockets_on_cp(system):
    _, services = ftpserve(system)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve_one():
        control, _ = listener.accept()
        FtpSession(control, HostNet(), MinidiskStore(services)).run()

    thread = threading.Thread(target=serve_one, daemon=True)
    thread.start()
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    reader = LineReader(sock)

    def say(line):
        send_line(sock, line)
        return read_reply(reader)

    assert read_reply(reader)[0] == 220
    say("USER bob")
    assert say("PASS bob")[0] == 230
    say("TYPE I")
    payload = bytes(range(256)) * 20
    code, lines = say("PASV")
    data = socket.create_connection(parse_host_port(lines[0]), timeout=10)
    assert say("STOR blob.bin")[0] == 150
    data.sendall(payload)
    data.close()
    assert read_reply(reader)[0] == 250
    assert b"".join(bob_files(system)[("BLOB", "BIN")]) == payload
    assert say("QUIT")[0] == 221
    thread.join(10)
    assert services.device_info(0x400) is None
    listener.close()
