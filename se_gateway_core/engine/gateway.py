"""``GatewayEngine``: the one object the integration holds (see the package)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import dataclasses
import random
from typing import Any, Final

from zigpy.application import ControllerApplication
from zigpy.device import Device
import zigpy.types as t
from zigpy.zcl.foundation import Status

from . import refusals, store
from .binding import ZigbeeBinding
from .client import AuxClient
from .client_state import DrlcClientSettings
from .clock import Clock, SystemClock
from .delivery import DeviceRef, SendResult
from .esi import EsiClients
from .esi_requests import EsiRequests
from .network import AvailabilityCheck, initialized
from .notifications import Listener, Notifier
from .records import (
    MAX_SENT_MESSAGE_BYTES,
    CancelAllDrlcEvents,
    CancelDrlcEvent,
    CancelMessage,
    DrlcEvent,
    EventStatusReport,
    MessageConfirmation,
    MessageEvent,
    PriceEvent,
)
from .reports import Received
from .scheduler import LoopScheduler, Scheduler
from .server_state import ServerState
from .tables import EventTable, TableEntry
from .tasks import BackgroundTasks
from .view import EngineView

ISSUER_EVENT_ID: Final = "issuer_event_id"
MESSAGE_ID: Final = "message_id"
UINT32_MAX: Final = 0xFFFFFFFE  # 0xFFFFFFFF is "not used" in SE


def _nothing() -> None:
    """Take a change nobody follows."""


def _unread(_result: SendResult) -> None:
    """Take a result nobody follows."""


async def _kept() -> None:
    """Keep a change nobody writes down."""


class GatewayEngine:
    """The Smart Energy gateway: server of events, client of remote servers."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        scheduler: Scheduler | None = None,
        drlc_client: DrlcClientSettings | None = None,
        is_available: AvailabilityCheck = initialized,
        rng: random.Random | None = None,
        on_change: Callable[[], None] = _nothing,
        on_sent: Callable[[SendResult], None] = _unread,
        persist: Callable[[], Awaitable[None]] = _kept,
    ) -> None:
        """Create an engine.

        ``clock`` and ``scheduler`` default to the host clock and the asyncio
        loop. ``drlc_client`` holds the gateway's own DRLC client attributes.
        ``is_available`` tells whether a device should get events (default:
        zigpy has interviewed it; the integration passes ZHA's availability).
        ``on_change`` is called once per request that changes the state, after
        the change and before anything is sent; ``on_sent`` gets the result of
        every fan-out and resend. ``persist`` is awaited after a change the
        caller asked for (an event created or cancelled, a participation) and
        before it is sent: what the gateway promises is written down before it
        goes on the air.
        """
        self._clock = clock or SystemClock()
        self._tasks = BackgroundTasks()
        self._scheduler = scheduler or LoopScheduler(self._clock, self._tasks)
        self._notifier = Notifier()
        self._is_available = is_available
        self._on_change = on_change
        self._on_sent = on_sent
        self._persist = persist
        self._server = ServerState()
        self._clients = EsiClients(lambda: self._server)
        self._requests = EsiRequests(
            lambda: self._server, self._clock, self._notifier, self._tasks
        )
        self._client = AuxClient(
            self._clock,
            self._scheduler,
            self._notifier,
            self._tasks,
            drlc_client or DrlcClientSettings(),
            rng or random.Random(),
        )
        self._binding = ZigbeeBinding(
            on_request=self._requests.handle,
            on_command=self._client.handle_command,
            on_device_ready=self._device_ready,
        )

    # --- Lifecycle ----------------------------------------------------------------

    def attach(self, app: ControllerApplication) -> None:
        """Serve the devices of ``app`` and listen to what they send."""
        self._binding.attach(app)
        self._clients.bind(app, self._is_available)
        self._client.bind(app)

    def detach(self) -> None:
        """Stop listening and sending; stop the client role's timers."""
        self._binding.detach()
        self._clients.bind(None, self._is_available)
        self._client.bind(None)
        self._client.cancel_timers()
        self._tasks.cancel()

    async def wait_idle(self) -> None:
        """Wait until every answer and report in flight has been sent."""
        await self._tasks.join()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every notification; return the unsubscribe."""
        return self._notifier.subscribe(listener)

    @property
    def view(self) -> EngineView:
        """Return the tables, read in place: nothing is copied."""
        return EngineView(self._server, self._client.servers)

    def _device_ready(self, device: Device) -> None:
        """Send the events to a device that has just joined."""
        self._tasks.spawn(
            self._resend_quietly(device.ieee), f"se_gateway resend to {device.ieee}"
        )

    async def _resend_quietly(self, ieee: t.EUI64) -> None:
        await self._clients.resend_to_device(ieee, self._clock.now())

    def _stored[E: TableEntry[Any]](
        self, table: EventTable[E], status: Status, event_id: int, id_field: str
    ) -> E:
        """Return the entry a table just stored and tell ``on_change``.

        Raise ``RefusalError`` for what the table did not store.
        """
        if status == Status.DUPLICATE_EXISTS:
            raise refusals.duplicate_id(id_field, event_id)
        if status != Status.SUCCESS:
            raise refusals.already_ended(event_id)
        entry = table.get(event_id)
        assert entry is not None
        self._on_change()
        return entry

    def _sent(self, result: SendResult) -> SendResult:
        self._on_sent(result)
        return result

    # --- Server role: generated ids ---------------------------------------------

    def issue_event_id(self) -> int:
        """Return a new issuer event (or message) id, higher than any issued before.

        It is at least the current SE time, so ids keep increasing even across a
        lost state; the last one is kept with the state (``to_dict``).
        """
        issued = max(self._server.last_issued_id + 1, self._clock.now())
        self._server.last_issued_id = min(issued, UINT32_MAX)
        self._on_change()
        return self._server.last_issued_id

    # --- Server role: price -------------------------------------------------------

    async def create_price_event(self, record: PriceEvent) -> SendResult:
        """Store a price and publish it to every price client now."""
        now = self._clock.now()
        prices = self._server.prices
        status = prices.add(record, now)
        entry = self._stored(prices, status, record.event_id, ISSUER_EVENT_ID)
        await self._persist()
        return self._sent(await self._clients.publish_price(entry, now))

    async def schedule_price_events(self, records: list[PriceEvent]) -> list[Status]:
        """Store prices ahead without publishing them; save once.

        The clients get them by asking (Get Scheduled Prices) or when
        ``publish_stored_price`` sends one. Returns each record's status:
        SUCCESS, DUPLICATE_EXISTS or INVALID_FIELD (already ended).
        """
        now = self._clock.now()
        statuses = [self._server.prices.add(record, now) for record in records]
        if Status.SUCCESS in statuses:
            self._on_change()
            await self._persist()
        return statuses

    async def publish_stored_price(self, issuer_event_id: int) -> SendResult:
        """Publish a stored price to every price client now."""
        now = self._clock.now()
        entry = self._server.prices.get(issuer_event_id)
        if entry is None or entry.has_ended(now):
            return SendResult(status=Status.NOT_FOUND)
        return self._sent(await self._clients.publish_price(entry, now))

    def cancel_price_event(self, issuer_event_id: int) -> SendResult:
        """Forget a price (SE 1.1 has no command to withdraw one)."""
        removed = self._server.prices.remove(issuer_event_id)
        self._on_change()
        return SendResult(status=Status.SUCCESS if removed else Status.NOT_FOUND)

    def cancel_all_price_events(self) -> SendResult:
        """Forget every price."""
        self._server.prices.clear()
        self._on_change()
        return SendResult()

    def get_price_events(self) -> list[PriceEvent]:
        """Return the prices that have not ended, by start time."""
        now = self._clock.now()
        return [entry.record for entry in self._server.prices.upcoming(now)]

    # --- Server role: load control ------------------------------------------------

    async def create_drlc_event(self, record: DrlcEvent) -> SendResult:
        """Store a load control event and send it to the clients it addresses."""
        now = self._clock.now()
        table = self._server.drlc
        status, superseded = table.add(record, now)
        entry = self._stored(table, status, record.event_id, ISSUER_EVENT_ID)
        await self._persist()
        result = await self._clients.send_drlc_event(entry, now)
        return self._sent(dataclasses.replace(result, superseded=tuple(superseded)))

    async def cancel_drlc_event(self, record: CancelDrlcEvent) -> SendResult:
        """Cancel a load control event and tell the clients it addresses.

        The cancel goes out even when the table does not hold the event (status
        NOT_FOUND): the clients hold their own tables and report on it.
        """
        status = self._server.drlc.cancel(record, self._clock.now())
        if status == Status.INVALID_FIELD:
            raise refusals.after_the_end(record.issuer_event_id)
        self._on_change()
        await self._persist()
        result = await self._clients.cancel_drlc_event(record)
        return self._sent(dataclasses.replace(result, status=status))

    async def cancel_all_drlc_events(
        self, record: CancelAllDrlcEvents | None = None
    ) -> SendResult:
        """Cancel every load control event and tell every DRLC client."""
        self._server.drlc.cancel_all(self._clock.now())
        self._on_change()
        await self._persist()
        cancel = record or CancelAllDrlcEvents()
        return self._sent(await self._clients.cancel_all_drlc_events(cancel))

    def get_drlc_events(self) -> list[DrlcEvent]:
        """Return the load control events that have not ended, by start time."""
        now = self._clock.now()
        return [entry.record for entry in self._server.drlc.upcoming(now)]

    def get_event_status_reports(
        self, issuer_event_id: int | None = None
    ) -> list[Received[EventStatusReport]]:
        """Return what clients reported about an event (None: about any)."""
        return self._server.reports.get(issuer_event_id)

    # --- Server role: messaging -----------------------------------------------------

    async def create_message_event(self, record: MessageEvent) -> SendResult:
        """Store a message and send it to every messaging client now."""
        if len(record.message.encode("utf-8")) > MAX_SENT_MESSAGE_BYTES:
            raise refusals.too_long(record.message_id, MAX_SENT_MESSAGE_BYTES)
        now = self._clock.now()
        messages = self._server.messages
        status = messages.add(record, now)
        entry = self._stored(messages, status, record.event_id, MESSAGE_ID)
        await self._persist()
        return self._sent(await self._clients.display_message(entry, now))

    async def cancel_message_event(self, record: CancelMessage) -> SendResult:
        """Forget a message and send Cancel Message to every messaging client.

        As the manual says, a cancel never fails locally: the status is SUCCESS
        even for a message the table does not hold.
        """
        self._server.messages.remove(record.message_id)
        self._on_change()
        await self._persist()
        return self._sent(await self._clients.cancel_message(record))

    async def cancel_all_message_events(self) -> SendResult:
        """Forget every message, sending a Cancel Message for each.

        SE 1.1 clients do not know SE 1.2's Cancel All Messages, so each stored
        message is cancelled on its own.
        """
        removed = self._server.messages.clear()
        self._on_change()
        await self._persist()
        result = SendResult()
        for entry in removed:
            cancel = CancelMessage(
                message_id=entry.record.message_id,
                message_control=entry.record.message_control,
            )
            result += await self._clients.cancel_message(cancel)
        return self._sent(result)

    def get_message_events(self) -> list[MessageEvent]:
        """Return the messages that have not ended, by start time."""
        now = self._clock.now()
        return [entry.record for entry in self._server.messages.upcoming(now)]

    def get_message_confirmations(
        self, message_id: int | None = None
    ) -> list[Received[MessageConfirmation]]:
        """Return the confirmations of a message (None: of any)."""
        return self._server.confirmations.get(message_id)

    # --- Server role: sending again ---------------------------------------------------

    async def resend_to_device(self, ieee: str | t.EUI64) -> SendResult:
        """Send the current events to a device that rejoined or came back."""
        return self._sent(await self._clients.resend_to_device(ieee, self._clock.now()))

    async def resend_all(self) -> SendResult:
        """Send the current events to every available client (gateway start)."""
        return self._sent(await self._clients.resend_all(self._clock.now()))

    # --- Client role (aux gateway) ----------------------------------------------------

    async def clear_received_price_events(self) -> int:
        """Forget the prices servers sent (the manual's clear_price_events).

        Announces ``updated_active_price_event`` (no price) where a price was in
        force. Returns how many prices were removed.
        """
        removed = await self._client.clear_prices()
        self._on_change()
        return removed

    def get_received_price_events(self) -> dict[DeviceRef, list[PriceEvent]]:
        """Return the prices each remote server sent that have not ended."""
        now = self._clock.now()
        return {
            server: [entry.record for entry in lists.prices.upcoming(now)]
            for server, lists in self._client.servers.items()
        }

    def get_received_drlc_events(self) -> dict[DeviceRef, list[DrlcEvent]]:
        """Return the load control events each remote server sent and still holds."""
        return {
            server: [entry.record for entry in lists.drlc.values()]
            for server, lists in self._client.servers.items()
        }

    def get_received_message_events(self) -> dict[DeviceRef, list[MessageEvent]]:
        """Return the messages each remote server sent that have not ended."""
        now = self._clock.now()
        return {
            server: [entry.record for entry in lists.messages.upcoming(now)]
            for server, lists in self._client.servers.items()
        }

    async def opt_out_drlc_event(
        self, server: DeviceRef, issuer_event_id: int
    ) -> Status:
        """Opt the gateway out of a load control event a server sent."""
        return await self._participate(server, issuer_event_id, opt_in=False)

    async def opt_in_drlc_event(
        self, server: DeviceRef, issuer_event_id: int
    ) -> Status:
        """Opt the gateway back in to a load control event a server sent."""
        return await self._participate(server, issuer_event_id, opt_in=True)

    async def _participate(
        self, server: DeviceRef, issuer_event_id: int, *, opt_in: bool
    ) -> Status:
        entry = self._client.set_participation(server, issuer_event_id, opt_in=opt_in)
        self._on_change()
        await self._persist()
        if entry is not None:
            await self._client.report_participation(server, entry)
        return Status.SUCCESS

    async def confirm_message(self, server: DeviceRef, message_id: int) -> SendResult:
        """Confirm a message a server sent (Message Confirmation)."""
        return await self._client.confirm_message(server, message_id)

    # --- Persistence ----------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the whole state (tables, reports, client lists) as a dict."""
        return store.to_dict(self._server, self._client.servers)

    def restore(self, data: dict[str, Any]) -> None:
        """Replace the state with one saved by ``to_dict`` (any version).

        Call it from the event loop: the client role's timers start again.
        Raises ``StoreError`` for a state that cannot be restored.
        """
        server, client = store.from_dict(data)
        self._client.cancel_timers()
        self._server = server
        self._client.servers = client
        self._client.rearm()
