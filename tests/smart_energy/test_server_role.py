"""The gateway as ESI, end to end: the display and the load device get its events."""

from __future__ import annotations

from homeassistant.components.energy.validate import (
    ENERGY_PRICE_UNIT_ERROR,
    ENERGY_PRICE_UNITS,
    ValidationIssues,
    _async_validate_price_entity,
)
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from zigpy.zcl.foundation import Status

from custom_components.se_gateway.core.clusters import (
    Messaging,
    Price,
    drlc as drlc_cluster,
    messaging,
)
from custom_components.se_gateway.core.clusters.types import EventStatus
from custom_components.se_gateway.core.engine import CancelDrlcEvent, DeviceRef
from custom_components.se_gateway.smart_energy.runtime import se_now

from ..conftest import wait_for
from .conftest import SmartEnergyNetwork
from .records import POOL_PUMP, drlc, message, price

GET_SCHEDULED_EVENTS = drlc_cluster.Drlc.ServerCommandDefs.get_scheduled_events.id
GET_LAST_MESSAGE = Messaging.ServerCommandDefs.get_last_message.id


def ref(device) -> DeviceRef:
    return DeviceRef(str(device.ieee), 1)


async def test_price_reaches_the_display_and_the_sensors(
    hass: HomeAssistant, se_network: SmartEnergyNetwork
) -> None:
    net = se_network
    # The display asked for the price when it joined: there was none.
    (asked,) = [a for a in net.ihd.answers if a.cluster_id == Price.cluster_id]
    assert asked.payload.status == Status.NOT_FOUND

    result = await net.runtime.engine.create_price_event(price())

    assert result.device_list == (ref(net.ihd),)
    await wait_for(hass, lambda: len(net.ihd.prices) == 1)
    assert net.ihd.prices[0].price == 245
    state = net.state("sensor", "price")
    assert state.state == "0.245"
    assert state.attributes["unit_of_measurement"] == "EUR/kWh"
    assert state.attributes["device_class"] == "monetary"
    assert state.attributes["issuer_event_id"] == 1
    assert net.state("sensor", "price_tier").state == "2"
    assert net.state("sensor", "rate_label").state == "Peak"
    change = dt_util.parse_datetime(net.state("sensor", "next_price_change").state)
    assert change is not None
    assert 3590 < (change - dt_util.utcnow()).total_seconds() <= 3600
    issues = ValidationIssues()
    _async_validate_price_entity(
        hass,
        net.entity_id("sensor", "price", None),
        issues,
        ENERGY_PRICE_UNITS,
        ENERGY_PRICE_UNIT_ERROR,
    )
    assert not issues.issues

    # Get Current Price is answered with the request's sequence number.
    before = len(net.ihd.inbox)
    tsn = net.ihd.request_price()
    await wait_for(
        hass,
        lambda: (
            [(c.name, c.tsn) for c in net.ihd.inbox[before:]]
            == [("publish_price", tsn)]
        ),
    )

    calendar = net.entity_id("calendar", "events", None)
    events = await hass.services.async_call(
        "calendar",
        "get_events",
        {"entity_id": calendar, "duration": {"hours": 2}},
        blocking=True,
        return_response=True,
    )
    (event,) = events[calendar]["events"]
    assert event["summary"] == "Price 0.245 EUR/kWh"
    assert hass.states.get(calendar).state == STATE_ON


async def test_load_control_event_and_the_status_reports(
    hass: HomeAssistant, se_network: SmartEnergyNetwork
) -> None:
    net = se_network
    result = await net.runtime.engine.create_drlc_event(drlc())

    assert result.device_list == tuple(sorted((ref(net.ihd), ref(net.load))))
    await net.wait_for_event("se_gateway_received_report_event_status", 2)
    reports = net.events_of("se_gateway_received_report_event_status")
    assert [r["record"]["event_status"] for r in reports] == [
        EventStatus.Load_Control_Event_Command_Received,
        EventStatus.Event_Started,
    ]
    assert reports[0]["device_id"] == net.device_id(net.load)
    assert reports[0]["source_address"] == str(net.load.ieee)
    await wait_for(
        hass,
        lambda: (
            net.state("sensor", "load_control_status", net.load).state
            == "event_started"
        ),
    )
    running = net.state("binary_sensor", "load_control_event")
    assert running.state == STATE_ON
    assert running.attributes["criticality_level"] == 3
    assert running.attributes["duty_cycle"] == 50
    assert running.attributes["cooling_temperature_offset"] == 1.5
    assert running.attributes["heating_temperature_set_point"] == 18.5
    assert running.attributes["cooling_temperature_set_point"] is None

    # The load device's class was read when it joined: a pool pump event
    # goes to the display only.
    pool = await net.runtime.engine.create_drlc_event(
        drlc(11, device_class=POOL_PUMP, start_time=0)
    )
    assert pool.device_list == (ref(net.ihd),)

    # Get Scheduled Events gets one Load Control Event per event it addresses.
    request = drlc_cluster.GetScheduledEvents(start_time=0, number_of_events=0)
    before = len(net.load.inbox)
    tsn = net.load.send_command(net.load.drlc_client, GET_SCHEDULED_EVENTS, request)
    await wait_for(
        hass,
        lambda: (
            [
                (c.name, c.tsn, c.payload.issuer_event_id)
                for c in net.load.inbox[before:]
            ]
            == [("load_control_event", tsn, 10)]
        ),
    )

    await net.runtime.engine.cancel_drlc_event(
        CancelDrlcEvent(issuer_event_id=10, cancel_control=0)
    )
    await net.runtime.engine.cancel_drlc_event(
        CancelDrlcEvent(issuer_event_id=11, cancel_control=0)
    )
    await wait_for(
        hass, lambda: (10, EventStatus.Event_Cancelled) in net.load.status_reports
    )
    await wait_for(
        hass,
        lambda: (
            net.state("sensor", "load_control_status", net.load).state
            == "event_cancelled"
        ),
    )
    assert net.state("binary_sensor", "load_control_event").state == STATE_OFF


async def test_messages_are_confirmed_and_sent_from_notify(
    hass: HomeAssistant, se_network: SmartEnergyNetwork
) -> None:
    net = se_network
    result = await net.runtime.engine.create_message_event(message())

    assert result.device_list == (ref(net.ihd),)
    await net.wait_for_event("se_gateway_received_message_confirmation")
    (confirmation,) = net.events_of("se_gateway_received_message_confirmation")
    assert confirmation["device_id"] == net.device_id(net.ihd)
    assert confirmation["record"]["message_id"] == 100
    await wait_for(
        hass,
        lambda: (
            net.state("sensor", "last_message").attributes.get("confirmed_by")
            == [str(net.ihd.ieee)]
        ),
    )
    last = net.state("sensor", "last_message")
    assert last.state == "Peak pricing from 17:00"
    assert last.attributes["confirmation_required"] is True
    assert last.attributes["importance"] == "low"

    # Get Last Message is answered with the message and the request's number.
    before = len(net.ihd.inbox)
    tsn = net.ihd.send_command(
        net.ihd.cluster(Messaging.cluster_id, endpoint_id=1, server=False),
        GET_LAST_MESSAGE,
        messaging.GetLastMessage(),
    )
    await wait_for(
        hass,
        lambda: (
            [(c.name, c.tsn, c.payload.message_id) for c in net.ihd.inbox[before:]]
            == [("display_message", tsn, 100)]
        ),
    )

    notify = net.entity_id("notify", "in_home_displays", None)
    await hass.services.async_call(
        "notify",
        "send_message",
        {"entity_id": notify, "title": "Grid", "message": "Please save energy"},
        blocking=True,
    )
    await wait_for(hass, lambda: len(net.ihd.messages) == 3)  # one answered
    assert str(net.ihd.messages[-1].message) == "Grid: Please save energy"
    await wait_for(
        hass,
        lambda: net.state("sensor", "last_message").state == "Grid: Please save energy",
    )

    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "notify",
            "send_message",
            {"entity_id": notify, "message": "x" * 60},
            blocking=True,
        )
    assert err.value.translation_key == "message_too_long"
    assert len(net.ihd.messages) == 3


async def test_entities_join_the_zha_devices(
    hass: HomeAssistant, se_network: SmartEnergyNetwork
) -> None:
    net = se_network
    # The display read the gateway's time: SE UTC, a master clock (0x05).
    (reading,) = net.ihd.time_readings
    assert reading["time_status"] == 0x05
    assert abs(reading["time"] - se_now()) < 60
    registry = er.async_get(hass)
    status = registry.async_get(
        net.entity_id("sensor", "load_control_status", net.load)
    )
    assert status is not None
    assert status.device_id == net.device_id(net.load)
    gateway_price = registry.async_get(net.entity_id("sensor", "price", None))
    assert gateway_price is not None
    assert gateway_price.device_id not in {
        net.device_id(d) for d in (net.ihd, net.load, net.meter)
    }
