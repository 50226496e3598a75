"""The time field of the 0x23 record report.

Tuya's "MCU Integration Protocol for Zigbee Lock" defines the record body as
``flag (1) | GMT (4, big-endian, seconds since 1970) | DP units``; over Zigbee
the 0xEF00 payload is the 2-byte sequence number followed by that body. The
flag says whose clock stamped the record: 0 the gateway's (time the module
had from the gateway), 1 the lock MCU's own (both read in the protocol summary
of the TY0A01 firmware project fork EDIT-Aeterna/tuya-zigbee-lock-local,
docs/PHASE1_PROTOCOL_REPORT.md section 10). A record captured on a
``_TYST12_srptwvak`` lock has it (same project,
tests/fixtures/target_srptwvak/card_unlock/record.json)::

    23 | 01 6a9fd26a | 05 02 0004 0000000e

This is the only layout read. Earlier versions also tried 4-byte time without
a flag, a flag with a YY MM DD hh mm ss calendar time (the Tuya Wi-Fi lock MCU
protocol, as ESPHome's tuya_door_lock reads it) and 6-byte calendar time; no
public source shows any of them on a Zigbee lock, so they are gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Final

from .datapoints import MalformedFrame

RECORD_TIME_SIZE: Final = 5
GMT_SIZE: Final = 4


class TimeSource(IntEnum):
    """Whose clock stamped a record (the flag byte)."""

    GATEWAY = 0
    MCU = 1


@dataclass(frozen=True, slots=True)
class RecordTime:
    """The flag and the time of a record; `timestamp` None when it is 0."""

    flag: int
    timestamp: datetime | None


def decode_record_time(body: bytes) -> RecordTime:
    """Read the 5-byte time field at the start of a record body."""
    if len(body) < RECORD_TIME_SIZE:
        raise MalformedFrame(f"record of {len(body)} bytes has no time field")
    seconds = int.from_bytes(body[1:RECORD_TIME_SIZE])
    timestamp = datetime.fromtimestamp(seconds, UTC) if seconds else None
    return RecordTime(body[0], timestamp)
