"""A meter on the Smart Energy profile 0x0109, through the real ZHA."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
import logging
import time
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from zigpy.exceptions import DeliveryError
import zigpy.types as t
from zigpy.zcl.clusters.smartenergy import Metering

from custom_components.se_gateway.const import DOMAIN
from custom_components.se_gateway.smart_energy.se_profile_meter import (
    async_configure_reporting,
)
from network_simulator import Network
from network_simulator.device import SimulatedDevice
from network_simulator.se_profile import se_profile_meter

from ..conftest import wait_for, zha_entity_id
from ..core.se_profile.test_device import make_device

SUMMATION_WH = 12_345_678
DEMAND_W = 1500
GAS_IEEE = t.EUI64.convert("00:0d:6f:00:0b:10:03:09")
GAS_METERING = 0x01  # metering_device_type
CUBIC_METERS = 0x01  # unit_of_measure
SUMMATION = Metering.AttributeDefs.current_summ_delivered.id
RECEIVED = Metering.AttributeDefs.current_summ_received.id
STATUS = Metering.AttributeDefs.status.id
DEMAND = Metering.AttributeDefs.instantaneous_demand.id


def gas_meter() -> SimulatedDevice:
    """Return a 0x0109 gas meter in m³ (divisor 1000) that has no demand."""
    meter = se_profile_meter(GAS_IEEE, model="Simulated SE Profile Gas Meter")
    values = meter.cluster(Metering.cluster_id).values
    values[0x0300] = CUBIC_METERS
    values[0x0306] = GAS_METERING
    del values[DEMAND]
    return meter


def sensor_state(hass: HomeAssistant, device: SimulatedDevice, key: str) -> Any:
    """Return the state of an se_gateway sensor of ``device``, None if it has none."""
    entity_id = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{device.ieee}-{key}"
    )
    return None if entity_id is None else hass.states.get(entity_id)


async def test_a_smart_energy_profile_meter_reports_energy_and_power(
    hass: HomeAssistant,
    simulator: Network,
    setup_zha: Callable[..., Coroutine[Any, Any, None]],
    se_entry: MockConfigEntry,
) -> None:
    await setup_zha()
    assert await hass.config_entries.async_setup(se_entry.entry_id)
    meter = simulator.add_device(se_profile_meter(changing=False))
    gas = simulator.add_device(gas_meter())
    await hass.services.async_call("zha", "permit", {"duration": 60}, blocking=True)
    devices = se_entry.runtime_data.smart_energy.devices
    await wait_for(
        hass,
        lambda: meter.ieee in devices.devices and gas.ieee in devices.devices,
        timeout=30,
    )
    await hass.async_block_till_done()

    # The Metering server got bound to the gateway, with ZHA's report intervals
    # for what the meter supports (it has no tier summations).
    metering = meter.cluster(Metering.cluster_id)
    assert [(b.src_ep, b.cluster_id) for b in meter.bindings] == [
        (1, Metering.cluster_id)
    ]
    assert {
        attrid: (r.min_interval, r.max_interval, r.reportable_change)
        for attrid, r in metering.reporting.items()
    } == {
        DEMAND: (5, 900, 1),
        SUMMATION: (30, 900, 1),
        RECEIVED: (30, 900, 1),
        STATUS: (1, 900, None),  # a bitmap: no reportable change
    }
    assert DEMAND not in gas.cluster(Metering.cluster_id).reporting

    # ZHA makes no meter entity of a 0x0109 endpoint; ours are the only ones.
    assert zha_entity_id(hass, meter, "summation_delivered") is None
    assert zha_entity_id(hass, meter, "instantaneous_demand") is None

    delivered = sensor_state(hass, meter, "summation_delivered")
    assert float(delivered.state) == SUMMATION_WH / 1000
    assert delivered.attributes["device_class"] == "energy"
    assert delivered.attributes["state_class"] == "total_increasing"
    assert delivered.attributes["unit_of_measurement"] == "kWh"
    assert delivered.name.endswith("Energy delivered")
    received = sensor_state(hass, meter, "summation_received")
    assert float(received.state) == 0
    assert received.attributes["device_class"] == "energy"
    power = sensor_state(hass, meter, "instantaneous_demand")
    assert float(power.state) == DEMAND_W / 1000
    assert power.attributes["device_class"] == "power"
    assert power.attributes["state_class"] == "measurement"
    assert power.attributes["unit_of_measurement"] == "kW"

    gas_delivered = sensor_state(hass, gas, "summation_delivered")
    assert float(gas_delivered.state) == SUMMATION_WH / 1000
    assert gas_delivered.attributes["device_class"] == "gas"
    assert gas_delivered.attributes["unit_of_measurement"] == "m³"
    assert sensor_state(hass, gas, "instantaneous_demand") is None

    # The meter reports a new summation once its minimum interval has passed.
    metering.set("current_summ_delivered", SUMMATION_WH + 2500)
    assert meter.report_due_attributes(time.monotonic() + 30) == 1
    await wait_for(
        hass,
        lambda: (
            float(sensor_state(hass, meter, "summation_delivered").state)
            == (SUMMATION_WH + 2500) / 1000
        ),
    )


async def test_a_meter_that_does_not_answer_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    device = make_device()
    device.application.send_packet.side_effect = DeliveryError("no route")
    metering = device.endpoints[1].in_clusters[Metering.cluster_id]
    caplog.set_level(logging.DEBUG, "custom_components.se_gateway")

    await async_configure_reporting(metering, {"current_summ_delivered"})

    assert "Could not bind the Metering cluster" in caplog.text
    assert "Could not configure the reports" in caplog.text
