"""LINK: the access modes' sharing rules, passwords and messages (VM/370 DMKLNK)."""

import pytest

from tests.cp.cpkit import command, logon, make_system


@pytest.fixture
def system(tmp_path):
    return make_system(tmp_path)


def test_own_minidisk_attached_at_logon_with_directory_mode(system):
    t, s = logon(system, "ALICE")
    link = system.links.link_of("ALICE", 0x191)
    assert link.write and link.owner == "ALICE"
    assert not system.links.link_of("ALICE", 0x190).write  # LINK MAINT 190 190 RR
    assert 0x191 in system.find_user("ALICE").devices


def test_link_needs_the_mode_password(system):
    tb, sb = logon(system, "BOB")
    assert command(sb, tb, "LINK ALICE 191 291 RR") == ["ENTER PASSWORD:"]  # not displayed
    assert tb.password_prompts == ["ENTER PASSWORD:"]
    assert command(sb, tb, "NOTIT") == ["DMKLNK109E PASSWORD INCORRECT"]
    assert command(sb, tb, "LINK ALICE 191 291 RR WRONG") == ["DMKLNK109E PASSWORD INCORRECT"]
    assert command(sb, tb, "LINK TO ALICE 191 AS 291 RR PASS=RALICE") == ["DASD 291 LINKED R/O"]
    assert command(sb, tb, "LINK NOBODY 199 199 RR") == [
        "DMKLNK113E NOBODY 199 NOT LINKED; NO READ PASSWORD"
    ]


def test_lnknopas_and_all_password(system):
    tc, sc = logon(system, "CAROL")
    assert command(sc, tc, "LINK BOB 191 391 RR") == ["DASD 391 LINKED R/O"]
    tb, sb = logon(system, "BOB")
    assert command(sb, tb, "LINK MAINT 190 190") == ["DASD 190 LINKED R/O"]  # password ALL


def test_read_refused_while_another_writes(system):
    ta, sa = logon(system, "ALICE")  # ALICE has her 191 R/W (MR)
    tb, sb = logon(system, "BOB")
    assert command(sb, tb, "LINK ALICE 191 291 R RALICE") == [
        "DMKLNK104E ALICE 191 NOT LINKED; R/W BY ALICE"
    ]
    assert command(sb, tb, "LINK ALICE 191 291 RR RALICE") == ["DASD 291 LINKED R/O"]


def test_write_modes(system):
    ta, sa = logon(system, "ALICE")
    tb, sb = logon(system, "BOB")
    tc, sc = logon(system, "CAROL")
    # W: refused while anyone else has a link
    assert command(sb, tb, "LINK ALICE 191 291 W WALICE") == [
        "DMKLNK104E ALICE 191 NOT LINKED; R/W BY ALICE"
    ]
    # MR: another writer exists -> forced read-only
    assert command(sb, tb, "LINK ALICE 191 291 MR MALICE") == [
        "DMKLNK101W DASD 291 FORCED R/O; R/W BY ALICE",
        "DASD 291 LINKED R/O",
    ]
    # M: refused while another writer exists
    assert command(sc, tc, "LINK ALICE 191 391 M") == [
        "DMKLNK104E ALICE 191 NOT LINKED; R/W BY ALICE"
    ]
    # MW: write in every case
    assert command(sc, tc, "LINK ALICE 191 391 MW") == ["DASD 391 LINKED R/W"]


def test_w_refused_by_readers_and_wr_forced(system):
    tb, sb = logon(system, "BOB")  # BOB's 191 is W
    command(sb, tb, "DETACH 191")
    tc, sc = logon(system, "CAROL")
    assert command(sc, tc, "LINK BOB 191 391 RR") == ["DASD 391 LINKED R/O"]
    tm, sm = logon(system, "MAINT")
    assert command(sm, tm, "LINK BOB 191 391 W WBOB") == [
        "DMKLNK105E BOB 191 NOT LINKED; R/O BY 001 USERS"
    ]
    assert command(sm, tm, "LINK BOB 191 391 WR WBOB") == [
        "DMKLNK101W DASD 391 FORCED R/O; R/O BY 001 USERS",
        "DASD 391 LINKED R/O",
    ]


def test_link_errors(system):
    ta, sa = logon(system, "ALICE")
    assert command(sa, ta, "LINK ZED 191 291") == [
        "DMKLNK107E ZED 191 NOT LINKED; NOT IN CP DIRECTORY"
    ]
    assert command(sa, ta, "LINK BOB 192 291 RR RBOB") == [
        "DMKLNK107E BOB 192 NOT LINKED; NOT IN CP DIRECTORY"
    ]
    assert command(sa, ta, "LINK BOB 191 191 RR RBOB") == [
        "DMKLNK110E BOB 191 NOT LINKED; DASD 191 ALREADY DEFINED"
    ]
    assert command(sa, ta, "LINK BOB 191 00E RR RBOB") == [
        "DMKLNK110E BOB 191 NOT LINKED; PRT 00E ALREADY DEFINED"
    ]
    assert command(sa, ta, "LINK BOB") == ["DMKCFM026E OPERAND MISSING OR INVALID"]


def test_link_star_is_ones_own_directory(system):
    """LINK * vaddr1 vaddr2: the asterisk names one's own directory entry
    (CP Command Reference for General Users, LINK); no password is needed."""
    ta, sa = logon(system, "ALICE")
    assert command(sa, ta, "LINK * 191 391 RR") == ["DASD 391 LINKED R/O"]
    assert command(sa, ta, "QUERY LINKS 191") == ["ALICE    191 R/W, ALICE    391 R/O"]


def test_query_links_and_detach_releases(system):
    ta, sa = logon(system, "ALICE")
    tb, sb = logon(system, "BOB")
    command(sb, tb, "LINK ALICE 191 291 RR RALICE")
    assert command(sa, ta, "QUERY LINKS 191") == ["ALICE    191 R/W, BOB      291 R/O"]
    assert command(sb, tb, "DETACH 291") == ["DASD 291 DETACHED"]
    assert command(sa, ta, "QUERY LINKS 191") == ["ALICE    191 R/W"]
    assert command(sb, tb, "DETACH 291") == ["DMKVDD040E DEV 291 DOES NOT EXIST"]


def test_logoff_releases_links(system):
    ta, sa = logon(system, "ALICE")
    tb, sb = logon(system, "BOB")
    command(sa, ta, "LOGOFF")
    assert command(sb, tb, "LINK ALICE 191 291 W WALICE") == ["DASD 291 LINKED R/W"]


def test_linked_disk_is_really_read_only(system):
    ta, sa = logon(system, "ALICE")
    tb, sb = logon(system, "BOB")
    command(sb, tb, "LINK ALICE 191 291 RR RALICE")
    alice, bob = system.find_user("ALICE"), system.find_user("BOB")
    alice.services.block_write(0x191, 5, b"\xc1" * 512)
    assert bob.services.block_read(0x291, 5) == b"\xc1" * 512
    from cp.services import DeviceError

    with pytest.raises(DeviceError, match="DMKDIA036E DASD 291 IS READ-ONLY"):
        bob.services.block_write(0x291, 5, bytes(512))


def test_missing_image_is_an_unmounted_volume(system):
    (system.path / "disks" / "BOB.191.img").unlink()
    tb, sb = logon(system, "BOB")
    assert "DMKLNK108E BOB 191 NOT LINKED; VOLID USRVOL NOT MOUNTED" in tb.lines
    assert 0x191 not in system.find_user("BOB").devices
    assert system.links.link_of("BOB", 0x191) is None


def test_sharing_rules_for_every_mode():
    """Each mode against no other link, a reader and a writer (CP Command
    Reference, LINK: the access summary)."""
    from cp.commands import CommandError
    from cp.links import Link, grant

    reader, writer = Link("RDR", 0x291, "OWN", 0x191, False), Link("WRT", 0x391, "OWN", 0x191, True)

    def outcome(mode, others):
        try:
            return grant(mode, others, "OWN", 0x191, 0x491)
        except CommandError as err:
            return str(err)

    expected = {
        "R": [(False, None), (False, None), "DMKLNK104E OWN 191 NOT LINKED; R/W BY WRT"],
        "RR": [(False, None), (False, None), (False, None)],
        "W": [
            (True, None),
            "DMKLNK105E OWN 191 NOT LINKED; R/O BY 001 USERS",
            "DMKLNK104E OWN 191 NOT LINKED; R/W BY WRT",
        ],
        "WR": [
            (True, None),
            (False, "DMKLNK101W DASD 491 FORCED R/O; R/O BY 001 USERS"),
            (False, "DMKLNK101W DASD 491 FORCED R/O; R/W BY WRT"),
        ],
        "M": [(True, None), (True, None), "DMKLNK104E OWN 191 NOT LINKED; R/W BY WRT"],
        "MR": [(True, None), (True, None), (False, "DMKLNK101W DASD 491 FORCED R/O; R/W BY WRT")],
        "MW": [(True, None), (True, None), (True, None)],
    }
    for mode, answers in expected.items():
        assert [outcome(mode, others) for others in ([], [reader], [writer])] == answers, mode
