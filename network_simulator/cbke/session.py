"""The simulated devices' side of a Key Establishment exchange (cluster 0x0800).

A second implementation of the CBKE protocol of ZigBee SE 07-5356 Annex C,
independent of the gateway's ``se_gateway_core.cbke.exchange``: it works on
(command id, payload) pairs, packs and parses with ``struct``, and does its
arithmetic with ``ec163`` and ``mmo``.

Roles: the initiator U (a device, usually) sends the requests, the responder
V (the trust centre / ESI, or a device playing it) the responses. Crypto
suite 1 only. Statuses of Terminate Key Establishment: 1 unknown issuer,
2 bad key confirm, 3 bad message, 4 no resources, 5 unsupported suite,
6 invalid certificate.

ECMQV with cofactor (SEC 1 v2.0 §3.4): s = d_E + avf(Q_E) d (mod n),
P = h s (Q_E' + avf(Q_E') Q'), Z = x_P (21 bytes), with avf(Q) the low 82 bits
of x_Q plus 2^82 (82 = ceil(ceil(log2 n) / 2)). Keys: MacKey = H(Z||1),
KeyData = H(Z||2); MACU = HMAC(02||U||V||QEU||QEV) from the initiator,
MACV = HMAC(03||V||U||QEV||QEU) from the responder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import hmac
import struct

from . import ec163
from .authority import (
    CertificateRejected,
    ScalarSource,
    extract_public_key,
    random_scalar,
)
from .mmo import kdf, mmo_hmac

SUITE_1 = 0x0001
INITIATE = 0x00
EPHEMERAL = 0x01
CONFIRM = 0x02
TERMINATE = 0x03

UNKNOWN_ISSUER = 0x01
BAD_KEY_CONFIRM = 0x02
BAD_MESSAGE = 0x03
NO_RESOURCES = 0x04
UNSUPPORTED_SUITE = 0x05
INVALID_CERTIFICATE = 0x06

_AVF_BITS = 82
_INITIATE_FORMAT = "<HBB48s"
_TERMINATE_FORMAT = "<BBH"

type Command = tuple[int, bytes]
"""A command id and its payload."""


def avf(point: tuple[int, int]) -> int:
    """Return the ECMQV associate value of a point."""
    return (point[0] % (1 << _AVF_BITS)) + (1 << _AVF_BITS)


def terminate(status: int, wait_time: int = 10) -> Command:
    """Return a Terminate Key Establishment command."""
    return TERMINATE, struct.pack(_TERMINATE_FORMAT, status, wait_time, SUITE_1)


@dataclass(frozen=True)
class DeviceCredentials:
    """A device's certificate, private key and trusted CA public key."""

    certificate: bytes
    private_key: int = field(repr=False)
    ca_public_key: bytes

    @property
    def ieee(self) -> bytes:
        """Return the certificate's subject."""
        return self.certificate[22:30]

    @property
    def issuer(self) -> bytes:
        """Return the certificate's issuer."""
        return self.certificate[30:38]


class _Stop(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@dataclass
class CbkeSession:
    """One exchange with one partner.

    ``handle`` returns the command to send back, or None. ``link_key`` is set
    when the exchange succeeds; ``terminate_status`` when it fails (sent by
    either side).
    """

    initiator: bool
    credentials: DeviceCredentials
    partner_ieee: bytes
    new_ephemeral_key: ScalarSource = random_scalar
    generate_times: tuple[int, int] = (2, 2)
    link_key: bytes | None = field(default=None, repr=False)
    terminate_status: int | None = None
    _expecting: int = field(default=INITIATE, init=False)
    _partner_key: tuple[int, int] | None = field(default=None, init=False, repr=False)
    _ephemeral_private: int = field(default=0, init=False, repr=False)
    _ephemeral: bytes = field(default=b"", init=False)
    _partner_ephemeral: bytes = field(default=b"", init=False)
    _mac_key: bytes = field(default=b"", init=False, repr=False)
    _key_data: bytes = field(default=b"", init=False, repr=False)
    _finished: bool = field(default=False, init=False)

    def initiate(self) -> Command:
        """Return our Initiate Key Establishment (request or response)."""
        return INITIATE, struct.pack(
            _INITIATE_FORMAT,
            SUITE_1,
            *self.generate_times,
            self.credentials.certificate,
        )

    def handle(self, command_id: int, payload: bytes) -> Command | None:
        """Process one command from the partner."""
        if self._finished:
            return None
        if command_id == TERMINATE:
            self._finished = True
            if len(payload) == 4:
                self.terminate_status = payload[0]
            return None
        try:
            return self._dispatch(command_id, payload)
        except _Stop as stop:
            self._finished = True
            self.terminate_status = stop.status
            return terminate(stop.status)

    def _dispatch(self, command_id: int, payload: bytes) -> Command | None:
        if command_id != self._expecting:
            raise _Stop(BAD_MESSAGE)
        if command_id == INITIATE:
            return self._on_initiate(payload)
        if command_id == EPHEMERAL:
            return self._on_ephemeral(payload)
        return self._on_confirm(payload)

    def _on_initiate(self, payload: bytes) -> Command:
        if len(payload) < 4:
            raise _Stop(BAD_MESSAGE)
        (suite,) = struct.unpack_from("<H", payload)
        if suite != SUITE_1:
            raise _Stop(UNSUPPORTED_SUITE)
        if len(payload) != struct.calcsize(_INITIATE_FORMAT):
            raise _Stop(BAD_MESSAGE)
        _, _, _, certificate = struct.unpack(_INITIATE_FORMAT, payload)
        if certificate[30:38] != self.credentials.issuer:
            raise _Stop(UNKNOWN_ISSUER)
        if certificate[22:30] != self.partner_ieee:
            raise _Stop(INVALID_CERTIFICATE)
        try:
            self._partner_key = extract_public_key(
                certificate, self.credentials.ca_public_key
            )
        except CertificateRejected:
            raise _Stop(INVALID_CERTIFICATE) from None
        self._expecting = EPHEMERAL
        if self.initiator:
            return EPHEMERAL, self._make_ephemeral()
        return self.initiate()

    def _make_ephemeral(self) -> bytes:
        self._ephemeral_private = self.new_ephemeral_key()
        point = ec163.scalar_mult(self._ephemeral_private, ec163.G)
        assert point is not None
        self._ephemeral = ec163.compress(point)
        return self._ephemeral

    def _on_ephemeral(self, payload: bytes) -> Command:
        try:
            partner_ephemeral = ec163.decompress(payload)
        except ec163.BadPoint:
            raise _Stop(BAD_MESSAGE) from None
        reply: Command | None = None
        if not self.initiator:
            reply = EPHEMERAL, self._make_ephemeral()
        own_ephemeral = ec163.decompress(self._ephemeral)
        assert self._partner_key is not None

        s = (
            self._ephemeral_private + avf(own_ephemeral) * self.credentials.private_key
        ) % ec163.N
        partner = ec163.point_add(
            partner_ephemeral,
            ec163.scalar_mult(avf(partner_ephemeral), self._partner_key),
        )
        agreed = ec163.scalar_mult(ec163.H * s, partner)
        if agreed is None:
            raise _Stop(BAD_MESSAGE)
        z = agreed[0].to_bytes(ec163.ELEMENT_BYTES, "big")
        self._mac_key, self._key_data = kdf(z)
        self._partner_ephemeral = bytes(payload)
        self._expecting = CONFIRM

        if self.initiator:
            return CONFIRM, self._mac(initiator_side=True)
        assert reply is not None
        return reply

    def _mac(self, *, initiator_side: bool) -> bytes:
        """Return MACU (initiator_side) or MACV."""
        own, partner = self.credentials.ieee, self.partner_ieee
        if self.initiator:
            u, v, qeu, qev = own, partner, self._ephemeral, self._partner_ephemeral
        else:
            u, v, qeu, qev = partner, own, self._partner_ephemeral, self._ephemeral
        if initiator_side:
            return mmo_hmac(self._mac_key, b"\x02" + u + v + qeu + qev)
        return mmo_hmac(self._mac_key, b"\x03" + v + u + qev + qeu)

    def _on_confirm(self, payload: bytes) -> Command | None:
        if len(payload) != 16:
            raise _Stop(BAD_MESSAGE)
        expected = self._mac(initiator_side=not self.initiator)
        if not hmac.compare_digest(expected, payload):
            raise _Stop(BAD_KEY_CONFIRM)
        self.link_key = self._key_data
        self._finished = True
        if self.initiator:
            return None
        return CONFIRM, self._mac(initiator_side=False)
