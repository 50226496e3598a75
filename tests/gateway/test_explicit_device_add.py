"""The explicit_device_add setting: only added devices may join."""

from __future__ import annotations

import asyncio

from homeassistant.components.zha.helpers import get_zha_gateway
from homeassistant.core import Event
import zigpy.types as t

from custom_components.se_gateway.smart_energy.bus_events import (
    EVENT_MESSAGE,
    SEVERITY_WARNING,
)
from network_simulator import catalogue

from ..conftest import wait_for
from .conftest import METER
from .test_devices import in_zha, on_network

STRANGER = "00:0d:6f:00:0a:90:69:02"
ADDED = "00:0d:6f:00:0a:90:69:03"


def new_meter(simulator, ieee: str):
    return simulator.add_device(
        catalogue.electricity_meter(t.EUI64.convert(ieee), changing=False)
    )


async def test_only_added_devices_may_join(hass, meter, call, simulator) -> None:
    messages: list[Event] = []
    hass.bus.async_listen(EVENT_MESSAGE, messages.append)
    await call("registry_configuration", {"name": "explicit_device_add", "value": True})
    await call("add_device", {"device_address": ADDED})
    stranger = new_meter(simulator, STRANGER)
    added = new_meter(simulator, ADDED)

    await call("enable_joining", {"join_time": 60})
    await wait_for(hass, lambda: bool(messages), timeout=30)
    await call("enable_joining", {"join_time": 0})
    await wait_for(hass, lambda: in_zha(hass, ADDED), timeout=30)
    await wait_for(hass, lambda: not stranger.joined and not on_network(hass, STRANGER))

    # The stranger was told to leave, each time it tried.
    assert stranger.received
    assert {message.data["severity"] for message in messages} == {SEVERITY_WARNING}
    assert all(STRANGER in message.data["message"] for message in messages)
    assert added.joined
    told = len(messages)
    # A device the network already had may rejoin.
    simulator.rejoin(meter)
    await asyncio.sleep(0.5)
    assert on_network(hass, METER)
    assert len(messages) == told


async def test_anyone_may_join_while_the_setting_is_off(
    hass, meter, call, simulator
) -> None:
    messages: list[Event] = []
    hass.bus.async_listen(EVENT_MESSAGE, messages.append)
    stranger = new_meter(simulator, STRANGER)

    await call("enable_joining", {"join_time": 60})
    await wait_for(hass, lambda: in_zha(hass, STRANGER), timeout=30)
    # Turning it on later leaves the devices that joined alone, even when they
    # join again with a new network address.
    await call("registry_configuration", {"name": "explicit_device_add", "value": True})
    app = get_zha_gateway(hass).application_controller
    old_nwk = stranger.nwk
    stranger.nwk = None
    simulator.rejoin(stranger)
    await wait_for(hass, lambda: app.devices[stranger.ieee].nwk != old_nwk)
    await asyncio.sleep(0.5)

    assert on_network(hass, STRANGER)
    assert messages == []
