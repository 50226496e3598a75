"""Fixtures: the Smart Energy network of ``tests/smart_energy`` and call helpers.

``se_network`` (imported) loads se_gateway on the real ZHA and pairs the
simulated in-home display, load control device and price meter.
``meter_servers`` makes the meter's DRLC and Messaging servers answer Get
Scheduled Events and Get Last Message as a real server does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from homeassistant.exceptions import ServiceValidationError
import pytest
from zigpy.zcl import foundation

from custom_components.se_gateway.core.clusters import drlc, messaging
from custom_components.se_gateway.core.clusters.types import (
    CriticalityLevel,
    DeviceClass,
    EventControl,
    MessageControl,
)
from network_simulator.cluster_io import cluster_frame, default_response
from network_simulator.se_device import ReceivedCommand
from network_simulator.zcl import SimulatedCluster

from ...conftest import Call
from ..conftest import SmartEnergyNetwork, se_network

__all__ = ["se_network"]


DISPLAY_MESSAGE = messaging.Messaging.ClientCommandDefs.display_message.id
LOAD_CONTROL_EVENT = drlc.Drlc.ClientCommandDefs.load_control_event.id


@dataclass
class MeterServers:
    """What the meter's Messaging and DRLC servers hold for Get requests."""

    last_message: messaging.DisplayMessage | None = None
    scheduled: list[drlc.LoadControlEvent] = field(default_factory=list)


def display_message(message_id: int, control: int = 0x80) -> messaging.DisplayMessage:
    """Return a message of the meter, shown for 30 minutes from now."""
    return messaging.DisplayMessage(
        message_id=message_id,
        message_control=MessageControl(control),
        start_time=0,
        duration_in_minutes=30,
        message="Meter says hello",
    )


def load_control_event(issuer_event_id: int, **fields: Any) -> drlc.LoadControlEvent:
    """Return a load control event of the meter, for 15 minutes from now."""
    values: dict[str, Any] = {
        "issuer_event_id": issuer_event_id,
        "device_class": DeviceClass.Smart_Appliances,
        "utility_enrollment_group": 0,
        "start_time": 0,
        "duration_in_minutes": 15,
        "criticality_level": CriticalityLevel.Level_1,
        "cooling_temperature_offset": 0xFF,
        "heating_temperature_offset": 20,
        "cooling_temperature_set_point": drlc.TEMPERATURE_SET_POINT_NOT_USED,
        "heating_temperature_set_point": drlc.TEMPERATURE_SET_POINT_NOT_USED,
        "average_load_adjustment_percentage": -10,
        "duty_cycle": drlc.DUTY_CYCLE_NOT_USED,
        "event_control": EventControl(0),
    }
    return drlc.LoadControlEvent(**(values | fields))


@pytest.fixture
def meter_servers(se_network: SmartEnergyNetwork) -> MeterServers:
    """Let the meter answer Get Last Message and Get Scheduled Events."""
    servers = MeterServers()
    meter = se_network.meter
    answer_price = meter.on_command

    def on_command(
        cluster: SimulatedCluster, hdr: foundation.ZCLHeader, command: ReceivedCommand
    ) -> list[bytes]:
        if command.name == "get_last_message":
            if servers.last_message is None:
                return default_response(cluster, hdr, foundation.Status.NOT_FOUND)
            payload = servers.last_message.serialize()
            return [cluster_frame(cluster, hdr.tsn, DISPLAY_MESSAGE, payload)]
        if command.name == "get_scheduled_events":
            count = command.payload.number_of_events or len(servers.scheduled)
            events = servers.scheduled[:count]
            if not events:
                return default_response(cluster, hdr, foundation.Status.NOT_FOUND)
            return [
                cluster_frame(cluster, hdr.tsn, LOAD_CONTROL_EVENT, event.serialize())
                for event in events
            ]
        return answer_price(cluster, hdr, command)

    meter.on_command = on_command  # type: ignore[method-assign]
    return servers


async def refused(call: Call, service: str, data: dict[str, Any]) -> Any:
    """Call a service that must refuse the call; return the error."""
    with pytest.raises(ServiceValidationError) as err:
        await call(service, data)
    return err.value
