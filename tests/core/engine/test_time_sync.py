"""SE clients reading Time from the gateway get UTC since 2000 and a usable status.

zigpy answers the reads (see the engine package's "Time"); the two functions
below are how an SE client judges a time server (SE 105638 section 5.7.2).
"""

from __future__ import annotations

import asyncio

import pytest
import zigpy.device
import zigpy.types as t
from zigpy.zcl import foundation
from zigpy.zcl.clusters.general import TimeStatus

from custom_components.se_gateway.core.clusters import Price
from custom_components.se_gateway.core.engine import SystemClock

from ...zigpy_app import FakeApplication
from ..clusters.fake_zigpy import make_device, packet_from
from .conftest import TIME, make_ihd, sent

TIME_ATTRIBUTES = [0x0000, 0x0001]  # time, time_status


def is_usable_time_source(time_status: int) -> bool:
    """Return True if an SE client may take time from a server with this status."""
    return bool(time_status & (TimeStatus.Master | TimeStatus.Synchronized))


def time_source_rank(time_status: int, nwk: int) -> tuple[bool, bool, int]:
    """Return a sort key: the best SE time server has the largest key."""
    master = bool(time_status & TimeStatus.Master)
    superseding = bool(time_status & TimeStatus.Superseding)
    return master and superseding, master, -nwk


def read_time(device: zigpy.device.Device, tsn: int = 0x17) -> None:
    frame = (
        foundation.ZCLHeader.general(
            tsn, foundation.GeneralCommand.Read_Attributes
        ).serialize()
        + t.List[t.uint16_t](TIME_ATTRIBUTES).serialize()
    )
    device.packet_received(packet_from(device, TIME, frame))


async def test_an_ihd_reading_time_gets_se_utc_and_a_usable_status(
    app: FakeApplication,
) -> None:
    ihd = make_ihd(app)
    before = SystemClock().now()

    read_time(ihd)
    await asyncio.sleep(0)

    [reply] = sent(app)
    after = SystemClock().now()
    assert reply.cluster_id == TIME
    assert reply.hdr.tsn == 0x17
    assert reply.hdr.direction == foundation.Direction.Server_to_Client
    time_record, status_record = reply.command.status_records
    assert time_record.status == foundation.Status.SUCCESS
    assert time_record.value.type == foundation.DataTypeId.UTC
    assert before <= time_record.value.value <= after
    status = int(status_record.value.value)
    assert status == TimeStatus.Master | TimeStatus.Master_for_Zone_and_DST
    assert is_usable_time_source(status)


async def test_a_device_without_a_time_client_gets_no_answer(
    app: FakeApplication,
) -> None:
    device = make_device(app, out_clusters=[Price.cluster_id])

    read_time(device)
    await asyncio.sleep(0)

    assert sent(app) == []


@pytest.mark.parametrize(
    ("status", "usable"),
    [
        (0x00, False),
        (0x04, False),
        (0x08, False),
        (0x01, True),
        (0x02, True),
        (0x05, True),
    ],
)
def test_usable_time_sources(status: int, usable: bool) -> None:
    assert is_usable_time_source(status) is usable


def test_time_source_rank_follows_se_5_7_2() -> None:
    servers = {
        "gateway (zigpy)": time_source_rank(0x05, 0x0000),
        "meter master+superseding": time_source_rank(0x09, 0x1234),
        "router master": time_source_rank(0x01, 0x0001),
        "synchronized only": time_source_rank(0x02, 0x0002),
    }

    assert sorted(servers, key=servers.__getitem__, reverse=True) == [
        "meter master+superseding",
        "gateway (zigpy)",
        "router master",
        "synchronized only",
    ]
