"""The records keep the manual's field names and defaults, and validate."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.se_gateway.core.engine import (
    CancelAllDrlcEvents,
    CancelDrlcEvent,
    CancelMessage,
    DrlcEvent,
    EventStatusReport,
    MessageConfirmation,
    MessageEvent,
    PriceEvent,
    RecordError,
)
from custom_components.se_gateway.core.engine.records import Record

PRICE: dict[str, Any] = {
    "provider_id": 1,
    "issuer_event_id": 2,
    "currency": 978,
    "price": 1234,
}
DRLC: dict[str, Any] = {"issuer_event_id": 9, "duration_in_minutes": 30}
MESSAGE: dict[str, Any] = {"message_id": 5, "message": "Peak pricing at 6 pm"}


def test_load_control_event_record_defaults() -> None:
    record = DrlcEvent(**DRLC)

    assert record.device_class == 0x0FFF
    assert record.utility_enrollment_group == 0
    assert record.start_time == 0
    assert record.criticality_level == 1
    assert record.cooling_temperature_offset == 0xFF
    assert record.heating_temperature_offset == 0xFF
    assert record.cooling_temperature_set_point == -0x8000
    assert record.average_load_adjustment_percentage == -0x80
    assert record.duty_cycle == 0xFF
    assert record.event_control == 0


def test_cancel_all_load_control_events_record_defaults_to_randomization() -> None:
    assert CancelAllDrlcEvents().cancel_control == 1


def test_cancel_load_control_event_record_defaults() -> None:
    record = CancelDrlcEvent(issuer_event_id=1)

    assert (record.device_class, record.utility_enrollment_group) == (0x0FFF, 0)
    assert (record.cancel_control, record.effective_time) == (1, 0)


def test_publish_price_record_optional_fields_are_not_used() -> None:
    record = PriceEvent(**PRICE)

    assert record.price_ratio == 0xFF
    assert record.generation_price == 0xFFFFFFFF
    assert record.generation_price_ratio == 0xFF
    assert record.alternate_cost_delivered == 0xFFFFFFFF
    assert record.alternate_cost_unit == 0x01
    assert record.alternate_cost_trailing_digit == 0xFF
    assert record.start_time == 0
    assert record.duration_in_minutes == 0xFFFF


def test_other_records_defaults() -> None:
    assert MessageEvent(**MESSAGE).duration_in_minutes == 0xFFFF
    assert CancelMessage(message_id=1).message_control == 0
    report = EventStatusReport(issuer_event_id=1, event_status=2)
    assert report.event_status_time == 0
    assert report.cooling_temperature_set_point_applied == 0x8000
    confirmation = MessageConfirmation(message_id=1)
    assert confirmation.confirmation_time == 0
    assert confirmation.message_response is None


def test_event_ids() -> None:
    assert PriceEvent(**PRICE).event_id == 2
    assert DrlcEvent(**DRLC).event_id == 9
    assert MessageEvent(**MESSAGE).event_id == 5


@pytest.mark.parametrize(
    ("control", "needs"),
    [(0x00, False), (0x80, True), (0x20, True), (0x0F, False)],
)
def test_message_needs_confirmation(control: int, needs: bool) -> None:
    assert MessageEvent(**MESSAGE, message_control=control).needs_confirmation is needs


@pytest.mark.parametrize(
    ("record_type", "fields", "bad_field"),
    [
        (PriceEvent, {**PRICE, "issuer_event_id": 1 << 32}, "issuer_event_id"),
        (PriceEvent, {**PRICE, "price_tier": 16}, "price_tier"),
        (PriceEvent, {**PRICE, "duration_in_minutes": 0}, "duration_in_minutes"),
        (PriceEvent, {**PRICE, "rate_label": "x" * 13}, "rate_label"),
        (PriceEvent, {**PRICE, "rate_label": 5}, "rate_label"),
        (PriceEvent, {**PRICE, "price": -1}, "price"),
        (PriceEvent, {**PRICE, "price": True}, "price"),
        (PriceEvent, {**PRICE, "price": "12"}, "price"),
        (DrlcEvent, {**DRLC, "duration_in_minutes": 1441}, "duration_in_minutes"),
        (DrlcEvent, {**DRLC, "criticality_level": 0}, "criticality_level"),
        (DrlcEvent, {**DRLC, "criticality_level": 0x10}, "criticality_level"),
        (DrlcEvent, {**DRLC, "duty_cycle": 101}, "duty_cycle"),
        (
            DrlcEvent,
            {**DRLC, "average_load_adjustment_percentage": -101},
            "average_load_adjustment_percentage",
        ),
        (
            DrlcEvent,
            {**DRLC, "cooling_temperature_set_point": 0x8000},
            "cooling_temperature_set_point",
        ),
        (DrlcEvent, {**DRLC, "event_control": 4}, "event_control"),
        (DrlcEvent, {**DRLC, "device_class": 0x10000}, "device_class"),
        (
            CancelDrlcEvent,
            {"issuer_event_id": 1, "cancel_control": 2},
            "cancel_control",
        ),
        (CancelAllDrlcEvents, {"cancel_control": -1}, "cancel_control"),
        (MessageEvent, {**MESSAGE, "message": "x" * 255}, "message"),
        (
            MessageConfirmation,
            {"message_id": 1, "message_response": "00" * 21},
            "message_response",
        ),
    ],
)
def test_out_of_range_fields_are_named(
    record_type: type[Record], fields: dict[str, Any], bad_field: str
) -> None:
    with pytest.raises(RecordError) as raised:
        record_type(**fields)

    assert raised.value.field == bad_field
    assert str(raised.value).startswith(f"{bad_field}: ")
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize(
    ("fields", "value"),
    [
        ({"duty_cycle": 0xFF}, 0xFF),
        ({"average_load_adjustment_percentage": -0x80}, -0x80),
        ({"average_load_adjustment_percentage": 100}, 100),
        ({"cooling_temperature_set_point": -2500}, -2500),
    ],
)
def test_not_used_values_are_accepted(fields: dict[str, int], value: int) -> None:
    record = DrlcEvent(**DRLC, **fields)

    assert getattr(record, next(iter(fields))) == value


@pytest.mark.parametrize(
    "record",
    [
        PriceEvent(**PRICE, rate_label="Peak"),
        DrlcEvent(**DRLC, device_class=0x0004, start_time=900),
        CancelDrlcEvent(issuer_event_id=1),
        CancelAllDrlcEvents(cancel_control=0),
        MessageEvent(**MESSAGE, message_control=0x80),
        CancelMessage(message_id=3),
        EventStatusReport(issuer_event_id=1, event_status=3),
        MessageConfirmation(message_id=1, message_confirmation_control=2),
        MessageConfirmation(message_id=1, message_response="4f4b"),
    ],
    ids=lambda record: type(record).__name__,
)
def test_dict_round_trip(record: Record) -> None:
    data = record.to_dict()

    assert type(record).from_dict(data) == record
    assert all(isinstance(key, str) for key in data)


def test_from_dict_takes_the_manuals_spelling() -> None:
    record = PriceEvent.from_dict({**PRICE, "alternate_cost_deliverd": 42})

    assert record.alternate_cost_delivered == 42


def test_from_dict_refuses_an_unknown_field() -> None:
    with pytest.raises(RecordError, match="colour: is not a field of PriceEvent"):
        PriceEvent.from_dict({**PRICE, "colour": 1})


def test_from_dict_names_a_missing_field() -> None:
    with pytest.raises(RecordError) as raised:
        DrlcEvent.from_dict({"issuer_event_id": 1})

    assert raised.value.field == "duration_in_minutes"


def test_records_are_frozen() -> None:
    record = DrlcEvent(**DRLC)

    with pytest.raises(AttributeError):
        record.issuer_event_id = 3  # type: ignore[misc]
