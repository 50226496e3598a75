"""Certificate-Based Key Establishment (CBKE), ZigBee SE crypto suite 1.

Pure Python: GF(2^m) arithmetic (``gf2m``), the Koblitz curve sect163k1
(``curve``, ``params``), AES-MMO and its HMAC (``aes_mmo``), ECQV implicit
certificates (``certificate``, ``ecqv``), ECMQV (``ecmqv``), the KDF and key
confirmation MACs (``keying``), the gateway's own credentials
(``credentials``), the Key Establishment command payloads (``messages``) and
the exchange itself (``exchange``): these import neither zigpy nor Home
Assistant, and only AES comes from a library (``cryptography``). On zigpy, and
never Home Assistant: the Key Establishment cluster's two roles
(``responder``, ``initiator``, with ``frames``; ``zigbee`` re-exports them),
installing link keys and APS encryption in the radio (``radio``), and
validating a certificate for installation (``installation``).
"""

from .certificate import CertificateError, ImplicitCertificate
from .credentials import LocalCredentials, validate_installed_certificate
from .exchange import KeyEstablishment, Role, State, Step, busy_terminate
from .messages import (
    CommandId,
    ConfirmKeyData,
    EphemeralData,
    InitiateKeyEstablishment,
    MessageDecodeError,
    TerminateKeyEstablishment,
    TerminateStatus,
)
from .suite import SUITE_1, CryptoSuite

__all__ = [
    "SUITE_1",
    "CertificateError",
    "CommandId",
    "ConfirmKeyData",
    "CryptoSuite",
    "EphemeralData",
    "ImplicitCertificate",
    "InitiateKeyEstablishment",
    "KeyEstablishment",
    "LocalCredentials",
    "MessageDecodeError",
    "Role",
    "State",
    "Step",
    "TerminateKeyEstablishment",
    "TerminateStatus",
    "busy_terminate",
    "validate_installed_certificate",
]
