"""Certificates for the exchange tests, issued by the simulator's test CA.

The simulator's CA (``network_simulator.cbke``) is the independent
implementation; certificates it issues must work with the gateway's code.
"""

from __future__ import annotations

from collections.abc import Callable
import random

import pytest

from network_simulator.cbke import CertificateAuthority, IssuedCertificate
from network_simulator.cbke.ec163 import N

from . import vectors as c5

GATEWAY_IEEE = bytes.fromhex("000D6F0000000001")
DEVICE_IEEE = bytes.fromhex("000D6F00000000AA")


def scalars(seed: int) -> Callable[[], int]:
    """A reproducible source of scalars in [1, n-1]."""
    rng = random.Random(seed)
    return lambda: rng.randrange(1, N)


@pytest.fixture(scope="session")
def sim_ca() -> CertificateAuthority:
    return CertificateAuthority.generate(issuer=b"SIMUL-CA", scalar=scalars(1))


@pytest.fixture(scope="session")
def sim_ca_public_key(sim_ca: CertificateAuthority) -> bytes:
    return sim_ca.public_key


@pytest.fixture(scope="session")
def gateway_cert(sim_ca: CertificateAuthority) -> IssuedCertificate:
    return sim_ca.issue(GATEWAY_IEEE, scalar=scalars(2))


@pytest.fixture(scope="session")
def device_cert(sim_ca: CertificateAuthority) -> IssuedCertificate:
    return sim_ca.issue(DEVICE_IEEE, scalar=scalars(3))


@pytest.fixture(scope="session")
def other_issuer_u_cert() -> IssuedCertificate:
    """U's IEEE, from a CA whose issuer id is not the Annex's."""
    ca = CertificateAuthority.generate(issuer=b"OTHER-CA", scalar=scalars(4))
    return ca.issue(c5.U_IEEE, scalar=scalars(5))


@pytest.fixture(scope="session")
def rogue_u_cert() -> IssuedCertificate:
    """U's IEEE, from a CA that calls itself TESTSECA but has another key."""
    ca = CertificateAuthority.generate(issuer=c5.ISSUER, scalar=scalars(6))
    return ca.issue(c5.U_IEEE, scalar=scalars(7))


@pytest.fixture(scope="session")
def rogue_v_cert() -> IssuedCertificate:
    """V's IEEE, from a CA that calls itself TESTSECA but has another key."""
    ca = CertificateAuthority.generate(issuer=c5.ISSUER, scalar=scalars(8))
    return ca.issue(c5.V_IEEE, scalar=scalars(9))
