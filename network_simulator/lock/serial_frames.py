"""The UART frame between the lock MCU and the Zigbee module.

Tuya's Zigbee lock standard (shared/seeds/004, 串口协议)::

    55 AA | version 03 | sequence (2) | command (1) | length (2) | data | check

Multi-byte fields are big-endian; ``check`` is the sum of every byte before it
(from the 55) modulo 256. The sequence runs 1 to 0xFFF0; an answer carries the
sequence of the request. A wake frame is preceded by 7 zero bytes, which a
reader skips like any other byte outside a frame (the protocol summary of
the TY0A01 firmware project, EDIT-Aeterna/tuya-zigbee-lock-local,
docs/PHASE1_PROTOCOL_REPORT.md section 2).

`FrameReader` takes bytes as they come, one or many at a time. A candidate
frame with a wrong version, a length over `MAX_DATA` or a bad checksum is
dropped, and reading starts again at the byte after its ``55``; so garbage,
corrupt and cut-off frames cost only themselves. When the line falls idle,
`FrameReader.idle` gives up a frame still waiting for bytes the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

HEADER: Final = b"\x55\xaa"
VERSION: Final = 0x03
HEAD_SIZE: Final = 8
OVERHEAD: Final = HEAD_SIZE + 1
MAX_DATA: Final = 1024
MAX_SEQ: Final = 0xFFF0
WAKE_PREAMBLE: Final = bytes(7)


@dataclass(frozen=True, slots=True)
class SerialFrame:
    """One frame: its sequence, command and data."""

    seq: int
    command: int
    data: bytes = b""


def checksum(data: bytes) -> int:
    """Return the sum of `data` modulo 256."""
    return sum(data) & 0xFF


def encode(frame: SerialFrame) -> bytes:
    """Return the bytes of `frame`."""
    if len(frame.data) > MAX_DATA:
        raise ValueError(f"a frame carries at most {MAX_DATA} bytes")
    head = (
        HEADER
        + bytes((VERSION,))
        + frame.seq.to_bytes(2)
        + bytes((frame.command,))
        + len(frame.data).to_bytes(2)
    )
    body = head + frame.data
    return body + bytes((checksum(body),))


def next_seq(seq: int) -> int:
    """Return the sequence after `seq` (1 to 0xFFF0)."""
    return seq % MAX_SEQ + 1


class FrameReader:
    """Reassembles frames from a byte stream, dropping what is not a frame."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.dropped = 0

    def feed(self, data: bytes) -> list[SerialFrame]:
        """Take bytes from the line; return the frames they complete."""
        self._buffer += data
        return self._scan()

    def idle(self) -> list[SerialFrame]:
        """Give up what waits for more bytes: the line fell silent."""
        frames: list[SerialFrame] = []
        while self._buffer:
            if self._buffer.startswith(HEADER):
                self._reject()
            else:  # a lone trailing 55
                self.dropped += len(self._buffer)
                self._buffer.clear()
            frames += self._scan()
        return frames

    def _scan(self) -> list[SerialFrame]:
        frames: list[SerialFrame] = []
        while True:
            start = self._buffer.find(HEADER)
            if start < 0:
                # Keep a trailing 55: it may start a header.
                keep = 1 if self._buffer.endswith(HEADER[:1]) else 0
                self.dropped += len(self._buffer) - keep
                del self._buffer[: len(self._buffer) - keep]
                return frames
            self.dropped += start
            del self._buffer[:start]
            if len(self._buffer) < HEAD_SIZE:
                return frames
            size = int.from_bytes(self._buffer[6:8])
            if self._buffer[2] != VERSION or size > MAX_DATA:
                self._reject()
                continue
            if len(self._buffer) < OVERHEAD + size:
                return frames
            end = HEAD_SIZE + size
            if checksum(bytes(self._buffer[:end])) != self._buffer[end]:
                self._reject()
                continue
            frames.append(
                SerialFrame(
                    int.from_bytes(self._buffer[3:5]),
                    self._buffer[5],
                    bytes(self._buffer[HEAD_SIZE:end]),
                )
            )
            del self._buffer[: end + 1]

    def _reject(self) -> None:
        """Drop the 55 of a failed candidate; look again from the next byte."""
        self.dropped += 1
        del self._buffer[:1]
