"""The notify entity that sends Smart Energy messages to in-home displays."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import SEGatewayConfigEntry
from .smart_energy.platforms import async_setup_notify

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the notify entity of the in-home displays."""
    async_setup_notify(hass, entry, async_add_entities)
