"""The gateway's own CBKE material: certificate, private key, CA public key.

``LocalCredentials.validate`` is the install-time check: the private key must
be the one whose public key the certificate and the CA key reconstruct
(SEC 4 v1.0 §3.6, Cert Reception, step "verify Q_U = d_U G").
The private key never appears in ``repr`` and is never logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .certificate import CertificateError, ImplicitCertificate
from .curve import Point, PointDecodeError
from .ecqv import reconstruct_public_key
from .keys import check_private_key
from .suite import SUITE_1, CryptoSuite


@dataclass(frozen=True)
class LocalCredentials:
    """A certificate, its private key and the public key of its CA."""

    certificate: bytes
    private_key: int = field(repr=False)
    ca_public_key: bytes
    suite: CryptoSuite = SUITE_1

    @cached_property
    def fields(self) -> ImplicitCertificate:
        """Return the certificate's fields."""
        return ImplicitCertificate.from_bytes(self.certificate)

    @cached_property
    def ca_point(self) -> Point:
        """Return the CA's public key as a point."""
        try:
            return self.suite.curve.decode(self.ca_public_key)
        except PointDecodeError as exc:
            raise CertificateError(f"Bad CA public key: {exc}") from exc

    @cached_property
    def public_key(self) -> Point:
        """Return the public key the certificate stands for."""
        return reconstruct_public_key(self.certificate, self.ca_point, self.suite)

    @property
    def ieee(self) -> bytes:
        """Return the certificate's subject, big-endian."""
        return self.fields.subject

    @property
    def issuer(self) -> bytes:
        """Return the certificate's issuer."""
        return self.fields.issuer

    def validate(self) -> None:
        """Raise ``CertificateError`` unless the private key fits the certificate."""
        curve = self.suite.curve
        try:
            check_private_key(curve, self.private_key)
        except ValueError as exc:
            raise CertificateError(str(exc)) from None

        if curve.multiply(self.private_key, curve.generator) != self.public_key:
            raise CertificateError(
                "The private key does not match the public key of the certificate"
            )


def validate_installed_certificate(
    certificate: bytes,
    private_key: int,
    ca_public_key: bytes,
    suite: CryptoSuite = SUITE_1,
) -> LocalCredentials:
    """Return the credentials if the private key fits the certificate and CA.

    Raises ``CertificateError`` otherwise.
    """
    credentials = LocalCredentials(certificate, private_key, ca_public_key, suite)
    credentials.validate()
    return credentials
