"""Tuya datapoint (DP) codec: bytes in, typed values out, no zigpy needed.

Wire format of one datapoint (all multi-byte fields big-endian)::

    dpid (1) | type (1) | length (2) | value (length)

A DP payload is a 2-byte big-endian sequence number followed by datapoints.
The 2-byte length lets values be longer than 255 bytes.

Every decoding error raises `MalformedFrame`, and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
import logging
from typing import Final

_LOGGER = logging.getLogger(__name__)

SEQ_SIZE: Final = 2
DP_HEADER_SIZE: Final = 4
MAX_VALUE_LENGTH: Final = 0xFFFF

# Passwords, keys and remote-unlock secrets: their values are never logged.
# 21 remote password, 24-28 temporary passwords, 48/49 password-free keys, 54
# credential enrolment, 68-70 offline passwords, 103 8-digit remote password.
SENSITIVE_DPS: Final = frozenset({21, 24, 25, 26, 27, 28, 48, 49, 54, 68, 69, 70, 103})

_BITMAP_WIDTHS: Final = (1, 2, 4)
_warned_unknown_types: set[tuple[int, int]] = set()


class MalformedFrame(ValueError):
    """A Tuya frame is truncated or a field has a wrong length."""


class DpType(IntEnum):
    """Datapoint value types of the Tuya standard."""

    RAW = 0x00
    BOOL = 0x01
    VALUE = 0x02
    STRING = 0x03
    ENUM = 0x04
    BITMAP = 0x05


type DpValue = bytes | bool | int | str


@dataclass(frozen=True, slots=True, repr=False)
class Datapoint:
    """One datapoint: `type` is a `DpType`, or the raw type id when unknown.

    `raw` holds the encoded value bytes, so a decoded frame re-encodes exactly.
    """

    dpid: int
    type: int
    value: DpValue
    raw: bytes

    def __repr__(self) -> str:
        """Describe the datapoint, hiding the value of sensitive DPs."""
        value = "<redacted>" if self.dpid in SENSITIVE_DPS else repr(self.value)
        return f"Datapoint(dpid={self.dpid}, type={self.type!r}, value={value})"


@dataclass(frozen=True, slots=True)
class DpFrame:
    """A DP payload: sequence number and datapoints."""

    seq: int
    datapoints: tuple[Datapoint, ...]


def raw_dp(dpid: int, value: bytes) -> Datapoint:
    """Build a raw datapoint."""
    return Datapoint(dpid, DpType.RAW, bytes(value), bytes(value))


def bool_dp(dpid: int, value: bool) -> Datapoint:
    """Build a bool datapoint."""
    return Datapoint(dpid, DpType.BOOL, value, b"\x01" if value else b"\x00")


def value_dp(dpid: int, value: int) -> Datapoint:
    """Build a value datapoint (4-byte big-endian signed integer)."""
    return Datapoint(dpid, DpType.VALUE, value, value.to_bytes(4, "big", signed=True))


def string_dp(dpid: int, value: str) -> Datapoint:
    """Build a string datapoint (UTF-8)."""
    return Datapoint(dpid, DpType.STRING, value, value.encode())


def enum_dp(dpid: int, value: int) -> Datapoint:
    """Build an enum datapoint (one byte)."""
    return Datapoint(dpid, DpType.ENUM, value, value.to_bytes(1, "big"))


def bitmap_dp(dpid: int, value: int, width: int = 1) -> Datapoint:
    """Build a bitmap datapoint of 1, 2 or 4 bytes."""
    if width not in _BITMAP_WIDTHS:
        raise ValueError(f"bitmap width must be 1, 2 or 4, not {width}")
    return Datapoint(dpid, DpType.BITMAP, value, value.to_bytes(width, "big"))


def decode_datapoint(dpid: int, dp_type: int, raw: bytes) -> Datapoint:
    """Decode one datapoint value; unknown types are kept raw."""
    size = len(raw)
    if dp_type == DpType.RAW:
        return Datapoint(dpid, DpType.RAW, raw, raw)
    if dp_type == DpType.VALUE:
        _check_size(dpid, dp_type, size, 4)
        return Datapoint(dpid, DpType.VALUE, int.from_bytes(raw, signed=True), raw)
    if dp_type == DpType.BOOL:
        _check_size(dpid, dp_type, size, 1)
        return Datapoint(dpid, DpType.BOOL, raw[0] != 0, raw)
    if dp_type == DpType.ENUM:
        _check_size(dpid, dp_type, size, 1)
        return Datapoint(dpid, DpType.ENUM, raw[0], raw)
    if dp_type == DpType.STRING:
        return Datapoint(dpid, DpType.STRING, raw.decode(errors="replace"), raw)
    if dp_type == DpType.BITMAP:
        if size not in _BITMAP_WIDTHS:
            raise MalformedFrame(f"DP {dpid}: bitmap of {size} bytes")
        return Datapoint(dpid, DpType.BITMAP, int.from_bytes(raw), raw)
    if (dpid, dp_type) not in _warned_unknown_types:
        _warned_unknown_types.add((dpid, dp_type))
        _LOGGER.warning("DP %d has unknown type 0x%02x; kept raw", dpid, dp_type)
    return Datapoint(dpid, dp_type, raw, raw)


def _check_size(dpid: int, dp_type: int, size: int, expected: int) -> None:
    if size != expected:
        raise MalformedFrame(
            f"DP {dpid}: {DpType(dp_type).name} of {size} bytes, expected {expected}"
        )


def decode_datapoints(data: bytes) -> tuple[Datapoint, ...]:
    """Decode a run of datapoints that fills `data` exactly."""
    datapoints, error = decode_datapoints_prefix(data)
    if error is not None:
        raise error
    return datapoints


def decode_datapoints_prefix(
    data: bytes,
) -> tuple[tuple[Datapoint, ...], MalformedFrame | None]:
    """Decode the whole datapoints at the start of `data`, up to any damage.

    Returns them and, when the run does not end cleanly, the error at the
    first damaged datapoint (whose start is ``consumed(datapoints)``).
    """
    datapoints: list[Datapoint] = []
    end = len(data)
    pos = 0
    while pos < end:
        if end - pos < DP_HEADER_SIZE:
            return tuple(datapoints), MalformedFrame(
                f"truncated DP header at byte {pos}"
            )
        dpid = data[pos]
        dp_type = data[pos + 1]
        stop = pos + DP_HEADER_SIZE + ((data[pos + 2] << 8) | data[pos + 3])
        if stop > end:
            return tuple(datapoints), MalformedFrame(
                f"DP {dpid}: value runs past the frame end"
            )
        try:
            datapoints.append(decode_datapoint(dpid, dp_type, data[pos + 4 : stop]))
        except MalformedFrame as err:
            return tuple(datapoints), err
        pos = stop
    return tuple(datapoints), None


def consumed(datapoints: Iterable[Datapoint]) -> int:
    """Return how many bytes `datapoints` take on the wire."""
    return sum(DP_HEADER_SIZE + len(datapoint.raw) for datapoint in datapoints)


def redacted_hex(data: bytes) -> str:
    """Show a run of datapoints in hex, with the values of sensitive DPs hidden.

    Bytes after the damage are shown only when the damaged datapoint is not a
    sensitive one: they may hold the rest of a password.
    """
    datapoints, error = decode_datapoints_prefix(data)
    parts = [
        (
            f"{datapoint.dpid:02x}{datapoint.type:02x}{len(datapoint.raw):04x}"
            + (
                f"<{len(datapoint.raw)} bytes>"
                if datapoint.dpid in SENSITIVE_DPS
                else datapoint.raw.hex()
            )
        )
        for datapoint in datapoints
    ]
    if error is not None:
        tail = data[consumed(datapoints) :]
        parts.append(f"<{len(tail)} bytes>" if tail[0] in SENSITIVE_DPS else tail.hex())
    return " ".join(parts)


def encode_datapoint(datapoint: Datapoint) -> bytes:
    """Encode one datapoint."""
    size = len(datapoint.raw)
    if size > MAX_VALUE_LENGTH:
        raise ValueError(f"DP {datapoint.dpid}: value of {size} bytes is too long")
    return bytes((datapoint.dpid, datapoint.type)) + size.to_bytes(2) + datapoint.raw


def encode_datapoints(datapoints: Iterable[Datapoint]) -> bytes:
    """Encode a run of datapoints."""
    return b"".join(encode_datapoint(datapoint) for datapoint in datapoints)


def split_seq(payload: bytes) -> tuple[int, bytes]:
    """Split the 2-byte big-endian sequence number from the rest of a payload."""
    if len(payload) < SEQ_SIZE:
        raise MalformedFrame(f"payload of {len(payload)} bytes has no sequence")
    return (payload[0] << 8) | payload[1], payload[SEQ_SIZE:]


def encode_seq(seq: int) -> bytes:
    """Encode a sequence number as 2 big-endian bytes."""
    return seq.to_bytes(SEQ_SIZE)


def decode_frame(payload: bytes) -> DpFrame:
    """Decode a DP payload: sequence number, then datapoints."""
    seq, body = split_seq(payload)
    return DpFrame(seq, decode_datapoints(body))


def encode_frame(seq: int, datapoints: Iterable[Datapoint]) -> bytes:
    """Encode a DP payload."""
    return encode_seq(seq) + encode_datapoints(datapoints)
