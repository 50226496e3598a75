"""Every ZigBee SE Annex C.5 (crypto suite 1) value, from the simulator's code.

The simulator's CBKE (``network_simulator.cbke``) is the second, independent
implementation; these are the same checks as the gateway's, made with it.
"""

from __future__ import annotations

import pytest

from network_simulator.cbke import CbkeSession, DeviceCredentials, ec163
from network_simulator.cbke.authority import certificate_hash, extract_public_key
from network_simulator.cbke.mmo import kdf, mmo_hash, mmo_hmac
from network_simulator.cbke.session import avf

from . import vectors as c5


def test_domain_parameters() -> None:
    assert ec163.on_curve(ec163.G)
    assert ec163.scalar_mult(ec163.N, ec163.G) is None
    assert ec163.compress(ec163.G).hex().upper() == (
        "0302FE13C0537BBC11ACAA07D793DE4E6D5E5C94EEE8"
    )


@pytest.mark.parametrize(
    ("private", "public"),
    [
        (c5.V_PRIVATE, c5.V_PUBLIC),
        (c5.U_PRIVATE, c5.U_PUBLIC),
        (c5.V_EPHEMERAL_PRIVATE, c5.V_EPHEMERAL_PUBLIC),
        (c5.U_EPHEMERAL_PRIVATE, c5.U_EPHEMERAL_PUBLIC),
    ],
    ids=["V", "U", "V-ephemeral", "U-ephemeral"],
)
def test_public_keys(private: int, public: bytes) -> None:
    point = ec163.scalar_mult(private, ec163.G)
    assert point is not None

    assert ec163.compress(point) == public
    assert ec163.decompress(public) == point


@pytest.mark.parametrize(
    ("certificate", "public"),
    [(c5.V_CERTIFICATE, c5.V_PUBLIC), (c5.U_CERTIFICATE, c5.U_PUBLIC)],
    ids=["V", "U"],
)
def test_ecqv_reconstruction(certificate: bytes, public: bytes) -> None:
    assert ec163.compress(extract_public_key(certificate, c5.CA_PUBLIC_KEY)) == public
    assert certificate_hash(certificate) < 1 << 128


def test_shared_secret_mac_key_and_macs() -> None:
    """SEC 1 §3.4 ECMQV with cofactor, spelled out with the simulator's curve."""
    qeu = ec163.decompress(c5.U_EPHEMERAL_PUBLIC)
    qev = ec163.decompress(c5.V_EPHEMERAL_PUBLIC)
    qu = ec163.decompress(c5.U_PUBLIC)
    qv = ec163.decompress(c5.V_PUBLIC)

    def z(
        d: int, de: int, own_e: tuple[int, int], q: tuple[int, int], qe: tuple[int, int]
    ) -> bytes:
        s = (de + avf(own_e) * d) % ec163.N
        point = ec163.scalar_mult(
            ec163.H * s, ec163.point_add(qe, ec163.scalar_mult(avf(qe), q))
        )
        assert point is not None
        return point[0].to_bytes(21, "big")

    z_u = z(c5.U_PRIVATE, c5.U_EPHEMERAL_PRIVATE, qeu, qv, qev)
    z_v = z(c5.V_PRIVATE, c5.V_EPHEMERAL_PRIVATE, qev, qu, qeu)
    mac_key, key_data = kdf(z_u)

    assert z_u == z_v == c5.SHARED_SECRET
    assert mac_key == c5.MAC_KEY
    assert key_data == c5.KEY_DATA
    assert mmo_hash(c5.SHARED_SECRET + b"\x00\x00\x00\x01") == c5.MAC_KEY
    assert (
        mmo_hmac(
            mac_key,
            b"\x03"
            + c5.V_IEEE
            + c5.U_IEEE
            + c5.V_EPHEMERAL_PUBLIC
            + c5.U_EPHEMERAL_PUBLIC,
        )
        == c5.MAC_V
    )
    assert (
        mmo_hmac(
            mac_key,
            b"\x02"
            + c5.U_IEEE
            + c5.V_IEEE
            + c5.U_EPHEMERAL_PUBLIC
            + c5.V_EPHEMERAL_PUBLIC,
        )
        == c5.MAC_U
    )


def test_simulated_exchange_carries_the_annex_values() -> None:
    u = CbkeSession(
        initiator=True,
        credentials=DeviceCredentials(c5.U_CERTIFICATE, c5.U_PRIVATE, c5.CA_PUBLIC_KEY),
        partner_ieee=c5.V_IEEE,
        new_ephemeral_key=lambda: c5.U_EPHEMERAL_PRIVATE,
    )
    v = CbkeSession(
        initiator=False,
        credentials=DeviceCredentials(c5.V_CERTIFICATE, c5.V_PRIVATE, c5.CA_PUBLIC_KEY),
        partner_ieee=c5.U_IEEE,
        new_ephemeral_key=lambda: c5.V_EPHEMERAL_PRIVATE,
    )
    sent: list[tuple[int, bytes]] = []
    command: tuple[int, bytes] | None = u.initiate()
    while command is not None:
        sent.append(command)
        receiver = v if len(sent) % 2 else u
        command = receiver.handle(*command)

    assert sent[2:] == [
        (1, c5.U_EPHEMERAL_PUBLIC),
        (1, c5.V_EPHEMERAL_PUBLIC),
        (2, c5.MAC_U),
        (2, c5.MAC_V),
    ]
    assert u.link_key == v.link_key == c5.KEY_DATA
    assert "private_key" not in repr(u.credentials)
