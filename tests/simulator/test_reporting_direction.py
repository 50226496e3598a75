"""Configure Reporting with direction 0x01: the device expects reports.

ZCL: a record with direction 0x01 tells the receiver that the sender will
report one of its own attributes, and holds only a timeout period, the longest
time the receiver should wait between two reports. A device answers with
success and shows the record in its Read Reporting Configuration answer.
"""

from __future__ import annotations

from typing import Any

import pytest
import zigpy.types as t
from zigpy.zcl import foundation
from zigpy.zcl.clusters.smartenergy import Metering

from network_simulator import SimulatedDevice, catalogue
from network_simulator.device import Frame

GENERAL = foundation.GeneralCommand
Status = foundation.Status
Direction = foundation.ReportingDirection
DEMAND = 0x0400
SUMMATION_RECEIVED = 0x0001
TSN = 0x51


@pytest.fixture
def meter() -> tuple[SimulatedDevice, list[Frame]]:
    device = catalogue.electricity_meter(changing=False)
    device.nwk = 0x2345
    sent: list[Frame] = []
    device.transmit = lambda _device, frame: sent.append(frame)
    return device, sent


def ask(
    device: SimulatedDevice, sent: list[Frame], command: GENERAL, payload: bytes
) -> Any:
    """Send a global command to the Metering server; return its decoded answer."""
    hdr = foundation.ZCLHeader.general(tsn=TSN, command_id=command)
    device.receive((1, 1, Metering.cluster_id, 0x0104, hdr.serialize() + payload))
    (frame,) = sent
    sent.clear()
    reply, rest = foundation.ZCLHeader.deserialize(frame[4])
    assert reply.tsn == TSN
    assert reply.command_id == command + 1  # the command's response
    answer, _ = foundation.GENERAL_COMMANDS[reply.command_id].schema.deserialize(rest)
    return answer


def expect_reports(attrid: int, timeout: int) -> bytes:
    config = foundation.AttributeReportingConfig()
    config.direction = Direction.ReceiveReports
    config.attrid = t.uint16_t(attrid)
    config.timeout = timeout
    return config.serialize()


def send_reports(attrid: int, type_id: int, min_s: int, max_s: int) -> bytes:
    config = foundation.AttributeReportingConfig()
    config.direction = Direction.SendReports
    config.attrid = t.uint16_t(attrid)
    config.datatype = type_id
    config.min_interval = min_s
    config.max_interval = max_s
    config.reportable_change = 1
    return config.serialize()


def read_config(direction: int, attrid: int) -> bytes:
    return foundation.ReadReportingConfigRecord(
        direction=direction, attrid=attrid
    ).serialize()


def test_expecting_reports_is_answered_with_success(meter) -> None:
    device, sent = meter

    answer = ask(device, sent, GENERAL.Configure_Reporting, expect_reports(DEMAND, 300))

    assert [record.status for record in answer.status_records] == [Status.SUCCESS]
    metering = device.cluster(Metering.cluster_id)
    assert metering.expected_reports == {DEMAND: 300}
    # The device itself was not told to report anything.
    assert metering.reporting == {}


def test_both_directions_in_one_request(meter) -> None:
    device, sent = meter
    payload = (
        expect_reports(SUMMATION_RECEIVED, 0)
        + send_reports(DEMAND, 0x2A, 5, 60)
        + expect_reports(0x7777, 30)  # an attribute of the sender's cluster
    )

    answer = ask(device, sent, GENERAL.Configure_Reporting, payload)

    assert [record.status for record in answer.status_records] == [Status.SUCCESS]
    metering = device.cluster(Metering.cluster_id)
    assert metering.expected_reports == {SUMMATION_RECEIVED: 0, 0x7777: 30}
    assert metering.reporting[DEMAND].max_interval == 60


def test_read_reporting_configuration_shows_expected_reports(meter) -> None:
    device, sent = meter
    ask(
        device,
        sent,
        GENERAL.Configure_Reporting,
        expect_reports(DEMAND, 300) + send_reports(DEMAND, 0x2A, 5, 60),
    )
    request = (
        read_config(Direction.ReceiveReports, DEMAND)
        + read_config(Direction.SendReports, DEMAND)
        + read_config(Direction.ReceiveReports, SUMMATION_RECEIVED)
    )

    answer = ask(device, sent, GENERAL.Read_Reporting_Configuration, request)

    expected, sending, unknown = answer.attribute_configs
    assert expected.status == Status.SUCCESS
    assert expected.config.direction == Direction.ReceiveReports
    assert expected.config.attrid == DEMAND
    assert expected.config.timeout == 300
    assert sending.status == Status.SUCCESS
    assert sending.config.direction == Direction.SendReports
    assert (sending.config.min_interval, sending.config.max_interval) == (5, 60)
    assert unknown.status == Status.UNREPORTABLE_ATTRIBUTE
    assert unknown.config.direction == Direction.ReceiveReports
    assert unknown.config.attrid == SUMMATION_RECEIVED


def test_expecting_reports_again_replaces_the_timeout(meter) -> None:
    device, sent = meter
    ask(device, sent, GENERAL.Configure_Reporting, expect_reports(DEMAND, 300))
    ask(device, sent, GENERAL.Configure_Reporting, expect_reports(DEMAND, 0))

    answer = ask(
        device,
        sent,
        GENERAL.Read_Reporting_Configuration,
        read_config(Direction.ReceiveReports, DEMAND),
    )

    (record,) = answer.attribute_configs
    assert record.status == Status.SUCCESS
    assert record.config.timeout == 0
