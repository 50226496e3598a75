"""Twenty service calls at once all succeed."""

from __future__ import annotations

import asyncio

from zigpy.zcl.clusters.smartenergy import Metering

from .conftest import METER


async def test_twenty_calls_at_once(meter, call) -> None:
    reads = [
        call(
            "read_attributes",
            {
                "destination_address": METER,
                "destination_endpoint_id": 1,
                "cluster_id": Metering.cluster_id,
                "record_list": [{"attribute_id": 0x0000}],
            },
        )
        for _ in range(8)
    ]
    descriptors = [
        call("get_node_descriptor", {"destination_address": METER}) for _ in range(4)
    ]
    aliases = [
        call("add_alias", {"alias_name": f"meter_{index}", "device_address": METER})
        for index in range(6)
    ]
    others = [call("get_device_information"), call("get_time")]

    responses = await asyncio.gather(*reads, *descriptors, *aliases, *others)

    assert len(responses) == 20
    for read in responses[:8]:
        assert read["record_list"][0]["value"] == 12_345_678
    for node in responses[8:12]:
        assert node["status"] == 0
    listed = await call("list_aliases")
    assert {alias["alias_name"] for alias in listed["aliases"]} == {
        f"meter_{index}" for index in range(6)
    }
