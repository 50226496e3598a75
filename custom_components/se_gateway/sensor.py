"""The battery sensor of Tuya locks."""

from __future__ import annotations

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import SEGatewayConfigEntry
from .entity import TuyaLockEntity
from .platform import async_setup_lock_platform
from .smart_energy.platforms import async_setup_sensors
from .tuya_lock import TuyaLock

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the battery sensor of every Tuya lock, and the Smart Energy sensors."""
    async_setup_lock_platform(
        hass, entry, async_add_entities, lambda lock: [LockBatterySensor(lock)]
    )
    async_setup_sensors(hass, entry, async_add_entities)


class LockBatterySensor(TuyaLockEntity, RestoreSensor):
    """Battery level; the last value survives a restart."""

    _attr_device_class = SensorDeviceClass.BATTERY
    _attr_native_unit_of_measurement = PERCENTAGE
    _attr_state_class = SensorStateClass.MEASUREMENT
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(self, lock: TuyaLock) -> None:
        """Create the sensor."""
        super().__init__(lock, "battery")

    async def async_added_to_hass(self) -> None:
        """Restore the last battery level until the lock reports again."""
        await super().async_added_to_hass()
        if self.tuya_lock.state.battery is None and (
            last := await self.async_get_last_sensor_data()
        ):
            value = last.native_value
            if isinstance(value, int | float):
                self.tuya_lock.state.battery = int(value)

    @property
    def native_value(self) -> int | None:
        """Return the battery level."""
        return self.tuya_lock.state.battery
