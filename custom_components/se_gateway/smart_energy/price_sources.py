"""Price sources: how a price sensor's state and attributes become prices.

The price bridge (``price_bridge``) follows the source entity and publishes
its prices; this module reads them: the unit of its state, the schedule ahead
its attributes (or, for Home Assistant's ``nordpool``, the answer of the
action the bridge asks) expose, and the tier and rate label.

- No currency in the unit ("/kWh", "kWh"): Home Assistant's currency.
- Per MWh (Nord Pool's action, some ENTSO-e setups): converted to per kWh;
  per Wh too.

The schedule ahead is read from (first found):

- Home Assistant's ``nordpool`` integration: its sensors carry no schedule,
  so its ``nordpool.get_prices_for_date`` action is asked for today and
  tomorrow, CET delivery days (``{area: [{start, end, price}]}``, price per
  MWh in the entry's currency), at most once an hour while tomorrow's prices
  are missing;
- ENTSO-e (the ``entsoe`` custom integration): ``prices`` or
  ``prices_today`` + ``prices_tomorrow``, ``[{time, price}]``, each interval
  lasting until the next;
- the ``nordpool`` custom integration: ``raw_today`` + ``raw_tomorrow``,
  ``[{start, end, value}]``;
- this integration's own price sensor and other price sensors:
  ``prices``, ``[{start, end, price}]``;
- a generic ``forecast`` attribute: ``[{start|datetime|time, end?,
  price|value}]``.

Tier and label: attributes ``tier`` (1 to 15) and ``label`` / ``rate_label``;
Tibber's ``price_level`` (``VERY_CHEAP`` ... ``VERY_EXPENSIVE``, of Home
Assistant's ``tibber`` sensor) is the label when there is no other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from homeassistant.util import dt as dt_util

from ..core.engine.records import MAX_RATE_LABEL_BYTES
from ..datetimes import parse_datetime
from .iso4217 import numeric_code
from .price_publish import UNIT_SYMBOLS, UNITS

MAX_TIER: Final = 15
# Energy units a price may be per, and the factor to per-kWh prices.
PER_KWH: Final = {"kWh": Decimal(1), "MWh": Decimal("0.001"), "Wh": Decimal(1000)}


@dataclass(frozen=True)
class Interval:
    """One price of the source, per kWh (or the unit), from ``start`` to ``end``."""

    start: datetime | None  # None: from now
    end: datetime | None  # None: until changed
    price: Decimal


@dataclass(frozen=True)
class SourceUnit:
    """What a source's ``unit_of_measurement`` says."""

    currency: int | None  # None: Home Assistant's
    unit: int
    factor: Decimal  # multiplies the source's prices


def parse_unit(text: str | None) -> SourceUnit | None:
    """Return the currency and energy unit of "EUR/kWh", "/MWh", "kWh" ...

    None if the unit is not per energy (or volume) unit the SE price knows.
    """
    currency_text, _, per = (text or "").strip().rpartition("/")
    per = per.strip()
    currency = numeric_code(currency_text.strip().upper()) if currency_text else None
    if per in PER_KWH:
        return SourceUnit(currency, UNITS["kwh"], PER_KWH[per])
    key = UNIT_SYMBOLS.get(per, per.lower())
    if key in UNITS:
        return SourceUnit(currency, UNITS[key], Decimal(1))
    return None


def parse_decimal(value: Any) -> Decimal | None:
    """Return a finite number of a state or attribute; None if not one."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _moment(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        if (parsed := parse_datetime(value)) is None:
            return None
        moment = parsed
    else:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt_util.get_default_time_zone())
    return dt_util.as_utc(moment)


def parse_schedule(items: Any, factor: Decimal = Decimal(1)) -> list[Interval]:
    """Return the intervals of a price list, by start; unreadable items left out.

    Items are ``{start|time|datetime|startsAt, end?, price|value|total}``; an
    item without ``end`` lasts until the next one starts (the last one as
    long as the one before it, else an hour).
    """
    if not isinstance(items, Sequence) or isinstance(items, str):
        return []
    points: list[tuple[datetime, datetime | None, Decimal]] = []
    for item in items:
        if not isinstance(item, Mapping):
            continue
        start = _moment(
            next(
                (
                    item[k]
                    for k in ("start", "time", "datetime", "startsAt")
                    if k in item
                ),
                None,
            )
        )
        price = parse_decimal(
            next((item[k] for k in ("price", "value", "total") if k in item), None)
        )
        if start is None or price is None:
            continue
        points.append((start, _moment(item.get("end")), price * factor))
    points.sort(key=lambda point: point[0])
    intervals: list[Interval] = []
    for index, (start, given_end, price) in enumerate(points):
        if given_end is not None:
            end = given_end
        elif index + 1 < len(points):
            end = points[index + 1][0]
        elif index > 0:
            end = start + (start - points[index - 1][0])
        else:
            end = start + timedelta(hours=1)
        if end > start:
            intervals.append(Interval(start, end, price))
    return intervals


def attribute_schedule(attributes: Mapping[str, Any]) -> list[Interval]:
    """Return the schedule a sensor's attributes expose (see the module doc)."""
    for names in (
        ("prices",),  # ENTSO-e (entsoe), this integration's own price sensor
        ("prices_today", "prices_tomorrow"),  # ENTSO-e
        ("raw_today", "raw_tomorrow"),  # the nordpool custom integration
        ("forecast",),  # generic
    ):
        items = [
            item
            for name in names
            if isinstance(attributes.get(name), list)
            for item in attributes[name]
        ]
        if schedule := parse_schedule(items):
            return schedule
    return []


def tier_and_label(attributes: Mapping[str, Any]) -> tuple[int, str]:
    """Return the tier (0: none) and rate label an entity's attributes give."""
    tier = attributes.get("tier")
    if isinstance(tier, bool) or not isinstance(tier, int) or not 1 <= tier <= MAX_TIER:
        tier = 0
    label = attributes.get("label") or attributes.get("rate_label")
    if not isinstance(label, str) or not label:
        level = attributes.get("price_level")  # Tibber's current price sensor
        label = level if isinstance(level, str) else ""
    data = label.encode("utf-8")[:MAX_RATE_LABEL_BYTES]
    return tier, data.decode("utf-8", "ignore")
