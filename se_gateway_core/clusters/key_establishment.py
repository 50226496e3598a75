"""Key Establishment cluster (0x0800): the CBKE exchange, crypto suite 1.

``KeyEstablishment`` subclasses zigpy's empty ``KeyEstablishment``; once
registered (``se_gateway_core.quirks.register``) it is zigpy's class for
cluster 0x0800 on every device created later.

ZigBee SE 07-5356 Annex C: each command has the same id and layout in both
directions; the request goes client to server (``ServerCommandDefs``), the
response server to client (``ClientCommandDefs``). Field order as in
Wireshark's dissector (epan/dissectors/packet-zbee-zcl-se.c,
``dissect_zcl_ke_initiate`` and ``dissect_zcl_ke_terminate``). Only suite 1
is decoded: a 48-byte certificate, 22-byte ephemeral data, 16-byte MAC; a
field cut short makes the frame malformed (``RobustCommandsMixin`` drops it).

The protocol itself (checks, keys, MACs) is ``se_gateway_core.cbke``, which
works on payload bytes and knows nothing of zigpy.
"""

from __future__ import annotations

from typing import ClassVar, Final, Self

import zigpy.types as t
from zigpy.zcl.clusters import smartenergy
from zigpy.zcl.foundation import BaseAttributeDefs, BaseCommandDefs

from .robust import RobustCommandsMixin
from .schema import Payload, attribute, command

# --- Types ----------------------------------------------------------------------


class KeyEstablishmentSuite(t.bitmap16):
    """Key establishment suites, one bit each."""

    CBKE_ECMQV = 0x0001  # crypto suite 1: sect163k1
    CBKE_ECMQV_283K1 = 0x0002  # crypto suite 2: sect283k1 (SE 1.2+)


class TerminateStatus(t.enum8):
    """Status of Terminate Key Establishment."""

    UNKNOWN_ISSUER = 0x01
    BAD_KEY_CONFIRM = 0x02
    BAD_MESSAGE = 0x03
    NO_RESOURCES = 0x04
    UNSUPPORTED_SUITE = 0x05
    INVALID_CERTIFICATE = 0x06


class _FixedBytes(bytes):
    """An octet field of one fixed size, no length prefix."""

    LENGTH: ClassVar[int]

    def serialize(self) -> bytes:
        """Encode the field, which must have exactly its size."""
        if len(self) != self.LENGTH:
            raise ValueError(
                f"{type(self).__name__} is {self.LENGTH} bytes, not {len(self)}"
            )
        return bytes(self)

    @classmethod
    def deserialize(cls, data: bytes) -> tuple[Self, bytes]:
        """Decode the next ``LENGTH`` bytes."""
        if len(data) < cls.LENGTH:
            raise ValueError("Data is too short")
        return cls(data[: cls.LENGTH]), data[cls.LENGTH :]


class ImplicitCertificate(_FixedBytes):
    """Suite 1 implicit certificate: reconstruction point, subject, issuer, data."""

    LENGTH: ClassVar[int] = 48


class EphemeralPublicKey(_FixedBytes):
    """Suite 1 ephemeral public key: a compressed sect163k1 point."""

    LENGTH: ClassVar[int] = 22


class KeyConfirmationMac(_FixedBytes):
    """MACU (request) or MACV (response)."""

    LENGTH: ClassVar[int] = 16


# --- Payloads (the same layout in both directions) ------------------------------


class InitiateKeyEstablishment(Payload):
    """Initiate Key Establishment (0x00): times in seconds, identity = certificate."""

    key_establishment_suite: KeyEstablishmentSuite
    ephemeral_data_generate_time: t.uint8_t
    confirm_key_generate_time: t.uint8_t
    identity: ImplicitCertificate


class EphemeralData(Payload):
    """Ephemeral Data (0x01): QEU in the request, QEV in the response."""

    ephemeral_data: EphemeralPublicKey


class ConfirmKeyData(Payload):
    """Confirm Key Data (0x02): MACU in the request, MACV in the response."""

    secure_message_authentication_code: KeyConfirmationMac


class TerminateKeyEstablishment(Payload):
    """Terminate Key Establishment (0x03): wait time in seconds."""

    status_code: TerminateStatus
    wait_time: t.uint8_t
    key_establishment_suite: KeyEstablishmentSuite


# zigpy attaches each command definition to its schema class: one class per
# direction, so that a request and a response never share one.


class InitiateKeyEstablishmentRequest(InitiateKeyEstablishment):
    """Initiate Key Establishment Request (client to server)."""


class InitiateKeyEstablishmentResponse(InitiateKeyEstablishment):
    """Initiate Key Establishment Response (server to client)."""


class EphemeralDataRequest(EphemeralData):
    """Ephemeral Data Request (client to server): QEU."""


class EphemeralDataResponse(EphemeralData):
    """Ephemeral Data Response (server to client): QEV."""


class ConfirmKeyDataRequest(ConfirmKeyData):
    """Confirm Key Data Request (client to server): MACU."""


class ConfirmKeyDataResponse(ConfirmKeyData):
    """Confirm Key Data Response (server to client): MACV."""


class TerminateKeyEstablishmentFromClient(TerminateKeyEstablishment):
    """Terminate Key Establishment sent by the client."""


class TerminateKeyEstablishmentFromServer(TerminateKeyEstablishment):
    """Terminate Key Establishment sent by the server."""


# --- Cluster --------------------------------------------------------------------


class KeyEstablishment(RobustCommandsMixin, smartenergy.KeyEstablishment):
    """Key Establishment cluster."""

    # Registered by ``se_gateway_core.quirks.register``, not on import.
    _skip_registry = True

    # Each request but Terminate is answered by its response (or a Terminate)
    answered_requests: ClassVar[frozenset[int]] = frozenset({0x00, 0x01, 0x02})

    class AttributeDefs(BaseAttributeDefs):
        """The one attribute, on both sides: the suites supported."""

        key_establishment_suite: Final = attribute(0x0000, KeyEstablishmentSuite)

    class ServerCommandDefs(BaseCommandDefs):
        """Commands a key establishment client (the initiator) sends."""

        initiate_key_establishment_request: Final = command(
            0x00, InitiateKeyEstablishmentRequest
        )
        ephemeral_data_request: Final = command(0x01, EphemeralDataRequest)
        confirm_key_data_request: Final = command(0x02, ConfirmKeyDataRequest)
        terminate_key_establishment: Final = command(
            0x03, TerminateKeyEstablishmentFromClient
        )

    class ClientCommandDefs(BaseCommandDefs):
        """Commands a key establishment server (the responder) sends."""

        initiate_key_establishment_response: Final = command(
            0x00, InitiateKeyEstablishmentResponse
        )
        ephemeral_data_response: Final = command(0x01, EphemeralDataResponse)
        confirm_key_data_response: Final = command(0x02, ConfirmKeyDataResponse)
        terminate_key_establishment: Final = command(
            0x03, TerminateKeyEstablishmentFromServer
        )
