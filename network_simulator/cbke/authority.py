"""A tiny ECQV certificate authority for tests and the demo (SEC 4 v1.0).

Issues crypto suite 1 implicit certificates (48 bytes: reconstruction point
22 | subject 8 | issuer 8 | profile attribute data 10, ZigBee SE Annex C)
for any IEEE address, together with the subject's private key:

- Cert Request (§3.3): the subject draws k_U, sends R_U = k_U G.
- Cert Generate (§3.4): the CA draws k, P_U = R_U + k G, writes the
  certificate around P_U, e = H_n(Cert_U) and r = e k + d_CA (mod n).
- Cert Reception (§3.6): d_U = e k_U + r (mod n); the subject checks
  d_U G = e P_U + Q_CA (Cert PK Extraction, §3.5).

H_n here is AES-MMO read as a big-endian integer: 128 bits, fewer than
floor(log2 n) = 162, so nothing is cut (§2.3). Both parties run in one
process; a real CA never sees k_U.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
import secrets

from . import ec163
from .mmo import mmo_hash

DEFAULT_ISSUER = b"SIMUL-CA"
# The profile attribute data of the ZigBee SE Annex C.5 test certificates
DEFAULT_PROFILE_ATTRIBUTES = bytes.fromhex("01090006000000000000")
IEEE_BYTES = 8
CERTIFICATE_BYTES = 48

type ScalarSource = Callable[[], int]


def random_scalar() -> int:
    """Return a random integer in [1, n-1] (32 random bytes reduced)."""
    return secrets.randbelow(ec163.N - 1) + 1


def certificate_hash(certificate: bytes) -> int:
    """Return e = H_n(Cert): the AES-MMO digest as an integer."""
    return int.from_bytes(mmo_hash(certificate), "big")


class CertificateRejected(ValueError):
    """A certificate whose public key cannot be extracted."""


def extract_public_key(certificate: bytes, ca_public_key: bytes) -> tuple[int, int]:
    """Return Q_U = e P_U + Q_CA (SEC 4 §3.5)."""
    if len(certificate) != CERTIFICATE_BYTES:
        raise CertificateRejected("a certificate is 48 bytes")
    try:
        reconstruction = ec163.decompress(certificate[:22])
        ca_point = ec163.decompress(ca_public_key)
    except ec163.BadPoint as exc:
        raise CertificateRejected(str(exc)) from exc
    point = ec163.point_add(
        ec163.scalar_mult(certificate_hash(certificate), reconstruction), ca_point
    )
    if point is None:
        raise CertificateRejected("the public key is the point at infinity")
    return point


@dataclass(frozen=True)
class IssuedCertificate:
    """A certificate and the private key of its subject."""

    certificate: bytes
    private_key: int = field(repr=False)

    @property
    def subject(self) -> bytes:
        """Return the subject's IEEE address, big-endian."""
        return self.certificate[22:30]

    def private_key_hex(self) -> str:
        """Return the private key as 21 bytes of hex."""
        return self.private_key.to_bytes(21, "big").hex()


@dataclass(frozen=True)
class CertificateAuthority:
    """A CA key pair and the 8-byte issuer id it writes into certificates."""

    private_key: int = field(repr=False)
    issuer: bytes = DEFAULT_ISSUER

    def __post_init__(self) -> None:
        """Check the key and issuer."""
        if not 0 < self.private_key < ec163.N:
            raise ValueError("CA private key out of range")
        if len(self.issuer) != IEEE_BYTES:
            raise ValueError("the issuer id is 8 bytes")

    @classmethod
    def generate(
        cls, issuer: bytes = DEFAULT_ISSUER, scalar: ScalarSource = random_scalar
    ) -> CertificateAuthority:
        """Return a CA with a fresh key pair."""
        return cls(private_key=scalar(), issuer=issuer)

    @property
    def public_key(self) -> bytes:
        """Return the CA's public key, compressed (22 bytes)."""
        point = ec163.scalar_mult(self.private_key, ec163.G)
        assert point is not None
        return ec163.compress(point)

    def issue(
        self,
        subject: bytes,
        *,
        profile_attributes: bytes = DEFAULT_PROFILE_ATTRIBUTES,
        scalar: ScalarSource = random_scalar,
    ) -> IssuedCertificate:
        """Run Cert Request, Cert Generate and Cert Reception for ``subject``."""
        if len(subject) != IEEE_BYTES:
            raise ValueError("the subject is an 8-byte IEEE address")
        if len(profile_attributes) != 10:
            raise ValueError("profile attribute data is 10 bytes")

        # Cert Request (subject)
        request_key = scalar()
        request_point = ec163.scalar_mult(request_key, ec163.G)

        # Cert Generate (CA)
        while True:
            k = scalar()
            reconstruction = ec163.point_add(
                request_point, ec163.scalar_mult(k, ec163.G)
            )
            if reconstruction is not None:
                break
        certificate = (
            ec163.compress(reconstruction) + subject + self.issuer + profile_attributes
        )
        e = certificate_hash(certificate)
        r = (e * k + self.private_key) % ec163.N

        # Cert Reception (subject)
        private_key = (e * request_key + r) % ec163.N
        expected = extract_public_key(certificate, self.public_key)
        if ec163.scalar_mult(private_key, ec163.G) != expected:
            raise CertificateRejected("the reconstructed key does not match")
        return IssuedCertificate(certificate=certificate, private_key=private_key)
