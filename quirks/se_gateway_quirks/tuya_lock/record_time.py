"""The time field of the 0x23 record report.

The standard's frame image for 0x23 is missing, and no public decoder of the
Zigbee frame exists, so the decoder accepts every plausible layout. After the
2-byte seq it tries, in this order, and the first layout that leaves whole
datapoints wins:

1. ``UNIX``: 4-byte big-endian UTC seconds since 1970, in 2000-2099. This is
   our chosen layout and the one `encode_unix_time` writes: the Zigbee side of
   the standard counts time as 1970-epoch seconds (0x24), and a module that
   stores offline records must stamp them in a zone-free form.
2. ``FLAGGED``: 7 bytes, flag + YY MM DD hh mm ss (YY = year - 2000), as the
   Tuya Wi-Fi lock MCU protocol's record report sends (ESPHome
   tuya_door_lock shows ``02 00 01 01 01 04 00``). Assumed: flag 1 is lock
   local time, 2 is UTC, 0 means "no valid time" (timestamp None).
3. ``CALENDAR``: 6 bytes YY MM DD hh mm ss in lock local time.
4. ``UNIX`` with any value, for a lock whose clock was never set.
5. ``NONE``: the datapoints follow the seq directly (timestamp None).

A flagged frame starts with 0, 1 or 2, so its first 4 bytes read as a 1970s
time and never pass step 1; calendar frames fail step 1 until 2057.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
from typing import Final

UNIX_TIME_SIZE: Final = 4
FLAGGED_TIME_SIZE: Final = 7
CALENDAR_TIME_SIZE: Final = 6
PLAUSIBLE_UNIX_MIN: Final = 946_684_800  # 2000-01-01T00:00:00Z
PLAUSIBLE_UNIX_MAX: Final = 4_102_444_800  # 2100-01-01T00:00:00Z

FLAG_NO_TIME: Final = 0
FLAG_LOCAL_TIME: Final = 1
FLAG_UTC: Final = 2


class RecordTimeFormat(StrEnum):
    """Layout of the time field that a record report used."""

    UNIX = "unix"
    FLAGGED = "flagged"
    CALENDAR = "calendar"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class RecordTime:
    """A candidate reading of the time field: its layout, size and value."""

    format: RecordTimeFormat
    size: int
    timestamp: datetime | None


def decode_record_time(body: bytes, local_tz: tzinfo | None) -> Iterator[RecordTime]:
    """Yield the readings of `body`'s time field, most likely first."""
    unlikely_unix = None
    if len(body) >= UNIX_TIME_SIZE:
        seconds = int.from_bytes(body[:UNIX_TIME_SIZE])
        unix = RecordTime(
            RecordTimeFormat.UNIX, UNIX_TIME_SIZE, datetime.fromtimestamp(seconds, UTC)
        )
        if PLAUSIBLE_UNIX_MIN <= seconds < PLAUSIBLE_UNIX_MAX:
            yield unix
        else:
            unlikely_unix = unix
    if len(body) >= FLAGGED_TIME_SIZE and body[0] in (
        FLAG_NO_TIME,
        FLAG_LOCAL_TIME,
        FLAG_UTC,
    ):
        flag = body[0]
        zone = UTC if flag == FLAG_UTC else local_tz
        when = _calendar(body[1:FLAGGED_TIME_SIZE], zone)
        if when is not None:
            timestamp = None if flag == FLAG_NO_TIME else when
            yield RecordTime(RecordTimeFormat.FLAGGED, FLAGGED_TIME_SIZE, timestamp)
    if len(body) >= CALENDAR_TIME_SIZE:
        when = _calendar(body[:CALENDAR_TIME_SIZE], local_tz)
        if when is not None:
            yield RecordTime(RecordTimeFormat.CALENDAR, CALENDAR_TIME_SIZE, when)
    if unlikely_unix is not None:
        yield unlikely_unix
    yield RecordTime(RecordTimeFormat.NONE, 0, None)


def _calendar(fields: bytes, zone: tzinfo | None) -> datetime | None:
    """Read YY MM DD hh mm ss; None if it is not a real date and time."""
    year, month, day, hour, minute, second = fields
    try:
        naive = datetime(2000 + year, month, day, hour, minute, second)
    except ValueError:
        return None
    if zone is None:
        return naive.astimezone()
    return naive.replace(tzinfo=zone)


def encode_unix_time(timestamp: datetime) -> bytes:
    """Encode an aware datetime as 4-byte big-endian UTC seconds."""
    if timestamp.tzinfo is None:
        raise ValueError("timestamp must be timezone-aware")
    return int(timestamp.timestamp()).to_bytes(UNIX_TIME_SIZE)
