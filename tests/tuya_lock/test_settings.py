"""Tests of the lock settings table and the product tables."""

from __future__ import annotations

import pytest

from custom_components.se_gateway.quirks.tuya_lock.datapoints import (
    DpType,
    bool_dp,
    enum_dp,
    value_dp,
)
from custom_components.se_gateway.quirks.tuya_lock.dp_map import (
    DEFAULT_LOCK_DP_MAP,
    DpKind,
    number,
)
from custom_components.se_gateway.quirks.tuya_lock.products import (
    SIMULATED_LOCK,
    dp_map_for,
    settings_for,
)
from custom_components.se_gateway.quirks.tuya_lock.settings import (
    AUTO_LOCK_TIME,
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


def test_products_without_a_table_have_no_settings() -> None:
    assert settings_for("_TYST12_snr3p274") == ()
    assert settings_for(None) == ()
    assert dp_map_for(None) is DEFAULT_LOCK_DP_MAP


def test_the_simulated_product_has_every_setting_in_its_map() -> None:
    settings = settings_for(SIMULATED_LOCK)
    assert settings == (REVERSE_LOCK, AUTO_LOCK_TIME, VOLUME)
    dp_map = dp_map_for(SIMULATED_LOCK)
    for setting in settings:
        assert dp_map[setting.dpid].name == setting.key
        assert dp_map[setting.dpid].kind is DpKind.CONFIG
    assert 31 not in DEFAULT_LOCK_DP_MAP
