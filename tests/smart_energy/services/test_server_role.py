"""The server role through the services: the display and load device get the events."""

from __future__ import annotations

from datetime import UTC, datetime

from homeassistant.core import HomeAssistant

from custom_components.se_gateway.core.clusters.types import (
    EventStatus,
    datetime_to_utc_time,
)

from ...conftest import wait_for
from ..conftest import SmartEnergyNetwork
from ..records import EUR, POOL_PUMP, WATER_HEATER

PRICE = {
    "provider_id": 7,
    "issuer_event_id": 1,
    "currency": EUR,
    "price": 245,
    "price_trailing_digit": 3,
    "price_tier": 2,
    "number_of_price_tiers": 3,
    "rate_label": "Peak",
    "duration_in_minutes": 60,
}


async def test_price_events(hass: HomeAssistant, se_network, call) -> None:
    net: SmartEnergyNetwork = se_network
    ihd = str(net.ihd.ieee)

    created = await call("create_price_event", PRICE)

    assert created == {
        "source_endpoint_id": 1,
        "cluster_id": 0x0700,
        "status": 0,
        "status_name": "SUCCESS",
        "record": {
            **PRICE,
            "unit_of_measure": 0,
            "register_tier": 0,
            "start_time": 0,
            "start_time_iso": None,
            "price_ratio": 0xFF,
            "generation_price": 0xFFFFFFFF,
            "generation_price_ratio": 0xFF,
            "alternate_cost_delivered": 0xFFFFFFFF,
            "alternate_cost_unit": 0x01,
            "alternate_cost_trailing_digit": 0xFF,
        },
        "device_list": [ihd],
        "errors": [],
    }
    await wait_for(hass, lambda: len(net.ihd.prices) == 1)
    sent = net.ihd.prices[0]
    assert (sent.issuer_event_id, sent.price, sent.rate_label) == (1, 245, b"Peak")
    assert sent.price_trailing_digit_and_price_tier.price_tier == 2
    await wait_for(hass, lambda: net.state("sensor", "price").state == "0.245")

    # The manual's spelling, hexadecimal text and a start time as a date.
    later = await call(
        "create_price_event",
        {
            **PRICE,
            "issuer_event_id": "0x02",
            "price": "300",
            "alternate_cost_deliverd": 12,
            "start_time": "2099-01-01T00:00:00+00:00",
            "source_endpoint_id": 0x5E,
        },
    )
    assert later["record"]["issuer_event_id"] == 2
    assert later["record"]["alternate_cost_delivered"] == 12
    assert later["record"]["start_time"] == datetime_to_utc_time(
        datetime(2099, 1, 1, tzinfo=UTC)
    )
    await wait_for(hass, lambda: len(net.ihd.prices) == 2)

    listed = await call("get_price_events")
    assert listed["cluster_id"] == 0x0700
    assert listed["server_or_client"] == 0
    assert [r["issuer_event_id"] for r in listed["record_list"]] == [1, 2]

    cancelled = await call("cancel_price_event", {"issuer_event_id": 2})
    assert cancelled["status"] == 0
    assert cancelled["device_list"] == []
    unknown = await call("cancel_price_event", {"issuer_event_id": 99})
    assert unknown["status"] == 0x8B
    listed = await call("get_price_events", {"endpoint_id": 1, "server_or_client": 0})
    assert [r["issuer_event_id"] for r in listed["record_list"]] == [1]

    everything = await call("cancel_all_price_events")
    assert everything["status"] == 0
    assert (await call("get_price_events"))["record_list"] == []
    await wait_for(hass, lambda: net.state("sensor", "price").state == "unknown")


async def test_load_control_events(hass: HomeAssistant, se_network, call) -> None:
    net: SmartEnergyNetwork = se_network
    event = {
        "issuer_event_id": 10,
        "device_class": WATER_HEATER,
        "duration_in_minutes": 30,
        "criticality_level": 3,
        "duty_cycle": 50,
    }

    created = await call("create_drlc_event", event)

    assert created["status"] == 0
    assert created["device_list"] == sorted([str(net.ihd.ieee), str(net.load.ieee)])
    assert created["superseded"] == []
    assert created["record"]["utility_enrollment_group"] == 0
    assert created["record"]["heating_temperature_set_point"] == -0x8000
    await wait_for(
        hass, lambda: (10, EventStatus.Event_Started) in net.load.status_reports
    )
    assert net.load.commands_named("load_control_event")[0].duty_cycle == 50

    # A newer event for the same class supersedes it; the pool pump's does not.
    newer = await call("create_drlc_event", {**event, "issuer_event_id": 11})
    assert newer["superseded"] == [10]
    pool = await call(
        "create_drlc_event",
        {**event, "issuer_event_id": 12, "device_class": POOL_PUMP},
    )
    assert pool["device_list"] == [str(net.ihd.ieee)]

    listed = await call("get_drlc_events")
    assert [r["issuer_event_id"] for r in listed["record_list"]] == [11, 12]
    await wait_for(
        hass,
        lambda: len(net.runtime.engine.get_event_status_reports(11)) >= 2,
    )
    listed = await call("get_drlc_events")
    reports = [
        (item["source_address"], item["record"]["event_status"])
        for item in listed["report_list"]
        if item["record"]["issuer_event_id"] == 11
    ]
    assert (str(net.load.ieee), EventStatus.Load_Control_Event_Command_Received) in (
        reports
    )

    cancelled = await call(
        "cancel_drlc_event", {"issuer_event_id": 11, "cancel_control": 0}
    )
    assert cancelled["status"] == 0
    assert str(net.load.ieee) in cancelled["device_list"]
    await wait_for(
        hass, lambda: (11, EventStatus.Event_Cancelled) in net.load.status_reports
    )
    # Not held here: still sent, the clients answer for their own lists.
    unknown = await call("cancel_drlc_event", {"issuer_event_id": 99})
    assert unknown["status"] == 0x8B
    assert str(net.load.ieee) in unknown["device_list"]
    await wait_for(
        hass,
        lambda: (
            (99, EventStatus.Rejected_Invalid_Cancel_Undefined_Event)
            in net.load.status_reports
        ),
    )

    everything = await call("cancel_all_drlc_events", {"cancel_control": 0})
    assert everything["record"] == {"cancel_control": 0}
    assert everything["device_list"] == sorted([str(net.ihd.ieee), str(net.load.ieee)])
    await wait_for(
        hass,
        lambda: bool(net.ihd.commands_named("cancel_all_load_control_events")),
    )
    assert (await call("get_drlc_events"))["record_list"] == []


async def test_message_events(hass: HomeAssistant, se_network, call) -> None:
    net: SmartEnergyNetwork = se_network

    created = await call(
        "create_message_event",
        {"message_id": 100, "message_control": 0x80, "message": "Peak at 17:00"},
    )

    assert created["status"] == 0
    assert created["cluster_id"] == 0x0703
    assert created["device_list"] == [str(net.ihd.ieee)]
    assert created["record"] == {
        "message_id": 100,
        "message_control": 0x80,
        "start_time": 0,
        "start_time_iso": None,
        "duration_in_minutes": 0xFFFF,
        "message": "Peak at 17:00",
    }
    await wait_for(hass, lambda: len(net.ihd.messages) == 1)
    assert str(net.ihd.messages[0].message) == "Peak at 17:00"
    await net.wait_for_event("se_gateway_received_message_confirmation")

    listed = await call("get_message_events")
    assert [r["message_id"] for r in listed["record_list"]] == [100]
    (confirmation,) = listed["confirmation_list"]
    assert confirmation["source_address"] == str(net.ihd.ieee)
    assert confirmation["record"]["message_id"] == 100

    await call("create_message_event", {"message_id": 101, "message": "Second"})
    cancelled = await call("cancel_message_event", {"message_id": 100})
    assert cancelled["status"] == 0
    assert cancelled["device_list"] == [str(net.ihd.ieee)]
    await wait_for(hass, lambda: bool(net.ihd.commands_named("cancel_message")))
    assert net.ihd.commands_named("cancel_message")[0].message_id == 100
    # A cancel never fails locally.
    assert (await call("cancel_message_event", {"message_id": 7}))["status"] == 0

    everything = await call("cancel_all_message_events")
    assert everything["status"] == 0
    await wait_for(hass, lambda: len(net.ihd.commands_named("cancel_message")) == 3)
    assert net.ihd.commands_named("cancel_message")[-1].message_id == 101
    assert (await call("get_message_events"))["record_list"] == []
