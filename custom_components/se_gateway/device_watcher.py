"""Finds the Tuya locks on ZHA's network, now and when they join later."""

from __future__ import annotations

from typing import cast

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_send
from zigpy.application import ControllerApplication
import zigpy.device

from .data import SEGatewayConfigEntry
from .platform import SIGNAL_NEW_LOCK
from .tuya_lock import TuyaLock, find_lock_cluster


class DeviceWatcher:
    """Listens to zigpy for devices joining, leaving and being removed."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SEGatewayConfigEntry,
        application: ControllerApplication,
    ) -> None:
        """Watch ``application`` for ``entry``."""
        self.hass = hass
        self.entry = entry
        self.application = application

    @callback
    def async_start(self) -> None:
        """Adopt the locks ZHA already knows and listen for more."""
        for device in self.application.devices.values():
            self._adopt(cast(zigpy.device.Device, device))
        self.application.add_listener(self)

    @callback
    def async_stop(self) -> None:
        """Stop listening and let go of the locks."""
        self.application.remove_listener(self)
        for lock in self.entry.runtime_data.locks.values():
            lock.async_stop()
        self.entry.runtime_data.locks.clear()

    def _adopt(self, device: zigpy.device.Device) -> TuyaLock | None:
        locks = self.entry.runtime_data.locks
        if device.ieee in locks or (cluster := find_lock_cluster(device)) is None:
            return None
        lock = TuyaLock(self.hass, device, cluster)
        lock.async_start()
        locks[device.ieee] = lock
        return lock

    # zigpy listener methods ----------------------------------------------------

    def device_initialized(self, device: zigpy.device.Device) -> None:
        """Adopt a lock that just joined and add its entities."""
        if lock := self._adopt(device):
            async_dispatcher_send(
                self.hass, f"{SIGNAL_NEW_LOCK}_{self.entry.entry_id}", lock
            )

    def device_removed(self, device: zigpy.device.Device) -> None:
        """Let go of a removed lock."""
        if lock := self.entry.runtime_data.locks.pop(device.ieee, None):
            lock.async_stop()
