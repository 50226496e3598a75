"""The serial commands between lock MCU and Zigbee module, and their data.

Command ids and directions are the standard's table (shared/seeds/004, Cmd
描述表); the data layouts are those of Tuya's "MCU Integration Protocol for
Zigbee Lock" as the TY0A01 firmware project's fork summarises them
(EDIT-Aeterna/tuya-zigbee-lock-local, docs/PHASE1_PROTOCOL_REPORT.md; its
docs/PROTOCOL.md gives the generic module's MCU OTA layouts, which this lock
standard numbers 0x0A-0x0D). What no source gives is marked "assumed".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
import json
from typing import Final

WAKE_SEQ_MODULE: Final = 0x55AA
WAKE_SEQ_MCU: Final = 0x0000
GMT_SIZE: Final = 4
RECORD_HEAD: Final = 1 + GMT_SIZE
TIME_SIZE: Final = 8
PASSWORD_DIGITS: Final = 8
OFFLINE_DIGITS: Final = range(7, 11)
PID_SIZE: Final = 8
OTA_NOTIFY_SIZE: Final = PID_SIZE + 9
OTA_REQUEST_SIZE: Final = PID_SIZE + 6
OTA_RESULT_SIZE: Final = PID_SIZE + 2

# The answer to a DP report or a record: 0x10 "received" (docs/PHASE1_...
# section 4); 0x00 for "not taken" is assumed.
REPORT_RECEIVED: Final = 0x10
REPORT_REFUSED: Final = 0x00
OK: Final = 0x00
FAILED: Final = 0x01


class SerialCommand(IntEnum):
    """The standard's serial commands."""

    WAKE = 0x00  # both ways
    PRODUCT_INFO = 0x01  # module asks, MCU answers
    NETWORK_QUERY = 0x02  # MCU asks the module's network status
    RESET = 0x03  # MCU resets the module
    DP_COMMAND = 0x04  # module to MCU
    DP_REPORT = 0x05  # MCU to module
    NETWORK_STATUS = 0x06  # module tells the MCU
    DYNAMIC_PASSWORD = 0x07  # MCU asks the module to check one
    OFFLINE_PASSWORD = 0x08  # MCU asks the module to check one
    MODULE_TEST = 0x09  # MCU tests the module
    MCU_VERSION = 0x0A  # module asks
    OTA_NOTIFY = 0x0B  # module to MCU
    OTA_BLOCK = 0x0C  # MCU asks for a block
    OTA_RESULT = 0x0D  # MCU reports
    RECORD = 0x23  # MCU to module, timestamped
    TIME = 0x24  # MCU asks; the module answers or pushes


class NetworkStatus(IntEnum):
    """The module's network status (0x02 answer, 0x06)."""

    NO_GATEWAY = 0x00
    GATEWAY = 0x01
    SERVER = 0x02
    GATEWAY_AND_SERVER = 0x03
    NO_SERVER = 0x04
    GATEWAY_NO_SERVER = 0x05


CONNECTED: Final = frozenset(
    {
        NetworkStatus.GATEWAY,
        NetworkStatus.GATEWAY_AND_SERVER,
        NetworkStatus.GATEWAY_NO_SERVER,
    }
)


class BadPayload(ValueError):
    """A command's data does not have its layout."""


def _size(data: bytes, size: int, what: str) -> bytes:
    if len(data) != size:
        raise BadPayload(f"{what}: {len(data)} bytes, not {size}")
    return data


# -- product information (0x01) ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProductInfo:
    """The MCU's product id, version and whether it takes MCU updates."""

    pid: str
    version: str
    ota: bool = True

    def encode(self) -> bytes:
        """Return JSON ``{"p":…,"v":…}`` and the OTA flag byte."""
        text = json.dumps({"p": self.pid, "v": self.version}, separators=(",", ":"))
        return text.encode() + bytes((int(self.ota),))


def decode_product_info(data: bytes) -> ProductInfo:
    """Read the MCU's answer to 0x01."""
    text, ota = (
        (data[:-1], data[-1]) if data.endswith((b"\x00", b"\x01")) else (data, 0)
    )
    try:
        fields = json.loads(text)
        return ProductInfo(str(fields["p"]), str(fields["v"]), bool(ota))
    except (ValueError, KeyError, TypeError) as err:
        raise BadPayload(f"product information: {err}") from err


# -- records (0x23) and time (0x24) -----------------------------------------------


@dataclass(frozen=True, slots=True)
class Record:
    """A record: whose clock (flag: 0 gateway, 1 MCU), GMT seconds, DP units."""

    flag: int
    gmt: int
    units: bytes

    def encode(self) -> bytes:
        """Return flag, GMT and units."""
        return bytes((self.flag,)) + self.gmt.to_bytes(GMT_SIZE) + self.units


def decode_record(data: bytes) -> Record:
    """Read a 0x23 record."""
    if len(data) < RECORD_HEAD:
        raise BadPayload(f"record of {len(data)} bytes")
    return Record(data[0], int.from_bytes(data[1:RECORD_HEAD]), data[RECORD_HEAD:])


def encode_time(gmt: int, local: int) -> bytes:
    """Return the module's 0x24: GMT seconds and local seconds."""
    return gmt.to_bytes(GMT_SIZE) + local.to_bytes(GMT_SIZE)


def decode_time(data: bytes) -> tuple[int, int]:
    """Read a 0x24 time: GMT and local seconds."""
    _size(data, TIME_SIZE, "time")
    return int.from_bytes(data[:GMT_SIZE]), int.from_bytes(data[GMT_SIZE:])


# -- passwords the module checks (0x07, 0x08) -------------------------------------


@dataclass(frozen=True, slots=True)
class DynamicPassword:
    """0x07: a dynamic password typed at `gmt`, and the admin passwords."""

    gmt: int
    password: str
    admins: tuple[str, ...] = ()

    def encode(self) -> bytes:
        """Return GMT, 8 digits, the admin count and length-prefixed admins."""
        admins = b"".join(bytes((len(a),)) + a.encode() for a in self.admins)
        return (
            self.gmt.to_bytes(GMT_SIZE)
            + self.password.encode()
            + bytes((len(self.admins),))
            + admins
        )


def decode_dynamic_password(data: bytes) -> DynamicPassword:
    """Read a 0x07 request."""
    head = GMT_SIZE + PASSWORD_DIGITS
    if len(data) < head + 1:
        raise BadPayload(f"dynamic password of {len(data)} bytes")
    admins: list[str] = []
    pos = head + 1
    for _ in range(data[head]):
        if pos >= len(data) or pos + 1 + data[pos] > len(data):
            raise BadPayload("an admin password runs past the end")
        admins.append(data[pos + 1 : pos + 1 + data[pos]].decode(errors="replace"))
        pos += 1 + data[pos]
    if pos != len(data):
        raise BadPayload("bytes after the admin passwords")
    password = data[GMT_SIZE:head].decode(errors="replace")
    return DynamicPassword(int.from_bytes(data[:GMT_SIZE]), password, tuple(admins))


@dataclass(frozen=True, slots=True)
class OfflinePassword:
    """0x08: an offline password of 7-10 digits typed at `gmt`."""

    gmt: int
    password: str

    def encode(self) -> bytes:
        """Return GMT and the digits."""
        return self.gmt.to_bytes(GMT_SIZE) + self.password.encode()


def decode_offline_password(data: bytes) -> OfflinePassword:
    """Read a 0x08 request."""
    if len(data) - GMT_SIZE not in OFFLINE_DIGITS:
        raise BadPayload(f"offline password of {len(data)} bytes")
    return OfflinePassword(
        int.from_bytes(data[:GMT_SIZE]), data[GMT_SIZE:].decode(errors="replace")
    )


# -- MCU OTA (0x0B - 0x0D) -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OtaOffer:
    """0x0B: an image for product `pid`, `version`, `size` bytes."""

    pid: bytes
    version: int
    size: int
    checksum: int

    def encode(self) -> bytes:
        """Return pid, version, size and checksum."""
        return (
            self.pid
            + bytes((self.version,))
            + self.size.to_bytes(4)
            + self.checksum.to_bytes(4)
        )


def decode_ota_offer(data: bytes) -> OtaOffer:
    """Read a 0x0B notify."""
    _size(data, OTA_NOTIFY_SIZE, "OTA notify")
    return OtaOffer(
        data[:PID_SIZE],
        data[PID_SIZE],
        int.from_bytes(data[9:13]),
        int.from_bytes(data[13:17]),
    )


@dataclass(frozen=True, slots=True)
class OtaBlockRequest:
    """0x0C from the MCU: `length` bytes at `offset`."""

    pid: bytes
    version: int
    offset: int
    length: int

    def encode(self) -> bytes:
        """Return pid, version, offset and length."""
        return (
            self.pid
            + bytes((self.version,))
            + self.offset.to_bytes(4)
            + bytes((self.length,))
        )


def decode_ota_block_request(data: bytes) -> OtaBlockRequest:
    """Read a 0x0C request."""
    _size(data, OTA_REQUEST_SIZE, "OTA block request")
    return OtaBlockRequest(
        data[:PID_SIZE], data[PID_SIZE], int.from_bytes(data[9:13]), data[13]
    )


@dataclass(frozen=True, slots=True)
class OtaBlock:
    """The module's answer to 0x0C: status (0 ok) and the bytes."""

    status: int
    pid: bytes
    version: int
    offset: int
    data: bytes

    def encode(self) -> bytes:
        """Return status, pid, version, offset and data."""
        return (
            bytes((self.status,))
            + self.pid
            + bytes((self.version,))
            + self.offset.to_bytes(4)
            + self.data
        )


def decode_ota_block(data: bytes) -> OtaBlock:
    """Read the answer to 0x0C."""
    if len(data) < 1 + OTA_REQUEST_SIZE - 1:
        raise BadPayload(f"OTA block of {len(data)} bytes")
    return OtaBlock(data[0], data[1:9], data[9], int.from_bytes(data[10:14]), data[14:])


@dataclass(frozen=True, slots=True)
class OtaResult:
    """0x0D: the MCU's update result (0 ok)."""

    status: int
    pid: bytes
    version: int

    def encode(self) -> bytes:
        """Return status, pid and version."""
        return bytes((self.status,)) + self.pid + bytes((self.version,))


def decode_ota_result(data: bytes) -> OtaResult:
    """Read a 0x0D result."""
    _size(data, OTA_RESULT_SIZE, "OTA result")
    return OtaResult(data[0], data[1:9], data[9])
