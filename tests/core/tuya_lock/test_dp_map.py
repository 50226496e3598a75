"""Tests of the lock DP table and its decoders."""

from __future__ import annotations

import pytest

from custom_components.se_gateway.core.tuya_lock import dp_map
from custom_components.se_gateway.core.tuya_lock.datapoints import (
    SENSITIVE_DPS,
    bitmap_dp,
    bool_dp,
    enum_dp,
    raw_dp,
    string_dp,
    value_dp,
)
from custom_components.se_gateway.core.tuya_lock.dp_map import (
    DEFAULT_LOCK_DP_MAP,
    DpKind,
    DpRow,
    LockAlarm,
    UnlockMethod,
)


@pytest.mark.parametrize(
    ("dpid", "method"),
    [
        (1, UnlockMethod.FINGERPRINT),
        (2, UnlockMethod.PASSWORD),
        (3, UnlockMethod.TEMPORARY_PASSWORD),
        (4, UnlockMethod.DYNAMIC_PASSWORD),
        (5, UnlockMethod.CARD),
        (6, UnlockMethod.FACE),
        (7, UnlockMethod.MECHANICAL_KEY),
        (36, UnlockMethod.INSIDE),
        (40, UnlockMethod.APP),
        (41, UnlockMethod.APP),
        (45, UnlockMethod.HAND),
        (62, UnlockMethod.VOICE),
    ],
)
def test_unlock_rows(dpid: int, method: UnlockMethod) -> None:
    row = DEFAULT_LOCK_DP_MAP[dpid]
    assert row.kind is DpKind.UNLOCK
    assert row.unlock_method is method


@pytest.mark.parametrize(
    ("dpid", "kind"),
    [
        (8, DpKind.DOOR_STATE),
        (9, DpKind.ALARM),
        (10, DpKind.BATTERY),
        (12, DpKind.CONFIG),
        (14, DpKind.DOORBELL),
        (16, DpKind.CONFIG),
        (19, DpKind.CONFIG),
        (21, DpKind.COMMAND),
        (22, DpKind.REMOTE_UNLOCK_RESULT),
        (23, DpKind.CONFIG),
        (24, DpKind.CREDENTIAL),
        (39, DpKind.CREDENTIAL),
        (35, DpKind.DURESS),
        (47, DpKind.STATE),
        (48, DpKind.CREDENTIAL),
        (49, DpKind.REMOTE_UNLOCK_RESULT),
        (54, DpKind.CREDENTIAL),
        (55, DpKind.CREDENTIAL),
        (57, DpKind.STATE),
        (58, DpKind.CREDENTIAL),
        (59, DpKind.CREDENTIAL),
        (60, DpKind.CREDENTIAL),
        (71, DpKind.CONFIG),
        (76, DpKind.CONFIG),
        (93, DpKind.CREDENTIAL),
        (103, DpKind.COMMAND),
    ],
)
def test_other_rows(dpid: int, kind: DpKind) -> None:
    assert DEFAULT_LOCK_DP_MAP[dpid].kind is kind


def test_table_is_keyed_by_its_rows_and_read_only() -> None:
    assert all(dpid == row.dpid for dpid, row in DEFAULT_LOCK_DP_MAP.items())
    assert len(DEFAULT_LOCK_DP_MAP) == len(dp_map.LOCK_DP_ROWS)
    with pytest.raises(TypeError):
        DEFAULT_LOCK_DP_MAP[1] = DEFAULT_LOCK_DP_MAP[2]  # type: ignore[index]


def test_no_remote_unlock_request_row_by_default() -> None:
    kinds = {row.kind for row in DEFAULT_LOCK_DP_MAP.values()}
    assert DpKind.REMOTE_UNLOCK_REQUEST not in kinds


def test_with_rows_adds_a_product_row() -> None:
    row = DpRow(50, "unlock_request", DpKind.REMOTE_UNLOCK_REQUEST, dp_map.number)
    product = dp_map.with_rows(DEFAULT_LOCK_DP_MAP, row)
    assert product[50] is row
    assert 50 not in DEFAULT_LOCK_DP_MAP
    assert product[1] is DEFAULT_LOCK_DP_MAP[1]


def test_sensitive_rows() -> None:
    sensitive = {dpid for dpid, row in DEFAULT_LOCK_DP_MAP.items() if row.sensitive}
    assert sensitive == SENSITIVE_DPS
    assert {21, 24, 25, 26, 27, 28, 48, 49, 54, 68, 69, 70, 103} == SENSITIVE_DPS


def test_alarm_values() -> None:
    assert [alarm.name for alarm in LockAlarm] == [
        "WRONG_FINGER",
        "WRONG_PASSWORD",
        "WRONG_CARD",
        "WRONG_FACE",
        "TONGUE_BAD",
        "TOO_HOT",
        "UNCLOSED_TIME",
        "TONGUE_NOT_OUT",
        "PRY",
        "KEY_IN",
        "LOW_BATTERY",
        "POWER_OFF",
        "SHOCK",
        "DEFENSE",
    ]
    assert dp_map.alarm(enum_dp(9, 8)) is LockAlarm.PRY
    unknown = dp_map.alarm(enum_dp(9, 42))
    assert unknown == 42
    assert not isinstance(unknown, LockAlarm)
    assert dp_map.alarm(raw_dp(9, b"\x08")) is None


def test_number_and_flag() -> None:
    assert dp_map.number(value_dp(10, 80)) == 80
    assert dp_map.number(bitmap_dp(5, 3)) == 3
    assert dp_map.number(bool_dp(8, True)) == 1
    assert dp_map.number(string_dp(3, "80")) is None
    assert dp_map.flag(bool_dp(8, False)) is False
    assert dp_map.flag(enum_dp(8, 2)) is True
    assert dp_map.flag(raw_dp(8, b"\x01")) is None


def test_user_id() -> None:
    assert dp_map.user_id(value_dp(1, 999)) == 999
    assert dp_map.user_id(bool_dp(36, True)) == 0
    assert dp_map.user_id(bool_dp(36, False)) is None
    assert dp_map.user_id(raw_dp(1, b"\x01")) is None
    assert dp_map.opaque(raw_dp(54, b"\x01\x02")) == b"\x01\x02"


def test_credential_readers_keep_what_they_cannot_read() -> None:
    assert dp_map.key_answer(raw_dp(48, b"\x00\x00\x01")).status == 0  # type: ignore[union-attr]
    assert dp_map.key_answer(raw_dp(48, b"\x00")) == b"\x00"
    assert dp_map.key_unlock_result(raw_dp(49, b"\x05\x00\x01")) is False
    assert dp_map.key_unlock_result(raw_dp(49, b"\x00")) is None
    assert dp_map.password_answer(raw_dp(24, b"\x01")) == b"\x01"
    assert dp_map.enrolment(raw_dp(54, b"\x01")) == b"\x01"
    assert dp_map.deletion(raw_dp(55, b"\x01")) == b"\x01"
    assert dp_map.id_list(raw_dp(58, b"\x00\x01")) == b"\x00\x01"
    assert dp_map.id_list(raw_dp(58, b"\x01\x01")) == frozenset({0})
