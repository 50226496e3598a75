"""Shared fixtures: the simulated Zigbee network and a real ZHA running against it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.se_gateway.const import DOMAIN
from network_simulator import Network, SimulatedDevice, catalogue

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


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/se_gateway."""


@pytest.fixture
def se_entry(hass: HomeAssistant) -> MockConfigEntry:
    """Return a se_gateway config entry, added to Home Assistant."""
    entry = MockConfigEntry(domain=DOMAIN, title="Smart Energy Gateway", data={})
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
async def zha_with_meter(
    hass: HomeAssistant,
    simulator: Network,
    setup_zha: Callable[..., Coroutine[Any, Any, None]],
) -> SimulatedDevice:
    """Set up ZHA and pair the simulated electricity meter through it."""
    await setup_zha()
    meter = simulator.add_device(catalogue.electricity_meter(changing=False))
    await hass.services.async_call("zha", "permit", {"duration": 60}, blocking=True)
    await wait_for(hass, lambda: _zha_device_ready(hass, meter))
    return meter


def zha_entity_id(
    hass: HomeAssistant, device: SimulatedDevice, suffix: str
) -> str | None:
    """Return the id of the device's ZHA entity whose unique id ends with ``suffix``."""
    for entry in er.async_get(hass).entities.values():
        if (
            entry.platform == ZHA_DOMAIN
            and entry.unique_id.startswith(str(device.ieee))
            and entry.unique_id.endswith(suffix)
        ):
            return entry.entity_id
    return None


def _zha_device_ready(hass: HomeAssistant, device: SimulatedDevice) -> bool:
    """Return True once ZHA shows the meter's summation."""
    entity_id = zha_entity_id(hass, device, "summation_delivered")
    state = hass.states.get(entity_id) if entity_id else None
    return state is not None and state.state not in ("unknown", "unavailable")


async def wait_for(
    hass: HomeAssistant, condition: Callable[[], bool], timeout: float = 15.0
) -> None:
    """Wait until ``condition`` holds, letting HA and the simulator run."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.05)
            await hass.async_block_till_done()


type Call = Callable[..., Awaitable[dict[str, Any] | None]]


@pytest.fixture
async def services_only(hass: HomeAssistant) -> None:
    """Set up se_gateway's services alone, without ZHA or a config entry."""
    assert await async_setup_component(hass, DOMAIN, {})


@pytest.fixture
def call(hass: HomeAssistant) -> Call:
    """Return a function that calls a gateway service as an automation would."""

    async def _call(
        service: str, data: dict[str, Any] | None = None, *, response: bool = True
    ) -> dict[str, Any] | None:
        return await hass.services.async_call(
            DOMAIN, service, data or {}, blocking=True, return_response=response
        )

    return _call
