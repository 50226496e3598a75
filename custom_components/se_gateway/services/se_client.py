"""The client role's services: the manual's aux gateway asks remote servers.

A meter or another ESI with a Price, DRLC or Messaging server cluster is the
server. ``get_current_price_event``, ``get_scheduled_price_events``,
``get_scheduled_drlc_events`` and ``get_last_message_event`` ask each active
server (or the one named) and answer with what came back
(``se_asking``); ``clear_price_events`` empties the received prices;
``report_event_status`` opts out of or back in to a received load control
event and ``confirm_message`` confirms a received message.

A request that reaches no server raises a translated ``HomeAssistantError``
(not reachable, no answer); an unknown received event is a translated
``ServiceValidationError`` naming the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from homeassistant.core import ServiceResponse
import zigpy.device
from zigpy.zcl import foundation

from ..core.clusters import Drlc, Messaging, Price
from ..core.clusters.drlc import GetScheduledEvents
from ..core.clusters.messaging import GetLastMessage
from ..core.clusters.price import GetCurrentPrice, GetScheduledPrices
from ..core.clusters.types import GetCurrentPriceOptions
from ..core.engine import DeviceRef, commands as engine_commands
from ..core.engine.records import Record
from ..errors import device_error, field_error
from ..gateway.availability import is_active
from ..gateway.settings import CONF_APS_ENCRYPTION_SE
from ..smart_energy.runtime import se_now
from .common import Gateway, ServiceData
from .fields import DESTINATION_ADDRESS, DESTINATION_ENDPOINT_ID
from .se_asking import Server, ask_servers, matching_servers, server_clusters
from .se_fields import (
    ISSUER_EVENT_ID,
    MESSAGE_ID,
    NUMBER_OF_EVENTS,
    START_TIME,
    source_endpoint,
)
from .se_responses import answers_response, send_response

PRICE: Final = Price.cluster_id
DRLC: Final = Drlc.cluster_id
MESSAGING: Final = Messaging.cluster_id
OPT_OUT: Final = 0x04

PRICE_ASK: Final = (
    Price.ServerCommandDefs.get_current_price.id,
    Price.ClientCommandDefs.publish_price.id,
)
SCHEDULED_PRICES_ASK: Final = (
    Price.ServerCommandDefs.get_scheduled_prices.id,
    Price.ClientCommandDefs.publish_price.id,
)
SCHEDULED_EVENTS_ASK: Final = (
    Drlc.ServerCommandDefs.get_scheduled_events.id,
    Drlc.ClientCommandDefs.load_control_event.id,
)
LAST_MESSAGE_ASK: Final = (
    Messaging.ServerCommandDefs.get_last_message.id,
    Messaging.ClientCommandDefs.display_message.id,
)


# --- Asking servers -------------------------------------------------------------------


def _servers(gateway: Gateway, data: ServiceData, cluster_id: int) -> list[Server]:
    """Return the servers a client request goes to: the one named, or every one."""
    app = gateway.app
    if (device_address := data.get(DESTINATION_ADDRESS)) is not None:
        device = gateway.device(device_address, DESTINATION_ADDRESS)
        clusters = server_clusters(
            [device], cluster_id, data.get(DESTINATION_ENDPOINT_ID)
        )
        if not clusters:
            raise field_error(
                "no_server_cluster",
                DESTINATION_ADDRESS,
                address=device.ieee,
                cluster=f"0x{cluster_id:04X}",
            )
    else:
        coordinator = app.state.node_info.ieee
        zha = gateway.zha
        devices = [
            device
            for ieee, device in app.devices.items()
            if ieee != coordinator
            and isinstance(device, zigpy.device.Device)
            and is_active(zha, device)
        ]
        clusters = server_clusters(devices, cluster_id, None)
    source_endpoint_id = int(app.get_endpoint_id(cluster_id, is_server_cluster=False))
    aps_encryption = bool(gateway.setting(CONF_APS_ENCRYPTION_SE))
    return [Server(cluster, source_endpoint_id, aps_encryption) for cluster in clusters]


async def _ask(
    gateway: Gateway,
    data: ServiceData,
    cluster_id: int,
    request: foundation.CommandSchema,
    ids: tuple[int, int],
    to_record: Callable[[Any], Record],
    count: int = 1,
) -> dict[str, Any]:
    """Send a client request to the servers and return their events."""
    endpoint = source_endpoint(gateway, data, cluster_id, server=False)
    servers = _servers(gateway, data, cluster_id)
    command_id, answer_id = ids
    answers = await ask_servers(servers, command_id, request, answer_id, count)
    return answers_response(endpoint, cluster_id, answers, to_record)


def _scheduled(data: ServiceData) -> dict[str, int]:
    """Return the manual's GetScheduledEventsRecord of the call."""
    return {
        START_TIME: data.get(START_TIME, 0),
        NUMBER_OF_EVENTS: data.get(NUMBER_OF_EVENTS, 0),
    }


async def get_current_price_event(
    gateway: Gateway, data: ServiceData
) -> ServiceResponse:
    """Ask each active price server for its current price (Get Current Price)."""
    request = GetCurrentPrice(
        command_options=GetCurrentPriceOptions.Requestor_Rx_On_When_Idle
    )
    return await _ask(
        gateway,
        data,
        PRICE,
        request,
        PRICE_ASK,
        engine_commands.price_from_publish_price,
    )


async def get_scheduled_price_events(
    gateway: Gateway, data: ServiceData
) -> ServiceResponse:
    """Ask each active price server for its scheduled prices."""
    record = _scheduled(data)
    response = await _ask(
        gateway,
        data,
        PRICE,
        GetScheduledPrices(**record),
        SCHEDULED_PRICES_ASK,
        engine_commands.price_from_publish_price,
        record[NUMBER_OF_EVENTS],
    )
    return {**response, "record": record}


async def get_scheduled_drlc_events(
    gateway: Gateway, data: ServiceData
) -> ServiceResponse:
    """Ask each active DRLC server for its scheduled load control events."""
    record = _scheduled(data)
    response = await _ask(
        gateway,
        data,
        DRLC,
        GetScheduledEvents(**record),
        SCHEDULED_EVENTS_ASK,
        engine_commands.drlc_from_payload,
        record[NUMBER_OF_EVENTS],
    )
    return {**response, "record": record}


async def get_last_message_event(
    gateway: Gateway, data: ServiceData
) -> ServiceResponse:
    """Ask each active messaging server for its last message (Get Last Message)."""
    return await _ask(
        gateway,
        data,
        MESSAGING,
        GetLastMessage(),
        LAST_MESSAGE_ASK,
        engine_commands.message_from_display_message,
    )


# --- What servers sent ----------------------------------------------------------------


async def clear_price_events(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Empty the lists of prices servers sent the gateway."""
    endpoint = source_endpoint(gateway, data, PRICE, server=False)
    removed = await gateway.smart_energy.engine.clear_received_price_events()
    return {
        "source_endpoint_id": endpoint,
        "cluster_id": PRICE,
        "status": int(foundation.Status.SUCCESS),
        "removed": removed,
    }


def _holder(
    data: ServiceData,
    held: Mapping[DeviceRef, list[Any]],
    id_field: str,
    event_id: int,
    ids: Callable[[Any], int],
) -> DeviceRef:
    """Return the one server whose event the call means."""
    holders = [
        server
        for server, records in held.items()
        if any(ids(record) == event_id for record in records)
    ]
    candidates = matching_servers(
        holders, data.get(DESTINATION_ADDRESS), data.get(DESTINATION_ENDPOINT_ID)
    )
    if not candidates:
        raise field_error("unknown_received_event", id_field, id=event_id)
    if len(candidates) > 1:
        raise field_error(
            "ambiguous_received_event",
            DESTINATION_ADDRESS,
            id=event_id,
            servers=", ".join(sorted({server.ieee for server in candidates})),
        )
    return candidates[0]


async def report_event_status(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Opt the gateway out of (4) or back in to (5) a received load control event.

    A running event is reported to its server at once; an event that has not
    started is reported when it would start.
    """
    endpoint = source_endpoint(gateway, data, DRLC, server=False)
    engine = gateway.smart_energy.engine
    issuer_event_id: int = data[ISSUER_EVENT_ID]
    event_status: int = data["event_status"]
    server = _holder(
        data,
        engine.get_received_drlc_events(),
        ISSUER_EVENT_ID,
        issuer_event_id,
        lambda record: int(record.issuer_event_id),
    )
    opt_out = event_status == OPT_OUT
    held = engine.view.received_drlc(server)[issuer_event_id]
    reports_now = held.started and held.opted_out != opt_out
    participate = engine.opt_out_drlc_event if opt_out else engine.opt_in_drlc_event
    await participate(server, issuer_event_id)
    return {
        "source_endpoint_id": endpoint,
        "cluster_id": DRLC,
        "status": int(foundation.Status.SUCCESS),
        "destination_address": server.ieee,
        "destination_endpoint_id": server.endpoint,
        "record": {ISSUER_EVENT_ID: issuer_event_id, "event_status": event_status},
        "device_list": [server.ieee] if reports_now else [],
    }


async def confirm_message(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Confirm a message a server sent (Message Confirmation)."""
    endpoint = source_endpoint(gateway, data, MESSAGING, server=False)
    engine = gateway.smart_energy.engine
    message_id: int = data[MESSAGE_ID]
    server = _holder(
        data,
        engine.get_received_message_events(),
        MESSAGE_ID,
        message_id,
        lambda record: int(record.message_id),
    )
    confirmation_time = se_now()
    # A server that has left the network is refused (``unknown_device``).
    result = await engine.confirm_message(server, message_id)
    if result.errors:
        raise device_error("device_not_reachable", address=server.ieee)
    return send_response(
        endpoint,
        MESSAGING,
        result,
        record={MESSAGE_ID: message_id, "confirmation_time": confirmation_time},
    )
