"""USER DIRECT parsing: statements, defaults, and errors that name the line."""

import pytest

from cp.directory import DirectoryError, load, parse
from cp.passwords import check_password, hash_password
from tests.cp.cpkit import TEST_DIRECT


def test_user_statement_fields():
    d = parse("USER ALICE SECRET 4M 16M G 50\n")
    alice = d.get("alice")
    assert (alice.password, alice.storage, alice.max_storage, alice.classes, alice.priority) == (
        "SECRET",
        4 << 20,
        16 << 20,
        "G",
        50,
    )


def test_defaults_and_statements():
    d = parse(TEST_DIRECT)
    alice = d.get("ALICE")
    assert [x.devclass for x in alice.devices] == ["CONS", "RDR", "PUN", "PRT"]
    assert alice.devices[1].spool_class == "*"
    assert alice.links[0].userid == "MAINT" and alice.links[0].mode == "RR"
    mdisk = alice.mdisk(0x191)
    assert (mdisk.start, mdisk.count, mdisk.volser, mdisk.mode, mdisk.read_pw) == (
        300,
        100,
        "USRVOL",
        "MR",
        "RALICE",
    )
    assert d.get("NOBODY").nolog
    assert "LNKNOPAS" in d.get("CAROL").options


def test_ipl_parm_and_account():
    d = parse("USER X Y\n ACCOUNT 12 DIST1\n IPL CMS PARM AUTOCR\n")
    x = d.get("X")
    assert (x.ipl, x.ipl_parm, x.account, x.distribution) == ("CMS", "AUTOCR", "12", "DIST1")


def test_ckd_minidisk_sized_in_blocks():
    d = parse("USER X Y\n MDISK 191 3350 1 2 VOL1\n")
    assert d.get("X").mdisk(0x191).blocks == 2 * 1050


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("MDISK 191 3370 0 10 V\n", 1, "DMKDIR752E STATEMENT SEQUENCE ERROR - MDISK BEFORE USER"),
        ("USER A B 3K\n", 1, "DMKDIR751E INVALID OPERAND - 3K"),
        ("USER A B 1M\n FROB 1\n", 2, "DMKDIR750E INVALID STATEMENT - FROB"),
        ("USER A B 1M\n MDISK 191 3370 0 10 V XX\n", 2, "DMKDIR751E INVALID OPERAND - XX"),
        ("USER A B 1M\n MDISK 191 9999 0 10 V\n", 2, "DMKDIR753E INVALID DEVICE TYPE - 9999"),
        ("USER A B 1M\n SPOOL 00C 2540\n", 2, "DMKDIR752E SPOOL STATEMENT INCOMPLETE"),
        ("USER A B 1M\nUSER A C 1M\n", 2, "DMKDIR755E DUPLICATE USERID - A"),
        ("USER A B 2M 1M\n", 1, "DMKDIR751E INVALID OPERAND - 1M"),
        ("USER A B 1M 1M Q\n", 1, "DMKDIR751E INVALID OPERAND - Q"),
        ("USER A\n", 1, "DMKDIR752E USER STATEMENT INCOMPLETE"),
        ("USER A B 1M\n LINK MAINT 190 190 ZZ\n", 2, "DMKDIR751E INVALID OPERAND - ZZ"),
    ],
)
def test_bad_statement_names_line(text, line, message):
    with pytest.raises(DirectoryError) as err:
        parse(text)
    assert err.value.errors == [f"USER DIRECT LINE {line}: {message}"]


def test_all_errors_reported():
    with pytest.raises(DirectoryError) as err:
        parse("USER A B 1M\n BAD\n * comment\n WORSE\n")
    assert [e.split(":")[0] for e in err.value.errors] == [
        "USER DIRECT LINE 2",
        "USER DIRECT LINE 4",
    ]


def test_sequence_numbers_in_columns_73_80_ignored():
    card = "USER A B 1M".ljust(72) + "00000010"
    assert parse(card + "\n").get("A").storage == 1 << 20


def test_embedded_default_directory(tmp_path):
    from cp.sysdir import embedded_directory_text

    (tmp_path / "user.direct").write_text(embedded_directory_text())
    d = load(tmp_path / "user.direct")
    assert d.get("MAINT").classes == "ABCDEFG"
    assert {m.vaddr for m in d.get("MAINT").mdisks} >= {0x190, 0x19E}
    assert d.get("OPERATOR").classes == "AB"
    assert d.get("CMSBATCH") is not None
    for user in ("CMSUSER", "ALICE", "BOB"):
        assert d.get(user).classes == "G" and d.get(user).mdisk(0x191) is not None


def test_plain_and_hashed_passwords():
    assert check_password("SECRET", "secret")
    assert not check_password("SECRET", "other")
    assert not check_password("NOLOG", "NOLOG")
    hashed = hash_password("Secret")
    assert hashed.startswith("$PBKDF2$")
    assert check_password(hashed, "SECRET") and not check_password(hashed, "SECRE")
    d = parse(f"USER H {hashed} 1M\n")
    assert d.get("H").password == hashed  # the hash keeps its case
    assert not check_password("$PBKDF2$bad", "x")
