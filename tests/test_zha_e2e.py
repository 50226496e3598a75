"""End to end: the real ZHA runs against the simulated network."""

from __future__ import annotations

import asyncio

from homeassistant.core import HomeAssistant

from network_simulator import Network, catalogue


async def test_meter_joins_and_reports_energy(hass: HomeAssistant, simulator: Network, setup_zha) -> None:
    await setup_zha()
    meter = simulator.add_device(catalogue.electricity_meter(changing=False))
    await hass.services.async_call("zha", "permit", {"duration": 60}, blocking=True)
    assert meter.joined
    for _ in range(100):
        await asyncio.sleep(0.1)
        await hass.async_block_till_done()
        states = [s for s in hass.states.async_all("sensor") if "summation" in s.entity_id]
        if states:
            break
    print([ (s.entity_id, s.state, s.attributes) for s in hass.states.async_all()])
