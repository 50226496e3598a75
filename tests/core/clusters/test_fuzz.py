"""Fuzzing: no frame makes the receive path raise, valid commands round-trip.

Each cluster gets 10,000 fuzzed frames a run: 5,000 random cluster command
frames and 5,000 mutated valid frames. Every frame is decoded by the cluster
and handed to its message handler, which is where zigpy would take it.
"""

from __future__ import annotations

import asyncio
import random
from unittest.mock import MagicMock

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest
from zigpy.zcl import Cluster, foundation

from custom_components.se_gateway.core.clusters.robust import MalformedPayload

from .fake_zigpy import DEVICE_EP, FakeApplication, make_device, packet_from
from .samples import CLUSTERS, SAMPLES, Sample
from .strategies import (
    mutated_frames,
    payloads,
    random_frames,
    samples_of,
    valid_frames,
)

FUZZ_EXAMPLES = 5_000
ROUND_TRIP_EXAMPLES = 100
DEVICE_PATH_FRAMES = 500
SERVER_TO_CLIENT_BIT = 0x08

FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

cluster_param = pytest.mark.parametrize(
    "cluster_type", CLUSTERS, ids=lambda cluster_type: cluster_type.__name__
)


class Receiver:
    """Both sides of a cluster on one device; replies are recorded, not sent."""

    def __init__(self, cluster_type: type[Cluster]) -> None:
        cluster_id = cluster_type.cluster_id
        device = make_device(
            FakeApplication(), in_clusters=[cluster_id], out_clusters=[cluster_id]
        )
        endpoint = device.endpoints[DEVICE_EP]
        self.server = endpoint.in_clusters[cluster_id]
        self.client = endpoint.out_clusters[cluster_id]

        for cluster in (self.server, self.client):
            cluster.send_default_rsp = MagicMock()

    def receive(self, frame: bytes) -> object:
        """Decode and handle a frame as zigpy's device does; return the command."""
        # A server-to-client frame is received by the client side
        server_to_client = bool(frame[0] & SERVER_TO_CLIENT_BIT)
        cluster = self.client if server_to_client else self.server
        commands = (
            cluster.client_commands if server_to_client else cluster.server_commands
        )

        hdr, command = cluster.deserialize(frame)
        cluster.handle_message(hdr, command)

        if hdr.command_id in commands:
            schema = commands[hdr.command_id].schema
            assert isinstance(command, schema | MalformedPayload)
        else:
            assert type(command) is bytes

        return command


@cluster_param
def test_random_frames_never_raise(cluster_type: type[Cluster]) -> None:
    receiver = Receiver(cluster_type)
    command_ids = sorted({*cluster_type.server_commands, *cluster_type.client_commands})

    @FUZZ
    @given(frame=random_frames(command_ids))
    def fuzz(frame: bytes) -> None:
        receiver.receive(frame)

    fuzz()


@cluster_param
def test_mutated_frames_never_raise(cluster_type: type[Cluster]) -> None:
    receiver = Receiver(cluster_type)
    seeds = valid_frames(samples_of(cluster_type))

    @FUZZ
    @given(frame=mutated_frames(seeds))
    def fuzz(frame: bytes) -> None:
        receiver.receive(frame)

    fuzz()


@pytest.mark.parametrize("sample", SAMPLES, ids=str)
def test_valid_payloads_round_trip(sample: Sample) -> None:
    receiver = Receiver(sample.cluster)

    @settings(max_examples=ROUND_TRIP_EXAMPLES, deadline=None, database=None)
    @given(data=st.data())
    def round_trip(data: st.DataObject) -> None:
        payload = data.draw(payloads(sample))
        encoded = payload.serialize()
        frame = foundation.ZCLHeader.cluster(
            1,
            sample.command.id,
            direction=(
                foundation.Direction.Server_to_Client
                if sample.server_to_client
                else foundation.Direction.Client_to_Server
            ),
        ).serialize()

        decoded = receiver.receive(frame + encoded)

        assert decoded == payload
        assert decoded.serialize() == encoded

    round_trip()


@cluster_param
async def test_device_packet_path_never_raises(cluster_type: type[Cluster]) -> None:
    """Mutated frames through ``ControllerApplication.packet_received``."""
    app = FakeApplication()
    cluster_id = cluster_type.cluster_id
    device = make_device(app, in_clusters=[cluster_id], out_clusters=[cluster_id])
    seeds = valid_frames(samples_of(cluster_type))
    rng = random.Random(cluster_id)

    for tsn in range(DEVICE_PATH_FRAMES):
        frame = bytearray(rng.choice(seeds))
        frame[1] = tsn & 0xFF
        cut = rng.randrange(3, len(frame) + 1)
        frame = frame[:cut] + rng.randbytes(rng.choice([0, 0, 1, 5]))

        app.packet_received(packet_from(device, cluster_id, bytes(frame)))

    # Let zigpy's default responses go out
    await asyncio.sleep(0)
