"""Malformed frames from a device go through zigpy's real packet path harmlessly."""

from __future__ import annotations

import asyncio
import logging
from unittest.mock import MagicMock

import pytest
import zigpy.types as t
from zigpy.zcl import foundation

from custom_components.se_gateway.core.clusters import drlc, metering, price
from custom_components.se_gateway.core.clusters.robust import MalformedPayload

from .fake_zigpy import (
    DEVICE_EP,
    FakeApplication,
    cluster_frame,
    make_device,
    packet_from,
)
from .samples import SAMPLES

ROBUST_LOGGER = "custom_components.se_gateway.core.clusters.robust"
PUBLISH_PRICE = next(s for s in SAMPLES if s.name == "publish_price")
LOAD_CONTROL_EVENT = next(s for s in SAMPLES if s.name == "load_control_event")


def _publish_price_frame(tsn: int, payload: bytes) -> bytes:
    return cluster_frame(
        price.Price.ClientCommandDefs.publish_price,
        payload,
        server_to_client=True,
        tsn=tsn,
    )


def _warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if record.name == ROBUST_LOGGER and record.levelno == logging.WARNING
    ]


@pytest.fixture
def meter_price(app: FakeApplication):
    """Return a meter's Price server cluster, with a listener on its commands."""
    meter = make_device(app, in_clusters=[price.Price.cluster_id])
    cluster = meter.endpoints[DEVICE_EP].in_clusters[price.Price.cluster_id]
    listener = MagicMock()
    cluster.add_listener(listener)
    return meter, cluster, listener


async def test_truncated_command_is_dropped_with_one_warning(
    app: FakeApplication, meter_price, caplog: pytest.LogCaptureFixture
) -> None:
    meter, _, listener = meter_price
    truncated = PUBLISH_PRICE.payload().serialize()[:10]
    caplog.set_level(logging.DEBUG, logger=ROBUST_LOGGER)

    # Different TSNs: zigpy would drop an identical packet as a duplicate
    for tsn in (1, 2, 3):
        app.packet_received(
            packet_from(meter, 0x0700, _publish_price_frame(tsn, truncated))
        )
    await asyncio.sleep(0)

    [warning] = _warnings(caplog)
    assert "Dropped malformed publish_price (0x00, TSN 1)" in warning.getMessage()
    assert str(meter.ieee) in warning.getMessage()
    assert truncated.hex(" ") in warning.getMessage()
    assert [r.levelno for r in caplog.records if r.name == ROBUST_LOGGER] == [
        logging.WARNING,
        logging.DEBUG,
        logging.DEBUG,
    ]
    listener.cluster_command.assert_not_called()
    app.send_packet.assert_not_called()  # no default response either


async def test_warnings_are_per_command_and_per_device(
    app: FakeApplication, meter_price, caplog: pytest.LogCaptureFixture
) -> None:
    meter, _, _ = meter_price
    other_meter = make_device(app, in_clusters=[price.Price.cluster_id], nwk=0x5678)
    block_period = cluster_frame(
        price.Price.ClientCommandDefs.publish_block_period,
        b"\x01\x02",
        server_to_client=True,
        tsn=9,
    )

    app.packet_received(packet_from(meter, 0x0700, _publish_price_frame(1, b"\x00")))
    app.packet_received(packet_from(meter, 0x0700, block_period))
    app.packet_received(
        packet_from(other_meter, 0x0700, _publish_price_frame(1, b"\x00"))
    )

    messages = [record.getMessage() for record in _warnings(caplog)]
    assert len(messages) == 3
    assert "publish_price" in messages[0]
    assert "publish_block_period" in messages[1]
    assert str(other_meter.ieee) in messages[2]


async def test_valid_and_oversized_commands_are_handled(
    app: FakeApplication, meter_price, caplog: pytest.LogCaptureFixture
) -> None:
    meter, _, listener = meter_price
    payload = PUBLISH_PRICE.payload()

    app.packet_received(
        packet_from(meter, 0x0700, _publish_price_frame(1, payload.serialize()))
    )
    app.packet_received(
        packet_from(
            meter, 0x0700, _publish_price_frame(2, payload.serialize() + b"\xaa" * 9)
        )
    )
    await asyncio.sleep(0)

    assert [call.args[:2] for call in listener.cluster_command.mock_calls] == [
        (1, 0x00),
        (2, 0x00),
    ]
    assert [call.args[2] for call in listener.cluster_command.mock_calls] == [
        payload,
        payload,
    ]
    assert not _warnings(caplog)


async def test_trailing_fields_absent_is_not_malformed(
    app: FakeApplication, meter_price, caplog: pytest.LogCaptureFixture
) -> None:
    """An SE 1.0 Publish Price (no SE 1.1 fields) is a valid command."""
    meter, _, listener = meter_price
    se10 = PUBLISH_PRICE.payload(**dict.fromkeys(PUBLISH_PRICE.optional_fields[3:]))

    app.packet_received(
        packet_from(meter, 0x0700, _publish_price_frame(7, se10.serialize()))
    )
    await asyncio.sleep(0)

    [call] = listener.cluster_command.mock_calls
    command = call.args[2]
    assert command.generation_price_ratio == 0xFF
    assert command.alternate_cost_delivered is None
    assert not _warnings(caplog)


async def test_malformed_response_resolves_the_waiting_request(
    app: FakeApplication,
) -> None:
    """zigpy matches responses by TSN: the requester gets the dropped payload."""
    meter = make_device(app, in_clusters=[metering.Metering.cluster_id])
    cluster = meter.endpoints[DEVICE_EP].in_clusters[metering.Metering.cluster_id]

    request = asyncio.create_task(
        cluster.get_profile(
            interval_channel=0, end_time=0, number_of_periods=3, timeout=1
        )
    )
    await asyncio.sleep(0.01)
    [sent] = app.sent_frames()
    response = cluster_frame(
        metering.Metering.ClientCommandDefs.get_profile_response,
        b"\x00\x00\x00\x00\x00\x02\x03" + b"\x01\x00\x00",  # 3 intervals promised
        server_to_client=True,
        tsn=sent[1],
    )
    app.packet_received(packet_from(meter, metering.Metering.cluster_id, response))

    result = await request
    assert isinstance(result, MalformedPayload)


async def test_malformed_profile_wide_frame_keeps_zigpy_handling(
    app: FakeApplication, meter_price, caplog: pytest.LogCaptureFixture
) -> None:
    """A broken foundation frame raises in the cluster; zigpy's device drops it."""
    meter, cluster, listener = meter_price
    hdr = foundation.ZCLHeader.general(
        5,
        foundation.GeneralCommand.Default_Response,
        direction=foundation.Direction.Server_to_Client,
    )
    frame = hdr.serialize() + b"\x00"  # status missing

    with pytest.raises(ValueError, match="too short"):
        cluster.deserialize(frame)

    app.packet_received(packet_from(meter, 0x0700, frame))
    listener.general_command.assert_not_called()
    assert not _warnings(caplog)


async def test_zigpy_raises_on_a_truncated_zcl_header(app: FakeApplication) -> None:
    """zigpy itself: a frame shorter than a ZCL header raises from the device.

    This happens in ``Device._parse_packet_header`` before any cluster sees the
    frame, so no cluster can catch it. The test records zigpy 2.3's behaviour.
    """
    meter = make_device(app, in_clusters=[price.Price.cluster_id])
    packet = packet_from(meter, 0x0700, b"\x19\x01\x00").replace(
        data=t.SerializableBytes(b"\x19\x01")
    )

    with pytest.raises(ValueError, match="too short"):
        app.packet_received(packet)


async def test_drlc_event_with_bad_length_is_dropped(
    app: FakeApplication, caplog: pytest.LogCaptureFixture
) -> None:
    thermostat = make_device(app, out_clusters=[drlc.Drlc.cluster_id])
    frame = cluster_frame(
        drlc.Drlc.ClientCommandDefs.load_control_event,
        LOAD_CONTROL_EVENT.payload().serialize()[:-1],
        server_to_client=True,
    )
    cluster = thermostat.endpoints[DEVICE_EP].out_clusters[drlc.Drlc.cluster_id]

    hdr, command = cluster.deserialize(frame)
    cluster.handle_message(hdr, command)

    assert isinstance(command, MalformedPayload)
    assert "load_control_event" in _warnings(caplog)[0].getMessage()
