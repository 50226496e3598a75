"""Device triggers of Smart Energy devices and received attribute reports."""

from __future__ import annotations

from typing import Any

from homeassistant.core import Event, HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.typing import WebSocketGenerator
import zigpy.types as t
from zigpy.zcl import foundation
from zigpy.zcl.clusters.smartenergy import Metering

from custom_components.se_gateway import device_trigger
from custom_components.se_gateway.const import DOMAIN
from custom_components.se_gateway.core.clusters import Price, messaging
from custom_components.se_gateway.gateway.report_subscriptions import (
    ReportSubscription,
)
from custom_components.se_gateway.smart_energy.bus_events import (
    DEVICE_EVENT_NAMES,
    EVENT_ATTRIBUTE_REPORT,
)
from network_simulator import SimulatedDevice

from ..conftest import wait_for
from .conftest import SmartEnergyNetwork

DISPLAY_MESSAGE = messaging.Messaging.ClientCommandDefs.display_message.id
REPORT_ATTRIBUTES = foundation.GeneralCommand.Report_Attributes
INSTANTANEOUS_DEMAND = Metering.AttributeDefs.instantaneous_demand.id


async def automation_on(
    hass: HomeAssistant, net: SmartEnergyNetwork, device: SimulatedDevice, kind: str
) -> list[Event]:
    """Set up an automation with a device trigger as the editor saves it."""
    fired: list[Event] = []
    hass.bus.async_listen(f"test_{kind}", fired.append)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "triggers": {
                    "trigger": "device",
                    "domain": DOMAIN,
                    "device_id": net.device_id(device),
                    "type": kind,
                },
                "actions": {
                    "event": f"test_{kind}",
                    "event_data": {
                        "source_address": "{{ trigger.event.data.source_address }}",
                        "record": "{{ trigger.event.data.record | tojson }}",
                    },
                },
            }
        },
    )
    return fired


async def test_smart_energy_devices_offer_a_trigger_per_event(
    hass: HomeAssistant, se_network: SmartEnergyNetwork
) -> None:
    net = se_network
    for device in (net.ihd, net.meter, net.load):
        device_id = net.device_id(device)
        triggers = await device_trigger.async_get_triggers(hass, device_id)

        assert [trigger["type"] for trigger in triggers] == list(DEVICE_EVENT_NAMES)
        assert all(
            trigger == {"platform": "device", "domain": DOMAIN, **trigger}
            and trigger["device_id"] == device_id
            and "subtype" not in trigger
            for trigger in triggers
        )
    # Only the lock's "unlocked" trigger takes an extra field.
    assert (
        await device_trigger.async_get_trigger_capabilities(
            hass, {"type": "received_price_event"}
        )
        == {}
    )
    unlocked = await device_trigger.async_get_trigger_capabilities(
        hass, {"type": "unlocked"}
    )
    assert unlocked["extra_fields"]({"user_id": "7"}) == {"user_id": 7}


async def test_the_editor_lists_only_the_owner_and_entity_domains(
    hass: HomeAssistant,
    se_network: SmartEnergyNetwork,
    hass_ws_client: WebSocketGenerator,
) -> None:
    # HA 2026.10 asks the device's config entry (ZHA) and its entities' domains
    # (sensor, event, ...), never the platform of the entities: our device
    # triggers work in automations but the editor offers the integration
    # triggers of trigger.py instead (tests/test_triggers.py).
    assert await async_setup_component(hass, "device_automation", {})
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "device_automation/trigger/list",
            "device_id": se_network.device_id(se_network.meter),
        }
    )
    listed = await client.receive_json()

    assert listed["success"]
    domains = {trigger["domain"] for trigger in listed["result"]}
    assert "sensor" in domains
    assert DOMAIN not in domains


async def test_message_trigger_fires_on_the_meters_message(
    hass: HomeAssistant, se_network: SmartEnergyNetwork
) -> None:
    net = se_network
    fired = await automation_on(hass, net, net.meter, "received_message_event")
    server = net.meter.cluster(messaging.Messaging.cluster_id)

    net.meter.send_command(
        server,
        DISPLAY_MESSAGE,
        messaging.DisplayMessage(
            message_id=9,
            message_control=messaging.MessageControl(0),
            start_time=0,
            duration_in_minutes=5,
            message="Off-peak from 22:00",
        ),
    )
    await wait_for(hass, lambda: bool(fired))

    assert fired[0].data["source_address"] == str(net.meter.ieee)
    assert fired[0].data["record"]["message"] == "Off-peak from 22:00"
    assert len(net.events_of("se_gateway_received_message_event")) == 1


async def test_attribute_reports_fire_events_and_triggers(
    hass: HomeAssistant, se_network: SmartEnergyNetwork
) -> None:
    net = se_network
    fired = await automation_on(
        hass, net, net.meter, "start_receiving_reports_response"
    )
    metering = net.meter.cluster(Metering.cluster_id)
    metering.set("instantaneous_demand", 1500)
    await hass.services.async_call(
        DOMAIN,
        "start_receiving_reports",
        {
            "destination_address": str(net.meter.ieee),
            "destination_endpoint_id": 1,
            "cluster_id": Metering.cluster_id,
            "record_list": [
                {"attribute_id": INSTANTANEOUS_DEMAND, "max_interval": 300}
            ],
        },
        blocking=True,
        return_response=True,
    )

    assert net.meter.report_due_attributes() == 0
    metering.set("instantaneous_demand", 2750)
    assert net.meter.report_due_attributes() == 1
    await net.wait_for_event(EVENT_ATTRIBUTE_REPORT)
    await wait_for(hass, lambda: bool(fired))

    reports: list[dict[str, Any]] = net.events_of(EVENT_ATTRIBUTE_REPORT)
    assert reports == [
        {
            "device_id": net.device_id(net.meter),
            "source_address": str(net.meter.ieee),
            "source_endpoint_id": 1,
            "cluster_id": Metering.cluster_id,
            "server_or_client": 0,
            "profile_id": 0x0104,  # the simulated meter sends with the HA profile
            "manufacturer_code": None,
            "record": {
                "attribute_id": INSTANTANEOUS_DEMAND,
                "attribute_type": 0x2A,
                "value": 2750,
            },
        }
    ]
    assert fired[0].data["record"] == reports[0]["record"]


async def test_client_reports_and_malformed_reports(
    hass: HomeAssistant,
    se_network: SmartEnergyNetwork,
    caplog: pytest.LogCaptureFixture,
) -> None:
    net = se_network
    # Client reports fire events once asked for (start_receiving_reports).
    await net.entry.runtime_data.gateway_store.async_subscribe_reports(
        [ReportSubscription(net.ihd.ieee, 1, Price.cluster_id, 1, 0x0000)]
    )
    price_client = net.ihd.cluster(Price.cluster_id, server=False)
    report = foundation.Attribute(
        0x0000, foundation.TypeValue(type=0x20, value=t.uint8_t(7))
    )
    truncated = price_client.frame(net.ihd.next_tsn(), REPORT_ATTRIBUTES, b"\x00")

    net.ihd.send_zcl(1, price_client, truncated)
    net.ihd.send_zcl(1, price_client, truncated)
    net.ihd.send_zcl(
        1,
        price_client,
        price_client.frame(net.ihd.next_tsn(), REPORT_ATTRIBUTES, report.serialize()),
    )
    await net.wait_for_event(EVENT_ATTRIBUTE_REPORT)

    (received,) = net.events_of(EVENT_ATTRIBUTE_REPORT)
    assert received["device_id"] == net.device_id(net.ihd)
    assert received["cluster_id"] == Price.cluster_id
    assert received["server_or_client"] == 1
    assert received["record"] == {"attribute_id": 0, "attribute_type": 0x20, "value": 7}
    dropped = [r for r in caplog.records if "Dropped a malformed frame" in r.message]
    assert len(dropped) == 1
