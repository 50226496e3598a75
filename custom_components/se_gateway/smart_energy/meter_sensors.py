"""Meter sensors ZHA leaves out: meter status, energy per tier, 0x0109 meters.

ZHA already shows a Home Automation meter's summations and demand. These add,
on the meter's ZHA device, what the meter supports of:

- "Meter status" (diagnostic): the Metering status bits read with the bits of
  the meter's device type (electricity, gas, water, heat); "ok" when none is
  set, otherwise the set bits' names; each bit is also an attribute.
- "Tier N energy delivered / received": the tier summations, scaled with the
  meter's multiplier, divisor and unit, as total-increasing energy (or gas, or
  water) that the Energy dashboard accepts.
- On a meter of the Smart Energy profile (0x0109), which ZHA skips: "Energy
  delivered / received" (the summations, scaled alike) and "Instantaneous
  demand" (power in kW, or a volume flow rate).

They follow the Metering cluster's attribute reports, reads and updates.
"""

from __future__ import annotations

from abc import abstractmethod
from decimal import Decimal
from typing import Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorStateClass,
)
from homeassistant.const import EntityCategory
from homeassistant.core import callback
from zigpy.zcl import (
    AttributeReadEvent,
    AttributeReportedEvent,
    AttributeUpdatedEvent,
    Cluster,
)

from ..core.clusters import Metering
from ..core.clusters.metering import metered_value, metering_status
from ..core.engine import Notification
from .devices import METERING_STATUS, SCALING_ATTRIBUTES, TIERS, SmartEnergyDevice
from .entity import SmartEnergyEntity
from .runtime import SmartEnergyRuntime
from .se_profile_meter import is_on_smart_energy_profile
from .values import demand_quantity, summation_quantity

DIRECTIONS = ("delivered", "received")
DEMAND = "instantaneous_demand"


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
        for direction in DIRECTIONS
        if f"current_tier{tier}_summ_{direction}" in supported
    )
    if is_on_smart_energy_profile(metering):
        sensors.extend(
            SummationSensor(
                runtime,
                se_device,
                metering,
                f"summation_{direction}",
                f"current_summ_{direction}",
            )
            for direction in DIRECTIONS
            if f"current_summ_{direction}" in supported
        )
        if DEMAND in supported:
            sensors.append(DemandSensor(runtime, se_device, metering, DEMAND, DEMAND))
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

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the Metering cluster's attribute reports and reads."""
        await super().async_added_to_hass()
        for event_type in (
            AttributeUpdatedEvent.event_type,
            AttributeReadEvent.event_type,
            AttributeReportedEvent.event_type,
        ):
            self.async_on_remove(
                self.metering.on_event(event_type, self._attribute_updated)
            )

    @callback
    @override
    def _handle_runtime(self, notification: Notification | None) -> None:
        """Meter values do not come from the event engine."""

    @callback
    def _attribute_updated(
        self, event: AttributeUpdatedEvent | AttributeReadEvent | AttributeReportedEvent
    ) -> None:
        if (
            event.attribute_name == self.attribute
            or event.attribute_name in SCALING_ATTRIBUTES
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
    @override
    def native_value(self) -> str | None:
        """Return "ok", or the names of the bits set."""
        if (flags := self._flags()) is None:
            return None
        return ", ".join(name for name, is_set in flags.items() if is_set) or "ok"

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return each bit of the meter's device type."""
        return self._flags()


class ScaledMeterSensor(MeterSensor):
    """A meter value scaled with the meter's multiplier, divisor and unit."""

    @property
    @override
    def native_unit_of_measurement(self) -> str | None:
        """Return the meter's unit of this value."""
        return self._quantity()[0]

    @property
    @override
    def device_class(self) -> SensorDeviceClass | None:
        """Return the device class of the meter's unit."""
        return self._quantity()[1]

    @abstractmethod
    def _quantity(self) -> tuple[str | None, SensorDeviceClass | None]:
        """Return the HA unit and device class of the meter's unit."""

    @property
    @override
    def native_value(self) -> Decimal | None:
        """Return the value in the meter's unit."""
        if (raw := self._raw(self.attribute)) is None:
            return None
        return metered_value(
            raw,
            self._raw("multiplier") or 1,
            self._raw("divisor") or 1,
            self._raw("unit_of_measure") or 0,
        )


class SummationSensor(ScaledMeterSensor):
    """What the meter counted, delivered or received: energy, gas or water."""

    _attr_state_class = SensorStateClass.TOTAL_INCREASING

    @override
    def _quantity(self) -> tuple[str | None, SensorDeviceClass | None]:
        return summation_quantity(
            self._raw("unit_of_measure") or 0, self._raw("metering_device_type")
        )


class TierSummationSensor(SummationSensor):
    """What the meter counted in one price tier, delivered or received."""

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


class DemandSensor(ScaledMeterSensor):
    """The meter's instantaneous demand: power, or a volume flow rate."""

    _attr_state_class = SensorStateClass.MEASUREMENT

    @override
    def _quantity(self) -> tuple[str | None, SensorDeviceClass | None]:
        return demand_quantity(self._raw("unit_of_measure") or 0)
