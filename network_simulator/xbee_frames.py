"""XBee API-mode framing: start delimiter, length, escaped data and checksum."""

from __future__ import annotations

from dataclasses import dataclass, field
import logging
from typing import Final

_LOGGER = logging.getLogger(__name__)

START: Final = 0x7E
ESCAPE: Final = 0x7D
XON: Final = 0x11
XOFF: Final = 0x13
RESERVED: Final = frozenset({START, ESCAPE, XON, XOFF})

# Frame types, host to radio.
AT_COMMAND: Final = 0x08
QUEUED_AT_COMMAND: Final = 0x09
TRANSMIT_REQUEST: Final = 0x10
EXPLICIT_TRANSMIT: Final = 0x11
REMOTE_AT_COMMAND: Final = 0x17
CREATE_SOURCE_ROUTE: Final = 0x21
REGISTER_JOINING_DEVICE: Final = 0x24

# Frame types, radio to host.
AT_RESPONSE: Final = 0x88
MODEM_STATUS: Final = 0x8A
TRANSMIT_STATUS: Final = 0x8B
EXPLICIT_RECEIVE: Final = 0x91
REMOTE_AT_RESPONSE: Final = 0x97
REGISTRATION_STATUS: Final = 0xA4


def checksum(data: bytes) -> int:
    """Return the XBee checksum of a frame's data."""
    return 0xFF - (sum(data) & 0xFF)


def escape(data: bytes) -> bytes:
    """Escape the reserved bytes (API mode 2)."""
    out = bytearray()
    for byte in data:
        if byte in RESERVED:
            out += bytes((ESCAPE, byte ^ 0x20))
        else:
            out.append(byte)
    return bytes(out)


def encode_frame(data: bytes) -> bytes:
    """Wrap frame data in a start delimiter, length and checksum, escaped."""
    body = len(data).to_bytes(2, "big") + data + bytes((checksum(data),))
    return bytes((START,)) + escape(body)


@dataclass
class FrameDecoder:
    """Turns a byte stream into frames, resynchronising on the next start delimiter.

    Garbage between frames, bad checksums and truncated frames are logged and
    skipped; decoding never raises.
    """

    _buffer: bytearray = field(default_factory=bytearray)
    errors: int = 0

    def feed(self, data: bytes) -> list[bytes]:
        """Add received bytes and return every complete, valid frame."""
        self._buffer += data
        frames: list[bytes] = []
        while (frame := self._next_frame()) is not None:
            frames.append(frame)
        return frames

    def _next_frame(self) -> bytes | None:
        """Return the next valid frame, or None when more bytes are needed."""
        while True:
            start = self._buffer.find(START)
            if start < 0:
                if self._buffer:
                    self._discard(len(self._buffer), "bytes without a start delimiter")
                return None
            if start > 0:
                self._discard(start, "bytes before the start delimiter")
            match self._scan():
                case bytes() as frame:
                    return frame
                case None:
                    return None
                case _:
                    continue

    def _scan(self) -> bytes | bool | None:
        """Scan the frame at the buffer's start.

        Returns the frame, None when it is incomplete, or False when bytes were
        discarded and scanning should restart.
        """
        unescaped = bytearray()
        index = 1
        while index < len(self._buffer):
            byte = self._buffer[index]
            if byte == START:
                # A new frame starts before this one completed: it was truncated.
                self._discard(index, "bytes of a truncated frame")
                return False
            if byte == ESCAPE:
                if index + 1 >= len(self._buffer):
                    return None
                index += 1
                byte = self._buffer[index] ^ 0x20
            unescaped.append(byte)
            index += 1
            if len(unescaped) >= 2:
                length = int.from_bytes(unescaped[:2], "big")
                if len(unescaped) == length + 3:
                    del self._buffer[:index]
                    data = bytes(unescaped[2:-1])
                    if checksum(data) == unescaped[-1]:
                        return data
                    self.errors += 1
                    _LOGGER.warning("Dropped an XBee frame with a bad checksum")
                    return False
        return None

    def _discard(self, count: int, reason: str) -> None:
        self.errors += 1
        _LOGGER.warning("Dropped %d %s", count, reason)
        del self._buffer[:count]
