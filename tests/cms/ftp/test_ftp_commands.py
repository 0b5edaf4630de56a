"""The FTP and SRVRFTP commands' operands and SRVRFTP CONFIG, on CMS."""

from cms.fs import Disk
from s390.ebcdic import card
from tests.cms.fakes import FakeServices, run_session


async def session(*lines, config=None):
    s = FakeServices(script=["ACCESS (NOPROF", *lines])
    s.add_disk(0x191)
    if config is not None:
        Disk.open(s.disks[0x191]).write_file("SRVRFTP", "CONFIG", [card(x) for x in config])
    await run_session(s)
    return s.lines


async def test_a_bad_srvrftp_config_statement_is_named():
    lines = await session("SRVRFTP", config=["* comment", "PORT 21", "PASSIVEPORTRANGE 9 1"])
    assert "DMSFTS002E INVALID STATEMENT IN SRVRFTP CONFIG: 'PASSIVEPORTRANGE 9 1'" in lines
    lines = await session("SRVRFTP", config=["LISTEN NOW"])
    assert "DMSFTS002E INVALID STATEMENT IN SRVRFTP CONFIG: 'LISTEN NOW'" in lines


async def test_operands_are_checked_before_the_network_is_used():
    lines = await session("FTP HOST 99999", "SRVRFTP 0", "FTP A B C")
    assert "DMSFTP070E INVALID PARAMETER '99999'" in lines
    assert "DMSFTS070E INVALID PARAMETER '0'" in lines
    assert "DMSFTP070E INVALID PARAMETER 'C'" in lines


async def test_without_a_nic_ftp_says_why():
    lines = await session("FTP FTPSERVE")
    assert lines[-2].startswith("No NIC is defined for this virtual machine"), lines
    assert lines[-1].startswith("Ready(")
