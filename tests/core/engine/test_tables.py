"""Event-table semantics: a table of scenarios from SE 1.x and the manual."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from zigpy.zcl.foundation import Status

from custom_components.se_gateway.core.engine import (
    CancelDrlcEvent,
    DrlcEvent,
    MessageEvent,
    PriceEvent,
)
from custom_components.se_gateway.core.engine.tables import (
    REMEMBERED_REMOVALS,
    DrlcTable,
    MessageTable,
    PriceTable,
    TableEntry,
    drlc_addresses,
)

T0 = 800_000_000
MIN = 60
HVAC, HEATER, POOL = 0x0001, 0x0004, 0x0008


def drlc(event_id: int, start: int = 0, minutes: int = 60, **fields: Any) -> DrlcEvent:
    """Return a load control event starting ``start`` seconds after T0 (0: now)."""
    return DrlcEvent(
        issuer_event_id=event_id,
        start_time=T0 + start if start else 0,
        duration_in_minutes=minutes,
        **fields,
    )


def cancel(event_id: int, effective: int = 0, **fields: Any) -> CancelDrlcEvent:
    return CancelDrlcEvent(
        issuer_event_id=event_id,
        effective_time=T0 + effective if effective else 0,
        **fields,
    )


# --- Steps of a load control scenario ------------------------------------------


@dataclass(frozen=True)
class Add:
    at: int
    record: DrlcEvent
    status: Status = Status.SUCCESS
    superseded: tuple[int, ...] = ()


@dataclass(frozen=True)
class Cancel:
    at: int
    record: CancelDrlcEvent
    status: Status = Status.SUCCESS


@dataclass(frozen=True)
class CancelAll:
    at: int
    cancelled: tuple[int, ...]


@dataclass(frozen=True)
class Classes:
    """At ``at``, the events not ended and the device classes each applies to."""

    at: int
    classes: dict[int, int]


@dataclass(frozen=True)
class Scheduled:
    """Get Scheduled Events at ``at`` with (start, n): these ids, in order."""

    at: int
    start: int
    count: int
    ids: tuple[int, ...]


type Step = Add | Cancel | CancelAll | Classes | Scheduled

SCENARIOS: dict[str, list[Step]] = {
    "duplicate issuer event id is DUPLICATE_EXISTS": [
        Add(0, drlc(1)),
        Add(10, drlc(1, minutes=5), Status.DUPLICATE_EXISTS),
        Classes(10, {1: 0x0FFF}),
    ],
    "start 0 is now and the event expires after its duration": [
        Add(100, drlc(1, minutes=30)),
        Classes(100 + 30 * MIN - 1, {1: 0x0FFF}),
        Classes(100 + 30 * MIN, {}),
    ],
    "an event that has already ended is INVALID_FIELD": [
        Add(0, drlc(1, start=-2 * 3600, minutes=30), Status.INVALID_FIELD),
        Classes(0, {}),
    ],
    "an id is free again once its event expired": [
        Add(0, drlc(1, minutes=1)),
        Add(MIN, drlc(1, minutes=1)),
        Classes(MIN, {1: 0x0FFF}),
    ],
    "a scheduled event is superseded at once by an overlapping one": [
        Add(0, drlc(1, start=3600)),
        Add(MIN, drlc(2, start=90 * MIN), superseded=(1,)),
        Classes(MIN, {2: 0x0FFF}),
    ],
    "a running event runs until the superseding event starts": [
        Add(0, drlc(1)),
        Add(10 * MIN, drlc(2, start=30 * MIN), superseded=(1,)),
        Classes(30 * MIN - 1, {1: 0x0FFF, 2: 0x0FFF}),
        Classes(30 * MIN, {2: 0x0FFF}),
    ],
    "supersede takes only the shared device classes": [
        Add(0, drlc(1, device_class=HVAC | HEATER)),
        Add(MIN, drlc(2, start=30 * MIN, device_class=HVAC), superseded=(1,)),
        Classes(29 * MIN, {1: HVAC | HEATER, 2: HVAC}),
        Classes(30 * MIN, {1: HEATER, 2: HVAC}),
    ],
    "an event superseded twice keeps what neither newer event took": [
        Add(0, drlc(1, device_class=HVAC | HEATER | POOL)),
        Add(0, drlc(2, start=10 * MIN, device_class=HVAC), superseded=(1,)),
        Add(
            15 * MIN,
            drlc(3, start=20 * MIN, device_class=HVAC | HEATER),
            superseded=(1, 2),
        ),
        Classes(15 * MIN, {1: HEATER | POOL, 2: HVAC, 3: HVAC | HEATER}),
        Classes(20 * MIN, {1: POOL, 3: HVAC | HEATER}),
    ],
    "events that only touch in time do not supersede": [
        Add(0, drlc(1, start=MIN, minutes=30)),
        Add(0, drlc(2, start=31 * MIN, minutes=30)),
        Classes(0, {1: 0x0FFF, 2: 0x0FFF}),
    ],
    "events for other device classes do not supersede": [
        Add(0, drlc(1, device_class=HVAC)),
        Add(0, drlc(2, device_class=POOL)),
        Classes(0, {1: HVAC, 2: POOL}),
    ],
    "events for other enrollment groups do not supersede": [
        Add(0, drlc(1, utility_enrollment_group=1)),
        Add(0, drlc(2, utility_enrollment_group=2)),
        Classes(0, {1: 0x0FFF, 2: 0x0FFF}),
    ],
    "an event for all groups supersedes an event for one group": [
        Add(0, drlc(1, start=MIN, utility_enrollment_group=2)),
        Add(0, drlc(2, start=MIN), superseded=(1,)),
        Classes(0, {2: 0x0FFF}),
    ],
    "cancelling an unknown event is NOT_FOUND": [
        Cancel(0, cancel(7), Status.NOT_FOUND),
    ],
    "cancelling for classes the event does not have is NOT_FOUND": [
        Add(0, drlc(1, device_class=HVAC)),
        Cancel(0, cancel(1, device_class=POOL), Status.NOT_FOUND),
        Classes(0, {1: HVAC}),
    ],
    "a cancel effective after the event's end is INVALID_FIELD": [
        Add(0, drlc(1, minutes=30)),
        Cancel(0, cancel(1, effective=31 * MIN), Status.INVALID_FIELD),
        Classes(0, {1: 0x0FFF}),
    ],
    "a cancel effective now ends the event now": [
        Add(0, drlc(1)),
        Cancel(5 * MIN, cancel(1, cancel_control=0)),
        Classes(5 * MIN, {}),
    ],
    "a cancel takes effect at its effective time": [
        Add(0, drlc(1)),
        Cancel(MIN, cancel(1, effective=20 * MIN, cancel_control=0)),
        Classes(20 * MIN - 1, {1: 0x0FFF}),
        Classes(20 * MIN, {}),
    ],
    "with randomization the server still ends the event at the effective time": [
        Add(0, drlc(1, event_control=0x03)),
        Cancel(MIN, cancel(1, effective=20 * MIN, cancel_control=1)),
        Classes(20 * MIN - 1, {1: 0x0FFF}),
        Classes(20 * MIN, {}),
    ],
    "a cancel for some device classes leaves the others": [
        Add(0, drlc(1, device_class=HVAC | HEATER)),
        Cancel(MIN, cancel(1, device_class=HVAC)),
        Classes(MIN, {1: HEATER}),
    ],
    "cancel all ends every event, running or scheduled": [
        Add(0, drlc(1, device_class=HVAC)),
        Add(0, drlc(2, start=3600, device_class=POOL)),
        CancelAll(MIN, (1, 2)),
        Classes(MIN, {}),
        Add(MIN, drlc(1)),
    ],
    "scheduled events by start time; start 0 is now, n 0 is all": [
        Add(0, drlc(3, start=2 * 3600, device_class=POOL)),
        Add(0, drlc(1, device_class=HVAC)),
        Add(0, drlc(2, start=3600, device_class=HEATER)),
        Scheduled(0, 0, 0, (1, 2, 3)),
        Scheduled(0, 0, 2, (1, 2)),
        Scheduled(0, T0 + 90 * MIN, 0, (2, 3)),
        Scheduled(0, T0 + 2 * 3600, 1, (3,)),
        Scheduled(30 * MIN, 0, 0, (1, 2, 3)),
        Scheduled(61 * MIN, 0, 0, (2, 3)),
    ],
}


@pytest.mark.parametrize("steps", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_drlc_scenario(steps: list[Step]) -> None:
    table = DrlcTable()
    for step in steps:
        now = T0 + step.at
        match step:
            case Add(record=record):
                assert table.add(record, now) == (step.status, list(step.superseded))
            case Cancel(record=record):
                assert table.cancel(record, now) == step.status
            case CancelAll():
                assert table.cancel_all(now) == list(step.cancelled)
            case Classes():
                assert {
                    entry.event_id: entry.device_class_at(now)
                    for entry in table.upcoming(now)
                } == step.classes
            case Scheduled():
                assert [
                    entry.event_id
                    for entry in table.upcoming(now, step.start, step.count)
                ] == list(step.ids)


@pytest.mark.parametrize(
    ("event", "client", "addressed"),
    [
        ((0x0FFF, 0), (None, None), True),
        ((HVAC, 0), (HVAC | HEATER, 0), True),
        ((HVAC, 0), (POOL, 0), False),
        ((HVAC, 0), (None, 3), True),
        ((0x0FFF, 3), (POOL, 3), True),
        ((0x0FFF, 3), (POOL, 4), False),
        ((0x0FFF, 3), (POOL, 0), True),
        ((0x0FFF, 0), (POOL, 4), True),
        ((0x0FFF, 3), (POOL, None), True),
    ],
    ids=[
        "unknown client matches",
        "shared device class",
        "other device class",
        "unknown class, known group",
        "same group",
        "other group",
        "client in no group",
        "event for all groups",
        "unknown group",
    ],
)
def test_drlc_addressing(
    event: tuple[int, int], client: tuple[int | None, int | None], addressed: bool
) -> None:
    assert drlc_addresses(*event, *client) is addressed


# --- Prices and messages ---------------------------------------------------------


def price(event_id: int, start: int = 0, minutes: int = 0xFFFF) -> PriceEvent:
    return PriceEvent(
        provider_id=1,
        issuer_event_id=event_id,
        currency=978,
        price=100 + event_id,
        start_time=T0 + start if start else 0,
        duration_in_minutes=minutes,
    )


def test_price_in_force_is_the_newest_issuer_id_of_those_running() -> None:
    table = PriceTable()
    assert table.add(price(5), T0) == Status.SUCCESS
    assert table.add(price(9, start=3600, minutes=60), T0) == Status.SUCCESS
    assert table.add(price(7, start=-600, minutes=30), T0) == Status.SUCCESS

    assert [entry.event_id for entry in table] == [7, 5, 9]
    assert table.active(T0).event_id == 7  # type: ignore[union-attr]
    assert table.active(T0 + 20 * MIN).event_id == 5  # type: ignore[union-attr]
    assert table.active(T0 + 3600).event_id == 9  # type: ignore[union-attr]
    assert table.active(T0 + 2 * 3600).event_id == 5  # type: ignore[union-attr]


def test_price_table_rules() -> None:
    table = PriceTable()

    assert table.active(T0) is None
    assert table.add(price(1, start=3600), T0) == Status.SUCCESS
    assert table.active(T0) is None
    assert table.add(price(1), T0) == Status.DUPLICATE_EXISTS
    assert table.add(price(2, start=-3600, minutes=60), T0) == Status.INVALID_FIELD
    assert 1 in table
    assert len(table) == 1
    assert table.remove(1) is not None
    assert table.remove(1) is None


def test_until_changed_never_ends() -> None:
    entry = TableEntry(record=price(1), created_at=T0)

    assert entry.end is None
    assert entry.remaining_minutes(T0 + 10**6) == 0xFFFF
    assert not entry.has_ended(T0 + 10**8)


@pytest.mark.parametrize(
    ("elapsed", "remaining"),
    [(0, 60), (1, 60), (59, 60), (60, 59), (3599, 1), (3600, 0)],
)
def test_remaining_minutes_round_up(elapsed: int, remaining: int) -> None:
    entry = TableEntry(record=price(1, minutes=60), created_at=T0)

    assert entry.remaining_minutes(T0 + elapsed) == remaining


def test_last_message_is_the_newest_stored_that_has_not_ended() -> None:
    table = MessageTable()
    first = MessageEvent(message_id=1, message="one")
    second = MessageEvent(message_id=2, message="two", duration_in_minutes=5)

    assert table.last(T0) is None
    assert table.add(first, T0) == Status.SUCCESS
    assert table.add(second, T0 + MIN) == Status.SUCCESS
    assert table.add(second, T0 + MIN) == Status.DUPLICATE_EXISTS

    assert table.last(T0 + MIN).record == second  # type: ignore[union-attr]
    assert table.last(T0 + 6 * MIN).record == first  # type: ignore[union-attr]
    assert [entry.record for entry in table.clear()] == [first]
    assert table.last(T0) is None


# --- Reading and following changes -------------------------------------------------


def test_reading_a_table_changes_nothing() -> None:
    table = PriceTable()
    table.add(price(1, minutes=10), T0)
    table.add(price(2, start=3600, minutes=60), T0)
    revision = table.revision

    assert table.active(T0 + 1800) is None
    assert table.running(T0 + 1800) == []
    assert table.next_boundary(T0) == T0 + 600
    assert table.next_boundary(T0 + 600) == T0 + 3600
    assert table.next_boundary(T0 + 2 * 3600) is None
    assert [entry.event_id for entry in table.running(T0)] == [1]
    assert (len(table), table.revision) == (2, revision)


def test_a_table_names_what_changed_since_a_revision() -> None:
    table = DrlcTable()
    start = table.revision
    table.add(drlc(1, minutes=60, device_class=HEATER), T0)
    table.add(drlc(2, start=2 * 3600, minutes=60), T0)
    assert sorted(table.changed_since(start) or []) == [1, 2]

    mark = table.revision
    assert table.changed_since(mark) == []
    table.add(drlc(3, start=30 * MIN, minutes=60, device_class=HEATER), T0)
    assert table.changed_since(mark) == [3, 1]  # 3 cut 1 short; newest first
    assert table.next_boundary(T0) == T0 + 30 * MIN

    mark = table.revision
    table.expire(T0 + 31 * MIN)
    assert table.changed_since(mark) == [1]
    assert table.get(1) is None


def test_a_table_forgets_removals_long_past() -> None:
    table = PriceTable()
    table.add(price(1), T0)
    mark = table.revision
    for event_id in range(2, REMEMBERED_REMOVALS + 5):
        table.add(price(event_id), T0)
        table.remove(event_id)

    assert table.changed_since(mark) is None
    assert table.changed_since(table.revision - 2) == [REMEMBERED_REMOVALS + 4]
