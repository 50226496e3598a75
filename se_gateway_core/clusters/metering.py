"""Metering cluster (0x0702): the command payloads zigpy leaves empty, and helpers.

zigpy 2.3 defines every Metering attribute and the ``NumberFormatting``,
``MeteringUnitofMeasure``, ``MeteringDeviceType`` and ``MeteringStatus``
types, but declares its commands with empty payloads. ``Metering`` keeps
zigpy's attributes and command names and gives the SE 1.1 commands their
payloads. zigpy's names are kept for compatibility although some read oddly:
``req_mirror`` (0x01, received by the server) is the spec's Request Mirror
Response, ``mirror_rem`` (0x02) its Mirror Removed. The snapshot commands
(0x04-0x06) are SE 1.2+ and keep zigpy's empty payloads.

The helpers turn raw readings into values: ``metered_value`` applies the
multiplier and divisor, ``format_metered_value`` the summation or demand
formatting, ``metering_status`` picks the status bits of the device type.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Final

import zigpy.types as t
from zigpy.zcl.clusters import smartenergy
from zigpy.zcl.foundation import BaseCommandDefs

from .robust import RobustCommandsMixin
from .schema import Payload, command, counted_by
from .types import (
    GasMeteringStatus,
    GetProfileStatus,
    HeatCoolingMeteringStatus,
    IntervalChannel,
    MeteringDeviceType,
    MeteringStatus,
    ProfileIntervalPeriod,
    UnitOfMeasure,
    WaterMeteringStatus,
)

INVALID_INTERVAL: Final = 0xFFFFFF
BCD_UNIT: Final = 0x80
MIRRORED_DEVICE_TYPE_OFFSET: Final = 127

_SE11_STATUS: Final[Callable[[int], t.bitmap8]] = MeteringStatus
_ZIGPY_SERVER_COMMANDS: Final = smartenergy.Metering.ServerCommandDefs
_ZIGPY_CLIENT_COMMANDS: Final = smartenergy.Metering.ClientCommandDefs

# --- Payloads sent client to server ---------------------------------------------


class GetProfile(Payload):
    """Get Profile (0x00)."""

    interval_channel: IntervalChannel
    end_time: t.UTCTime
    number_of_periods: t.uint8_t


class RequestMirrorResponse(Payload):
    """Request Mirror Response (0x01): the endpoint of the mirror, 0xFFFF if none."""

    endpoint_id: t.uint16_t


class MirrorRemoved(Payload):
    """Mirror Removed (0x02): the endpoint of the removed mirror."""

    endpoint_id: t.uint16_t


class RequestFastPollMode(Payload):
    """Request Fast Poll Mode (0x03)."""

    fast_poll_update_period: t.uint8_t
    duration_in_minutes: t.uint8_t


# --- Payloads sent server to client ---------------------------------------------


class GetProfileResponse(Payload):
    """Get Profile Response (0x00): newest interval first, 0xFFFFFF if invalid."""

    end_time: t.UTCTime
    status: GetProfileStatus
    profile_interval_period: ProfileIntervalPeriod
    number_of_periods_delivered: t.uint8_t
    intervals: t.List[t.uint24_t] = counted_by(
        t.List[t.uint24_t], "number_of_periods_delivered"
    )


class RequestFastPollModeResponse(Payload):
    """Request Fast Poll Mode Response (0x03)."""

    applied_update_period: t.uint8_t
    fast_poll_mode_endtime: t.UTCTime


# --- Cluster --------------------------------------------------------------------


class Metering(RobustCommandsMixin, smartenergy.Metering):
    """Metering cluster: zigpy's attributes, commands with their payloads."""

    # Registered by ``se_gateway_core.quirks.register``, not on import.
    _skip_registry = True

    class ServerCommandDefs(BaseCommandDefs):
        """Commands a metering client sends."""

        get_profile: Final = command(0x00, GetProfile)
        req_mirror: Final = command(0x01, RequestMirrorResponse)
        mirror_rem: Final = command(0x02, MirrorRemoved)
        req_fast_poll_mode: Final = command(0x03, RequestFastPollMode)
        get_snapshot: Final = _ZIGPY_SERVER_COMMANDS.get_snapshot
        take_snapshot: Final = _ZIGPY_SERVER_COMMANDS.take_snapshot
        mirror_report_attr_response: Final = (
            _ZIGPY_SERVER_COMMANDS.mirror_report_attr_response
        )

    class ClientCommandDefs(BaseCommandDefs):
        """Commands a metering server sends."""

        get_profile_response: Final = command(0x00, GetProfileResponse)
        # Request Mirror and Remove Mirror carry no payload
        req_mirror_response: Final = _ZIGPY_CLIENT_COMMANDS.req_mirror_response
        mirror_rem_response: Final = _ZIGPY_CLIENT_COMMANDS.mirror_rem_response
        req_fast_poll_mode_response: Final = command(0x03, RequestFastPollModeResponse)
        get_snapshot_response: Final = _ZIGPY_CLIENT_COMMANDS.get_snapshot_response


# --- Values ---------------------------------------------------------------------


def decode_bcd(value: int) -> int:
    """Return the number whose decimal digits are the nibbles of ``value``."""
    number = 0
    scale = 1

    while value:
        digit = value & 0x0F

        if digit > 9:
            raise ValueError(f"0x{digit:X} is not a BCD digit")

        number += digit * scale
        scale *= 10
        value >>= 4

    return number


def metered_value(
    raw: int,
    multiplier: int,
    divisor: int,
    unit_of_measure: int = UnitOfMeasure.Kwh_and_Kwh_binary,
) -> Decimal:
    """Return ``raw * multiplier / divisor`` in the unit of measure, exactly.

    A BCD unit of measure (0x80 and up) means ``raw`` holds BCD digits. A
    multiplier or divisor of 0 (unset) counts as 1, as ZHA does.
    """
    if unit_of_measure & BCD_UNIT:
        raw = decode_bcd(raw)

    return Decimal(raw) * (multiplier or 1) / (divisor or 1)


def format_metered_value(
    value: Decimal, formatting: smartenergy.NumberFormatting
) -> str:
    """Return ``value`` as a meter displays it under a formatting attribute.

    The formatting gives the digits right of the decimal point, the digits left
    of it (padded with zeros unless leading zeros are suppressed).
    """
    right = formatting.num_digits_right_of_decimal

    if formatting.suppress_leading_zeros:
        return f"{value:.{right}f}"

    width = formatting.num_digits_left_of_decimal + (right + 1 if right else 0)
    return f"{value:0{width}.{right}f}"


# Metering Status bits by device type; other types use the SE 1.1 bits
_STATUS_TYPES: Final[dict[int, Callable[[int], t.bitmap8]]] = {
    MeteringDeviceType.Gas_Metering: GasMeteringStatus,
    MeteringDeviceType.Water_Metering: WaterMeteringStatus,
    MeteringDeviceType.Heat_Metering: HeatCoolingMeteringStatus,
    MeteringDeviceType.Cooling_Metering: HeatCoolingMeteringStatus,
}


def metering_status(status: int, device_type: int) -> t.bitmap8:
    """Return the Metering Status bits of a meter of ``device_type``.

    SE 1.2 gives gas, water and heat/cooling meters their own bits; every other
    meter uses the SE 1.1 bits zigpy defines as ``MeteringStatus``. A mirrored
    device type reads like the device type it mirrors.
    """
    if device_type >= MIRRORED_DEVICE_TYPE_OFFSET:
        device_type -= MIRRORED_DEVICE_TYPE_OFFSET

    status_type = _STATUS_TYPES.get(device_type, _SE11_STATUS)
    return status_type(status)


_UNIT_SYMBOLS: Final[dict[int, tuple[str, str]]] = {
    # Unit of measure (binary) -> (summation unit, demand unit)
    UnitOfMeasure.Kwh_and_Kwh_binary: ("kWh", "kW"),
    UnitOfMeasure.Cubic_Meter_and_Cubic_Meter_per_Hour_binary: ("m³", "m³/h"),
    UnitOfMeasure.Cubic_Feet_and_Cubic_Feet_per_Hour_binary: ("ft³", "ft³/h"),
    UnitOfMeasure.Ccf_and_Ccf_per_Hour_binary: ("ccf", "ccf/h"),
    UnitOfMeasure.US_Gallons_and_US_Gallons_per_Hour_binary: ("gal", "gal/h"),
    UnitOfMeasure.Imperial_Gallons_and_Imperial_Gallons_per_Hour_binary: (
        "imp gal",
        "imp gal/h",
    ),
    UnitOfMeasure.BTU_and_BTU_per_Hour_binary: ("BTU", "BTU/h"),
    UnitOfMeasure.Liters_and_Liters_per_Hour_binary: ("L", "L/h"),
    UnitOfMeasure.KPA_gauge_binary: ("kPa", "kPa"),
    UnitOfMeasure.KPA_absolute_binary: ("kPa", "kPa"),
    UnitOfMeasure.MCF_and_MCF_per_Hour_binary: ("mcf", "mcf/h"),
    UnitOfMeasure.Mega_Joule_and_Mega_Joule_per_second_binary: ("MJ", "MJ/s"),
    UnitOfMeasure.Kvar_and_Kvarh_binary: ("kvarh", "kvar"),
}


def summation_unit(unit_of_measure: int) -> str | None:
    """Return the unit of a summation, or None when unitless or unknown."""
    symbols = _UNIT_SYMBOLS.get(unit_of_measure & ~BCD_UNIT)
    return symbols[0] if symbols else None


def demand_unit(unit_of_measure: int) -> str | None:
    """Return the unit of a demand, or None when unitless or unknown."""
    symbols = _UNIT_SYMBOLS.get(unit_of_measure & ~BCD_UNIT)
    return symbols[1] if symbols else None
