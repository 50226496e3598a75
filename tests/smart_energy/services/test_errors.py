"""Bad inputs and failing devices, one test each.

User errors are translated ServiceValidationErrors naming the field, raised
before anything is stored or sent; a server that cannot be reached raises a
HomeAssistantError. A create or cancel stores first and lists the clients it
could not reach.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest

from ...conftest import wait_for
from ..conftest import SmartEnergyNetwork
from ..records import EUR
from .conftest import MeterServers, display_message, refused

PRICE = {"provider_id": 7, "issuer_event_id": 1, "currency": EUR, "price": 245}
EVENT = {"issuer_event_id": 10, "duration_in_minutes": 30}


def frames(net: SmartEnergyNetwork) -> int:
    return len(net.simulator.captured)


# --- Refused by the fields, before the gateway is asked ---------------------------


async def test_missing_record_field(services_only, call) -> None:
    data = {key: value for key, value in PRICE.items() if key != "price"}

    err = await refused(call, "create_price_event", data)

    assert err.translation_key == "missing_field"
    assert err.translation_placeholders["field"] == "price"


async def test_out_of_range_record_field(services_only, call) -> None:
    err = await refused(
        call, "create_drlc_event", {**EVENT, "duration_in_minutes": 1441}
    )

    assert err.translation_key == "value_out_of_range"
    assert err.translation_placeholders == {
        "field": "duration_in_minutes",
        "error": "must be from 1 to 1440",
    }


async def test_not_a_number(services_only, call) -> None:
    err = await refused(call, "create_drlc_event", {**EVENT, "duty_cycle": "half"})

    assert err.translation_key == "invalid_field"
    assert err.translation_placeholders["field"] == "duty_cycle"


async def test_message_too_long_to_send(services_only, call) -> None:
    err = await refused(
        call, "create_message_event", {"message_id": 1, "message": "x" * 60}
    )

    assert err.translation_key == "invalid_field"
    assert err.translation_placeholders["field"] == "message"
    assert "59" in err.translation_placeholders["error"]


async def test_rate_label_too_long(services_only, call) -> None:
    err = await refused(
        call, "create_price_event", {**PRICE, "rate_label": "Thirteen byte"}
    )

    assert err.translation_placeholders["field"] == "rate_label"


async def test_bad_start_time(services_only, call) -> None:
    for start_time, key in (
        ("tomorrow-ish", "invalid_field"),
        ("1999-12-31T23:00:00+00:00", "value_out_of_range"),
    ):
        err = await refused(
            call, "create_drlc_event", {**EVENT, "start_time": start_time}
        )
        assert err.translation_key == key
        assert err.translation_placeholders["field"] == "start_time"


async def test_report_status_the_gateway_reports_itself(services_only, call) -> None:
    err = await refused(
        call, "report_event_status", {"issuer_event_id": 1, "event_status": 2}
    )

    assert err.translation_key == "value_out_of_range"
    assert err.translation_placeholders["field"] == "event_status"


async def test_unknown_field(services_only, call) -> None:
    err = await refused(call, "create_message_event", {"message_id": 1, "text": "x"})

    assert err.translation_placeholders["field"] == "text"


async def test_bad_destination_address(services_only, call) -> None:
    err = await refused(
        call, "get_current_price_event", {"destination_address": "00:0d:zz"}
    )

    assert err.translation_key == "invalid_ieee"
    assert err.translation_placeholders["field"] == "destination_address"


async def test_gateway_not_set_up(services_only, call) -> None:
    err = await refused(call, "get_price_events", {})

    assert err.translation_key == "not_loaded"


# --- Refused by the gateway ---------------------------------------------------


async def test_duplicate_issuer_event_id(hass: HomeAssistant, se_network, call) -> None:
    net: SmartEnergyNetwork = se_network
    await call("create_price_event", PRICE)
    await wait_for(hass, lambda: len(net.ihd.prices) == 1)
    sent = frames(net)

    err = await refused(call, "create_price_event", {**PRICE, "price": 999})

    assert err.translation_key == "duplicate_event"
    assert err.translation_placeholders == {
        "field": "issuer_event_id",
        "id": "1",
        "status": "0x8A",
    }
    assert frames(net) == sent
    listed = await call("get_price_events")
    assert [r["price"] for r in listed["record_list"]] == [245]


async def test_duplicate_message_id(hass: HomeAssistant, se_network, call) -> None:
    net: SmartEnergyNetwork = se_network
    await call("create_message_event", {"message_id": 5, "message": "first"})
    await wait_for(hass, lambda: len(net.ihd.messages) == 1)

    err = await refused(
        call, "create_message_event", {"message_id": 5, "message": "second"}
    )

    assert err.translation_key == "duplicate_event"
    assert err.translation_placeholders["field"] == "message_id"
    listed = await call("get_message_events")
    assert [r["message"] for r in listed["record_list"]] == ["first"]


async def test_event_that_has_already_ended(se_network, call) -> None:
    net: SmartEnergyNetwork = se_network
    sent = frames(net)

    err = await refused(
        call,
        "create_drlc_event",
        {**EVENT, "start_time": "2001-01-01T00:00:00+00:00"},
    )

    assert err.translation_key == "event_already_ended"
    assert err.translation_placeholders == {"field": "start_time", "status": "0x85"}
    assert frames(net) == sent
    assert (await call("get_drlc_events"))["record_list"] == []


async def test_cancel_effective_after_the_end(se_network, call) -> None:
    net: SmartEnergyNetwork = se_network
    await call("create_drlc_event", {**EVENT, "start_time": "2099-01-01T00:00:00Z"})
    sent = frames(net)

    err = await refused(
        call,
        "cancel_drlc_event",
        {"issuer_event_id": 10, "effective_time": "2099-01-02T00:00:00Z"},
    )

    assert err.translation_key == "invalid_field"
    assert err.translation_placeholders["field"] == "effective_time"
    assert frames(net) == sent
    assert [
        r["issuer_event_id"] for r in (await call("get_drlc_events"))["record_list"]
    ] == [10]


async def test_unknown_gateway_endpoint(se_network, call) -> None:
    err = await refused(call, "create_price_event", {**PRICE, "source_endpoint_id": 7})

    assert err.translation_key == "unknown_gateway_endpoint"
    assert err.translation_placeholders == {
        "field": "source_endpoint_id",
        "endpoint": "7",
        "own": "1",
    }
    assert (await call("get_price_events"))["record_list"] == []


async def test_unknown_received_event(se_network, meter_servers, call) -> None:
    err = await refused(
        call, "report_event_status", {"issuer_event_id": 77, "event_status": 4}
    )
    assert err.translation_key == "unknown_received_event"
    assert err.translation_placeholders["field"] == "issuer_event_id"

    err = await refused(call, "confirm_message", {"message_id": 5})
    assert err.translation_placeholders["field"] == "message_id"


async def test_server_without_the_cluster(se_network, call) -> None:
    net: SmartEnergyNetwork = se_network

    err = await refused(
        call, "get_current_price_event", {"destination_address": str(net.ihd.ieee)}
    )

    assert err.translation_key == "no_server_cluster"
    assert err.translation_placeholders["field"] == "destination_address"


async def test_unknown_device_and_alias(se_network, call) -> None:
    err = await refused(
        call,
        "get_last_message_event",
        {"destination_address": "00:11:22:33:44:55:66:77"},
    )
    assert err.translation_key == "unknown_device"

    err = await refused(
        call, "confirm_message", {"message_id": 1, "destination_address": "meter"}
    )
    assert err.translation_key == "unknown_alias"


# --- Devices that cannot be reached ---------------------------------------------


async def test_server_not_reachable(
    se_network, meter_servers: MeterServers, call
) -> None:
    net: SmartEnergyNetwork = se_network
    net.simulator.set_online(net.meter, False)

    with pytest.raises(HomeAssistantError) as err:
        await call("get_current_price_event")

    assert err.value.translation_key == "device_not_reachable"
    assert err.value.translation_placeholders == {"address": str(net.meter.ieee)}


async def test_confirm_to_a_server_not_reachable(
    hass: HomeAssistant, se_network, meter_servers: MeterServers, call
) -> None:
    net: SmartEnergyNetwork = se_network
    meter_servers.last_message = display_message(5)
    await call("get_last_message_event")
    await net.wait_for_event("se_gateway_received_message_event")
    net.simulator.set_online(net.meter, False)

    with pytest.raises(HomeAssistantError) as err:
        await call("confirm_message", {"message_id": 5})

    assert err.value.translation_key == "device_not_reachable"


async def test_confirm_to_a_server_that_left(
    hass: HomeAssistant, se_network, meter_servers: MeterServers, call
) -> None:
    net: SmartEnergyNetwork = se_network
    meter_servers.last_message = display_message(5)
    await call("get_last_message_event")
    await net.wait_for_event("se_gateway_received_message_event")
    await call("remove_device", {"device_address": str(net.meter.ieee)})
    app = net.runtime.devices.app
    await wait_for(hass, lambda: net.meter.ieee not in app.devices)

    err = await refused(call, "confirm_message", {"message_id": 5})

    assert err.translation_key == "unknown_device"
    assert err.translation_placeholders["field"] == "destination_address"


async def test_client_not_reachable_gets_the_event_later(
    hass: HomeAssistant, se_network, call
) -> None:
    net: SmartEnergyNetwork = se_network
    net.simulator.set_online(net.load, False)

    created = await call("create_drlc_event", EVENT)

    assert created["status"] == 0
    assert created["device_list"] == [str(net.ihd.ieee)]
    (error,) = created["errors"]
    assert error["device_address"] == str(net.load.ieee)
    assert not net.load.commands_named("load_control_event")
    assert [
        r["issuer_event_id"] for r in (await call("get_drlc_events"))["record_list"]
    ] == [10]

    # Back and rejoined: the gateway sends it the event again.
    net.simulator.set_online(net.load, True)
    net.simulator.rejoin(net.load)
    await wait_for(hass, lambda: bool(net.load.commands_named("load_control_event")))
    assert net.load.commands_named("load_control_event")[0].issuer_event_id == 10
