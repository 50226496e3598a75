"""Notifications the engine emits, named after the manual's response messages.

Each notification's ``name`` is the manual's message name in lower case
(``received_price_event``, ``updated_active_drlc_events`` ...) and its
``as_dict()`` carries the manual's parameters, records as plain dicts. The Home
Assistant layer fires them as ``se_gateway_<name>`` events.

The manual addresses the gateway's own endpoint in some messages; here every
notification names the remote device instead (``source_address`` and
``source_endpoint_id``), since the lists are kept per remote device.
"""

from __future__ import annotations

from collections.abc import Callable
import dataclasses
from dataclasses import dataclass
import logging
from typing import Any, ClassVar, Final, Self

from .delivery import DeviceRef
from .records import (
    CancelAllDrlcEvents,
    CancelDrlcEvent,
    CancelMessage,
    DrlcEvent,
    EventStatusReport,
    MessageConfirmation,
    MessageEvent,
    PriceEvent,
    Record,
)

_LOGGER: Final = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class Notification:
    """Something a remote device told the gateway."""

    name: ClassVar[str]

    source_address: str
    source_endpoint_id: int
    cluster_id: int

    @classmethod
    def of(cls, device: DeviceRef, cluster_id: int, **fields: Any) -> Self:
        """Return the notification from ``cluster_id`` of ``device``."""
        return cls(
            source_address=device.ieee,
            source_endpoint_id=device.endpoint,
            cluster_id=cluster_id,
            **fields,
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the manual's parameters, records as dicts."""
        return {
            spec.name: _plain(getattr(self, spec.name))
            for spec in dataclasses.fields(self)
        }


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


# --- Client role: what a server (a meter or another ESI) sent -----------------


@dataclass(frozen=True, kw_only=True)
class ReceivedPriceEvent(Notification):
    """A Publish Price arrived; status 0x8A if its issuer event id was known."""

    name: ClassVar[str] = "received_price_event"
    status: int
    record: PriceEvent


@dataclass(frozen=True, kw_only=True)
class UpdatedActivePriceEvent(Notification):
    """The server's active price changed; ``record`` is None when none is."""

    name: ClassVar[str] = "updated_active_price_event"
    record: PriceEvent | None


@dataclass(frozen=True, kw_only=True)
class ReceivedDrlcEvent(Notification):
    """A Load Control Event arrived: status 0x00, 0x85 (expired) or 0x8A.

    An event that does not make a valid record is rejected to the server
    (status 0xFE) without a notification.
    """

    name: ClassVar[str] = "received_drlc_event"
    status: int
    record: DrlcEvent


@dataclass(frozen=True, kw_only=True)
class ReceivedDrlcCancelEvent(Notification):
    """A Cancel Load Control Event arrived."""

    name: ClassVar[str] = "received_drlc_cancel_event"
    record: CancelDrlcEvent


@dataclass(frozen=True, kw_only=True)
class ReceivedDrlcCancelAllEvents(Notification):
    """A Cancel All Load Control Events arrived."""

    name: ClassVar[str] = "received_drlc_cancel_all_events"
    record: CancelAllDrlcEvents


@dataclass(frozen=True, kw_only=True)
class UpdatedActiveDrlcEvents(Notification):
    """The running load control events of a server changed (start, end, cancel)."""

    name: ClassVar[str] = "updated_active_drlc_events"
    records: tuple[DrlcEvent, ...]


@dataclass(frozen=True, kw_only=True)
class ReceivedMessageEvent(Notification):
    """A Display Message arrived; status 0x8A if its message id was known."""

    name: ClassVar[str] = "received_message_event"
    status: int
    record: MessageEvent


@dataclass(frozen=True, kw_only=True)
class ReceivedMessageCancelEvent(Notification):
    """A Cancel Message arrived."""

    name: ClassVar[str] = "received_message_cancel_event"
    record: CancelMessage


@dataclass(frozen=True, kw_only=True)
class UpdatedActiveMessageEvents(Notification):
    """The messages a server shows now changed (start, end, cancel)."""

    name: ClassVar[str] = "updated_active_message_events"
    records: tuple[MessageEvent, ...]


# --- Server role: what a client (an IHD, a load device) sent ------------------


@dataclass(frozen=True, kw_only=True)
class ReceivedReportEventStatus(Notification):
    """A load control client reported the status of an event."""

    name: ClassVar[str] = "received_report_event_status"
    record: EventStatusReport


@dataclass(frozen=True, kw_only=True)
class ReceivedMessageConfirmation(Notification):
    """A messaging client confirmed a message."""

    name: ClassVar[str] = "received_message_confirmation"
    record: MessageConfirmation


type Listener = Callable[[Notification], None]


class Notifier:
    """Hands notifications to subscribers; a failing subscriber is logged."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every notification; return the unsubscribe."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def emit(self, notification: Notification) -> None:
        """Hand ``notification`` to every subscriber."""
        for listener in list(self._listeners):
            try:
                listener(notification)
            except Exception:
                _LOGGER.exception("Listener failed on %s", notification.name)
