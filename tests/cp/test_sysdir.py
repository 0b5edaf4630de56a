"""The system directory: vm370 init, completion on first start, the default path."""

from cp import sysdir
from cp.directory import load
from vm370.boot import make_system


def test_init_creates_from_the_embedded_default(tmp_path, capsys):
    target = tmp_path / "sys"
    assert sysdir.init_main(["--system", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"created {target / 'user.direct'}" in out
    assert (target / "user.direct").read_text() == sysdir.embedded_directory_text()
    for sub in ("disks", "spool", "log"):
        assert (target / sub).is_dir()
    assert not list((target / "disks").iterdir())  # images wait for the first start
    directory = load(target / "user.direct")
    sysdir.load_directory(target)  # the first start completes it
    images = sorted(p.name for p in (target / "disks").iterdir())
    expected = sorted(f"{e.userid}.{m.vaddr:03X}.img" for e in directory for m in e.mdisks)
    assert images == expected
    maint190 = target / "disks" / "MAINT.190.img"
    assert maint190.stat().st_size == directory.get("MAINT").mdisk(0x190).blocks * 512
    assert sysdir.init_main(["--system", str(target)]) == 0  # again: nothing to do
    assert "already holds a user directory" in capsys.readouterr().out


def test_directory_with_only_user_direct_is_completed(tmp_path):
    (tmp_path / "user.direct").write_text("USER SOLO PW 1M 1M G\n MDISK 191 3370 0 64 VOL1\n")
    formatted = []
    made = sysdir.complete(tmp_path, lambda image, owner, vaddr: formatted.append((owner, vaddr)))
    assert (tmp_path / "disks" / "SOLO.191.img").stat().st_size == 64 * 512
    assert formatted == [("SOLO", 0x191)]
    assert str(tmp_path / "disks" / "SOLO.191.img") in made
    assert sysdir.complete(tmp_path) == []  # idempotent


def test_bad_directory_is_refused_with_the_line(tmp_path, capsys):
    target = tmp_path / "sys"
    target.mkdir()
    (target / "user.direct").write_text("USER A B 1M\n MDISK 191 3370 0 10\n")
    assert sysdir.init_main(["--system", str(target)]) == 1
    assert "USER DIRECT LINE 2: DMKDIR752E MDISK STATEMENT INCOMPLETE" in capsys.readouterr().err


def test_default_path_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("VM370_SYSTEM", str(tmp_path / "elsewhere"))
    assert sysdir.default_path() == tmp_path / "elsewhere"


async def test_boot_formats_new_minidisks_for_cms(tmp_path):
    (tmp_path / "user.direct").write_text(
        "USER SOLO PW 1M 1M G\n CONSOLE 009 3215\n MDISK 191 3370 0 200 VOL1\n"
    )
    system = make_system(tmp_path)
    assert "CMS" in system.named_systems
    from cms.fs import Disk
    from cp.minidisk import Minidisk
    from vm370.boot import ImageBlocks

    with Minidisk(tmp_path / "disks" / "SOLO.191.img", read_only=True) as disk:
        assert Disk.open(ImageBlocks(disk)).label.volid == "SOL191"
