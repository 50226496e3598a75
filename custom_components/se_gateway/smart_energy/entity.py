"""Base of the Smart Energy entities: on the gateway's device or a ZHA device.

Gateway-level entities (the gateway's own prices, load control events and
messages, the calendar, the notify entity) live on a se_gateway device of
the config entry. Entities of one device (a meter's prices, an in-home
display's status) join that device's ZHA device page. Every entity redraws
after each refresh of the runtime's snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import override

from homeassistant.core import callback
from homeassistant.helpers.entity import Entity

from ..core.engine import DeviceRef, Notification
from ..entity import GatewayDevice, SEGatewayEntity, ZigbeeDevice
from .devices import SmartEnergyDevice
from .runtime import SmartEnergyRuntime


class SmartEnergyEntity(SEGatewayEntity):
    """An entity fed by the Smart Energy runtime."""

    def __init__(
        self,
        runtime: SmartEnergyRuntime,
        key: str,
        se_device: SmartEnergyDevice | None = None,
    ) -> None:
        """Attach the entity to ``se_device``'s ZHA device, or to the gateway."""
        super().__init__(
            key,
            GatewayDevice(runtime.entry.entry_id, runtime.device_info)
            if se_device is None
            else ZigbeeDevice(se_device.ieee, se_device.device_entry),
        )
        self.runtime = runtime
        self.se_device = se_device

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the runtime."""
        await super().async_added_to_hass()
        self.async_on_remove(self.runtime.async_add_listener(self._handle_runtime))

    @callback
    def _handle_runtime(self, notification: Notification | None) -> None:
        """Redraw after a refresh; entities that take notifications override this."""
        if notification is None:
            self.async_write_ha_state()


type ServerEntity[E: Entity] = Callable[
    [SmartEnergyRuntime, SmartEnergyDevice, DeviceRef], E
]


def server_entities[E: Entity](
    cluster_id: int, make: ServerEntity[E]
) -> Callable[[SmartEnergyRuntime, SmartEnergyDevice], list[E]]:
    """Return a factory of a device's ``make`` entity for its ``cluster_id`` server.

    The factory returns no entity for a device without that server.
    """

    def entities(runtime: SmartEnergyRuntime, se_device: SmartEnergyDevice) -> list[E]:
        if (source := se_device.server(cluster_id)) is None:
            return []
        return [make(runtime, se_device, source)]

    return entities
