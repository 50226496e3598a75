"""The module's side of cluster 0xEF00: command ids and payloads.

The standard (shared/seeds/004, Private cluster): every payload is a 2-byte
sequence number then user data; the module carries the serial data across.
The 0x24 answer is 2 header bytes (the module's request sequence, echoed),
GMT seconds and local seconds; the 0x25 status 0x01 means the gateway is
online (field facts: Zigbee2MQTT and zha-quirks answer so). MCU OTA over the
air is the serial 0x0B-0x0D data behind the sequence.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Final

SEQ_SIZE: Final = 2
TIME_REPLY_SIZE: Final = SEQ_SIZE + 8
GATEWAY_ONLINE: Final = 0x01


class ZigbeeCommand(IntEnum):
    """The standard's private command ids."""

    DATA_REQUEST = 0x00
    DATA_RESPONSE = 0x01
    DATA_REPORT = 0x02
    MCU_VERSION_QUERY = 0x10
    MCU_VERSION_REPORT = 0x11
    MCU_OTA_NOTIFY = 0x12
    MCU_OTA_BLOCK_REQUEST = 0x13
    MCU_OTA_BLOCK_RESPONSE = 0x14
    MCU_OTA_RESULT = 0x15
    DYNAMIC_PASSWORD_KEY = 0x20
    RECORD = 0x23
    TIME = 0x24
    INTERNET_STATUS = 0x25
    INTERNET_STATUS_ACK = 0x26
    SESSION_KEY_REQUEST = 0x40
    SESSION_KEY_RESPONSE = 0x41
    SESSION_KEY_ACK = 0x42
    DYNAMIC_PASSWORD_REQUEST = 0x43


class BadZigbeePayload(ValueError):
    """A payload from the gateway does not have its layout."""


@dataclass(frozen=True, slots=True)
class Payload:
    """A sequence number and the user data behind it."""

    seq: int
    data: bytes

    def encode(self) -> bytes:
        """Return the sequence and the data."""
        return self.seq.to_bytes(SEQ_SIZE) + self.data


def decode(payload: bytes) -> Payload:
    """Split the sequence from the user data."""
    if len(payload) < SEQ_SIZE:
        raise BadZigbeePayload(f"payload of {len(payload)} bytes")
    return Payload(int.from_bytes(payload[:SEQ_SIZE]), payload[SEQ_SIZE:])


@dataclass(frozen=True, slots=True)
class TimeReply:
    """The gateway's 0x24: echoed header, GMT and local seconds."""

    header: bytes
    gmt: int
    local: int


def decode_time_reply(payload: bytes) -> TimeReply:
    """Read the gateway's 0x24."""
    if len(payload) != TIME_REPLY_SIZE:
        raise BadZigbeePayload(f"time reply of {len(payload)} bytes")
    return TimeReply(
        payload[:SEQ_SIZE],
        int.from_bytes(payload[2:6]),
        int.from_bytes(payload[6:10]),
    )
