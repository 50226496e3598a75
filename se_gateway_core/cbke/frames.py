"""What both CBKE roles over zigpy share: outcome, callbacks and frames.

``Outcome`` is how one exchange ended, for the responder (``responder.py``)
and the initiator (``initiator.py``) alike; the callback types are what they
are given (credentials, link key installer, outcome listener, busy check).
The frame helpers decode a received Key Establishment frame, compute how long
the peer may take for its next command (the time it advertised plus a
margin), and send a command from the gateway's Smart Energy endpoint.

Keys and private keys are never logged.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
import logging
from typing import Final

import zigpy.device
import zigpy.types as t
from zigpy.zcl import foundation

from .credentials import LocalCredentials
from .exchange import KeyEstablishment, State
from .messages import CLUSTER_ID, KeyEstablishmentCommand, TerminateStatus

_LOGGER: Final = logging.getLogger(__name__)

# Seconds added to the generate times the device advertised
STALL_MARGIN_S: Final = 5.0
# The gateway's Smart Energy endpoint (``se_profile.esi_endpoint``)
DEFAULT_ENDPOINT_ID: Final = 0x5E
SMART_ENERGY_PROFILE: Final = 0x0109


@dataclass(frozen=True)
class Outcome:
    """How one exchange ended. ``status`` is the Terminate status, if any."""

    ieee: t.EUI64
    established: bool
    status: int | None = None
    terminated_by_peer: bool = False
    stalled: bool = False
    no_credentials: bool = False
    link_key_refused: bool = False
    duration_s: float = 0.0
    compute_s: float = 0.0

    @property
    def reason(self) -> str:
        """Return the ending in words, for logs."""
        if self.established:
            return "established"
        if self.no_credentials:
            return "no certificate installed"
        if self.link_key_refused:
            return "the radio did not take the link key"
        if self.stalled:
            return "the device stalled"
        name = _status_name(self.status)
        return f"terminated by the device ({name})" if self.terminated_by_peer else name


def _status_name(status: int | None) -> str:
    try:
        return TerminateStatus(status).name if status is not None else "none"
    except ValueError:
        return f"status 0x{status:02x}"


type CredentialsSource = Callable[[], LocalCredentials | None]
type LinkKeyInstaller = Callable[[t.EUI64, bytes], Awaitable[None]]
type OutcomeCallback = Callable[[Outcome], None]
type BusyCheck = Callable[[t.EUI64], bool]


def decode_frame(
    message: bytes, direction: foundation.Direction
) -> tuple[foundation.ZCLHeader, bytes] | None:
    """Return the header and payload of a cluster command sent in ``direction``.

    None if ``message`` does not decode, is a global command, or goes the
    other way.
    """
    try:
        hdr, payload = foundation.ZCLHeader.deserialize(message)
    except ValueError:
        return None
    if not hdr.frame_control.is_cluster or hdr.direction != direction:
        return None
    return hdr, bytes(payload)


def peer_wait_s(exchange: KeyEstablishment, margin_s: float) -> float:
    """Return how long the peer may take for its next command.

    The generate time it advertised for the command ``exchange`` waits for
    (Ephemeral Data, else Confirm Key Data), plus ``margin_s``.
    """
    if exchange.state is State.WAIT_EPHEMERAL_DATA:
        advertised = exchange.peer_ephemeral_data_generate_time or 0
    else:
        advertised = exchange.peer_confirm_key_generate_time or 0
    return advertised + margin_s


async def send_command(
    device: zigpy.device.Device,
    command: KeyEstablishmentCommand,
    *,
    profile: int,
    src_ep: int,
    dst_ep: int,
    tsn: int,
    direction: foundation.Direction,
) -> None:
    """Send ``command`` to the device; a failure is logged, not raised."""
    hdr = foundation.ZCLHeader.cluster(tsn, command.command_id, direction=direction)
    try:
        await device.request(
            profile=profile,
            cluster=CLUSTER_ID,
            src_ep=src_ep,
            dst_ep=dst_ep,
            sequence=tsn,
            data=hdr.serialize() + command.encode(),
            expect_reply=False,
            priority=t.PacketPriority.CRITICAL,
        )
    except Exception as exc:
        _LOGGER.warning(
            "Could not send %s to %s: %r", type(command).__name__, device.ieee, exc
        )
