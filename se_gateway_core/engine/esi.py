"""The server (ESI) role's clients on the network, and what each of them gets.

``EsiClients`` sends what the engine stored, changed or cancelled to every
matching client cluster (the output clusters 0x0700, 0x0701 and 0x0703) of
every available device. Load control events go only to clients whose cached
DeviceClassValue and UtilityEnrollmentGroup they address; an unknown attribute
matches. ``resend_to_device`` and ``resend_all`` send every event that has not
ended again: to a device that joins, rejoins or comes back, and to every
device when the gateway starts. ``esi_requests`` answers what clients ask.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from zigpy.application import ControllerApplication
from zigpy.device import Device
import zigpy.types as t
from zigpy.zcl import Cluster
from zigpy.zcl.foundation import Status

from ..clusters import Drlc, Messaging, Price
from . import commands, sending
from .delivery import SendResult, send_to_all
from .network import (
    AvailabilityCheck,
    client_clusters,
    drlc_client_attributes,
    initialized,
    remote_devices,
    zigbee_device,
)
from .records import CancelAllDrlcEvents, CancelDrlcEvent, CancelMessage
from .server_state import ServerState
from .tables import DrlcEntry, MessageEntry, PriceEntry, drlc_addresses

CANCEL_LOAD_CONTROL_EVENT: Final = Drlc.ClientCommandDefs.cancel_load_control_event.id
CANCEL_ALL_LOAD_CONTROL_EVENTS: Final = (
    Drlc.ClientCommandDefs.cancel_all_load_control_events.id
)
CANCEL_MESSAGE: Final = Messaging.ClientCommandDefs.cancel_message.id


class EsiClients:
    """The price, load control and messaging clients of a zigpy network."""

    def __init__(self, state: Callable[[], ServerState]) -> None:
        """Send from the tables ``state()`` returns (they change on restore)."""
        self._state = state
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

    async def publish_price(self, entry: PriceEntry, now: int) -> SendResult:
        """Publish a stored price to every price client."""
        return await send_to_all(
            self._clients(Price.cluster_id),
            lambda cluster: sending.publish_prices(cluster, [entry], now),
        )

    # --- Demand Response and Load Control ------------------------------------

    async def send_drlc_event(self, entry: DrlcEntry, now: int) -> SendResult:
        """Send a stored load control event to the clients it addresses."""
        addressed = [
            cluster
            for cluster in self._clients(Drlc.cluster_id)
            if sending.drlc_events_for(cluster, [entry], now)
        ]
        return await send_to_all(
            addressed, lambda cluster: sending.send_drlc_events(cluster, [entry], now)
        )

    async def cancel_drlc_event(self, record: CancelDrlcEvent) -> SendResult:
        """Send a cancel to the clients whose device class and group it names."""
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
        return await send_to_all(
            addressed,
            lambda cluster: cluster.client_command(CANCEL_LOAD_CONTROL_EVENT, **fields),
        )

    async def cancel_all_drlc_events(self, record: CancelAllDrlcEvents) -> SendResult:
        """Send Cancel All Load Control Events to every DRLC client."""
        fields = commands.cancel_all_load_control_events_fields(record)
        return await send_to_all(
            self._clients(Drlc.cluster_id),
            lambda cluster: cluster.client_command(
                CANCEL_ALL_LOAD_CONTROL_EVENTS, **fields
            ),
        )

    # --- Messaging --------------------------------------------------------------

    async def display_message(self, entry: MessageEntry, now: int) -> SendResult:
        """Send a stored message to every messaging client."""
        return await send_to_all(
            self._clients(Messaging.cluster_id),
            lambda cluster: sending.display_messages(cluster, [entry], now),
        )

    async def cancel_message(self, record: CancelMessage) -> SendResult:
        """Send Cancel Message to every messaging client."""
        fields = commands.cancel_message_fields(record)
        return await send_to_all(
            self._clients(Messaging.cluster_id),
            lambda cluster: cluster.client_command(CANCEL_MESSAGE, **fields),
        )

    # --- Sending again ----------------------------------------------------------

    async def resend_to_device(self, ieee: str | t.EUI64, now: int) -> SendResult:
        """Send every event that has not ended to one device's clients.

        The status is NOT_FOUND for a device the network does not have.
        """
        if self._app is None:
            return SendResult()
        device = zigbee_device(self._app.devices.get(t.EUI64.convert(str(ieee))))
        if device is None:
            return SendResult(status=Status.NOT_FOUND)
        return await self._resend([device], now)

    async def resend_all(self, now: int) -> SendResult:
        """Send every event that has not ended to every available client."""
        if self._app is None:
            return SendResult()
        return await self._resend(remote_devices(self._app, self._is_available), now)

    async def _resend(self, devices: Sequence[Device], now: int) -> SendResult:
        state = self._state()
        prices = state.prices.upcoming(now)
        drlc = state.drlc.upcoming(now)
        messages = state.messages.upcoming(now)
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
