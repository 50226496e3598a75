"""A load device's status is kept per event: a future one hides not the current."""

from __future__ import annotations

from homeassistant.core import HomeAssistant

from custom_components.se_gateway.core.clusters.types import EventStatus
from custom_components.se_gateway.smart_energy.runtime import se_now

from ..conftest import wait_for
from .conftest import SmartEnergyNetwork
from .records import drlc


async def test_the_status_of_the_running_event_is_shown(
    hass: HomeAssistant, se_network: SmartEnergyNetwork
) -> None:
    net = se_network
    await net.runtime.engine.create_drlc_event(drlc(10))
    await wait_for(
        hass, lambda: (10, EventStatus.Event_Started) in net.load.status_reports
    )
    # An event that starts after this one ends: the device only receives it.
    await net.runtime.engine.create_drlc_event(
        drlc(20, start_time=se_now() + 2 * 3600, duration_in_minutes=30)
    )
    await wait_for(
        hass,
        lambda: (
            (20, EventStatus.Load_Control_Event_Command_Received)
            in net.load.status_reports
        ),
    )

    def events() -> list[tuple[int, str]]:
        state = net.state("sensor", "load_control_status", net.load)
        return [
            (item["issuer_event_id"], item["status"])
            for item in state.attributes.get("events", [])
        ]

    await wait_for(
        hass, lambda: (20, "load_control_event_command_received") in events()
    )
    state = net.state("sensor", "load_control_status", net.load)
    # The running event's status, not the latest report's.
    assert state.state == "event_started"
    assert state.attributes["issuer_event_id"] == 10
    assert events() == [
        (10, "event_started"),
        (20, "load_control_event_command_received"),
    ]
    assert all(item["time"] is not None for item in state.attributes["events"])
