"""The server role's services: the gateway is the ESI of its Smart Energy clients.

``get_/create_/cancel_/cancel_all_`` for price, load control (DRLC) and
message events; in-home displays and load control devices are the clients.
The fields are the manual's record fields with its defaults.

- A bad field, a duplicate id (the manual's status 0x8A, DUPLICATE_EXISTS) or
  an event that has already ended (0x85, INVALID_FIELD) is refused before
  anything is stored or sent: the record refuses the first, the engine the
  others (``RefusalError``), and ``errors.translated_errors`` names the field.
- A cancel of an event the gateway does not hold answers status 0x8B
  (NOT_FOUND), as cancels never fail locally in the manual.
- A create or cancel stores the change first and then sends it: a client it
  cannot reach is listed in ``errors`` and gets the events again when it
  comes back, so the call does not fail.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Final

from homeassistant.core import ServiceResponse

from ..core.clusters import Drlc, Messaging, Price
from ..core.engine import (
    CancelAllDrlcEvents,
    CancelDrlcEvent,
    CancelMessage,
    DeviceRef,
    DrlcEvent,
    GatewayEngine,
    MessageEvent,
    PriceEvent,
    Received,
    SendResult,
)
from ..core.engine.records import Record
from ..core.engine.tables import TableEntry
from ..gateway.zcl import SERVER
from .common import Gateway, Handler, ServiceData
from .fields import ENDPOINT_ID, SERVER_OR_CLIENT
from .se_fields import ISSUER_EVENT_ID, gateway_endpoint, record_from, source_endpoint
from .se_responses import received, reported, send_response, with_times

PRICE: Final = Price.cluster_id
DRLC: Final = Drlc.cluster_id
MESSAGING: Final = Messaging.cluster_id


def events_service(
    cluster_id: int,
    own: Callable[[GatewayEngine], list[Any]],
    from_servers: Callable[[GatewayEngine], Mapping[DeviceRef, list[Any]]],
    report: tuple[str, Callable[[GatewayEngine], list[Received[Any]]]] | None = None,
) -> Handler:
    """Return a ``get_…_events`` service of one cluster.

    It returns the events of the server role (0: ``own``) or what servers sent
    the gateway (1: ``from_servers``). ``report`` names the server role's list
    of what clients reported about the events (``report_list``,
    ``confirmation_list``) and its reader.
    """

    async def get_events(gateway: Gateway, data: ServiceData) -> ServiceResponse:
        side = data.get(SERVER_OR_CLIENT, SERVER)
        endpoint = gateway_endpoint(
            gateway, data, ENDPOINT_ID, cluster_id, server=side == SERVER
        )
        engine = gateway.smart_energy.engine
        records = (
            _own_records(engine, cluster_id, own(engine))
            if side == SERVER
            else received(from_servers(engine))
        )
        response: dict[str, Any] = {
            "endpoint_id": endpoint,
            "cluster_id": cluster_id,
            "server_or_client": side,
            "record_list": records,
        }
        if report is not None and side == SERVER:
            key, read = report
            response[key] = reported(read(engine))
        return response

    return get_events


def _own_records(
    engine: GatewayEngine, cluster_id: int, records: list[Any]
) -> list[dict[str, Any]]:
    """Return the gateway's records, each with when it really starts and ends."""
    view = engine.view
    table: Iterable[TableEntry[Any]] = (
        view.prices(None)
        if cluster_id == PRICE
        else view.drlc()
        if cluster_id == DRLC
        else view.messages(None)
    )
    entries = {entry.event_id: entry for entry in table}
    result: list[dict[str, Any]] = []
    for record in records:
        entry = entries.get(record.event_id)
        result.append(
            record.to_dict()
            if entry is None
            else with_times(record.to_dict(), entry.start, entry.end)
        )
    return result


async def _send_record[R: Record](
    gateway: Gateway,
    data: ServiceData,
    cluster_id: int,
    record_type: type[R],
    send: Callable[[GatewayEngine, R], Awaitable[SendResult]],
    **extra: Callable[[R, SendResult], Any],
) -> ServiceResponse:
    """Build the call's record, check the source endpoint, ``send`` it, answer.

    Every field is checked before anything is stored or sent. ``extra`` adds
    response parameters made from the record and the engine's result.
    """
    record = record_from(record_type, data)
    endpoint = source_endpoint(gateway, data, cluster_id)
    result = await send(gateway.smart_energy.engine, record)
    return send_response(
        endpoint,
        cluster_id,
        result,
        record=record.to_dict(),
        **{name: make(record, result) for name, make in extra.items()},
    )


# --- Price --------------------------------------------------------------------------


get_price_events = events_service(
    PRICE, GatewayEngine.get_price_events, GatewayEngine.get_received_price_events
)


async def create_price_event(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Store a price and publish it to every price client."""
    return await _send_record(
        gateway, data, PRICE, PriceEvent, GatewayEngine.create_price_event
    )


async def cancel_price_event(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Forget a price (SE 1.1 has no command to withdraw one from clients)."""
    endpoint = source_endpoint(gateway, data, PRICE)
    issuer_event_id: int = data[ISSUER_EVENT_ID]
    result = gateway.smart_energy.engine.cancel_price_event(issuer_event_id)
    return send_response(endpoint, PRICE, result, issuer_event_id=issuer_event_id)


async def cancel_all_price_events(
    gateway: Gateway, data: ServiceData
) -> ServiceResponse:
    """Forget every price."""
    endpoint = source_endpoint(gateway, data, PRICE)
    result = gateway.smart_energy.engine.cancel_all_price_events()
    return send_response(endpoint, PRICE, result)


# --- Load control -------------------------------------------------------------------


get_drlc_events = events_service(
    DRLC,
    GatewayEngine.get_drlc_events,
    GatewayEngine.get_received_drlc_events,
    ("report_list", GatewayEngine.get_event_status_reports),
)


async def create_drlc_event(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Store a load control event and send it to the clients it addresses."""
    return await _send_record(
        gateway,
        data,
        DRLC,
        DrlcEvent,
        GatewayEngine.create_drlc_event,
        superseded=lambda _record, result: list(result.superseded),
    )


async def cancel_drlc_event(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Cancel a load control event and tell the clients it addresses.

    The cancel goes out even for an event the gateway does not hold (status
    0x8B): clients keep their own lists and report on it.
    """
    return await _send_record(
        gateway, data, DRLC, CancelDrlcEvent, GatewayEngine.cancel_drlc_event
    )


async def cancel_all_drlc_events(
    gateway: Gateway, data: ServiceData
) -> ServiceResponse:
    """Cancel every load control event and tell every DRLC client."""
    return await _send_record(
        gateway, data, DRLC, CancelAllDrlcEvents, GatewayEngine.cancel_all_drlc_events
    )


# --- Messages -----------------------------------------------------------------------


get_message_events = events_service(
    MESSAGING,
    GatewayEngine.get_message_events,
    GatewayEngine.get_received_message_events,
    ("confirmation_list", GatewayEngine.get_message_confirmations),
)


async def create_message_event(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Store a message and send it to every messaging client."""
    return await _send_record(
        gateway, data, MESSAGING, MessageEvent, GatewayEngine.create_message_event
    )


async def cancel_message_event(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Forget a message and send Cancel Message to every messaging client."""
    return await _send_record(
        gateway, data, MESSAGING, CancelMessage, GatewayEngine.cancel_message_event
    )


async def cancel_all_message_events(
    gateway: Gateway, data: ServiceData
) -> ServiceResponse:
    """Forget every message, sending a Cancel Message for each."""
    endpoint = source_endpoint(gateway, data, MESSAGING)
    result = await gateway.smart_energy.engine.cancel_all_message_events()
    return send_response(endpoint, MESSAGING, result)
