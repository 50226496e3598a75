"""Serving an MCU firmware image block by block (0x12 - 0x15).

The caller provides the image, its 8-byte Tuya product id, its version byte
and its checksum: the checksum algorithm of the notify frame is not public,
so it is passed through as given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from .commands import OTA_PID_SIZE, McuOtaBlockRequest, McuOtaBlockResponse

OTA_STATUS_OK: Final = 0x00
OTA_STATUS_FAILED: Final = 0x01


@dataclass(frozen=True, slots=True)
class McuOtaImage:
    """An MCU firmware image to send to the lock."""

    pid: bytes
    version: int
    data: bytes = field(repr=False)
    checksum: int

    def __post_init__(self) -> None:
        """Check the product id size."""
        if len(self.pid) != OTA_PID_SIZE:
            raise ValueError(f"the product id must be {OTA_PID_SIZE} bytes")


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
