"""Serving an MCU firmware image block by block (0x12 - 0x15).

The caller provides the image, its 8-byte Tuya product id, its version byte
and its checksum: the checksum algorithm of the notify frame is not public,
so it is passed through as given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import re
from typing import Final

from .commands import OTA_PID_SIZE, McuOtaBlockRequest, McuOtaBlockResponse

OTA_STATUS_OK: Final = 0x00
OTA_STATUS_FAILED: Final = 0x01
CHECKSUM_MAX: Final = 0xFFFFFFFF

_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


@dataclass(frozen=True, slots=True)
class McuOtaImage:
    """An MCU firmware image to send to the lock."""

    pid: bytes
    version: int
    data: bytes = field(repr=False)
    checksum: int

    def __post_init__(self) -> None:
        """Check the product id size and the checksum range."""
        if len(self.pid) != OTA_PID_SIZE:
            raise ValueError(f"the product id must be {OTA_PID_SIZE} bytes")
        if not 0 <= self.checksum <= CHECKSUM_MAX:
            raise ValueError("the checksum must fit in 4 bytes")


@dataclass(frozen=True, slots=True)
class McuOtaOutcome:
    """What an MCU update ended with: the lock's status and the bytes served."""

    status: int
    bytes_sent: int

    @property
    def success(self) -> bool:
        """Return True when the lock reported success."""
        return self.status == OTA_STATUS_OK


def version_byte(version: str) -> int:
    """Encode "major.minor.release" (2, 2 and 4 bits) as the standard's byte."""
    match = _VERSION.fullmatch(version.strip())
    if match is None:
        raise ValueError("the version must look like 1.0.2")
    major, minor, release = (int(part) for part in match.groups())
    if major > 0b11 or minor > 0b11 or release > 0b1111:
        raise ValueError("the version is major 0-3, minor 0-3, release 0-15")
    return major << 6 | minor << 4 | release


def product_id(manufacturer: str | None) -> bytes | None:
    """Return the 8-character product id at the end of a Tuya manufacturer id."""
    pid = (manufacturer or "").rpartition("_")[2]
    if len(pid) != OTA_PID_SIZE or not pid.isascii():
        return None
    return pid.encode("ascii")


def block_response(
    image: McuOtaImage | None, request: McuOtaBlockRequest
) -> McuOtaBlockResponse:
    """Answer a block request: the bytes asked for, or a failure status."""
    if (
        image is None
        or request.pid != image.pid
        or request.version != image.version
        or request.offset >= len(image.data)
    ):
        status, data = OTA_STATUS_FAILED, b""
    else:
        status = OTA_STATUS_OK
        data = image.data[request.offset : request.offset + request.length]
    return McuOtaBlockResponse(
        request.seq, status, request.pid, request.version, request.offset, data
    )
