"""ZigBee services that send ZDO requests: descriptors, endpoints and binding."""

from __future__ import annotations

from homeassistant.exceptions import ServiceValidationError
import pytest
import zigpy.types as t
from zigpy.zcl.clusters.smartenergy import Metering
import zigpy.zdo.types as zdo_t

from network_simulator.device import Binding

from .conftest import METER, frames_to


async def test_descriptors_come_from_the_device(meter, call, simulator) -> None:
    node = await call("get_node_descriptor", {"destination_address": METER})
    power = await call("get_power_descriptor", {"destination_address": METER})
    endpoints = await call("get_active_endpoints", {"destination_address": METER})
    simple = await call(
        "get_simple_descriptor",
        {"destination_address": METER, "destination_endpoint_id": 1},
    )
    missing = await call(
        "get_simple_descriptor",
        {"destination_address": METER, "destination_endpoint_id": 9},
    )

    expected_node = meter.node_descriptor()
    assert node["source_address"] == METER
    assert node["status"] == 0
    assert node["nwk_addr"] == meter.nwk
    assert node["logical_type"] == expected_node.logical_type
    assert node["manufacturer_code"] == expected_node.manufacturer_code
    assert node["mac_capability_flags"] == expected_node.mac_capability_flags
    assert (
        power["current_power_source"] == meter.power_descriptor().current_power_source
    )
    assert endpoints["active_endpoints"] == [1]
    assert simple["profile_id"] == 0x0104
    assert simple["device_id"] == 0x0501
    assert Metering.cluster_id in simple["input_cluster_list"]
    assert missing["status"] == zdo_t.Status.NOT_ACTIVE
    assert "profile_id" not in missing
    for request in (
        zdo_t.ZDOCmd.Node_Desc_req,
        zdo_t.ZDOCmd.Power_Desc_req,
        zdo_t.ZDOCmd.Active_EP_req,
        zdo_t.ZDOCmd.Simple_Desc_req,
    ):
        assert frames_to(simulator, meter, request), request


async def test_get_device_information_for_all_and_one(meter, call) -> None:
    everything = await call("get_device_information")
    one = await call("get_device_information", {"device_address": METER})

    assert everything == one
    (record,) = one["record_list"]
    assert record["addr_extended"] == METER
    assert record["addr_short"] == meter.nwk
    assert record["active"] is True
    assert record["node_type"] == 1
    assert record["manufacturer_id"] == 0x1234
    assert record["power_descriptor"]["status"] == 0
    assert record["active_endpoints"] == [1]
    descriptor = record["simple_descriptors"]["endpoint_0x01"]
    assert descriptor["input_cluster_list"] == [0x0000, 0x0003, 0x0702]
    assert descriptor["output_cluster_list"] == [0x000A]


async def test_bind_and_unbind(meter, call, simulator) -> None:
    data = {
        "destination_address": METER,
        "destination_endpoint_id": 1,
        "cluster_id": Metering.cluster_id,
    }
    coordinator = simulator.radio.ieee
    binding = Binding(1, Metering.cluster_id, coordinator, 1)

    # ZHA bound the meter's Metering cluster when it joined.
    assert await call("unbind", data) == {"status": 0, "status_name": "SUCCESS"}
    assert binding not in meter.bindings
    assert await call("unbind", data) == {
        "status": zdo_t.Status.NO_ENTRY,
        "status_name": "NO_ENTRY",
    }

    assert await call("bind", data) == {"status": 0, "status_name": "SUCCESS"}
    assert binding in meter.bindings
    bind_request = frames_to(simulator, meter, zdo_t.ZDOCmd.Bind_req)[-1]
    args, _ = t.deserialize(bind_request[1:], zdo_t.CLUSTERS[zdo_t.ZDOCmd.Bind_req][1])
    assert args[0] == meter.ieee
    assert args[2] == Metering.cluster_id


async def test_bind_checks_endpoint_and_cluster(meter, call, simulator) -> None:
    requests_before = len(frames_to(simulator, meter, zdo_t.ZDOCmd.Bind_req))
    with pytest.raises(ServiceValidationError) as no_endpoint:
        await call(
            "bind",
            {
                "destination_address": METER,
                "destination_endpoint_id": 7,
                "cluster_id": Metering.cluster_id,
            },
        )
    with pytest.raises(ServiceValidationError) as no_cluster:
        await call(
            "bind",
            {
                "destination_address": METER,
                "destination_endpoint_id": 1,
                "cluster_id": 6,
            },
        )

    assert len(frames_to(simulator, meter, zdo_t.ZDOCmd.Bind_req)) == requests_before
    assert no_endpoint.value.translation_key == "unknown_endpoint"
    assert no_cluster.value.translation_key == "unknown_cluster"
    assert no_cluster.value.translation_placeholders["field"] == "cluster_id"


async def test_configure_zigbee_network_reports_and_guards(
    meter, call, simulator
) -> None:
    network = await call("configure_zigbee_network")

    assert network["channel"] == simulator.radio.settings["CH"]
    assert network["pan_id"] == simulator.radio.settings["OI"]
    assert network["coordinator_address"] == str(simulator.radio.ieee)
    assert network["fixed_while_live"] == ["extended_pan_id", "pan_id", "channel_mask"]
    assert network["changed_through_zha"] == ["channel"]
    # Giving the current values changes nothing and is fine.
    same = await call(
        "configure_zigbee_network",
        {"extended_pan_id": network["extended_pan_id"], "channel": network["channel"]},
    )
    assert same == network
    with pytest.raises(ServiceValidationError) as live:
        await call("configure_zigbee_network", {"pan_id": network["pan_id"] ^ 1})
    with pytest.raises(ServiceValidationError) as channel:
        await call("configure_zigbee_network", {"channel": 26})
    assert live.value.translation_key == "network_parameter_live"
    assert live.value.translation_placeholders["field"] == "pan_id"
    assert channel.value.translation_key == "network_channel_through_zha"
