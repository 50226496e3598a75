"""The byte stream between the lock MCU and the Zigbee module.

Two one-way byte queues. Whatever one side writes reaches the other only as
bytes, read in chunks of any size and reassembled by that side's
`FrameReader`: every message is serialised and parsed. A tap keeps a copy
of each direction, and `inject` puts noise on the wire.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Wire:
    """One direction of the line."""

    pending: bytearray = field(default_factory=bytearray)
    tap: bytearray = field(default_factory=bytearray)

    def write(self, data: bytes) -> None:
        """Put bytes on the wire."""
        self.pending += data
        self.tap += data

    def read(self, size: int = 64) -> bytes:
        """Take up to `size` bytes off the wire."""
        chunk = bytes(self.pending[:size])
        del self.pending[:size]
        return chunk


@dataclass
class SerialLine:
    """The UART: MCU to module and module to MCU."""

    to_module: Wire = field(default_factory=Wire)
    to_mcu: Wire = field(default_factory=Wire)

    @property
    def busy(self) -> bool:
        """Return True while bytes are on the way."""
        return bool(self.to_module.pending or self.to_mcu.pending)

    def inject(self, noise: bytes, *, to_module: bool = True) -> None:
        """Put noise on one direction of the line."""
        (self.to_module if to_module else self.to_mcu).write(noise)
