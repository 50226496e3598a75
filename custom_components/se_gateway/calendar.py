"""The calendar of Smart Energy price and load control events."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import SEGatewayConfigEntry
from .smart_energy.calendar_entity import gateway_calendars

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the calendar of price and load control events."""
    async_add_entities(gateway_calendars(entry.runtime_data.smart_energy))
