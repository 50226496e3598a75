"""Enrolment (DP 54), deletion (DP 55) and credential id lists (58-60, 93)."""

from __future__ import annotations

import pytest

from custom_components.se_gateway.core.tuya_lock import enrolment as en
from custom_components.se_gateway.core.tuya_lock.datapoints import encode_datapoint


def test_captured_enrolment_request() -> None:
    # A password enrolment started from the app on a _TYST12_srptwvak lock
    # (EDIT-Aeterna/tuya-zigbee-lock-local, tests/fixtures/target_srptwvak/
    # credential_add_password/dp54_sequence.json): type 1, stage 0, admin,
    # member 1, hardware id 999.
    captured = bytes.fromhex("3600 0007 01 00 01 0001 03e7")
    credential = en.Credential(en.CredentialType.PASSWORD, 1, 999, administrator=True)
    assert encode_datapoint(en.enrol_datapoint(credential)) == captured


def test_cancel_and_delete_requests() -> None:
    credential = en.Credential(en.CredentialType.FINGERPRINT, 2, 5)
    cancel = en.enrol_datapoint(credential, en.Stage.CANCELLED)
    assert cancel.raw == bytes.fromhex("03 fe 00 0002 0005")
    one = en.delete_datapoint(credential)
    assert (one.dpid, one.raw) == (55, bytes.fromhex("03 00 00 0002 0005 01"))
    every = en.delete_datapoint(credential, all_of_member=True)
    assert every.raw[-1] == 0


def test_reports() -> None:
    done = en.decode_enrolment(bytes.fromhex("03 ff 00 0002 0011 03 01"))
    assert done == en.EnrolmentReport(en.Credential(3, 2, 17), en.Stage.DONE, 3, 1)
    deleted = en.decode_delete(bytes.fromhex("03 00 00 0002 0011 01 ff"))
    assert deleted == en.DeleteReport(
        en.Credential(3, 2, 17), 1, en.DeleteResult.SUCCESS
    )
    assert en.decode_enrolment(b"\x00") is None
    assert en.decode_delete(b"\x00") is None


# Lists reported by TZLL's locks (EDIT-Aeterna/tuya-zigbee-lock-local,
# docs/lock-profiles/ujcjk46o.md).
@pytest.mark.parametrize(
    ("raw", "ids"),
    [
        ("010a0302", {1, 3, 17}),
        ("0104026c", {2, 10, 11, 13, 14}),
        ("01010280", {0, 15}),
        ("02100301", {12, 16}),
        ("0240", {14}),
        ("0000", set()),
    ],
)
def test_credential_id_lists(raw: str, ids: set[int]) -> None:
    assert en.decode_id_list(bytes.fromhex(raw)) == ids


@pytest.mark.parametrize("raw", ["", "01", "0001", "000001ff"])
def test_malformed_id_lists(raw: str) -> None:
    assert en.decode_id_list(bytes.fromhex(raw)) is None
