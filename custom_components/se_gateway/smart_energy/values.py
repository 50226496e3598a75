"""Smart Energy numbers as Home Assistant values: money, units, times, set points."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Final

from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.const import (
    UnitOfEnergy,
    UnitOfPower,
    UnitOfVolume,
    UnitOfVolumeFlowRate,
)

from ..core.clusters.drlc import (
    AVERAGE_LOAD_ADJUSTMENT_NOT_USED as LOAD_ADJUSTMENT_NOT_USED,
    DUTY_CYCLE_NOT_USED,
    TEMPERATURE_OFFSET_NOT_USED,
    TEMPERATURE_SET_POINT_NOT_USED as SET_POINT_NOT_USED,
)
from ..core.clusters.metering import BCD_UNIT, demand_unit, summation_unit
from ..core.clusters.types import (
    Currency,
    MeteringDeviceType,
    utc_time_to_datetime,
)
from ..core.engine import DrlcEvent, PriceEvent
from .iso4217 import letter_code

NO_CURRENCY: Final = int(Currency.XXX)
CURRENCY_CODES: Final = {int(currency): currency.name for currency in Currency}

# Metering units as Home Assistant spells them, where it has them.
HA_UNITS: Final = {
    "kWh": UnitOfEnergy.KILO_WATT_HOUR,
    "MJ": UnitOfEnergy.MEGA_JOULE,
    "m³": UnitOfVolume.CUBIC_METERS,
    "ft³": UnitOfVolume.CUBIC_FEET,
    "ccf": UnitOfVolume.CENTUM_CUBIC_FEET,
    "gal": UnitOfVolume.GALLONS,
    "L": UnitOfVolume.LITERS,
}
WATER_TYPES: Final = frozenset({MeteringDeviceType.Water_Metering})
GAS_TYPES: Final = frozenset({MeteringDeviceType.Gas_Metering})
MIRROR_OFFSET: Final = 127
VOLUME_FLOW_UNITS: Final = frozenset(UnitOfVolumeFlowRate)


def se_datetime(value: int) -> datetime | None:
    """Return the moment of an SE UTC time (seconds since 2000), None if invalid."""
    return utc_time_to_datetime(value)


def currency_code(numeric: int) -> str | None:
    """Return the ISO 4217 letter code of a numeric currency, else None."""
    if numeric == NO_CURRENCY:
        return None
    return CURRENCY_CODES.get(numeric) or letter_code(numeric)


def price_value(record: PriceEvent) -> Decimal:
    """Return the price with its trailing digit applied (0.1234 for 1234 and 4)."""
    return Decimal(record.price).scaleb(-record.price_trailing_digit)


def price_unit(record: PriceEvent) -> str | None:
    """Return the price's unit: currency per unit of measure ("EUR/kWh").

    The currency alone when the unit of measure has no symbol; None when the
    currency is unknown.
    """
    currency = currency_code(record.currency)
    if currency is None:
        return None
    quantity = summation_unit(record.unit_of_measure)
    if quantity is None:
        return currency
    return f"{currency}/{HA_UNITS.get(quantity, quantity)}"


def summation_quantity(
    unit_of_measure: int, device_type: int | None
) -> tuple[str | None, SensorDeviceClass | None]:
    """Return the HA unit and device class of a meter's summations.

    Energy for kWh and MJ; gas or water for volumes, from the meter's device
    type (a mirror reads as what it mirrors); no device class otherwise.
    """
    symbol = summation_unit(unit_of_measure & ~BCD_UNIT)
    if symbol is None:
        return None, None
    unit = HA_UNITS.get(symbol, symbol)
    if unit in (UnitOfEnergy.KILO_WATT_HOUR, UnitOfEnergy.MEGA_JOULE):
        return unit, SensorDeviceClass.ENERGY
    if device_type is not None and device_type >= MIRROR_OFFSET:
        device_type -= MIRROR_OFFSET
    if symbol in HA_UNITS and device_type in GAS_TYPES:
        return unit, SensorDeviceClass.GAS
    if symbol in HA_UNITS and device_type in WATER_TYPES:
        return unit, SensorDeviceClass.WATER
    return unit, None


def demand_quantity(
    unit_of_measure: int,
) -> tuple[str | None, SensorDeviceClass | None]:
    """Return the HA unit and device class of a meter's demand.

    Power for kW; volume flow rate for the flow units HA has (m³/h, L/h,
    gal/h); no device class for the others (ft³/h, ccf/h, MJ/s, ...).
    """
    symbol = demand_unit(unit_of_measure)
    if symbol == UnitOfPower.KILO_WATT:
        return UnitOfPower.KILO_WATT, SensorDeviceClass.POWER
    if symbol in VOLUME_FLOW_UNITS:
        return UnitOfVolumeFlowRate(symbol), SensorDeviceClass.VOLUME_FLOW_RATE
    return symbol, None


def drlc_attributes(record: DrlcEvent) -> dict[str, int | float | None]:
    """Return a load control event's controls in degrees C and percent.

    Fields the event does not use are None.
    """
    return {
        "issuer_event_id": record.issuer_event_id,
        "device_class": record.device_class,
        "utility_enrollment_group": record.utility_enrollment_group,
        "criticality_level": record.criticality_level,
        "duty_cycle": _used(record.duty_cycle, DUTY_CYCLE_NOT_USED),
        "average_load_adjustment_percentage": _used(
            record.average_load_adjustment_percentage, LOAD_ADJUSTMENT_NOT_USED
        ),
        "cooling_temperature_offset": _tenths(record.cooling_temperature_offset),
        "heating_temperature_offset": _tenths(record.heating_temperature_offset),
        "cooling_temperature_set_point": _hundredths(
            record.cooling_temperature_set_point
        ),
        "heating_temperature_set_point": _hundredths(
            record.heating_temperature_set_point
        ),
    }


def _used(value: int, not_used: int) -> int | None:
    return None if value == not_used else value


def _tenths(offset: int) -> float | None:
    return None if offset == TEMPERATURE_OFFSET_NOT_USED else offset / 10


def _hundredths(set_point: int) -> float | None:
    return None if set_point == SET_POINT_NOT_USED else set_point / 100
