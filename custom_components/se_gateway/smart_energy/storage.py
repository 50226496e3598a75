"""Home Assistant storage of the Smart Energy state: the engine and the calendar.

One file per config entry holds ``{"engine": engine.to_dict(), "history":
[calendar items], "failures": {ieee: failed transmissions in a row}}``. The
engine's dict carries its own version, which ``GatewayEngine.restore``
migrates; this file's version covers the envelope, and
``_async_migrate_func`` is where its migrations go.

Two ways to save:

- ``async_save``: now. What the user asked for (an event created or
  cancelled) is written this way before it is sent to any device;
- ``async_schedule_save``: soon, for what devices change (prices a meter
  publishes, reports, confirmations). Changes close together go in one write
  ``SAVE_DELAY`` seconds after the last one, but a write is never put off
  more than ``MAX_SAVE_DELAY`` seconds after the first unsaved change, however
  often devices change things.

A file from a newer major version is not read and never overwritten (the
store is read-only for this run, see ``gateway.stored_files``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import UnsupportedStorageVersionError
from homeassistant.helpers.storage import Store

from ..const import DOMAIN
from ..gateway.stored_files import async_keep_backup, clear_newer, report_newer

STORAGE_VERSION: Final = 1
STORAGE_MINOR_VERSION: Final = 1
SAVE_DELAY: Final = 1.0
MAX_SAVE_DELAY: Final = 5.0

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
        data is read with the keys it lacks at their defaults. Home Assistant
        writes the migrated data at once, so the file as found is copied first.
        """
        await async_keep_backup(self.hass, self.path)
        if not isinstance(old_data, dict):
            return {"engine": old_data}
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
        self._first_unsaved: float | None = None
        self.read_only = False

    @property
    def key(self) -> str:
        """Return the storage key."""
        return self._store.key

    @property
    def path(self) -> str:
        """Return the file's path."""
        return str(self._store.path)

    async def async_load(self) -> StoredState:
        """Return the saved state; empty when nothing was saved.

        A file from a newer major version is not read: the state is empty and
        the store read-only (``read_only``), with a repair issue.
        """
        try:
            stored: Any = await self._store.async_load()
        except UnsupportedStorageVersionError as err:
            self.make_read_only(err.found_version, err.max_supported_version)
            return {}
        clear_newer(self._store.hass, self._store.key)
        if stored is None:
            return {}
        if not isinstance(stored, dict):
            return {"engine": stored}
        return stored

    def make_read_only(self, found: object, supported: object) -> None:
        """Never write the file in this run, and raise the repair issue."""
        self.read_only = True
        self._store.make_read_only()
        report_newer(self._store.hass, self._store.key, found, supported)

    @callback
    def async_schedule_save(self) -> None:
        """Save soon; changes until then go in the same write.

        The write is at most ``MAX_SAVE_DELAY`` seconds after the first change
        it holds.
        """
        now = self._store.hass.loop.time()
        if self._first_unsaved is None:
            self._first_unsaved = now
        delay = min(SAVE_DELAY, self._first_unsaved + MAX_SAVE_DELAY - now)
        self._store.async_delay_save(self._written, max(delay, 0.0))

    def _written(self) -> StoredState:
        """Return the state to write; it holds every change so far."""
        self._first_unsaved = None
        return self._data()

    async def async_save(self) -> None:
        """Save the state now (a pending delayed save is included)."""
        await self._store.async_save(self._written())


async def async_remove_store(hass: HomeAssistant, entry_id: str) -> None:
    """Delete the file of a config entry that was removed."""
    await _SmartEnergyStore(
        hass,
        STORAGE_VERSION,
        storage_key(entry_id),
        minor_version=STORAGE_MINOR_VERSION,
    ).async_remove()
