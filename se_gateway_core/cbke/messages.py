"""Key Establishment cluster (0x0800) command payloads, without zigpy.

ZigBee SE 07-5356 Annex C, Key Establishment cluster. The request (client to
server) and response (server to client) of each command id share a layout:

- 0x00 Initiate Key Establishment: suite (16-bit, little-endian), ephemeral
  data generate time (uint8, seconds), confirm key generate time (uint8,
  seconds), identity (the certificate: 48 bytes for suite 1).
- 0x01 Ephemeral Data: the ephemeral public key, a compressed point (22).
- 0x02 Confirm Key Data: the MAC, MACU in the request, MACV in the response
  (16).
- 0x03 Terminate Key Establishment: status (uint8), wait time (uint8,
  seconds), suite (16-bit, little-endian).

Field order as in Wireshark's dissector (``dissect_zcl_ke_initiate``,
``dissect_zcl_ke_terminate``; epan/dissectors/packet-zbee-zcl-se.c).

``decode`` raises only ``MessageDecodeError``, for any payload whatsoever.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import ClassVar, Final

from .suite import MAC_LENGTH, SUITE_1, CryptoSuite

CLUSTER_ID: Final = 0x0800
_INITIATE_HEADER: Final = 4
_TERMINATE_LENGTH: Final = 4
_KNOWN_CERTIFICATE_LENGTHS: Final = {0x0001: 48, 0x0002: 74}  # suites 1 and 2


class CommandId(IntEnum):
    """Command ids; the same in both directions."""

    INITIATE_KEY_ESTABLISHMENT = 0x00
    EPHEMERAL_DATA = 0x01
    CONFIRM_KEY_DATA = 0x02
    TERMINATE_KEY_ESTABLISHMENT = 0x03


class TerminateStatus(IntEnum):
    """Status codes of Terminate Key Establishment."""

    UNKNOWN_ISSUER = 0x01
    BAD_KEY_CONFIRM = 0x02
    BAD_MESSAGE = 0x03
    NO_RESOURCES = 0x04
    UNSUPPORTED_SUITE = 0x05
    INVALID_CERTIFICATE = 0x06


class MessageDecodeError(ValueError):
    """A payload that is not a Key Establishment command."""


def _check_byte(name: str, value: int) -> None:
    if not 0 <= value <= 0xFF:
        raise ValueError(f"{name} is one byte")


def _check_suite(value: int) -> None:
    if not 0 <= value <= 0xFFFF:
        raise ValueError("The suite field is 16 bits")


@dataclass(frozen=True)
class InitiateKeyEstablishment:
    """Initiate Key Establishment Request or Response."""

    command_id: ClassVar[CommandId] = CommandId.INITIATE_KEY_ESTABLISHMENT
    suite: int
    ephemeral_data_generate_time: int
    confirm_key_generate_time: int
    identity: bytes

    def encode(self) -> bytes:
        """Return the payload."""
        _check_suite(self.suite)
        _check_byte("ephemeral_data_generate_time", self.ephemeral_data_generate_time)
        _check_byte("confirm_key_generate_time", self.confirm_key_generate_time)
        return (
            self.suite.to_bytes(2, "little")
            + bytes((self.ephemeral_data_generate_time, self.confirm_key_generate_time))
            + self.identity
        )


@dataclass(frozen=True)
class EphemeralData:
    """Ephemeral Data Request (QEU) or Response (QEV)."""

    command_id: ClassVar[CommandId] = CommandId.EPHEMERAL_DATA
    data: bytes

    def encode(self) -> bytes:
        """Return the payload."""
        return bytes(self.data)


@dataclass(frozen=True)
class ConfirmKeyData:
    """Confirm Key Data Request (MACU) or Response (MACV)."""

    command_id: ClassVar[CommandId] = CommandId.CONFIRM_KEY_DATA
    mac: bytes

    def encode(self) -> bytes:
        """Return the payload."""
        return bytes(self.mac)


@dataclass(frozen=True)
class TerminateKeyEstablishment:
    """Terminate Key Establishment; ``status`` may be a value we do not know."""

    command_id: ClassVar[CommandId] = CommandId.TERMINATE_KEY_ESTABLISHMENT
    status: int
    wait_time: int
    suite: int

    def encode(self) -> bytes:
        """Return the payload."""
        _check_byte("status", self.status)
        _check_byte("wait_time", self.wait_time)
        _check_suite(self.suite)
        return bytes((self.status, self.wait_time)) + self.suite.to_bytes(2, "little")


type KeyEstablishmentCommand = (
    InitiateKeyEstablishment
    | EphemeralData
    | ConfirmKeyData
    | TerminateKeyEstablishment
)


def decode(
    command_id: int, payload: bytes, suite: CryptoSuite = SUITE_1
) -> KeyEstablishmentCommand:
    """Decode a payload; sizes must be exact.

    The identity of an Initiate Key Establishment must have the certificate
    size of the suite it names when that suite is known (1 or 2); for another
    suite it is the rest of the payload, so that the answer can be
    UNSUPPORTED_SUITE rather than BAD_MESSAGE. Ephemeral Data and Confirm
    Key Data are sized by ``suite``, the suite of the exchange.
    """
    payload = bytes(payload)

    if command_id == CommandId.INITIATE_KEY_ESTABLISHMENT:
        return _decode_initiate(payload)
    if command_id == CommandId.EPHEMERAL_DATA:
        _expect_length("Ephemeral Data", payload, suite.ephemeral_data_length)
        return EphemeralData(payload)
    if command_id == CommandId.CONFIRM_KEY_DATA:
        _expect_length("Confirm Key Data", payload, MAC_LENGTH)
        return ConfirmKeyData(payload)
    if command_id == CommandId.TERMINATE_KEY_ESTABLISHMENT:
        _expect_length("Terminate Key Establishment", payload, _TERMINATE_LENGTH)
        return TerminateKeyEstablishment(
            status=payload[0],
            wait_time=payload[1],
            suite=int.from_bytes(payload[2:4], "little"),
        )
    raise MessageDecodeError(f"Unknown Key Establishment command 0x{command_id:02x}")


def _decode_initiate(payload: bytes) -> InitiateKeyEstablishment:
    if len(payload) < _INITIATE_HEADER:
        raise MessageDecodeError("Initiate Key Establishment is cut short")

    suite = int.from_bytes(payload[0:2], "little")
    identity = payload[_INITIATE_HEADER:]
    expected = _KNOWN_CERTIFICATE_LENGTHS.get(suite)

    if expected is not None and len(identity) != expected:
        raise MessageDecodeError(
            f"A suite 0x{suite:04x} identity is {expected} bytes, not {len(identity)}"
        )
    return InitiateKeyEstablishment(
        suite=suite,
        ephemeral_data_generate_time=payload[2],
        confirm_key_generate_time=payload[3],
        identity=identity,
    )


def _expect_length(name: str, payload: bytes, length: int) -> None:
    if len(payload) != length:
        raise MessageDecodeError(f"{name} is {length} bytes, not {len(payload)}")
