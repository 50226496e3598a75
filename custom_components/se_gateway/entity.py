"""The base of every se_gateway entity, and the one way platforms add them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
import zigpy.types as t

from .data import SEGatewayConfigEntry
from .zha.devices import ZhaDeviceTracker, device_unique_id


@dataclass(frozen=True, slots=True)
class ZigbeeDevice:
    """A device on ZHA's network: our entities join its ZHA device page."""

    ieee: t.EUI64
    device_entry: dr.DeviceEntry


@dataclass(frozen=True, slots=True)
class GatewayDevice:
    """The gateway's own device of a config entry."""

    entry_id: str
    device_info: DeviceInfo


class SEGatewayEntity(Entity):
    """An entity on a Zigbee device's page or on the gateway's device.

    A Zigbee device's entities go when it leaves the network
    (``zha.devices.ZhaDeviceTracker``).
    """

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, key: str, device: ZigbeeDevice | GatewayDevice) -> None:
        """Name the entity by ``key`` and put it on ``device``."""
        self._attr_translation_key = key
        if isinstance(device, ZigbeeDevice):
            self._attr_unique_id = device_unique_id(device.ieee, key)
            self.device_entry = device.device_entry
        else:
            self._attr_unique_id = f"{device.entry_id}-{key}"
            self._attr_device_info = device.device_info


@callback
def async_add_device_entities[T](
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    tracker: ZhaDeviceTracker[T],
    make: Callable[[T], Iterable[Entity]],
) -> None:
    """Add ``make``'s entities for the tracker's devices, now and as they come."""

    @callback
    def add(item: T) -> None:
        async_add_entities(make(item))

    for item in tracker.devices.values():
        add(item)
    entry.async_on_unload(async_dispatcher_connect(hass, tracker.signal_new, add))
