"""Home Assistant storage of the Smart Energy state: the engine and the calendar.

One file per config entry holds ``{"engine": engine.to_dict(), "history":
[calendar items]}``. The engine's dict carries its own version, which
``GatewayEngine.restore`` migrates; this file's version covers the envelope,
and ``_async_migrate_func`` is where its migrations go. Saves are debounced:
``async_schedule_save`` asks for a write ``SAVE_DELAY`` seconds later, and the
data is read when the write happens (Home Assistant also writes pending data
when it stops).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.storage import Store

from ..const import DOMAIN

STORAGE_VERSION: Final = 1
STORAGE_MINOR_VERSION: Final = 1
SAVE_DELAY: Final = 1.0

type StoredState = dict[str, Any]


def storage_key(entry_id: str) -> str:
    """Return the storage key of a config entry's Smart Energy state."""
    return f"{DOMAIN}.{entry_id}.smart_energy"


class _SmartEnergyStore(Store[StoredState]):
    """The storage file, migrated from older versions."""

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: Any
    ) -> StoredState:
        """Bring the data of an older version up to this one.

        Version 1.1 is the first; a later minor version only adds keys, so the
        data is read with the keys it lacks at their defaults.
        """
        return {"engine": None, "history": [], **old_data}


class EngineStore:
    """Loads and saves the Smart Energy state of one config entry."""

    def __init__(
        self, hass: HomeAssistant, entry_id: str, data: Callable[[], StoredState]
    ) -> None:
        """Store the state ``data`` returns, in a file of entry ``entry_id``."""
        self._store = _SmartEnergyStore(
            hass,
            STORAGE_VERSION,
            storage_key(entry_id),
            minor_version=STORAGE_MINOR_VERSION,
        )
        self._data = data

    async def async_load(self) -> StoredState:
        """Return the saved state; empty when nothing was saved."""
        return await self._store.async_load() or {}

    @callback
    def async_schedule_save(self) -> None:
        """Save the state soon; changes until then go in the same write."""
        self._store.async_delay_save(self._data, SAVE_DELAY)

    async def async_save(self) -> None:
        """Save the state now."""
        await self._store.async_save(self._data())


async def async_remove_store(hass: HomeAssistant, entry_id: str) -> None:
    """Delete the file of a config entry that was removed."""
    await _SmartEnergyStore(
        hass,
        STORAGE_VERSION,
        storage_key(entry_id),
        minor_version=STORAGE_MINOR_VERSION,
    ).async_remove()
