"""Asked-for attribute reports survive a restart; stopping them ends the events."""

from __future__ import annotations

from typing import Any

from homeassistant.core import Event, HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from zigpy.zcl.clusters.smartenergy import Metering

from custom_components.se_gateway.gateway.registry import STORAGE_KEY
from custom_components.se_gateway.smart_energy.bus_events import (
    EVENT_ATTRIBUTE_REPORT,
)
from network_simulator import SimulatedDevice

from ..conftest import Call, wait_for
from .conftest import METER

DEMAND = Metering.AttributeDefs.instantaneous_demand.id
TARGET = {
    "destination_address": METER,
    "destination_endpoint_id": 1,
    "cluster_id": Metering.cluster_id,
}


def send_demand(meter: SimulatedDevice) -> None:
    cluster = meter.cluster(Metering.cluster_id)
    meter.send_zcl(1, cluster, cluster.report_frame(meter.next_tsn(), [DEMAND]))


async def test_subscription_survives_a_restart_and_stops(
    hass: HomeAssistant,
    meter: SimulatedDevice,
    call: Call,
    se_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    fired: list[Event] = []
    hass.bus.async_listen(EVENT_ATTRIBUTE_REPORT, fired.append)
    await call(
        "start_receiving_reports", {**TARGET, "record_list": [{"attribute_id": DEMAND}]}
    )
    assert hass_storage[STORAGE_KEY]["data"]["report_subscriptions"] == [
        {
            "device_address": METER,
            "endpoint_id": 1,
            "cluster_id": Metering.cluster_id,
            "server_or_client": 0,
            "attribute_id": DEMAND,
        }
    ]

    assert await hass.config_entries.async_unload(se_entry.entry_id)
    assert await hass.config_entries.async_setup(se_entry.entry_id)
    await hass.async_block_till_done()
    send_demand(meter)
    await wait_for(hass, lambda: len(fired) == 1)
    assert fired[0].data["record"]["attribute_id"] == DEMAND

    await call(
        "stop_receiving_reports", {**TARGET, "record_list": [{"attribute_id": DEMAND}]}
    )
    assert hass_storage[STORAGE_KEY]["data"]["report_subscriptions"] == []
    send_demand(meter)
    send_demand(meter)
    await hass.async_block_till_done()
    # A report of something still asked for would have come by now; none did.
    await call("read_attributes", {**TARGET, "record_list": [{"attribute_id": DEMAND}]})
    assert len(fired) == 1
