"""A CMS user sends SMSG (CP SMSG from CMS) to a service machine running an
S/370 program that takes it through VMCF (DIAGNOSE X'68', external
interruption X'4001') and answers with MSG."""

from __future__ import annotations

import asyncio

import pytest

from tests.cms.cmskit import DIRECT, User, make_cms_system
from tests.cp.guestkit import SERVICE_MACHINE, ipl_deck

pytest.importorskip("s390.cpu")

SVM_DIRECT = (
    DIRECT
    + """\
USER SVM SVM 1M 2M G
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
"""
)


async def test_a_cms_user_smsgs_a_service_machine_and_gets_its_answer(tmp_path):
    system = make_cms_system(tmp_path, SVM_DIRECT)
    try:
        system.spool.add_closed(
            "OPERATOR", "PUN", [(0x01, c) for c in ipl_deck(SERVICE_MACHINE)], owner="SVM"
        )
        svm = User(system, "SVM", "SVM")
        svm.session.enter("IPL 00C")
        for _ in range(1000):
            if system.vmcf.user("SVM") is not None:
                break
            await asyncio.sleep(0.01)
        alice = User(system, "ALICE", "ALICE")
        await alice.cms()
        out = await alice.type("CP SMSG SVM WHAT TIME IS IT", until="Ready")
        assert not any(line.startswith("DMK") for line in out), out
        for _ in range(1000):
            if any("MSG FROM SVM" in line for line in alice.lines):
                break
            await asyncio.sleep(0.01)
        answer = next(line for line in alice.lines if "MSG FROM SVM" in line)
        assert answer.endswith("MSG FROM SVM     : GOT WHAT TIME IS IT")
    finally:
        system.shutdown()
