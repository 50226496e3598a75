"""The server (ESI) role: keep price, load control and message events, send them.

Creating an event stores it and sends it at once to every matching client
cluster (the output clusters 0x0700, 0x0701 and 0x0703) of every available
device. Load control events go only to clients whose cached DeviceClassValue
and UtilityEnrollmentGroup they address; an unknown attribute matches. Events
are sent again to a device that joins, rejoins or comes back, and to every
device when the gateway starts. ``esi_requests`` answers what clients ask.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from zigpy.application import ControllerApplication
from zigpy.device import Device
import zigpy.types as t
from zigpy.zcl import Cluster
from zigpy.zcl.foundation import Status

from ..quirks.smartenergy import Drlc, Messaging, Price
from . import commands, sending
from .clock import Clock
from .delivery import SendResult, send_to_all
from .esi_requests import EsiRequests
from .network import (
    AvailabilityCheck,
    client_clusters,
    drlc_client_attributes,
    initialized,
    remote_devices,
    zigbee_device,
)
from .notifications import Notifier
from .records import (
    MAX_SENT_MESSAGE_BYTES,
    CancelAllDrlcEvents,
    CancelDrlcEvent,
    CancelMessage,
    DrlcEvent,
    MessageEvent,
    PriceEvent,
    RecordError,
)
from .server_state import ServerState
from .tables import drlc_addresses
from .tasks import BackgroundTasks

CANCEL_LOAD_CONTROL_EVENT: Final = Drlc.ClientCommandDefs.cancel_load_control_event.id
CANCEL_ALL_LOAD_CONTROL_EVENTS: Final = (
    Drlc.ClientCommandDefs.cancel_all_load_control_events.id
)
CANCEL_MESSAGE: Final = Messaging.ClientCommandDefs.cancel_message.id


class EsiServer:
    """The gateway as the Energy Service Interface of a zigpy network."""

    def __init__(self, clock: Clock, notifier: Notifier, tasks: BackgroundTasks):
        self.state = ServerState()
        self.requests = EsiRequests(lambda: self.state, clock, notifier, tasks)
        self._clock = clock
        self._app: ControllerApplication | None = None
        self._is_available: AvailabilityCheck = initialized

    def bind(
        self, app: ControllerApplication | None, is_available: AvailabilityCheck
    ) -> None:
        """Serve the devices of ``app`` (None: of no network)."""
        self._app = app
        self._is_available = is_available

    def _clients(self, cluster_id: int) -> list[Cluster]:
        """Return the client clusters of the available devices."""
        if self._app is None:
            return []
        devices = remote_devices(self._app, self._is_available)
        return list(client_clusters(devices, cluster_id))

    # --- Price ----------------------------------------------------------------

    async def create_price_event(self, record: PriceEvent) -> SendResult:
        """Store a price and publish it to every price client."""
        now = self._clock.now()
        status = self.state.prices.add(record, now)
        if status != Status.SUCCESS:
            return SendResult(status=status)
        entry = self.state.prices.get(record.issuer_event_id)
        assert entry is not None
        return await send_to_all(
            self._clients(Price.cluster_id),
            lambda cluster: sending.publish_prices(cluster, [entry], now),
        )

    def cancel_price_event(self, issuer_event_id: int) -> SendResult:
        """Forget a price; SE 1.1 has no command to tell the clients."""
        removed = self.state.prices.remove(issuer_event_id)
        return SendResult(status=Status.SUCCESS if removed else Status.NOT_FOUND)

    def cancel_all_price_events(self) -> SendResult:
        """Forget every price."""
        self.state.prices.clear()
        return SendResult()

    # --- Demand Response and Load Control ------------------------------------

    async def create_drlc_event(self, record: DrlcEvent) -> SendResult:
        """Store a load control event and send it to the clients it addresses."""
        now = self._clock.now()
        status, superseded = self.state.drlc.add(record, now)
        if status != Status.SUCCESS:
            return SendResult(status=status)
        entry = self.state.drlc.get(record.issuer_event_id)
        assert entry is not None
        addressed = [
            cluster
            for cluster in self._clients(Drlc.cluster_id)
            if sending.drlc_events_for(cluster, [entry], now)
        ]
        result = await send_to_all(
            addressed, lambda cluster: sending.send_drlc_events(cluster, [entry], now)
        )
        return SendResult(
            device_list=result.device_list,
            errors=result.errors,
            superseded=tuple(superseded),
        )

    async def cancel_drlc_event(self, record: CancelDrlcEvent) -> SendResult:
        """Cancel a load control event and tell the clients it addresses.

        The cancel goes out even when the table does not hold the event (status
        NOT_FOUND): the clients hold their own tables and report on it.
        """
        status = self.state.drlc.cancel(record, self._clock.now())
        if status == Status.INVALID_FIELD:
            raise RecordError("effective_time", "is after the event ends")
        addressed = [
            cluster
            for cluster in self._clients(Drlc.cluster_id)
            if drlc_addresses(
                record.device_class,
                record.utility_enrollment_group,
                *drlc_client_attributes(cluster),
            )
        ]
        fields = commands.cancel_load_control_event_fields(record)
        result = await send_to_all(
            addressed,
            lambda cluster: cluster.client_command(CANCEL_LOAD_CONTROL_EVENT, **fields),
        )
        return SendResult(
            status=status, device_list=result.device_list, errors=result.errors
        )

    async def cancel_all_drlc_events(self, record: CancelAllDrlcEvents) -> SendResult:
        """Cancel every load control event and tell every DRLC client."""
        self.state.drlc.cancel_all(self._clock.now())
        fields = commands.cancel_all_load_control_events_fields(record)
        return await send_to_all(
            self._clients(Drlc.cluster_id),
            lambda cluster: cluster.client_command(
                CANCEL_ALL_LOAD_CONTROL_EVENTS, **fields
            ),
        )

    # --- Messaging --------------------------------------------------------------

    async def create_message_event(self, record: MessageEvent) -> SendResult:
        """Store a message and send it to every messaging client."""
        if len(record.message.encode("utf-8")) > MAX_SENT_MESSAGE_BYTES:
            raise RecordError(
                "message",
                f"is longer than the {MAX_SENT_MESSAGE_BYTES} UTF-8 bytes a Display"
                " Message carries",
            )
        now = self._clock.now()
        status = self.state.messages.add(record, now)
        if status != Status.SUCCESS:
            return SendResult(status=status)
        entry = self.state.messages.get(record.message_id)
        assert entry is not None
        return await send_to_all(
            self._clients(Messaging.cluster_id),
            lambda cluster: sending.display_messages(cluster, [entry], now),
        )

    async def cancel_message_event(self, record: CancelMessage) -> SendResult:
        """Forget a message and send Cancel Message to every messaging client.

        As the manual says, a cancel never fails locally: the status is SUCCESS
        even for a message the table does not hold.
        """
        self.state.messages.remove(record.message_id)
        fields = commands.cancel_message_fields(record)
        return await send_to_all(
            self._clients(Messaging.cluster_id),
            lambda cluster: cluster.client_command(CANCEL_MESSAGE, **fields),
        )

    async def cancel_all_message_events(self) -> SendResult:
        """Forget every message, sending a Cancel Message for each.

        SE 1.1 clients do not know SE 1.2's Cancel All Messages, so each stored
        message is cancelled on its own.
        """
        cancels = [
            CancelMessage(
                message_id=entry.record.message_id,
                message_control=entry.record.message_control,
            )
            for entry in self.state.messages.clear()
        ]
        result = SendResult()
        for cancel in cancels:
            result += await self.cancel_message_event(cancel)
        return result

    # --- Sending again ----------------------------------------------------------

    async def resend_to_device(self, ieee: str | t.EUI64) -> SendResult:
        """Send every event that has not ended to one device's clients.

        The Home Assistant layer calls this when a device joins, rejoins or
        becomes available again.
        """
        if self._app is None:
            return SendResult()
        device = zigbee_device(self._app.devices.get(t.EUI64.convert(str(ieee))))
        if device is None:
            return SendResult(status=Status.NOT_FOUND)
        return await self._resend([device])

    async def resend_all(self) -> SendResult:
        """Send every event that has not ended to every available client."""
        if self._app is None:
            return SendResult()
        return await self._resend(remote_devices(self._app, self._is_available))

    async def _resend(self, devices: Sequence[Device]) -> SendResult:
        now = self._clock.now()
        prices = self.state.prices.upcoming(now)
        drlc = self.state.drlc.upcoming(now)
        messages = self.state.messages.upcoming(now)
        price_clients = client_clusters(devices, Price.cluster_id) if prices else []
        drlc_clients = [
            cluster
            for cluster in client_clusters(devices, Drlc.cluster_id)
            if sending.drlc_events_for(cluster, drlc, now)
        ]
        message_clients = (
            client_clusters(devices, Messaging.cluster_id) if messages else []
        )
        return (
            await send_to_all(
                price_clients,
                lambda cluster: sending.publish_prices(cluster, prices, now),
            )
            + await send_to_all(
                drlc_clients,
                lambda cluster: sending.send_drlc_events(cluster, drlc, now),
            )
            + await send_to_all(
                message_clients,
                lambda cluster: sending.display_messages(cluster, messages, now),
            )
        )
