"""Shared fixtures: the simulated Zigbee network and a real ZHA running against it."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component

from network_simulator import Network

ZHA_DOMAIN = "zha"


@pytest.fixture
async def simulator(socket_enabled: None) -> AsyncGenerator[Network]:
    """Start a simulated network on an ephemeral loopback port."""
    network = Network(seed=1)
    await network.start()
    yield network
    await network.stop()


@pytest.fixture
async def zha_entry(
    hass: HomeAssistant, simulator: Network
) -> AsyncGenerator[MockConfigEntry]:
    """Return a ZHA config entry for the simulated XBee radio.

    ZHA is unloaded before the simulator stops, as when HA shuts down.
    """
    entry = MockConfigEntry(
        domain=ZHA_DOMAIN,
        version=5,
        minor_version=2,
        data={
            "device": {"path": simulator.url, "baudrate": 115200, "flow_control": None},
            "radio_type": "xbee",
        },
        title="Simulated XBee",
    )
    entry.add_to_hass(hass)
    yield entry
    if entry.state is ConfigEntryState.LOADED:
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()


@pytest.fixture
def setup_zha(
    hass: HomeAssistant, zha_entry: MockConfigEntry, tmp_path: Path
) -> Callable[..., Coroutine[Any, Any, None]]:
    """Return a function that sets up the real ZHA against the simulator."""

    async def _setup(**zha_config: Any) -> None:
        config = {
            "database_path": str(tmp_path / "zigbee.db"),
            "zigpy_config": {"topology_scan_period": 1440, "ota": {"enabled": False}},
            **zha_config,
        }
        assert await async_setup_component(hass, ZHA_DOMAIN, {ZHA_DOMAIN: config})
        await hass.async_block_till_done()

    return _setup
