"""Devices that rejoin or come back after a silence get the events again."""

from __future__ import annotations

import time

from homeassistant.components.zha.helpers import get_zha_gateway
from homeassistant.core import HomeAssistant

from ..conftest import wait_for
from .conftest import SmartEnergyNetwork
from .records import price

THREE_HOURS = 3 * 3600


async def test_a_rejoining_display_gets_the_price_again(
    hass: HomeAssistant, se_network: SmartEnergyNetwork
) -> None:
    net = se_network
    await net.runtime.engine.create_price_event(price())
    await wait_for(hass, lambda: len(net.ihd.prices) == 1)
    net.ihd.startup_delay_s = 3600  # it will not ask: what comes is sent

    net.simulator.rejoin(net.ihd)

    await wait_for(hass, lambda: len(net.ihd.prices) == 2)


async def test_a_display_back_from_a_silence_gets_the_price_again(
    hass: HomeAssistant, se_network: SmartEnergyNetwork
) -> None:
    net = se_network
    await net.runtime.engine.create_price_event(price())
    await wait_for(hass, lambda: len(net.ihd.prices) == 1)
    app = get_zha_gateway(hass).application_controller
    app.get_device(ieee=net.ihd.ieee).last_seen = time.time() - THREE_HOURS

    net.ihd.read_time()  # the first frame after three silent hours

    await wait_for(hass, lambda: len(net.ihd.prices) == 2)
    net.ihd.read_time()  # a frame a moment later changes nothing
    await wait_for(hass, lambda: len(net.ihd.time_readings) == 3)
    assert len(net.ihd.prices) == 2
