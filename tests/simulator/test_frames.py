"""XBee API framing: escaping, checksums and resynchronisation."""

from __future__ import annotations

import pytest

from network_simulator.xbee_frames import FrameDecoder, checksum, encode_frame, escape

AT_AI = b"\x08\x01AI"


def test_encode_matches_the_digi_example() -> None:
    # Digi's manual: AT command "NJ" with frame id 0x52 and no parameter.
    assert encode_frame(b"\x08\x52NJ") == bytes(
        [0x7E, 0x00, 0x04, 0x08, 0x52, 0x4E, 0x4A, checksum(b"\x08\x52NJ")]
    )
    assert checksum(b"\x08\x52NJ") == 0x0D


def test_reserved_bytes_are_escaped() -> None:
    assert escape(b"\x7e\x7d\x11\x13\x00") == b"\x7d\x5e\x7d\x5d\x7d\x31\x7d\x33\x00"


@pytest.mark.parametrize(
    "payload", [AT_AI, b"\x11\x7e\x7d\x13" * 20, bytes(range(256))]
)
def test_round_trip(payload: bytes) -> None:
    assert FrameDecoder().feed(encode_frame(payload)) == [payload]


def test_frames_split_across_reads() -> None:
    decoder = FrameDecoder()
    data = encode_frame(AT_AI) + encode_frame(b"\x08\x02MY")
    frames = [frame for byte in data for frame in decoder.feed(bytes([byte]))]
    assert frames == [AT_AI, b"\x08\x02MY"]


def test_bad_checksum_is_dropped_and_the_next_frame_decoded(caplog) -> None:
    decoder = FrameDecoder()
    bad = bytearray(encode_frame(AT_AI))
    bad[-1] ^= 0xFF

    assert decoder.feed(bytes(bad) + encode_frame(b"\x08\x02MY")) == [b"\x08\x02MY"]
    assert decoder.errors == 1
    assert "bad checksum" in caplog.text


def test_garbage_and_truncated_frames_resynchronise() -> None:
    decoder = FrameDecoder()
    truncated = encode_frame(b"\x08\x03SH")[:-2]

    frames = decoder.feed(b"garbage" + truncated + encode_frame(AT_AI))

    assert frames == [AT_AI]
    assert decoder.errors == 2


def test_escape_at_the_end_of_a_read_waits_for_more() -> None:
    decoder = FrameDecoder()
    data = encode_frame(b"\x08\x7e")
    split = data.index(0x7D) + 1
    assert decoder.feed(data[:split]) == []
    assert decoder.feed(data[split:]) == [b"\x08\x7e"]


def test_bytes_without_start_delimiter_are_dropped() -> None:
    decoder = FrameDecoder()
    assert decoder.feed(b"\x01\x02\x03") == []
    assert decoder.errors == 1
