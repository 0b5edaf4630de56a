"""EXECIO DISKR gives an EXEC the records of a file as they are: a V
record's every byte (binary data served by WEBSERV EXEC, say), an F
record without the blanks that pad it."""

from tests.cms.cmskit import User
from tests.cms.netkit import write_exec


async def test_v_records_keep_trailing_control_characters_f_records_lose_padding(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await write_exec(
        alice,
        "ROUND",
        [
            "/* binary records through EXECIO */",
            "r.1 = 'C1'x || '1C1D1E1F'x; r.2 = 'C2'x || '25150D0540'x; r.0 = 2",
            "'EXECIO * DISKW BIN DATA A 1 V (STEM R. FINIS'",
            "'EXECIO * DISKR BIN DATA A (STEM B. FINIS'",
            "say b.0 c2x(b.1) c2x(b.2)",
            "f = left('C3'x, 10); 'EXECIO 1 DISKW PAD DATA A 1 F 10 (VAR F FINIS'",
            "'EXECIO 1 DISKR PAD DATA A (VAR G FINIS'",
            "say length(g) c2x(g)",
        ],
    )
    out = await alice.type("ROUND")
    assert "2 C11C1D1E1F C225150D0540" in out, out
    assert "1 C3" in out, out
