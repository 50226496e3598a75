"""The exchange state machine: success in both roles, and every refusal.

Statuses of Terminate Key Establishment (ZigBee SE 07-5356 Annex C):
UNKNOWN_ISSUER when the certificate's issuer is not our CA's,
INVALID_CERTIFICATE when its subject is not the sender (or its point is not
on the curve), BAD_KEY_CONFIRM when a MAC does not verify, BAD_MESSAGE for a
payload of the wrong size, an unusable ephemeral key or a command out of
turn, UNSUPPORTED_SUITE for a suite other than 1.
"""

from __future__ import annotations

from collections.abc import Callable
import logging
import secrets
from unittest.mock import patch

import pytest

from network_simulator.cbke import IssuedCertificate
from se_gateway_core.cbke import (
    CertificateError,
    CommandId,
    KeyEstablishment,
    LocalCredentials,
    Role,
    State,
    TerminateKeyEstablishment,
    TerminateStatus,
    busy_terminate,
)
from se_gateway_core.cbke.ecmqv import SharedSecretError
from se_gateway_core.cbke.messages import decode

from . import vectors as c5
from .helpers import (
    INITIATOR,
    RESPONDER,
    Frame,
    Tamper,
    fixed_rng,
    party,
    run,
    u_credentials,
    v_credentials,
    x_without_point,
)

TERMINATE = CommandId.TERMINATE_KEY_ESTABLISHMENT


def responder(
    peer: bytes = c5.U_IEEE,
    *,
    rng: Callable[[int], bytes] = secrets.token_bytes,
    wait_time: int = 10,
) -> KeyEstablishment:
    return KeyEstablishment(
        Role.RESPONDER, v_credentials(), peer, rng=rng, wait_time=wait_time
    )


def initiator(
    credentials: LocalCredentials | None = None, peer: bytes = c5.V_IEEE
) -> KeyEstablishment:
    return KeyEstablishment(Role.INITIATOR, credentials or u_credentials(), peer)


def exchange(
    ours_initiating: KeyEstablishment,
    ours_responding: KeyEstablishment,
    tamper: Tamper | None = None,
) -> list[Frame]:
    first = ours_initiating.start()
    return run(
        (first.command_id, first.encode()),
        party(ours_initiating),
        party(ours_responding),
        tamper,
    )


def terminate_of(frame: Frame) -> TerminateKeyEstablishment:
    assert frame.command_id == TERMINATE
    message = decode(frame.command_id, frame.payload)
    assert isinstance(message, TerminateKeyEstablishment)
    return message


def credentials_of(issued: IssuedCertificate) -> LocalCredentials:
    return LocalCredentials(issued.certificate, issued.private_key, c5.CA_PUBLIC_KEY)


# --- Success ------------------------------------------------------------------------


def test_random_ephemeral_keys_agree() -> None:
    u, v = initiator(), responder()
    frames = exchange(u, v)

    assert [(f.sender, f.command_id) for f in frames] == [
        (INITIATOR, 0),
        (RESPONDER, 0),
        (INITIATOR, 1),
        (RESPONDER, 1),
        (INITIATOR, 2),
        (RESPONDER, 2),
    ]
    assert u.state is v.state is State.ESTABLISHED
    assert u.link_key == v.link_key
    assert u.link_key is not None
    assert len(u.link_key) == 16
    assert u.link_key != c5.KEY_DATA  # fresh ephemeral keys, fresh link key
    assert (v.peer_ephemeral_data_generate_time, v.peer_confirm_key_generate_time) == (
        5,
        5,
    )


def test_advertised_times_and_wait_time() -> None:
    u = KeyEstablishment(
        Role.INITIATOR,
        u_credentials(),
        c5.V_IEEE,
        ephemeral_data_generate_time=7,
        confirm_key_generate_time=9,
    )
    v = responder(wait_time=42)
    request = u.start()

    assert request.encode()[:4] == bytes([0x01, 0x00, 7, 9])
    step = v.receive(0, request.encode()[:-1])
    assert step.reply == TerminateKeyEstablishment(TerminateStatus.BAD_MESSAGE, 42, 1)


# --- Refusals by the responder (the gateway as trust centre) --------------------------


def test_unknown_issuer(other_issuer_u_cert: IssuedCertificate) -> None:
    v = responder()
    frames = exchange(initiator(credentials_of(other_issuer_u_cert)), v)

    assert len(frames) == 2
    assert terminate_of(frames[1]).status == TerminateStatus.UNKNOWN_ISSUER
    assert v.state is State.TERMINATED
    assert v.status == TerminateStatus.UNKNOWN_ISSUER
    assert not v.terminated_by_peer


def test_same_issuer_other_ca_key_fails_key_confirmation(
    rogue_u_cert: IssuedCertificate,
) -> None:
    """The issuer id matches, but the key does not reconstruct: MACU is wrong."""
    u = initiator(credentials_of(rogue_u_cert))
    v = responder()
    frames = exchange(u, v)

    assert [f.command_id for f in frames] == [0, 0, 1, 1, 2, 3]
    assert terminate_of(frames[-1]).status == TerminateStatus.BAD_KEY_CONFIRM
    assert v.link_key is None
    assert u.state is State.TERMINATED
    assert u.terminated_by_peer
    assert u.status == TerminateStatus.BAD_KEY_CONFIRM


def test_subject_is_not_the_sender() -> None:
    v = responder(peer=bytes.fromhex("0000000000000003"))
    frames = exchange(initiator(), v)

    assert terminate_of(frames[1]).status == TerminateStatus.INVALID_CERTIFICATE


def test_reconstruction_point_not_on_curve() -> None:
    request = initiator().start().encode()
    certificate = b"\x03" + x_without_point() + c5.U_CERTIFICATE[22:]

    step = responder().receive(0, request[:4] + certificate)

    assert step.reply == TerminateKeyEstablishment(
        TerminateStatus.INVALID_CERTIFICATE, 10, 1
    )


def test_wrong_macu() -> None:
    def flip_macu(sender: str, command_id: int, payload: bytes) -> bytes:
        if sender == INITIATOR and command_id == CommandId.CONFIRM_KEY_DATA:
            return bytes([payload[0] ^ 1]) + payload[1:]
        return payload

    u, v = initiator(), responder()
    frames = exchange(u, v, flip_macu)

    assert terminate_of(frames[-1]).status == TerminateStatus.BAD_KEY_CONFIRM
    assert v.link_key is None
    assert v.status == TerminateStatus.BAD_KEY_CONFIRM
    assert u.terminated_by_peer


@pytest.mark.parametrize("command_id", [0, 1, 2, 3])
@pytest.mark.parametrize("change", [-1, +1], ids=["truncated", "one-byte-long"])
def test_wrong_size_is_bad_message(command_id: int, change: int) -> None:
    u, v = initiator(), responder()
    payloads = {0: u.start().encode(), 1: bytes(22), 2: bytes(16), 3: bytes(4)}
    # bring the responder to the state where this command is expected
    if command_id >= 1:
        v.receive(0, payloads[0])
    if command_id >= 2:
        step = v.receive(1, c5.U_EPHEMERAL_PUBLIC)
        assert step.state is State.WAIT_CONFIRM_KEY
    payload = payloads[command_id]
    payload = payload[:-1] if change < 0 else payload + b"\x00"

    step = v.receive(command_id, payload)

    assert step.reply == TerminateKeyEstablishment(TerminateStatus.BAD_MESSAGE, 10, 1)
    assert step.state is State.TERMINATED


@pytest.mark.parametrize(
    ("suite", "identity_length"),
    [(0x0002, 74), (0x0004, 48), (0x0003, 10), (0x0000, 0)],
    ids=["suite-2", "suite-bit-2", "two-suites", "none"],
)
def test_unsupported_suite(suite: int, identity_length: int) -> None:
    payload = suite.to_bytes(2, "little") + b"\x05\x05" + bytes(identity_length)
    step = responder().receive(0, payload)

    assert step.reply == TerminateKeyEstablishment(
        TerminateStatus.UNSUPPORTED_SUITE, 10, 1
    )


def test_suite_1_with_a_suite_2_certificate_is_bad_message() -> None:
    step = responder().receive(0, b"\x01\x00\x05\x05" + bytes(74))

    assert step.reply is not None
    assert terminate_of(Frame("", 3, step.reply.encode())).status == 3


@pytest.mark.parametrize(
    ("command_id", "payload"),
    [(1, c5.U_EPHEMERAL_PUBLIC), (2, bytes(16)), (0x07, b""), (0xFF, b"\x00")],
    ids=["ephemeral-first", "confirm-first", "unknown-0x07", "unknown-0xff"],
)
def test_out_of_turn_is_bad_message(command_id: int, payload: bytes) -> None:
    step = responder().receive(command_id, payload)

    assert step.reply == TerminateKeyEstablishment(TerminateStatus.BAD_MESSAGE, 10, 1)


def test_initiate_twice_is_bad_message() -> None:
    v = responder()
    request = initiator().start().encode()
    v.receive(0, request)

    assert v.receive(0, request).reply == TerminateKeyEstablishment(3, 10, 1)


def test_ephemeral_data_not_a_point() -> None:
    v = responder()
    v.receive(0, initiator().start().encode())
    step = v.receive(1, b"\x04" + c5.U_EPHEMERAL_PUBLIC[1:])

    assert step.reply == TerminateKeyEstablishment(TerminateStatus.BAD_MESSAGE, 10, 1)


def test_agreed_point_at_infinity_is_bad_message() -> None:
    v = responder()
    v.receive(0, initiator().start().encode())
    with patch(
        "se_gateway_core.cbke.exchange.shared_secret",
        side_effect=SharedSecretError("O"),
    ):
        step = v.receive(1, c5.U_EPHEMERAL_PUBLIC)

    assert step.reply == TerminateKeyEstablishment(TerminateStatus.BAD_MESSAGE, 10, 1)


def test_terminate_from_the_peer_ends_silently() -> None:
    v = responder()
    v.receive(0, initiator().start().encode())
    step = v.receive(3, TerminateKeyEstablishment(4, 30, 1).encode())

    assert step.reply is None
    assert step.state is State.TERMINATED
    assert v.terminated_by_peer
    assert v.status == TerminateStatus.NO_RESOURCES
    # and nothing more is answered
    assert v.receive(0, initiator().start().encode()).reply is None


def test_unknown_terminate_status_is_kept() -> None:
    v = responder()
    v.receive(3, bytes([0x7F, 0, 1, 0]))

    assert v.status == 0x7F


# --- Refusals by the initiator (the gateway joining another trust centre) -----------


def test_initiator_refuses_unknown_issuer(
    other_issuer_u_cert: IssuedCertificate,
) -> None:
    """The responder's certificate is from another CA."""
    u = initiator()
    u.start()
    answer = b"\x01\x00\x05\x05" + other_issuer_u_cert.certificate

    step = u.receive(0, answer)

    assert step.reply == TerminateKeyEstablishment(
        TerminateStatus.UNKNOWN_ISSUER, 10, 1
    )


def test_initiator_refuses_responder_subject() -> None:
    u = initiator(peer=bytes.fromhex("0000000000000009"))
    frames = exchange(u, responder())

    assert terminate_of(frames[2]).status == TerminateStatus.INVALID_CERTIFICATE


def test_initiator_refuses_wrong_macv() -> None:
    def flip_macv(sender: str, command_id: int, payload: bytes) -> bytes:
        if sender == RESPONDER and command_id == CommandId.CONFIRM_KEY_DATA:
            return payload[:-1] + bytes([payload[-1] ^ 0x80])
        return payload

    u, v = initiator(), responder()
    frames = exchange(u, v, flip_macv)

    assert [(f.sender, f.command_id) for f in frames[-2:]] == [
        (RESPONDER, 2),
        (INITIATOR, 3),
    ]
    assert terminate_of(frames[-1]).status == TerminateStatus.BAD_KEY_CONFIRM
    assert u.link_key is None
    assert u.state is State.TERMINATED
    assert v.link_key is not None  # the responder had confirmed MACU


def test_impostor_responder_gets_no_key(rogue_v_cert: IssuedCertificate) -> None:
    """V's IEEE and the Annex's issuer id, but a key from another CA.

    The initiator reconstructs another public key than the impostor's, so
    their secrets differ and the impostor refuses MACU.
    """
    u = initiator()
    impostor = KeyEstablishment(Role.RESPONDER, credentials_of(rogue_v_cert), c5.U_IEEE)
    frames = exchange(u, impostor)

    assert [(f.sender, f.command_id) for f in frames[-2:]] == [
        (INITIATOR, 2),
        (RESPONDER, 3),
    ]
    assert terminate_of(frames[-1]).status == TerminateStatus.BAD_KEY_CONFIRM
    assert u.link_key is None
    assert impostor.link_key is None


def test_initiator_refuses_other_suite_in_response() -> None:
    u = initiator()
    u.start()

    step = u.receive(0, b"\x02\x00\x05\x05" + bytes(74))

    assert step.reply == TerminateKeyEstablishment(
        TerminateStatus.UNSUPPORTED_SUITE, 10, 1
    )


def test_initiator_truncated_response() -> None:
    u = initiator()
    u.start()

    step = u.receive(0, b"\x01\x00\x05\x05" + c5.V_CERTIFICATE[:-1])

    assert step.reply == TerminateKeyEstablishment(TerminateStatus.BAD_MESSAGE, 10, 1)


# --- API ------------------------------------------------------------------------------


def test_start_only_once_and_only_as_initiator() -> None:
    u = initiator()
    u.start()
    with pytest.raises(RuntimeError):
        u.start()
    with pytest.raises(RuntimeError):
        responder().start()


def test_initiator_before_start_answers_nothing() -> None:
    step = initiator().receive(0, b"\x01\x00\x05\x05" + c5.V_CERTIFICATE)

    assert step.reply is None
    assert step.state is State.READY


def test_peer_ieee_must_be_8_bytes() -> None:
    with pytest.raises(ValueError, match="8 bytes"):
        responder(peer=b"\x00" * 7)


def test_unusable_credentials_fail_at_construction() -> None:
    bad_ca = LocalCredentials(
        c5.V_CERTIFICATE, c5.V_PRIVATE, b"\x03" + x_without_point()
    )
    short_certificate = LocalCredentials(
        c5.V_CERTIFICATE[:-1], c5.V_PRIVATE, c5.CA_PUBLIC_KEY
    )

    with pytest.raises(CertificateError, match="CA public key"):
        KeyEstablishment(Role.RESPONDER, bad_ca, c5.U_IEEE)
    with pytest.raises(CertificateError, match="48 bytes"):
        KeyEstablishment(Role.RESPONDER, short_certificate, c5.U_IEEE)


def test_busy_terminate() -> None:
    assert busy_terminate() == TerminateKeyEstablishment(4, 10, 1)
    assert busy_terminate(30, v_credentials()).encode() == bytes([4, 30, 1, 0])


def test_private_keys_stay_out_of_repr_and_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)

    def flip_macu(sender: str, command_id: int, payload: bytes) -> bytes:
        if sender == INITIATOR and command_id == CommandId.CONFIRM_KEY_DATA:
            return bytes(16)
        return payload

    u = KeyEstablishment(
        Role.INITIATOR,
        u_credentials(),
        c5.V_IEEE,
        rng=fixed_rng(c5.U_EPHEMERAL_PRIVATE),
    )
    v = responder(rng=fixed_rng(c5.V_EPHEMERAL_PRIVATE))
    exchange(u, v, flip_macu)
    secrets = [
        format(key, "x")
        for key in (
            c5.U_PRIVATE,
            c5.V_PRIVATE,
            c5.U_EPHEMERAL_PRIVATE,
            c5.V_EPHEMERAL_PRIVATE,
        )
    ] + [str(c5.V_PRIVATE), c5.MAC_KEY.hex(), c5.KEY_DATA.hex()]
    shown = " ".join(
        [caplog.text, repr(v), repr(u), repr(v_credentials()), repr(u_credentials())]
    ).lower()

    assert "BAD_KEY_CONFIRM" in caplog.text
    for secret in secrets:
        assert secret.lower() not in shown
    assert "private_key" not in repr(v_credentials())
