"""The manual's "ZCL Reporting and Device Activity": reporting sent again.

End to end with the simulated meter: the gateway configures reporting for
``start_receiving_reports``; the meter power-cycles and loses it; after the
timeout the gateway sends the configuration again and the reports resume.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
import time
from typing import Any

from homeassistant.core import Event, HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from zigpy.zcl import foundation
from zigpy.zcl.clusters.general import Identify
from zigpy.zcl.clusters.smartenergy import Metering

from custom_components.se_gateway.gateway.registry import STORAGE_KEY
from custom_components.se_gateway.gateway.settings import (
    CONF_INACTIVITY_FAILED_TRANSMISSIONS,
)
from custom_components.se_gateway.smart_energy.bus_events import (
    EVENT_ATTRIBUTE_REPORT,
)
from network_simulator import Network, SimulatedDevice
from network_simulator.control import ControlServer
from network_simulator.se_profile import se_profile_meter

from ..conftest import Call, wait_for
from .conftest import METER, identify_handler

DEMAND = Metering.AttributeDefs.instantaneous_demand.id
SUMMATION = Metering.AttributeDefs.current_summ_delivered.id
TARGET = {
    "destination_address": METER,
    "destination_endpoint_id": 1,
    "cluster_id": Metering.cluster_id,
}
TIMEOUT_S = 3


def configure_frames(simulator: Network, meter: SimulatedDevice) -> list[Any]:
    """Return the Configure Reporting records the meter received, one list each."""
    frames = []
    for frame in simulator.captured:
        if frame.ieee != meter.ieee or frame.cluster_id != Metering.cluster_id:
            continue
        hdr, payload = foundation.ZCLHeader.deserialize(frame.data)
        if (
            hdr.frame_control.is_cluster
            or hdr.command_id != foundation.GeneralCommand.Configure_Reporting
        ):
            continue
        schema = foundation.GENERAL_COMMANDS[hdr.command_id].schema
        command, _ = schema.deserialize(payload)
        frames.append((frame.at, command.config_records))
    return frames


def ours(simulator: Network, meter: SimulatedDevice) -> list[float]:
    """Return when the meter received the gateway's demand configuration."""
    return [
        at
        for at, records in configure_frames(simulator, meter)
        if [(r.attrid, r.min_interval, r.max_interval) for r in records]
        == [(DEMAND, 1, 1)]
    ]


async def start_reports(call: Call, timeout: int = TIMEOUT_S) -> None:
    record = {
        "attribute_id": DEMAND,
        "min_interval": 1,
        "max_interval": 1,
        "timeout_period": timeout,
    }
    answer = await call("start_receiving_reports", {**TARGET, "record_list": [record]})
    assert answer is not None
    assert answer["record_list"][0]["status"] == 0


async def pause(hass: HomeAssistant, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        await asyncio.sleep(0.1)
        await hass.async_block_till_done()


def demand_events(hass: HomeAssistant) -> list[Event]:
    fired: list[Event] = []

    def take(event: Event) -> None:
        if event.data["record"]["attribute_id"] == DEMAND:
            fired.append(event)

    hass.bus.async_listen(EVENT_ATTRIBUTE_REPORT, take)
    return fired


async def test_power_cycled_meter_gets_its_reporting_again(
    hass: HomeAssistant,
    simulator: Network,
    meter: SimulatedDevice,
    call: Call,
    hass_storage: dict[str, Any],
) -> None:
    fired = demand_events(hass)
    await start_reports(call)
    stored = hass_storage[STORAGE_KEY]["data"]["reporting_configurations"]
    assert [(c["attribute_id"], c["max_interval"], c["timeout"]) for c in stored] == [
        (DEMAND, 1, TIMEOUT_S)
    ]
    assert len(ours(simulator, meter)) == 1
    await wait_for(hass, lambda: len(fired) >= 2)
    # While the meter reports, nothing is sent again.
    await pause(hass, TIMEOUT_S + 0.5)
    assert len(ours(simulator, meter)) == 1

    # Through the simulator's control channel, as the demo would.
    assert ControlServer(simulator).execute(f"power-cycle {METER}").startswith("ok")
    cycled_at = time.monotonic()
    await pause(hass, 1.2)
    silent_from = len(fired)
    await pause(hass, 1.0)
    assert len(fired) == silent_from, "the meter still reports"
    assert len(ours(simulator, meter)) == 1

    await wait_for(
        hass, lambda: len(ours(simulator, meter)) == 2, timeout=TIMEOUT_S + 3
    )
    resent_at = ours(simulator, meter)[1]
    # Not before the timeout after the last report (which came before the cycle).
    assert resent_at - cycled_at >= TIMEOUT_S - 1.1
    await wait_for(hass, lambda: len(fired) >= silent_from + 2, timeout=5)
    assert meter.cluster(Metering.cluster_id).reporting[DEMAND].max_interval == 1
    # Once: the reports are back, so nothing more goes out.
    await pause(hass, TIMEOUT_S + 0.5)
    assert len(ours(simulator, meter)) == 2


async def test_inactive_meter_waits_until_heard_from(
    hass: HomeAssistant,
    simulator: Network,
    zha_with_meter: SimulatedDevice,
    se_entry: MockConfigEntry,
    call: Call,
) -> None:
    meter = zha_with_meter
    meter.cluster(Identify.cluster_id).command_handler = identify_handler
    hass.config_entries.async_update_entry(
        se_entry, options={CONF_INACTIVITY_FAILED_TRANSMISSIONS: 1}
    )
    assert await hass.config_entries.async_setup(se_entry.entry_id)
    await hass.async_block_till_done()
    failures = se_entry.runtime_data.smart_energy.failures
    fired = demand_events(hass)
    await start_reports(call)
    await wait_for(hass, lambda: len(fired) >= 1)

    simulator.set_online(meter, False)
    meter.power_cycle()
    # The re-send after the timeout fails: one failure makes it inactive.
    await wait_for(hass, lambda: failures.is_inactive(meter.ieee), timeout=10)
    simulator.set_online(meter, True)
    sent = len(ours(simulator, meter))
    assert sent == 1  # the offline meter received nothing
    # Online but silent: inactive, so nothing goes to it over two timeouts.
    await pause(hass, 2 * TIMEOUT_S + 0.5)
    assert len(ours(simulator, meter)) == sent
    assert failures.is_inactive(meter.ieee)

    # A frame from the meter (not the watched attribute): heard from, active,
    # and the overdue configuration goes at once.
    cluster = meter.cluster(Metering.cluster_id)
    meter.send_zcl(1, cluster, cluster.report_frame(meter.next_tsn(), [SUMMATION]))
    heard_at = time.monotonic()
    reported = len(fired)
    await wait_for(hass, lambda: len(ours(simulator, meter)) == sent + 1, timeout=5)
    assert ours(simulator, meter)[-1] - heard_at < 1.0
    assert not failures.is_inactive(meter.ieee)
    await wait_for(hass, lambda: len(fired) >= reported + 2)


async def test_watch_survives_a_reload(
    hass: HomeAssistant,
    simulator: Network,
    meter: SimulatedDevice,
    se_entry: MockConfigEntry,
    call: Call,
) -> None:
    await start_reports(call)
    assert await hass.config_entries.async_reload(se_entry.entry_id)
    await hass.async_block_till_done()
    fired = demand_events(hass)
    await wait_for(hass, lambda: len(fired) >= 1)

    meter.power_cycle()
    cycled_at = time.monotonic()
    await wait_for(
        hass, lambda: len(ours(simulator, meter)) == 2, timeout=TIMEOUT_S + 3
    )
    assert ours(simulator, meter)[1] > cycled_at
    reported = len(fired)
    await wait_for(hass, lambda: len(fired) >= reported + 2)


async def test_the_gateways_own_meter_reporting_is_watched(
    hass: HomeAssistant,
    simulator: Network,
    setup_zha: Callable[..., Coroutine[Any, Any, None]],
    se_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """The reporting the gateway configures on a 0x0109 meter is kept and watched."""
    await setup_zha()
    assert await hass.config_entries.async_setup(se_entry.entry_id)
    meter = simulator.add_device(se_profile_meter(changing=False))
    await hass.services.async_call("zha", "permit", {"duration": 60}, blocking=True)
    devices = se_entry.runtime_data.smart_energy.devices
    await wait_for(hass, lambda: meter.ieee in devices.devices, timeout=30)
    await hass.async_block_till_done()

    stored = hass_storage[STORAGE_KEY]["data"]["reporting_configurations"]
    assert {
        c["attribute_id"]: (c["min_interval"], c["max_interval"], c["timeout"])
        for c in stored
    } == {
        DEMAND: (5, 900, 2700),
        SUMMATION: (30, 900, 2700),
        Metering.AttributeDefs.current_summ_received.id: (30, 900, 2700),
        Metering.AttributeDefs.status.id: (1, 900, 2700),
    }
    watch = se_entry.runtime_data.smart_energy.reporting_watch
    assert watch is not None
    assert DEMAND in watch.attributes(meter.ieee, 1, Metering.cluster_id, 0)
