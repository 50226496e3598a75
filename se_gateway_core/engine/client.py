"""The client role (the manual's aux gateway): a meter or ESI is the server.

Commands a remote server sends arrive on that device's server clusters (its
input clusters 0x0700, 0x0701 and 0x0703). The client keeps, per server
device endpoint, the prices, load control events and messages it received,
and tells subscribers with the manual's ``received_*`` and ``updated_active_*``
notifications. Load control events are acknowledged with Report Event Status
as ``client_drlc`` describes; messages can be confirmed.

The client answers every load control event addressed to its own device
class and enrollment group (``DrlcClientSettings``); events for other devices
are ignored without a report, as Silicon Labs' client does (CCB 1380). Lists
are kept per server: an event from one server never supersedes another's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
import logging
import random
from typing import Any, Final

from zigpy.application import ControllerApplication
from zigpy.zcl import Cluster
from zigpy.zcl.foundation import Status

from ..clusters import Drlc, Messaging, Price
from ..clusters.types import EventStatus, PriceControl
from . import commands, refusals
from .client_drlc import (
    RANDOMIZE_END,
    RANDOMIZE_START,
    ClientDrlcEntry,
    due_reports,
    supersede,
)
from .client_state import DrlcClientSettings, ServerLists
from .clock import Clock
from .delivery import DeviceRef, SendResult, send_to_all
from .network import server_cluster
from .notifications import (
    Notifier,
    ReceivedDrlcCancelAllEvents,
    ReceivedDrlcCancelEvent,
    ReceivedDrlcEvent,
    ReceivedMessageCancelEvent,
    ReceivedMessageEvent,
    ReceivedPriceEvent,
    UpdatedActiveDrlcEvents,
    UpdatedActiveMessageEvents,
    UpdatedActivePriceEvent,
)
from .records import RecordError
from .scheduler import Scheduler
from .tables import drlc_addresses
from .tasks import BackgroundTasks

_LOGGER: Final = logging.getLogger(__name__)

PRICE_COMMANDS: Final = Price.ClientCommandDefs
DRLC_COMMANDS: Final = Drlc.ClientCommandDefs
MESSAGING_COMMANDS: Final = Messaging.ClientCommandDefs
REPORT_EVENT_STATUS: Final = Drlc.ServerCommandDefs.report_event_status.id
PRICE_ACKNOWLEDGEMENT: Final = Price.ServerCommandDefs.price_acknowledgement.id
MESSAGE_CONFIRMATION: Final = Messaging.ServerCommandDefs.message_confirmation.id
INVALID_UTC_TIME: Final = 0xFFFFFFFF


@dataclass(frozen=True)
class Command:
    """A command a server sent, on that server's cluster."""

    cluster: Cluster
    tsn: int
    args: Any

    @property
    def server(self) -> DeviceRef:
        """Return the server's device endpoint."""
        return DeviceRef.of(self.cluster)


type CommandHandler = Callable[[Command], Awaitable[None]]


class AuxClient:
    """The gateway as a Price, DRLC and Messaging client of remote servers."""

    def __init__(
        self,
        clock: Clock,
        scheduler: Scheduler,
        notifier: Notifier,
        tasks: BackgroundTasks,
        settings: DrlcClientSettings,
        rng: random.Random,
    ) -> None:
        self.servers: dict[DeviceRef, ServerLists] = {}
        self.settings = settings
        self._clock = clock
        self._scheduler = scheduler
        self._notifier = notifier
        self._tasks = tasks
        self._rng = rng
        self._app: ControllerApplication | None = None
        self._handlers: dict[tuple[int, int], CommandHandler] = {
            (Price.cluster_id, PRICE_COMMANDS.publish_price.id): self._publish_price,
            (Drlc.cluster_id, DRLC_COMMANDS.load_control_event.id): (
                self._load_control_event
            ),
            (Drlc.cluster_id, DRLC_COMMANDS.cancel_load_control_event.id): (
                self._cancel_load_control_event
            ),
            (Drlc.cluster_id, DRLC_COMMANDS.cancel_all_load_control_events.id): (
                self._cancel_all_load_control_events
            ),
            (Messaging.cluster_id, MESSAGING_COMMANDS.display_message.id): (
                self._display_message
            ),
            (Messaging.cluster_id, MESSAGING_COMMANDS.cancel_message.id): (
                self._cancel_message
            ),
        }

    def bind(self, app: ControllerApplication | None) -> None:
        """Talk to the servers of ``app`` (None: of no network)."""
        self._app = app

    def lists(self, server: DeviceRef) -> ServerLists:
        """Return the lists of ``server``, created empty if new."""
        return self.servers.setdefault(server, ServerLists())

    def handle_command(
        self, cluster: Cluster, tsn: int, command_id: int, args: Any
    ) -> None:
        """Take a command a server cluster decoded (a zigpy listener callback)."""
        handler = self._handlers.get((cluster.cluster_id, command_id))
        if handler is not None:
            command = Command(cluster, tsn, args)
            self._tasks.spawn(
                self._take(handler, command), f"se_gateway command of {command.server}"
            )

    async def _take(self, handler: CommandHandler, command: Command) -> None:
        try:
            await handler(command)
        except RecordError as exc:
            _LOGGER.warning("Dropped a command of %s: %s", command.server, exc)

    def rearm(self) -> None:
        """Start the timers of every list now (after a restore)."""
        now = self._clock.now()
        for server in self.servers:
            self._arm(server, "prices", now, self._refresh_prices)
            self._arm(server, "drlc", now, self._refresh_drlc)
            self._arm(server, "messages", now, self._refresh_messages)

    def _arm(
        self,
        server: DeviceRef,
        name: str,
        when: int | None,
        refresh: Callable[[DeviceRef], Awaitable[None]],
    ) -> None:
        """Run ``refresh`` for ``server`` at ``when``, replacing the old timer."""
        lists = self.lists(server)
        if (old := lists.timers.pop(name, None)) is not None:
            old.cancel()
        if when is not None:
            lists.timers[name] = self._scheduler.call_at(when, lambda: refresh(server))

    def cancel_timers(self) -> None:
        """Stop every timer."""
        for lists in self.servers.values():
            for timer in lists.timers.values():
                timer.cancel()
            lists.timers.clear()

    # --- Price ----------------------------------------------------------------

    async def _publish_price(self, command: Command) -> None:
        server, now = command.server, self._clock.now()
        record = commands.price_from_publish_price(command.args)
        status = self.lists(server).prices.add(record, now)
        self._notifier.emit(
            ReceivedPriceEvent.of(
                server, Price.cluster_id, status=status, record=record
            )
        )
        if status != Status.SUCCESS:
            return
        control = command.args.price_control
        if (
            control is not None
            and control & PriceControl.Price_Acknowledgement_Required
        ):
            await self._send(
                command.cluster,
                PRICE_ACKNOWLEDGEMENT,
                provider_id=record.provider_id,
                issuer_event_id=record.issuer_event_id,
                price_ack_time=now,
                control=control,
            )
        await self._refresh_prices(server)

    async def clear_prices(self) -> int:
        """Forget every price the servers sent; return how many were removed."""
        removed = 0
        for server, lists in list(self.servers.items()):
            removed += len(lists.prices.clear())
            await self._refresh_prices(server)
        return removed

    async def _refresh_prices(self, server: DeviceRef) -> None:
        """Tell subscribers if the price in force changed; wait for the next."""
        lists, now = self.lists(server), self._clock.now()
        lists.prices.expire(now)
        active = lists.prices.active(now)
        active_id = None if active is None else active.event_id
        if active_id != lists.active_price:
            lists.active_price = active_id
            self._notifier.emit(
                UpdatedActivePriceEvent.of(
                    server,
                    Price.cluster_id,
                    record=None if active is None else active.record,
                )
            )
        self._arm(
            server, "prices", lists.prices.next_boundary(now), self._refresh_prices
        )

    # --- Messaging --------------------------------------------------------------

    async def _display_message(self, command: Command) -> None:
        server = command.server
        record = commands.message_from_display_message(command.args)
        status = self.lists(server).messages.add(record, self._clock.now())
        self._notifier.emit(
            ReceivedMessageEvent.of(
                server, Messaging.cluster_id, status=status, record=record
            )
        )
        await self._refresh_messages(server)

    async def _cancel_message(self, command: Command) -> None:
        server = command.server
        record = commands.cancel_message_from_payload(command.args)
        self.lists(server).messages.remove(record.message_id)
        self._notifier.emit(
            ReceivedMessageCancelEvent.of(server, Messaging.cluster_id, record=record)
        )
        await self._refresh_messages(server)

    async def _refresh_messages(self, server: DeviceRef) -> None:
        """Tell subscribers if the messages shown now changed; wait for the next."""
        lists, now = self.lists(server), self._clock.now()
        active = [
            entry for entry in lists.messages.upcoming(now) if entry.has_started(now)
        ]
        active_ids = tuple(entry.event_id for entry in active)
        if active_ids != lists.active_messages:
            lists.active_messages = active_ids
            self._notifier.emit(
                UpdatedActiveMessageEvents.of(
                    server,
                    Messaging.cluster_id,
                    records=tuple(entry.record for entry in active),
                )
            )
        self._arm(
            server,
            "messages",
            lists.messages.next_boundary(now),
            self._refresh_messages,
        )

    async def confirm_message(self, server: DeviceRef, message_id: int) -> SendResult:
        """Send a Message Confirmation of a message ``server`` sent.

        Refuses a message the gateway does not hold, and a server that has
        left the network.
        """
        lists = self.servers.get(server)
        if lists is None or lists.messages.get(message_id) is None:
            raise refusals.unknown_event("message_id", message_id, server)
        cluster = self._server_cluster(server, Messaging.cluster_id)
        if cluster is None:
            raise refusals.unknown_server(message_id, server)
        fields = commands.message_confirmation_fields(message_id, self._clock.now())
        return await send_to_all(
            [cluster],
            lambda cluster: cluster.command(
                MESSAGE_CONFIRMATION, **fields, expect_reply=False
            ),
        )

    # --- Demand Response and Load Control ------------------------------------

    def _addressed(self, device_class: int, enrollment_group: int) -> bool:
        return drlc_addresses(
            device_class,
            enrollment_group,
            self.settings.device_class,
            self.settings.utility_enrollment_group,
        )

    def _delay(self, event_control: int, flag: int, minutes: int) -> int:
        """Return a random delay in seconds if the event asks for it."""
        if not event_control & flag or not minutes:
            return 0
        return self._rng.randrange(60 * minutes)

    async def _load_control_event(self, command: Command) -> None:
        server, args, now = command.server, command.args, self._clock.now()
        if not self._addressed(int(args.device_class), args.utility_enrollment_group):
            return
        lists = self.lists(server)
        try:
            record = commands.drlc_from_payload(args)
        except RecordError:
            await self._report_unknown(
                command.cluster,
                args.issuer_event_id,
                EventStatus.Load_Control_Event_Command_Rejected,
                command.tsn,
            )
            return
        entry = ClientDrlcEntry(
            record=record,
            received_at=now,
            start_delay=self._delay(
                record.event_control,
                RANDOMIZE_START,
                self.settings.start_randomization_minutes,
            ),
            end_delay=self._delay(
                record.event_control,
                RANDOMIZE_END,
                self.settings.duration_randomization_minutes,
            ),
        )
        if record.issuer_event_id in lists.drlc:
            status = Status.DUPLICATE_EXISTS
        elif entry.scheduled_end <= now:
            status = Status.INVALID_FIELD
            await self._report(
                command.cluster, entry, EventStatus.Rejected_Event_Expired, command.tsn
            )
        else:
            status = Status.SUCCESS
            supersede(list(lists.drlc.values()), entry, now)
            lists.drlc[entry.event_id] = entry
            await self._report(
                command.cluster,
                entry,
                EventStatus.Load_Control_Event_Command_Received,
                command.tsn,
            )
        self._notifier.emit(
            ReceivedDrlcEvent.of(server, Drlc.cluster_id, status=status, record=record)
        )
        await self._refresh_drlc(server)

    async def _cancel_load_control_event(self, command: Command) -> None:
        server, args = command.server, command.args
        if not self._addressed(int(args.device_class), args.utility_enrollment_group):
            return
        record = commands.cancel_from_payload(args)
        self._notifier.emit(
            ReceivedDrlcCancelEvent.of(server, Drlc.cluster_id, record=record)
        )
        entry = self.lists(server).drlc.get(record.issuer_event_id)
        if entry is None:
            await self._report_unknown(
                command.cluster,
                record.issuer_event_id,
                EventStatus.Rejected_Invalid_Cancel_Undefined_Event,
                command.tsn,
            )
            return
        if record.effective_time == INVALID_UTC_TIME or not entry.cancel(
            record.effective_time, record.cancel_control, self._clock.now()
        ):
            await self._report(
                command.cluster,
                entry,
                EventStatus.Rejected_Invalid_Cancel_Command_Invalid_Effective_Time,
                command.tsn,
            )
            return
        await self._refresh_drlc(server)

    async def _cancel_all_load_control_events(self, command: Command) -> None:
        server = command.server
        record = commands.cancel_all_from_payload(command.args)
        self._notifier.emit(
            ReceivedDrlcCancelAllEvents.of(server, Drlc.cluster_id, record=record)
        )
        now = self._clock.now()
        for entry in self.lists(server).drlc.values():
            entry.cancel(0, record.cancel_control, now)
        await self._refresh_drlc(server)

    def set_participation(
        self, server: DeviceRef, issuer_event_id: int, *, opt_in: bool
    ) -> ClientDrlcEntry | None:
        """Opt in to or out of an event; return it if it runs, to report at once.

        An event that has not started reports the change when it starts.
        """
        lists = self.servers.get(server)
        entry = None if lists is None else lists.drlc.get(issuer_event_id)
        if entry is None:
            raise refusals.unknown_event("issuer_event_id", issuer_event_id, server)
        if entry.opted_out == (not opt_in):
            return None
        entry.opted_out = not opt_in
        if not entry.started:
            return None
        entry.partial = True
        return entry

    async def report_participation(
        self, server: DeviceRef, entry: ClientDrlcEntry
    ) -> None:
        """Report to ``server`` that the gateway opted out of or in to ``entry``."""
        cluster = self._server_cluster(server, Drlc.cluster_id)
        if cluster is not None:
            await self._report(
                cluster,
                entry,
                EventStatus.User_Opted_Out
                if entry.opted_out
                else EventStatus.User_Opted_In,
            )

    async def _refresh_drlc(self, server: DeviceRef) -> None:
        """Send the reports due; tell subscribers if the running events changed."""
        lists, now = self.lists(server), self._clock.now()
        reports, held = due_reports(list(lists.drlc.values()), now)
        lists.drlc = {entry.event_id: entry for entry in held}
        cluster = self._server_cluster(server, Drlc.cluster_id)
        for entry, status in reports:
            if cluster is not None:
                await self._report(cluster, entry, status)
        running = [entry for entry in held if entry.started]
        running_ids = tuple(entry.event_id for entry in running)
        if running_ids != lists.active_drlc:
            lists.active_drlc = running_ids
            self._notifier.emit(
                UpdatedActiveDrlcEvents.of(
                    server,
                    Drlc.cluster_id,
                    records=tuple(entry.record for entry in running),
                )
            )
        next_change = min((entry.next_change() for entry in held), default=None)
        self._arm(server, "drlc", next_change, self._refresh_drlc)

    async def _report(
        self,
        cluster: Cluster,
        entry: ClientDrlcEntry,
        status: EventStatus,
        tsn: int | None = None,
    ) -> None:
        fields = commands.report_event_status_fields(
            entry.record, status, self._clock.now()
        )
        await self._send(cluster, REPORT_EVENT_STATUS, tsn=tsn, **fields)

    async def _report_unknown(
        self, cluster: Cluster, issuer_event_id: int, status: EventStatus, tsn: int
    ) -> None:
        fields = commands.undefined_event_report_fields(
            issuer_event_id, status, self._clock.now()
        )
        await self._send(cluster, REPORT_EVENT_STATUS, tsn=tsn, **fields)

    # --- Sending ------------------------------------------------------------------

    def _server_cluster(self, server: DeviceRef, cluster_id: int) -> Cluster | None:
        if self._app is None:
            return None
        return server_cluster(self._app, server, cluster_id)

    async def _send(self, cluster: Cluster, command_id: int, **fields: Any) -> None:
        """Send a command to a server; a failure is logged, not raised."""
        try:
            await cluster.command(command_id, **fields, expect_reply=False)
        except Exception as exc:  # any radio or zigpy failure
            _LOGGER.warning(
                "Could not send command 0x%02x to %s: %r",
                command_id,
                DeviceRef.of(cluster),
                exc,
            )
