"""The client role through the services: the gateway asks the meter's servers."""

from __future__ import annotations

from homeassistant.core import HomeAssistant

from custom_components.se_gateway.core.clusters import drlc, messaging
from custom_components.se_gateway.core.clusters.types import (
    CancelControl,
    EventStatus,
    MessageControl,
)

from ...conftest import wait_for
from ..conftest import SmartEnergyNetwork
from .conftest import MeterServers, display_message, load_control_event

CANCEL_ALL = drlc.Drlc.ClientCommandDefs.cancel_all_load_control_events.id
CANCEL_MESSAGE = messaging.Messaging.ClientCommandDefs.cancel_message.id


def commands_to(net: SmartEnergyNetwork, name: str) -> list:
    return net.meter.commands_named(name)


async def test_prices_from_the_meter(
    hass: HomeAssistant, se_network, meter_servers, call
) -> None:
    net: SmartEnergyNetwork = se_network
    meter = str(net.meter.ieee)

    # No price yet: the meter answers NOT_FOUND.
    nothing = await call("get_current_price_event")
    assert nothing["status"] == 0x8B
    assert nothing["device_list"] == [meter]
    assert nothing["record_list"] == []
    assert len(commands_to(net, "get_current_price")) == 1

    net.meter.publish_price(1234, rate_label="Day", tier=1, trailing_digits=3)
    await net.wait_for_event("se_gateway_updated_active_price_event")
    await call("add_alias", {"alias_name": "meter", "device_address": meter})

    current = await call("get_current_price_event", {"destination_address": "meter"})
    assert current["status"] == 0
    assert current["cluster_id"] == 0x0700
    assert current["device_list"] == [meter]
    (price,) = current["record_list"]
    assert (price["price"], price["rate_label"]) == (1234, "Day")
    assert (price["source_address"], price["source_endpoint_id"]) == (meter, 1)
    # The engine took the answer too: the price was known (0x8A).
    await net.wait_for_event("se_gateway_received_price_event", 2)
    assert net.events_of("se_gateway_received_price_event")[-1]["status"] == 0x8A

    scheduled = await call(
        "get_scheduled_price_events", {"start_time": 0, "number_of_events": 5}
    )
    assert scheduled["record"] == {
        "start_time": 0,
        "start_time_iso": None,
        "number_of_events": 5,
    }
    assert [r["price"] for r in scheduled["record_list"]] == [1234]
    (asked,) = commands_to(net, "get_scheduled_prices")
    assert asked.number_of_events == 5

    received = await call("get_price_events", {"server_or_client": 1})
    assert received["server_or_client"] == 1
    assert [(r["source_address"], r["price"]) for r in received["record_list"]] == [
        (meter, 1234)
    ]
    await wait_for(
        hass, lambda: net.state("sensor", "price", net.meter).state == "1.234"
    )

    cleared = await call("clear_price_events")
    assert cleared == {
        "source_endpoint_id": 1,
        "cluster_id": 0x0700,
        "status": 0,
        "status_name": "SUCCESS",
        "removed": 1,
    }
    assert (await call("get_price_events", {"server_or_client": 1}))[
        "record_list"
    ] == []
    await net.wait_for_event("se_gateway_updated_active_price_event", 2)
    assert net.events_of("se_gateway_updated_active_price_event")[-1]["record"] is None
    await wait_for(
        hass, lambda: net.state("sensor", "price", net.meter).state == "unknown"
    )


async def test_load_control_from_the_meter(
    hass: HomeAssistant, se_network, meter_servers: MeterServers, call
) -> None:
    net: SmartEnergyNetwork = se_network
    meter = str(net.meter.ieee)
    nothing = await call("get_scheduled_drlc_events")
    assert (nothing["status"], nothing["record_list"]) == (0x8B, [])
    # An event no client could take (it lasts 0 minutes) is no record: 0x85.
    meter_servers.scheduled = [load_control_event(76, duration_in_minutes=0)]
    invalid = await call("get_scheduled_drlc_events")
    assert (invalid["status"], invalid["record_list"]) == (0x85, [])
    await wait_for(hass, lambda: len(commands_to(net, "report_event_status")) == 1)
    assert commands_to(net, "report_event_status")[0].event_status == (
        EventStatus.Load_Control_Event_Command_Rejected
    )
    meter_servers.scheduled = [load_control_event(77), load_control_event(78)]

    scheduled = await call("get_scheduled_drlc_events", {"number_of_events": 1})

    assert scheduled["status"] == 0
    assert scheduled["cluster_id"] == 0x0701
    assert scheduled["record"] == {
        "start_time": 0,
        "start_time_iso": None,
        "number_of_events": 1,
    }
    assert [r["issuer_event_id"] for r in scheduled["record_list"]] == [77]
    assert scheduled["record_list"][0]["average_load_adjustment_percentage"] == -10
    # The engine keeps it and reports received, then started, to the meter.
    await wait_for(hass, lambda: len(commands_to(net, "report_event_status")) == 3)
    received = await call("get_drlc_events", {"server_or_client": 1})
    assert [r["issuer_event_id"] for r in received["record_list"]] == [77]
    assert "report_list" not in received

    opted_out = await call(
        "report_event_status", {"issuer_event_id": 77, "event_status": 4}
    )
    assert opted_out == {
        "source_endpoint_id": 1,
        "cluster_id": 0x0701,
        "status": 0,
        "status_name": "SUCCESS",
        "destination_address": meter,
        "destination_endpoint_id": 1,
        "record": {
            "issuer_event_id": 77,
            "event_status": 4,
            "event_status_name": "USER_OPTED_OUT",
        },
        "device_list": [meter],
    }
    await wait_for(hass, lambda: len(commands_to(net, "report_event_status")) == 4)
    assert commands_to(net, "report_event_status")[-1].event_status == (
        EventStatus.User_Opted_Out
    )
    await wait_for(
        hass,
        lambda: net.state("binary_sensor", "load_control_event", net.meter).attributes[
            "opted_out"
        ],
    )
    # Opting out again changes nothing and sends nothing.
    again = await call(
        "report_event_status",
        {"issuer_event_id": 77, "event_status": 4, "destination_address": meter},
    )
    assert again["device_list"] == []

    opted_in = await call(
        "report_event_status", {"issuer_event_id": "0x4D", "event_status": "5"}
    )
    assert opted_in["device_list"] == [meter]
    await wait_for(hass, lambda: len(commands_to(net, "report_event_status")) == 5)
    assert commands_to(net, "report_event_status")[-1].event_status == (
        EventStatus.User_Opted_In
    )

    # The meter cancels everything: the bus tells, the list empties.
    net.meter.send_command(
        net.meter.cluster(drlc.Drlc.cluster_id),
        CANCEL_ALL,
        drlc.CancelAllLoadControlEvents(cancel_control=CancelControl(0)),
    )
    await net.wait_for_event("se_gateway_received_drlc_cancel_all_events")
    await wait_for(
        hass,
        lambda: (
            net.events_of("se_gateway_updated_active_drlc_events")[-1]["records"] == []
        ),
    )
    received = await call("get_drlc_events", {"server_or_client": 1})
    assert received["record_list"] == []


async def test_messages_from_the_meter(
    hass: HomeAssistant, se_network, meter_servers: MeterServers, call
) -> None:
    net: SmartEnergyNetwork = se_network
    meter = str(net.meter.ieee)
    nothing = await call("get_last_message_event")
    assert (nothing["status"], nothing["device_list"]) == (0x8B, [meter])
    meter_servers.last_message = display_message(5)

    last = await call("get_last_message_event", {"destination_address": meter})

    assert last["status"] == 0
    assert last["cluster_id"] == 0x0703
    (message,) = last["record_list"]
    assert message == {
        "message_id": 5,
        "message_control": 0x80,
        "start_time": 0,
        "start_time_iso": None,
        "duration_in_minutes": 30,
        "message": "Meter says hello",
        "source_address": meter,
        "source_endpoint_id": 1,
    }
    await net.wait_for_event("se_gateway_received_message_event")
    received = await call("get_message_events", {"server_or_client": 1})
    assert [r["message_id"] for r in received["record_list"]] == [5]

    confirmed = await call("confirm_message", {"message_id": 5})

    assert confirmed["status"] == 0
    assert confirmed["device_list"] == [meter]
    assert confirmed["record"]["message_id"] == 5
    assert confirmed["record"]["confirmation_time"] > 0
    await wait_for(hass, lambda: bool(commands_to(net, "message_confirmation")))
    assert commands_to(net, "message_confirmation")[0].message_id == 5
    (shown,) = net.events_of("se_gateway_updated_active_message_events")
    assert [r["message_id"] for r in shown["records"]] == [5]

    # The meter withdraws it.
    net.meter.send_command(
        net.meter.cluster(messaging.Messaging.cluster_id),
        CANCEL_MESSAGE,
        messaging.CancelMessage(message_id=5, message_control=MessageControl(0)),
    )
    await net.wait_for_event("se_gateway_received_message_cancel_event")
    received = await call("get_message_events", {"server_or_client": 1})
    assert received["record_list"] == []
