"""The crypto suite a Key Establishment exchange runs, and its sizes.

ZigBee Smart Energy 07-5356, Annex C: the KeyEstablishmentSuite bitmap names
suites by bit; suite 1 (bit 0) is ECMQV with ECQV implicit certificates on
sect163k1, AES-MMO as hash. Its certificate is 48 bytes, its ephemeral data a
22-byte compressed point, its MACs 16 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from .curve import BinaryCurve
from .params import SECT163K1

MAC_LENGTH: Final = 16
IEEE_LENGTH: Final = 8


@dataclass(frozen=True)
class CryptoSuite:
    """A Key Establishment suite: its bit, its curve and its message sizes."""

    suite_id: int
    curve: BinaryCurve
    certificate_length: int

    @property
    def ephemeral_data_length(self) -> int:
        """Return the size of an ephemeral public key: a compressed point."""
        return self.curve.point_length

    @property
    def mac_length(self) -> int:
        """Return the size of the key confirmation MACs."""
        return MAC_LENGTH


SUITE_1: Final = CryptoSuite(suite_id=0x0001, curve=SECT163K1, certificate_length=48)
