"""From the shared secret Z to the link key and the key confirmation MACs.

ZigBee SE 07-5356 Annex C (the key derivation and key confirmation steps of
CBKE), checked against the Annex C.5 suite 1 test data:

- KDF: MacKey = H(Z || 00 00 00 01), KeyData = H(Z || 00 00 00 02), the
  counter 32-bit big-endian, H = AES-MMO. KeyData is the new link key.
- MACU = MAC_MacKey(02 || ID_U || ID_V || QE_U || QE_V), sent by the
  initiator U in Confirm Key Data Request;
  MACV = MAC_MacKey(03 || ID_V || ID_U || QE_V || QE_U), sent by the
  responder V in the response. IDs are IEEE addresses, big-endian as in the
  certificates; QE are the compressed ephemeral keys as sent; MAC is
  HMAC-AES-MMO.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from .aes_mmo import aes_mmo_hash, hmac_aes_mmo

_MAC_U_PREFIX: Final = b"\x02"
_MAC_V_PREFIX: Final = b"\x03"


@dataclass(frozen=True)
class SessionKeys:
    """The MAC key and the link key derived from Z."""

    mac_key: bytes = field(repr=False)
    key_data: bytes = field(repr=False)


def derive_keys(shared_secret: bytes) -> SessionKeys:
    """Return MacKey and KeyData derived from Z."""
    return SessionKeys(
        mac_key=aes_mmo_hash(shared_secret + (1).to_bytes(4)),
        key_data=aes_mmo_hash(shared_secret + (2).to_bytes(4)),
    )


@dataclass(frozen=True)
class ConfirmationMacs:
    """The two key confirmation MACs of an exchange."""

    initiator: bytes  # MACU
    responder: bytes  # MACV


def confirmation_macs(
    mac_key: bytes,
    *,
    initiator_ieee: bytes,
    responder_ieee: bytes,
    initiator_ephemeral: bytes,
    responder_ephemeral: bytes,
) -> ConfirmationMacs:
    """Return MACU and MACV."""
    return ConfirmationMacs(
        initiator=hmac_aes_mmo(
            mac_key,
            _MAC_U_PREFIX
            + initiator_ieee
            + responder_ieee
            + initiator_ephemeral
            + responder_ephemeral,
        ),
        responder=hmac_aes_mmo(
            mac_key,
            _MAC_V_PREFIX
            + responder_ieee
            + initiator_ieee
            + responder_ephemeral
            + initiator_ephemeral,
        ),
    )
