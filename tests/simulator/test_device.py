"""Simulated devices answer ZDO and ZCL like real ones."""

from __future__ import annotations

from typing import Any

import pytest
import zigpy.types as t
from zigpy.zcl import foundation
from zigpy.zcl.clusters.general import Basic, OnOff
from zigpy.zcl.clusters.smartenergy import Metering
import zigpy.zdo.types as zdo_t

from network_simulator import SimulatedDevice, catalogue
from network_simulator.device import Frame

COORDINATOR = t.EUI64.convert("00:13:a2:00:41:5a:3c:01")
GENERAL = foundation.GeneralCommand
Status = foundation.Status


@pytest.fixture
def meter() -> tuple[SimulatedDevice, list[Frame]]:
    device = catalogue.electricity_meter(changing=False)
    device.nwk = 0x1234
    sent: list[Frame] = []
    device.transmit = lambda _device, frame: sent.append(frame)
    return device, sent


def zdo(
    device: SimulatedDevice, sent: list[Frame], command: zdo_t.ZDOCmd, *args: Any
) -> tuple[int, list[Any]]:
    _names, types = zdo_t.CLUSTERS[command]
    device.receive((0, 0, command, 0, b"\x2a" + t.serialize(args, types)))
    _src, _dst, cluster, _profile, data = sent.pop()
    assert cluster == command | 0x8000
    assert data[0] == 0x2A
    _names, response_types = zdo_t.CLUSTERS[zdo_t.ZDOCmd(cluster)]
    values, _ = t.deserialize(data[1:], response_types)
    return values[0], values[1:]


def zcl(
    device: SimulatedDevice,
    sent: list[Frame],
    cluster_id: int,
    command: int,
    payload: bytes,
    *,
    general: bool = True,
) -> tuple[foundation.ZCLHeader, Any] | None:
    make = foundation.ZCLHeader.general if general else foundation.ZCLHeader.cluster
    hdr = make(tsn=0x33, command_id=command)
    device.receive((1, 1, cluster_id, 0x0104, hdr.serialize() + payload))
    if not sent:
        return None
    data = sent.pop()[4]
    reply, rest = foundation.ZCLHeader.deserialize(data)
    assert reply.tsn == 0x33
    value, _ = foundation.GENERAL_COMMANDS[reply.command_id].schema.deserialize(rest)
    return reply, value


def test_descriptors(meter) -> None:
    device, sent = meter
    status, (nwk, node) = zdo(device, sent, zdo_t.ZDOCmd.Node_Desc_req, t.NWK(0x1234))
    assert status == zdo_t.Status.SUCCESS
    assert nwk == 0x1234
    assert node.is_router
    assert node.is_mains_powered

    status, (_nwk, power) = zdo(
        device, sent, zdo_t.ZDOCmd.Power_Desc_req, t.NWK(0x1234)
    )
    assert power.current_power_source == zdo_t.PowerDescriptor.PowerSources.MainsPower

    status, (_nwk, endpoints) = zdo(
        device, sent, zdo_t.ZDOCmd.Active_EP_req, t.NWK(0x1234)
    )
    assert endpoints == [1]

    status, (_nwk, simple) = zdo(
        device, sent, zdo_t.ZDOCmd.Simple_Desc_req, t.NWK(0x1234), 1
    )
    assert Metering.cluster_id in simple.input_clusters
    assert simple.profile == 0x0104

    status, _ = zdo(device, sent, zdo_t.ZDOCmd.Simple_Desc_req, t.NWK(0x1234), 9)
    assert status == zdo_t.Status.NOT_ACTIVE


def test_bind_and_unbind(meter) -> None:
    device, sent = meter
    dst = zdo_t.MultiAddress(addrmode=3, ieee=COORDINATOR, endpoint=1)
    args = (device.ieee, 1, Metering.cluster_id, dst)

    assert zdo(device, sent, zdo_t.ZDOCmd.Bind_req, *args)[0] == zdo_t.Status.SUCCESS
    assert zdo(device, sent, zdo_t.ZDOCmd.Bind_req, *args)[0] == zdo_t.Status.SUCCESS
    assert len(device.bindings) == 1
    assert zdo(device, sent, zdo_t.ZDOCmd.Unbind_req, *args)[0] == zdo_t.Status.SUCCESS
    assert zdo(device, sent, zdo_t.ZDOCmd.Unbind_req, *args)[0] == zdo_t.Status.NO_ENTRY
    group = zdo_t.MultiAddress(addrmode=1, nwk=0x0001)
    assert (
        zdo(device, sent, zdo_t.ZDOCmd.Bind_req, device.ieee, 1, 6, group)[0]
        == zdo_t.Status.NOT_SUPPORTED
    )


def test_other_zdo_requests(meter) -> None:
    device, sent = meter
    assert (
        zdo(device, sent, zdo_t.ZDOCmd.Mgmt_Lqi_req, 0)[0] == zdo_t.Status.NOT_SUPPORTED
    )
    status, (ieee, nwk, *_rest) = zdo(
        device, sent, zdo_t.ZDOCmd.IEEE_addr_req, t.NWK(0x1234), 0, 0
    )
    assert (status, ieee, nwk) == (zdo_t.Status.SUCCESS, device.ieee, 0x1234)
    assert (
        zdo(device, sent, zdo_t.ZDOCmd.Mgmt_Leave_req, device.ieee, 0)[0]
        == zdo_t.Status.SUCCESS
    )


def test_malformed_zdo_is_dropped(meter, caplog) -> None:
    device, sent = meter
    device.receive((0, 0, 0x0004, 0, b"\x01\x34"))  # Simple_Desc_req without endpoint
    device.receive((0, 0, 0x7777, 0, b"\x01"))
    device.receive((0, 0, 0x0002, 0, b""))
    assert sent == []
    assert "malformed ZDO request" in caplog.text


def test_read_attributes(meter) -> None:
    device, sent = meter
    hdr, response = zcl(
        device, sent, Basic.cluster_id, GENERAL.Read_Attributes, b"\x04\x00\x99\x00"
    )
    assert hdr.command_id == GENERAL.Read_Attributes_rsp
    (ok, missing) = response.status_records
    assert ok.value.value == device.manufacturer
    assert missing.status == Status.UNSUPPORTED_ATTRIBUTE


def test_write_attributes(meter) -> None:
    device, sent = meter
    basic = device.cluster(Basic.cluster_id)
    location = foundation.Attribute(
        0x0010, foundation.TypeValue(0x42, t.CharacterString("Hall"))
    )
    unknown = foundation.Attribute(0x7777, foundation.TypeValue(0x20, t.uint8_t(1)))

    _hdr, response = zcl(
        device, sent, Basic.cluster_id, GENERAL.Write_Attributes, location.serialize()
    )
    assert response.status_records[0].status == Status.SUCCESS
    assert basic.values[0x0010] == "Hall"

    undivided = foundation.Attribute(
        0x0010, foundation.TypeValue(0x42, t.CharacterString("Attic"))
    )
    payload = undivided.serialize() + unknown.serialize()
    _hdr, response = zcl(
        device, sent, Basic.cluster_id, GENERAL.Write_Attributes_Undivided, payload
    )
    assert response.status_records[0].status == Status.UNSUPPORTED_ATTRIBUTE
    assert basic.values[0x0010] == "Hall"  # nothing is half-applied

    assert (
        zcl(
            device,
            sent,
            Basic.cluster_id,
            GENERAL.Write_Attributes_No_Response,
            undivided.serialize(),
        )
        is None
    )
    assert basic.values[0x0010] == "Attic"


def _reporting(attrid: int, type_id: int, min_s: int, max_s: int, change: int) -> bytes:
    config = foundation.AttributeReportingConfig()
    config.direction = foundation.ReportingDirection.SendReports
    config.attrid = attrid
    config.datatype = type_id
    config.min_interval = min_s
    config.max_interval = max_s
    config.reportable_change = change
    return config.serialize()


def test_configure_reporting_then_reports(meter) -> None:
    device, sent = meter
    metering = device.cluster(Metering.cluster_id)
    payload = _reporting(0x0000, 0x25, 1, 30, 10) + _reporting(0x7777, 0x20, 1, 30, 1)

    _hdr, response = zcl(
        device, sent, Metering.cluster_id, GENERAL.Configure_Reporting, payload
    )
    assert [r.status for r in response.status_records] == [Status.UNSUPPORTED_ATTRIBUTE]

    start = metering.reporting[0x0000].last_report
    assert device.report_due_attributes(start + 0.5) == 0
    metering.set("current_summ_delivered", metering.get("current_summ_delivered") + 5)
    assert device.report_due_attributes(start + 2) == 0  # below the reportable change
    metering.set("current_summ_delivered", metering.get("current_summ_delivered") + 50)
    assert device.report_due_attributes(start + 3) == 1
    hdr, rest = foundation.ZCLHeader.deserialize(sent.pop()[4])
    assert hdr.command_id == GENERAL.Report_Attributes
    reports, _ = foundation.GENERAL_COMMANDS[hdr.command_id].schema.deserialize(rest)
    assert reports.attribute_reports[0].value.value == metering.get(
        "current_summ_delivered"
    )
    assert device.report_due_attributes(start + 40) == 1  # periodic


def test_read_reporting_configuration(meter) -> None:
    device, sent = meter
    zcl(
        device,
        sent,
        Metering.cluster_id,
        GENERAL.Configure_Reporting,
        _reporting(0x0400, 0x2A, 5, 60, 3),
    )
    request = foundation.ReadReportingConfigRecord(
        direction=0, attrid=0x0400
    ).serialize()
    request += foundation.ReadReportingConfigRecord(
        direction=0, attrid=0x0300
    ).serialize()

    _hdr, response = zcl(
        device, sent, Metering.cluster_id, GENERAL.Read_Reporting_Configuration, request
    )

    configured, unconfigured = response.attribute_configs
    assert configured.status == Status.SUCCESS
    assert (configured.config.min_interval, configured.config.max_interval) == (5, 60)
    assert unconfigured.status == Status.UNREPORTABLE_ATTRIBUTE


def test_discover_attributes(meter) -> None:
    device, sent = meter
    _hdr, response = zcl(
        device, sent, Metering.cluster_id, GENERAL.Discover_Attributes, b"\x00\x03\x03"
    )
    assert [r.attrid for r in response.attribute_info] == [0x0300, 0x0301, 0x0302]
    assert not response.discovery_complete


def test_unsupported_commands_get_default_responses(meter) -> None:
    device, sent = meter
    _hdr, response = zcl(device, sent, Basic.cluster_id, 0x00, b"", general=False)
    assert response.status == Status.UNSUP_CLUSTER_COMMAND
    _hdr, response = zcl(
        device, sent, Basic.cluster_id, GENERAL.Discover_Commands_Received, b"\x00\x10"
    )
    assert response.status == Status.UNSUP_GENERAL_COMMAND
    _hdr, response = zcl(
        device, sent, Basic.cluster_id, GENERAL.Read_Attributes, b"\x04"
    )
    assert response.status == Status.MALFORMED_COMMAND


def test_frames_for_missing_endpoints_clusters_or_garbage_are_ignored(meter) -> None:
    device, sent = meter
    read = foundation.ZCLHeader.general(tsn=1, command_id=0).serialize() + b"\x00\x00"
    device.receive((1, 7, Basic.cluster_id, 0x0104, read))
    device.receive((1, 1, OnOff.cluster_id, 0x0104, read))
    device.receive((1, 1, Basic.cluster_id, 0x0104, b"\x00"))
    assert (
        zcl(device, sent, Basic.cluster_id, GENERAL.Default_Response, b"\x00\x00")
        is None
    )
    assert sent == []


def test_meter_consumption_advances(meter) -> None:
    device, _sent = meter
    consumption = catalogue.MeterConsumption(base_watts=3600, swing_watts=0)
    device.behaviours.append(consumption)
    metering = device.cluster(Metering.cluster_id)
    before = metering.get("current_summ_delivered")

    device.report_due_attributes(100.0)
    device.report_due_attributes(110.0)

    assert metering.get("current_summ_delivered") == before + 10  # 3600 W for 10 s
    assert metering.get("instantaneous_demand") == 3600
