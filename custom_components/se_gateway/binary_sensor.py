"""Door, tamper and duress sensors of Tuya locks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import SEGatewayConfigEntry
from .entity import TuyaLockEntity
from .platform import async_setup_lock_platform
from .smart_energy.platforms import async_setup_binary_sensors
from .tuya_lock import LockState, TuyaLock

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class LockBinarySensorDescription(BinarySensorEntityDescription):
    """A binary sensor read from the lock's state."""

    is_on: Callable[[LockState], bool | None]


DESCRIPTIONS = (
    LockBinarySensorDescription(
        key="door",
        translation_key="door",
        device_class=BinarySensorDeviceClass.DOOR,
        is_on=lambda state: state.door_open,
    ),
    LockBinarySensorDescription(
        key="tamper",
        translation_key="tamper",
        device_class=BinarySensorDeviceClass.TAMPER,
        is_on=lambda state: state.tamper,
    ),
    LockBinarySensorDescription(
        key="duress",
        translation_key="duress",
        device_class=BinarySensorDeviceClass.SAFETY,
        is_on=lambda state: state.duress,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors of every Tuya lock, and the load control ones."""
    async_setup_lock_platform(
        hass,
        entry,
        async_add_entities,
        lambda lock: [LockBinarySensor(lock, d) for d in DESCRIPTIONS],
    )
    async_setup_binary_sensors(hass, entry, async_add_entities)


class LockBinarySensor(TuyaLockEntity, BinarySensorEntity):
    """A binary sensor of a Tuya lock."""

    entity_description: LockBinarySensorDescription

    def __init__(
        self, lock: TuyaLock, description: LockBinarySensorDescription
    ) -> None:
        """Create the sensor."""
        super().__init__(lock, description.key)
        self.entity_description = description

    @property
    def is_on(self) -> bool | None:
        """Return the state."""
        return self.entity_description.is_on(self.tuya_lock.state)
