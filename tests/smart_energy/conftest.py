"""Simulated Smart Energy devices paired through the real ZHA, with se_gateway."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable, Coroutine
from dataclasses import dataclass, field
import json
from typing import Any

from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from zigpy.zcl.clusters.smartenergy import Metering

from custom_components.se_gateway.const import DOMAIN
from custom_components.se_gateway.core.clusters import Price, drlc, messaging
from custom_components.se_gateway.smart_energy.bus_events import (
    EVENT_MESSAGE,
    EVENT_TYPES,
)
from custom_components.se_gateway.smart_energy.runtime import SmartEnergyRuntime
from network_simulator import Network, SimulatedDevice
from network_simulator.in_home_display import InHomeDisplay
from network_simulator.load_control import LoadControlDevice
from network_simulator.price_server import MeterWithPriceServer
from network_simulator.se_device import SE_ENDPOINT, se_cluster
from network_simulator.smart_energy import (
    in_home_display,
    load_control_device,
    meter_with_price_server,
)

from ..conftest import wait_for

TIER1_WH = 4_000_000
TIER2_WH = 1_234_500
SETTLE_S = 0.3


def smart_meter() -> MeterWithPriceServer:
    """Return the price meter, also a Messaging and DRLC server, with two tiers."""
    meter = meter_with_price_server(changing=False, startup_delay_s=0.2)
    endpoint = meter.endpoints[SE_ENDPOINT]
    endpoint.add(se_cluster(meter, messaging.Messaging, server=True))
    endpoint.add(se_cluster(meter, drlc.Drlc, server=True))
    metering = meter.cluster(Metering.cluster_id)
    metering.set("current_tier1_summ_delivered", TIER1_WH)
    metering.set("current_tier2_summ_delivered", TIER2_WH)
    metering.set("status", 0b0000_0010)  # low battery
    return meter


@dataclass
class SmartEnergyNetwork:
    """The paired devices, the se_gateway entry and the bus events it fired."""

    hass: HomeAssistant
    simulator: Network
    entry: MockConfigEntry
    ihd: InHomeDisplay
    load: LoadControlDevice
    meter: MeterWithPriceServer
    events: list[Event] = field(default_factory=list)

    @property
    def runtime(self) -> SmartEnergyRuntime:
        """Return the entry's Smart Energy runtime."""
        return self.entry.runtime_data.smart_energy

    def device_id(self, device: SimulatedDevice) -> str:
        """Return the id of a simulated device's ZHA device."""
        entry = dr.async_get(self.hass).async_get_device_by_identifier(
            ("zha", str(device.ieee)), self.runtime.devices.zha_entry_id
        )
        assert entry is not None
        return entry.id

    def entity_id(self, domain: str, key: str, device: SimulatedDevice | None) -> str:
        """Return the id of an se_gateway entity (device None: the gateway's)."""
        owner = self.entry.entry_id if device is None else str(device.ieee)
        entity_id = er.async_get(self.hass).async_get_entity_id(
            domain, DOMAIN, f"{owner}-{key}"
        )
        assert entity_id is not None, (domain, key, device)
        return entity_id

    def state(self, domain: str, key: str, device: SimulatedDevice | None = None):
        """Return the state of an se_gateway entity."""
        state = self.hass.states.get(self.entity_id(domain, key, device))
        assert state is not None
        return state

    def events_of(self, event_type: str) -> list[dict[str, Any]]:
        """Return the data of the bus events of one type."""
        return [event.data for event in self.events if event.event_type == event_type]

    async def wait_for_event(self, event_type: str, count: int = 1) -> None:
        """Wait until ``count`` bus events of a type arrived."""
        await wait_for(self.hass, lambda: len(self.events_of(event_type)) >= count)

    async def load_entry(self) -> None:
        """Set the se_gateway entry up and wait until it knows every device."""
        assert await self.hass.config_entries.async_setup(self.entry.entry_id)
        await self.hass.async_block_till_done()
        await self.wait_for_devices()

    async def unload_entry(self) -> None:
        """Unload the se_gateway entry."""
        assert await self.hass.config_entries.async_unload(self.entry.entry_id)
        await self.hass.async_block_till_done()

    async def wait_for_devices(self) -> None:
        """Wait until the runtime announced the three devices."""
        ieees = {self.ihd.ieee, self.load.ieee, self.meter.ieee}
        await wait_for(
            self.hass,
            lambda: ieees <= set(self.runtime.devices.devices),
            timeout=30,
        )
        await self.hass.async_block_till_done()


@pytest.fixture
async def se_network(
    hass: HomeAssistant,
    simulator: Network,
    setup_zha: Callable[..., Coroutine[Any, Any, None]],
    se_entry: MockConfigEntry,
) -> AsyncGenerator[SmartEnergyNetwork]:
    """Load se_gateway, then pair an IHD, a load device and the smart meter.

    At the end, the answers still in flight (zigpy's Default Responses) go out,
    and every bus event the gateway fired must be plain JSON.
    """
    await setup_zha()
    ihd = in_home_display(startup_delay_s=0.2)
    load = load_control_device(startup_delay_s=0.2)
    meter = smart_meter()
    network = SmartEnergyNetwork(hass, simulator, se_entry, ihd, load, meter)
    for event_type in (*EVENT_TYPES, EVENT_MESSAGE):
        hass.bus.async_listen(event_type, network.events.append)
    assert await hass.config_entries.async_setup(se_entry.entry_id)
    await hass.async_block_till_done()
    for device in (ihd, load, meter):
        simulator.add_device(device)
    await hass.services.async_call("zha", "permit", {"duration": 60}, blocking=True)
    await network.wait_for_devices()
    # The display has asked for the price (none yet) and read the time.
    await wait_for(
        hass,
        lambda: (
            bool(ihd.time_readings)
            and any(answer.cluster_id == Price.cluster_id for answer in ihd.answers)
        ),
    )
    yield network
    await asyncio.sleep(SETTLE_S)
    await hass.async_block_till_done()
    for event in network.events:  # every bus event carries plain JSON
        assert json.loads(json.dumps(event.data)) == event.data
