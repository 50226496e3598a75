"""Sending stored events to one client cluster.

Each function sends its events one after the other, in the order given, with
``tsn`` (the request's sequence number when answering, a new one otherwise).
Load control events go only to a client they address, with the device classes
they still apply to.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from zigpy.zcl import Cluster

from ..clusters import Drlc, Messaging, Price
from . import commands
from .network import drlc_client_attributes
from .tables import DrlcEntry, MessageEntry, PriceEntry, drlc_addresses

PUBLISH_PRICE: Final = Price.ClientCommandDefs.publish_price.id
LOAD_CONTROL_EVENT: Final = Drlc.ClientCommandDefs.load_control_event.id
DISPLAY_MESSAGE: Final = Messaging.ClientCommandDefs.display_message.id


async def publish_prices(
    cluster: Cluster, entries: Iterable[PriceEntry], now: int, tsn: int | None = None
) -> None:
    """Send a Publish Price per price."""
    for entry in entries:
        fields = commands.publish_price_fields(entry, now)
        await cluster.client_command(PUBLISH_PRICE, **fields, tsn=tsn)


def drlc_events_for(
    cluster: Cluster, entries: Iterable[DrlcEntry], now: int
) -> list[tuple[DrlcEntry, int]]:
    """Return the events that address a DRLC client, with their device classes."""
    attributes = drlc_client_attributes(cluster)
    return [
        (entry, device_class)
        for entry in entries
        if (device_class := entry.device_class_at(now))
        and drlc_addresses(
            device_class, entry.record.utility_enrollment_group, *attributes
        )
    ]


async def send_drlc_events(
    cluster: Cluster, entries: Iterable[DrlcEntry], now: int, tsn: int | None = None
) -> None:
    """Send a Load Control Event per event that addresses the client."""
    for entry, device_class in drlc_events_for(cluster, entries, now):
        fields = commands.load_control_event_fields(entry, now, device_class)
        await cluster.client_command(LOAD_CONTROL_EVENT, **fields, tsn=tsn)


async def display_messages(
    cluster: Cluster, entries: Iterable[MessageEntry], now: int, tsn: int | None = None
) -> None:
    """Send a Display Message per message."""
    for entry in entries:
        fields = commands.display_message_fields(entry, now)
        await cluster.client_command(DISPLAY_MESSAGE, **fields, tsn=tsn)
