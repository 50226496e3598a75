"""The General services: settings, versions, time and help."""

from __future__ import annotations

from importlib import metadata
import time

from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.se_gateway.services.general import UTC_2000_OFFSET


async def test_registry_configuration_gets_and_sets_options(
    meter, call, se_entry: MockConfigEntry
) -> None:
    assert await call("registry_configuration", {"name": "explicit_device_add"}) == {
        "name": "explicit_device_add",
        "value": False,
    }

    written = await call(
        "registry_configuration",
        {"name": "inactivity_failed_transmissions", "value": "0x05"},
    )
    await call("registry_configuration", {"name": "aps_encryption_se", "value": "on"})

    assert written == {
        "name": "inactivity_failed_transmissions",
        "value": 5,
        "write_status": True,
    }
    assert se_entry.options["inactivity_failed_transmissions"] == 5
    assert se_entry.options["aps_encryption_se"] is True
    read = await call(
        "registry_configuration", {"name": "inactivity_failed_transmissions"}
    )
    assert read == {"name": "inactivity_failed_transmissions", "value": 5}


async def test_registry_configuration_refuses_unknown_names_and_bad_values(
    meter, call, se_entry: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as unknown:
        await call("registry_configuration", {"name": "RPC_Manager.use_push"})
    with pytest.raises(ServiceValidationError) as bad_value:
        await call(
            "registry_configuration",
            {"name": "inactivity_failed_transmissions", "value": 0},
        )
    with pytest.raises(ServiceValidationError) as not_bool:
        await call(
            "registry_configuration", {"name": "explicit_device_add", "value": "maybe"}
        )

    assert unknown.value.translation_key == "unknown_setting"
    assert unknown.value.translation_placeholders["field"] == "name"
    assert bad_value.value.translation_key == "invalid_field"
    assert bad_value.value.translation_placeholders["field"] == "value"
    assert not_bool.value.translation_placeholders["field"] == "value"
    assert "inactivity_failed_transmissions" not in se_entry.options


async def test_get_version_lists_the_stack(meter, call) -> None:
    response = await call("get_version")
    zigpy = await call("get_version", {"module": "zigpy"})

    assert response["version"] == "0.1.0"
    versions = response["version_extended"]
    assert versions["se_gateway"] == "0.1.0"
    assert versions["zigpy"] == metadata.version("zigpy")
    assert versions["zha"] == metadata.version("zha")
    assert versions["zha_quirks"] == metadata.version("zha-quirks")
    assert versions["zigpy_xbee"] == metadata.version("zigpy-xbee")
    assert versions["radio_firmware"] == "0x1009"
    assert zigpy == {"module": "zigpy", "version": metadata.version("zigpy")}
    with pytest.raises(ServiceValidationError) as unknown:
        await call("get_version", {"module": "bellows"})
    assert unknown.value.translation_placeholders["field"] == "module"


async def test_get_time_and_set_time(meter, call) -> None:
    before = int(time.time())
    response = await call("get_time")

    assert before <= response["utc_1970"] <= int(time.time())
    assert response["utc_2000"] == response["utc_1970"] - UTC_2000_OFFSET
    with pytest.raises(ServiceValidationError) as refused:
        await call("set_time", {"utc_2000": 800_000_000}, response=False)
    assert refused.value.translation_key == "set_time_system_clock"


async def test_help_lists_settings_and_services(meter, call) -> None:
    response = await call("help")
    settings_only = await call("help", {"methods": False})
    services_only = await call("help", {"registry": False})

    assert {item["name"] for item in response["registry"]} == {
        "reload_zha_for_quirks",
        "inactivity_failed_transmissions",
        "explicit_device_add",
        "aps_encryption_se",
        "price_source",
    }
    methods = {item["name"]: item for item in response["methods"]}
    # Every service is described (services.yaml and translations agree).
    assert all(item["description"] for item in response["methods"])
    assert {"read_attributes", "add_device", "help", "answer_remote_unlock"} <= set(
        methods
    )
    assert methods["read_attributes"]["description"].startswith("Reads attributes")
    assert "record_list" in methods["read_attributes"]["fields"]
    assert "methods" not in settings_only
    assert set(services_only) == {"methods"}
