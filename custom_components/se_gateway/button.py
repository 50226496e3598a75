"""Buttons that confirm Smart Energy messages a server sent."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import SEGatewayConfigEntry
from .entity import async_add_device_entities
from .smart_energy.message_entities import device_confirm_buttons

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the confirm buttons of Messaging servers."""
    runtime = entry.runtime_data.smart_energy
    async_add_device_entities(
        hass,
        entry,
        async_add_entities,
        runtime.devices,
        lambda se_device: device_confirm_buttons(runtime, se_device),
    )
