"""Adding the entities of every Tuya lock, now and when one joins later."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .data import SEGatewayConfigEntry
from .quirks.tuya_lock.settings import LockSetting, SettingKind
from .tuya_lock import TuyaLock

SIGNAL_NEW_LOCK = f"{DOMAIN}_new_lock"


@callback
def async_setup_lock_platform(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    make_entities: Callable[[TuyaLock], Iterable[Entity]],
) -> None:
    """Add a platform's entities for the known locks and for new ones."""

    @callback
    def add(lock: TuyaLock) -> None:
        async_add_entities(make_entities(lock))

    for lock in entry.runtime_data.locks.values():
        add(lock)
    entry.async_on_unload(
        async_dispatcher_connect(hass, f"{SIGNAL_NEW_LOCK}_{entry.entry_id}", add)
    )


@callback
def async_setup_lock_settings(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    kind: SettingKind,
    entity_class: Callable[[TuyaLock, LockSetting], Entity],
) -> None:
    """Add an ``entity_class`` entity for each ``kind`` setting of every lock."""
    async_setup_lock_platform(
        hass,
        entry,
        async_add_entities,
        lambda lock: [
            entity_class(lock, setting)
            for setting in lock.cluster.settings
            if setting.kind is kind
        ],
    )
