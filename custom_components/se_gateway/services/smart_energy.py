"""The manual's Smart Energy requests: price, load control and message events.

Server role (the gateway is the ESI; in-home displays and load control
devices are its clients): ``get_/create_/cancel_/cancel_all_`` for price,
DRLC and message events. The fields are the manual's record fields with its
defaults; a create or cancel answers with the manual's ``*_response``
parameters: ``source_endpoint_id``, ``cluster_id``, ``status``, the
``record`` and ``device_list`` (the devices the command reached), plus
``errors`` (the devices it did not reach, and why).

Client role (the manual's aux gateway; a meter or another ESI is the
server): ``get_current_price_event``, ``get_scheduled_price_events``,
``clear_price_events``, ``get_scheduled_drlc_events``,
``report_event_status`` (opt out of or back in to a received load control
event), ``get_last_message_event`` and ``confirm_message``.

Errors:

- a bad field, a duplicate id (the manual's status 0x8A, DUPLICATE_EXISTS),
  an event that has already ended (0x85, INVALID_FIELD) or an unknown
  received event is a translated ``ServiceValidationError`` naming the field,
  raised before anything is stored or sent;
- a cancel of an event the gateway does not hold answers status 0x8B
  (NOT_FOUND), as cancels never fail locally in the manual;
- a create or cancel stores the change first and then sends it: a client it
  cannot reach is listed in ``errors`` and gets the events again when it
  comes back, so the call does not fail;
- a client request that reaches no server raises a translated
  ``HomeAssistantError`` (not reachable, no answer).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
import contextlib
from typing import Any, Final

from homeassistant.core import (
    HomeAssistant,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError
import probatio
import zigpy.device
from zigpy.zcl import foundation

from ..const import DOMAIN
from ..engine import (
    CancelAllDrlcEvents,
    CancelDrlcEvent,
    CancelMessage,
    DeviceRef,
    DrlcEvent,
    GatewayEngine,
    MessageEvent,
    PriceEvent,
    Received,
    RecordError,
    SendResult,
    commands as engine_commands,
)
from ..engine.records import Record
from ..quirks.smartenergy import Drlc, Messaging, Price
from ..quirks.smartenergy.drlc import GetScheduledEvents
from ..quirks.smartenergy.messaging import GetLastMessage
from ..quirks.smartenergy.price import GetCurrentPrice, GetScheduledPrices
from ..quirks.smartenergy.types import GetCurrentPriceOptions
from ..settings import CONF_APS_ENCRYPTION_SE
from ..smart_energy.runtime import SmartEnergyRuntime, se_now
from ..smart_energy.snapshot import Snapshot
from ..smart_energy.tracked_engine import TrackedEngine
from ..zcl_ops import SERVER
from .common import Gateway, Handler, ServiceData, async_register, field_error
from .fields import (
    DESTINATION_ADDRESS,
    DESTINATION_ENDPOINT_ID,
    ENDPOINT,
    ENDPOINT_ID,
    SERVER_OR_CLIENT,
    SIDE,
    SOURCE_ENDPOINT_ID,
    UINT8,
    UINT32,
    address,
)
from .se_client import (
    Server,
    ServerAnswer,
    ask_servers,
    matching_servers,
    server_clusters,
)
from .se_fields import (
    SENT_MESSAGE,
    STANDARD_SE_ENDPOINT,
    record_data,
    record_fields,
    se_time,
    user_event_status,
)

PRICE: Final = Price.cluster_id
DRLC: Final = Drlc.cluster_id
MESSAGING: Final = Messaging.cluster_id
STATUS = foundation.Status
OPT_OUT: Final = 0x04

ISSUER_EVENT_ID: Final = "issuer_event_id"
MESSAGE_ID: Final = "message_id"
START_TIME: Final = "start_time"
NUMBER_OF_EVENTS: Final = "number_of_events"


# --- Shared -------------------------------------------------------------------------


def _runtime(gateway: Gateway) -> SmartEnergyRuntime:
    runtime: SmartEnergyRuntime = gateway.entry.runtime_data.smart_energy
    return runtime


def _engine(gateway: Gateway) -> TrackedEngine:
    return _runtime(gateway).engine


def _gateway_endpoint(
    gateway: Gateway, data: ServiceData, field: str, cluster_id: int, *, server: bool
) -> int:
    """Return the gateway's endpoint of a cluster; check the one the call named.

    ZHA's coordinator hosts the gateway's clusters on one endpoint. The manual's
    standard SE endpoint 0x5E is taken as that one, so calls written for the
    manual work unchanged.
    """
    own = int(gateway.app.get_endpoint_id(cluster_id, is_server_cluster=server))
    given = data.get(field)
    if given is not None and given not in (STANDARD_SE_ENDPOINT, own):
        raise field_error("unknown_gateway_endpoint", field, endpoint=given, own=own)
    return own


def _record_error(err: RecordError) -> Exception:
    """Return the translated user error of a record field."""
    detail = str(err).removeprefix(f"{err.field}: ")
    return field_error("invalid_field", err.field, error=detail)


@contextlib.contextmanager
def _record_errors() -> Iterator[None]:
    try:
        yield
    except RecordError as err:
        raise _record_error(err) from None


def _build[R: Record](record_type: type[R], data: ServiceData) -> R:
    """Return the record the call's fields make."""
    with _record_errors():
        return record_type.from_dict(record_data(dict(data), record_type))


def _device_list(devices: Sequence[DeviceRef]) -> list[str]:
    """Return the manual's device_list: IEEE addresses, each once."""
    return sorted({device.ieee for device in devices})


def _send_response(
    endpoint: int, cluster_id: int, result: SendResult, **extra: Any
) -> dict[str, Any]:
    """Return the manual's response to a create or cancel."""
    return {
        "source_endpoint_id": endpoint,
        "cluster_id": cluster_id,
        "status": int(result.status),
        **extra,
        "device_list": _device_list(result.device_list),
        "errors": [
            {
                "device_address": device.ieee,
                "endpoint_id": device.endpoint,
                "error": error,
            }
            for device, error in sorted(result.errors.items())
        ],
    }


def _check_created(result: SendResult, id_field: str, event_id: int) -> None:
    """Refuse a create the engine refused: a known id, or an event already over."""
    if result.status == STATUS.DUPLICATE_EXISTS:
        raise field_error("duplicate_event", id_field, id=event_id, status="0x8A")
    if result.status == STATUS.INVALID_FIELD:
        raise field_error("event_already_ended", START_TIME, status="0x85")


async def _send_record[R: Record](
    gateway: Gateway,
    data: ServiceData,
    cluster_id: int,
    record_type: type[R],
    send: Callable[[TrackedEngine, R], Awaitable[SendResult]],
) -> tuple[int, R, SendResult]:
    """Build the call's record, check the source endpoint, then ``send`` it.

    Every field is checked before anything is stored or sent. Returns the
    gateway's endpoint, the record and the engine's result.
    """
    record = _build(record_type, data)
    endpoint = _server_endpoint(gateway, data, cluster_id)
    with _record_errors():
        result = await send(_engine(gateway), record)
    return endpoint, record, result


def _server_endpoint(gateway: Gateway, data: ServiceData, cluster_id: int) -> int:
    """Return the gateway's server endpoint of a cluster; check the call's."""
    return _gateway_endpoint(gateway, data, SOURCE_ENDPOINT_ID, cluster_id, server=True)


def _from_server(record: Record, server: DeviceRef) -> dict[str, Any]:
    """Return a record a server sent, with the server's address."""
    return {
        **record.to_dict(),
        "source_address": server.ieee,
        "source_endpoint_id": server.endpoint,
    }


def _received[R: Record](lists: Mapping[DeviceRef, list[R]]) -> list[dict[str, Any]]:
    """Return the records of each server, servers in address order."""
    return [
        _from_server(record, server)
        for server, records in sorted(lists.items())
        for record in records
    ]


def _log(items: list[Received[Any]]) -> list[dict[str, Any]]:
    """Return what clients reported, with who reported it."""
    return [
        {
            "source_address": item.device.ieee,
            "source_endpoint_id": item.device.endpoint,
            "record": item.record.to_dict(),
        }
        for item in items
    ]


def _events_service(
    cluster_id: int,
    own: Callable[[GatewayEngine], list[Any]],
    received: Callable[[GatewayEngine], Mapping[DeviceRef, list[Any]]],
    reported: tuple[str, Callable[[GatewayEngine], list[Received[Any]]]] | None = None,
) -> Handler:
    """Return a ``get_…_events`` service of one cluster.

    It returns the events of the server role (0: ``own``) or what servers sent
    the gateway (1: ``received``). ``reported`` names the server role's list
    of what clients reported about the events (``report_list``,
    ``confirmation_list``) and its reader.
    """

    async def get_events(gateway: Gateway, data: ServiceData) -> ServiceResponse:
        side = data.get(SERVER_OR_CLIENT, SERVER)
        endpoint = _gateway_endpoint(
            gateway, data, ENDPOINT_ID, cluster_id, server=side == SERVER
        )
        engine = _engine(gateway)
        records = (
            [record.to_dict() for record in own(engine)]
            if side == SERVER
            else _received(received(engine))
        )
        response: dict[str, Any] = {
            "endpoint_id": endpoint,
            "cluster_id": cluster_id,
            "server_or_client": side,
            "record_list": records,
        }
        if reported is not None and side == SERVER:
            key, read = reported
            response[key] = _log(read(engine))
        return response

    return get_events


# --- Server role: price -------------------------------------------------------------


get_price_events = _events_service(
    PRICE, GatewayEngine.get_price_events, GatewayEngine.get_received_price_events
)


async def create_price_event(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Store a price and publish it to every price client."""
    endpoint, record, result = await _send_record(
        gateway, data, PRICE, PriceEvent, TrackedEngine.create_price_event
    )
    _check_created(result, ISSUER_EVENT_ID, record.issuer_event_id)
    return _send_response(endpoint, PRICE, result, record=record.to_dict())


async def cancel_price_event(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Forget a price (SE 1.1 has no command to withdraw one from clients)."""
    endpoint = _server_endpoint(gateway, data, PRICE)
    issuer_event_id: int = data[ISSUER_EVENT_ID]
    result = _engine(gateway).cancel_price_event(issuer_event_id)
    return _send_response(endpoint, PRICE, result, issuer_event_id=issuer_event_id)


async def cancel_all_price_events(
    gateway: Gateway, data: ServiceData
) -> ServiceResponse:
    """Forget every price."""
    endpoint = _server_endpoint(gateway, data, PRICE)
    return _send_response(endpoint, PRICE, _engine(gateway).cancel_all_price_events())


# --- Server role: load control ------------------------------------------------------


get_drlc_events = _events_service(
    DRLC,
    GatewayEngine.get_drlc_events,
    GatewayEngine.get_received_drlc_events,
    ("report_list", GatewayEngine.get_event_status_reports),
)


async def create_drlc_event(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Store a load control event and send it to the clients it addresses."""
    endpoint, record, result = await _send_record(
        gateway, data, DRLC, DrlcEvent, TrackedEngine.create_drlc_event
    )
    _check_created(result, ISSUER_EVENT_ID, record.issuer_event_id)
    return _send_response(
        endpoint,
        DRLC,
        result,
        record=record.to_dict(),
        superseded=list(result.superseded),
    )


async def cancel_drlc_event(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Cancel a load control event and tell the clients it addresses.

    The cancel goes out even for an event the gateway does not hold (status
    0x8B): clients keep their own lists and report on it.
    """
    endpoint, record, result = await _send_record(
        gateway, data, DRLC, CancelDrlcEvent, TrackedEngine.cancel_drlc_event
    )
    return _send_response(endpoint, DRLC, result, record=record.to_dict())


async def cancel_all_drlc_events(
    gateway: Gateway, data: ServiceData
) -> ServiceResponse:
    """Cancel every load control event and tell every DRLC client."""
    endpoint, record, result = await _send_record(
        gateway, data, DRLC, CancelAllDrlcEvents, TrackedEngine.cancel_all_drlc_events
    )
    return _send_response(endpoint, DRLC, result, record=record.to_dict())


# --- Server role: messages ----------------------------------------------------------


get_message_events = _events_service(
    MESSAGING,
    GatewayEngine.get_message_events,
    GatewayEngine.get_received_message_events,
    ("confirmation_list", GatewayEngine.get_message_confirmations),
)


async def create_message_event(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Store a message and send it to every messaging client."""
    endpoint, record, result = await _send_record(
        gateway, data, MESSAGING, MessageEvent, TrackedEngine.create_message_event
    )
    _check_created(result, MESSAGE_ID, record.message_id)
    return _send_response(endpoint, MESSAGING, result, record=record.to_dict())


async def cancel_message_event(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Forget a message and send Cancel Message to every messaging client."""
    endpoint, record, result = await _send_record(
        gateway, data, MESSAGING, CancelMessage, TrackedEngine.cancel_message_event
    )
    return _send_response(endpoint, MESSAGING, result, record=record.to_dict())


async def cancel_all_message_events(
    gateway: Gateway, data: ServiceData
) -> ServiceResponse:
    """Forget every message, sending a Cancel Message for each."""
    endpoint = _server_endpoint(gateway, data, MESSAGING)
    result = await _engine(gateway).cancel_all_message_events()
    return _send_response(endpoint, MESSAGING, result)


# --- Client role: asking servers ---------------------------------------------------


def _is_active(gateway: Gateway, device: zigpy.device.Device) -> bool:
    """Return True for an interviewed device that ZHA counts as available."""
    zha_device = gateway.zha.devices.get(device.ieee)
    return (
        bool(device.is_initialized)
        and zha_device is not None
        and bool(zha_device.available)
    )


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
        devices = [
            device
            for ieee, device in app.devices.items()
            if ieee != coordinator
            and isinstance(device, zigpy.device.Device)
            and _is_active(gateway, device)
        ]
        clusters = server_clusters(devices, cluster_id, None)
    source_endpoint_id = int(app.get_endpoint_id(cluster_id, is_server_cluster=False))
    aps_encryption = bool(gateway.setting(CONF_APS_ENCRYPTION_SE))
    return [Server(cluster, source_endpoint_id, aps_encryption) for cluster in clusters]


def _answers_response(
    endpoint: int,
    cluster_id: int,
    answers: list[ServerAnswer],
    to_record: Callable[[Any], Record],
) -> dict[str, Any]:
    """Return what the servers answered; raise if none could be asked."""
    reached = [answer for answer in answers if answer.error is None]
    failed = [answer for answer in answers if answer.error is not None]
    if failed and not reached:
        assert failed[0].error is not None
        raise failed[0].error
    records: list[dict[str, Any]] = []
    statuses = [answer.status for answer in reached if answer.status is not None]
    for answer in reached:
        for command in answer.commands:
            try:
                record = to_record(command)
            except RecordError:
                statuses.insert(0, STATUS.INVALID_FIELD)
                continue
            records.append(_from_server(record, answer.server.ref))
    status = STATUS.SUCCESS if records else next(iter(statuses), STATUS.NOT_FOUND)
    return {
        "source_endpoint_id": endpoint,
        "cluster_id": cluster_id,
        "status": int(status),
        "device_list": _device_list([answer.server.ref for answer in reached]),
        "errors": [
            {
                "device_address": answer.server.ref.ieee,
                "endpoint_id": answer.server.ref.endpoint,
                "error": type(answer.error).__name__,
            }
            for answer in failed
        ],
        "record_list": records,
    }


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
    endpoint = _gateway_endpoint(
        gateway, data, SOURCE_ENDPOINT_ID, cluster_id, server=False
    )
    servers = _servers(gateway, data, cluster_id)
    command_id, answer_id = ids
    answers = await ask_servers(servers, command_id, request, answer_id, count)
    return _answers_response(endpoint, cluster_id, answers, to_record)


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


def _scheduled(data: ServiceData) -> dict[str, int]:
    """Return the manual's GetScheduledEventsRecord of the call."""
    return {
        START_TIME: data.get(START_TIME, 0),
        NUMBER_OF_EVENTS: data.get(NUMBER_OF_EVENTS, 0),
    }


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


async def clear_price_events(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Empty the lists of prices servers sent the gateway."""
    endpoint = _gateway_endpoint(gateway, data, SOURCE_ENDPOINT_ID, PRICE, server=False)
    engine = _engine(gateway)
    removed = await engine.clear_received_price_events()
    return {
        "source_endpoint_id": endpoint,
        "cluster_id": PRICE,
        "status": int(STATUS.SUCCESS),
        "removed": removed,
    }


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


# --- Client role: answering servers -------------------------------------------------


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
    endpoint = _gateway_endpoint(gateway, data, SOURCE_ENDPOINT_ID, DRLC, server=False)
    engine = _engine(gateway)
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
    held = Snapshot.of(engine, se_now()).client[server].drlc[issuer_event_id]
    reports_now = held.started and held.opted_out != opt_out
    participate = engine.opt_out_drlc_event if opt_out else engine.opt_in_drlc_event
    # The event was found just above, with nothing awaited since: SUCCESS.
    await participate(server, issuer_event_id)
    return {
        "source_endpoint_id": endpoint,
        "cluster_id": DRLC,
        "status": int(STATUS.SUCCESS),
        "destination_address": server.ieee,
        "destination_endpoint_id": server.endpoint,
        "record": {ISSUER_EVENT_ID: issuer_event_id, "event_status": event_status},
        "device_list": [server.ieee] if reports_now else [],
    }


async def confirm_message(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Confirm a message a server sent (Message Confirmation)."""
    endpoint = _gateway_endpoint(
        gateway, data, SOURCE_ENDPOINT_ID, MESSAGING, server=False
    )
    engine = _engine(gateway)
    message_id: int = data[MESSAGE_ID]
    server = _holder(
        data,
        engine.get_received_message_events(),
        MESSAGE_ID,
        message_id,
        lambda record: int(record.message_id),
    )
    confirmation_time = se_now()
    result = await engine.confirm_message(server, message_id)
    if result.status != STATUS.SUCCESS:
        # The message is held, but its server has left the network.
        raise field_error("unknown_device", DESTINATION_ADDRESS, address=server.ieee)
    if result.errors:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="device_not_reachable",
            translation_placeholders={"address": server.ieee},
        )
    return _send_response(
        endpoint,
        MESSAGING,
        result,
        record={MESSAGE_ID: message_id, "confirmation_time": confirmation_time},
    )


# --- Registration -------------------------------------------------------------------

SOURCE_ENDPOINT: Final[dict[Any, Any]] = {
    probatio.Optional(SOURCE_ENDPOINT_ID): ENDPOINT
}
EVENTS_QUERY: Final[dict[Any, Any]] = {
    probatio.Optional(ENDPOINT_ID): ENDPOINT,
    probatio.Optional(SERVER_OR_CLIENT): SIDE,
}
SERVER_TARGET: Final[dict[Any, Any]] = {
    **SOURCE_ENDPOINT,
    probatio.Optional(DESTINATION_ADDRESS): address,
    probatio.Optional(DESTINATION_ENDPOINT_ID): ENDPOINT,
}
SCHEDULED_QUERY: Final[dict[Any, Any]] = {
    **SERVER_TARGET,
    probatio.Optional(START_TIME): se_time,
    probatio.Optional(NUMBER_OF_EVENTS): UINT8,
}

SERVICES: Final[tuple[tuple[str, Handler, dict[Any, Any], SupportsResponse], ...]] = (
    ("get_price_events", get_price_events, EVENTS_QUERY, SupportsResponse.ONLY),
    (
        "create_price_event",
        create_price_event,
        {**SOURCE_ENDPOINT, **record_fields(PriceEvent)},
        SupportsResponse.OPTIONAL,
    ),
    (
        "cancel_price_event",
        cancel_price_event,
        {**SOURCE_ENDPOINT, probatio.Required(ISSUER_EVENT_ID): UINT32},
        SupportsResponse.OPTIONAL,
    ),
    (
        "cancel_all_price_events",
        cancel_all_price_events,
        SOURCE_ENDPOINT,
        SupportsResponse.OPTIONAL,
    ),
    ("get_drlc_events", get_drlc_events, EVENTS_QUERY, SupportsResponse.ONLY),
    (
        "create_drlc_event",
        create_drlc_event,
        {**SOURCE_ENDPOINT, **record_fields(DrlcEvent)},
        SupportsResponse.OPTIONAL,
    ),
    (
        "cancel_drlc_event",
        cancel_drlc_event,
        {**SOURCE_ENDPOINT, **record_fields(CancelDrlcEvent)},
        SupportsResponse.OPTIONAL,
    ),
    (
        "cancel_all_drlc_events",
        cancel_all_drlc_events,
        {**SOURCE_ENDPOINT, **record_fields(CancelAllDrlcEvents)},
        SupportsResponse.OPTIONAL,
    ),
    ("get_message_events", get_message_events, EVENTS_QUERY, SupportsResponse.ONLY),
    (
        "create_message_event",
        create_message_event,
        {
            **SOURCE_ENDPOINT,
            **record_fields(MessageEvent, {"message": SENT_MESSAGE}),
        },
        SupportsResponse.OPTIONAL,
    ),
    (
        "cancel_message_event",
        cancel_message_event,
        {**SOURCE_ENDPOINT, **record_fields(CancelMessage)},
        SupportsResponse.OPTIONAL,
    ),
    (
        "cancel_all_message_events",
        cancel_all_message_events,
        SOURCE_ENDPOINT,
        SupportsResponse.OPTIONAL,
    ),
    (
        "get_current_price_event",
        get_current_price_event,
        SERVER_TARGET,
        SupportsResponse.ONLY,
    ),
    (
        "get_scheduled_price_events",
        get_scheduled_price_events,
        SCHEDULED_QUERY,
        SupportsResponse.ONLY,
    ),
    (
        "clear_price_events",
        clear_price_events,
        SOURCE_ENDPOINT,
        SupportsResponse.OPTIONAL,
    ),
    (
        "get_scheduled_drlc_events",
        get_scheduled_drlc_events,
        SCHEDULED_QUERY,
        SupportsResponse.ONLY,
    ),
    (
        "report_event_status",
        report_event_status,
        {
            **SERVER_TARGET,
            probatio.Required(ISSUER_EVENT_ID): UINT32,
            probatio.Required("event_status"): user_event_status,
        },
        SupportsResponse.OPTIONAL,
    ),
    (
        "get_last_message_event",
        get_last_message_event,
        SERVER_TARGET,
        SupportsResponse.ONLY,
    ),
    (
        "confirm_message",
        confirm_message,
        {**SERVER_TARGET, probatio.Required(MESSAGE_ID): UINT32},
        SupportsResponse.OPTIONAL,
    ),
)


@callback
def async_setup_smart_energy_services(hass: HomeAssistant) -> None:
    """Register the Smart Energy services."""
    for name, handler, schema, supports_response in SERVICES:
        async_register(hass, name, handler, schema, supports_response)
