"""Reading a certificate installation: the manual's Appendix B, three values.

Certicom issues a device's test certificate as ``name: hex`` lines::

    CA Public Key: 0200fde8a7f3d1084224962a4e7c54e69ac3f04da6b8
    Device Implicit Cert: 0203...
    Device Private Key: 00b8a900fcadeb...
    Device Public Key: 0300...

``python -m network_simulator.cbke issue`` writes the same values as
``ca_public_key:``, ``certificate:`` and ``private_key:`` lines. Both are read
here (names are matched without case, spaces or underscores; the public key
line is ignored: the certificate and the CA key give it). ``parse_installation``
then checks the installation: the private key must be the one whose public
key the certificate and the CA key reconstruct.
"""

from __future__ import annotations

from dataclasses import dataclass
import re
from typing import Final

from .certificate import CertificateError
from .credentials import LocalCredentials, validate_installed_certificate
from .suite import SUITE_1

_NOT_HEX: Final = re.compile(r"[\s:\-]")
_NAMES: Final = {
    "capublickey": "ca_public_key",
    "deviceimplicitcert": "certificate",
    "implicitcert": "certificate",
    "certificate": "certificate",
    "deviceprivatekey": "private_key",
    "privatekey": "private_key",
}
PRIVATE_KEY_LENGTH: Final = 21


class InstallationError(ValueError):
    """An installation that cannot be used; ``problem`` says which check failed.

    Problems: ``missing`` and ``not_hex`` (with ``field``), ``wrong_length``
    (``field``, ``expected``), ``bad_certificate`` and ``key_mismatch``.
    """

    def __init__(self, problem: str, field: str = "", expected: int = 0) -> None:
        super().__init__(f"{problem} {field}".strip())
        self.problem = problem
        self.field = field
        self.expected = expected


@dataclass(frozen=True)
class Installation:
    """The three values as text, as a user or a file gives them."""

    ca_public_key: str
    certificate: str
    private_key: str


def read_installation_text(text: str) -> Installation:
    """Return the three values of a certificate file; raise ``InstallationError``."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        name, _, value = line.partition(":")
        key = _NAMES.get(re.sub(r"[\s_]", "", name).lower())
        if key is not None and value.strip():
            values[key] = value.strip()
    for field in ("ca_public_key", "certificate", "private_key"):
        if field not in values:
            raise InstallationError("missing", field)
    return Installation(
        values["ca_public_key"], values["certificate"], values["private_key"]
    )


def _hex(field: str, text: str, length: int) -> bytes:
    try:
        value = bytes.fromhex(_NOT_HEX.sub("", text))
    except ValueError:
        raise InstallationError("not_hex", field) from None
    if len(value) != length:
        raise InstallationError("wrong_length", field, length)
    return value


def parse_installation(installation: Installation) -> LocalCredentials:
    """Return the checked credentials; raise ``InstallationError``."""
    suite = SUITE_1
    ca_public_key = _hex(
        "ca_public_key", installation.ca_public_key, suite.curve.point_length
    )
    certificate = _hex(
        "certificate", installation.certificate, suite.certificate_length
    )
    private_key = int.from_bytes(
        _hex("private_key", installation.private_key, PRIVATE_KEY_LENGTH), "big"
    )
    try:
        credentials = LocalCredentials(certificate, private_key, ca_public_key)
        _ = credentials.public_key  # the certificate and CA key must be usable
    except CertificateError:
        raise InstallationError("bad_certificate") from None
    try:
        return validate_installed_certificate(certificate, private_key, ca_public_key)
    except CertificateError:
        raise InstallationError("key_mismatch") from None
