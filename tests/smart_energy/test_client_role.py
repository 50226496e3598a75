"""The gateway as a client of a meter's Price, Messaging and DRLC servers."""

from __future__ import annotations

from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from zigpy.zcl.clusters.smartenergy import Metering

from custom_components.se_gateway.core.clusters import drlc, messaging
from custom_components.se_gateway.core.clusters.types import (
    CriticalityLevel,
    DeviceClass,
    EventControl,
    EventStatus,
    MessageControl,
)

from ..conftest import wait_for
from .conftest import TIER1_WH, TIER2_WH, SmartEnergyNetwork

DISPLAY_MESSAGE = messaging.Messaging.ClientCommandDefs.display_message.id
CANCEL_MESSAGE = messaging.Messaging.ClientCommandDefs.cancel_message.id
LOAD_CONTROL_EVENT = drlc.Drlc.ClientCommandDefs.load_control_event.id


def display_message(message_id: int, control: int) -> messaging.DisplayMessage:
    return messaging.DisplayMessage(
        message_id=message_id,
        message_control=MessageControl(control),
        start_time=0,
        duration_in_minutes=30,
        message="Meter says hello",
    )


def load_control_event(issuer_event_id: int) -> drlc.LoadControlEvent:
    return drlc.LoadControlEvent(
        issuer_event_id=issuer_event_id,
        device_class=DeviceClass.Smart_Appliances,
        utility_enrollment_group=0,
        start_time=0,
        duration_in_minutes=15,
        criticality_level=CriticalityLevel.Level_1,
        cooling_temperature_offset=0xFF,
        heating_temperature_offset=20,
        cooling_temperature_set_point=drlc.TEMPERATURE_SET_POINT_NOT_USED,
        heating_temperature_set_point=drlc.TEMPERATURE_SET_POINT_NOT_USED,
        average_load_adjustment_percentage=-10,
        duty_cycle=drlc.DUTY_CYCLE_NOT_USED,
        event_control=EventControl(0),
    )


async def test_price_from_the_meter(
    hass: HomeAssistant, se_network: SmartEnergyNetwork
) -> None:
    net = se_network
    net.meter.publish_price(1234, rate_label="Day", tier=1, trailing_digits=3)

    await net.wait_for_event("se_gateway_updated_active_price_event")
    (received,) = net.events_of("se_gateway_received_price_event")
    assert received["device_id"] == net.device_id(net.meter)
    assert received["status"] == 0
    assert received["record"]["price"] == 1234
    assert received["record"]["rate_label"] == "Day"
    (active,) = net.events_of("se_gateway_updated_active_price_event")
    assert active["record"]["issuer_event_id"] == 1
    await wait_for(
        hass, lambda: net.state("sensor", "price", net.meter).state == "1.234"
    )
    state = net.state("sensor", "price", net.meter)
    assert state.attributes["unit_of_measurement"] == "EUR/kWh"
    assert net.state("sensor", "rate_label", net.meter).state == "Day"
    assert net.state("sensor", "price_tier", net.meter).state == "1"
    # Until changed: no next change.
    assert net.state("sensor", "next_price_change", net.meter).state == "unknown"


async def test_messages_from_the_meter_and_the_confirm_button(
    hass: HomeAssistant, se_network: SmartEnergyNetwork
) -> None:
    net = se_network
    server = net.meter.cluster(messaging.Messaging.cluster_id)
    button = net.entity_id("button", "confirm_message", net.meter)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "button", "press", {"entity_id": button}, blocking=True
        )
    assert err.value.translation_key == "no_message_to_confirm"

    net.meter.send_command(server, DISPLAY_MESSAGE, display_message(5, 0x88))
    await net.wait_for_event("se_gateway_received_message_event")
    (received,) = net.events_of("se_gateway_received_message_event")
    assert received["device_id"] == net.device_id(net.meter)
    assert received["record"]["message"] == "Meter says hello"
    event = net.state("event", "message", net.meter)
    assert event.attributes["event_type"] == "received"
    assert event.attributes["message_id"] == 5
    assert event.attributes["importance"] == "high"
    assert event.attributes["confirmation_required"] is True
    await wait_for(
        hass,
        lambda: (
            net.state("sensor", "last_message", net.meter).state == "Meter says hello"
        ),
    )

    await hass.services.async_call(
        "button", "press", {"entity_id": button}, blocking=True
    )
    await wait_for(hass, lambda: bool(net.meter.commands_named("message_confirmation")))
    assert net.meter.commands_named("message_confirmation")[0].message_id == 5

    net.simulator.set_online(net.meter, False)
    with pytest.raises(HomeAssistantError) as failed:
        await hass.services.async_call(
            "button", "press", {"entity_id": button}, blocking=True
        )
    assert failed.value.translation_key == "device_not_reachable"
    net.simulator.set_online(net.meter, True)

    net.meter.send_command(
        server,
        CANCEL_MESSAGE,
        messaging.CancelMessage(message_id=5, message_control=MessageControl(0)),
    )
    await wait_for(
        hass,
        lambda: (
            net.state("event", "message", net.meter).attributes["event_type"]
            == "cancelled"
        ),
    )
    await wait_for(
        hass,
        lambda: net.state("sensor", "last_message", net.meter).state == "unknown",
    )


async def test_load_control_from_the_meter(
    hass: HomeAssistant, se_network: SmartEnergyNetwork
) -> None:
    net = se_network
    server = net.meter.cluster(drlc.Drlc.cluster_id)
    net.meter.send_command(server, LOAD_CONTROL_EVENT, load_control_event(77))

    await net.wait_for_event("se_gateway_updated_active_drlc_events")
    (received,) = net.events_of("se_gateway_received_drlc_event")
    assert received["record"]["issuer_event_id"] == 77
    (active,) = net.events_of("se_gateway_updated_active_drlc_events")
    assert [r["issuer_event_id"] for r in active["records"]] == [77]
    await wait_for(
        hass,
        lambda: (
            net.state("binary_sensor", "load_control_event", net.meter).state
            == STATE_ON
        ),
    )
    running = net.state("binary_sensor", "load_control_event", net.meter)
    assert running.attributes["heating_temperature_offset"] == 2.0
    assert running.attributes["average_load_adjustment_percentage"] == -10
    assert running.attributes["opted_out"] is False
    # The gateway reports to the meter: received, then started.
    await wait_for(
        hass, lambda: len(net.meter.commands_named("report_event_status")) == 2
    )
    assert [
        r.event_status for r in net.meter.commands_named("report_event_status")
    ] == [EventStatus.Load_Control_Event_Command_Received, EventStatus.Event_Started]


async def test_meter_status_and_tier_energy(
    hass: HomeAssistant, se_network: SmartEnergyNetwork
) -> None:
    net = se_network
    status = net.state("sensor", "meter_status", net.meter)
    assert status.state == "low_battery"
    assert status.attributes["low_battery"] is True
    assert status.attributes["check_meter"] is False
    entity = er.async_get(hass).async_get(
        net.entity_id("sensor", "meter_status", net.meter)
    )
    assert entity is not None
    assert entity.entity_category == "diagnostic"
    assert entity.device_id == net.device_id(net.meter)

    tier1 = net.state("sensor", "tier1_summation_delivered", net.meter)
    assert float(tier1.state) == TIER1_WH / 1000
    assert tier1.attributes["device_class"] == "energy"
    assert tier1.attributes["state_class"] == "total_increasing"
    assert tier1.attributes["unit_of_measurement"] == "kWh"
    tier2 = net.state("sensor", "tier2_summation_delivered", net.meter)
    assert float(tier2.state) == TIER2_WH / 1000
    # The meter has no other tier, nor tier summations received.
    registry = er.async_get(hass)
    assert (
        registry.async_get_entity_id(
            "sensor", "se_gateway", f"{net.meter.ieee}-tier3_summation_delivered"
        )
        is None
    )
    assert (
        registry.async_get_entity_id(
            "sensor", "se_gateway", f"{net.meter.ieee}-tier1_summation_received"
        )
        is None
    )

    # A new reading updates the sensors.
    meter_metering = net.meter.cluster(Metering.cluster_id)
    meter_metering.set("current_tier1_summ_delivered", TIER1_WH + 500)
    meter_metering.set("status", 0)
    zigpy_metering = net.runtime.devices.devices[net.meter.ieee].server_cluster(
        Metering.cluster_id
    )
    assert zigpy_metering is not None
    await zigpy_metering.read_attributes(
        ["current_tier1_summ_delivered", "status"], allow_cache=False
    )
    await hass.async_block_till_done()
    assert (
        float(net.state("sensor", "tier1_summation_delivered", net.meter).state)
        == (TIER1_WH + 500) / 1000
    )
    assert net.state("sensor", "meter_status", net.meter).state == "ok"
