"""Smart Energy triggers as the automation editor saves them, end to end."""

from __future__ import annotations

from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
)
from homeassistant.setup import async_setup_component

from custom_components.se_gateway.const import DOMAIN

from ..conftest import wait_for
from .conftest import SmartEnergyNetwork
from .records import message

CONFIRMATION = "se_gateway_received_message_confirmation"


async def test_message_confirmation_of_the_display(
    hass: HomeAssistant, se_network: SmartEnergyNetwork
) -> None:
    net = se_network
    display = net.device_id(net.ihd)
    # The editor's target picker offers devices with se_gateway entities.
    assert any(
        entry.platform == DOMAIN
        for entry in er.async_entries_for_device(er.async_get(hass), display)
    )
    hallway = ar.async_get(hass).async_create("Hallway")
    dr.async_get(hass).async_update_device(display, area_id=hallway.id)
    fired: list[Event] = []
    for name in ("by_device", "by_area", "meter_only"):
        hass.bus.async_listen(name, fired.append)

    def automation(name: str, target: dict[str, str]) -> dict[str, object]:
        return {
            "id": name,
            "alias": name,
            "triggers": [
                {"trigger": f"{DOMAIN}.received_message_confirmation", "target": target}
            ],
            "actions": [
                {
                    "event": name,
                    "event_data": {
                        "message_id": "{{ trigger.event.data.record.message_id }}",
                        "source": "{{ trigger.event.data.source_address }}",
                    },
                }
            ],
        }

    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                automation("by_device", {"device_id": display}),
                automation("by_area", {"area_id": hallway.id}),
                automation("meter_only", {"device_id": net.device_id(net.meter)}),
            ]
        },
    )

    await net.runtime.engine.create_message_event(message())
    await net.wait_for_event(CONFIRMATION)
    await wait_for(hass, lambda: len(fired) >= 2)
    await hass.async_block_till_done()

    assert sorted(event.event_type for event in fired) == ["by_area", "by_device"]
    assert all(
        event.data == {"message_id": 100, "source": str(net.ihd.ieee)}
        for event in fired
    )
