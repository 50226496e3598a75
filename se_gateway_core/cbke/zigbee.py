"""CBKE over zigpy: the gateway as responder (trust centre), and as initiator.

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

``KeyEstablishmentInitiator`` is the other role (the "aux" role of a
gateway towards a meter that has its own Key Establishment server): it sends
the Initiate Key Establishment Request client to server from the gateway's
Smart Energy endpoint to the device's Key Establishment server endpoint,
takes the server-to-client answers (the responder ignores those), installs
the link key once the Confirm Key Data Response verified, and gives up when
the device does not answer within the time it advertised plus the margin
(before its Initiate Key Establishment Response, within the margin alone).
``establish`` returns the ``Outcome``.

Keys and private keys are never logged.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
import logging
import time
from typing import Any, Final

from zigpy.application import ControllerApplication
import zigpy.device
import zigpy.endpoint
import zigpy.types as t
from zigpy.zcl import foundation

from .credentials import LocalCredentials
from .exchange import KeyEstablishment, Role, State, busy_terminate
from .messages import (
    CLUSTER_ID,
    CommandId,
    KeyEstablishmentCommand,
    TerminateKeyEstablishment,
    TerminateStatus,
)

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
        try:
            hdr, payload = foundation.ZCLHeader.deserialize(message)
        except ValueError:
            return
        if (
            not hdr.frame_control.is_cluster
            or hdr.direction != foundation.Direction.Client_to_Server
        ):
            return
        endpoint = device.endpoints.get(src_ep)
        if isinstance(endpoint, zigpy.endpoint.Endpoint) and endpoint.profile_id:
            profile = endpoint.profile_id
        self._spawn(self._receive(device, profile, src_ep, hdr, bytes(payload)))

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
        exchange = session.exchange
        if exchange.state is State.WAIT_EPHEMERAL_DATA:
            advertised = exchange.peer_ephemeral_data_generate_time or 0
        else:
            advertised = exchange.peer_confirm_key_generate_time or 0
        session.deadline = asyncio.get_running_loop().call_later(
            advertised + self.stall_margin_s, self._stalled, session, ieee
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
        hdr = foundation.ZCLHeader.cluster(
            tsn,
            command.command_id,
            direction=foundation.Direction.Server_to_Client,
        )
        try:
            await device.request(
                profile=profile,
                cluster=CLUSTER_ID,
                src_ep=self.endpoint_id,
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

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


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
        try:
            hdr, payload = foundation.ZCLHeader.deserialize(message)
        except ValueError:
            return
        if (
            not hdr.frame_control.is_cluster
            or hdr.direction != foundation.Direction.Server_to_Client
        ):
            return
        inbox.put_nowait((int(hdr.command_id), bytes(payload)))

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
        if exchange.state is State.WAIT_EPHEMERAL_DATA:
            advertised = exchange.peer_ephemeral_data_generate_time or 0
        else:
            advertised = exchange.peer_confirm_key_generate_time or 0
        return advertised + self.stall_margin_s

    async def _send(
        self,
        device: zigpy.device.Device,
        profile: int,
        dst_ep: int,
        command: KeyEstablishmentCommand,
    ) -> None:
        """Send a client-to-server command to the device's server endpoint."""
        tsn = self.app.get_sequence()
        hdr = foundation.ZCLHeader.cluster(
            tsn,
            command.command_id,
            direction=foundation.Direction.Client_to_Server,
        )
        try:
            await device.request(
                profile=profile,
                cluster=CLUSTER_ID,
                src_ep=self.endpoint_id,
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
