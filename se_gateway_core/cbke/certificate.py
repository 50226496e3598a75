"""The crypto suite 1 implicit certificate: 48 bytes, no signature.

Layout (ZigBee SE 07-5356 Annex C, certificate format for suite 1):
public-key reconstruction data (a compressed point, 22 bytes) | subject
(IEEE address, 8 bytes, big-endian) | issuer (8 bytes) | profile attribute
data (10 bytes). Wireshark's dissector reads the same fields in that order
(``dissect_zcl_ke_suite1_certificate``, epan/dissectors/packet-zbee-zcl-se.c).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Self

from .suite import IEEE_LENGTH, SUITE_1

RECONSTRUCTION_LENGTH: Final = SUITE_1.curve.point_length
ISSUER_LENGTH: Final = 8
PROFILE_ATTRIBUTE_LENGTH: Final = 10


class CertificateError(ValueError):
    """A certificate that cannot be used: wrong size, bad point, wrong key."""


@dataclass(frozen=True)
class ImplicitCertificate:
    """The fields of a suite 1 certificate."""

    reconstruction_data: bytes
    subject: bytes
    issuer: bytes
    profile_attributes: bytes

    def __post_init__(self) -> None:
        """Check every field's size."""
        sizes = (
            ("reconstruction_data", RECONSTRUCTION_LENGTH),
            ("subject", IEEE_LENGTH),
            ("issuer", ISSUER_LENGTH),
            ("profile_attributes", PROFILE_ATTRIBUTE_LENGTH),
        )
        for name, size in sizes:
            if len(getattr(self, name)) != size:
                raise CertificateError(f"The certificate's {name} is not {size} bytes")

    @classmethod
    def from_bytes(cls, data: bytes) -> Self:
        """Split a 48-byte certificate into its fields."""
        if len(data) != SUITE_1.certificate_length:
            raise CertificateError(
                f"A certificate is {SUITE_1.certificate_length} bytes, not {len(data)}"
            )

        subject_at = RECONSTRUCTION_LENGTH
        issuer_at = subject_at + IEEE_LENGTH
        profile_at = issuer_at + ISSUER_LENGTH
        return cls(
            reconstruction_data=bytes(data[:subject_at]),
            subject=bytes(data[subject_at:issuer_at]),
            issuer=bytes(data[issuer_at:profile_at]),
            profile_attributes=bytes(data[profile_at:]),
        )

    def to_bytes(self) -> bytes:
        """Return the 48-byte certificate."""
        return (
            self.reconstruction_data
            + self.subject
            + self.issuer
            + self.profile_attributes
        )
