"""The gateway's CBKE against the simulator's, an independent implementation.

Both directions: the gateway as responder (trust centre) to a simulated
device initiating, and the gateway initiating to a simulated responder. With
the Annex C.5 keys every frame is the Annex's; with certificates from the
simulator's CA and fresh ephemeral keys both must derive the same link key.
"""

from __future__ import annotations

from network_simulator.cbke import CbkeSession, DeviceCredentials, IssuedCertificate
from se_gateway_core.cbke import KeyEstablishment, LocalCredentials, Role, State

from . import vectors as c5
from .conftest import DEVICE_IEEE, GATEWAY_IEEE
from .helpers import INITIATOR, RESPONDER, Frame, fixed_rng, party, run

ANNEX_FRAMES = [
    Frame(INITIATOR, 0, b"\x01\x00\x02\x02" + c5.U_CERTIFICATE),
    Frame(RESPONDER, 0, b"\x01\x00\x05\x05" + c5.V_CERTIFICATE),
    Frame(INITIATOR, 1, c5.U_EPHEMERAL_PUBLIC),
    Frame(RESPONDER, 1, c5.V_EPHEMERAL_PUBLIC),
    Frame(INITIATOR, 2, c5.MAC_U),
    Frame(RESPONDER, 2, c5.MAC_V),
]


def simulated(
    initiator: bool,
    certificate: bytes,
    private_key: int,
    ca_public_key: bytes,
    partner: bytes,
    ephemeral: int | None = None,
) -> CbkeSession:
    session = CbkeSession(
        initiator=initiator,
        credentials=DeviceCredentials(certificate, private_key, ca_public_key),
        partner_ieee=partner,
    )
    if ephemeral is not None:
        session.new_ephemeral_key = lambda: ephemeral
    return session


def test_gateway_responder_simulated_initiator_annex() -> None:
    gateway = KeyEstablishment(
        Role.RESPONDER,
        LocalCredentials(c5.V_CERTIFICATE, c5.V_PRIVATE, c5.CA_PUBLIC_KEY),
        c5.U_IEEE,
        rng=fixed_rng(c5.V_EPHEMERAL_PRIVATE),
    )
    device = simulated(
        True,
        c5.U_CERTIFICATE,
        c5.U_PRIVATE,
        c5.CA_PUBLIC_KEY,
        c5.V_IEEE,
        c5.U_EPHEMERAL_PRIVATE,
    )

    frames = run(device.initiate(), device.handle, party(gateway))

    assert frames == ANNEX_FRAMES
    assert gateway.state is State.ESTABLISHED
    assert gateway.link_key == device.link_key == c5.KEY_DATA


def test_gateway_initiator_simulated_responder_annex() -> None:
    gateway = KeyEstablishment(
        Role.INITIATOR,
        LocalCredentials(c5.U_CERTIFICATE, c5.U_PRIVATE, c5.CA_PUBLIC_KEY),
        c5.V_IEEE,
        rng=fixed_rng(c5.U_EPHEMERAL_PRIVATE),
        ephemeral_data_generate_time=2,
        confirm_key_generate_time=2,
    )
    responder = simulated(
        False,
        c5.V_CERTIFICATE,
        c5.V_PRIVATE,
        c5.CA_PUBLIC_KEY,
        c5.U_IEEE,
        c5.V_EPHEMERAL_PRIVATE,
    )
    responder.generate_times = (5, 5)
    first = gateway.start()

    frames = run((first.command_id, first.encode()), party(gateway), responder.handle)

    assert frames == ANNEX_FRAMES
    assert gateway.link_key == responder.link_key == c5.KEY_DATA


def test_both_directions_with_issued_certificates(
    sim_ca_public_key: bytes,
    gateway_cert: IssuedCertificate,
    device_cert: IssuedCertificate,
) -> None:
    gateway_credentials = LocalCredentials(
        gateway_cert.certificate, gateway_cert.private_key, sim_ca_public_key
    )

    # device initiates, gateway responds
    gateway = KeyEstablishment(Role.RESPONDER, gateway_credentials, DEVICE_IEEE)
    device = simulated(
        True,
        device_cert.certificate,
        device_cert.private_key,
        sim_ca_public_key,
        GATEWAY_IEEE,
    )
    frames = run(device.initiate(), device.handle, party(gateway))

    assert len(frames) == 6
    assert gateway.link_key is not None
    assert gateway.link_key == device.link_key

    # gateway initiates, device responds
    gateway = KeyEstablishment(Role.INITIATOR, gateway_credentials, DEVICE_IEEE)
    device = simulated(
        False,
        device_cert.certificate,
        device_cert.private_key,
        sim_ca_public_key,
        GATEWAY_IEEE,
    )
    first = gateway.start()
    frames = run((first.command_id, first.encode()), party(gateway), device.handle)

    assert len(frames) == 6
    assert gateway.link_key is not None
    assert gateway.link_key == device.link_key


def test_simulated_device_hears_the_gateway_refuse(
    other_issuer_u_cert: IssuedCertificate,
) -> None:
    gateway = KeyEstablishment(
        Role.RESPONDER,
        LocalCredentials(c5.V_CERTIFICATE, c5.V_PRIVATE, c5.CA_PUBLIC_KEY),
        c5.U_IEEE,
    )
    device = simulated(
        True,
        other_issuer_u_cert.certificate,
        other_issuer_u_cert.private_key,
        c5.CA_PUBLIC_KEY,
        c5.V_IEEE,
    )

    frames = run(device.initiate(), device.handle, party(gateway))

    assert [f.command_id for f in frames] == [0, 3]
    assert device.terminate_status == 0x01  # UNKNOWN_ISSUER
    assert device.link_key is None


def test_gateway_hears_the_simulated_device_refuse() -> None:
    """The simulated responder expects another IEEE: INVALID_CERTIFICATE."""
    gateway = KeyEstablishment(
        Role.INITIATOR,
        LocalCredentials(c5.U_CERTIFICATE, c5.U_PRIVATE, c5.CA_PUBLIC_KEY),
        c5.V_IEEE,
    )
    responder = simulated(
        False,
        c5.V_CERTIFICATE,
        c5.V_PRIVATE,
        c5.CA_PUBLIC_KEY,
        bytes.fromhex("0000000000000042"),
    )
    first = gateway.start()

    frames = run((first.command_id, first.encode()), party(gateway), responder.handle)

    assert [f.command_id for f in frames] == [0, 3]
    assert gateway.terminated_by_peer
    assert gateway.status == 0x06
