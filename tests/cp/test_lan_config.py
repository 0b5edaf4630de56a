"""SYSTEM LANs defined by system.config (z/VM SYSTEM CONFIG DEFINE LAN) and
the default system's LAN LOCALNET, which the default users' NICs couple to."""

import pytest

from cp import sysdir
from cp.devices.realdevices import ConfigError
from tests.cp.cpkit import command, logon, make_system
from tests.cp.lankit import LAN_DIRECT


def test_define_lan_in_system_config_exists_at_start(tmp_path):
    config = tmp_path / "system.config"
    config.write_text("* LANs\nDEFINE LAN GLAN OWNERID SYSTEM TYPE QDIO MAXCONN 5 RESTRICTED\n")
    system = make_system(tmp_path, LAN_DIRECT)
    lan = system.lans.find("SYSTEM", "GLAN")
    assert lan is not None and lan.maxconn == 5 and lan.restricted and lan.persistent
    maint_terminal, maint = logon(system, "MAINT")
    assert command(maint, maint_terminal, "QUERY LAN GLAN")[0].startswith("LAN SYSTEM GLAN")
    # The next start keeps it (PERSISTENT, lans.json) and the statement adds nothing twice.
    again = make_system(tmp_path, LAN_DIRECT)
    assert [key for key in again.lans.lans if key[1] == "GLAN"] == [("SYSTEM", "GLAN")]


def test_a_nicdef_couples_to_a_configured_lan_at_logon(tmp_path):
    (tmp_path / "system.config").write_text("DEFINE LAN GLAN\n")
    system = make_system(tmp_path, LAN_DIRECT)
    terminal, _ = logon(system, "ALICE")
    assert "NIC 0500 is connected to LAN SYSTEM GLAN" in terminal.take()


@pytest.mark.parametrize(
    "line",
    [
        "DEFINE LAN",
        "DEFINE LAN TOOLONGNAME",
        "DEFINE LAN X TYPE TOKENRING",
        "DEFINE LAN X MFS 1234",
        "DEFINE LAN X OWNERID ALICE",
        "DEFINE NIC 600",
    ],
)
def test_a_bad_define_lan_statement_is_named(tmp_path, line):
    (tmp_path / "system.config").write_text(f"* LANs\n{line}\n")
    with pytest.raises(ConfigError, match="line 2"):
        make_system(tmp_path, LAN_DIRECT)


def test_the_default_system_has_localnet_and_its_users_nics(tmp_path):
    target = tmp_path / "sys"
    made = sysdir.init(target)
    assert str(target / "system.config") in made
    assert "DEFINE LAN LOCALNET OWNERID SYSTEM" in (target / "system.config").read_text()
    directory = sysdir.read_directory(target)
    with_nics = {e.userid for e in directory if e.nics}
    assert {"MAINT", "CMSUSER", "ALICE", "BOB"} <= with_nics
    for userid in with_nics:
        (nic,) = directory.get(userid).nics
        assert (nic.lan_owner, nic.lan_name) == ("SYSTEM", "LOCALNET")
    system = make_system_from(target)  # the first start of the default system
    assert system.lans.find("SYSTEM", "LOCALNET") is not None


def make_system_from(path):
    from cp.security import GuessPolicy, Safeguards
    from cp.system import System

    return System(path, safeguards=Safeguards(link=GuessPolicy(delay=0.0)))
