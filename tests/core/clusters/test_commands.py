"""Every command encodes and decodes, with its optional trailing fields or without."""

from __future__ import annotations

import pytest
from zigpy.zcl import foundation

from custom_components.se_gateway.core.clusters.robust import MalformedPayload

from .fake_zigpy import FakeApplication, cluster_frame, command_cluster
from .samples import SAMPLES, Sample

pytestmark = pytest.mark.parametrize("sample", SAMPLES, ids=str)


def _decode(app: FakeApplication, sample: Sample, payload: bytes):
    frame = cluster_frame(
        sample.command, payload, server_to_client=sample.server_to_client
    )
    cluster = command_cluster(
        app, sample.cluster.cluster_id, server_to_client=sample.server_to_client
    )
    return cluster.deserialize(frame)


def test_round_trip_with_all_fields(app: FakeApplication, sample: Sample) -> None:
    payload = sample.payload()
    data = payload.serialize()

    hdr, decoded = _decode(app, sample, data)

    assert hdr.command_id == sample.command.id
    assert type(decoded) is sample.schema
    assert decoded == payload
    assert decoded.serialize() == data


def test_round_trip_without_trailing_fields(
    app: FakeApplication, sample: Sample
) -> None:
    optional = sample.optional_fields

    for kept in range(len(optional) + 1):
        dropped = dict.fromkeys(optional[kept:])
        payload = sample.payload(**dropped)

        _, decoded = _decode(app, sample, payload.serialize())

        assert decoded == payload
        for name in optional[kept:]:
            assert getattr(decoded, name) is None


def test_extra_trailing_bytes_are_ignored(app: FakeApplication, sample: Sample) -> None:
    """Fields a later SE revision appends do not stop the frame from decoding."""
    payload = sample.payload()

    _, decoded = _decode(app, sample, payload.serialize() + b"\x01\x02\x03")

    assert decoded == payload


def test_truncated_payload_is_malformed(app: FakeApplication, sample: Sample) -> None:
    data = sample.payload(**dict.fromkeys(sample.optional_fields)).serialize()

    for length in range(len(data)):
        hdr, decoded = _decode(app, sample, data[:length])

        assert hdr.command_id == sample.command.id
        assert isinstance(decoded, MalformedPayload)
        assert decoded == data[:length]


async def test_sent_through_the_cluster_api(
    app: FakeApplication, sample: Sample
) -> None:
    """``cluster.<command>(...)`` sends the encoded payload in the right direction."""
    cluster = command_cluster(
        app, sample.cluster.cluster_id, server_to_client=sample.server_to_client
    )

    if sample.server_to_client:
        # The ESI answers a client: it sends through the client's cluster object
        await getattr(cluster, sample.name)(**sample.kwargs)
    else:
        await getattr(cluster, sample.name)(**sample.kwargs, expect_reply=False)

    [frame] = app.sent_frames()
    hdr, payload = foundation.ZCLHeader.deserialize(frame)

    assert hdr.frame_control.is_cluster
    assert hdr.command_id == sample.command.id
    assert (hdr.direction == foundation.Direction.Server_to_Client) is (
        sample.server_to_client
    )
    assert payload == sample.payload().serialize()
