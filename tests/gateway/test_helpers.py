"""The Home Assistant-free helpers behind the services, and the store's migration."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
import probatio
import pytest
import zigpy.types as t
import zigpy.util
from zigpy.zcl import foundation
from zigpy.zcl.clusters.general import Identify
import zigpy.zdo.types as zdo_t

from custom_components.se_gateway.gateway import zcl_records
from custom_components.se_gateway.gateway.aliases import (
    Alias,
    AliasName,
    parse_address,
    parse_ieee,
)
from custom_components.se_gateway.gateway.device_keys import (
    InvalidKeyError,
    KnownDevice,
    link_key_from_install_code,
    link_key_from_text,
)
from custom_components.se_gateway.gateway.errors import RecordFieldError
from custom_components.se_gateway.gateway.registry import STORAGE_KEY, GatewayStore
from custom_components.se_gateway.gateway.settings import SETTINGS, setting_value
from custom_components.se_gateway.gateway.zcl import ZclAnswer
from custom_components.se_gateway.gateway.zdo import (
    node_descriptor_record,
    power_descriptor_record,
)
from custom_components.se_gateway.services import fields
from custom_components.se_gateway.services.general import _package_versions

from .conftest import BAD_INSTALL_CODE, INSTALL_CODE, LINK_KEY, METER

GENERAL = foundation.GeneralCommand
STATUS = foundation.Status
IEEE = t.EUI64.convert(METER)


def answer(command_id: int, command) -> ZclAnswer:
    return ZclAnswer(foundation.ZCLHeader.general(1, command_id), command)


def default_response(status: STATUS) -> ZclAnswer:
    return answer(
        GENERAL.Default_Response,
        foundation.DefaultResponse(command_id=0, status=status),
    )


@pytest.mark.parametrize(
    "text",
    [METER, "000D6F000A906901", "00-0d-6f-00-0a-90-69-01", "00 0d 6f 00 0a 90 69 01"],
)
def test_ieee_addresses_in_any_spelling(text: str) -> None:
    assert parse_ieee(text) == IEEE
    assert parse_address(text) == IEEE


def test_addresses_and_alias_names() -> None:
    assert parse_address("meter_1") == AliasName("meter_1")
    assert isinstance(parse_address("meter_1"), AliasName)
    assert parse_address("1meter") is None
    assert parse_ieee("00:0d:6f") is None
    with pytest.raises(ValueError, match="bad device address"):
        Alias.from_dict({"alias_name": "m", "device_address": "nope"})


def test_link_keys_and_installation_codes() -> None:
    assert bytes(link_key_from_text("C0:C1:C2:C3 c4c5c6c7c8c9cacbcccdcecf")) == (
        bytes.fromhex(LINK_KEY)
    )
    assert link_key_from_install_code(f"{INSTALL_CODE[:8]}-{INSTALL_CODE[8:]}") == (
        zigpy.util.convert_install_code(bytes.fromhex(INSTALL_CODE))
    )
    with pytest.raises(InvalidKeyError, match="32 hexadecimal digits"):
        link_key_from_text("00112233")
    with pytest.raises(InvalidKeyError, match="8, 10, 14 or 18 bytes"):
        link_key_from_install_code("0011223344")
    with pytest.raises(InvalidKeyError) as bad_crc:
        link_key_from_install_code(BAD_INSTALL_CODE)
    assert BAD_INSTALL_CODE.lower() not in str(bad_crc.value).lower()


def test_known_devices_keep_their_key_private() -> None:
    device = KnownDevice(IEEE, link_key_from_text(LINK_KEY))

    assert LINK_KEY not in repr(device).lower()
    assert KnownDevice.from_dict(device.as_dict()) == device
    assert KnownDevice.from_dict({"device_address": METER}) == KnownDevice(IEEE)
    with pytest.raises(ValueError, match="bad device address"):
        KnownDevice.from_dict({"device_address": "nope"})


def test_settings_coerce_values() -> None:
    explicit = SETTINGS["explicit_device_add"]
    failures = SETTINGS["inactivity_failed_transmissions"]

    assert explicit.coerce("Off") is False
    assert explicit.coerce(1) is True
    assert failures.coerce("0x10") == 16
    assert setting_value({}, "inactivity_failed_transmissions") == 3
    for setting, value in ((explicit, "maybe"), (failures, "many"), (failures, 256)):
        with pytest.raises(ValueError, match="must be"):
            setting.coerce(value)


def test_field_validators() -> None:
    assert fields.UINT16(3.0) == 3
    assert fields.UINT16(" 0x0702 ") == 0x0702
    assert fields.hex_bytes("01 02:03") == b"\x01\x02\x03"
    for validator, value in (
        (fields.UINT16, 2.5),
        (fields.UINT16, True),
        (fields.UINT16, "many"),
        (fields.UINT16, None),
        (fields.ieee, 42),
        (fields.ieee, "meter"),
        (fields.address, "my meter"),
        (fields.link_key, 42),
        (fields.installation_code, None),
    ):
        with pytest.raises(probatio.Invalid):
            validator(value)


def test_package_versions_of_missing_packages() -> None:
    assert _package_versions("not_a_radio_library")["not_a_radio_library"] == "unknown"


def test_json_values() -> None:
    assert zcl_records.json_value(foundation.TypeValue(0x21, t.uint16_t(5))) == 5
    assert zcl_records.json_value(t.Bool.true) == 1
    assert zcl_records.json_value(STATUS.FAILURE) == 1
    assert zcl_records.json_value(1.5) == 1.5
    assert zcl_records.json_value(None) is None
    assert zcl_records.json_value(True) is True
    assert zcl_records.json_value(t.LVBytes(b"\x01\x02")) == "0102"
    assert zcl_records.json_value(IEEE) == METER
    assert zcl_records.json_value([t.uint8_t(1), "a"]) == [1, "a"]
    assert zcl_records.json_value(foundation.ReportingDirection.SendReports) == 0
    assert zcl_records.json_value(object)


def test_default_responses_answer_every_general_command() -> None:
    refused = default_response(STATUS.UNSUP_GENERAL_COMMAND)
    written = [{"attribute_id": 0, "attribute_type": 0x21, "value": 1}]
    configured = [{"attribute_id": 0, "direction": 0}]

    assert zcl_records.read_attributes_answer(refused) == {
        "status": STATUS.UNSUP_GENERAL_COMMAND,
        "record_list": [],
    }
    assert zcl_records.write_attributes_answer(refused, written)["record_list"] == [
        {"status": STATUS.UNSUP_GENERAL_COMMAND, **written[0]}
    ]
    assert zcl_records.write_attributes_answer(
        default_response(STATUS.SUCCESS), written
    )["record_list"] == [{"status": 0, **written[0]}]
    assert zcl_records.discover_attributes_answer(refused)["record_list"] == []
    assert zcl_records.configure_reporting_answer(refused, configured)[
        "record_list"
    ] == [{"status": STATUS.UNSUP_GENERAL_COMMAND, "attribute_id": 0}]
    assert zcl_records.configure_reporting_answer(
        default_response(STATUS.SUCCESS), configured
    )["record_list"] == [{"status": 0, **configured[0]}]
    assert zcl_records.read_reporting_configuration_answer(refused)["record_list"] == []


def test_reporting_records_to_receive_reports() -> None:
    payload, configured = zcl_records.reporting_configs(
        Identify,
        [{"direction": 1, "attribute_id": 0, "timeout_period": 90}],
    )
    config = foundation.AttributeReportingConfig()
    config.direction = foundation.ReportingDirection.ReceiveReports
    config.attrid = 0
    config.timeout = 90
    rsp = foundation.GENERAL_COMMANDS[GENERAL.Read_Reporting_Configuration_rsp].schema(
        attribute_configs=[
            foundation.AttributeReportingConfigWithStatus(
                status=STATUS.SUCCESS, config=config
            )
        ]
    )

    assert payload == config.serialize()
    assert configured == [{"direction": 1, "attribute_id": 0, "timeout_period": 90}]
    assert zcl_records.read_reporting_configuration_answer(
        answer(GENERAL.Read_Reporting_Configuration_rsp, rsp)
    )["record_list"] == [
        {"status": 0, "direction": 1, "attribute_id": 0, "timeout_period": 90}
    ]


def test_records_with_bad_types_or_values() -> None:
    with pytest.raises(RecordFieldError) as unknown_type:
        zcl_records.write_attributes_payload(
            Identify, [{"attribute_id": 0, "attribute_type": 0xFE, "value": 1}]
        )
    with pytest.raises(RecordFieldError) as bad_change:
        zcl_records.reporting_configs(
            Identify,
            [
                {
                    "direction": 0,
                    "attribute_id": 0,
                    "min_interval": 0,
                    "max_interval": 60,
                    "reportable_change": -1,
                }
            ],
        )

    assert unknown_type.value.field == "record_list[0].attribute_type"
    assert unknown_type.value.problem == "invalid_field"
    assert bad_change.value.field == "record_list[0].reportable_change"


def test_descriptor_records_of_failed_requests() -> None:
    assert node_descriptor_record(zdo_t.Status.NOT_SUPPORTED, 0x1234, None) == {
        "status": zdo_t.Status.NOT_SUPPORTED,
        "status_name": "NOT_SUPPORTED",
        "nwk_addr": 0x1234,
    }
    assert power_descriptor_record(zdo_t.Status.TIMEOUT, 0x1234, None) == {
        "status": zdo_t.Status.TIMEOUT,
        "status_name": "TIMEOUT",
        "nwk_addr": 0x1234,
    }


async def test_store_migrates_older_minor_versions(
    hass: HomeAssistant, hass_storage
) -> None:
    alias = {"alias_name": "meter", "device_address": METER, "endpoint_id": 1}
    hass_storage[STORAGE_KEY] = {
        "version": 1,
        "minor_version": 0,
        "key": STORAGE_KEY,
        "data": {"aliases": [alias]},
    }
    store = GatewayStore(hass)

    await store.async_load()

    assert store.aliases == {"meter": Alias.from_dict(alias)}
    assert store.devices == {}
    assert not await store.async_remove_device(IEEE)
    assert hass_storage[STORAGE_KEY]["data"] == {
        "aliases": [alias],
        "devices": [],
        "report_subscriptions": [],
    }
