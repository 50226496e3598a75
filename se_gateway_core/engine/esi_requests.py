"""Answering what clients ask the server (ESI), as Silicon Labs' ESI does.

Each reply carries the request's ZCL sequence number:

- Get Current Price: Publish Price of the price in force;
- Get Scheduled Prices / Get Scheduled Events (start, n): one command per
  event ending after ``start`` (0: now), at most ``n`` (0: all), by start time;
  load control events only if they address the asking client;
- Get Last Message: Display Message of the last message;
- nothing to send (or Get Block Periods, Get Message Cancellation, which this
  server has no data for): Default Response NOT_FOUND (0x8B).

Report Event Status and Message Confirmation are recorded per device and per
event. zigpy's cluster itself sends their Default Response SUCCESS when the
request asks for one, before the engine sees the request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
import logging
from typing import Any, Final

from zigpy.zcl import Cluster
from zigpy.zcl.foundation import GeneralCommand, Status

from ..clusters import Drlc, Messaging, Price
from . import commands, sending
from .clock import Clock
from .delivery import DeviceRef
from .notifications import (
    Notifier,
    ReceivedMessageConfirmation,
    ReceivedReportEventStatus,
)
from .records import RecordError
from .server_state import ServerState
from .tasks import BackgroundTasks

_LOGGER: Final = logging.getLogger(__name__)

PRICE_REQUESTS: Final = Price.ServerCommandDefs
DRLC_REQUESTS: Final = Drlc.ServerCommandDefs
MESSAGING_REQUESTS: Final = Messaging.ServerCommandDefs


@dataclass(frozen=True)
class Request:
    """A request a client sent: the client's cluster, the sequence, the payload."""

    cluster: Cluster
    tsn: int
    command_id: int
    args: Any

    @property
    def device(self) -> DeviceRef:
        """Return the device endpoint that sent the request."""
        return DeviceRef.of(self.cluster)

    async def not_found(self) -> None:
        """Answer with Default Response NOT_FOUND."""
        await self.cluster.general_command(
            GeneralCommand.Default_Response,
            self.command_id,
            Status.NOT_FOUND,
            tsn=self.tsn,
        )


type RequestHandler = Callable[[Request], Awaitable[None]]


class EsiRequests:
    """Answers the requests of client clusters from the server's state."""

    def __init__(
        self,
        state: Callable[[], ServerState],
        clock: Clock,
        notifier: Notifier,
        tasks: BackgroundTasks,
    ) -> None:
        self._state = state
        self._clock = clock
        self._notifier = notifier
        self._tasks = tasks
        self._handlers: dict[tuple[int, int], RequestHandler] = {
            (Price.cluster_id, PRICE_REQUESTS.get_current_price.id): (
                self._get_current_price
            ),
            (Price.cluster_id, PRICE_REQUESTS.get_scheduled_prices.id): (
                self._get_scheduled_prices
            ),
            (Price.cluster_id, PRICE_REQUESTS.price_acknowledgement.id): _ignore,
            (Price.cluster_id, PRICE_REQUESTS.get_block_periods.id): Request.not_found,
            (Drlc.cluster_id, DRLC_REQUESTS.report_event_status.id): (
                self._report_event_status
            ),
            (Drlc.cluster_id, DRLC_REQUESTS.get_scheduled_events.id): (
                self._get_scheduled_events
            ),
            (Messaging.cluster_id, MESSAGING_REQUESTS.get_last_message.id): (
                self._get_last_message
            ),
            (Messaging.cluster_id, MESSAGING_REQUESTS.message_confirmation.id): (
                self._message_confirmation
            ),
            (Messaging.cluster_id, MESSAGING_REQUESTS.get_message_cancellation.id): (
                Request.not_found
            ),
        }

    def handle(self, cluster: Cluster, tsn: int, command_id: int, args: Any) -> None:
        """Answer a request a client cluster decoded (a zigpy listener callback)."""
        handler = self._handlers.get((cluster.cluster_id, command_id))
        if handler is not None:
            request = Request(cluster, tsn, command_id, args)
            self._tasks.spawn(
                self._answer(handler, request),
                f"se_gateway answer to {request.device}",
            )

    async def _answer(self, handler: RequestHandler, request: Request) -> None:
        try:
            await handler(request)
        except RecordError as exc:
            _LOGGER.warning("Dropped a request of %s: %s", request.device, exc)

    async def _get_current_price(self, request: Request) -> None:
        now = self._clock.now()
        active = self._state().prices.active(now)
        if active is None:
            await request.not_found()
            return
        await sending.publish_prices(request.cluster, [active], now, request.tsn)

    async def _get_scheduled_prices(self, request: Request) -> None:
        now, args = self._clock.now(), request.args
        entries = self._state().prices.upcoming(
            now, args.start_time, args.number_of_events
        )
        if not entries:
            await request.not_found()
            return
        await sending.publish_prices(request.cluster, entries, now, request.tsn)

    async def _get_scheduled_events(self, request: Request) -> None:
        now, args = self._clock.now(), request.args
        upcoming = self._state().drlc.upcoming(now, args.start_time)
        addressed = [
            entry
            for entry, _ in sending.drlc_events_for(request.cluster, upcoming, now)
        ]
        if args.number_of_events:
            addressed = addressed[: args.number_of_events]
        if not addressed:
            await request.not_found()
            return
        await sending.send_drlc_events(request.cluster, addressed, now, request.tsn)

    async def _get_last_message(self, request: Request) -> None:
        now = self._clock.now()
        last = self._state().messages.last(now)
        if last is None:
            await request.not_found()
            return
        await sending.display_messages(request.cluster, [last], now, request.tsn)

    async def _report_event_status(self, request: Request) -> None:
        record = commands.report_from_payload(request.args)
        device = request.device
        self._state().reports.add(device, record.issuer_event_id, record)
        self._notifier.emit(
            ReceivedReportEventStatus.of(device, Drlc.cluster_id, record=record)
        )

    async def _message_confirmation(self, request: Request) -> None:
        record = commands.confirmation_from_payload(request.args)
        device = request.device
        self._state().confirmations.add(device, record.message_id, record)
        self._notifier.emit(
            ReceivedMessageConfirmation.of(device, Messaging.cluster_id, record=record)
        )


async def _ignore(request: Request) -> None:
    """Take a request that needs no answer beyond zigpy's Default Response."""
