"""One tracker of ZHA's devices for every feature.

A feature (the Tuya locks, the Smart Energy devices) says which zigpy devices
it takes (``matches``) and how it sets one up (``async_set_up``). The tracker
finds them now and as they join, waits until ZHA has registered the device
(our entities join its ZHA device page), sets each up once, and lets go of it
when it leaves the network: the feature's ``tear_down`` runs and every entity
of ours on that device, enabled or not, is removed from the entity registry.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.dispatcher import async_dispatcher_send
from zigpy.application import ControllerApplication
from zigpy.device import BaseDevice, Device
import zigpy.types as t

from ..const import DOMAIN, ZHA_DOMAIN


def device_unique_id(ieee: t.EUI64, key: str) -> str:
    """Return the unique id of our ``key`` entity of the device ``ieee``."""
    return f"{ieee}-{key}"


@callback
def async_remove_device_entities(
    hass: HomeAssistant, entry_id: str, ieee: t.EUI64
) -> None:
    """Remove every entity of ours of the device ``ieee`` from the registry."""
    registry = er.async_get(hass)
    prefix = device_unique_id(ieee, "")
    for entity in er.async_entries_for_config_entry(registry, entry_id):
        if entity.unique_id.startswith(prefix):
            registry.async_remove(entity.entity_id)


def zha_device_entry(
    hass: HomeAssistant, zha_entry_id: str, ieee: t.EUI64 | str
) -> dr.DeviceEntry | None:
    """Return ZHA's device entry of ``ieee``, if ZHA registered it."""
    return dr.async_get(hass).async_get_device_by_identifier(
        (ZHA_DOMAIN, str(ieee)), zha_entry_id
    )


class ZhaDeviceTracker[T](ABC):
    """Finds a feature's devices on ZHA's network and sets each up once."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        app: ControllerApplication,
        zha_entry_id: str,
        on_new: Callable[[T], None] = lambda _item: None,
    ) -> None:
        """Watch ``app``, whose devices ZHA's entry ``zha_entry_id`` registers.

        A device set up is announced to ``on_new`` and on ``signal_new``.
        """
        self.hass = hass
        self.entry = entry
        self.app = app
        self.zha_entry_id = zha_entry_id
        self.devices: dict[t.EUI64, T] = {}
        self._on_new = on_new
        self._waiting: dict[t.EUI64, Device] = {}
        self._preparing: set[t.EUI64] = set()
        self._unsubscribe: list[CALLBACK_TYPE] = []

    @property
    def signal_new(self) -> str:
        """Return the signal that announces a device set up."""
        return f"{DOMAIN}_new_{type(self).__name__}_{self.entry.entry_id}"

    @abstractmethod
    def matches(self, device: Device) -> bool:
        """Return True if the feature takes ``device``."""

    @abstractmethod
    async def async_set_up(
        self, device: Device, device_entry: dr.DeviceEntry
    ) -> T | None:
        """Set up ``device``; None when it turns out not to be one after all."""

    def tear_down(self, item: T) -> None:  # noqa: B027 (optional hook)
        """Let go of a device that left the network or of every one on stop."""

    @callback
    def async_start(self) -> None:
        """Take the devices ZHA knows and listen for more."""
        for device in list(self.app.devices.values()):
            self._take(device)
        self.app.add_listener(self)
        self._unsubscribe.append(
            self.hass.bus.async_listen(
                dr.EVENT_DEVICE_REGISTRY_UPDATED, self._device_registry_updated
            )
        )

    @callback
    def async_stop(self) -> None:
        """Stop listening and let go of every device."""
        self.app.remove_listener(self)
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        for item in self.devices.values():
            self.tear_down(item)
        self.devices.clear()
        self._waiting.clear()
        self._preparing.clear()

    def zha_device_entry(self, ieee: t.EUI64 | str) -> dr.DeviceEntry | None:
        """Return ZHA's device entry of ``ieee``, if ZHA registered it."""
        return zha_device_entry(self.hass, self.zha_entry_id, ieee)

    def _take(self, device: BaseDevice) -> None:
        if (
            not isinstance(device, Device)
            or device.ieee in self.devices
            or device.ieee in self._preparing
            or device.ieee == self.app.state.node_info.ieee
            or not self.matches(device)
        ):
            return
        if (device_entry := self.zha_device_entry(device.ieee)) is None:
            self._waiting[device.ieee] = device
            return
        self._waiting.pop(device.ieee, None)
        self._preparing.add(device.ieee)
        self.entry.async_create_background_task(
            self.hass,
            self._async_set_up(device, device_entry),
            f"{DOMAIN} set up {device.ieee}",
        )

    async def _async_set_up(self, device: Device, device_entry: dr.DeviceEntry) -> None:
        item = await self.async_set_up(device, device_entry)
        if device.ieee not in self._preparing:
            # It left, or the tracker stopped, while it was being set up.
            if item is not None:
                self.tear_down(item)
            return
        self._preparing.discard(device.ieee)
        if item is not None:
            self.devices[device.ieee] = item
            self._on_new(item)
            async_dispatcher_send(self.hass, self.signal_new, item)

    @callback
    def _device_registry_updated(
        self, event: Event[dr.EventDeviceRegistryUpdatedData]
    ) -> None:
        """Take waiting devices once ZHA registered them."""
        for device in list(self._waiting.values()):
            self._take(device)

    # zigpy application listener ---------------------------------------------

    def device_initialized(self, device: BaseDevice) -> None:
        """Take a device that joined and was interviewed."""
        self._take(device)

    def device_removed(self, device: BaseDevice) -> None:
        """Let go of a device that left and remove our entities of it."""
        self._waiting.pop(device.ieee, None)
        self._preparing.discard(device.ieee)
        if (item := self.devices.pop(device.ieee, None)) is not None:
            self.tear_down(item)
            async_remove_device_entities(self.hass, self.entry.entry_id, device.ieee)
