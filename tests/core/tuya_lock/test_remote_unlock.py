"""The remote unlock codecs: passwords, password-free keys and DP 22."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from custom_components.se_gateway.core.tuya_lock import remote_unlock as ru
from custom_components.se_gateway.core.tuya_lock.datapoints import (
    Datapoint,
    DpType,
    bool_dp,
    encode_datapoint,
    enum_dp,
    raw_dp,
    value_dp,
)

SRPTWVAK_LAYOUT = ru.KeyUnlockLayout(method_size=2, method=1, key_id=1)


def test_password_datapoints() -> None:
    assert ru.password_datapoint("123456") == raw_dp(21, b"123456")
    assert ru.password_datapoint("123456").type == DpType.RAW
    assert ru.password_8_datapoint("12345678") == raw_dp(103, b"12345678")


@pytest.mark.parametrize("password", ["12345", "1234567", "12345a", "١٢٣٤٥٦", ""])
def test_passwords_are_checked_without_echo(password: str) -> None:
    with pytest.raises(ValueError, match="6 digits") as info:
        ru.password_datapoint(password)
    assert not password or password not in str(info.value)


def test_captured_dp49_request() -> None:
    # The DP 49 unit a _TYST12_srptwvak module sent its MCU (EDIT-Aeterna/
    # tuya-zigbee-lock-local, tests/fixtures/target_srptwvak/remote_unlock/
    # dp49_request.json): 31 00 000d 01 0001 "24609936" 0001.
    captured = bytes.fromhex("3100000d010001323436303939333600 01".replace(" ", ""))
    key = ru.PasswordFreeKey(1, "24609936", 0, 1)
    assert encode_datapoint(ru.key_unlock_datapoint(SRPTWVAK_LAYOUT, key)) == captured


def test_key_set_is_21_bytes() -> None:
    when = datetime(2026, 9, 8, 9, 16, 26, tzinfo=UTC)
    key = ru.key_for(ru.GENERIC_KEY_LAYOUT, "01234567", when)
    datapoint = ru.key_set_datapoint(key)
    now = int(when.timestamp())
    assert datapoint.raw == (
        b"\x01\x00\x01"
        + (now - 300).to_bytes(4)
        + (now + 300).to_bytes(4)
        + b"\x00\x01"
        + b"01234567"
    )
    assert "01234567" not in repr(key)


def test_generic_dp49_is_15_bytes() -> None:
    key = ru.PasswordFreeKey(2, "76543210", 0, 1)
    datapoint = ru.key_unlock_datapoint(ru.GENERIC_KEY_LAYOUT, key)
    assert datapoint.raw == b"\x01\x00\x02" + b"76543210" + bytes(4)


def test_new_keys_are_random_digits() -> None:
    keys = {ru.new_key() for _ in range(20)}
    assert len(keys) > 1
    assert all(len(key) == 8 and key.isdigit() for key in keys)


def test_key_answers() -> None:
    # The captured answer to the DP 49 request above: status 0, key id 1.
    assert ru.decode_key_answer(bytes.fromhex("000001")) == ru.KeyAnswer(0, 1)
    assert ru.decode_key_answer(bytes.fromhex("000001")).success  # type: ignore[union-attr]
    assert not ru.KeyAnswer(ru.KeyStatus.OUTSIDE_VALIDITY, 1).success
    assert ru.decode_key_answer(b"\x00\x00") is None


@pytest.mark.parametrize(
    ("datapoint", "success"),
    [
        (bool_dp(22, True), True),
        (bool_dp(22, False), False),
        (enum_dp(22, 0), True),
        (enum_dp(22, 1), False),
        (value_dp(22, 0), True),
        (raw_dp(22, b"\x00\x00\x01"), True),
        (raw_dp(22, b"\x05"), False),
        (raw_dp(22, b""), None),
    ],
)
def test_remote_result(datapoint: Datapoint, success: bool | None) -> None:
    assert ru.remote_result(datapoint) is success
