"""The config and options flows."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from custom_components.se_gateway.const import CONF_RELOAD_ZHA_FOR_QUIRKS, DOMAIN
from network_simulator import SimulatedDevice


async def test_aborts_when_zha_is_absent(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "zha_not_loaded"


async def test_creates_entry_when_zha_runs(
    hass: HomeAssistant, zha_with_meter: SimulatedDevice
) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Smart Energy Gateway"
    assert result["result"].runtime_data.zha_entry_id


async def test_single_instance(
    hass: HomeAssistant, zha_with_meter: SimulatedDevice, se_entry
) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "single_instance_allowed"


async def test_options_flow_stores_settings(
    hass: HomeAssistant, zha_with_meter: SimulatedDevice, se_entry
) -> None:
    assert await hass.config_entries.async_setup(se_entry.entry_id)
    await hass.async_block_till_done()

    result = await hass.config_entries.options.async_init(se_entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "settings"}
    )
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_RELOAD_ZHA_FOR_QUIRKS: False}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    # Every setting is kept, the others at their defaults.
    assert se_entry.options == {
        CONF_RELOAD_ZHA_FOR_QUIRKS: False,
        "inactivity_failed_transmissions": 3,
        "explicit_device_add": False,
        "aps_encryption_se": False,
        "price_source": "",
    }


async def test_options_flow_and_registry_configuration_agree(
    hass: HomeAssistant, zha_with_meter: SimulatedDevice, se_entry
) -> None:
    """One source of truth: what one side sets, the other shows."""
    assert await hass.config_entries.async_setup(se_entry.entry_id)
    await hass.async_block_till_done()
    hass.states.async_set("sensor.tariff", "0.2", {"unit_of_measurement": "EUR/kWh"})

    # Set by the action, shown by the flow (as each field's default).
    for name, value in (
        ("inactivity_failed_transmissions", 7),
        ("explicit_device_add", True),
        ("price_source", "sensor.tariff"),
    ):
        await hass.services.async_call(
            DOMAIN,
            "registry_configuration",
            {"name": name, "value": value},
            blocking=True,
            return_response=True,
        )
    result = await hass.config_entries.options.async_init(se_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "settings"}
    )
    shown = {
        str(key): key.default() if callable(key.default) else None
        for key in result["data_schema"].schema
    }
    assert shown["inactivity_failed_transmissions"] == 7
    assert shown["explicit_device_add"] is True
    assert shown["aps_encryption_se"] is False
    source = next(k for k in result["data_schema"].schema if k == "price_source")
    assert source.description == {"suggested_value": "sensor.tariff"}

    # Set in the flow, read by the action.
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_RELOAD_ZHA_FOR_QUIRKS: True,
            "inactivity_failed_transmissions": 9,
            "explicit_device_add": False,
            "aps_encryption_se": True,
        },
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY

    async def read(name: str) -> object:
        answer = await hass.services.async_call(
            DOMAIN,
            "registry_configuration",
            {"name": name},
            blocking=True,
            return_response=True,
        )
        assert answer is not None
        return answer["value"]

    assert await read("inactivity_failed_transmissions") == 9
    assert await read("explicit_device_add") is False
    assert await read("aps_encryption_se") is True
    assert await read("price_source") == ""  # cleared in the form
