"""CBKE for the simulated Smart Energy devices, and a test certificate authority.

An implementation independent of the gateway's (``se_gateway_core.cbke``):
nothing here imports ``se_gateway_core`` or ``custom_components``, so that the
tests that run the two against each other compare two readings of ZigBee SE
Annex C, SEC 1 and SEC 4, not one.

``python -m network_simulator.cbke ca`` makes a CA key pair;
``python -m network_simulator.cbke issue --ca-key HEX --subject IEEE`` issues
a certificate and private key.
"""

from .authority import (
    CertificateAuthority,
    CertificateRejected,
    IssuedCertificate,
    extract_public_key,
)
from .session import CbkeSession, DeviceCredentials

__all__ = [
    "CbkeSession",
    "CertificateAuthority",
    "CertificateRejected",
    "DeviceCredentials",
    "IssuedCertificate",
    "extract_public_key",
]
