"""CBKE over zigpy, the gateway as initiator.

``KeyEstablishmentInitiator`` is the "aux" role of a gateway towards a meter
that has its own Key Establishment server: it sends the Initiate Key
Establishment Request client to server from the gateway's Smart Energy
endpoint to the device's Key Establishment server endpoint, takes the
server-to-client answers (the responder ignores those), installs the link
key once the Confirm Key Data Response verified, and gives up when the
device does not answer within the time it advertised plus the margin (before
its Initiate Key Establishment Response, within the margin alone).
``establish`` returns the ``Outcome``.

Keys and private keys are never logged.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Final

from zigpy.application import ControllerApplication
import zigpy.device
import zigpy.endpoint
import zigpy.types as t
from zigpy.zcl import foundation

from .credentials import LocalCredentials
from .exchange import KeyEstablishment, Role, State
from .frames import (
    DEFAULT_ENDPOINT_ID,
    SMART_ENERGY_PROFILE,
    STALL_MARGIN_S,
    CredentialsSource,
    LinkKeyInstaller,
    Outcome,
    decode_frame,
    peer_wait_s,
    send_command,
)
from .messages import CLUSTER_ID, KeyEstablishmentCommand, TerminateStatus

_LOGGER: Final = logging.getLogger(__name__)

# Seconds the initiator waits for the Initiate Key Establishment Response,
# before the responder advertised any time
INITIATE_RESPONSE_TIMEOUT_S: Final = STALL_MARGIN_S


class KeyEstablishmentInitiator:
    """Runs CBKE as initiator with devices that have a Key Establishment server."""

    def __init__(
        self,
        app: ControllerApplication,
        credentials: CredentialsSource,
        *,
        install_link_key: LinkKeyInstaller,
        endpoint_id: int = DEFAULT_ENDPOINT_ID,
        stall_margin_s: float = STALL_MARGIN_S,
        response_timeout_s: float = INITIATE_RESPONSE_TIMEOUT_S,
    ) -> None:
        """Initiate on ``app`` with the credentials ``credentials()`` returns."""
        self.app = app
        self._credentials = credentials
        self._install_link_key = install_link_key
        self.endpoint_id = endpoint_id
        self.stall_margin_s = stall_margin_s
        self.response_timeout_s = response_timeout_s
        self._inboxes: dict[t.EUI64, asyncio.Queue[tuple[int, bytes]]] = {}
        self._peer_endpoints: dict[t.EUI64, int] = {}

    def start(self) -> None:
        """Listen to the application's frames."""
        self.app.add_listener(self)

    def stop(self) -> None:
        """Stop listening (exchanges in progress then stall)."""
        self.app.remove_listener(self)

    @property
    def in_progress(self) -> frozenset[t.EUI64]:
        """Return the devices with an exchange in progress."""
        return frozenset(self._inboxes)

    # --- zigpy application listener ------------------------------------------------

    def handle_message(
        self,
        device: zigpy.device.Device,
        _profile: int,
        cluster: int,
        src_ep: int,
        _dst_ep: int,
        message: bytes,
    ) -> None:
        """Take a Key Establishment answer from a device we initiated with."""
        inbox = self._inboxes.get(device.ieee)
        if (
            inbox is None
            or cluster != CLUSTER_ID
            or src_ep != self._peer_endpoints.get(device.ieee)
        ):
            return
        frame = decode_frame(message, foundation.Direction.Server_to_Client)
        if frame is None:
            return
        hdr, payload = frame
        inbox.put_nowait((int(hdr.command_id), payload))

    # --- The exchange ----------------------------------------------------------------

    async def establish(
        self, device: zigpy.device.Device, dst_ep: int, *, profile: int | None = None
    ) -> Outcome:
        """Run one exchange with the Key Establishment server on ``dst_ep``.

        Raises ``RuntimeError`` if one is already in progress with ``device``.
        """
        ieee = device.ieee
        if ieee in self._inboxes:
            raise RuntimeError(f"Key establishment with {ieee} already in progress")
        if profile is None:
            endpoint = device.endpoints.get(dst_ep)
            profile = (
                endpoint.profile_id
                if isinstance(endpoint, zigpy.endpoint.Endpoint) and endpoint.profile_id
                else SMART_ENERGY_PROFILE
            )
        credentials = self._credentials()
        if credentials is None:
            _LOGGER.debug(
                "No certificate installed: no key establishment with %s", ieee
            )
            return Outcome(ieee, established=False, no_credentials=True)

        inbox: asyncio.Queue[tuple[int, bytes]] = asyncio.Queue()
        self._inboxes[ieee] = inbox
        self._peer_endpoints[ieee] = dst_ep
        try:
            outcome = await self._run(
                device, profile, dst_ep, credentials, inbox, time.monotonic()
            )
        finally:
            del self._inboxes[ieee]
            del self._peer_endpoints[ieee]
        if outcome.established:
            _LOGGER.info(
                "Key establishment initiated with %s succeeded in %.1f ms"
                " (%.1f ms computing)",
                ieee,
                outcome.duration_s * 1000,
                outcome.compute_s * 1000,
            )
        else:
            _LOGGER.warning(
                "Key establishment initiated with %s failed: %s", ieee, outcome.reason
            )
        return outcome

    async def _run(
        self,
        device: zigpy.device.Device,
        profile: int,
        dst_ep: int,
        credentials: LocalCredentials,
        inbox: asyncio.Queue[tuple[int, bytes]],
        started: float,
    ) -> Outcome:
        ieee = device.ieee
        exchange = KeyEstablishment(Role.INITIATOR, credentials, ieee.serialize()[::-1])
        compute_s = 0.0

        def outcome(**kwargs: Any) -> Outcome:
            return Outcome(
                ieee,
                duration_s=time.monotonic() - started,
                compute_s=compute_s,
                **kwargs,
            )

        await self._send(device, profile, dst_ep, exchange.start())
        while True:
            try:
                async with asyncio.timeout(self._wait_s(exchange)):
                    command_id, payload = await inbox.get()
            except TimeoutError:
                return outcome(established=False, stalled=True)

            before = time.perf_counter()
            step = exchange.receive(command_id, payload)
            compute_s += time.perf_counter() - before

            if step.state is State.ESTABLISHED:
                assert step.link_key is not None
                try:
                    await self._install_link_key(ieee, step.link_key)
                except Exception as exc:
                    _LOGGER.error(  # noqa: TRY400 - the reason is enough
                        "Key establishment with %s: the radio did not take the"
                        " link key (%s)",
                        ieee,
                        exc,
                    )
                    return outcome(
                        established=False,
                        status=TerminateStatus.NO_RESOURCES,
                        link_key_refused=True,
                    )
                return outcome(established=True)
            if step.reply is not None:
                await self._send(device, profile, dst_ep, step.reply)
            if step.state is State.TERMINATED:
                return outcome(
                    established=False,
                    status=exchange.status,
                    terminated_by_peer=exchange.terminated_by_peer,
                )

    def _wait_s(self, exchange: KeyEstablishment) -> float:
        """Return how long the responder may take for its next answer."""
        if exchange.state is State.WAIT_INITIATE:
            return self.response_timeout_s
        return peer_wait_s(exchange, self.stall_margin_s)

    async def _send(
        self,
        device: zigpy.device.Device,
        profile: int,
        dst_ep: int,
        command: KeyEstablishmentCommand,
    ) -> None:
        """Send a client-to-server command to the device's server endpoint."""
        await send_command(
            device,
            command,
            profile=profile,
            src_ep=self.endpoint_id,
            dst_ep=dst_ep,
            tsn=self.app.get_sequence(),
            direction=foundation.Direction.Client_to_Server,
        )
