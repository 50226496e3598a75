"""Install-time check of the gateway's certificate, private key and CA key.

SEC 4 v1.0 §3.6 (Cert Reception): the private key d_U must satisfy
d_U G = e P_U + Q_CA, the public key the certificate reconstructs.
"""

from __future__ import annotations

import pytest

from network_simulator.cbke import IssuedCertificate
from se_gateway_core.cbke import (
    CertificateError,
    ImplicitCertificate,
    LocalCredentials,
    validate_installed_certificate,
)
from se_gateway_core.cbke.keys import (
    private_key_from_bytes,
    private_key_to_bytes,
    random_private_key,
)
from se_gateway_core.cbke.params import SECT163K1

from . import vectors as c5
from .helpers import x_without_point


@pytest.mark.parametrize(
    ("certificate", "private_key", "public_key"),
    [
        (c5.V_CERTIFICATE, c5.V_PRIVATE, c5.V_PUBLIC),
        (c5.U_CERTIFICATE, c5.U_PRIVATE, c5.U_PUBLIC),
    ],
    ids=["V", "U"],
)
def test_annex_credentials_are_valid(
    certificate: bytes, private_key: int, public_key: bytes
) -> None:
    credentials = validate_installed_certificate(
        certificate, private_key, c5.CA_PUBLIC_KEY
    )

    assert SECT163K1.encode(credentials.public_key) == public_key
    assert credentials.ieee == certificate[22:30]
    assert credentials.issuer == c5.ISSUER


def test_swapped_private_key_is_refused() -> None:
    with pytest.raises(CertificateError, match="does not match"):
        validate_installed_certificate(c5.V_CERTIFICATE, c5.U_PRIVATE, c5.CA_PUBLIC_KEY)


def test_other_ca_key_is_refused() -> None:
    point = SECT163K1.multiply(12345, SECT163K1.generator)
    assert point is not None
    other_ca = SECT163K1.encode(point)

    with pytest.raises(CertificateError, match="does not match"):
        validate_installed_certificate(c5.V_CERTIFICATE, c5.V_PRIVATE, other_ca)


def test_one_changed_byte_is_refused() -> None:
    """Any byte of the certificate goes into e: profile data included."""
    changed = c5.V_CERTIFICATE[:-1] + b"\x01"

    with pytest.raises(CertificateError, match="does not match"):
        validate_installed_certificate(changed, c5.V_PRIVATE, c5.CA_PUBLIC_KEY)


@pytest.mark.parametrize(
    "private_key", [0, SECT163K1.order, -1], ids=["zero", "n", "negative"]
)
def test_private_key_out_of_range(private_key: int) -> None:
    with pytest.raises(CertificateError, match=r"\[1, n-1\]"):
        validate_installed_certificate(c5.V_CERTIFICATE, private_key, c5.CA_PUBLIC_KEY)


@pytest.mark.parametrize("length", [0, 47, 49, 74])
def test_certificate_size(length: int) -> None:
    with pytest.raises(CertificateError, match="48 bytes"):
        validate_installed_certificate(bytes(length), c5.V_PRIVATE, c5.CA_PUBLIC_KEY)


def test_bad_ca_key() -> None:
    with pytest.raises(CertificateError, match="CA public key"):
        validate_installed_certificate(
            c5.V_CERTIFICATE, c5.V_PRIVATE, b"\x03" + x_without_point()
        )


def test_bad_reconstruction_point() -> None:
    certificate = b"\x02" + x_without_point() + c5.V_CERTIFICATE[22:]

    with pytest.raises(CertificateError, match="reconstruction"):
        validate_installed_certificate(certificate, c5.V_PRIVATE, c5.CA_PUBLIC_KEY)


def test_certificate_fields_have_their_sizes() -> None:
    with pytest.raises(CertificateError, match="subject"):
        ImplicitCertificate(bytes(22), bytes(7), bytes(8), bytes(10))


def test_simulator_issued_certificates_are_valid(
    sim_ca_public_key: bytes, gateway_cert: IssuedCertificate
) -> None:
    credentials = validate_installed_certificate(
        gateway_cert.certificate, gateway_cert.private_key, sim_ca_public_key
    )

    assert credentials.issuer == b"SIMUL-CA"
    assert isinstance(credentials, LocalCredentials)


def test_private_key_bytes() -> None:
    encoded = private_key_to_bytes(SECT163K1, c5.V_PRIVATE)

    assert encoded.hex().upper() == "00B8A900FCADEBABBFA383B540FCE9ED438395EAA7"
    assert private_key_from_bytes(SECT163K1, encoded) == c5.V_PRIVATE
    with pytest.raises(ValueError, match="21 bytes"):
        private_key_from_bytes(SECT163K1, encoded[1:])
    with pytest.raises(ValueError, match=r"\[1, n-1\]"):
        private_key_from_bytes(SECT163K1, bytes(21))


def test_random_private_key_redraws_out_of_range() -> None:
    draws = iter([b"\xff" * 21, bytes(21), (7).to_bytes(21)])

    assert random_private_key(SECT163K1, lambda count: next(draws)) == 7
    with pytest.raises(RuntimeError, match="out of range"):
        random_private_key(SECT163K1, bytes)
