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
    assert se_entry.options == {CONF_RELOAD_ZHA_FOR_QUIRKS: False}
