"""End to end: the real ZHA runs against the simulated network through zigpy-xbee."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from zigpy.zcl.clusters.smartenergy import Metering

from network_simulator import SimulatedDevice

from ..conftest import zha_entity_id


def _entity_id(hass: HomeAssistant, meter: SimulatedDevice, suffix: str) -> str:
    entity_id = zha_entity_id(hass, meter, suffix)
    assert entity_id is not None, f"no ZHA entity ending with {suffix}"
    return entity_id


async def test_meter_energy_sensor_matches_simulated_summation(
    hass: HomeAssistant, zha_with_meter: SimulatedDevice
) -> None:
    metering = zha_with_meter.cluster(Metering.cluster_id)
    summation = metering.get("current_summ_delivered")
    multiplier = metering.get("multiplier")
    divisor = metering.get("divisor")

    state = hass.states.get(_entity_id(hass, zha_with_meter, "summation_delivered"))

    assert state is not None
    assert state.attributes["unit_of_measurement"] == "kWh"
    assert state.attributes["device_class"] == "energy"
    assert float(state.state) == summation * multiplier / divisor


async def test_meter_power_sensor_matches_simulated_demand(
    hass: HomeAssistant, zha_with_meter: SimulatedDevice
) -> None:
    demand = zha_with_meter.cluster(Metering.cluster_id).get("instantaneous_demand")

    state = hass.states.get(_entity_id(hass, zha_with_meter, "1794"))

    assert state is not None
    assert state.attributes["device_class"] == "power"
    assert float(state.state) == demand
