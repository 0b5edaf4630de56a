"""Fixtures of the CMS tests."""

import pytest_asyncio

from tests.cms.cmskit import make_cms_system


@pytest_asyncio.fixture
async def system(tmp_path):
    """A running system with the CMS system disks and the users of cmskit.DIRECT
    (shut down inside the event loop, as the entry points do)."""
    sysm = make_cms_system(tmp_path)
    yield sysm
    sysm.shutdown()
