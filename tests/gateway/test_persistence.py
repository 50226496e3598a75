"""Aliases and added devices survive a restart of se_gateway and ZHA."""

from __future__ import annotations

from homeassistant.components.zha.helpers import get_zha_gateway
import zigpy.types as t

from custom_components.se_gateway.const import DOMAIN
from custom_components.se_gateway.gateway.registry import STORAGE_KEY

from ..conftest import wait_for
from .conftest import INSTALL_CODE, METER, keyed_meter

NEW_METER = "00:0d:6f:00:0a:90:69:02"


async def test_aliases_and_added_devices_survive_a_restart(
    hass, meter, call, simulator, zha_entry, se_entry
) -> None:
    keyed = simulator.add_device(keyed_meter(NEW_METER, install_code=INSTALL_CODE))
    alias = {"alias_name": "meter", "device_address": METER, "endpoint_id": 1}
    await call("add_alias", alias)
    await call(
        "add_device", {"device_address": NEW_METER, "installation_code": INSTALL_CODE}
    )

    # Stop both integrations and start them again, as Home Assistant does.
    assert await hass.config_entries.async_unload(se_entry.entry_id)
    assert await hass.config_entries.async_unload(zha_entry.entry_id)
    await hass.async_block_till_done()
    assert not hasattr(se_entry, "runtime_data")  # the store goes with the entry
    assert await hass.config_entries.async_setup(zha_entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(se_entry.entry_id)
    await hass.async_block_till_done()

    assert await call("list_aliases") == {"aliases": [alias]}
    # The remembered installation code lets the device join when joining opens.
    await call("enable_joining", {"join_time": 60})
    await wait_for(
        hass, lambda: t.EUI64.convert(NEW_METER) in get_zha_gateway(hass).devices
    )
    assert keyed.joined
    read = await call("get_node_descriptor", {"destination_address": "meter"})
    assert read["source_address"] == METER


async def test_removing_the_entry_deletes_its_files(
    hass, meter, call, se_entry, hass_storage
) -> None:
    smart_energy_key = f"{DOMAIN}.{se_entry.entry_id}.smart_energy"
    await call("add_alias", {"alias_name": "meter", "device_address": METER})
    await call(
        "create_price_event",
        {"provider_id": 7, "issuer_event_id": 1, "currency": 978, "price": 245},
    )
    assert await hass.config_entries.async_unload(se_entry.entry_id)
    await hass.async_block_till_done()
    assert {STORAGE_KEY, smart_energy_key} <= hass_storage.keys()

    await hass.config_entries.async_remove(se_entry.entry_id)
    await hass.async_block_till_done()

    assert STORAGE_KEY not in hass_storage
    assert smart_energy_key not in hass_storage
