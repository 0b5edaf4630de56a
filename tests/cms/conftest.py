"""Fixtures of the CMS tests."""
import pytest

from tests.cms.cmskit import make_cms_system


@pytest.fixture
def system(tmp_path):
    """A running system with the CMS system disks and the users of cmskit.DIRECT."""
    sysm = make_cms_system(tmp_path)
    yield sysm
    sysm.shutdown()
