"""The price bridge: a Home Assistant price sensor's tariff on the in-home displays.

The ``price_source`` setting names a sensor whose state is a price per energy
unit (Nord Pool, ENTSO-e, Tibber, a template ...). Each change of it becomes
price events of the engine, built as the ``publish_price`` action builds them
(``price_publish``): the price in force is published to every price client
at once; the prices ahead, where the source exposes them, are stored so the
engine answers the displays' Get Scheduled Prices with them, and each is
published when it comes into force (the source's state changes then).

- Unavailable, unknown or not a number: nothing new is published; logged
  once until the source is back.
- A price identical (price, currency, unit, tier, label) to the stored one
  of the same interval is not published again; a different one replaces it.

This module follows the source entity (and asks Home Assistant's
``nordpool`` action for its schedule) and publishes through the engine; how
the source's state and attributes become prices (units, the schedules ahead
of each source, tier and label) is ``price_sources``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
import logging
from typing import Any, Final
from zoneinfo import ZoneInfo

from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.util import dt as dt_util
from zigpy.zcl.foundation import Status

from ..core.clusters.types import datetime_to_utc_time
from ..core.engine import GatewayEngine, PriceEvent, RefusalError
from ..core.engine.records import START_NOW, UNTIL_CHANGED
from .iso4217 import numeric_code
from .price_publish import MAX_PRICE_DURATION, PriceTerms, price_digits, price_event
from .price_sources import (
    PER_KWH,
    Interval,
    SourceUnit,
    attribute_schedule,
    parse_decimal,
    parse_schedule,
    parse_unit,
    tier_and_label,
)
from .values import se_datetime

_LOGGER: Final = logging.getLogger(__name__)

NORDPOOL_DOMAIN: Final = "nordpool"
NORDPOOL_PRICES_ACTION: Final = "get_prices_for_date"
NORDPOOL_REFETCH: Final = timedelta(hours=1)
NORDPOOL_TIME_ZONE: Final = ZoneInfo("Europe/Oslo")

type Comparable = tuple[int, int, int, int, int, str]


class PriceBridge:
    """Publishes a price sensor's changes as the engine's price events."""

    def __init__(
        self, hass: HomeAssistant, engine: GatewayEngine, entity_id: str
    ) -> None:
        """Bridge ``entity_id``'s price; ``async_start`` starts listening."""
        self.hass = hass
        self.engine = engine
        self.entity_id = entity_id
        # The stored price of each interval end (None: until changed).
        self._published: dict[datetime | None, tuple[int, Comparable]] = {}
        self._sent: set[int] = set()
        self._unavailable_logged = False
        self._unsubscribe: CALLBACK_TYPE | None = None
        self._nordpool: list[Interval] = []
        self._nordpool_fetched: datetime | None = None
        self._updating = False
        self._again = False

    async def async_start(self) -> None:
        """Adopt the stored prices, publish the source's, follow its changes."""
        now = datetime_to_utc_time(dt_util.utcnow())
        for entry in self.engine.view.prices(None):
            if entry.end is not None and entry.end <= now:
                continue
            end = None if entry.end is None else se_datetime(entry.end)
            if entry.record.duration_in_minutes == UNTIL_CHANGED:
                end = None
            elif end is not None:  # "now" prices end up to a minute late
                end = end.replace(second=0, microsecond=0)
            self._published[end] = (entry.event_id, _comparable(entry.record))
            if entry.has_started(now):
                self._sent.add(entry.event_id)  # the runtime resends these
        self._unsubscribe = async_track_state_change_event(
            self.hass, self.entity_id, self._state_changed
        )
        self._state_changed(None)

    @callback
    def async_stop(self) -> None:
        """Stop following the source; what was published stays."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    @callback
    def _state_changed(self, event: Event[EventStateChangedData] | None) -> None:
        self.hass.async_create_task(
            self.async_update(), f"se_gateway price bridge {self.entity_id}"
        )

    async def async_update(self) -> None:
        """Publish what changed at the source (one update at a time)."""
        if self._updating:
            self._again = True
            return
        self._updating = True
        try:
            while True:
                self._again = False
                try:
                    await self._async_update()
                except (HomeAssistantError, RefusalError) as err:
                    _LOGGER.warning(
                        "Price of %s not published: %s", self.entity_id, err
                    )
                if not self._again:
                    break
        finally:
            self._updating = False

    async def _async_update(self) -> None:
        state = self.hass.states.get(self.entity_id)
        if (source := self._readable(state)) is None:
            return
        assert state is not None
        unit, price = source
        now = dt_util.utcnow()
        schedule = await self._async_schedule(state, unit, now)
        tier, label = tier_and_label(state.attributes)
        ahead = [item for item in schedule if item.end is not None and item.end > now]
        if not any(item.start is not None and item.start <= now for item in ahead):
            # The schedule does not hold now: the state is the price in force.
            first = ahead[0].start if ahead else None
            ahead.insert(0, Interval(None, first, price))
        current: tuple[PriceEvent, datetime | None] | None = None
        later: list[tuple[PriceEvent, datetime | None]] = []
        for index, interval in enumerate(ahead):
            terms = (tier, label) if index == 0 else (0, "")
            record = self._record(interval, unit, *terms, now)
            if record is None:
                continue
            if record.start_time == START_NOW:
                current = (record, interval.end)
            else:
                later.append((record, interval.end))
        if later:
            statuses = await self.engine.schedule_price_events(
                [record for record, _ in later]
            )
            for (record, end), status in zip(later, statuses, strict=True):
                if status == Status.SUCCESS:
                    self._keep(record, end, now)
        if current is not None:
            record, end = current
            await self.engine.create_price_event(record)
            self._keep(record, end, now)
            self._sent.add(record.issuer_event_id)
        await self._publish_started(now)

    def _readable(self, state: State | None) -> tuple[SourceUnit, Decimal] | None:
        """Return the source's unit and price; None (logged once) if unreadable."""
        problem: str | None = None
        source: tuple[SourceUnit, Decimal] | None = None
        if state is None or state.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
            problem = "is unavailable"
        elif (unit := parse_unit(state.attributes.get("unit_of_measurement"))) is None:
            problem = "has no price per energy unit as its unit"
        elif (price := parse_decimal(state.state)) is None or price < 0:
            problem = "has no price (a number, not negative) as its state"
        else:
            source = (unit, price * unit.factor)
        if problem is None:
            self._unavailable_logged = False
            return source
        if not self._unavailable_logged:
            self._unavailable_logged = True
            _LOGGER.warning(
                "The price source %s %s; the displays keep the last price",
                self.entity_id,
                problem,
            )
        return None

    def _record(
        self,
        interval: Interval,
        unit: SourceUnit,
        tier: int,
        label: str,
        now: datetime,
    ) -> PriceEvent | None:
        """Return the price event of an interval; None if it is already stored."""
        start = interval.start
        started = start is None or start <= now
        if interval.end is None:
            duration = UNTIL_CHANGED
        else:
            begin = now if started or start is None else start
            seconds = (interval.end - begin).total_seconds()
            duration = min(max(1, -(-int(seconds) // 60)), MAX_PRICE_DURATION)
        terms = PriceTerms(
            price=_quantized(interval.price),
            currency=unit.currency,
            unit=unit.unit,
            tier=tier,
            label=label,
            start_time=START_NOW
            if started or start is None
            else datetime_to_utc_time(start),
            duration_in_minutes=duration,
        )
        try:
            digits = price_digits(terms.price)
        except ValueError as err:
            _LOGGER.warning(
                "Price %s of %s not sent: %s", interval, self.entity_id, err
            )
            return None
        old = self._published.get(interval.end)
        if old is not None and old[1] == self._comparable_terms(terms, digits):
            return None
        if old is not None:
            self.engine.cancel_price_event(old[0])
            self._sent.discard(old[0])
        return price_event(self.hass, self.engine, terms)

    def _comparable_terms(
        self, terms: PriceTerms, digits: tuple[int, int]
    ) -> Comparable:
        currency = terms.currency
        if currency is None:
            currency = numeric_code(self.hass.config.currency) or 999
        return (digits[0], digits[1], currency, terms.unit, terms.tier, terms.label)

    def _keep(self, record: PriceEvent, end: datetime | None, now: datetime) -> None:
        """Note the stored price of the interval ending at ``end``."""
        self._published = {
            key: value
            for key, value in self._published.items()
            if key is None or key > now
        }
        self._published[end] = (record.issuer_event_id, _comparable(record))

    async def _publish_started(self, now: datetime) -> None:
        """Publish the stored prices that have come into force since."""
        se_now = datetime_to_utc_time(now)
        for event_id, _ in list(self._published.values()):
            entry = self.engine.view.prices(None).get(event_id)
            if event_id in self._sent or entry is None or not entry.has_started(se_now):
                continue
            self._sent.add(event_id)
            await self.engine.publish_stored_price(event_id)

    async def _async_schedule(
        self, state: State, unit: SourceUnit, now: datetime
    ) -> list[Interval]:
        """Return the schedule the source exposes, per kWh (or its unit)."""
        if (schedule := await self._async_nordpool(state, now)) is not None:
            return schedule
        return [
            Interval(item.start, item.end, item.price * unit.factor)
            for item in attribute_schedule(state.attributes)
        ]

    async def _async_nordpool(
        self, state: State, now: datetime
    ) -> list[Interval] | None:
        """Return Nord Pool's prices of today and tomorrow; None if not Nord Pool.

        HA's ``nordpool`` sensors have the unique id ``{area}-{key}`` and no
        schedule attribute; ``nordpool.get_prices_for_date`` answers
        ``{area: [{start, end, price}]}`` in the entry's currency per MWh.
        """
        entry = er.async_get(self.hass).async_get(self.entity_id)
        if (
            entry is None
            or entry.platform != NORDPOOL_DOMAIN
            or entry.config_entry_id is None
        ):
            return None
        tomorrow_known = any(
            item.end is not None and item.end - now > timedelta(hours=12)
            for item in self._nordpool
        )
        if self._nordpool_fetched is not None and (
            tomorrow_known or now - self._nordpool_fetched < NORDPOOL_REFETCH
        ):
            return self._nordpool
        area = entry.unique_id.split("-", 1)[0]
        # Nord Pool's delivery days are CET days (its API's deliveryDateCET).
        days = {
            (now + timedelta(days=n)).astimezone(NORDPOOL_TIME_ZONE).date()
            for n in (0, 1)
        }
        items: list[Any] = []
        for day in sorted(days):
            try:
                response = await self.hass.services.async_call(
                    NORDPOOL_DOMAIN,
                    NORDPOOL_PRICES_ACTION,
                    {
                        "config_entry": entry.config_entry_id,
                        "date": day.isoformat(),
                        "areas": [area],
                    },
                    blocking=True,
                    return_response=True,
                )
            except HomeAssistantError as err:
                _LOGGER.debug("Nord Pool prices of %s not read: %s", day, err)
                continue
            if isinstance(response, Mapping) and isinstance(
                area_items := response.get(area), list
            ):
                items.extend(area_items)
        self._nordpool = parse_schedule(items, PER_KWH["MWh"])
        self._nordpool_fetched = now
        return self._nordpool


def _quantized(price: Decimal) -> Decimal:
    """Return a price with at most 6 decimals, trailing zeros dropped."""
    return price.quantize(Decimal("0.000001")).normalize()


def _comparable(record: PriceEvent) -> Comparable:
    return (
        record.price,
        record.price_trailing_digit,
        record.currency,
        record.unit_of_measure,
        record.price_tier,
        record.rate_label,
    )
