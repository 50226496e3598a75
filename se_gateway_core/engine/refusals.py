"""The one way the engine refuses a request: ``RefusalError``, with a reason.

A refused request changes nothing and sends nothing. ``reason`` says why in a
form a program can act on (the integration turns it into a translated error);
``field`` names the record field at fault, ``status`` is the ZCL status the
manual answers with, and ``event_id`` or ``device`` say which event or server
the request named.
"""

from __future__ import annotations

from enum import StrEnum

from zigpy.zcl.foundation import Status

from .delivery import DeviceRef


class Refusal(StrEnum):
    """Why the engine refused a request."""

    DUPLICATE_ID = "duplicate_id"
    ALREADY_ENDED = "already_ended"
    AFTER_THE_END = "after_the_end"
    TOO_LONG = "too_long"
    UNKNOWN_EVENT = "unknown_event"
    UNKNOWN_SERVER = "unknown_server"


class RefusalError(Exception):
    """The engine refused a request; it stored, changed and sent nothing."""

    def __init__(
        self,
        reason: Refusal,
        field: str,
        detail: str,
        *,
        status: Status = Status.INVALID_FIELD,
        event_id: int | None = None,
        device: DeviceRef | None = None,
    ) -> None:
        """Say why (``reason``), which field, and how: ``detail``, in English."""
        super().__init__(f"{field}: {detail}")
        self.reason = reason
        self.field = field
        self.detail = detail
        self.status = status
        self.event_id = event_id
        self.device = device


def duplicate_id(field: str, event_id: int) -> RefusalError:
    """Return the refusal of an id a table already holds (0x8A)."""
    return RefusalError(
        Refusal.DUPLICATE_ID,
        field,
        f"an event with id {event_id} is already stored",
        status=Status.DUPLICATE_EXISTS,
        event_id=event_id,
    )


def already_ended(event_id: int) -> RefusalError:
    """Return the refusal of an event that ended before it was stored (0x85)."""
    return RefusalError(
        Refusal.ALREADY_ENDED,
        "start_time",
        "the event has already ended",
        event_id=event_id,
    )


def after_the_end(event_id: int) -> RefusalError:
    """Return the refusal of a cancel effective after its event ends (0x85)."""
    return RefusalError(
        Refusal.AFTER_THE_END,
        "effective_time",
        "is after the event ends",
        event_id=event_id,
    )


def too_long(event_id: int, max_bytes: int) -> RefusalError:
    """Return the refusal of a message longer than a Display Message carries."""
    return RefusalError(
        Refusal.TOO_LONG,
        "message",
        f"is longer than the {max_bytes} UTF-8 bytes a Display Message carries",
        event_id=event_id,
    )


def unknown_event(field: str, event_id: int, server: DeviceRef) -> RefusalError:
    """Return the refusal of an event ``server`` did not send or no longer holds."""
    return RefusalError(
        Refusal.UNKNOWN_EVENT,
        field,
        f"{server.ieee} sent no event {event_id} that the gateway still holds",
        status=Status.NOT_FOUND,
        event_id=event_id,
        device=server,
    )


def unknown_server(event_id: int, server: DeviceRef) -> RefusalError:
    """Return the refusal of a server that has left the network."""
    return RefusalError(
        Refusal.UNKNOWN_SERVER,
        "destination_address",
        f"{server.ieee} has left the network",
        status=Status.NOT_FOUND,
        event_id=event_id,
        device=server,
    )
