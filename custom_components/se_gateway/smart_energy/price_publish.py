"""A price in a user's terms as the engine's price event: one code path.

``publish_price`` (the friendly action) and the price bridge both build their
price events here: the decimal price with its trailing digit, the currency
(Home Assistant's by default), the unit by name, a start and a duration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Final

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from ..core.clusters.types import datetime_to_utc_time
from ..core.engine import GatewayEngine, PriceEvent
from ..core.engine.records import START_NOW, UNTIL_CHANGED
from .iso4217 import numeric_code

MAX_PRICE: Final = 0xFFFFFFFE  # 0xFFFFFFFF is "not used"
MAX_TRAILING_DIGIT: Final = 15
MAX_PRICE_DURATION: Final = UNTIL_CHANGED - 1
NO_CURRENCY: Final = 999  # ISO 4217 XXX: no currency
# SE Unit of Measure (the Metering cluster's, binary) of each unit name.
UNITS: Final = {
    "kwh": 0,
    "m3": 1,
    "ft3": 2,
    "ccf": 3,
    "us_gal": 4,
    "imp_gal": 5,
    "btu": 6,
    "l": 7,
    "mj": 12,
}
# The same units as Home Assistant writes them.
UNIT_SYMBOLS: Final = {
    "kWh": "kwh",
    "m³": "m3",
    "ft³": "ft3",
    "gal": "us_gal",
    "imp gal": "imp_gal",
    "BTU": "btu",
    "L": "l",
    "MJ": "mj",
}


@dataclass(frozen=True, kw_only=True)
class PriceTerms:
    """A price as a user (or a price integration) gives it."""

    price: Decimal
    currency: int | None = None  # ISO 4217 number; None: Home Assistant's
    unit: int = UNITS["kwh"]
    tier: int = 0
    number_of_tiers: int | None = None
    label: str = ""
    provider_id: int = 0
    start_time: int = START_NOW
    duration_in_minutes: int = UNTIL_CHANGED


def price_digits(price: Decimal) -> tuple[int, int]:
    """Return the SE price and trailing digit of a decimal, from its scale.

    0.245 is (245, 3) and 0.2450 is (2450, 4): the digits the user wrote are
    kept. A scale past 15 digits, or a price too large for 32 bits with that
    scale, is rounded to fewer digits. Raises ValueError for what cannot be sent.
    """
    if price < 0:
        raise ValueError("must not be negative")
    exponent = price.as_tuple().exponent
    digits = (
        min(max(0, -exponent), MAX_TRAILING_DIGIT) if isinstance(exponent, int) else 0
    )
    while True:
        scaled = price.scaleb(digits).to_integral_value()
        if scaled <= MAX_PRICE:
            return int(scaled), digits
        if digits == 0:
            raise ValueError(f"is larger than {MAX_PRICE}")
        digits -= 1


def se_start(start: datetime | None) -> int:
    """Return the SE start time of an optional start (None or past: now)."""
    if start is None:
        return START_NOW
    if start.tzinfo is None:
        start = start.replace(tzinfo=dt_util.get_default_time_zone())
    if start <= dt_util.utcnow():
        return START_NOW
    return datetime_to_utc_time(start)


def home_currency(hass: HomeAssistant) -> int:
    """Return the ISO 4217 number of Home Assistant's currency (999: none)."""
    return numeric_code(hass.config.currency) or NO_CURRENCY


def price_event(
    hass: HomeAssistant, engine: GatewayEngine, terms: PriceTerms
) -> PriceEvent:
    """Return the price event of ``terms`` with a new issuer event id.

    Raises ValueError if the price cannot be sent (negative, too large).
    """
    price, trailing_digit = price_digits(terms.price)
    currency = terms.currency if terms.currency is not None else home_currency(hass)
    number_of_tiers = (
        terms.number_of_tiers if terms.number_of_tiers is not None else terms.tier
    )
    return PriceEvent(
        provider_id=terms.provider_id,
        rate_label=terms.label,
        issuer_event_id=engine.issue_event_id(),
        unit_of_measure=terms.unit,
        currency=currency,
        price_trailing_digit=trailing_digit,
        price_tier=terms.tier,
        number_of_price_tiers=number_of_tiers,
        start_time=terms.start_time,
        duration_in_minutes=terms.duration_in_minutes,
        price=price,
    )
