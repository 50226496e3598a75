"""Aliases: names for a device address and endpoint, good in every address field."""

from __future__ import annotations

from homeassistant.exceptions import ServiceValidationError
import pytest
from zigpy.zcl.clusters.smartenergy import Metering
import zigpy.zdo.types as zdo_t

from .conftest import METER, frames_to


async def test_add_list_and_remove_aliases(meter, call) -> None:
    added = await call(
        "add_alias",
        {"alias_name": "meter", "device_address": METER, "endpoint_id": 1},
    )
    await call("add_alias", {"alias_name": "meter_device", "device_address": "meter"})

    assert added == {"alias_name": "meter", "device_address": METER, "endpoint_id": 1}
    assert await call("list_aliases") == {
        "aliases": [
            added,
            # An alias of an alias takes its address and endpoint.
            {"alias_name": "meter_device", "device_address": METER, "endpoint_id": 1},
        ]
    }
    assert await call("remove_alias", {"alias_name": "meter_device"}) == {
        "alias_name": "meter_device",
        "removed": True,
    }
    assert await call("remove_alias", {"alias_name": "meter_device"}) == {
        "alias_name": "meter_device",
        "removed": False,
    }
    assert await call("list_aliases") == {"aliases": [added]}


async def test_alias_addresses_a_device_and_its_endpoint(
    meter, call, simulator
) -> None:
    await call(
        "add_alias",
        {"alias_name": "meter", "device_address": METER, "endpoint_id": 1},
    )

    read = await call(
        "read_attributes",
        {
            "destination_address": "meter",
            "cluster_id": Metering.cluster_id,
            "record_list": [{"attribute_id": 0x0000}],
        },
    )
    simple = await call("get_simple_descriptor", {"destination_address": "meter"})
    await call("add_alias", {"alias_name": "bare", "device_address": METER})
    node = await call("get_node_descriptor", {"destination_address": "bare"})
    information = await call("get_device_information", {"device_address": "meter"})

    assert read["source_address"] == METER
    assert read["source_endpoint_id"] == 1
    assert read["record_list"][0]["value"] == 12_345_678
    assert simple["endpoint_id"] == 1
    assert node["source_address"] == METER
    assert information["record_list"][0]["addr_extended"] == METER
    assert frames_to(simulator, meter, Metering.cluster_id)
    assert frames_to(simulator, meter, zdo_t.ZDOCmd.Simple_Desc_req)


async def test_alias_names_cannot_look_like_addresses(meter, call) -> None:
    for name in ("000d6f000a906901", "1meter", "my meter"):
        with pytest.raises(ServiceValidationError) as err:
            await call("add_alias", {"alias_name": name, "device_address": METER})
        assert err.value.translation_key == "invalid_alias_name"
        assert err.value.translation_placeholders["field"] == "alias_name"
    assert await call("list_aliases") == {"aliases": []}
