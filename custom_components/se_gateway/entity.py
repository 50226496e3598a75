"""Base entities of the Tuya lock entities."""

from __future__ import annotations

from homeassistant.const import EntityCategory
from homeassistant.core import callback
from homeassistant.helpers.entity import Entity

from .quirks.tuya_lock import events
from .quirks.tuya_lock.settings import LockSetting, SettingValue
from .tuya_lock import TuyaLock


class TuyaLockEntity(Entity):
    """An entity of a Tuya lock, on the lock's ZHA device."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, lock: TuyaLock, key: str) -> None:
        """Attach the entity to the lock."""
        self.tuya_lock = lock
        self._attr_translation_key = key
        self._attr_unique_id = f"{lock.ieee}-{key}"
        # The lock's ZHA device: our entities show on the same device page.
        self.device_entry = lock.device_entry

    @property
    def available(self) -> bool:
        """Return True while the lock's heartbeat arrives."""
        return self.tuya_lock.available

    async def async_added_to_hass(self) -> None:
        """Follow the lock's events."""
        await super().async_added_to_hass()
        self.async_on_remove(self.tuya_lock.async_add_listener(self._handle_lock_event))

    @callback
    def _handle_lock_event(self, event: events.LockEvent | None) -> None:
        """Update the state; entities that react to events override this."""
        self.async_write_ha_state()


class TuyaLockSettingEntity(TuyaLockEntity):
    """A configuration entity of one of the lock's settings."""

    _attr_entity_category = EntityCategory.CONFIG

    def __init__(self, lock: TuyaLock, setting: LockSetting) -> None:
        """Attach the entity to the lock's setting."""
        super().__init__(lock, setting.key)
        self.setting = setting

    @property
    def setting_value(self) -> SettingValue | None:
        """Return the value the lock last reported."""
        return self.setting.read(self.tuya_lock.state.config.get(self.setting.key))

    async def async_write_setting(self, value: SettingValue) -> None:
        """Send a new value; the state follows the lock's answer."""
        await self.tuya_lock.async_write_setting(self.setting, value)
