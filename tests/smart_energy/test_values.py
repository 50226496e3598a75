"""Smart Energy numbers as Home Assistant values."""

from __future__ import annotations

from decimal import Decimal

from homeassistant.components.sensor import SensorDeviceClass
import pytest

from custom_components.se_gateway.core.clusters.types import (
    MeteringDeviceType,
    UnitOfMeasure,
)
from custom_components.se_gateway.smart_energy.values import (
    currency_code,
    demand_quantity,
    drlc_attributes,
    price_unit,
    price_value,
    summation_quantity,
)

from .records import drlc, price

GAS = int(MeteringDeviceType.Gas_Metering)
WATER = int(MeteringDeviceType.Water_Metering)
MIRRORED_GAS = GAS + 127


@pytest.mark.parametrize(
    ("numeric", "code"), [(978, "EUR"), (826, "GBP"), (999, None), (1, None)]
)
def test_currency_codes(numeric: int, code: str | None) -> None:
    assert currency_code(numeric) == code


def test_price_value_applies_the_trailing_digit() -> None:
    assert price_value(price(price=1234, price_trailing_digit=2)) == Decimal("12.34")
    assert price_value(price(price=7, price_trailing_digit=0)) == 7


@pytest.mark.parametrize(
    ("unit_of_measure", "currency", "unit"),
    [
        (int(UnitOfMeasure.Kwh_and_Kwh_binary), 978, "EUR/kWh"),
        (int(UnitOfMeasure.Cubic_Meter_and_Cubic_Meter_per_Hour_binary), 826, "GBP/m³"),
        (int(UnitOfMeasure.Ccf_and_Ccf_per_Hour_binary), 840, "USD/CCF"),
        (0x0B, 978, "EUR"),  # unitless
        (int(UnitOfMeasure.Kwh_and_Kwh_binary), 999, None),
    ],
)
def test_price_units(unit_of_measure: int, currency: int, unit: str | None) -> None:
    record = price(unit_of_measure=unit_of_measure, currency=currency)
    assert price_unit(record) == unit


@pytest.mark.parametrize(
    ("unit_of_measure", "device_type", "expected"),
    [
        (0x00, 0, ("kWh", SensorDeviceClass.ENERGY)),
        (0x80, 0, ("kWh", SensorDeviceClass.ENERGY)),  # BCD kWh
        (0x0C, 0, ("MJ", SensorDeviceClass.ENERGY)),
        (0x01, GAS, ("m³", SensorDeviceClass.GAS)),
        (0x01, MIRRORED_GAS, ("m³", SensorDeviceClass.GAS)),
        (0x07, WATER, ("L", SensorDeviceClass.WATER)),
        (0x01, None, ("m³", None)),
        (0x05, WATER, ("imp gal", None)),
        (0x0B, 0, (None, None)),
    ],
)
def test_summation_quantities(
    unit_of_measure: int,
    device_type: int | None,
    expected: tuple[str | None, SensorDeviceClass | None],
) -> None:
    assert summation_quantity(unit_of_measure, device_type) == expected


@pytest.mark.parametrize(
    ("unit_of_measure", "expected"),
    [
        (0x00, ("kW", SensorDeviceClass.POWER)),
        (0x80, ("kW", SensorDeviceClass.POWER)),  # BCD kW
        (0x01, ("m³/h", SensorDeviceClass.VOLUME_FLOW_RATE)),
        (0x07, ("L/h", SensorDeviceClass.VOLUME_FLOW_RATE)),
        (0x04, ("gal/h", SensorDeviceClass.VOLUME_FLOW_RATE)),
        (0x02, ("ft³/h", None)),  # HA has no cubic feet per hour
        (0x0C, ("MJ/s", None)),
        (0x0B, (None, None)),
    ],
)
def test_demand_quantities(
    unit_of_measure: int, expected: tuple[str | None, SensorDeviceClass | None]
) -> None:
    assert demand_quantity(unit_of_measure) == expected


def test_drlc_attributes_in_degrees_and_percent() -> None:
    attributes = drlc_attributes(
        drlc(
            cooling_temperature_set_point=-250,
            heating_temperature_offset=5,
            average_load_adjustment_percentage=-20,
            duty_cycle=0xFF,
        )
    )
    assert attributes["cooling_temperature_set_point"] == -2.5
    assert attributes["heating_temperature_set_point"] == 18.5
    assert attributes["heating_temperature_offset"] == 0.5
    assert attributes["cooling_temperature_offset"] == 1.5
    assert attributes["average_load_adjustment_percentage"] == -20
    assert attributes["duty_cycle"] is None
