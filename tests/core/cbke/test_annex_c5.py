"""Every ZigBee SE Annex C.5 (crypto suite 1) value, from the gateway's code.

Keys (SEC 1 §3.2.1: Q = dG), ECQV reconstruction (SEC 4 §3.5), ECMQV with
cofactor (SEC 1 §3.4), the KDF and MACs (SE Annex C), and a whole exchange
with the Annex's ephemeral keys, whose frames must carry QEU, QEV, MACU and
MACV byte for byte.
"""

from __future__ import annotations

import pytest
from zigpy.util import aes_mmo_hash as zigpy_aes_mmo_hash

from se_gateway_core.cbke import KeyEstablishment, LocalCredentials, Role, State
from se_gateway_core.cbke.aes_mmo import aes_mmo_hash, hmac_aes_mmo
from se_gateway_core.cbke.certificate import ImplicitCertificate
from se_gateway_core.cbke.ecmqv import associate_value, shared_secret
from se_gateway_core.cbke.ecqv import certificate_hash, reconstruct_public_key
from se_gateway_core.cbke.keying import confirmation_macs, derive_keys
from se_gateway_core.cbke.keys import public_key, random_private_key
from se_gateway_core.cbke.messages import (
    ConfirmKeyData,
    EphemeralData,
    InitiateKeyEstablishment,
)
from se_gateway_core.cbke.params import SECT163K1

from . import vectors as c5
from .helpers import fixed_rng

CURVE = SECT163K1
CA = CURVE.decode(c5.CA_PUBLIC_KEY)


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
    point = public_key(CURVE, private)

    assert CURVE.encode(point) == public
    assert CURVE.decode(public) == point


@pytest.mark.parametrize(
    ("certificate", "public", "subject"),
    [
        (c5.V_CERTIFICATE, c5.V_PUBLIC, c5.V_IEEE),
        (c5.U_CERTIFICATE, c5.U_PUBLIC, c5.U_IEEE),
    ],
    ids=["V", "U"],
)
def test_ecqv_reconstruction(certificate: bytes, public: bytes, subject: bytes) -> None:
    fields = ImplicitCertificate.from_bytes(certificate)

    assert fields.subject == subject
    assert fields.issuer == c5.ISSUER
    assert fields.profile_attributes == c5.PROFILE_ATTRIBUTES
    assert fields.to_bytes() == certificate
    assert CURVE.encode(reconstruct_public_key(certificate, CA)) == public


def test_certificate_hash_is_the_whole_digest() -> None:
    # 128 bits < floor(log2 n) = 162: H_n cuts nothing (SEC 4 §2.3)
    digest = aes_mmo_hash(c5.V_CERTIFICATE)

    assert certificate_hash(c5.V_CERTIFICATE, CURVE.order) == int.from_bytes(digest)
    # A hash longer than floor(log2 n) bits keeps its leftmost bits
    assert certificate_hash(c5.V_CERTIFICATE, 1 << 64) == int.from_bytes(digest) >> 64


def test_associate_value() -> None:
    point = CURVE.decode(c5.U_EPHEMERAL_PUBLIC)
    value = associate_value(CURVE, point)

    assert value.bit_length() == 83  # 2^82 set, ceil(ceil(log2 n) / 2) = 82
    assert value & ((1 << 82) - 1) == point.x & ((1 << 82) - 1)


def test_shared_secret_both_sides() -> None:
    u = CURVE.decode(c5.U_PUBLIC)
    v = CURVE.decode(c5.V_PUBLIC)
    qeu = CURVE.decode(c5.U_EPHEMERAL_PUBLIC)
    qev = CURVE.decode(c5.V_EPHEMERAL_PUBLIC)

    z_u = shared_secret(
        CURVE,
        static_private=c5.U_PRIVATE,
        ephemeral_private=c5.U_EPHEMERAL_PRIVATE,
        ephemeral_public=qeu,
        peer_static_public=v,
        peer_ephemeral_public=qev,
    )
    z_v = shared_secret(
        CURVE,
        static_private=c5.V_PRIVATE,
        ephemeral_private=c5.V_EPHEMERAL_PRIVATE,
        ephemeral_public=qev,
        peer_static_public=u,
        peer_ephemeral_public=qeu,
    )

    assert z_u == z_v == c5.SHARED_SECRET


def test_kdf_and_macs() -> None:
    keys = derive_keys(c5.SHARED_SECRET)
    macs = confirmation_macs(
        keys.mac_key,
        initiator_ieee=c5.U_IEEE,
        responder_ieee=c5.V_IEEE,
        initiator_ephemeral=c5.U_EPHEMERAL_PUBLIC,
        responder_ephemeral=c5.V_EPHEMERAL_PUBLIC,
    )

    assert keys.mac_key == c5.MAC_KEY
    assert keys.key_data == c5.KEY_DATA
    assert macs.responder == c5.MAC_V
    assert macs.initiator == c5.MAC_U
    # MACV spelled out: 03 || IDV || IDU || QEV || QEU
    assert (
        hmac_aes_mmo(
            c5.MAC_KEY,
            b"\x03"
            + c5.V_IEEE
            + c5.U_IEEE
            + c5.V_EPHEMERAL_PUBLIC
            + c5.U_EPHEMERAL_PUBLIC,
        )
        == c5.MAC_V
    )
    assert repr(keys) == "SessionKeys()"


def test_exchange_carries_the_annex_values() -> None:
    """Initiator U and responder V, both ours, with the Annex's ephemeral keys."""
    v = LocalCredentials(c5.V_CERTIFICATE, c5.V_PRIVATE, c5.CA_PUBLIC_KEY)
    u = LocalCredentials(c5.U_CERTIFICATE, c5.U_PRIVATE, c5.CA_PUBLIC_KEY)
    responder = KeyEstablishment(
        Role.RESPONDER, v, c5.U_IEEE, rng=fixed_rng(c5.V_EPHEMERAL_PRIVATE)
    )
    initiator = KeyEstablishment(
        Role.INITIATOR, u, c5.V_IEEE, rng=fixed_rng(c5.U_EPHEMERAL_PRIVATE)
    )

    request = initiator.start()
    assert request == InitiateKeyEstablishment(1, 5, 5, c5.U_CERTIFICATE)
    step = responder.receive(request.command_id, request.encode())
    assert step.reply == InitiateKeyEstablishment(1, 5, 5, c5.V_CERTIFICATE)
    step = initiator.receive(step.reply.command_id, step.reply.encode())
    assert step.reply == EphemeralData(c5.U_EPHEMERAL_PUBLIC)
    step = responder.receive(step.reply.command_id, step.reply.encode())
    assert step.reply == EphemeralData(c5.V_EPHEMERAL_PUBLIC)
    step = initiator.receive(step.reply.command_id, step.reply.encode())
    assert step.reply == ConfirmKeyData(c5.MAC_U)
    step = responder.receive(step.reply.command_id, step.reply.encode())
    assert step.reply == ConfirmKeyData(c5.MAC_V)
    assert step.state is State.ESTABLISHED
    assert step.link_key == c5.KEY_DATA
    step = initiator.receive(step.reply.command_id, step.reply.encode())
    assert step.reply is None
    assert step.state is State.ESTABLISHED
    assert initiator.link_key == responder.link_key == c5.KEY_DATA


def test_fixed_rng_gives_the_annex_key() -> None:
    assert random_private_key(CURVE, fixed_rng(c5.V_EPHEMERAL_PRIVATE)) == (
        c5.V_EPHEMERAL_PRIVATE
    )


@pytest.mark.parametrize("length", [0, 1, 13, 14, 15, 16, 17, 31, 32, 48, 62, 78])
def test_aes_mmo_matches_zigpy(length: int) -> None:
    """zigpy's install-code hash (short messages) is the same function."""
    message = bytes((i * 37 + length) & 0xFF for i in range(length))

    assert aes_mmo_hash(message) == bytes(zigpy_aes_mmo_hash(message))


def test_aes_mmo_long_message_padding() -> None:
    """From 2^16 bits on the length is 32 bits and 16 zero bits (ZigBee §B.6)."""
    short = bytes(8191)  # 65528 bits: 16-bit length field
    long = bytes(8192)  # 65536 bits: 32-bit length field

    assert aes_mmo_hash(short) == bytes(zigpy_aes_mmo_hash(short))
    assert aes_mmo_hash(long) != bytes(zigpy_aes_mmo_hash(long))  # zigpy wraps l


def test_hmac_needs_a_block_key() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        hmac_aes_mmo(bytes(15), b"")


# Annex C.6 (crypto suite 2) keying values, as asserted by the same public
# implementation: Z, the IEEE addresses and ephemeral keys are 283-bit data, but
# the KDF and MACs are the suite 1 ones, so they check ours on other lengths.
C6_Z = bytes.fromhex(
    "04F7724A9A77B21D2747CCEF68A457E45246C4BE9F66FD9425227BCB2CC5180EA9CCCB9A"
)
C6_QEU = bytes.fromhex(
    "0305F3394E15680660EECAA36788D9B6F312B971CE2C9617570BF7DFCD21C972017762C332"
)
C6_QEV = bytes.fromhex(
    "03009A5131CF5B92A016378C0F7F284ECD47F94010F875D43BF1E9A65474ADBFC63696A930"
)


def test_suite_2_keying_values() -> None:
    keys = derive_keys(C6_Z)
    macs = confirmation_macs(
        keys.mac_key,
        initiator_ieee=bytes.fromhex("0A0B0C0D0E0F1012"),
        responder_ieee=bytes.fromhex("0A0B0C0D0E0F1011"),
        initiator_ephemeral=C6_QEU,
        responder_ephemeral=C6_QEV,
    )

    assert keys.mac_key.hex().upper() == "ED380A00296600FB6B893025DE5FD137"
    assert keys.key_data.hex().upper() == "AA4689C70BE0FAF0C9BE534ABD9F4CDC"
    assert macs.initiator.hex().upper() == "BF7E1A26D4EF7038B56813E465A131C9"
    assert macs.responder.hex().upper() == "C5B432A9995A092F4449F83613930064"
