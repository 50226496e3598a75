"""Settings of Tuya locks with a few options, e.g. the volume."""

from __future__ import annotations

from typing import override

from homeassistant.components.select import SelectEntity
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
    """Add a select for each option setting of every Tuya lock."""
    async_add_device_entities(
        hass,
        entry,
        async_add_entities,
        entry.runtime_data.locks,
        lock_settings(SettingKind.SELECT, LockSettingSelect),
    )


class LockSettingSelect(TuyaLockSettingEntity, SelectEntity):
    """An option setting of a Tuya lock."""

    def __init__(self, lock: TuyaLock, setting: LockSetting) -> None:
        """Take the options from the setting."""
        super().__init__(lock, setting)
        self._attr_options = list(setting.options)

    @property
    @override
    def current_option(self) -> str | None:
        """Return the option the lock reported."""
        value = self.setting_value
        return None if value is None else str(value)

    @override
    async def async_select_option(self, option: str) -> None:
        """Send the new option."""
        await self.async_write_setting(option)
