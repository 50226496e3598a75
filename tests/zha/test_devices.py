"""One tracker of ZHA's devices: a device ZHA removes takes our entities along."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from custom_components.se_gateway.const import DOMAIN

from ..conftest import wait_for
from ..tuya_lock.conftest import (  # noqa: F401 (fixtures)
    PairedLock,
    pair_lock,
    paired_lock,
)


def _our_entities(hass: HomeAssistant, ieee: str) -> list[er.RegistryEntry]:
    return [
        entry
        for entry in er.async_get(hass).entities.values()
        if entry.platform == DOMAIN and entry.unique_id.startswith(f"{ieee}-")
    ]


async def test_a_removed_device_takes_our_entities_along(
    hass: HomeAssistant,
    paired_lock: PairedLock,  # noqa: F811 (the fixture imported above)
) -> None:
    ieee = str(paired_lock.sim.ieee)
    entries = _our_entities(hass, ieee)
    assert len(entries) >= 5
    # Disabled entities (no entity object) go too.
    assert any(entry.disabled_by is not None for entry in entries)
    runtime = hass.config_entries.async_entries(DOMAIN)[0].runtime_data
    assert paired_lock.sim.ieee in runtime.locks.devices

    await hass.services.async_call("zha", "remove", {"ieee": ieee}, blocking=True)
    await wait_for(hass, lambda: not _our_entities(hass, ieee))

    assert paired_lock.sim.ieee not in runtime.locks.devices
    assert all(hass.states.get(entry.entity_id) is None for entry in entries)
