"""Byte-level tests of the datapoint codec."""

from __future__ import annotations

import logging

import pytest

from custom_components.se_gateway.core.tuya_lock import datapoints as dp
from custom_components.se_gateway.core.tuya_lock.datapoints import (
    Datapoint,
    DpFrame,
    DpType,
    MalformedFrame,
)


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        (
            "0100 0003 c0ffee",
            Datapoint(1, DpType.RAW, b"\xc0\xff\xee", b"\xc0\xff\xee"),
        ),
        ("0800 0000", Datapoint(8, DpType.RAW, b"", b"")),
        ("0801 0001 01", Datapoint(8, DpType.BOOL, True, b"\x01")),
        ("0801 0001 00", Datapoint(8, DpType.BOOL, False, b"\x00")),
        ("0a02 0004 00000064", Datapoint(10, DpType.VALUE, 100, b"\x00\x00\x00\x64")),
        (
            "0102 0004 000003e7",
            Datapoint(1, DpType.VALUE, 999, bytes.fromhex("000003e7")),
        ),
        ("1302 0004 ffffffff", Datapoint(19, DpType.VALUE, -1, b"\xff" * 4)),
        (
            "1302 0004 80000000",
            Datapoint(19, DpType.VALUE, -(2**31), b"\x80\x00\x00\x00"),
        ),
        ("1703 0003 616263", Datapoint(23, DpType.STRING, "abc", b"abc")),
        ("1703 0002 c3a9", Datapoint(23, DpType.STRING, "é", b"\xc3\xa9")),
        ("0904 0001 08", Datapoint(9, DpType.ENUM, 8, b"\x08")),
        ("0505 0001 81", Datapoint(5, DpType.BITMAP, 0x81, b"\x81")),
        ("0505 0002 0102", Datapoint(5, DpType.BITMAP, 0x0102, b"\x01\x02")),
        (
            "0505 0004 01020304",
            Datapoint(5, DpType.BITMAP, 0x01020304, b"\x01\x02\x03\x04"),
        ),
    ],
)
def test_decode_every_type(wire: str, expected: Datapoint) -> None:
    data = bytes.fromhex(wire)
    assert dp.decode_datapoints(data) == (expected,)
    assert dp.encode_datapoints((expected,)) == data


def test_value_is_big_endian_signed() -> None:
    (value,) = dp.decode_datapoints(bytes.fromhex("0202 0004 00000100"))
    assert value.value == 256


def test_invalid_utf8_string_is_replaced_not_raised() -> None:
    (value,) = dp.decode_datapoints(bytes.fromhex("0303 0001 ff"))
    assert value.value == "\ufffd"
    assert value.raw == b"\xff"


@pytest.mark.parametrize("size", [255, 256, 300, 1024, 0xFFFF])
def test_values_longer_than_255_bytes(size: int) -> None:
    value = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    wire = bytes((68, 0)) + size.to_bytes(2, "big") + value
    (decoded,) = dp.decode_datapoints(wire)
    assert decoded.raw == value
    assert dp.encode_datapoint(decoded) == wire


def test_several_datapoints_in_order() -> None:
    wire = bytes.fromhex("0102 0004 00000001 0801 0001 01 0a02 0004 00000050")
    assert [d.dpid for d in dp.decode_datapoints(wire)] == [1, 8, 10]


def test_empty_run_is_no_datapoints() -> None:
    assert dp.decode_datapoints(b"") == ()


@pytest.mark.parametrize(
    "wire",
    [
        "01",  # header cut after the dpid
        "0102",  # header without length
        "010200",  # header with half a length
        "0102 0004 000000",  # value one byte short
        "0100 0100 00",  # 256 announced, 1 present
        "0102 0004 00000001 08",  # second header truncated
    ],
)
def test_truncated_frames_raise_malformed(wire: str) -> None:
    with pytest.raises(MalformedFrame):
        dp.decode_datapoints(bytes.fromhex(wire))


@pytest.mark.parametrize(
    "wire",
    [
        "0801 0002 0001",  # bool of 2 bytes
        "0801 0000",  # bool of 0 bytes
        "0a02 0002 0064",  # value of 2 bytes
        "0a02 0008 0000000000000064",  # value of 8 bytes
        "0904 0002 0001",  # enum of 2 bytes
        "0505 0003 010203",  # bitmap of 3 bytes
        "0505 0000",  # bitmap of 0 bytes
    ],
)
def test_wrong_lengths_raise_malformed(wire: str) -> None:
    with pytest.raises(MalformedFrame):
        dp.decode_datapoints(bytes.fromhex(wire))


def test_malformed_frame_is_a_value_error() -> None:
    assert issubclass(MalformedFrame, ValueError)


def test_unknown_type_is_kept_raw_and_warned_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    dp._warned_unknown_types.clear()
    wire = bytes.fromhex("7707 0002 abcd")
    with caplog.at_level(logging.WARNING):
        (first,) = dp.decode_datapoints(wire)
        dp.decode_datapoints(wire)
    assert first == Datapoint(0x77, 7, b"\xab\xcd", b"\xab\xcd")
    assert dp.encode_datapoint(first) == wire
    warnings = [r for r in caplog.records if "unknown type" in r.getMessage()]
    assert len(warnings) == 1


def test_sequence_is_big_endian() -> None:
    # The trap: read little-endian, 00 93 would be 37632.
    assert dp.split_seq(bytes.fromhex("0093")) == (147, b"")
    assert dp.decode_frame(bytes.fromhex("0093")).seq == 147
    assert dp.encode_seq(147) == bytes.fromhex("0093")


def test_frame_round_trip() -> None:
    frame = DpFrame(0xBEEF, (dp.value_dp(1, 7), dp.bool_dp(8, True)))
    wire = dp.encode_frame(frame.seq, frame.datapoints)
    assert wire.hex() == "beef01020004000000070801000101"
    assert dp.decode_frame(wire) == frame


@pytest.mark.parametrize("payload", [b"", b"\x00"])
def test_payload_without_sequence_is_malformed(payload: bytes) -> None:
    with pytest.raises(MalformedFrame):
        dp.decode_frame(payload)


def test_builders_encode_like_the_wire() -> None:
    assert dp.encode_datapoint(dp.raw_dp(21, b"123456")).hex() == "15000006313233343536"
    assert dp.encode_datapoint(dp.bool_dp(71, False)).hex() == "4701000100"
    assert dp.encode_datapoint(dp.value_dp(19, -2)).hex() == "13020004fffffffe"
    assert dp.encode_datapoint(dp.string_dp(3, "ok")).hex() == "030300026f6b"
    assert dp.encode_datapoint(dp.enum_dp(9, 13)).hex() == "090400010d"
    assert dp.encode_datapoint(dp.bitmap_dp(5, 1, width=2)).hex() == "050500020001"


def test_bitmap_width_is_checked() -> None:
    with pytest.raises(ValueError, match="width"):
        dp.bitmap_dp(5, 1, width=3)


def test_too_long_value_cannot_be_encoded() -> None:
    with pytest.raises(ValueError, match="too long"):
        dp.encode_datapoint(dp.raw_dp(1, bytes(0x10000)))


def test_repr_hides_sensitive_values() -> None:
    secret = dp.raw_dp(21, b"654321")
    assert "654321" not in repr(secret)
    assert "redacted" in repr(secret)
    assert "999" in repr(dp.value_dp(1, 999))


def test_redacted_hex_hides_sensitive_values() -> None:
    run = dp.encode_datapoints([dp.value_dp(5, 14), dp.raw_dp(49, b"12345678")])
    assert dp.redacted_hex(run) == "050200040000000e 31000008<8 bytes>"
    assert dp.consumed(dp.decode_datapoints(run)) == len(run)
    assert dp.redacted_hex(run + bytes.fromhex("0801")) == (
        "050200040000000e 31000008<8 bytes> 0801"
    )
