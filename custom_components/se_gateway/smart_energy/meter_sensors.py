"""Meter sensors ZHA leaves out: meter status, and energy per tier.

ZHA already shows a meter's summations and demand. These add, on the meter's
ZHA device, what the meter supports of:

- "Meter status" (diagnostic): the Metering status bits read with the bits of
  the meter's device type (electricity, gas, water, heat); "ok" when none is
  set, otherwise the set bits' names; each bit is also an attribute.
- "Tier N energy delivered / received": the tier summations, scaled with the
  meter's multiplier, divisor and unit, as total-increasing energy (or gas, or
  water) that the Energy dashboard accepts.

They follow the Metering cluster's attribute reports and reads.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorStateClass,
)
from homeassistant.const import EntityCategory
from homeassistant.core import callback
from zigpy.zcl import AttributeReadEvent, AttributeUpdatedEvent, Cluster

from ..engine import Notification
from ..quirks.smartenergy import Metering
from ..quirks.smartenergy.metering import metered_value, metering_status
from .devices import METERING_STATUS, TIERS, SmartEnergyDevice
from .entity import SmartEnergyEntity
from .runtime import SmartEnergyRuntime
from .values import summation_quantity

SCALING_ATTRIBUTES = frozenset(
    {"multiplier", "divisor", "unit_of_measure", "metering_device_type"}
)


def device_meter_sensors(
    runtime: SmartEnergyRuntime, se_device: SmartEnergyDevice
) -> list[MeterSensor]:
    """Return the sensors of what a meter supports (none for other devices)."""
    metering = se_device.server_cluster(Metering.cluster_id)
    if metering is None:
        return []
    supported = se_device.meter_attributes
    sensors: list[MeterSensor] = []
    if METERING_STATUS in supported:
        sensors.append(MeterStatusSensor(runtime, se_device, metering))
    sensors.extend(
        TierSummationSensor(runtime, se_device, metering, tier, direction)
        for tier in TIERS
        for direction in ("delivered", "received")
        if f"current_tier{tier}_summ_{direction}" in supported
    )
    return sensors


class MeterSensor(SmartEnergyEntity, SensorEntity):
    """A sensor of one Metering attribute."""

    def __init__(
        self,
        runtime: SmartEnergyRuntime,
        se_device: SmartEnergyDevice,
        metering: Cluster,
        key: str,
        attribute: str,
    ) -> None:
        """Create the sensor of ``attribute``."""
        super().__init__(runtime, key, se_device)
        self.metering = metering
        self.attribute = attribute

    async def async_added_to_hass(self) -> None:
        """Follow the Metering cluster's attribute reports and reads."""
        await super().async_added_to_hass()
        for event_type in (
            AttributeUpdatedEvent.event_type,
            AttributeReadEvent.event_type,
        ):
            self.async_on_remove(
                self.metering.on_event(event_type, self._attribute_updated)
            )

    @callback
    def _handle_runtime(self, notification: Notification | None) -> None:
        """Meter values do not come from the event engine."""

    @callback
    def _attribute_updated(
        self, event: AttributeUpdatedEvent | AttributeReadEvent
    ) -> None:
        if event.attribute_name == self.attribute or (
            event.attribute_name in SCALING_ATTRIBUTES
        ):
            self.async_write_ha_state()

    def _raw(self, name: str) -> int | None:
        value = self.metering.get(name)
        return None if value is None else int(value)


class MeterStatusSensor(MeterSensor):
    """The meter's status bits."""

    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(
        self,
        runtime: SmartEnergyRuntime,
        se_device: SmartEnergyDevice,
        metering: Cluster,
    ) -> None:
        """Create the sensor."""
        super().__init__(runtime, se_device, metering, "meter_status", METERING_STATUS)

    def _flags(self) -> dict[str, bool] | None:
        if (status := self._raw(METERING_STATUS)) is None:
            return None
        bits = metering_status(status, self._raw("metering_device_type") or 0)
        return {str(flag.name).lower(): flag in bits for flag in type(bits)}

    @property
    def native_value(self) -> str | None:
        """Return "ok", or the names of the bits set."""
        if (flags := self._flags()) is None:
            return None
        return ", ".join(name for name, is_set in flags.items() if is_set) or "ok"

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return each bit of the meter's device type."""
        return self._flags()


class TierSummationSensor(MeterSensor):
    """What the meter counted in one price tier, delivered or received."""

    _attr_state_class = SensorStateClass.TOTAL_INCREASING

    def __init__(
        self,
        runtime: SmartEnergyRuntime,
        se_device: SmartEnergyDevice,
        metering: Cluster,
        tier: int,
        direction: str,
    ) -> None:
        """Create the sensor of ``tier`` (1-6), ``delivered`` or ``received``."""
        super().__init__(
            runtime,
            se_device,
            metering,
            f"tier{tier}_summation_{direction}",
            f"current_tier{tier}_summ_{direction}",
        )
        self._attr_translation_key = f"tier_summation_{direction}"
        self._attr_translation_placeholders = {"tier": str(tier)}

    @property
    def native_unit_of_measurement(self) -> str | None:
        """Return the meter's summation unit."""
        return self._quantity()[0]

    @property
    def device_class(self) -> SensorDeviceClass | None:
        """Return energy, gas or water, from the unit and the meter type."""
        return self._quantity()[1]

    def _quantity(self) -> tuple[str | None, SensorDeviceClass | None]:
        return summation_quantity(
            self._raw("unit_of_measure") or 0, self._raw("metering_device_type")
        )

    @property
    def native_value(self) -> Decimal | None:
        """Return the summation in the meter's unit."""
        if (raw := self._raw(self.attribute)) is None:
            return None
        return metered_value(
            raw,
            self._raw("multiplier") or 1,
            self._raw("divisor") or 1,
            self._raw("unit_of_measure") or 0,
        )
