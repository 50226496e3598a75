"""Numeric settings of Tuya locks, e.g. the auto-lock time."""

from __future__ import annotations

from typing import override

from homeassistant.components.number import NumberDeviceClass, NumberEntity, NumberMode
from homeassistant.const import UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .core.tuya_lock.settings import LockSetting, SettingKind
from .data import SEGatewayConfigEntry
from .entity import async_add_device_entities
from .tuya_lock.entity import TuyaLockSettingEntity, lock_settings
from .tuya_lock.runtime import TuyaLock

PARALLEL_UPDATES = 1


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a number for each numeric setting of every Tuya lock."""
    async_add_device_entities(
        hass,
        entry,
        async_add_entities,
        entry.runtime_data.locks,
        lock_settings(SettingKind.NUMBER, LockSettingNumber),
    )


class LockSettingNumber(TuyaLockSettingEntity, NumberEntity):
    """A numeric setting of a Tuya lock, in seconds."""

    _attr_device_class = NumberDeviceClass.DURATION
    _attr_native_unit_of_measurement = UnitOfTime.SECONDS
    _attr_native_step = 1
    _attr_mode = NumberMode.BOX

    def __init__(self, lock: TuyaLock, setting: LockSetting) -> None:
        """Take the range from the setting."""
        super().__init__(lock, setting)
        self._attr_native_min_value = setting.minimum
        self._attr_native_max_value = setting.maximum

    @property
    @override
    def native_value(self) -> int | None:
        """Return the setting the lock reported."""
        value = self.setting_value
        return None if value is None else int(value)

    @override
    async def async_set_native_value(self, value: float) -> None:
        """Send a new value."""
        await self.async_write_setting(int(value))
