"""Buttons that confirm Smart Energy messages a server sent."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import SEGatewayConfigEntry
from .smart_energy.platforms import async_setup_buttons

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the confirm buttons of Messaging servers."""
    async_setup_buttons(hass, entry, async_add_entities)
