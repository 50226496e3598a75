"""The gateway engine: a ZigBee Smart Energy ESI and aux gateway over zigpy.

Pure protocol code on zigpy and our cluster definitions; it imports nothing
of Home Assistant. ``GatewayEngine`` is the one object the integration uses:

    engine = GatewayEngine()
    engine.restore(saved)            # optional, a dict from engine.to_dict()
    engine.subscribe(on_notification)
    engine.attach(app)               # the zigpy ControllerApplication
    await engine.resend_all()        # the gateway (re)started
    result = await engine.create_price_event(PriceEvent(...))
    engine.detach()

Its methods follow the manual's RPC requests (``create_price_event``,
``cancel_drlc_event``, ``get_message_events`` ...); creates and cancels
answer with a ``SendResult`` (status and ``device_list``). What remote
devices send comes back as notifications named after the manual's response
messages (``received_report_event_status``, ``updated_active_price_event``
...). The modules hold the logic: ``records`` (the manual's records),
``tables`` (event semantics), ``esi``, ``esi_requests`` and ``sending``
(server role), ``client`` and ``client_drlc`` (aux gateway role), ``binding``
(zigpy listeners), ``store`` (persistence) and ``time_sync`` (why zigpy's
Time answers suit SE clients).
"""

from __future__ import annotations

from collections.abc import Callable
import random
from typing import Any

from zigpy.application import ControllerApplication
from zigpy.device import Device
import zigpy.types as t
from zigpy.zcl.foundation import Status

from . import store
from .binding import ZigbeeBinding
from .client import AuxClient
from .client_state import DrlcClientSettings
from .clock import Clock, ManualClock, SystemClock
from .delivery import DeviceRef, SendResult
from .esi import EsiServer
from .network import AvailabilityCheck, initialized
from .notifications import Listener, Notification, Notifier
from .records import (
    CancelAllDrlcEvents,
    CancelDrlcEvent,
    CancelMessage,
    DrlcEvent,
    EventStatusReport,
    MessageConfirmation,
    MessageEvent,
    PriceEvent,
    RecordError,
)
from .reports import Received
from .scheduler import LoopScheduler, ManualScheduler, Scheduler
from .store import StoreError
from .tasks import BackgroundTasks

__all__ = [
    "CancelAllDrlcEvents",
    "CancelDrlcEvent",
    "CancelMessage",
    "Clock",
    "DeviceRef",
    "DrlcClientSettings",
    "DrlcEvent",
    "EventStatusReport",
    "GatewayEngine",
    "ManualClock",
    "ManualScheduler",
    "MessageConfirmation",
    "MessageEvent",
    "Notification",
    "PriceEvent",
    "Received",
    "RecordError",
    "SendResult",
    "StoreError",
    "SystemClock",
]


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
    ) -> None:
        """Create an engine.

        ``clock`` and ``scheduler`` default to the host clock and the asyncio
        loop. ``drlc_client`` holds the gateway's own DRLC client attributes.
        ``is_available`` tells whether a device should get events (default:
        zigpy has interviewed it; the integration passes ZHA's availability).
        """
        self._clock = clock or SystemClock()
        self._tasks = BackgroundTasks()
        self._scheduler = scheduler or LoopScheduler(self._clock, self._tasks)
        self._notifier = Notifier()
        self._is_available = is_available
        self._esi = EsiServer(self._clock, self._notifier, self._tasks)
        self._client = AuxClient(
            self._clock,
            self._scheduler,
            self._notifier,
            self._tasks,
            drlc_client or DrlcClientSettings(),
            rng or random.Random(),
        )
        self._binding = ZigbeeBinding(
            on_request=self._esi.requests.handle,
            on_command=self._client.handle_command,
            on_device_ready=self._device_ready,
        )

    # --- Lifecycle ----------------------------------------------------------------

    def attach(self, app: ControllerApplication) -> None:
        """Serve the devices of ``app`` and listen to what they send."""
        self._binding.attach(app)
        self._esi.bind(app, self._is_available)
        self._client.bind(app)

    def detach(self) -> None:
        """Stop listening and sending; stop the client role's timers."""
        self._binding.detach()
        self._esi.bind(None, self._is_available)
        self._client.bind(None)
        self._client.cancel_timers()
        self._tasks.cancel()

    async def wait_idle(self) -> None:
        """Wait until every answer and report in flight has been sent."""
        await self._tasks.join()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every notification; return the unsubscribe."""
        return self._notifier.subscribe(listener)

    def _device_ready(self, device: Device) -> None:
        """Send the events to a device that has just joined."""
        self._tasks.spawn(
            self._resend_quietly(device.ieee), f"se_gateway resend to {device.ieee}"
        )

    async def _resend_quietly(self, ieee: t.EUI64) -> None:
        await self._esi.resend_to_device(ieee)

    # --- Server role: price -------------------------------------------------------

    async def create_price_event(self, record: PriceEvent) -> SendResult:
        """Store a price and publish it to every price client now."""
        return await self._esi.create_price_event(record)

    def cancel_price_event(self, issuer_event_id: int) -> SendResult:
        """Forget a price (SE 1.1 has no command to withdraw one)."""
        return self._esi.cancel_price_event(issuer_event_id)

    def cancel_all_price_events(self) -> SendResult:
        """Forget every price."""
        return self._esi.cancel_all_price_events()

    def get_price_events(self) -> list[PriceEvent]:
        """Return the prices that have not ended, by start time."""
        now = self._clock.now()
        return [entry.record for entry in self._esi.state.prices.upcoming(now)]

    # --- Server role: load control ------------------------------------------------

    async def create_drlc_event(self, record: DrlcEvent) -> SendResult:
        """Store a load control event and send it to the clients it addresses."""
        return await self._esi.create_drlc_event(record)

    async def cancel_drlc_event(self, record: CancelDrlcEvent) -> SendResult:
        """Cancel a load control event and tell the clients it addresses."""
        return await self._esi.cancel_drlc_event(record)

    async def cancel_all_drlc_events(
        self, record: CancelAllDrlcEvents | None = None
    ) -> SendResult:
        """Cancel every load control event and tell every DRLC client."""
        return await self._esi.cancel_all_drlc_events(record or CancelAllDrlcEvents())

    def get_drlc_events(self) -> list[DrlcEvent]:
        """Return the load control events that have not ended, by start time."""
        now = self._clock.now()
        return [entry.record for entry in self._esi.state.drlc.upcoming(now)]

    def get_event_status_reports(
        self, issuer_event_id: int | None = None
    ) -> list[Received[EventStatusReport]]:
        """Return what clients reported about an event (None: about any)."""
        return self._esi.state.reports.get(issuer_event_id)

    # --- Server role: messaging -----------------------------------------------------

    async def create_message_event(self, record: MessageEvent) -> SendResult:
        """Store a message and send it to every messaging client now."""
        return await self._esi.create_message_event(record)

    async def cancel_message_event(self, record: CancelMessage) -> SendResult:
        """Forget a message and tell every messaging client."""
        return await self._esi.cancel_message_event(record)

    async def cancel_all_message_events(self) -> SendResult:
        """Forget every message and tell every messaging client."""
        return await self._esi.cancel_all_message_events()

    def get_message_events(self) -> list[MessageEvent]:
        """Return the messages that have not ended, by start time."""
        now = self._clock.now()
        return [entry.record for entry in self._esi.state.messages.upcoming(now)]

    def get_message_confirmations(
        self, message_id: int | None = None
    ) -> list[Received[MessageConfirmation]]:
        """Return the confirmations of a message (None: of any)."""
        return self._esi.state.confirmations.get(message_id)

    # --- Server role: sending again ---------------------------------------------------

    async def resend_to_device(self, ieee: str | t.EUI64) -> SendResult:
        """Send the current events to a device that rejoined or came back."""
        return await self._esi.resend_to_device(ieee)

    async def resend_all(self) -> SendResult:
        """Send the current events to every available client (gateway start)."""
        return await self._esi.resend_all()

    # --- Client role (aux gateway) ----------------------------------------------------

    async def clear_received_price_events(self) -> int:
        """Forget the prices servers sent (the manual's clear_price_events).

        Announces ``updated_active_price_event`` (no price) where a price was in
        force. Returns how many prices were removed.
        """
        return await self._client.clear_prices()

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
        return await self._client.set_participation(
            server, issuer_event_id, opt_in=False
        )

    async def opt_in_drlc_event(
        self, server: DeviceRef, issuer_event_id: int
    ) -> Status:
        """Opt the gateway back in to a load control event a server sent."""
        return await self._client.set_participation(
            server, issuer_event_id, opt_in=True
        )

    async def confirm_message(self, server: DeviceRef, message_id: int) -> SendResult:
        """Confirm a message a server sent (Message Confirmation)."""
        return await self._client.confirm_message(server, message_id)

    # --- Persistence ----------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the whole state (tables, reports, client lists) as a dict."""
        return store.to_dict(self._esi.state, self._client.servers)

    def restore(self, data: dict[str, Any]) -> None:
        """Replace the state with one saved by ``to_dict`` (any version).

        Call it from the event loop: the client role's timers start again.
        Raises ``StoreError`` for a state that cannot be restored.
        """
        server, client = store.from_dict(data)
        self._client.cancel_timers()
        self._esi.state = server
        self._client.servers = client
        self._client.rearm()
