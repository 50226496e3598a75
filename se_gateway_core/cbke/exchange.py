"""One Key Establishment exchange, as initiator or responder; no zigpy, no HA.

The exchange of ZigBee SE 07-5356 Annex C (Key Establishment cluster):

    initiator U (device)                      responder V (ESI / trust centre)
    Initiate Key Establishment Request  ->    checks suite, issuer, subject
                                        <-    Initiate Key Establishment Response
    checks suite, issuer, subject
    Ephemeral Data Request (QE_U)       ->
                                        <-    Ephemeral Data Response (QE_V)
    Z, MacKey, KeyData; MACU
    Confirm Key Data Request (MACU)     ->    checks MACU
                                        <-    Confirm Key Data Response (MACV)
    checks MACV; link key = KeyData           link key = KeyData

A failed check answers Terminate Key Establishment instead: suite not 1 ->
UNSUPPORTED_SUITE, certificate issuer not ours -> UNKNOWN_ISSUER, certificate
subject not the sender or its point not on the curve -> INVALID_CERTIFICATE,
a MAC that does not verify -> BAD_KEY_CONFIRM, a payload of the wrong size,
an unusable ephemeral key or a command out of turn -> BAD_MESSAGE. A
Terminate from the peer ends the exchange without an answer.

``receive`` takes what the partner sent (command id and payload bytes): the
responder gets client-to-server commands, the initiator server-to-client
ones. It never raises for a received payload. Once the exchange has ended
(established or terminated) it answers nothing; a new exchange needs a new
``KeyEstablishment``. IEEE addresses are 8 bytes, big-endian (as written in
certificates and shown by zigpy's ``EUI64.__str__``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, auto
import hmac
import logging
import secrets
from typing import Final

from .certificate import CertificateError, ImplicitCertificate
from .credentials import LocalCredentials
from .curve import Point, PointDecodeError
from .ecmqv import SharedSecretError, shared_secret
from .ecqv import reconstruct_public_key
from .keying import confirmation_macs, derive_keys
from .keys import Rng, public_key, random_private_key
from .messages import (
    ConfirmKeyData,
    EphemeralData,
    InitiateKeyEstablishment,
    KeyEstablishmentCommand,
    MessageDecodeError,
    TerminateKeyEstablishment,
    TerminateStatus,
    decode,
)
from .suite import IEEE_LENGTH

_LOGGER: Final = logging.getLogger(__name__)

# Seconds we advertise for computing our ephemeral data and confirm key
DEFAULT_EPHEMERAL_DATA_GENERATE_TIME: Final = 5
DEFAULT_CONFIRM_KEY_GENERATE_TIME: Final = 5
# Seconds a refused partner is asked to wait before trying again
DEFAULT_WAIT_TIME: Final = 10


class Role(Enum):
    """Which side of the exchange we are."""

    INITIATOR = "initiator"
    RESPONDER = "responder"


class State(Enum):
    """Where the exchange is."""

    READY = auto()  # initiator, before ``start``
    WAIT_INITIATE = auto()
    WAIT_EPHEMERAL_DATA = auto()
    WAIT_CONFIRM_KEY = auto()
    ESTABLISHED = auto()
    TERMINATED = auto()


_FINAL: Final = frozenset({State.ESTABLISHED, State.TERMINATED})


@dataclass(frozen=True)
class Step:
    """The outcome of one received command."""

    reply: KeyEstablishmentCommand | None
    state: State
    link_key: bytes | None = field(default=None, repr=False)


class _Refusal(Exception):
    """Internal: end the exchange with a Terminate of this status."""

    def __init__(self, status: TerminateStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def busy_terminate(
    wait_time: int = DEFAULT_WAIT_TIME, credentials: LocalCredentials | None = None
) -> TerminateKeyEstablishment:
    """Return the NO_RESOURCES Terminate for a partner we cannot serve now."""
    suite = credentials.suite.suite_id if credentials else 0x0001
    return TerminateKeyEstablishment(
        status=TerminateStatus.NO_RESOURCES, wait_time=wait_time, suite=suite
    )


class KeyEstablishment:
    """CBKE with one partner, in one role."""

    def __init__(
        self,
        role: Role,
        credentials: LocalCredentials,
        peer_ieee: bytes,
        *,
        rng: Rng = secrets.token_bytes,
        ephemeral_data_generate_time: int = DEFAULT_EPHEMERAL_DATA_GENERATE_TIME,
        confirm_key_generate_time: int = DEFAULT_CONFIRM_KEY_GENERATE_TIME,
        wait_time: int = DEFAULT_WAIT_TIME,
    ) -> None:
        """Prepare an exchange with the partner of IEEE address ``peer_ieee``.

        Raises ``CertificateError`` if our certificate or CA key cannot be
        parsed, ``ValueError`` for an IEEE address that is not 8 bytes.
        """
        if len(peer_ieee) != IEEE_LENGTH:
            raise ValueError(f"An IEEE address is {IEEE_LENGTH} bytes")
        # Unusable local material fails here, not as the partner's fault later;
        # whether the private key fits is the install-time check (validate).
        _ = credentials.fields, credentials.ca_point

        self.role: Final = role
        self.peer_ieee: Final = bytes(peer_ieee)
        self.state = State.READY if role is Role.INITIATOR else State.WAIT_INITIATE
        # The Terminate status that ended the exchange, ours or the partner's
        self.status: int | None = None
        self.terminated_by_peer = False
        # What the partner advertised in its Initiate Key Establishment
        self.peer_ephemeral_data_generate_time: int | None = None
        self.peer_confirm_key_generate_time: int | None = None

        self._credentials = credentials
        self._suite = credentials.suite
        self._rng = rng
        self._ephemeral_data_generate_time = ephemeral_data_generate_time
        self._confirm_key_generate_time = confirm_key_generate_time
        self._wait_time = wait_time
        self._peer_public_key: Point | None = None
        self._own_ephemeral_private: int | None = None
        self._own_ephemeral_point: Point | None = None
        self._own_ephemeral: bytes | None = None
        self._expected_mac: bytes | None = None
        self._own_mac: bytes | None = None
        self._key_data: bytes | None = None
        self._link_key: bytes | None = None

    def __repr__(self) -> str:
        return (
            f"KeyEstablishment({self.role.value}, peer={self.peer_ieee.hex()},"
            f" state={self.state.name})"
        )

    @property
    def link_key(self) -> bytes | None:
        """Return the 16-byte link key once established."""
        return self._link_key

    # --- Sending ----------------------------------------------------------------

    def start(self) -> InitiateKeyEstablishment:
        """Return the initiator's Initiate Key Establishment Request."""
        if self.role is not Role.INITIATOR or self.state is not State.READY:
            raise RuntimeError("Only a new initiator starts an exchange")

        self.state = State.WAIT_INITIATE
        return self._initiate()

    def _initiate(self) -> InitiateKeyEstablishment:
        return InitiateKeyEstablishment(
            suite=self._suite.suite_id,
            ephemeral_data_generate_time=self._ephemeral_data_generate_time,
            confirm_key_generate_time=self._confirm_key_generate_time,
            identity=self._credentials.certificate,
        )

    # --- Receiving --------------------------------------------------------------

    def receive(self, command_id: int, payload: bytes) -> Step:
        """Take a command from the partner; return our answer and the new state."""
        if self.state in _FINAL or self.state is State.READY:
            return Step(reply=None, state=self.state)

        try:
            message = decode(command_id, payload, self._suite)
            if isinstance(message, TerminateKeyEstablishment):
                return self._terminated_by_peer(message)
            reply = self._handle(message)
        except MessageDecodeError as exc:
            return self._refuse(TerminateStatus.BAD_MESSAGE, str(exc))
        except _Refusal as refusal:
            return self._refuse(refusal.status, str(refusal))

        link_key = self._link_key if self.state is State.ESTABLISHED else None
        return Step(reply=reply, state=self.state, link_key=link_key)

    def _handle(
        self, message: KeyEstablishmentCommand
    ) -> KeyEstablishmentCommand | None:
        """Answer a command expected in the current state; refuse any other."""
        match self.state, message:
            case State.WAIT_INITIATE, InitiateKeyEstablishment():
                return self._on_initiate(message)
            case State.WAIT_EPHEMERAL_DATA, EphemeralData():
                return self._on_ephemeral_data(message)
            case State.WAIT_CONFIRM_KEY, ConfirmKeyData():
                return self._on_confirm_key(message)
            case _:
                raise _Refusal(
                    TerminateStatus.BAD_MESSAGE,
                    f"{type(message).__name__} in state {self.state.name}",
                )

    def _on_initiate(
        self, message: InitiateKeyEstablishment
    ) -> KeyEstablishmentCommand:
        if message.suite != self._suite.suite_id:
            raise _Refusal(
                TerminateStatus.UNSUPPORTED_SUITE, f"suite 0x{message.suite:04x}"
            )

        self._peer_public_key = self._check_certificate(message.identity)
        self.peer_ephemeral_data_generate_time = message.ephemeral_data_generate_time
        self.peer_confirm_key_generate_time = message.confirm_key_generate_time
        self.state = State.WAIT_EPHEMERAL_DATA

        if self.role is Role.RESPONDER:
            return self._initiate()
        return EphemeralData(self._new_ephemeral_key())

    def _check_certificate(self, certificate: bytes) -> Point:
        """Return the partner's public key, or refuse its certificate."""
        fields = ImplicitCertificate.from_bytes(certificate)  # size checked by decode

        if fields.issuer != self._credentials.issuer:
            raise _Refusal(TerminateStatus.UNKNOWN_ISSUER, "issuer is not our CA")
        if fields.subject != self.peer_ieee:
            raise _Refusal(
                TerminateStatus.INVALID_CERTIFICATE,
                f"subject {fields.subject.hex()} is not the sender",
            )
        try:
            return reconstruct_public_key(
                certificate, self._credentials.ca_point, self._suite
            )
        except CertificateError as exc:
            raise _Refusal(TerminateStatus.INVALID_CERTIFICATE, str(exc)) from None

    def _new_ephemeral_key(self) -> bytes:
        """Draw our ephemeral key pair; return its public key as sent."""
        curve = self._suite.curve
        self._own_ephemeral_private = random_private_key(curve, self._rng)
        self._own_ephemeral_point = public_key(curve, self._own_ephemeral_private)
        self._own_ephemeral = curve.encode(self._own_ephemeral_point)
        return self._own_ephemeral

    def _on_ephemeral_data(self, message: EphemeralData) -> KeyEstablishmentCommand:
        curve = self._suite.curve
        peer_ephemeral = bytes(message.data)
        try:
            peer_ephemeral_point = curve.decode(peer_ephemeral)
        except PointDecodeError as exc:
            raise _Refusal(TerminateStatus.BAD_MESSAGE, str(exc)) from None

        if self.role is Role.RESPONDER:
            self._new_ephemeral_key()
        assert self._own_ephemeral_private is not None
        assert self._own_ephemeral_point is not None
        assert self._own_ephemeral is not None
        assert self._peer_public_key is not None

        try:
            secret = shared_secret(
                curve,
                static_private=self._credentials.private_key,
                ephemeral_private=self._own_ephemeral_private,
                ephemeral_public=self._own_ephemeral_point,
                peer_static_public=self._peer_public_key,
                peer_ephemeral_public=peer_ephemeral_point,
            )
        except SharedSecretError as exc:
            raise _Refusal(TerminateStatus.BAD_MESSAGE, str(exc)) from None
        finally:
            self._own_ephemeral_private = None

        keys = derive_keys(secret)
        own_ieee = self._credentials.ieee
        self._key_data = keys.key_data
        self.state = State.WAIT_CONFIRM_KEY

        if self.role is Role.INITIATOR:
            macs = confirmation_macs(
                keys.mac_key,
                initiator_ieee=own_ieee,
                responder_ieee=self.peer_ieee,
                initiator_ephemeral=self._own_ephemeral,
                responder_ephemeral=peer_ephemeral,
            )
            self._own_mac, self._expected_mac = macs.initiator, macs.responder
            return ConfirmKeyData(macs.initiator)

        macs = confirmation_macs(
            keys.mac_key,
            initiator_ieee=self.peer_ieee,
            responder_ieee=own_ieee,
            initiator_ephemeral=peer_ephemeral,
            responder_ephemeral=self._own_ephemeral,
        )
        self._own_mac, self._expected_mac = macs.responder, macs.initiator
        return EphemeralData(self._own_ephemeral)

    def _on_confirm_key(
        self, message: ConfirmKeyData
    ) -> KeyEstablishmentCommand | None:
        expected, own_mac = self._expected_mac, self._own_mac
        assert expected is not None
        assert own_mac is not None

        if not hmac.compare_digest(message.mac, expected):
            raise _Refusal(TerminateStatus.BAD_KEY_CONFIRM, "MAC does not verify")

        self._link_key = self._key_data
        self._forget_secrets()
        self.state = State.ESTABLISHED
        # The responder confirms with MACV; the initiator has nothing to send
        return ConfirmKeyData(own_mac) if self.role is Role.RESPONDER else None

    # --- Endings ----------------------------------------------------------------

    def _refuse(self, status: TerminateStatus, reason: str) -> Step:
        _LOGGER.debug(
            "Key establishment with %s refused: %s (%s)",
            self.peer_ieee.hex(),
            status.name,
            reason,
        )
        self._end(status)
        return Step(
            reply=TerminateKeyEstablishment(
                status=status, wait_time=self._wait_time, suite=self._suite.suite_id
            ),
            state=self.state,
        )

    def _terminated_by_peer(self, message: TerminateKeyEstablishment) -> Step:
        _LOGGER.debug(
            "Key establishment terminated by %s: status 0x%02x",
            self.peer_ieee.hex(),
            message.status,
        )
        self.terminated_by_peer = True
        self._end(message.status)
        return Step(reply=None, state=self.state)

    def _end(self, status: int) -> None:
        self.status = status
        self.state = State.TERMINATED
        self._forget_secrets()

    def _forget_secrets(self) -> None:
        self._own_ephemeral_private = None
        self._key_data = None
        self._expected_mac = None
        self._own_mac = None
