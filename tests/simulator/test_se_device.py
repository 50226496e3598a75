"""What the simulated Smart Energy devices share."""

from __future__ import annotations

import zigpy.types as t
from zigpy.zcl import foundation

from network_simulator.device import SimulatedEndpoint
from network_simulator.se_device import SmartEnergyDevice, se_cluster, se_time_now
from se_gateway_core.clusters import messaging

from .helpers import FakeClock, cluster_command, on_air

MESSAGING = messaging.Messaging.cluster_id


def plain_device(clock: FakeClock) -> SmartEnergyDevice:
    device = SmartEnergyDevice(
        ieee=t.EUI64.convert("00:0d:6f:00:0b:30:00:01"),
        manufacturer="x",
        model="y",
        clock=clock,
    )
    endpoint = device.add_endpoint(SimulatedEndpoint(1, 0x0104, 0x0503))
    endpoint.add(se_cluster(device, messaging.Messaging, server=False))
    return device


def test_keeps_commands_and_answers_with_a_default_response() -> None:
    device = plain_device(FakeClock())
    air = on_air(device)
    cancel = messaging.CancelAllMessages(implementation_date_time=se_time_now())

    device.receive(
        cluster_command(
            MESSAGING, 0x03, cancel.serialize(), disable_default_response=False
        )
    )

    assert device.commands_named("cancel_all_messages") == [cancel]
    [(_cluster, hdr, _payload)] = air.zcl()
    assert hdr.command_id == foundation.GeneralCommand.Default_Response


def test_starts_only_on_the_air_and_after_the_delay() -> None:
    clock = FakeClock()
    device = plain_device(clock)
    device.tick(clock.now)  # never joined
    on_air(device)
    device.online = False
    device.tick(clock.advance(10))
    assert not device._started

    device.online = True
    device.tick(clock.now)
    assert device._started
