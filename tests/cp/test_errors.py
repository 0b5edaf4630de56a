"""CP's refusals carry their message id and return code (cp.errors)."""

from cp.errors import CommandError, CPError, DeviceError
from cp.services import DeviceError as ServicesDeviceError


def test_a_cp_message_is_split_into_its_id_and_text():
    err = DeviceError("DMKDIA040E DEV 191 DOES NOT EXIST", 40)
    assert (err.msgid, err.text, err.rc) == ("DMKDIA040E", "DEV 191 DOES NOT EXIST", 40)
    assert str(err) == "DMKDIA040E DEV 191 DOES NOT EXIST"
    assert isinstance(err, CPError) and ServicesDeviceError is DeviceError


def test_a_message_without_an_id_has_none():
    err = CommandError("SYSTEM RESET", 0)
    assert err.msgid == "" and err.text == "SYSTEM RESET"


def test_cms_knows_cps_refusals_by_class_not_by_text():
    from cms.nucleus import is_cp_refusal

    assert is_cp_refusal(DeviceError("DMKDIA036E DASD 191 IS READ-ONLY", 36))

    class LooksLikeCP(Exception):
        rc = 36

    assert not is_cp_refusal(LooksLikeCP("DMKDIA036E DASD 191 IS READ-ONLY"))
