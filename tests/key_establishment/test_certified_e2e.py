"""Certified devices join with an install code, run CBKE, and get SE data encrypted."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
import time
from typing import Any

from homeassistant.components.zha.helpers import get_zha_gateway
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
import zigpy.util
from zigpy.zcl.clusters.smartenergy import Metering

from custom_components.se_gateway.const import DOMAIN
from custom_components.se_gateway.core.cbke import TerminateStatus
from custom_components.se_gateway.core.cbke.zigbee import STALL_MARGIN_S
from custom_components.se_gateway.core.clusters import Drlc, Messaging, Price
from custom_components.se_gateway.core.clusters.types import DeviceClass
from custom_components.se_gateway.core.se_profile import SmartEnergyProfileDevice
from custom_components.se_gateway.key_establishment.runtime import (
    ISSUE_NO_CERTIFICATE,
)
from custom_components.se_gateway.key_establishment.store import (
    DATA_STORE,
    KeyEstablishmentStore,
)
from network_simulator import SimulatedDevice
from network_simulator.certified import (
    KE_CLUSTER,
    OTHER_CA,
    certified_in_home_display,
    certified_meter,
    certified_thermostat,
)

from ..conftest import Call, wait_for
from .conftest import CertifiedNetwork

PRICE = {
    "provider_id": 7,
    "issuer_event_id": 1,
    "currency": 978,
    "price": 245,
    "price_trailing_digit": 3,
    "price_tier": 2,
    "rate_label": "Peak",
    "duration_in_minutes": 60,
}
SUMMATION_WH = 7_654_321


async def test_certified_display_gets_price_and_message_encrypted(
    hass: HomeAssistant,
    certified_network: Callable[..., Coroutine[Any, Any, CertifiedNetwork]],
    call: Call,
) -> None:
    network = await certified_network()
    display = certified_in_home_display(strict=True)
    await network.pair(display)

    # It found the ESI on the Smart Energy endpoint and completed CBKE
    await wait_for(hass, lambda: display.established, timeout=20)
    assert display.certification.esi_endpoint == 0x5E
    runtime = network.runtime
    assert runtime.store is not None
    assert runtime.store.link_keys[display.ieee] == display.certification.link_key
    assert network.simulator.radio.link_keys[display.ieee] == (
        display.certification.link_key
    )
    (outcome,) = runtime.outcomes
    assert outcome.established

    # All of its endpoints are on 0x0109, Basic included: it finished joining
    await network.wait_served(display)
    app = get_zha_gateway(hass).application_controller
    assert isinstance(app.devices[display.ieee], SmartEnergyProfileDevice)
    entry = dr.async_get(hass).async_get_device_by_identifier(
        ("zha", str(display.ieee)), network.entry.runtime_data.zha_entry_id
    )
    assert entry is not None
    assert entry.model == "Certified In-Home Display"
    assert entry.manufacturer == "se_gateway"

    created = await call("create_price_event", PRICE)
    assert created is not None
    assert str(display.ieee) in created["device_list"]
    await wait_for(hass, lambda: bool(display.prices))
    assert display.prices[-1].price == 245

    await call(
        "create_message_event",
        {"message_id": 100, "message_control": 0x00, "message": "Peak at 17:00"},
    )
    await wait_for(hass, lambda: bool(display.messages))
    assert display.messages[-1].message == "Peak at 17:00"

    se_frames = [
        frame
        for frame in network.simulator.captured
        if frame.ieee == display.ieee
        and frame.cluster_id in (Price.cluster_id, Messaging.cluster_id)
    ]
    assert se_frames
    assert all(frame.aps_encrypted for frame in se_frames)
    assert display.certification.dropped_unencrypted == 0


async def test_certified_thermostat_gets_a_load_control_event(
    hass: HomeAssistant,
    certified_network: Callable[..., Coroutine[Any, Any, CertifiedNetwork]],
    call: Call,
) -> None:
    network = await certified_network()
    thermostat = certified_thermostat(strict=True)
    await network.pair(thermostat)
    await wait_for(hass, lambda: thermostat.established, timeout=20)
    assert thermostat.certification.esi_endpoint == 0x5E
    await network.wait_served(thermostat)

    created = await call(
        "create_drlc_event",
        {
            "issuer_event_id": 42,
            "device_class": int(DeviceClass.HVAC_Compressor_or_Furnace),
            "duration_in_minutes": 30,
            "criticality_level": 3,
            "cooling_temperature_offset": 20,
        },
    )
    assert created is not None
    assert created["device_list"] == [str(thermostat.ieee)]
    await wait_for(hass, lambda: 42 in thermostat.events)
    assert thermostat.commands_named("load_control_event")[-1].issuer_event_id == 42
    # Its Report Event Status went back APS-encrypted, and was read
    await wait_for(hass, lambda: bool(thermostat.status_reports))
    frames = [
        frame
        for frame in network.simulator.captured
        if frame.ieee == thermostat.ieee and frame.cluster_id == Drlc.cluster_id
    ]
    assert frames
    assert all(frame.aps_encrypted for frame in frames)


async def test_a_device_of_another_ca_is_refused_and_leaves(
    hass: HomeAssistant,
    certified_network: Callable[..., Coroutine[Any, Any, CertifiedNetwork]],
) -> None:
    network = await certified_network()
    display = certified_in_home_display(authority=OTHER_CA)
    await network.pair(display)

    await wait_for(hass, lambda: not display.joined)
    assert display.certification.terminate_status == TerminateStatus.UNKNOWN_ISSUER
    assert not display.joined
    (outcome,) = network.runtime.outcomes
    assert not outcome.established
    assert outcome.status == TerminateStatus.UNKNOWN_ISSUER
    assert network.runtime.store is not None
    assert display.ieee not in network.runtime.store.link_keys
    # The gateway removes it from the network too
    app = get_zha_gateway(hass).application_controller
    await wait_for(hass, lambda: display.ieee not in app.devices)


async def test_a_wrong_mac_is_refused(
    hass: HomeAssistant,
    certified_network: Callable[..., Coroutine[Any, Any, CertifiedNetwork]],
) -> None:
    network = await certified_network()
    display = certified_in_home_display(corrupt_mac=True)
    await network.pair(display)

    await wait_for(hass, lambda: not display.joined)
    assert display.certification.terminate_status == TerminateStatus.BAD_KEY_CONFIRM
    assert not display.joined
    (outcome,) = network.runtime.outcomes
    assert outcome.status == TerminateStatus.BAD_KEY_CONFIRM
    assert network.runtime.store is not None
    assert display.ieee not in network.runtime.store.link_keys
    assert display.ieee not in network.simulator.radio.link_keys or (
        network.simulator.radio.link_keys[display.ieee]
        != display.certification.link_key
    )


async def test_link_keys_survive_a_restart(
    hass: HomeAssistant,
    certified_network: Callable[..., Coroutine[Any, Any, CertifiedNetwork]],
    call: Call,
) -> None:
    network = await certified_network()
    display = certified_in_home_display(strict=True)
    await network.pair(display)
    await wait_for(hass, lambda: display.established, timeout=20)
    await network.wait_served(display)
    key = display.certification.link_key

    # Home Assistant restarts: the entry and ZHA load again, the radio's key
    # table is empty (a replaced radio), the store gives the key back.
    await network.unload()
    network.simulator.radio.link_keys.clear()
    store = KeyEstablishmentStore(hass)
    await store.async_load()
    assert store.link_keys[display.ieee] == key
    hass.data.pop(DATA_STORE)
    await network.load()
    assert network.simulator.radio.link_keys[display.ieee] == key
    await network.wait_served(display)

    await call("create_price_event", PRICE)
    await wait_for(hass, lambda: bool(display.prices))
    assert display.prices[-1].price == 245
    assert display.certification.dropped_unencrypted == 0
    assert len(network.runtime.outcomes) == 0  # no second key establishment


async def test_no_certificate_raises_a_repair_issue(
    hass: HomeAssistant,
    certified_network: Callable[..., Coroutine[Any, Any, CertifiedNetwork]],
) -> None:
    network = await certified_network(certificate=False)
    display = certified_in_home_display()
    await network.pair(display)

    await wait_for(hass, lambda: not display.joined)
    assert display.certification.terminate_status == TerminateStatus.NO_RESOURCES
    issue = ir.async_get(hass).async_get_issue(DOMAIN, ISSUE_NO_CERTIFICATE)
    assert issue is not None
    assert issue.translation_placeholders == {"device": str(display.ieee)}
    assert network.runtime.store is not None
    assert not network.runtime.store.link_keys
    app = get_zha_gateway(hass).application_controller
    await wait_for(hass, lambda: display.ieee not in app.devices)


def meter_sensor(hass: HomeAssistant, device: SimulatedDevice, key: str) -> Any:
    """Return the state of an se_gateway sensor of ``device``, None if none."""
    entity_id = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{device.ieee}-{key}"
    )
    return None if entity_id is None else hass.states.get(entity_id)


async def test_certified_meter_reports_reach_ha_encrypted(
    hass: HomeAssistant,
    certified_network: Callable[..., Coroutine[Any, Any, CertifiedNetwork]],
) -> None:
    network = await certified_network()
    meter = certified_meter(strict=True, summation_wh=SUMMATION_WH)
    await network.pair(meter)

    # Install code join, ESI found on 0x5E, CBKE done, the key in the radio
    await wait_for(hass, lambda: meter.established, timeout=20)
    assert meter.certification.esi_endpoint == 0x5E
    runtime = network.runtime
    assert runtime.store is not None
    assert runtime.store.link_keys[meter.ieee] == meter.certification.link_key
    assert network.simulator.radio.link_keys[meter.ieee] == (
        meter.certification.link_key
    )
    await network.wait_served(meter)

    # Its Metering attributes reached HA as se_gateway's 0x0109 meter sensors
    await wait_for(
        hass, lambda: meter_sensor(hass, meter, "summation_delivered") is not None
    )
    delivered = meter_sensor(hass, meter, "summation_delivered")
    assert float(delivered.state) == SUMMATION_WH / 1000
    assert delivered.attributes["unit_of_measurement"] == "kWh"

    # A report of a new summation: sent APS-encrypted, and read
    metering = meter.cluster(Metering.cluster_id)
    metering.set("current_summ_delivered", SUMMATION_WH + 2500)
    assert meter.report_due_attributes(time.monotonic() + 900) >= 1
    await wait_for(
        hass,
        lambda: (
            float(meter_sensor(hass, meter, "summation_delivered").state)
            == (SUMMATION_WH + 2500) / 1000
        ),
    )
    reports = [
        frame
        for frame in network.simulator.uplinked
        if frame.ieee == meter.ieee and frame.cluster_id == Metering.cluster_id
    ]
    assert reports
    assert all(frame.aps_encrypted for frame in reports)
    # The gateway's Metering frames to it (reads, reporting set-up) too: the
    # strict meter drops any that are not
    to_meter = [
        frame
        for frame in network.simulator.captured
        if frame.ieee == meter.ieee and frame.cluster_id == Metering.cluster_id
    ]
    assert to_meter
    assert all(frame.aps_encrypted for frame in to_meter)
    assert meter.certification.dropped_unencrypted == 0
    # Key Establishment itself is never APS-encrypted (it makes the key)
    ke_frames = [
        frame
        for frame in network.simulator.uplinked
        if frame.ieee == meter.ieee and frame.cluster_id == KE_CLUSTER
    ]
    assert len(ke_frames) == 3
    assert not any(frame.aps_encrypted for frame in ke_frames)


async def test_a_device_that_stalls_is_refused_and_leaves(
    hass: HomeAssistant,
    certified_network: Callable[..., Coroutine[Any, Any, CertifiedNetwork]],
) -> None:
    network = await certified_network()
    # It sends Initiate, then nothing; it would wait 30 s before leaving by
    # itself, so the leave it gets is the gateway's
    display = certified_in_home_display(
        stall_after_initiate=True, response_timeout_s=30
    )
    await network.pair(display)
    await wait_for(hass, lambda: display.certification.session is not None, timeout=20)
    started = time.monotonic()

    await wait_for(hass, lambda: bool(network.runtime.outcomes), timeout=15)
    waited = time.monotonic() - started
    (outcome,) = network.runtime.outcomes
    assert outcome.stalled
    assert not outcome.established
    # The device advertised 2 s to generate its ephemeral data; plus 5 s margin
    assert waited >= 2 + STALL_MARGIN_S - 0.5

    app = get_zha_gateway(hass).application_controller
    await wait_for(hass, lambda: not display.joined and display.ieee not in app.devices)
    assert display.certification.link_key is None
    assert network.runtime.store is not None
    assert display.ieee not in network.runtime.store.link_keys
    # The radio holds only the key its install code gave for the join
    assert display.install_code is not None
    assert network.simulator.radio.link_keys[display.ieee] == bytes(
        zigpy.util.convert_install_code(display.install_code)
    )
    ke_frames = [
        frame
        for frame in network.simulator.uplinked
        if frame.ieee == display.ieee and frame.cluster_id == KE_CLUSTER
    ]
    assert len(ke_frames) == 1  # the Initiate, then silence
