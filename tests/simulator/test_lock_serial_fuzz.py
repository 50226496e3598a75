"""Fuzzing the simulated lock's serial reader: it must find exactly the frames.

The oracle is a deliberately plain scanner over the whole stream: at each
55 AA it tries a frame (version 03, length within bounds, enough bytes, the
right checksum) and skips one byte when that fails. The streaming reader,
fed in chunks of any size and told at the end that the line fell idle, must
find the same frames.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from network_simulator.lock.serial_frames import (
    MAX_DATA,
    FrameReader,
    SerialFrame,
    encode,
)

MANY = settings(
    max_examples=10_000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def oracle(stream: bytes) -> list[SerialFrame]:
    frames = []
    i = 0
    while i + 9 <= len(stream):
        if stream[i : i + 3] == b"\x55\xaa\x03":
            size = int.from_bytes(stream[i + 6 : i + 8])
            end = i + 8 + size
            if (
                size <= MAX_DATA
                and end < len(stream)
                and sum(stream[i:end]) & 0xFF == stream[end]
            ):
                frames.append(
                    SerialFrame(
                        int.from_bytes(stream[i + 3 : i + 5]),
                        stream[i + 5],
                        stream[i + 8 : end],
                    )
                )
                i = end + 1
                continue
        i += 1
    return frames


FRAMES = st.builds(
    SerialFrame,
    st.integers(0, 0xFFFF),
    st.integers(0, 255),
    st.binary(max_size=40),
)


@st.composite
def pieces(draw: st.DrawFn) -> bytes:
    """A valid frame, noise, or a frame that is corrupt or cut off."""
    kind = draw(st.sampled_from(["frame", "noise", "corrupt", "cut", "55aa"]))
    if kind == "noise":
        return draw(st.binary(max_size=12))
    if kind == "55aa":
        return b"\x55\xaa" + draw(st.binary(max_size=6))
    wire = bytearray(encode(draw(FRAMES)))
    if kind == "corrupt":
        index = draw(st.integers(0, len(wire) - 1))
        wire[index] ^= draw(st.integers(1, 255))
    elif kind == "cut":
        del wire[draw(st.integers(1, len(wire) - 1)) :]
    return bytes(wire)


@MANY
@given(parts=st.lists(pieces(), max_size=8), chunks=st.lists(st.integers(1, 16)))
def test_the_reader_finds_what_the_plain_scanner_finds(
    parts: list[bytes], chunks: list[int]
) -> None:
    stream = b"".join(parts)
    reader = FrameReader()
    found: list[SerialFrame] = []
    pos = 0
    for size in chunks:
        found += reader.feed(stream[pos : pos + size])
        pos += size
    found += reader.feed(stream[pos:])
    found += reader.idle()
    assert found == oracle(stream)


@settings(MANY, max_examples=1_000)
@given(
    noise=st.lists(st.binary(max_size=20).filter(lambda b: 0x55 not in b), max_size=5),
    frames=st.lists(FRAMES, min_size=1, max_size=5),
)
def test_every_frame_after_noise_is_found(
    noise: list[bytes], frames: list[SerialFrame]
) -> None:
    stream = b"".join(
        n + encode(f) for n, f in zip(noise + [b""] * 5, frames, strict=False)
    )
    assert FrameReader().feed(stream) == frames
