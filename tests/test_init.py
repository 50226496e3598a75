"""Set-up, unload and the quirk registration of se_gateway."""

from __future__ import annotations

from collections.abc import Iterator
import contextlib

from homeassistant.components.zha.helpers import get_zha_gateway
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from zigpy.zcl import Cluster
from zigpy.zcl.clusters.smartenergy import Metering as ZigpyMetering

from custom_components.se_gateway.const import CONF_RELOAD_ZHA_FOR_QUIRKS, DOMAIN
from custom_components.se_gateway.core.clusters import Metering
from custom_components.se_gateway.diagnostics import (
    async_get_config_entry_diagnostics,
)
from custom_components.se_gateway.zha.quirks import CORE_PACKAGE
from network_simulator import Network, SimulatedDevice, catalogue

from .conftest import wait_for


@contextlib.contextmanager
def se_clusters_withdrawn() -> Iterator[None]:
    """Put zigpy's own cluster classes back, as before se_gateway was imported."""
    ours = {
        cluster_id: cls
        for cluster_id, cls in Cluster._registry.items()
        if cls.__module__.startswith(CORE_PACKAGE)
    }
    for cluster_id, cls in ours.items():
        Cluster._registry[cluster_id] = next(
            base for base in cls.__mro__ if base.__module__.startswith("zigpy.zcl.")
        )
    try:
        yield
    finally:
        Cluster._registry.update(ours)


def _metering_cluster(hass: HomeAssistant, meter: SimulatedDevice) -> Cluster:
    device = get_zha_gateway(hass).application_controller.get_device(ieee=meter.ieee)
    return device.endpoints[1].in_clusters[Metering.cluster_id]


async def _pair_meter(hass: HomeAssistant, simulator: Network) -> SimulatedDevice:
    meter = simulator.add_device(catalogue.electricity_meter(changing=False))
    await hass.services.async_call("zha", "permit", {"duration": 60}, blocking=True)
    await wait_for(
        hass,
        lambda: (
            meter.ieee in get_zha_gateway(hass).devices
            and get_zha_gateway(hass).devices[meter.ieee].model == meter.model
        ),
    )
    return meter


async def test_setup_unload_and_reload_leave_nothing_behind(
    hass: HomeAssistant, zha_with_meter: SimulatedDevice, se_entry: MockConfigEntry
) -> None:
    # Entity platforms keep an integration-level stop listener once loaded.
    for component in ("calendar", "notify"):
        assert await async_setup_component(hass, component, {})
    listeners_before = hass.bus.async_listeners()

    assert await hass.config_entries.async_setup(se_entry.entry_id)
    await hass.async_block_till_done()
    assert se_entry.state is ConfigEntryState.LOADED

    assert await hass.config_entries.async_reload(se_entry.entry_id)
    await hass.async_block_till_done()
    assert se_entry.state is ConfigEntryState.LOADED

    assert await hass.config_entries.async_unload(se_entry.entry_id)
    await hass.async_block_till_done()
    assert se_entry.state is ConfigEntryState.NOT_LOADED
    assert hass.bus.async_listeners() == listeners_before
    # Services belong to the integration, not the entry (HA's action-setup rule).
    assert "answer_remote_unlock" in hass.services.async_services_for_domain(DOMAIN)


async def test_not_ready_without_zha(
    hass: HomeAssistant, se_entry: MockConfigEntry
) -> None:
    await hass.config_entries.async_setup(se_entry.entry_id)
    await hass.async_block_till_done()

    assert se_entry.state is ConfigEntryState.SETUP_RETRY
    assert se_entry.error_reason_translation_key == "zha_not_loaded"


async def test_device_paired_after_load_has_quirks_without_reload(
    hass: HomeAssistant, zha_with_meter: SimulatedDevice, se_entry: MockConfigEntry
) -> None:
    gateway = get_zha_gateway(hass)
    assert isinstance(_metering_cluster(hass, zha_with_meter), Metering)

    assert await hass.config_entries.async_setup(se_entry.entry_id)
    await hass.async_block_till_done()

    assert get_zha_gateway(hass) is gateway


async def test_device_paired_before_load_gets_quirks_after_one_zha_reload(
    hass: HomeAssistant, simulator: Network, setup_zha, se_entry: MockConfigEntry
) -> None:
    with se_clusters_withdrawn():
        await setup_zha()
        meter = await _pair_meter(hass, simulator)
        assert type(_metering_cluster(hass, meter)) is ZigpyMetering
        old_gateway = get_zha_gateway(hass)

    assert await hass.config_entries.async_setup(se_entry.entry_id)
    await hass.async_block_till_done()
    await wait_for(hass, lambda: get_zha_gateway(hass) is not old_gateway)
    await hass.async_block_till_done()

    assert isinstance(_metering_cluster(hass, meter), Metering)

    # A second set-up in the same run never reloads ZHA again.
    reloaded_gateway = get_zha_gateway(hass)
    assert await hass.config_entries.async_reload(se_entry.entry_id)
    await hass.async_block_till_done()
    assert get_zha_gateway(hass) is reloaded_gateway


async def test_reload_can_be_turned_off(
    hass: HomeAssistant, simulator: Network, setup_zha
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN, data={}, options={CONF_RELOAD_ZHA_FOR_QUIRKS: False}
    )
    entry.add_to_hass(hass)
    with se_clusters_withdrawn():
        await setup_zha()
        meter = await _pair_meter(hass, simulator)
        gateway = get_zha_gateway(hass)

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert get_zha_gateway(hass) is gateway
    assert type(_metering_cluster(hass, meter)) is ZigpyMetering


async def test_devices_keep_quirks_after_restart_without_reload(
    hass: HomeAssistant,
    zha_with_meter: SimulatedDevice,
    zha_entry,
    se_entry: MockConfigEntry,
) -> None:
    assert await hass.config_entries.async_setup(se_entry.entry_id)
    await hass.async_block_till_done()

    # Stop both integrations and start them again from the same zigpy database.
    assert await hass.config_entries.async_unload(se_entry.entry_id)
    assert await hass.config_entries.async_unload(zha_entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(zha_entry.entry_id)
    await hass.async_block_till_done()
    gateway = get_zha_gateway(hass)
    assert await hass.config_entries.async_setup(se_entry.entry_id)
    await hass.async_block_till_done()

    assert get_zha_gateway(hass) is gateway
    assert isinstance(_metering_cluster(hass, zha_with_meter), Metering)


@pytest.mark.parametrize("key", ["link_key", "install_code"])
async def test_diagnostics_redact_keys(
    hass: HomeAssistant,
    zha_with_meter: SimulatedDevice,
    se_entry: MockConfigEntry,
    key: str,
) -> None:
    hass.config_entries.async_update_entry(
        se_entry, options={key: "00112233445566778899aabbccddeeff"}
    )
    assert await hass.config_entries.async_setup(se_entry.entry_id)
    await hass.async_block_till_done()

    diagnostics = await async_get_config_entry_diagnostics(hass, se_entry)

    assert diagnostics["options"][key] == "**REDACTED**"
    (meter,) = [
        d for d in diagnostics["devices"] if d["ieee"] == str(zha_with_meter.ieee)
    ]
    assert meter["model"] == zha_with_meter.model
    assert meter["needs_reload"] is False
