"""The notify entity that sends Smart Energy messages to in-home displays."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import SEGatewayConfigEntry
from .smart_energy.message_entities import gateway_notify_entities

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the notify entity of the in-home displays."""
    async_add_entities(gateway_notify_entities(entry.runtime_data.smart_energy))
