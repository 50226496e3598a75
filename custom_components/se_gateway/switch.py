"""On/off settings of Tuya locks, e.g. reverse lock."""

from __future__ import annotations

from typing import Any, override

from homeassistant.components.switch import SwitchEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .core.tuya_lock.settings import SettingKind
from .data import SEGatewayConfigEntry
from .entity import async_add_device_entities
from .tuya_lock.entity import TuyaLockSettingEntity, lock_settings

PARALLEL_UPDATES = 1


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a switch for each on/off setting of every Tuya lock."""
    async_add_device_entities(
        hass,
        entry,
        async_add_entities,
        entry.runtime_data.locks,
        lock_settings(SettingKind.SWITCH, LockSettingSwitch),
    )


class LockSettingSwitch(TuyaLockSettingEntity, SwitchEntity):
    """An on/off setting of a Tuya lock."""

    @property
    @override
    def is_on(self) -> bool | None:
        """Return the setting the lock reported."""
        value = self.setting_value
        return None if value is None else bool(value)

    @override
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Turn the setting on."""
        await self.async_write_setting(True)

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn the setting off."""
        await self.async_write_setting(False)
