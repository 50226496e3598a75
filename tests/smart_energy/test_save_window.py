"""What the gateway promised is on disk before it is on the air.

- An event the user creates is written before the first frame of its fan-out
  leaves (write-through), measured on a real file.
- Frequent changes from devices are saved with a bounded delay: however often
  a meter publishes, a write follows the first unsaved change within
  ``MAX_SAVE_DELAY`` seconds.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
import time
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.helpers import storage
import pytest

from custom_components.se_gateway.core.clusters import Price
from custom_components.se_gateway.smart_energy import storage as se_storage
from custom_components.se_gateway.smart_energy.storage import (
    MAX_SAVE_DELAY,
    SAVE_DELAY,
    EngineStore,
)

from ..gateway import real_storage as storage_files
from ..gateway.real_storage import read_file
from .conftest import SmartEnergyNetwork
from .records import price

# The fixtures of real storage files.
hass_config_dir = storage_files.hass_config_dir
real_storage = storage_files.real_storage


async def test_a_created_event_is_on_disk_before_it_is_on_the_air(
    hass: HomeAssistant, real_storage: Path, se_network: SmartEnergyNetwork
) -> None:
    net = se_network
    path = real_storage / f"se_gateway.{net.entry.entry_id}.smart_energy"
    written: list[float] = []
    write = storage.Store._async_write_data

    async def timed_write(store: storage.Store, data: dict[str, Any]) -> None:
        await write(store, data)
        if store.key == path.name:
            written.append(time.monotonic())

    seen = len(net.simulator.captured)
    with patch.object(storage.Store, "_async_write_data", timed_write):
        started = time.monotonic()
        await net.runtime.engine.create_price_event(price())
        returned = time.monotonic()
    on_air = next(
        frame.at
        for frame in net.simulator.captured[seen:]
        if frame.cluster_id == Price.cluster_id
    )

    assert written
    assert written[0] < on_air
    prices = read_file(path)["engine"]["server"]["prices"]
    assert [p["record"]["issuer_event_id"] for p in prices] == [1]
    print(
        f"written {1000 * (written[0] - started):.1f} ms after the call, "
        f"on the air {1000 * (on_air - started):.1f} ms, "
        f"call returned {1000 * (returned - started):.1f} ms"
    )


@pytest.mark.parametrize("interval", [0.4])
async def test_frequent_changes_are_saved_within_the_bound(
    hass: HomeAssistant, interval: float
) -> None:
    """A meter publishing 2.5 prices a second does not postpone the save."""
    writes: list[float] = []

    def data() -> dict[str, Any]:
        writes.append(hass.loop.time())
        return {}

    store = EngineStore(hass, "bounded", data)
    first = hass.loop.time()
    while not writes and hass.loop.time() - first < MAX_SAVE_DELAY + 2:
        store.async_schedule_save()
        await asyncio.sleep(interval)
    await hass.async_block_till_done()

    assert writes
    assert SAVE_DELAY < writes[0] - first <= MAX_SAVE_DELAY + 0.1
    print(f"first write {writes[0] - first:.2f} s after the first change")


async def test_a_quiet_change_is_saved_after_the_short_delay(
    hass: HomeAssistant,
) -> None:
    writes: list[float] = []

    def data() -> dict[str, Any]:
        writes.append(hass.loop.time())
        return {}

    with patch.object(se_storage, "SAVE_DELAY", 0.2):
        store = EngineStore(hass, "quiet", data)
        first = hass.loop.time()
        store.async_schedule_save()
        await asyncio.sleep(0.5)
        await hass.async_block_till_done()

    assert len(writes) == 1
    assert 0.15 < writes[0] - first < 0.45
