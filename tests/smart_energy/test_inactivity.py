"""Clients that stop answering: inactive after failed transmissions, and back."""

from __future__ import annotations

from homeassistant.core import HomeAssistant

from custom_components.se_gateway.const import DOMAIN
from custom_components.se_gateway.core.engine import DeviceRef

from ..conftest import wait_for
from .conftest import SmartEnergyNetwork
from .records import message


async def test_inactive_after_failed_transmissions_until_heard_from(
    hass: HomeAssistant, se_network: SmartEnergyNetwork
) -> None:
    net = se_network
    display = DeviceRef(str(net.ihd.ieee), 1)
    await hass.services.async_call(
        DOMAIN,
        "registry_configuration",
        {"name": "inactivity_failed_transmissions", "value": 2},
        blocking=True,
        return_response=True,
    )
    net.simulator.set_online(net.ihd, False)

    first = await net.runtime.engine.create_message_event(message(1))
    second = await net.runtime.engine.create_message_event(message(2))
    third = await net.runtime.engine.create_message_event(message(3))

    assert display in first.errors
    assert display in second.errors
    # Two failures in a row: the display is skipped until it is heard from.
    assert display not in third.errors
    assert display not in third.device_list
    assert net.ihd.messages == []

    net.simulator.set_online(net.ihd, True)
    net.ihd.request_price()
    await wait_for(hass, lambda: len(net.ihd.messages) >= 3)

    assert {shown.message_id for shown in net.ihd.messages} == {1, 2, 3}
    fourth = await net.runtime.engine.create_message_event(message(4))
    assert display in fourth.device_list
