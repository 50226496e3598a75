"""Hypothesis strategies: valid commands, and random or mutated frames."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import strategies as st
import zigpy.types as t
from zigpy.zcl import foundation

from custom_components.se_gateway.core.clusters import types as se_t

from .fake_zigpy import cluster_frame
from .samples import SAMPLES, Sample

# List fields whose length is carried by another field
COUNT_FIELDS = {"intervals": "number_of_periods_delivered"}

HEADER_LENGTH = 3  # frame control, TSN, command id: no manufacturer code
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=60)


def field_values(field_type: type) -> st.SearchStrategy[Any]:
    """Return a strategy for any valid value of a payload field type."""
    if issubclass(field_type, se_t.Utf8String):
        return TEXT.filter(lambda text: len(text.encode()) < 0xFF)
    if issubclass(field_type, se_t.PriceLabel | se_t.MessageResponse):
        return st.binary(max_size=field_type.max_length)
    if issubclass(field_type, se_t.Signature):
        return st.binary(min_size=42, max_size=42)
    if issubclass(field_type, t.List):
        return st.lists(st.integers(0, 0xFFFFFF), max_size=30)
    if issubclass(field_type, t.FixedIntType):
        return st.integers(field_type.min_value, field_type.max_value).map(field_type)

    raise NotImplementedError(field_type)  # pragma: no cover


@st.composite
def payloads(draw: st.DrawFn, sample: Sample) -> foundation.CommandSchema:
    """Return a valid payload of the sample's command, some trailing fields left off."""
    kept = draw(st.integers(0, len(sample.optional_fields)))
    dropped = set(sample.optional_fields[kept:])
    values = {
        field.name: draw(field_values(field.type))
        for field in sample.schema.fields
        if field.name not in dropped
    }

    for list_name, count_name in COUNT_FIELDS.items():
        if list_name in values:
            values[count_name] = len(values[list_name])

    return sample.schema(**values)


def valid_frames(samples: list[Sample]) -> list[bytes]:
    """Return frames of the samples, with and without their trailing fields."""
    frames = []

    for sample in samples:
        for kept in range(len(sample.optional_fields) + 1):
            payload = sample.payload(**dict.fromkeys(sample.optional_fields[kept:]))
            frames.append(
                cluster_frame(
                    sample.command,
                    payload.serialize(),
                    server_to_client=sample.server_to_client,
                )
            )

    return frames


FRAME_TYPE_BITS = 0b0000_0011
MANUFACTURER_BIT = 0b0000_0100
RESERVED_BITS = 0b1110_0000


def _as_cluster_frame(raw: bytes, command_ids: list[int]) -> bytes:
    """Turn random bytes into a cluster command frame, usually of a known command.

    Direction, manufacturer and disable-default-response bits stay random.
    """
    frame = bytearray(raw)
    frame[0] = frame[0] & ~(FRAME_TYPE_BITS | RESERVED_BITS) | 0b01
    command_at = 4 if frame[0] & MANUFACTURER_BIT else 2

    if frame[command_at] < 0xC0:
        frame[command_at] = command_ids[frame[command_at] % len(command_ids)]

    return bytes(frame)


def random_frames(command_ids: list[int]) -> st.SearchStrategy[bytes]:
    """Return cluster command frames: any direction and flags, random payload."""
    return st.binary(min_size=5, max_size=64).map(
        lambda raw: _as_cluster_frame(raw, command_ids)
    )


def _mutate(frame: bytes, entropy: int, extra: bytes) -> bytes:
    """Cut, grow or change the payload of a frame; ``entropy`` picks how."""
    rng = random.Random(entropy)
    header, payload = frame[:HEADER_LENGTH], bytearray(frame[HEADER_LENGTH:])

    for _ in range(rng.randint(1, 4)):
        position = rng.randint(0, len(payload))
        mutation = rng.choice(["cut", "grow", "change", "insert", "delete"])

        if mutation == "cut":
            del payload[position:]
        elif mutation == "grow":
            payload += extra
        elif mutation == "insert":
            payload[position:position] = extra[:4]
        elif position < len(payload):
            if mutation == "change":
                payload[position] = rng.randrange(0x100)
            else:
                del payload[position]

    return header + bytes(payload)


def mutated_frames(seeds: list[bytes]) -> st.SearchStrategy[bytes]:
    """Return valid frames whose payload is cut, grown, or has bytes changed."""
    return st.builds(
        _mutate,
        st.sampled_from(seeds),
        st.integers(0, 2**64 - 1),
        st.binary(min_size=1, max_size=16),
    )


def samples_of(cluster_type: type) -> list[Sample]:
    """Return the samples of one cluster."""
    return [sample for sample in SAMPLES if sample.cluster is cluster_type]
