"""The Tuya locks on ZHA's network, now and when they join later."""

from __future__ import annotations

from typing import Any, override

from homeassistant.helpers import device_registry as dr
from zigpy.device import Device

from ..zha.devices import ZhaDeviceTracker
from .runtime import TuyaLock, find_lock_cluster
from .store import LockSecrets


class LockTracker(ZhaDeviceTracker[TuyaLock]):
    """Adopts each lock once ZHA registered it; lets go of it when it leaves."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Track locks; their keys and temporary passwords are in one store."""
        super().__init__(*args, **kwargs)
        self.secrets = LockSecrets(self.hass)

    @override
    def matches(self, device: Device) -> bool:
        """Take devices with the lock cluster."""
        return find_lock_cluster(device) is not None

    @override
    async def async_set_up(
        self, device: Device, device_entry: dr.DeviceEntry
    ) -> TuyaLock | None:
        """Start following the lock."""
        if (cluster := find_lock_cluster(device)) is None:
            return None
        await self.secrets.async_load()
        lock = TuyaLock(self.hass, device, cluster, device_entry, self.secrets)
        lock.async_start()
        return lock

    @override
    def tear_down(self, item: TuyaLock) -> None:
        """Stop following the lock."""
        item.async_stop()
