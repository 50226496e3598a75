"""The manual's Smart Energy requests: price, load control and message events.

The server role (``se_server``: the gateway is the ESI) and the client role
(``se_client``: the gateway asks remote servers, as the manual's aux gateway)
answer with the manual's ``*_response`` parameters (``se_responses``). This
module lists the services with their fields.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.core import SupportsResponse
import probatio

from ..core.engine import (
    CancelAllDrlcEvents,
    CancelDrlcEvent,
    CancelMessage,
    DrlcEvent,
    MessageEvent,
    PriceEvent,
)
from . import se_client, se_server
from .common import ServiceSpec
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
from .se_fields import (
    ISSUER_EVENT_ID,
    MESSAGE_ID,
    NUMBER_OF_EVENTS,
    SENT_MESSAGE,
    START_TIME,
    record_fields,
    se_time,
    user_event_status,
)

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
OPTIONAL: Final = SupportsResponse.OPTIONAL

SERVICES: Final = (
    # Server role: price
    ServiceSpec(
        name="get_price_events",
        handler=se_server.get_price_events,
        schema=EVENTS_QUERY,
    ),
    ServiceSpec(
        name="create_price_event",
        handler=se_server.create_price_event,
        schema={**SOURCE_ENDPOINT, **record_fields(PriceEvent)},
        supports_response=OPTIONAL,
    ),
    ServiceSpec(
        name="cancel_price_event",
        handler=se_server.cancel_price_event,
        schema={**SOURCE_ENDPOINT, probatio.Required(ISSUER_EVENT_ID): UINT32},
        supports_response=OPTIONAL,
    ),
    ServiceSpec(
        name="cancel_all_price_events",
        handler=se_server.cancel_all_price_events,
        schema=SOURCE_ENDPOINT,
        supports_response=OPTIONAL,
    ),
    # Server role: load control
    ServiceSpec(
        name="get_drlc_events",
        handler=se_server.get_drlc_events,
        schema=EVENTS_QUERY,
    ),
    ServiceSpec(
        name="create_drlc_event",
        handler=se_server.create_drlc_event,
        schema={**SOURCE_ENDPOINT, **record_fields(DrlcEvent)},
        supports_response=OPTIONAL,
    ),
    ServiceSpec(
        name="cancel_drlc_event",
        handler=se_server.cancel_drlc_event,
        schema={**SOURCE_ENDPOINT, **record_fields(CancelDrlcEvent)},
        supports_response=OPTIONAL,
    ),
    ServiceSpec(
        name="cancel_all_drlc_events",
        handler=se_server.cancel_all_drlc_events,
        schema={**SOURCE_ENDPOINT, **record_fields(CancelAllDrlcEvents)},
        supports_response=OPTIONAL,
    ),
    # Server role: messages
    ServiceSpec(
        name="get_message_events",
        handler=se_server.get_message_events,
        schema=EVENTS_QUERY,
    ),
    ServiceSpec(
        name="create_message_event",
        handler=se_server.create_message_event,
        schema={
            **SOURCE_ENDPOINT,
            **record_fields(MessageEvent, {"message": SENT_MESSAGE}),
        },
        supports_response=OPTIONAL,
    ),
    ServiceSpec(
        name="cancel_message_event",
        handler=se_server.cancel_message_event,
        schema={**SOURCE_ENDPOINT, **record_fields(CancelMessage)},
        supports_response=OPTIONAL,
    ),
    ServiceSpec(
        name="cancel_all_message_events",
        handler=se_server.cancel_all_message_events,
        schema=SOURCE_ENDPOINT,
        supports_response=OPTIONAL,
    ),
    # Client role
    ServiceSpec(
        name="get_current_price_event",
        handler=se_client.get_current_price_event,
        schema=SERVER_TARGET,
    ),
    ServiceSpec(
        name="get_scheduled_price_events",
        handler=se_client.get_scheduled_price_events,
        schema=SCHEDULED_QUERY,
    ),
    ServiceSpec(
        name="clear_price_events",
        handler=se_client.clear_price_events,
        schema=SOURCE_ENDPOINT,
        supports_response=OPTIONAL,
    ),
    ServiceSpec(
        name="get_scheduled_drlc_events",
        handler=se_client.get_scheduled_drlc_events,
        schema=SCHEDULED_QUERY,
    ),
    ServiceSpec(
        name="report_event_status",
        handler=se_client.report_event_status,
        schema={
            **SERVER_TARGET,
            probatio.Required(ISSUER_EVENT_ID): UINT32,
            probatio.Required("event_status"): user_event_status,
        },
        supports_response=OPTIONAL,
    ),
    ServiceSpec(
        name="get_last_message_event",
        handler=se_client.get_last_message_event,
        schema=SERVER_TARGET,
    ),
    ServiceSpec(
        name="confirm_message",
        handler=se_client.confirm_message,
        schema={**SERVER_TARGET, probatio.Required(MESSAGE_ID): UINT32},
        supports_response=OPTIONAL,
    ),
)
