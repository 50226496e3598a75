"""ECQV: the public key an implicit certificate stands for (SEC 4 v1.0).

SEC 4 §3.5 (Cert PK Extraction): Q_U = e P_U + Q_CA, where P_U is the
certificate's reconstruction point and e = H_n(Cert_U), the hash of the whole
certificate as an integer (§2.3, "Hashing to Integers Modulo n"). ZigBee SE
Annex C uses AES-MMO as the hash; its 128 bits are fewer than log2(n), so e is
the hash read as a big-endian integer, untruncated.
"""

from __future__ import annotations

from .aes_mmo import aes_mmo_hash
from .certificate import CertificateError, ImplicitCertificate
from .curve import Point, PointDecodeError
from .suite import SUITE_1, CryptoSuite


def certificate_hash(certificate: bytes, order: int) -> int:
    """Return e = H_n(certificate): the leftmost floor(log2 n) bits of the hash.

    The AES-MMO hash (128 bits) is never longer than that for the ZigBee
    curves, so nothing is cut.
    """
    digest = int.from_bytes(aes_mmo_hash(certificate))
    excess = 8 * 16 - (order.bit_length() - 1)
    return digest >> excess if excess > 0 else digest


def reconstruct_public_key(
    certificate: bytes, ca_public_key: Point, suite: CryptoSuite = SUITE_1
) -> Point:
    """Return the subject's public key Q_U = e P_U + Q_CA.

    Raises ``CertificateError`` for a certificate of the wrong size, a
    reconstruction point not on the curve, or a key at infinity.
    """
    curve = suite.curve
    fields = ImplicitCertificate.from_bytes(certificate)

    try:
        reconstruction_point = curve.decode(fields.reconstruction_data)
    except PointDecodeError as exc:
        raise CertificateError(f"Bad public-key reconstruction data: {exc}") from exc

    e = certificate_hash(certificate, curve.order)
    key = curve.add(curve.multiply(e, reconstruction_point), ca_public_key)

    if key is None:
        raise CertificateError("The certificate reconstructs the point at infinity")
    return key
