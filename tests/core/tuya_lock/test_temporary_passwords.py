"""Temporary password codecs (DPs 24-28, 39)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.se_gateway.core.tuya_lock import temporary_passwords as tp
from custom_components.se_gateway.core.tuya_lock.datapoints import (
    encode_datapoint,
    raw_dp,
)

START = datetime(2026, 9, 8, 9, 49, 51, tzinfo=UTC)  # 0x6a9fda3f
END = START + timedelta(days=1)  # 0x6aa12bbf


def test_captured_extended_create() -> None:
    # A one-time password created on a _TYST12_srptwvak lock, as its module sent
    # it (EDIT-Aeterna/tuya-zigbee-lock-local, tests/fixtures/target_srptwvak/
    # temporary_password/dp24_one_time.json).
    captured = bytes.fromhex(
        "1800 001b 03e3 0001 0000 6a9fda3f 6aa12bbf 000000000000 01 353831393933"
    )
    password = tp.TemporaryPassword(
        tp.PasswordRef(0x03E3, 1), "581993", START, END, one_time=True
    )
    datapoint = tp.create_datapoint(tp.PasswordLayout.EXTENDED, password)
    assert encode_datapoint(datapoint) == captured
    assert "581993" not in repr(password)


def test_generic_create_and_modify_are_21_bytes() -> None:
    password = tp.TemporaryPassword(tp.PasswordRef(1, 2, 3), "123456", START, END)
    create = tp.create_datapoint(tp.PasswordLayout.GENERIC, password)
    assert create.raw == bytes.fromhex(
        "0001 0002 0003 6a9fda3f 6aa12bbf 00 313233343536"
    )
    modify = tp.modify_datapoint(tp.PasswordLayout.GENERIC, password)
    assert (modify.dpid, modify.raw) == (26, create.raw)


@pytest.mark.parametrize(
    ("digits", "start", "end"), [("12345", START, END), ("123456", END, START)]
)
def test_bad_passwords_are_refused(digits: str, start: datetime, end: datetime) -> None:
    password = tp.TemporaryPassword(tp.PasswordRef(1), digits, start, end)
    with pytest.raises(ValueError, match="temporary password"):
        tp.create_datapoint(tp.PasswordLayout.GENERIC, password)


@pytest.mark.parametrize("dpid", [25, 27, 28, 39])
def test_references(dpid: int) -> None:
    datapoint = tp.reference_datapoint(dpid, tp.PasswordRef(0x03E3, 1, 2))
    assert datapoint == raw_dp(dpid, bytes.fromhex("03e3 0001 0002"))


def test_only_reference_dps_take_a_reference() -> None:
    with pytest.raises(ValueError, match="DP 24"):
        tp.reference_datapoint(24, tp.PasswordRef(1))


def test_answers() -> None:
    answer = tp.decode_answer(bytes.fromhex("03e3 0001 0000 01"))
    assert answer == tp.PasswordAnswer(tp.PasswordRef(0x03E3, 1, 0), 1)
    assert answer is not None
    assert answer.success
    full = tp.decode_answer(bytes.fromhex("03e3 0001 0000 03"))
    assert full is not None
    assert full.result == tp.PasswordResult.FULL
    assert not full.success
    assert tp.decode_answer(b"\x01") is None
