"""The engine's notifications as Home Assistant bus events.

Each notification becomes ``se_gateway_<name>`` (``se_gateway_received_price_event``
...) carrying the manual's parameters: ``source_address``,
``source_endpoint_id``, ``cluster_id``, ``status`` where the message has one,
and ``record`` or ``records`` as dicts. ``device_id`` names the sender's
device in Home Assistant's device registry when it has one.

``se_gateway_start_receiving_reports_response`` is the manual's message for a
received attribute report: one per reported attribute (``report_data``).

Every event but ``se_gateway_message`` relates to a device and has a device
trigger (``DEVICE_EVENT_NAMES``).

``se_gateway_message`` is the manual's unsolicited ``message``: operational
news of the gateway, with a ``severity`` (``SEVERITY_*``) and the text.
"""

from __future__ import annotations

from typing import Any, Final

from ..const import DOMAIN
from ..core.engine import Notification

EVENT_MESSAGE: Final = f"{DOMAIN}_message"
SEVERITY_INFO: Final = 0
SEVERITY_WARNING: Final = 1
SEVERITY_ERROR: Final = 2

NOTIFICATION_NAMES: Final = (
    "received_price_event",
    "updated_active_price_event",
    "received_drlc_event",
    "received_drlc_cancel_event",
    "received_drlc_cancel_all_events",
    "updated_active_drlc_events",
    "received_message_event",
    "received_message_cancel_event",
    "updated_active_message_events",
    "received_report_event_status",
    "received_message_confirmation",
)
ATTRIBUTE_REPORT_NAME: Final = "start_receiving_reports_response"
EVENT_ATTRIBUTE_REPORT: Final = f"{DOMAIN}_{ATTRIBUTE_REPORT_NAME}"
DEVICE_EVENT_NAMES: Final = (*NOTIFICATION_NAMES, ATTRIBUTE_REPORT_NAME)
EVENT_TYPES: Final = tuple(f"{DOMAIN}_{name}" for name in DEVICE_EVENT_NAMES)


def event_type(notification: Notification) -> str:
    """Return the bus event type of a notification."""
    return f"{DOMAIN}_{notification.name}"


def event_data(notification: Notification, device_id: str | None) -> dict[str, Any]:
    """Return the bus event data of a notification."""
    return {"device_id": device_id, **notification.as_dict()}


def message_data(severity: int, message: str) -> dict[str, Any]:
    """Return the data of a ``se_gateway_message`` event."""
    return {"severity": severity, "message": message}
