"""ZCL services: attributes, reporting, identify and raw commands."""

from __future__ import annotations

from zigpy.zcl import foundation
from zigpy.zcl.clusters.general import Basic, Identify, Time
from zigpy.zcl.clusters.smartenergy import Metering

from .conftest import METER, frames_to

GENERAL = foundation.GeneralCommand
METERING = {
    "destination_address": METER,
    "destination_endpoint_id": 1,
    "cluster_id": Metering.cluster_id,
}
IDENTIFY = {**METERING, "cluster_id": Identify.cluster_id}
DEMAND = 0x0400


def last_header(simulator, meter, cluster_id) -> foundation.ZCLHeader:
    header, _ = foundation.ZCLHeader.deserialize(
        frames_to(simulator, meter, cluster_id)[-1]
    )
    return header


async def test_read_attributes(meter, call, simulator) -> None:
    response = await call(
        "read_attributes",
        {
            **METERING,
            "record_list": [
                {"attribute_id": 0x0000},
                {"attribute_id": "0x0400"},
                {"attribute_id": 0x7777},
            ],
        },
    )

    assert response == {
        "cluster_id": Metering.cluster_id,
        "server_or_client": 0,
        "profile_id": 0x0104,
        "source_endpoint_id": 1,
        "destination_endpoint_id": 1,
        "source_address": METER,
        "status": 0,
        "status_name": "SUCCESS",
        "record_list": [
            {
                "attribute_id": 0,
                "status": 0,
                "status_name": "SUCCESS",
                "attribute_type": 0x25,
                "value": 12_345_678,
            },
            {
                "attribute_id": DEMAND,
                "status": 0,
                "status_name": "SUCCESS",
                "attribute_type": 0x2A,
                "value": 1500,
            },
            {
                "attribute_id": 0x7777,
                "status": foundation.Status.UNSUPPORTED_ATTRIBUTE,
                "status_name": "UNSUPPORTED_ATTRIBUTE",
            },
        ],
    }
    header = last_header(simulator, meter, Metering.cluster_id)
    assert header.command_id == GENERAL.Read_Attributes


async def test_read_string_and_client_attributes(meter, call, simulator) -> None:
    model = await call(
        "read_attributes",
        {
            **METERING,
            "cluster_id": Basic.cluster_id,
            "manufacturer_code": 0x1234,
            "record_list": [{"attribute_id": 5}],
        },
    )
    # The meter's Time cluster is a client: the request goes server to client.
    time_client = await call(
        "read_attributes",
        {
            **METERING,
            "cluster_id": Time.cluster_id,
            "server_or_client": 1,
            "record_list": [{"attribute_id": 0}],
        },
    )

    assert model["record_list"][0]["value"] == meter.model
    assert model["manufacturer_code"] == 0x1234
    assert last_header(simulator, meter, Basic.cluster_id).manufacturer == 0x1234
    assert time_client["server_or_client"] == 1
    assert time_client["record_list"] == [
        {
            "attribute_id": 0,
            "status": foundation.Status.UNSUPPORTED_ATTRIBUTE,
            "status_name": "UNSUPPORTED_ATTRIBUTE",
        }
    ]
    header = last_header(simulator, meter, Time.cluster_id)
    assert header.direction == foundation.Direction.Server_to_Client
    # zigpy acknowledges the client's answer with a Default Response.
    await simulator.wait_for_frame(
        lambda frame: (
            frame.cluster_id == Time.cluster_id
            and frame.data[2] == GENERAL.Default_Response
        )
    )


async def test_write_attributes_normal_and_undivided(meter, call, simulator) -> None:
    identify = meter.cluster(Identify.cluster_id)

    written = await call(
        "write_attributes",
        {**IDENTIFY, "record_list": [{"attribute_id": 0, "value": 30}]},
    )
    assert written["record_list"] == [
        {
            "status": 0,
            "status_name": "SUCCESS",
            "attribute_id": 0,
            "attribute_type": 0x21,
            "value": 30,
        }
    ]
    assert identify.values[0x0000] == 30

    # Undivided: one unknown attribute, so nothing is written.
    undivided = await call(
        "write_attributes",
        {
            **IDENTIFY,
            "undivided": True,
            "record_list": [
                {"attribute_id": 0, "value": 99},
                {"attribute_id": 0x4000, "attribute_type": 0x20, "value": 1},
            ],
        },
    )
    assert [record["status"] for record in undivided["record_list"]] == [
        0,
        foundation.Status.UNSUPPORTED_ATTRIBUTE,
    ]
    assert identify.values[0x0000] == 30
    header = last_header(simulator, meter, Identify.cluster_id)
    assert header.command_id == GENERAL.Write_Attributes_Undivided


async def test_discover_attributes(meter, call) -> None:
    response = await call(
        "discover_attributes", {**METERING, "start_attribute_id": 0x0300}
    )
    first_two = await call("discover_attributes", {**METERING, "max_attribute_ids": 2})

    assert response["discovery_complete"] is True
    assert [record["attribute_id"] for record in response["record_list"]] == [
        0x0300,
        0x0301,
        0x0302,
        0x0303,
        0x0304,
        0x0306,
        DEMAND,
    ]
    assert response["record_list"][0] == {
        "attribute_id": 0x0300,
        "attribute_type": 0x30,
    }
    assert first_two["discovery_complete"] is False
    assert len(first_two["record_list"]) == 2


async def test_reporting_start_read_and_stop(meter, call) -> None:
    metering = meter.cluster(Metering.cluster_id)

    started = await call(
        "start_receiving_reports",
        {
            **METERING,
            "record_list": [
                {
                    "attribute_id": DEMAND,
                    "min_interval": 5,
                    "max_interval": 300,
                    "reportable_change": 10,
                },
                {"attribute_id": 0x0000, "max_interval": 600},
            ],
        },
    )
    assert started["record_list"][0] == {
        "status": 0,
        "status_name": "SUCCESS",
        "direction": 0,
        "attribute_id": DEMAND,
        "attribute_type": 0x2A,
        "min_interval": 5,
        "max_interval": 300,
        "reportable_change": 10,
    }
    assert metering.reporting[DEMAND].min_interval == 5
    assert metering.reporting[DEMAND].max_interval == 300
    assert metering.reporting[DEMAND].reportable_change == 10
    assert metering.reporting[0x0000].max_interval == 600

    read = await call(
        "read_reporting_configuration",
        {**METERING, "record_list": [{"attribute_id": DEMAND}, {"attribute_id": 7}]},
    )
    assert read["record_list"] == [
        {
            "status": 0,
            "status_name": "SUCCESS",
            "direction": 0,
            "attribute_id": DEMAND,
            "attribute_type": 0x2A,
            "min_interval": 5,
            "max_interval": 300,
            "reportable_change": 10,
        },
        {
            "status": foundation.Status.UNREPORTABLE_ATTRIBUTE,
            "status_name": "UNREPORTABLE_ATTRIBUTE",
            "direction": 0,
            "attribute_id": 7,
        },
    ]

    stopped = await call(
        "stop_receiving_reports",
        {**METERING, "record_list": [{"attribute_id": DEMAND}]},
    )
    assert stopped["record_list"] == [
        {"status": 0, "status_name": "SUCCESS", "attribute_id": DEMAND}
    ]
    assert metering.reporting[DEMAND].max_interval == 0xFFFF


async def test_reporting_failures_per_attribute(meter, call) -> None:
    response = await call(
        "start_receiving_reports",
        {
            **METERING,
            "record_list": [
                {"attribute_id": 0x4444, "attribute_type": 0x21, "max_interval": 60},
                {"attribute_id": DEMAND, "max_interval": 60},
            ],
        },
    )

    assert response["record_list"][0] == {
        "status": foundation.Status.UNSUPPORTED_ATTRIBUTE,
        "status_name": "UNSUPPORTED_ATTRIBUTE",
        "attribute_id": 0x4444,
    }
    assert response["record_list"][1]["status"] == 0


async def test_identify(meter, call, simulator) -> None:
    response = await call(
        "identify",
        {
            "destination_address": METER,
            "destination_endpoint_id": 1,
            "identify_time": 12,
        },
    )

    assert response["status"] == 0
    assert response["cluster_id"] == Identify.cluster_id
    assert meter.cluster(Identify.cluster_id).values[0x0000] == 12
    header = last_header(simulator, meter, Identify.cluster_id)
    assert header.frame_control.frame_type == foundation.FrameType.CLUSTER_COMMAND
    assert header.command_id == Identify.ServerCommandDefs.identify.id


async def test_send_zcl_raw_commands(meter, call, simulator) -> None:
    # A general Read Attributes of the meter's model, as raw bytes.
    read = await call(
        "send_zcl",
        {
            **METERING,
            "cluster_id": Basic.cluster_id,
            "command_type": 0,
            "command_identifier": GENERAL.Read_Attributes,
            "payload": "05 00",
        },
    )
    # A cluster command the device does not know: its Default Response answers.
    unknown = await call(
        "send_zcl",
        {**IDENTIFY, "command_identifier": 0x40, "payload": ""},
    )

    model = meter.model.encode()
    assert read["command_identifier"] == GENERAL.Read_Attributes_rsp
    assert read["command_type"] == 0
    assert read["payload"] == (b"\x05\x00\x00\x42" + bytes([len(model)]) + model).hex()
    assert read["source_address"] == METER
    assert unknown["command_identifier"] == GENERAL.Default_Response
    assert (
        unknown["payload"]
        == bytes([0x40, foundation.Status.UNSUP_CLUSTER_COMMAND]).hex()
    )
    header = last_header(simulator, meter, Identify.cluster_id)
    assert header.command_id == 0x40
