"""CBKE over zigpy, the gateway as responder (trust centre).

``KeyEstablishmentResponder`` listens to what zigpy's application receives
(its ``handle_message`` listener event: the raw frame of every known device,
initialized or still being interviewed, before any cluster decodes it) and
runs one ``exchange.KeyEstablishment`` per device for the frames of the Key
Establishment cluster (0x0800) sent client to server. Its answers go out on
the device's own endpoint profile, from the gateway's Smart Energy endpoint,
with the request's sequence number.

Why the raw frame and not the cluster: a certified device starts CBKE right
after joining, while zigpy is still interviewing it, and zigpy hands an
uninitialized device's frames to its clusters only for Basic, OTA and Poll
Control. The listener sees them all; zigpy's own handling is untouched.

On success the link key is given to ``install_link_key`` (the radio's key
table) *before* the Confirm Key Data Response goes out, so that the device's
first APS-encrypted frame finds the key in the radio. ``on_outcome`` then
hears of every ended exchange: established, refused by us (with the
Terminate status sent), terminated by the device, or stalled (the device did
not send its next command within the time it advertised, plus a margin).

Keys and private keys are never logged.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
import logging
import time
from typing import Any, Final

from zigpy.application import ControllerApplication
import zigpy.device
import zigpy.endpoint
import zigpy.types as t
from zigpy.zcl import foundation

from .exchange import KeyEstablishment, Role, State, busy_terminate
from .frames import (
    DEFAULT_ENDPOINT_ID,
    STALL_MARGIN_S,
    BusyCheck,
    CredentialsSource,
    LinkKeyInstaller,
    Outcome,
    OutcomeCallback,
    decode_frame,
    peer_wait_s,
    send_command,
)
from .messages import (
    CLUSTER_ID,
    CommandId,
    KeyEstablishmentCommand,
    TerminateKeyEstablishment,
    TerminateStatus,
)

_LOGGER: Final = logging.getLogger(__name__)


@dataclass
class _Session:
    exchange: KeyEstablishment
    profile_id: int
    endpoint_id: int
    started: float = field(default_factory=time.monotonic)
    compute_s: float = 0.0
    deadline: asyncio.TimerHandle | None = None


class KeyEstablishmentResponder:
    """Answers the Key Establishment requests of every device on the network."""

    def __init__(
        self,
        app: ControllerApplication,
        credentials: CredentialsSource,
        *,
        install_link_key: LinkKeyInstaller,
        on_outcome: OutcomeCallback,
        endpoint_id: int = DEFAULT_ENDPOINT_ID,
        stall_margin_s: float = STALL_MARGIN_S,
        is_busy: BusyCheck | None = None,
    ) -> None:
        """Answer on ``app`` with the credentials ``credentials()`` returns.

        ``is_busy(ieee)`` True (the gateway is initiating with that device)
        answers an Initiate with Terminate NO_RESOURCES and no outcome.
        """
        self.app = app
        self._credentials = credentials
        self._install_link_key = install_link_key
        self._on_outcome = on_outcome
        self._is_busy = is_busy
        self.endpoint_id = endpoint_id
        self.stall_margin_s = stall_margin_s
        self._sessions: dict[t.EUI64, _Session] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._queues: dict[t.EUI64, asyncio.Lock] = {}

    def start(self) -> None:
        """Listen to the application's frames."""
        self.app.add_listener(self)

    def stop(self) -> None:
        """Stop listening; drop every exchange in progress."""
        self.app.remove_listener(self)
        for session in self._sessions.values():
            if session.deadline is not None:
                session.deadline.cancel()
        self._sessions.clear()
        for task in self._tasks:
            task.cancel()

    @property
    def in_progress(self) -> frozenset[t.EUI64]:
        """Return the devices with an exchange in progress."""
        return frozenset(self._sessions)

    # --- zigpy application listener ------------------------------------------------

    def handle_message(
        self,
        device: zigpy.device.Device,
        profile: int,
        cluster: int,
        src_ep: int,
        _dst_ep: int,
        message: bytes,
    ) -> None:
        """Take a Key Establishment request from ``device``."""
        if cluster != CLUSTER_ID or src_ep == 0:
            return
        frame = decode_frame(message, foundation.Direction.Client_to_Server)
        if frame is None:
            return
        hdr, payload = frame
        endpoint = device.endpoints.get(src_ep)
        if isinstance(endpoint, zigpy.endpoint.Endpoint) and endpoint.profile_id:
            profile = endpoint.profile_id
        self._spawn(self._receive(device, profile, src_ep, hdr, payload))

    # --- The exchange ----------------------------------------------------------------

    async def _receive(
        self,
        device: zigpy.device.Device,
        profile: int,
        src_ep: int,
        hdr: foundation.ZCLHeader,
        payload: bytes,
    ) -> None:
        # One command at a time per device, in arrival order
        lock = self._queues.setdefault(device.ieee, asyncio.Lock())
        async with lock:
            await self._handle(device, profile, src_ep, hdr, payload)

    async def _handle(
        self,
        device: zigpy.device.Device,
        profile: int,
        src_ep: int,
        hdr: foundation.ZCLHeader,
        payload: bytes,
    ) -> None:
        ieee = device.ieee
        session = self._sessions.get(ieee)

        command_id = int(hdr.command_id)
        if command_id == CommandId.INITIATE_KEY_ESTABLISHMENT:
            if self._is_busy is not None and self._is_busy(ieee):
                _LOGGER.debug(
                    "%s started key establishment while the gateway initiates one",
                    ieee,
                )
                await self._send(device, profile, src_ep, hdr.tsn, busy_terminate())
                return
            if session is not None:
                _LOGGER.debug("%s started key establishment again", ieee)
                self._end(session, ieee)
            credentials = self._credentials()
            if credentials is None:
                _LOGGER.warning(
                    "Key establishment with %s refused: no certificate is installed"
                    " on the gateway (Terminate NO_RESOURCES)",
                    ieee,
                )
                await self._send(device, profile, src_ep, hdr.tsn, busy_terminate())
                self._on_outcome(
                    Outcome(
                        ieee,
                        established=False,
                        status=TerminateStatus.NO_RESOURCES,
                        no_credentials=True,
                    )
                )
                return
            exchange = KeyEstablishment(
                Role.RESPONDER, credentials, ieee.serialize()[::-1]
            )
            session = _Session(exchange, profile, src_ep)
            self._sessions[ieee] = session
        elif session is None:
            if command_id != CommandId.TERMINATE_KEY_ESTABLISHMENT:
                _LOGGER.debug(
                    "Key Establishment command 0x%02x from %s outside an exchange",
                    hdr.command_id,
                    ieee,
                )
                await self._send(
                    device,
                    profile,
                    src_ep,
                    hdr.tsn,
                    TerminateKeyEstablishment(TerminateStatus.BAD_MESSAGE, 10, 1),
                )
            return

        started = time.perf_counter()
        step = session.exchange.receive(hdr.command_id, payload)
        session.compute_s += time.perf_counter() - started

        if step.state is State.ESTABLISHED:
            assert step.link_key is not None
            # The radio must know the key before the device uses it
            try:
                await self._install_link_key(ieee, step.link_key)
            except Exception as exc:
                _LOGGER.error(  # noqa: TRY400 - the reason is enough, no traceback
                    "Key establishment with %s: the radio did not take the link"
                    " key (%s); the device is refused (Terminate NO_RESOURCES)",
                    ieee,
                    exc,
                )
                self._end(session, ieee)
                await self._send(device, profile, src_ep, hdr.tsn, busy_terminate())
                self._on_outcome(
                    Outcome(
                        ieee,
                        established=False,
                        status=TerminateStatus.NO_RESOURCES,
                        link_key_refused=True,
                        duration_s=time.monotonic() - session.started,
                        compute_s=session.compute_s,
                    )
                )
                return
        if step.reply is not None:
            await self._send(device, profile, src_ep, hdr.tsn, step.reply)

        if step.state is State.ESTABLISHED or step.state is State.TERMINATED:
            self._finish(session, ieee)
        else:
            self._arm_deadline(session, ieee)

    def _arm_deadline(self, session: _Session, ieee: t.EUI64) -> None:
        if session.deadline is not None:
            session.deadline.cancel()
        session.deadline = asyncio.get_running_loop().call_later(
            peer_wait_s(session.exchange, self.stall_margin_s),
            self._stalled,
            session,
            ieee,
        )

    def _stalled(self, session: _Session, ieee: t.EUI64) -> None:
        if self._sessions.get(ieee) is not session:
            return
        self._end(session, ieee)
        outcome = Outcome(
            ieee,
            established=False,
            stalled=True,
            duration_s=time.monotonic() - session.started,
            compute_s=session.compute_s,
        )
        _LOGGER.warning(
            "Key establishment with %s failed: %s in state %s",
            ieee,
            outcome.reason,
            session.exchange.state.name,
        )
        self._on_outcome(outcome)

    def _finish(self, session: _Session, ieee: t.EUI64) -> None:
        self._end(session, ieee)
        exchange = session.exchange
        outcome = Outcome(
            ieee,
            established=exchange.state is State.ESTABLISHED,
            status=exchange.status,
            terminated_by_peer=exchange.terminated_by_peer,
            duration_s=time.monotonic() - session.started,
            compute_s=session.compute_s,
        )
        if outcome.established:
            _LOGGER.info(
                "Key establishment with %s succeeded in %.1f ms (%.1f ms computing)",
                ieee,
                outcome.duration_s * 1000,
                outcome.compute_s * 1000,
            )
        else:
            _LOGGER.warning(
                "Key establishment with %s failed: %s", ieee, outcome.reason
            )
        self._on_outcome(outcome)

    def _end(self, session: _Session, ieee: t.EUI64) -> None:
        if session.deadline is not None:
            session.deadline.cancel()
            session.deadline = None
        if self._sessions.get(ieee) is session:
            del self._sessions[ieee]

    # --- Sending -------------------------------------------------------------------

    async def _send(
        self,
        device: zigpy.device.Device,
        profile: int,
        dst_ep: int,
        tsn: int,
        command: KeyEstablishmentCommand,
    ) -> None:
        """Send a server-to-client command to the device, with the request's tsn."""
        await send_command(
            device,
            command,
            profile=profile,
            src_ep=self.endpoint_id,
            dst_ep=dst_ep,
            tsn=tsn,
            direction=foundation.Direction.Server_to_Client,
        )

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
