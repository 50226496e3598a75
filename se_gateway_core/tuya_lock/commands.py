"""Payload codecs for every command of the Tuya Zigbee lock standard (0xEF00).

Every payload starts with a 2-byte big-endian sequence number ("seq"). The
standard's frame images are not public, so these layouts come from other
implementations and field reports; where they are assumptions, it says so:

- 0x00/0x01/0x02 data request/response/report: seq + datapoints.
- 0x03 data query: seq; the device reports all its DPs (Tuya's Zigbee MCU
  protocol has it; the lock standard does not list it, so only products
  whose row says so get it).
- 0x10 MCU version query: seq. 0x11 report: seq + version byte, read as
  major.minor.release (2, 2 and 4 bits, as zha-quirks does).
- 0x12-0x15 MCU OTA (assumed, modelled on Tuya's Zigbee UART MCU OTA):
  notify = seq + pid(8) + version(1) + size(4) + checksum(4);
  block request = seq + pid(8) + version(1) + offset(4) + length(1);
  block response = seq + status(1) + pid(8) + version(1) + offset(4) + data;
  result = seq + status(1) + pid(8) + version(1). Status 0 means success.
- 0x23 record report: seq + flag + GMT seconds + datapoints; see
  `record_time`.
- 0x24 time sync: the device sends an empty payload or 2 header bytes (its
  seq, or `00 08` / `08 00`); the reply echoes those 2 bytes, then UTC
  seconds and local seconds, each 4 bytes big-endian since 1970. An empty
  request gets the `00 08` header that zha-quirks sends.
- 0x25 internet status: seq, and in the gateway's answer a status byte
  (0x01 connected). 0x26 is the device's acknowledgement: seq.
- 0x20 dynamic password key and 0x40-0x43 session key / dynamic password
  messages: seq + opaque bytes. Their cryptography (HMAC / AES) is not
  publicly specified, so these are decoded and logged (length only) but not
  interpreted.

A data message or record whose datapoints end in damage keeps the whole
datapoints before it and says what broke in `error`; only a frame with no
readable header raises `MalformedFrame`.

Only what the gateway needs is here: decoders of what the lock sends and
encoders of what the gateway sends. The device side lives in the simulator.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from typing import Final

from .datapoints import (
    Datapoint,
    MalformedFrame,
    decode_datapoints_prefix,
    encode_datapoints,
    encode_seq,
    split_seq,
)
from .record_time import RECORD_TIME_SIZE, decode_record_time

DEFAULT_TIME_SYNC_HEADER: Final = b"\x00\x08"
INTERNET_CONNECTED: Final = 0x01
OTA_PID_SIZE: Final = 8


class CommandId(IntEnum):
    """Command ids of the Tuya Zigbee lock standard."""

    DATA_REQUEST = 0x00
    DATA_RESPONSE = 0x01
    DATA_REPORT = 0x02
    DATA_QUERY = 0x03
    MCU_VERSION_QUERY = 0x10
    MCU_VERSION_REPORT = 0x11
    MCU_OTA_NOTIFY = 0x12
    MCU_OTA_BLOCK_REQUEST = 0x13
    MCU_OTA_BLOCK_RESPONSE = 0x14
    MCU_OTA_RESULT = 0x15
    DYNAMIC_PASSWORD_KEY = 0x20
    RECORD_REPORT = 0x23
    TIME_SYNC = 0x24
    INTERNET_STATUS = 0x25
    INTERNET_STATUS_ACK = 0x26
    SESSION_KEY_REQUEST = 0x40
    SESSION_KEY_RESPONSE = 0x41
    SESSION_KEY_ACK = 0x42
    DYNAMIC_PASSWORD_REQUEST = 0x43


SECURITY_COMMANDS: Final = frozenset(
    {
        CommandId.DYNAMIC_PASSWORD_KEY,
        CommandId.SESSION_KEY_REQUEST,
        CommandId.SESSION_KEY_RESPONSE,
        CommandId.SESSION_KEY_ACK,
        CommandId.DYNAMIC_PASSWORD_REQUEST,
    }
)


@dataclass(frozen=True, slots=True)
class DataMessage:
    """0x01 response or 0x02 report: seq + datapoints.

    `error` says what broke after the last whole datapoint, if anything did.
    """

    command_id: CommandId
    seq: int
    datapoints: tuple[Datapoint, ...]
    error: str | None = None


@dataclass(frozen=True, slots=True)
class RecordReport:
    """0x23: datapoints recorded at `timestamp` (None when the lock sent 0).

    `time_flag` says whose clock stamped it (see `record_time.TimeSource`).
    """

    seq: int
    time_flag: int
    timestamp: datetime | None
    datapoints: tuple[Datapoint, ...]
    error: str | None = None


@dataclass(frozen=True, slots=True)
class McuVersionReport:
    """0x11, device to gateway; bytes after the version byte are kept."""

    seq: int
    version_raw: int
    extra: bytes = b""

    @property
    def version(self) -> str:
        """Return the version as major.minor.release (2/2/4 bits)."""
        raw = self.version_raw
        return f"{raw >> 6}.{(raw >> 4) & 0x03}.{raw & 0x0F}"


@dataclass(frozen=True, slots=True)
class McuOtaNotify:
    """0x12, gateway to device: a new MCU image is available."""

    seq: int
    pid: bytes
    version: int
    size: int
    checksum: int


@dataclass(frozen=True, slots=True)
class McuOtaBlockRequest:
    """0x13, device to gateway: send `length` bytes from `offset`."""

    seq: int
    pid: bytes
    version: int
    offset: int
    length: int


@dataclass(frozen=True, slots=True)
class McuOtaBlockResponse:
    """0x14, gateway to device."""

    seq: int
    status: int
    pid: bytes
    version: int
    offset: int
    data: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class McuOtaResult:
    """0x15, device to gateway."""

    seq: int
    status: int
    pid: bytes
    version: int


@dataclass(frozen=True, slots=True)
class TimeSyncRequest:
    """0x24, device to gateway: `header` is b"" or the 2 bytes to echo."""

    header: bytes

    @property
    def seq(self) -> int | None:
        """Return the header read as a sequence number, if there is one."""
        return int.from_bytes(self.header) if self.header else None


@dataclass(frozen=True, slots=True)
class InternetStatus:
    """0x25: the device asks (`status` None) or the gateway tells."""

    seq: int
    status: int | None = None


@dataclass(frozen=True, slots=True)
class InternetStatusAck:
    """0x26, device to gateway."""

    seq: int


@dataclass(frozen=True, slots=True)
class SecurityMessage:
    """0x20 or 0x40-0x43: opaque key material, never shown in repr."""

    command_id: CommandId
    seq: int
    payload: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class UnknownCommand:
    """A command id outside the standard, kept raw."""

    command_id: int
    payload: bytes = field(repr=False)


type Command = (
    DataMessage
    | RecordReport
    | McuVersionReport
    | McuOtaBlockRequest
    | McuOtaResult
    | TimeSyncRequest
    | InternetStatus
    | InternetStatusAck
    | SecurityMessage
    | UnknownCommand
)


# -- data (0x00, 0x01, 0x02) -------------------------------------------------


def decode_data_message(command_id: CommandId, payload: bytes) -> DataMessage:
    """Decode a 0x01 or 0x02 payload, keeping the datapoints before any damage."""
    seq, body = split_seq(payload)
    datapoints, error = decode_datapoints_prefix(body)
    return DataMessage(command_id, seq, datapoints, _text(error))


def encode_data_message(seq: int, datapoints: Iterable[Datapoint]) -> bytes:
    """Encode a 0x00 data request."""
    return encode_seq(seq) + encode_datapoints(datapoints)


def _text(error: MalformedFrame | None) -> str | None:
    return None if error is None else str(error)


# -- record report (0x23) ----------------------------------------------------


def decode_record_report(payload: bytes) -> RecordReport:
    """Decode a 0x23 payload: seq, flag, GMT time, datapoints."""
    seq, body = split_seq(payload)
    record_time = decode_record_time(body)
    datapoints, error = decode_datapoints_prefix(body[RECORD_TIME_SIZE:])
    return RecordReport(
        seq, record_time.flag, record_time.timestamp, datapoints, _text(error)
    )


# -- MCU version (0x10, 0x11) ------------------------------------------------


def encode_data_query(seq: int) -> bytes:
    """Encode a 0x03 payload."""
    return encode_seq(seq)


def encode_mcu_version_query(seq: int) -> bytes:
    """Encode a 0x10 payload."""
    return encode_seq(seq)


def decode_mcu_version_report(payload: bytes) -> McuVersionReport:
    """Decode a 0x11 payload."""
    seq, body = split_seq(payload)
    if not body:
        raise MalformedFrame("MCU version report without a version byte")
    return McuVersionReport(seq, body[0], body[1:])


# -- MCU OTA (0x12 - 0x15) ---------------------------------------------------


def _exact(body: bytes, size: int, what: str) -> bytes:
    if len(body) != size:
        raise MalformedFrame(f"{what}: {len(body)} bytes, expected {size}")
    return body


def _pid(pid: bytes) -> bytes:
    if len(pid) != OTA_PID_SIZE:
        raise ValueError(f"the product id must be {OTA_PID_SIZE} bytes")
    return pid


def encode_mcu_ota_notify(notify: McuOtaNotify) -> bytes:
    """Encode a 0x12 payload."""
    return (
        encode_seq(notify.seq)
        + _pid(notify.pid)
        + bytes((notify.version,))
        + notify.size.to_bytes(4)
        + notify.checksum.to_bytes(4)
    )


def decode_mcu_ota_block_request(payload: bytes) -> McuOtaBlockRequest:
    """Decode a 0x13 payload."""
    seq, body = split_seq(payload)
    body = _exact(body, 14, "MCU OTA block request")
    return McuOtaBlockRequest(
        seq, body[:8], body[8], int.from_bytes(body[9:13]), body[13]
    )


def encode_mcu_ota_block_response(response: McuOtaBlockResponse) -> bytes:
    """Encode a 0x14 payload."""
    return (
        encode_seq(response.seq)
        + bytes((response.status,))
        + _pid(response.pid)
        + bytes((response.version,))
        + response.offset.to_bytes(4)
        + response.data
    )


def decode_mcu_ota_result(payload: bytes) -> McuOtaResult:
    """Decode a 0x15 payload."""
    seq, body = split_seq(payload)
    body = _exact(body, 10, "MCU OTA result")
    return McuOtaResult(seq, body[0], body[1:9], body[9])


# -- time sync (0x24) --------------------------------------------------------


def decode_time_sync_request(payload: bytes) -> TimeSyncRequest:
    """Decode a 0x24 request; only its first 2 bytes matter."""
    if len(payload) == 1:
        raise MalformedFrame("time sync request of 1 byte")
    return TimeSyncRequest(payload[:2])


def encode_time_sync_reply(request: TimeSyncRequest, now: datetime) -> bytes:
    """Encode the 0x24 reply to `request`; `now` must be timezone-aware."""
    offset = now.utcoffset()
    if offset is None:
        raise ValueError("now must be timezone-aware")
    utc_seconds = int(now.timestamp())
    local_seconds = utc_seconds + int(offset.total_seconds())
    header = request.header or DEFAULT_TIME_SYNC_HEADER
    return header + utc_seconds.to_bytes(4) + local_seconds.to_bytes(4)


# -- internet status (0x25, 0x26) --------------------------------------------


def decode_internet_status(payload: bytes) -> InternetStatus:
    """Decode a 0x25 payload (a request has no status byte)."""
    seq, body = split_seq(payload)
    return InternetStatus(seq, body[0] if body else None)


def encode_internet_status(seq: int, status: int = INTERNET_CONNECTED) -> bytes:
    """Encode the gateway's 0x25: echoed seq + status."""
    return encode_seq(seq) + bytes((status,))


def decode_internet_status_ack(payload: bytes) -> InternetStatusAck:
    """Decode a 0x26 payload."""
    seq, _ = split_seq(payload)
    return InternetStatusAck(seq)


# -- dynamic password and session keys (0x20, 0x40 - 0x43) -------------------


def decode_security_message(command_id: CommandId, payload: bytes) -> SecurityMessage:
    """Decode a 0x20 or 0x40-0x43 payload: seq + opaque bytes."""
    seq, body = split_seq(payload)
    return SecurityMessage(command_id, seq, body)


# -- dispatch ----------------------------------------------------------------


def decode_from_device(command_id: int, payload: bytes) -> Command:
    """Decode a frame the lock sent; raises only `MalformedFrame`.

    Commands only the gateway sends (0x00, 0x03, 0x10, 0x12, 0x14) come back as
    `UnknownCommand`: from a lock they would be anomalous, never lock events.
    """
    match command_id:
        case CommandId.DATA_RESPONSE | CommandId.DATA_REPORT:
            return decode_data_message(CommandId(command_id), payload)
        case CommandId.RECORD_REPORT:
            return decode_record_report(payload)
        case CommandId.TIME_SYNC:
            return decode_time_sync_request(payload)
        case CommandId.INTERNET_STATUS:
            return decode_internet_status(payload)
        case CommandId.INTERNET_STATUS_ACK:
            return decode_internet_status_ack(payload)
        case CommandId.MCU_VERSION_REPORT:
            return decode_mcu_version_report(payload)
        case CommandId.MCU_OTA_BLOCK_REQUEST:
            return decode_mcu_ota_block_request(payload)
        case CommandId.MCU_OTA_RESULT:
            return decode_mcu_ota_result(payload)
        case _ if command_id in SECURITY_COMMANDS:
            return decode_security_message(CommandId(command_id), payload)
    return UnknownCommand(command_id, payload)
