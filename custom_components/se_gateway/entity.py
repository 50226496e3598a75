"""The base of every se_gateway entity, and the one way platforms add them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import override

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
import zigpy.types as t

from .data import SEGatewayConfigEntry
from .zha.devices import ZhaDeviceTracker, signal_device_removed


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
    """An entity on a Zigbee device's page or on the gateway's device."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, key: str, device: ZigbeeDevice | GatewayDevice) -> None:
        """Name the entity by ``key`` and put it on ``device``."""
        self._attr_translation_key = key
        self._place = device
        if isinstance(device, ZigbeeDevice):
            self._attr_unique_id = f"{device.ieee}-{key}"
            self.device_entry = device.device_entry
        else:
            self._attr_unique_id = f"{device.entry_id}-{key}"
            self._attr_device_info = device.device_info

    @override
    async def async_added_to_hass(self) -> None:
        """Go away with the Zigbee device when it leaves the network."""
        await super().async_added_to_hass()
        entry = self.platform.config_entry
        if isinstance(self._place, ZigbeeDevice) and entry is not None:
            self.async_on_remove(
                async_dispatcher_connect(
                    self.hass,
                    signal_device_removed(entry.entry_id, self._place.ieee),
                    self._async_device_removed,
                )
            )

    async def _async_device_removed(self) -> None:
        """Remove the entity and its registry entry."""
        if self.registry_entry is not None:
            er.async_get(self.hass).async_remove(self.entity_id)
        else:
            await self.async_remove(force_remove=True)


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
