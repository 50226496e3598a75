"""Services called from automations, and twenty calls at once."""

from __future__ import annotations

import asyncio

from homeassistant.core import Event, HomeAssistant
from homeassistant.setup import async_setup_component

from network_simulator.se_device import se_time_now

from ...conftest import wait_for
from ..conftest import SmartEnergyNetwork
from ..records import EUR


async def test_meter_price_relayed_to_the_displays(
    hass: HomeAssistant, se_network
) -> None:
    """The docs' example: tell the displays when the meter's price changes."""
    net: SmartEnergyNetwork = se_network
    relayed: list[Event] = []
    hass.bus.async_listen("price_relayed", relayed.append)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "triggers": [
                    {
                        "trigger": "event",
                        "event_type": "se_gateway_received_price_event",
                        "event_data": {"status": 0},
                    }
                ],
                "actions": [
                    {
                        "action": "se_gateway.create_message_event",
                        "data": {
                            "message_id": (
                                "{{ trigger.event.data.record.issuer_event_id }}"
                            ),
                            "duration_in_minutes": 60,
                            "message": (
                                "New price: {{ trigger.event.data.record.price }}"
                            ),
                        },
                        "response_variable": "sent",
                    },
                    {
                        "action": "se_gateway.get_price_events",
                        "data": {"server_or_client": 1},
                        "response_variable": "received",
                    },
                    {
                        "event": "price_relayed",
                        "event_data": {
                            "devices": "{{ sent.device_list }}",
                            "prices": (
                                "{{ received.record_list | map(attribute='price')"
                                " | list }}"
                            ),
                        },
                    },
                ],
            }
        },
    )

    net.meter.publish_price(1500, rate_label="Peak", tier=2)

    await wait_for(hass, lambda: bool(relayed))
    assert relayed[0].data == {"devices": [str(net.ihd.ieee)], "prices": [1500]}
    await wait_for(hass, lambda: len(net.ihd.messages) == 1)
    assert str(net.ihd.messages[0].message) == "New price: 1500"
    assert net.ihd.messages[0].duration_in_minutes == 60


async def test_twenty_calls_at_once(hass: HomeAssistant, se_network, call) -> None:
    net: SmartEnergyNetwork = se_network
    tomorrow = se_time_now() + 86_400
    net.meter.publish_price(1234)
    await net.wait_for_event("se_gateway_updated_active_price_event")
    prices = [
        call(
            "create_price_event",
            {
                "provider_id": 7,
                "issuer_event_id": index,
                "currency": EUR,
                "price": 100 + index,
                "start_time": 0 if index == 1 else tomorrow + 3600 * index,
                "duration_in_minutes": 60,
            },
        )
        for index in range(1, 7)
    ]
    messages = [
        call("create_message_event", {"message_id": index, "message": f"No. {index}"})
        for index in range(1, 9)
    ]
    events = [
        call(
            "create_drlc_event",
            {
                "issuer_event_id": index,
                "start_time": tomorrow + 7200 * index,
                "duration_in_minutes": 60,
            },
        )
        for index in range(1, 3)
    ]
    asks = [call("get_current_price_event") for _ in range(2)]
    reads = [call("get_price_events"), call("get_message_events")]

    responses = await asyncio.gather(*prices, *messages, *events, *asks, *reads)

    assert len(responses) == 20
    ihd = str(net.ihd.ieee)
    for created in responses[:16]:
        assert created["status"] == 0
        assert ihd in created["device_list"]
    for asked in responses[16:18]:
        assert [r["price"] for r in asked["record_list"]] == [1234]
    await wait_for(
        hass, lambda: len(net.ihd.prices) == 6 and len(net.ihd.messages) == 8
    )
    assert sorted(p.issuer_event_id for p in net.ihd.prices) == list(range(1, 7))
    assert sorted(m.message_id for m in net.ihd.messages) == list(range(1, 9))
    assert len((await call("get_price_events"))["record_list"]) == 6
    assert len((await call("get_message_events"))["record_list"]) == 8
    assert len((await call("get_drlc_events"))["record_list"]) == 2
