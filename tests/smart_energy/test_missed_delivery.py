"""A client that missed one delivery gets it when next heard from, without rejoining."""

from __future__ import annotations

from homeassistant.core import HomeAssistant

from custom_components.se_gateway.core.engine import DeviceRef

from ..conftest import wait_for
from .conftest import SmartEnergyNetwork
from .records import message


async def test_one_missed_message_is_sent_when_heard_from(
    hass: HomeAssistant, se_network: SmartEnergyNetwork
) -> None:
    net = se_network
    display = DeviceRef(str(net.ihd.ieee), 1)
    net.simulator.set_online(net.ihd, False)

    missed = await net.runtime.engine.create_message_event(message(1))

    assert display in missed.errors
    # One failure: below the inactivity limit (3), so the display stays active.
    assert not net.runtime.failures.is_inactive(net.ihd.ieee)
    assert net.ihd.messages == []

    # Heard from again (a price request), no rejoin, no long silence.
    net.simulator.set_online(net.ihd, True)
    net.ihd.request_price()
    await wait_for(hass, lambda: len(net.ihd.messages) >= 1)

    assert [shown.message_id for shown in net.ihd.messages] == [1]
