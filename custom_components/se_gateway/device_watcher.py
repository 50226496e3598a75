"""Finds the Tuya locks on ZHA's network, now and when they join later."""

from __future__ import annotations

from typing import cast

from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.dispatcher import async_dispatcher_send
from zigpy.application import ControllerApplication
import zigpy.device
import zigpy.types as t

from .const import ZHA_DOMAIN
from .data import SEGatewayConfigEntry
from .platform import SIGNAL_NEW_LOCK
from .tuya_lock import TuyaLock, find_lock_cluster


class DeviceWatcher:
    """Listens to zigpy for locks joining and leaving.

    A lock is adopted once ZHA has registered its device, so that our entities
    can join it on the same device page.
    """

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
        self._waiting: dict[t.EUI64, zigpy.device.Device] = {}

    @callback
    def async_start(self) -> None:
        """Adopt the locks ZHA already knows and listen for more."""
        for device in self.application.devices.values():
            self._adopt(cast(zigpy.device.Device, device))
        self.application.add_listener(self)
        self.entry.async_on_unload(
            self.hass.bus.async_listen(
                dr.EVENT_DEVICE_REGISTRY_UPDATED, self._device_registry_updated
            )
        )

    @callback
    def async_stop(self) -> None:
        """Stop listening and let go of the locks."""
        self.application.remove_listener(self)
        for lock in self.entry.runtime_data.locks.values():
            lock.async_stop()
        self.entry.runtime_data.locks.clear()
        self._waiting.clear()

    def _zha_device_entry(self, ieee: t.EUI64) -> dr.DeviceEntry | None:
        return dr.async_get(self.hass).async_get_device_by_identifier(
            (ZHA_DOMAIN, str(ieee)), self.entry.runtime_data.zha_entry_id
        )

    def _adopt(self, device: zigpy.device.Device) -> TuyaLock | None:
        locks = self.entry.runtime_data.locks
        if device.ieee in locks or (cluster := find_lock_cluster(device)) is None:
            return None
        if (device_entry := self._zha_device_entry(device.ieee)) is None:
            self._waiting[device.ieee] = device
            return None
        self._waiting.pop(device.ieee, None)
        lock = TuyaLock(self.hass, device, cluster, device_entry)
        lock.async_start()
        locks[device.ieee] = lock
        return lock

    def _adopt_and_announce(self, device: zigpy.device.Device) -> None:
        if lock := self._adopt(device):
            async_dispatcher_send(
                self.hass, f"{SIGNAL_NEW_LOCK}_{self.entry.entry_id}", lock
            )

    @callback
    def _device_registry_updated(
        self, event: Event[dr.EventDeviceRegistryUpdatedData]
    ) -> None:
        """Adopt a waiting lock once ZHA registered its device."""
        for device in list(self._waiting.values()):
            self._adopt_and_announce(device)

    # zigpy listener methods ----------------------------------------------------

    def device_initialized(self, device: zigpy.device.Device) -> None:
        """Adopt a lock that just joined and add its entities."""
        self._adopt_and_announce(device)

    def device_removed(self, device: zigpy.device.Device) -> None:
        """Let go of a removed lock."""
        self._waiting.pop(device.ieee, None)
        if lock := self.entry.runtime_data.locks.pop(device.ieee, None):
            lock.async_stop()
