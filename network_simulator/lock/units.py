"""DP units, the lock's datapoints on the serial line and over the air.

Tuya's standard (shared/seeds/004, DP 数据格式): DPID (1), type (1), length
(2, big-endian), value; a value of 4 bytes is a big-endian int, a bool or an
enum one byte, a bitmap 1, 2 or 4 bytes, raw and string any length.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Final

UNIT_HEAD: Final = 4


class UnitType(IntEnum):
    """The standard's value types."""

    RAW = 0x00
    BOOL = 0x01
    VALUE = 0x02
    STRING = 0x03
    ENUM = 0x04
    BITMAP = 0x05


FIXED_SIZES: Final = {UnitType.BOOL: 1, UnitType.VALUE: 4, UnitType.ENUM: 1}
BITMAP_SIZES: Final = (1, 2, 4)


class BadUnits(ValueError):
    """The bytes are not a run of whole, well-sized DP units."""


@dataclass(frozen=True, slots=True)
class Unit:
    """One DP unit; `raw` is the encoded value."""

    dpid: int
    type: int
    raw: bytes

    @property
    def number(self) -> int:
        """Return the value as an integer (signed for VALUE)."""
        return int.from_bytes(self.raw, signed=self.type == UnitType.VALUE)

    @property
    def value(self) -> bool | int | str | bytes:
        """Return the value: bool, int, str, or bytes for raw and unknown types."""
        match self.type:
            case UnitType.BOOL:
                return self.raw != b"\x00"
            case UnitType.VALUE | UnitType.ENUM | UnitType.BITMAP:
                return self.number
            case UnitType.STRING:
                return self.raw.decode(errors="replace")
        return self.raw


def raw(dpid: int, value: bytes) -> Unit:
    """Return a raw unit."""
    return Unit(dpid, UnitType.RAW, value)


def boolean(dpid: int, value: bool) -> Unit:
    """Return a bool unit."""
    return Unit(dpid, UnitType.BOOL, bytes((int(value),)))


def value(dpid: int, number: int) -> Unit:
    """Return a 4-byte value unit."""
    return Unit(dpid, UnitType.VALUE, number.to_bytes(4, signed=True))


def enum(dpid: int, number: int) -> Unit:
    """Return an enum unit."""
    return Unit(dpid, UnitType.ENUM, bytes((number,)))


def encode_units(units: Iterable[Unit]) -> bytes:
    """Return the bytes of a run of units."""
    return b"".join(
        bytes((unit.dpid, unit.type)) + len(unit.raw).to_bytes(2) + unit.raw
        for unit in units
    )


def decode_units(data: bytes) -> list[Unit]:
    """Read a run of units that fills `data`; raises `BadUnits`."""
    units: list[Unit] = []
    pos = 0
    while pos < len(data):
        if len(data) - pos < UNIT_HEAD:
            raise BadUnits(f"a unit header is cut at byte {pos}")
        dpid, kind = data[pos], data[pos + 1]
        end = pos + UNIT_HEAD + int.from_bytes(data[pos + 2 : pos + 4])
        if end > len(data):
            raise BadUnits(f"DP {dpid} runs past the end")
        unit = Unit(dpid, kind, data[pos + UNIT_HEAD : end])
        expected = FIXED_SIZES.get(UnitType(kind)) if kind in UnitType else None
        if expected is not None and len(unit.raw) != expected:
            raise BadUnits(f"DP {dpid} has {len(unit.raw)} bytes, not {expected}")
        if kind == UnitType.BITMAP and len(unit.raw) not in BITMAP_SIZES:
            raise BadUnits(f"DP {dpid} is a bitmap of {len(unit.raw)} bytes")
        units.append(unit)
        pos = end
    return units
