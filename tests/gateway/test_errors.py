"""Bad inputs and failing devices, one test each.

User errors are translated ServiceValidationErrors naming the field; a device
that cannot be reached or does not answer raises a HomeAssistantError. Nothing
is sent or stored when a call is refused.
"""

from __future__ import annotations

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from zigpy.zcl.clusters.general import Identify
from zigpy.zcl.clusters.smartenergy import Metering

from custom_components.se_gateway.const import DOMAIN
from custom_components.se_gateway.core.engine import DeviceRef, RefusalError, refusals
from custom_components.se_gateway.errors import translate_errors
from custom_components.se_gateway.gateway import zcl as zcl_ops
from custom_components.se_gateway.gateway.registry import STORAGE_KEY
from custom_components.se_gateway.services import common

from .conftest import BAD_INSTALL_CODE, INSTALL_CODE, LINK_KEY, METER, keyed_meter

SERVER = DeviceRef("00:0d:6f:00:0a:90:69:02", 1)
METERING = {
    "destination_address": METER,
    "destination_endpoint_id": 1,
    "cluster_id": Metering.cluster_id,
}
READ_SUMMATION = {**METERING, "record_list": [{"attribute_id": 0x0000}]}


async def refused(call, service: str, data: dict) -> ServiceValidationError:
    """Call a service that must refuse the call, and return the error."""
    with pytest.raises(ServiceValidationError) as err:
        await call(service, data)
    return err.value


def frames_sent(simulator) -> int:
    return len(simulator.captured)


async def test_unknown_device(meter, call, simulator) -> None:
    sent = frames_sent(simulator)

    err = await refused(
        call,
        "read_attributes",
        {**READ_SUMMATION, "destination_address": "00:11:22:33:44:55:66:77"},
    )

    assert err.translation_key == "unknown_device"
    assert err.translation_placeholders["field"] == "destination_address"
    assert frames_sent(simulator) == sent
    removal = await refused(
        call, "remove_device", {"device_address": "00:11:22:33:44:55:66:77"}
    )
    assert removal.translation_placeholders["field"] == "device_address"


async def test_unknown_alias(meter, call) -> None:
    err = await refused(
        call, "get_node_descriptor", {"destination_address": "thermostat"}
    )

    assert err.translation_key == "unknown_alias"
    assert err.translation_placeholders == {
        "field": "destination_address",
        "alias": "thermostat",
    }


async def test_bad_ieee_address(services_only, call) -> None:
    err = await refused(
        call, "read_attributes", {**READ_SUMMATION, "destination_address": "00:0d:zz"}
    )

    assert err.translation_key == "invalid_ieee"
    assert err.translation_placeholders["field"] == "destination_address"


async def test_bad_install_code_crc(meter, call, simulator, hass_storage) -> None:
    device = simulator.add_device(
        keyed_meter("00:0d:6f:00:0a:90:69:02", install_code=INSTALL_CODE)
    )

    err = await refused(
        call,
        "add_device",
        {
            "device_address": "00:0d:6f:00:0a:90:69:02",
            "installation_code": BAD_INSTALL_CODE,
            "join_time": 60,
        },
    )

    assert err.translation_key == "invalid_install_code"
    assert err.translation_placeholders["field"] == "installation_code"
    assert BAD_INSTALL_CODE.lower() not in str(err.translation_placeholders).lower()
    assert STORAGE_KEY not in hass_storage
    assert not device.joined


async def test_link_key_and_installation_code_together(meter, call) -> None:
    err = await refused(
        call,
        "add_device",
        {
            "device_address": "00:0d:6f:00:0a:90:69:02",
            "installation_code": INSTALL_CODE,
            "link_key": LINK_KEY,
        },
    )

    assert err.translation_key == "link_key_and_installation_code"
    assert err.translation_placeholders["field"] == "installation_code"


async def test_out_of_range_value(services_only, call) -> None:
    err = await refused(
        call, "read_attributes", {**READ_SUMMATION, "destination_endpoint_id": 300}
    )

    assert err.translation_key == "value_out_of_range"
    assert err.translation_placeholders["field"] == "destination_endpoint_id"


async def test_missing_field(services_only, call) -> None:
    data = {key: value for key, value in READ_SUMMATION.items() if key != "cluster_id"}

    err = await refused(call, "read_attributes", data)

    assert err.translation_key == "missing_field"
    assert err.translation_placeholders["field"] == "cluster_id"


async def test_missing_record_field(services_only, call) -> None:
    err = await refused(
        call,
        "write_attributes",
        {**READ_SUMMATION, "record_list": [{"attribute_id": 0}, {"attribute_id": 1}]},
    )

    assert err.translation_key == "missing_field"
    assert err.translation_placeholders["field"] == "record_list[0].value"


async def test_missing_attribute_type_of_an_unknown_attribute(
    meter, call, simulator
) -> None:
    sent = frames_sent(simulator)

    err = await refused(
        call,
        "write_attributes",
        {**READ_SUMMATION, "record_list": [{"attribute_id": 0x7777, "value": 1}]},
    )

    assert err.translation_key == "missing_field"
    assert err.translation_placeholders["field"] == "record_list[0].attribute_type"
    assert frames_sent(simulator) == sent


async def test_value_the_attribute_type_cannot_hold(meter, call) -> None:
    err = await refused(
        call,
        "write_attributes",
        {
            **READ_SUMMATION,
            "cluster_id": Identify.cluster_id,
            "record_list": [{"attribute_id": 0, "value": 70_000}],
        },
    )

    assert err.translation_key == "invalid_field"
    assert err.translation_placeholders["field"] == "record_list[0].value"


async def test_unknown_endpoint_and_cluster(meter, call) -> None:
    no_endpoint = await refused(
        call, "read_attributes", {**READ_SUMMATION, "destination_endpoint_id": 2}
    )
    no_cluster = await refused(
        call, "read_attributes", {**READ_SUMMATION, "server_or_client": 1}
    )
    no_endpoint_given = await refused(call, "identify", {"destination_address": METER})
    no_descriptor_endpoint = await refused(
        call, "get_simple_descriptor", {"destination_address": METER}
    )

    assert no_endpoint.translation_key == "unknown_endpoint"
    assert no_cluster.translation_key == "unknown_cluster"
    assert no_endpoint_given.translation_key == "missing_field"
    assert no_endpoint_given.translation_placeholders["field"] == (
        "destination_endpoint_id"
    )
    assert no_descriptor_endpoint.translation_key == "missing_field"


async def test_bad_payload(services_only, call) -> None:
    err = await refused(
        call,
        "send_zcl",
        {**METERING, "command_identifier": 0, "payload": "0g"},
    )

    assert err.translation_key == "invalid_field"
    assert err.translation_placeholders["field"] == "payload"


async def test_device_offline(meter, call, simulator) -> None:
    simulator.set_online(meter, False)

    with pytest.raises(HomeAssistantError) as err:
        await call("read_attributes", READ_SUMMATION)

    assert not isinstance(err.value, ServiceValidationError)
    assert err.value.translation_key == "device_not_reachable"
    assert err.value.translation_placeholders == {"address": METER}
    # Device information still answers, without the power descriptor it lacks.
    information = await call("get_device_information")
    assert "power_descriptor" not in information["record_list"][0]


async def test_device_does_not_answer(meter, call, monkeypatch) -> None:
    monkeypatch.setattr(zcl_ops, "ANSWER_TIMEOUT_S", 0.3)

    with pytest.raises(HomeAssistantError) as err:
        await call(
            "send_zcl",
            {
                **METERING,
                "command_type": 0,
                "command_identifier": 0x00,
                "payload": "0000",
                # The meter answers with a Read Attributes Response, not this.
                "response_command_identifier": 0x55,
            },
        )

    assert err.value.translation_key == "device_no_answer"


async def test_gateway_not_set_up(services_only, call) -> None:
    err = await refused(call, "get_time", {})

    assert err.translation_key == "not_loaded"


async def test_zha_not_loaded(meter, call, monkeypatch) -> None:
    def no_gateway(hass):
        raise ValueError("No gateway object exists")

    monkeypatch.setattr(common, "get_zha_gateway", no_gateway)

    err = await refused(call, "get_version", {})

    assert err.translation_key == "zha_not_loaded"


@translate_errors
async def _raise(error: Exception) -> None:
    raise error


@pytest.mark.parametrize(
    ("refusal", "key", "placeholders"),
    [
        (
            refusals.duplicate_id("message_id", 5),
            "duplicate_event",
            {"field": "message_id", "id": "5", "status": "0x8A"},
        ),
        (
            refusals.already_ended(5),
            "event_already_ended",
            {"field": "start_time", "status": "0x85"},
        ),
        (
            refusals.unknown_event("issuer_event_id", 5, SERVER),
            "unknown_received_event",
            {"field": "issuer_event_id", "id": "5"},
        ),
        (
            refusals.unknown_server(5, SERVER),
            "unknown_device",
            {"field": "destination_address", "address": SERVER.ieee},
        ),
        (
            refusals.after_the_end(5),
            "invalid_field",
            {"field": "effective_time", "error": "is after the event ends"},
        ),
    ],
)
async def test_engine_refusals_are_translated(
    refusal: RefusalError, key: str, placeholders: dict[str, str]
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await _raise(refusal)

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == key
    assert err.value.translation_placeholders == placeholders
