"""Translation between records and the payloads of our zigpy cluster commands.

``*_fields`` return the keyword arguments of a command to send; ``*_from_*``
turn a decoded payload into a record, and raise ``RecordError`` when the
payload does not make a valid one.

A stored event that started "now" (start time 0) goes out with start time 0
and the whole minutes it has left, as Silicon Labs' ESI sends it; any other
event goes out with its own start time and duration.
"""

from __future__ import annotations

from typing import Any, Final

from ..clusters.drlc import ReportEventStatus
from ..clusters.messaging import (
    DisplayMessage,
    MessageConfirmation as MessageConfirmationPayload,
)
from ..clusters.price import PublishPrice
from ..clusters.types import Signature
from .records import (
    MAX_RATE_LABEL_BYTES,
    CancelAllDrlcEvents,
    CancelDrlcEvent,
    CancelMessage,
    DrlcEvent,
    EventStatusReport,
    MessageConfirmation,
    MessageEvent,
    PriceEvent,
)
from .tables import DrlcEntry, MessageEntry, PriceEntry, TableEntry

UNSIGNED_SIGNATURE: Final = Signature(b"\xff" * Signature.LENGTH)
NO_SIGNATURE: Final = 0x00


def start_and_duration(entry: TableEntry[Any], now: int) -> tuple[int, int]:
    """Return the start time and duration to send an event with."""
    if entry.starts_now:
        return 0, entry.remaining_minutes(now)
    return entry.record.start_time, entry.record.duration_in_minutes


# --- Server to client -----------------------------------------------------------


def publish_price_fields(entry: PriceEntry, now: int) -> dict[str, Any]:
    """Return the Publish Price of a stored price."""
    record = entry.record
    start_time, duration = start_and_duration(entry, now)
    return {
        "provider_id": record.provider_id,
        "rate_label": record.rate_label.encode("utf-8"),
        "issuer_event_id": record.issuer_event_id,
        "current_time": now,
        "unit_of_measure": record.unit_of_measure,
        "currency": record.currency,
        "price_trailing_digit_and_price_tier": record.price_trailing_digit << 4
        | record.price_tier,
        "number_of_price_tiers_and_register_tier": record.number_of_price_tiers << 4
        | record.register_tier,
        "start_time": start_time,
        "duration_in_minutes": duration,
        "price": record.price,
        "price_ratio": record.price_ratio,
        "generation_price": record.generation_price,
        "generation_price_ratio": record.generation_price_ratio,
        "alternate_cost_delivered": record.alternate_cost_delivered,
        "alternate_cost_unit": record.alternate_cost_unit,
        "alternate_cost_trailing_digit": record.alternate_cost_trailing_digit,
    }


def load_control_event_fields(
    entry: DrlcEntry, now: int, device_class: int
) -> dict[str, Any]:
    """Return the Load Control Event of a stored event, for ``device_class``."""
    record = entry.record
    start_time, duration = start_and_duration(entry, now)
    return {
        **record.to_dict(),
        "device_class": device_class,
        "start_time": start_time,
        "duration_in_minutes": duration,
    }


def cancel_load_control_event_fields(record: CancelDrlcEvent) -> dict[str, Any]:
    """Return the Cancel Load Control Event of a cancel record."""
    return record.to_dict()


def cancel_all_load_control_events_fields(
    record: CancelAllDrlcEvents,
) -> dict[str, Any]:
    """Return the Cancel All Load Control Events of a cancel-all record."""
    return record.to_dict()


def display_message_fields(entry: MessageEntry, now: int) -> dict[str, Any]:
    """Return the Display Message of a stored message."""
    start_time, duration = start_and_duration(entry, now)
    return {
        **entry.record.to_dict(),
        "start_time": start_time,
        "duration_in_minutes": duration,
    }


def cancel_message_fields(record: CancelMessage) -> dict[str, Any]:
    """Return the Cancel Message of a cancel record."""
    return record.to_dict()


# --- Client to server -----------------------------------------------------------


def report_event_status_fields(
    event: DrlcEvent, event_status: int, now: int
) -> dict[str, Any]:
    """Return the Report Event Status a client sends about ``event``.

    The applied values are the event's; SE 1.1 dropped signing, so the report
    carries signature type 0 and 42 bytes of 0xFF, as Silicon Labs sends it.
    """
    return {
        "issuer_event_id": event.issuer_event_id,
        "event_status": event_status,
        "event_status_time": now,
        "criticality_level_applied": event.criticality_level,
        "cooling_temperature_set_point_applied": event.cooling_temperature_set_point
        & 0xFFFF,
        "heating_temperature_set_point_applied": event.heating_temperature_set_point
        & 0xFFFF,
        "average_load_adjustment_percentage_applied": (
            event.average_load_adjustment_percentage
        ),
        "duty_cycle_applied": event.duty_cycle,
        "event_control": event.event_control,
        "signature_type": NO_SIGNATURE,
        "signature": UNSIGNED_SIGNATURE,
    }


def undefined_event_report_fields(
    issuer_event_id: int, event_status: int, now: int
) -> dict[str, Any]:
    """Return a Report Event Status about an event the client does not know."""
    report = EventStatusReport(
        issuer_event_id=issuer_event_id, event_status=event_status
    )
    return {
        **report.to_dict(),
        "event_status_time": now,
        "signature": UNSIGNED_SIGNATURE,
    }


def message_confirmation_fields(message_id: int, now: int) -> dict[str, Any]:
    """Return the Message Confirmation of ``message_id`` (SE 1.1 fields)."""
    return {"message_id": message_id, "confirmation_time": now}


# --- Received payloads to records ---------------------------------------------


def _text(data: bytes, max_bytes: int) -> str:
    """Decode UTF-8 leniently, then shorten to ``max_bytes`` on a character."""
    text = data.decode("utf-8", "replace")
    while len(text.encode("utf-8")) > max_bytes:
        text = text[:-1]
    return text


def _or(value: Any, default: int) -> int:
    return default if value is None else int(value)


def price_from_publish_price(payload: PublishPrice) -> PriceEvent:
    """Return the record of a received Publish Price."""
    tier = payload.price_trailing_digit_and_price_tier
    tiers = payload.number_of_price_tiers_and_register_tier
    return PriceEvent(
        provider_id=payload.provider_id,
        rate_label=_text(payload.rate_label, MAX_RATE_LABEL_BYTES),
        issuer_event_id=payload.issuer_event_id,
        unit_of_measure=int(payload.unit_of_measure),
        currency=int(payload.currency),
        price_trailing_digit=int(tier.trailing_digit),
        price_tier=int(tier.price_tier),
        number_of_price_tiers=int(tiers.number_of_price_tiers),
        register_tier=int(tiers.register_tier),
        start_time=payload.start_time,
        duration_in_minutes=payload.duration_in_minutes,
        price=payload.price,
        price_ratio=_or(payload.price_ratio, 0xFF),
        generation_price=_or(payload.generation_price, 0xFFFFFFFF),
        generation_price_ratio=_or(payload.generation_price_ratio, 0xFF),
        alternate_cost_delivered=_or(payload.alternate_cost_delivered, 0xFFFFFFFF),
        alternate_cost_unit=_or(payload.alternate_cost_unit, 0x01),
        alternate_cost_trailing_digit=_or(payload.alternate_cost_trailing_digit, 0xFF),
    )


def drlc_from_payload(payload: Any) -> DrlcEvent:
    """Return the record of a received Load Control Event."""
    return DrlcEvent.from_dict(_ints(payload))


def cancel_from_payload(payload: Any) -> CancelDrlcEvent:
    """Return the record of a received Cancel Load Control Event."""
    return CancelDrlcEvent.from_dict(_ints(payload))


def cancel_all_from_payload(payload: Any) -> CancelAllDrlcEvents:
    """Return the record of a received Cancel All Load Control Events."""
    return CancelAllDrlcEvents.from_dict(_ints(payload))


def message_from_display_message(payload: DisplayMessage) -> MessageEvent:
    """Return the record of a received Display Message (SE 1.2 extras dropped)."""
    return MessageEvent(
        message_id=payload.message_id,
        message_control=int(payload.message_control),
        start_time=payload.start_time,
        duration_in_minutes=payload.duration_in_minutes,
        message=str(payload.message),
    )


def cancel_message_from_payload(payload: Any) -> CancelMessage:
    """Return the record of a received Cancel Message."""
    return CancelMessage.from_dict(_ints(payload))


def report_from_payload(payload: ReportEventStatus) -> EventStatusReport:
    """Return the record of a received Report Event Status (signature dropped)."""
    fields = _ints(payload)
    fields.pop("signature")
    fields["signature_type"] = _or(payload.signature_type, NO_SIGNATURE)
    return EventStatusReport.from_dict(fields)


def confirmation_from_payload(
    payload: MessageConfirmationPayload,
) -> MessageConfirmation:
    """Return the record of a received Message Confirmation."""
    response = payload.message_response
    control = payload.message_confirmation_control
    return MessageConfirmation(
        message_id=payload.message_id,
        confirmation_time=payload.confirmation_time,
        message_confirmation_control=None if control is None else int(control),
        message_response=None if response is None else bytes(response).hex(),
    )


def _ints(payload: Any) -> dict[str, Any]:
    """Return a payload's fields, zigpy integer types as plain ints."""
    return {
        name: value if value is None or isinstance(value, bytes) else int(value)
        for name, value in payload.as_dict().items()
    }
