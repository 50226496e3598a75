"""What the gateway remembers across restarts: aliases and added devices.

Every change is written before it takes effect, one change at a time, so a
failed write changes nothing. The file holds link keys, so it is private.
"""

from __future__ import annotations

import asyncio
from typing import Any, Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
import zigpy.types as t

from ..const import DOMAIN
from .aliases import Alias
from .device_keys import KnownDevice

STORAGE_KEY: Final = f"{DOMAIN}.gateway"
STORAGE_VERSION: Final = 1
STORAGE_MINOR_VERSION: Final = 1


class _VersionedStore(Store[dict[str, Any]]):
    """The storage file, migrated from older minor versions."""

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: Any
    ) -> dict[str, Any]:
        """Add the lists that older minor versions lacked."""
        return {"aliases": [], "devices": [], **old_data}


def _file(hass: HomeAssistant) -> _VersionedStore:
    return _VersionedStore(
        hass,
        STORAGE_VERSION,
        STORAGE_KEY,
        private=True,
        minor_version=STORAGE_MINOR_VERSION,
    )


async def async_remove_gateway_store(hass: HomeAssistant) -> None:
    """Delete the file of the gateway's aliases and added devices."""
    await _file(hass).async_remove()


class GatewayStore:
    """The aliases and added devices, loaded once and saved on every change."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Create the store; call ``async_load`` before use."""
        self._store = _file(hass)
        self._lock = asyncio.Lock()
        self.aliases: dict[str, Alias] = {}
        self.devices: dict[t.EUI64, KnownDevice] = {}

    async def async_load(self) -> None:
        """Read the stored aliases and devices."""
        data = await self._store.async_load() or {}
        self.aliases = {
            alias.alias_name: alias
            for alias in map(Alias.from_dict, data.get("aliases", []))
        }
        self.devices = {
            device.device_address: device
            for device in map(KnownDevice.from_dict, data.get("devices", []))
        }

    async def async_set_alias(self, alias: Alias) -> None:
        """Add or replace an alias."""
        async with self._lock:
            aliases = {**self.aliases, alias.alias_name: alias}
            await self._async_write(aliases, self.devices)
            self.aliases = aliases

    async def async_remove_alias(self, alias_name: str) -> bool:
        """Remove an alias; return False if there was none."""
        async with self._lock:
            if alias_name not in self.aliases:
                return False
            aliases = {k: v for k, v in self.aliases.items() if k != alias_name}
            await self._async_write(aliases, self.devices)
            self.aliases = aliases
            return True

    async def async_set_device(self, device: KnownDevice) -> None:
        """Add or replace an added device."""
        async with self._lock:
            devices = {**self.devices, device.device_address: device}
            await self._async_write(self.aliases, devices)
            self.devices = devices

    async def async_remove_device(self, ieee: t.EUI64) -> bool:
        """Forget an added device; return False if it was not added."""
        async with self._lock:
            if ieee not in self.devices:
                return False
            devices = {k: v for k, v in self.devices.items() if k != ieee}
            await self._async_write(self.aliases, devices)
            self.devices = devices
            return True

    async def _async_write(
        self, aliases: dict[str, Alias], devices: dict[t.EUI64, KnownDevice]
    ) -> None:
        await self._store.async_save(
            {
                "aliases": [alias.as_dict() for alias in aliases.values()],
                "devices": [device.as_dict() for device in devices.values()],
            }
        )
