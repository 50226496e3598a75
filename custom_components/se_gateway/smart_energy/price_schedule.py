"""The schedule of prices ahead, as the price integrations chart it.

Nord Pool, ENTSO-E and Tibber show the prices ahead as a list of intervals;
``price_schedule`` gives the gateway's (or a server's) price events the same
form: ``[{start, end, price, currency, unit, tier, label, issuer_event_id}]``
from the price in force on, by start time. ``end`` is None for a price that
holds until changed.
"""

from __future__ import annotations

from typing import Any

from ..core.engine.tables import PriceEntry, PriceTableView
from .values import currency_code, price_unit, price_value, se_datetime


def price_interval(entry: PriceEntry) -> dict[str, Any] | None:
    """Return one price event as an interval; None if its times are invalid."""
    record = entry.record
    start = se_datetime(entry.start)
    end = None if entry.end is None else se_datetime(entry.end)
    if start is None:
        return None
    return {
        "start": start,
        "end": end,
        "price": float(price_value(record)),
        "currency": currency_code(record.currency),
        "unit": price_unit(record),
        "tier": record.price_tier or None,
        "label": record.rate_label or None,
        "issuer_event_id": record.issuer_event_id,
    }


def price_schedule(table: PriceTableView, now: int) -> list[dict[str, Any]]:
    """Return the prices that have not ended, by start time, as intervals."""
    return [
        interval
        for entry in table
        if (entry.end is None or entry.end > now)
        and (interval := price_interval(entry)) is not None
    ]


def as_attribute(schedule: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return a schedule for a state attribute: ``[{start, end, price}]``."""
    return [
        {"start": item["start"], "end": item["end"], "price": item["price"]}
        for item in schedule
    ]
