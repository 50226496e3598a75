"""Hypothesis fuzzing of the decoder and of the cluster receive path."""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
from datetime import UTC, datetime
import logging
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.se_gateway.core.tuya_lock import events as ev
from custom_components.se_gateway.core.tuya_lock.cluster import TuyaLockCluster
from custom_components.se_gateway.core.tuya_lock.commands import decode_from_device
from custom_components.se_gateway.core.tuya_lock.datapoints import MalformedFrame

from .conftest import FC_NO_ACK, FC_WANTS_ACK, LockHarness, settle
from .reference import UNLOCK_DPS, unlock_user_ids

MANY = settings(
    max_examples=10_000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SOME = settings(MANY, max_examples=1_000)
# The cluster path runs zigpy's receive code: fewer examples keep the suite quick.
CLUSTER = settings(MANY, max_examples=2_000)

# Data-carrying commands, record reports, and everything else the lock may send.
LOCK_COMMANDS = st.sampled_from(
    [0x01, 0x02, 0x11, 0x13, 0x15, 0x20, 0x23, 0x24, 0x25, 0x26, 0x40, 0x42, 0x43]
)
DP_COMMANDS = st.sampled_from([0x01, 0x02])
CLUSTER_FRAME_CONTROLS = st.sampled_from([FC_WANTS_ACK, FC_NO_ACK, 0x01, 0x11])


def encode_dp(dpid: int, dp_type: int, value: bytes) -> bytes:
    return bytes((dpid, dp_type)) + len(value).to_bytes(2, "big") + value


def datapoints(dpids: st.SearchStrategy[int]) -> st.SearchStrategy[bytes]:
    """Well-formed encoded datapoints of every type, and of unknown types."""
    return st.one_of(
        st.builds(encode_dp, dpids, st.just(0x00), st.binary(max_size=300)),
        st.builds(encode_dp, dpids, st.just(0x01), st.binary(min_size=1, max_size=1)),
        st.builds(encode_dp, dpids, st.just(0x02), st.binary(min_size=4, max_size=4)),
        st.builds(encode_dp, dpids, st.just(0x03), st.binary(max_size=40)),
        st.builds(encode_dp, dpids, st.just(0x04), st.binary(min_size=1, max_size=1)),
        st.builds(
            encode_dp,
            dpids,
            st.just(0x05),
            st.sampled_from([1, 2, 4]).flatmap(
                lambda n: st.binary(min_size=n, max_size=n)
            ),
        ),
        st.builds(encode_dp, dpids, st.integers(6, 255), st.binary(max_size=8)),
    )


def dp_payloads(dpids: st.SearchStrategy[int]) -> st.SearchStrategy[bytes]:
    """A sequence number and up to 6 well-formed datapoints."""
    return st.builds(
        lambda seq, dps: seq.to_bytes(2, "big") + b"".join(dps),
        st.integers(0, 0xFFFF),
        st.lists(datapoints(dpids), max_size=6),
    )


@st.composite
def mutated(draw: st.DrawFn, payloads: st.SearchStrategy[bytes]) -> bytes:
    """A payload with a few bytes flipped, inserted, deleted or cut off."""
    data = bytearray(draw(payloads))
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        index = draw(st.integers(0, len(data)))
        if action == "flip" and index < len(data):
            data[index] = draw(st.integers(0, 255))
        elif action == "insert":
            data.insert(index, draw(st.integers(0, 255)))
        elif action == "delete" and index < len(data):
            del data[index]
        elif action == "truncate":
            del data[index:]
    return bytes(data)


ANY_PAYLOAD = st.one_of(
    st.binary(max_size=64),
    dp_payloads(st.integers(0, 255)),
    mutated(dp_payloads(st.integers(0, 255))),
)


@pytest.fixture(autouse=True)
def quiet_logging() -> Iterator[None]:
    """Keep 10,000 examples' worth of debug and warning lines out of the capture."""
    logging.disable(logging.CRITICAL)
    yield
    logging.disable(logging.NOTSET)


def fresh_cluster(lock: LockHarness) -> tuple[TuyaLockCluster, list[Any]]:
    """A new cluster on the lock's endpoint, with no memory of earlier examples."""
    cluster = TuyaLockCluster(lock.device.endpoints[1])
    published: list[Any] = []
    cluster.on_all_events(published.append)
    lock.app.send_packet.reset_mock()
    return cluster, published


def deliver(cluster: TuyaLockCluster, frame: bytes) -> None:
    """What zigpy's device does with a frame for this cluster."""
    hdr, args = cluster.deserialize(frame)
    cluster.handle_message(hdr, args)


def unlocks(published: list[Any]) -> list[int]:
    return [event.user_id for event in published if isinstance(event, ev.UnlockEvent)]


# -- the pure decoder --------------------------------------------------------------


@MANY
@given(command_id=st.integers(0, 255), payload=ANY_PAYLOAD)
def test_decoder_raises_only_malformed_frame(command_id: int, payload: bytes) -> None:
    with contextlib.suppress(MalformedFrame):
        decode_from_device(command_id, payload)


@SOME
@given(command_id=DP_COMMANDS, payload=ANY_PAYLOAD)
def test_decoder_agrees_with_the_reference(command_id: int, payload: bytes) -> None:
    expected = unlock_user_ids(payload)
    try:
        message = decode_from_device(command_id, payload)
    except MalformedFrame:
        assert expected is None
        return
    assert expected is not None
    dispatcher = ev.LockEventDispatcher()
    events = dispatcher.feed(message, tsn=0, received_at=datetime.now(UTC))
    assert unlocks(events) == expected


# -- the cluster receive path ------------------------------------------------------


@CLUSTER
@given(
    frame_control=CLUSTER_FRAME_CONTROLS,
    tsn=st.integers(0, 255),
    command_id=st.one_of(LOCK_COMMANDS, st.integers(0, 255)),
    payload=ANY_PAYLOAD,
)
async def test_cluster_never_raises_and_never_unlocks_spuriously(
    lock: LockHarness, frame_control: int, tsn: int, command_id: int, payload: bytes
) -> None:
    cluster, published = fresh_cluster(lock)
    deliver(cluster, bytes((frame_control, tsn, command_id)) + payload)
    await settle()
    if command_id in (0x01, 0x02):
        assert unlocks(published) == (unlock_user_ids(payload) or [])
    elif command_id != 0x23:
        assert unlocks(published) == []


NO_UNLOCK_DPIDS = st.integers(0, 255).filter(lambda dpid: dpid not in UNLOCK_DPS)


@st.composite
def any_values_without_unlock_dps(draw: st.DrawFn) -> bytes:
    """Datapoints without unlock DPs, with any type byte and any value bytes.

    Only dpid and length are kept whole, so the frame splits where it says.
    """
    payload = draw(st.integers(0, 0xFFFF)).to_bytes(2, "big")
    entries = st.tuples(NO_UNLOCK_DPIDS, st.integers(0, 255), st.binary(max_size=300))
    for dpid, dp_type, value in draw(st.lists(entries, max_size=6)):
        payload += encode_dp(dpid, dp_type, value)
    return payload


@SOME
@given(
    command_id=st.sampled_from([0x01, 0x02, 0x23]),
    payload=any_values_without_unlock_dps(),
    frame_control=CLUSTER_FRAME_CONTROLS,
)
async def test_mutating_a_frame_without_unlock_dps_never_unlocks(
    lock: LockHarness, command_id: int, payload: bytes, frame_control: int
) -> None:
    cluster, published = fresh_cluster(lock)
    deliver(cluster, bytes((frame_control, 1, command_id)) + payload)
    await settle()
    if command_id != 0x23:
        assert unlocks(published) == []


UNLOCK_FRAMES = st.builds(
    lambda seq, dpid, user: seq.to_bytes(2, "big") + encode_dp(dpid, 0x02, user),
    st.integers(0, 0xFFFF),
    st.sampled_from(sorted(UNLOCK_DPS)),
    st.integers(0, 999).map(lambda user: user.to_bytes(4, "big")),
)


@SOME
@given(
    unlock=UNLOCK_FRAMES,
    tsn=st.integers(0, 255),
    copies=st.integers(2, 5),
    others=st.lists(dp_payloads(NO_UNLOCK_DPIDS), max_size=3),
    frame_control=CLUSTER_FRAME_CONTROLS,
)
async def test_a_duplicated_unlock_frame_yields_exactly_one_unlock(
    lock: LockHarness,
    unlock: bytes,
    tsn: int,
    copies: int,
    others: list[bytes],
    frame_control: int,
) -> None:
    cluster, published = fresh_cluster(lock)
    frame = bytes((frame_control, tsn, 0x02)) + unlock
    deliver(cluster, frame)
    for index, other in enumerate(others):
        deliver(cluster, bytes((frame_control, (tsn + index + 1) % 256, 0x02)) + other)
    for _ in range(copies - 1):
        deliver(cluster, frame)
    await settle()
    assert len(unlocks(published)) == 1
