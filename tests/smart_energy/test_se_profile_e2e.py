"""A display on the Smart Energy profile 0x0109, through the real ZHA."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from homeassistant.components.zha.helpers import get_zha_gateway
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from zigpy.zcl.foundation import Status

from custom_components.se_gateway.core.clusters import Price
from custom_components.se_gateway.core.se_profile import SmartEnergyProfileDevice
from custom_components.se_gateway.core.se_profile.device import (
    SMART_ENERGY_PROFILE_ID,
)
from network_simulator import Network
from network_simulator.se_profile import se_profile_display

from ..conftest import Call, wait_for

PRICE = {
    "provider_id": 7,
    "issuer_event_id": 1,
    "currency": 978,
    "price": 245,
    "price_trailing_digit": 3,
    "price_tier": 2,
    "rate_label": "Peak",
    "duration_in_minutes": 60,
}


async def test_a_smart_energy_profile_display_is_served(
    hass: HomeAssistant,
    simulator: Network,
    setup_zha: Callable[..., Coroutine[Any, Any, None]],
    se_entry: MockConfigEntry,
    call: Call,
) -> None:
    await setup_zha()
    assert await hass.config_entries.async_setup(se_entry.entry_id)
    display = simulator.add_device(se_profile_display(startup_delay_s=0.2))
    await hass.services.async_call("zha", "permit", {"duration": 60}, blocking=True)
    devices = se_entry.runtime_data.smart_energy.devices
    await wait_for(hass, lambda: display.ieee in devices.devices, timeout=30)
    zigpy_device = get_zha_gateway(hass).application_controller.devices[display.ieee]
    assert isinstance(zigpy_device, SmartEnergyProfileDevice)

    # Its requests on profile 0x0109 reached the gateway and got answers.
    await wait_for(
        hass,
        lambda: (
            bool(display.time_readings)
            and any(answer.cluster_id == Price.cluster_id for answer in display.answers)
        ),
    )
    (asked,) = [a for a in display.answers if a.cluster_id == Price.cluster_id]
    assert asked.payload.status == Status.NOT_FOUND

    created = await call("create_price_event", PRICE)
    assert created is not None
    assert created["device_list"] == [str(display.ieee)]
    await wait_for(hass, lambda: len(display.prices) == 1)
    assert display.prices[0].price == 245
    published = [
        frame
        for frame in simulator.captured
        if frame.ieee == display.ieee and frame.cluster_id == Price.cluster_id
    ]
    assert {frame.profile_id for frame in published} == {SMART_ENERGY_PROFILE_ID}

    # A message that asks for a confirmation: the display's confirmation, sent
    # on profile 0x0109, is recorded and announced.
    confirmations = async_capture_events(
        hass, "se_gateway_received_message_confirmation"
    )
    await call(
        "create_message_event",
        {"message_id": 100, "message_control": 0x80, "message": "Peak at 17:00"},
    )
    await wait_for(hass, lambda: bool(confirmations))
    assert display.confirmed == [100]
    listed = await call("get_message_events")
    assert listed is not None
    (confirmation,) = listed["confirmation_list"]
    assert confirmation["source_address"] == str(display.ieee)
    assert confirmation["record"]["message_id"] == 100
