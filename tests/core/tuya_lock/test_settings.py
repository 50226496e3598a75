"""Tests of the lock settings table and the product tables."""

from __future__ import annotations

import pytest

from custom_components.se_gateway.core.tuya_lock.datapoints import (
    DpType,
    bool_dp,
    enum_dp,
    value_dp,
)
from custom_components.se_gateway.core.tuya_lock.dp_map import (
    DEFAULT_LOCK_DP_MAP,
    DpKind,
    number,
)
from custom_components.se_gateway.core.tuya_lock.products import (
    DEFAULT_PRODUCT,
    dp_map_for,
    settings_for,
)
from custom_components.se_gateway.core.tuya_lock.settings import (
    ARMING,
    AUTO_LOCK_TIME,
    NORMAL_OPEN,
    REMOTE_UNLOCK_SWITCH,
    REVERSE_LOCK,
    VOLUME,
)


def test_settings_encode_writes() -> None:
    assert REVERSE_LOCK.datapoint(True) == bool_dp(12, True)
    assert AUTO_LOCK_TIME.datapoint(30) == value_dp(19, 30)
    assert VOLUME.datapoint("mute") == enum_dp(31, 0)
    assert VOLUME.datapoint("high").type == DpType.ENUM


@pytest.mark.parametrize("seconds", [-1, 1801])
def test_number_setting_refuses_values_out_of_range(seconds: int) -> None:
    with pytest.raises(ValueError, match="auto_lock_time must be 0-1800"):
        AUTO_LOCK_TIME.datapoint(seconds)


def test_select_setting_refuses_unknown_options() -> None:
    with pytest.raises(ValueError, match="loud"):
        VOLUME.datapoint("loud")


def test_settings_read_reports() -> None:
    assert REVERSE_LOCK.read(1) is True
    assert REVERSE_LOCK.read(0) is False
    assert AUTO_LOCK_TIME.read(45) == 45
    assert VOLUME.read(1) == "low"
    assert VOLUME.read(4) is None
    assert VOLUME.read(-1) is None
    assert AUTO_LOCK_TIME.read(None) is None
    assert REVERSE_LOCK.read(b"\x01") is None


def test_setting_rows_report_config() -> None:
    row = VOLUME.row
    assert (row.dpid, row.name, row.kind) == (31, "volume", DpKind.CONFIG)
    assert row.decode(enum_dp(31, 3)) == 3
    assert row.decode is number


def test_products_list_their_settings() -> None:
    assert settings_for("_TYST12_snr3p274") == ()
    assert settings_for("_TYST12_j2pnjbsd") == (
        REVERSE_LOCK,
        REMOTE_UNLOCK_SWITCH,
        ARMING,
        NORMAL_OPEN,
    )
    assert dp_map_for("_TYST12_snr3p274") == DEFAULT_LOCK_DP_MAP


def test_unknown_locks_have_every_default_setting_in_their_map() -> None:
    settings = settings_for("_TYST12_unknown1")
    assert (
        settings == DEFAULT_PRODUCT.settings == (REVERSE_LOCK, AUTO_LOCK_TIME, VOLUME)
    )
    assert settings_for(None) == settings
    dp_map = dp_map_for("_TZF320_unknown2")
    for setting in settings:
        assert dp_map[setting.dpid].name == setting.key
        assert dp_map[setting.dpid].kind is DpKind.CONFIG
    assert 31 not in DEFAULT_LOCK_DP_MAP
