"""Metering helpers: raw readings to values, display formatting, status bits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from zigpy.zcl.clusters.smartenergy import NumberFormatting

from custom_components.se_gateway.core.clusters import metering, types as se_t

UNIT = se_t.UnitOfMeasure


@pytest.mark.parametrize(
    ("raw", "multiplier", "divisor", "unit", "expected"),
    [
        (123456, 1, 1000, UNIT.Kwh_and_Kwh_binary, Decimal("123.456")),
        (123456, 0, 0, UNIT.Kwh_and_Kwh_binary, Decimal(123456)),
        (5, 3, 2, UNIT.Cubic_Meter_and_Cubic_Meter_per_Hour_binary, Decimal("7.5")),
        (0x123456, 1, 100, UNIT.Kwh_and_Kwh_bcd, Decimal("1234.56")),
        (0, 1, 1, UNIT.Kwh_and_Kwh_bcd, Decimal(0)),
    ],
)
def test_metered_value(
    raw: int, multiplier: int, divisor: int, unit: int, expected: Decimal
) -> None:
    assert metering.metered_value(raw, multiplier, divisor, unit) == expected


def test_metered_value_defaults_to_binary_units() -> None:
    assert metering.metered_value(0x10, 1, 1) == 16


def test_bcd_rejects_non_decimal_digits() -> None:
    with pytest.raises(ValueError, match="0xA is not a BCD digit"):
        metering.decode_bcd(0x1A)


@pytest.mark.parametrize(
    ("formatting", "value", "expected"),
    [
        # right digits (bits 0-2), left digits (bits 3-6), suppress zeros (bit 7)
        (NumberFormatting(0b0_0110_011), Decimal("12.3456"), "000012.346"),
        (NumberFormatting(0b1_0110_011), Decimal("12.3456"), "12.346"),
        (NumberFormatting(0b0_0100_000), Decimal("7.6"), "0008"),
        (NumberFormatting(0b1_0100_000), Decimal("7.4"), "7"),
        (NumberFormatting(0b0_0011_010), Decimal("-1.5"), "-01.50"),
    ],
)
def test_format_metered_value(
    formatting: NumberFormatting, value: Decimal, expected: str
) -> None:
    assert metering.format_metered_value(value, formatting) == expected


@pytest.mark.parametrize(
    ("device_type", "status_type", "bit_0x80"),
    [
        (se_t.MeteringDeviceType.Electric_Metering, se_t.MeteringStatus, "Reserved"),
        (se_t.MeteringDeviceType.Gas_Metering, se_t.GasMeteringStatus, "Reverse_Flow"),
        (
            se_t.MeteringDeviceType.Water_Metering,
            se_t.WaterMeteringStatus,
            "Reverse_Flow",
        ),
        (
            se_t.MeteringDeviceType.Heat_Metering,
            se_t.HeatCoolingMeteringStatus,
            "Flow_Sensor",
        ),
        (
            se_t.MeteringDeviceType.Cooling_Metering,
            se_t.HeatCoolingMeteringStatus,
            "Flow_Sensor",
        ),
        (
            se_t.MeteringDeviceType.Mirrored_Gas_Metering,
            se_t.GasMeteringStatus,
            "Reverse_Flow",
        ),
        (
            se_t.MeteringDeviceType.PV_Generation_Metering,
            se_t.MeteringStatus,
            "Reserved",
        ),
    ],
)
def test_metering_status_by_device_type(
    device_type: int, status_type: type, bit_0x80: str
) -> None:
    status = metering.metering_status(0x81, device_type)

    assert type(status) is status_type
    assert status_type.Check_Meter in status
    assert getattr(status_type, bit_0x80) in status


@pytest.mark.parametrize(
    ("unit", "summation", "demand"),
    [
        (UNIT.Kwh_and_Kwh_binary, "kWh", "kW"),
        (UNIT.Kwh_and_Kwh_bcd, "kWh", "kW"),
        (UNIT.Cubic_Meter_and_Cubic_Meter_per_Hour_binary, "m³", "m³/h"),
        (UNIT.Kvar_and_Kvarh_binary, "kvarh", "kvar"),
        (UNIT.Unitless_binary, None, None),
        (0x42, None, None),
    ],
)
def test_units(unit: int, summation: str | None, demand: str | None) -> None:
    assert metering.summation_unit(unit) == summation
    assert metering.demand_unit(unit) == demand
