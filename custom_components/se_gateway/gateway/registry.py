"""What the gateway remembers across restarts: aliases, added devices and reports.

Reports: the attributes whose reports the user asked for
(``report_subscriptions``); only those fire bus events. And the reporting
configurations the gateway sent (``reporting_configurations``: the user's and
its own), which ``reporting_watch`` sends again when reports stop.

Every change is written before it takes effect, one change at a time, so a
failed write changes nothing. The file holds link keys, so it is private.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import UnsupportedStorageVersionError
from homeassistant.helpers.storage import Store
import zigpy.types as t

from ..const import DOMAIN
from .aliases import Alias
from .device_keys import KnownDevice
from .report_subscriptions import (
    AttributeKey,
    ReportingConfiguration,
    ReportingConfigurations,
    ReportSubscription,
    ReportSubscriptions,
)
from .stored_files import (
    async_keep_backup,
    async_report_damage,
    clear_newer,
    report_newer,
    warn_dropped,
)

STORAGE_KEY: Final = f"{DOMAIN}.gateway"
STORAGE_VERSION: Final = 1
STORAGE_MINOR_VERSION: Final = 2


class _VersionedStore(Store[dict[str, Any]]):
    """The storage file, migrated from older minor versions."""

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: Any
    ) -> dict[str, Any]:
        """Add the lists that older minor versions lacked.

        Home Assistant writes the migrated data at once, so the file as found
        is copied beside it first. Data that is not an object is left for
        ``async_load`` to report.
        """
        await async_keep_backup(self.hass, self.path)
        if not isinstance(old_data, dict):
            return old_data  # type: ignore[no-any-return]
        return {"aliases": [], "devices": [], "report_subscriptions": [], **old_data}


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


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _records[R](
    data: dict[str, Any],
    key: str,
    what: str,
    read: Callable[[Mapping[str, Any]], R],
    dropped: list[str],
) -> list[R]:
    """Return the records of the list ``data[key]`` that can be read.

    What cannot be read is logged once and described in ``dropped``, by its
    name (alias name or device address) or position: never a key.
    """
    items = data.get(key, [])
    if not isinstance(items, list):
        problem = f"all {key} (not a list but {_kind(items)})"
        warn_dropped(STORAGE_KEY, problem)
        dropped.append(problem)
        return []
    records: list[R] = []
    for index, item in enumerate(items):
        try:
            records.append(read(_mapping(item)))
        except (KeyError, TypeError, ValueError) as err:
            reason = f"missing {err}" if isinstance(err, KeyError) else str(err)
            problem = f"{what} {_name(item, index)}: {reason}"
            warn_dropped(STORAGE_KEY, problem)
            dropped.append(problem)
    return records


def _mapping(item: object) -> Mapping[str, Any]:
    if not isinstance(item, Mapping):
        raise TypeError(f"not an object but {_kind(item)}")
    return item


def _name(item: object, index: int) -> str:
    if isinstance(item, Mapping):
        for field in ("alias_name", "device_address"):
            if isinstance(value := item.get(field), str) and len(value) <= 64:
                return repr(value)
    return f"#{index + 1}"


class GatewayStore:
    """The aliases and added devices, loaded once and saved on every change."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Create the store; call ``async_load`` before use."""
        self._store = _file(hass)
        self._lock = asyncio.Lock()
        self.aliases: dict[str, Alias] = {}
        self.devices: dict[t.EUI64, KnownDevice] = {}
        # One object for the store's life: the attribute report listener holds it.
        self.report_subscriptions = ReportSubscriptions()
        # Also one object for the store's life: the reporting watch holds it.
        self.reporting_configurations = ReportingConfigurations()

    async def async_load(self) -> None:
        """Read the stored aliases, devices and report subscriptions.

        Each record is checked; a bad one is left out with a warning, the rest
        loads, and the file is written again without it after a copy of it was
        kept and a repair issue raised (``stored_files``). A file from a newer
        major version is not read: the store is read-only for this run.
        """
        try:
            data: Any = await self._store.async_load()
        except UnsupportedStorageVersionError as err:
            self._store.make_read_only()
            report_newer(
                self._store.hass,
                STORAGE_KEY,
                err.found_version,
                err.max_supported_version,
            )
            return
        clear_newer(self._store.hass, STORAGE_KEY)
        if data is None:
            return
        dropped: list[str] = []
        if not isinstance(data, dict):
            dropped.append(f"the whole content (not an object but {_kind(data)})")
            data = {}
        self.aliases = {
            alias.alias_name: alias
            for alias in _records(data, "aliases", "alias", Alias.from_dict, dropped)
        }
        self.devices = {
            device.device_address: device
            for device in _records(
                data, "devices", "device", KnownDevice.from_dict, dropped
            )
        }
        self.report_subscriptions.replace(
            _records(
                data,
                "report_subscriptions",
                "report subscription",
                ReportSubscription.from_dict,
                dropped,
            )
        )
        self.reporting_configurations.replace(
            _records(
                data,
                "reporting_configurations",
                "reporting configuration",
                ReportingConfiguration.from_dict,
                dropped,
            )
        )
        if dropped:
            await async_report_damage(
                self._store.hass, STORAGE_KEY, self._store.path, dropped
            )
            async with self._lock:
                await self._async_write(self.aliases, self.devices)

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

    async def async_subscribe_reports(
        self, subscriptions: Iterable[ReportSubscription]
    ) -> None:
        """Add attributes whose reports fire bus events."""
        async with self._lock:
            wanted = self.report_subscriptions.all | frozenset(subscriptions)
            if wanted != self.report_subscriptions.all:
                await self._async_write(self.aliases, self.devices, wanted)
                self.report_subscriptions.replace(wanted)

    async def async_unsubscribe_reports(
        self, subscriptions: Iterable[ReportSubscription]
    ) -> None:
        """Remove attributes whose reports fired bus events."""
        async with self._lock:
            wanted = self.report_subscriptions.all - frozenset(subscriptions)
            if wanted != self.report_subscriptions.all:
                await self._async_write(self.aliases, self.devices, wanted)
                self.report_subscriptions.replace(wanted)

    async def async_set_reporting(
        self, configurations: Iterable[ReportingConfiguration]
    ) -> None:
        """Add or replace reporting configurations the gateway sent."""
        async with self._lock:
            wanted = dict(self.reporting_configurations.all)
            wanted.update((item.key, item) for item in configurations)
            if wanted != self.reporting_configurations.all:
                await self._async_write(
                    self.aliases, self.devices, configurations=wanted.values()
                )
                self.reporting_configurations.replace(wanted.values())

    async def async_remove_reporting(self, keys: Iterable[AttributeKey]) -> None:
        """Forget the reporting configurations of attributes no longer reported."""
        async with self._lock:
            gone = frozenset(keys)
            wanted = [
                item
                for key, item in self.reporting_configurations.all.items()
                if key not in gone
            ]
            if len(wanted) != len(self.reporting_configurations):
                await self._async_write(
                    self.aliases, self.devices, configurations=wanted
                )
                self.reporting_configurations.replace(wanted)

    async def _async_write(
        self,
        aliases: dict[str, Alias],
        devices: dict[t.EUI64, KnownDevice],
        subscriptions: Iterable[ReportSubscription] | None = None,
        *,
        configurations: Iterable[ReportingConfiguration] | None = None,
    ) -> None:
        if subscriptions is None:
            subscriptions = self.report_subscriptions
        if configurations is None:
            configurations = self.reporting_configurations
        await self._store.async_save(
            {
                "aliases": [alias.as_dict() for alias in aliases.values()],
                "devices": [device.as_dict() for device in devices.values()],
                "report_subscriptions": [
                    subscription.as_dict() for subscription in sorted(subscriptions)
                ],
                "reporting_configurations": [
                    item.as_dict() for item in sorted(configurations)
                ],
            }
        )
