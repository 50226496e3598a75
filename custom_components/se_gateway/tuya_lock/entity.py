"""Base entities of the Tuya lock entities."""

from __future__ import annotations

from collections.abc import Callable
from typing import override

from homeassistant.const import STATE_OFF, STATE_ON, EntityCategory
from homeassistant.core import callback
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.restore_state import RestoreEntity

from ..core.tuya_lock import events
from ..core.tuya_lock.settings import LockSetting, SettingKind, SettingValue
from ..entity import SEGatewayEntity, ZigbeeDevice
from .runtime import TuyaLock


class TuyaLockEntity(SEGatewayEntity):
    """An entity of a Tuya lock, on the lock's ZHA device."""

    def __init__(self, lock: TuyaLock, key: str) -> None:
        """Attach the entity to the lock."""
        super().__init__(key, ZigbeeDevice(lock.ieee, lock.device_entry))
        self.tuya_lock = lock

    @property
    @override
    def available(self) -> bool:
        """Return True while the lock's heartbeat arrives."""
        return self.tuya_lock.available

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the lock's events."""
        await super().async_added_to_hass()
        self.async_on_remove(self.tuya_lock.async_add_listener(self._handle_lock_event))

    @callback
    def _handle_lock_event(self, event: events.LockEvent | None) -> None:
        """Update the state; entities that react to events override this."""
        self.async_write_ha_state()


def restored_setting(setting: LockSetting, state: str) -> int | None:
    """Return the raw value (as the lock reports it) of an entity's last state."""
    match setting.kind:
        case SettingKind.SWITCH:
            return {STATE_ON: 1, STATE_OFF: 0}.get(state)
        case SettingKind.NUMBER:
            try:
                return int(float(state))
            except ValueError:
                return None
    return setting.options.index(state) if state in setting.options else None


class TuyaLockSettingEntity(TuyaLockEntity, RestoreEntity):
    """A configuration entity of one of the lock's settings."""

    _attr_entity_category = EntityCategory.CONFIG

    def __init__(self, lock: TuyaLock, setting: LockSetting) -> None:
        """Attach the entity to the lock's setting."""
        super().__init__(lock, setting.key)
        self.setting = setting

    @override
    async def async_added_to_hass(self) -> None:
        """Show the last known value after a restart, until the lock reports."""
        await super().async_added_to_hass()
        if (last := await self.async_get_last_state()) is not None and (
            value := restored_setting(self.setting, last.state)
        ) is not None:
            self.tuya_lock.async_restore_config(self.setting.key, value)

    @property
    def setting_value(self) -> SettingValue | None:
        """Return the value the lock last reported."""
        return self.setting.read(self.tuya_lock.state.config.get(self.setting.key))

    async def async_write_setting(self, value: SettingValue) -> None:
        """Send a new value; the state follows the lock's answer."""
        await self.tuya_lock.async_write_setting(self.setting, value)


def lock_settings(
    kind: SettingKind, entity_class: Callable[[TuyaLock, LockSetting], Entity]
) -> Callable[[TuyaLock], list[Entity]]:
    """Return a factory of an ``entity_class`` entity per ``kind`` setting of a lock."""
    return lambda lock: [
        entity_class(lock, setting)
        for setting in lock.cluster.settings
        if setting.kind is kind
    ]
