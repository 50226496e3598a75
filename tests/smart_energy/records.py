"""Records the tests create through the engine."""

from __future__ import annotations

from custom_components.se_gateway.core.clusters.types import Currency, DeviceClass
from custom_components.se_gateway.core.engine import DrlcEvent, MessageEvent, PriceEvent

EUR = int(Currency.EUR)
WATER_HEATER = int(DeviceClass.Water_Heater)
POOL_PUMP = int(DeviceClass.Pool_Pump_Spa_Jacuzzi)
CONFIRMATION_REQUIRED = 0x80


def price(issuer_event_id: int = 1, **fields: int | str) -> PriceEvent:
    """Return a price of 0.245 EUR/kWh, tier 2, "Peak", for an hour from now."""
    values: dict[str, int | str] = {
        "provider_id": 7,
        "issuer_event_id": issuer_event_id,
        "currency": EUR,
        "price": 245,
        "price_trailing_digit": 3,
        "price_tier": 2,
        "number_of_price_tiers": 3,
        "rate_label": "Peak",
        "duration_in_minutes": 60,
    }
    return PriceEvent.from_dict(values | fields)


def drlc(issuer_event_id: int = 10, **fields: int) -> DrlcEvent:
    """Return a load control event for water heaters, for 30 minutes from now."""
    values = {
        "issuer_event_id": issuer_event_id,
        "device_class": WATER_HEATER,
        "duration_in_minutes": 30,
        "criticality_level": 3,
        "duty_cycle": 50,
        "cooling_temperature_offset": 15,
        "heating_temperature_set_point": 1850,
    }
    return DrlcEvent.from_dict(values | fields)


def message(message_id: int = 100, **fields: int | str) -> MessageEvent:
    """Return a message shown until changed, asking for a confirmation."""
    values: dict[str, int | str] = {
        "message_id": message_id,
        "message_control": CONFIRMATION_REQUIRED,
        "message": "Peak pricing from 17:00",
    }
    return MessageEvent.from_dict(values | fields)
