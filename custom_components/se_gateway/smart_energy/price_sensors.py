"""Price sensors: the price in force, its tier and rate label, the next change.

The gateway's own prices (the ESI role) show on the gateway device; the
prices a meter's Price server publishes (the client role) on the meter's ZHA
device. The price sensor is monetary, in the event's ISO 4217 currency per
unit of measure ("EUR/kWh" for electricity) with the trailing digit applied,
so the Energy dashboard takes it as a price entity. It has no state class:
Home Assistant allows only ``total`` for monetary sensors, and a price is
not a total (``sensor`` refuses ``measurement`` with ``monetary``). Its
``prices`` attribute is the schedule ahead, ``[{start, end, price}]``, as
Nord Pool, ENTSO-E and Tibber sensors show it, for charts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.util import dt as dt_util

from ..core.clusters import Price
from ..core.clusters.types import datetime_to_utc_time
from ..core.engine import DeviceRef
from ..core.engine.tables import PriceEntry
from .devices import SmartEnergyDevice
from .entity import SmartEnergyEntity
from .price_schedule import as_attribute, price_schedule
from .runtime import SmartEnergyRuntime
from .snapshot import Snapshot
from .values import currency_code, price_unit, price_value, se_datetime

type PriceValue = Decimal | int | str | datetime | None


@dataclass(frozen=True, kw_only=True)
class PriceSensorDescription(SensorEntityDescription):
    """A sensor read from the price in force of one source."""

    value_fn: Callable[[Snapshot, DeviceRef | None], PriceValue]


def _active(
    read: Callable[[PriceEntry], PriceValue],
) -> Callable[[Snapshot, DeviceRef | None], PriceValue]:
    """Return a reader of the price in force (None when there is none)."""

    def value(snapshot: Snapshot, source: DeviceRef | None) -> PriceValue:
        entry = snapshot.active_price(source)
        return None if entry is None else read(entry)

    return value


def _next_change(snapshot: Snapshot, source: DeviceRef | None) -> PriceValue:
    change = snapshot.next_price_change(source)
    return None if change is None else se_datetime(change)


PRICE = PriceSensorDescription(
    key="price",
    translation_key="price",
    device_class=SensorDeviceClass.MONETARY,
    value_fn=_active(lambda entry: price_value(entry.record)),
)
DESCRIPTIONS = (
    PRICE,
    PriceSensorDescription(
        key="price_tier",
        translation_key="price_tier",
        value_fn=_active(lambda entry: entry.record.price_tier),
    ),
    PriceSensorDescription(
        key="rate_label",
        translation_key="rate_label",
        value_fn=_active(lambda entry: entry.record.rate_label),
    ),
    PriceSensorDescription(
        key="next_price_change",
        translation_key="next_price_change",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=_next_change,
    ),
)


def gateway_price_sensors(runtime: SmartEnergyRuntime) -> list[PriceSensor]:
    """Return the sensors of the gateway's own prices."""
    return [PriceSensor(runtime, description) for description in DESCRIPTIONS]


def device_price_sensors(
    runtime: SmartEnergyRuntime, se_device: SmartEnergyDevice
) -> list[PriceSensor]:
    """Return the sensors of a Price server's prices (none for other devices)."""
    if (source := se_device.server(Price.cluster_id)) is None:
        return []
    return [
        PriceSensor(runtime, description, se_device, source)
        for description in DESCRIPTIONS
    ]


class PriceSensor(SmartEnergyEntity, SensorEntity):
    """A sensor of the price in force of the gateway or of a Price server."""

    entity_description: PriceSensorDescription

    def __init__(
        self,
        runtime: SmartEnergyRuntime,
        description: PriceSensorDescription,
        se_device: SmartEnergyDevice | None = None,
        source: DeviceRef | None = None,
    ) -> None:
        """Create the sensor of ``source``'s prices (None: the gateway's)."""
        super().__init__(runtime, description.key, se_device)
        self.entity_description = description
        self.source = source

    @property
    @override
    def native_value(self) -> PriceValue:
        """Return the value from the latest snapshot."""
        return self.entity_description.value_fn(self.runtime.snapshot, self.source)

    @property
    @override
    def native_unit_of_measurement(self) -> str | None:
        """Return the price's currency per unit, for the price sensor."""
        if self.entity_description is not PRICE:
            return None
        entry = self.runtime.snapshot.active_price(self.source)
        return None if entry is None else price_unit(entry.record)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return the price event's details, for the price sensor."""
        if self.entity_description is not PRICE:
            return None
        entry = self.runtime.snapshot.active_price(self.source)
        if entry is None:
            return None
        record = entry.record
        end = entry.end
        now = datetime_to_utc_time(dt_util.utcnow())
        table = self.runtime.engine.view.prices(self.source)
        return {
            "issuer_event_id": record.issuer_event_id,
            "provider_id": record.provider_id,
            "currency": currency_code(record.currency),
            "unit_of_measure": record.unit_of_measure,
            "number_of_price_tiers": record.number_of_price_tiers,
            "start": se_datetime(entry.start),
            "end": None if end is None else se_datetime(end),
            "prices": as_attribute(price_schedule(table, now)),
        }
