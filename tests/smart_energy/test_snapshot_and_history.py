"""What entities and the calendar read: the snapshot, the history, the tracking."""

from __future__ import annotations

from dataclasses import replace

import pytest

from custom_components.se_gateway.core.engine import (
    CancelAllDrlcEvents,
    CancelDrlcEvent,
    CancelMessage,
    DeviceRef,
    EngineView,
    GatewayEngine,
    ManualClock,
    ManualScheduler,
    RefusalError,
)
from custom_components.se_gateway.core.engine.client_drlc import ClientDrlcEntry
from custom_components.se_gateway.core.engine.client_state import ServerLists
from custom_components.se_gateway.core.engine.tables import TableEntry
from custom_components.se_gateway.smart_energy.history import (
    DAY,
    KEEP_DAYS,
    MAX_ITEMS,
    CalendarItem,
    EventHistory,
)
from custom_components.se_gateway.smart_energy.snapshot import Snapshot

from .records import drlc, message, price

T0 = 800_000_000
METER = DeviceRef("00:0d:6f:00:0a:90:69:02", 1)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def changes() -> list[int]:
    return []


@pytest.fixture
def engine(clock: ManualClock, changes: list[int]) -> GatewayEngine:
    return GatewayEngine(
        clock=clock,
        scheduler=ManualScheduler(clock),
        on_change=lambda: changes.append(1),
    )


async def test_every_change_is_told_once(
    engine: GatewayEngine, changes: list[int]
) -> None:
    await engine.create_price_event(price())
    engine.cancel_price_event(1)
    engine.cancel_all_price_events()
    await engine.create_drlc_event(drlc())
    await engine.cancel_drlc_event(CancelDrlcEvent(issuer_event_id=10))
    await engine.cancel_all_drlc_events(CancelAllDrlcEvents())
    await engine.create_message_event(message())
    await engine.cancel_message_event(CancelMessage(message_id=100))
    await engine.cancel_all_message_events()
    await engine.clear_received_price_events()
    # Once per call that changes the state; a refused call changes nothing.
    assert len(changes) == 10
    with pytest.raises(RefusalError):
        await engine.create_price_event(price(2, start_time=1, duration_in_minutes=1))
    with pytest.raises(RefusalError):
        await engine.opt_out_drlc_event(METER, 1)
    assert len(changes) == 10


async def test_snapshot_reads_the_engine_semantics(
    engine: GatewayEngine, clock: ManualClock
) -> None:
    await engine.create_price_event(price(1, start_time=T0 + 600))
    await engine.create_price_event(price(2))
    await engine.create_drlc_event(drlc())
    await engine.create_drlc_event(drlc(11, device_class=0x10, start_time=T0 + 3600))
    await engine.create_message_event(message(duration_in_minutes=5))
    await engine.cancel_drlc_event(
        CancelDrlcEvent(issuer_event_id=10, effective_time=T0 + 120)
    )

    snapshot = Snapshot.of(engine, clock.now())

    active = snapshot.active_price(None)
    assert active is not None
    assert active.event_id == 2
    assert snapshot.next_price_change(None) == T0 + 600
    running = snapshot.running_drlc(None)
    assert running is not None
    assert (running.start, running.end) == (T0, T0 + 120)
    last = snapshot.last_message(None)
    assert last is not None
    assert last.event_id == 100
    assert snapshot.next_change() == T0 + 120
    assert {event.uid for event in snapshot.timeline()} == {
        "gateway-price-1",
        "gateway-price-2",
        "gateway-drlc-10",
        "gateway-drlc-11",
    }
    # A source the gateway never heard from has nothing.
    assert snapshot.active_price(METER) is None
    assert snapshot.last_message(METER) is None
    assert snapshot.running_drlc(METER) is None
    assert Snapshot.of(engine, T0 + 300).running_drlc(None) is None


def client_snapshot(now: int) -> Snapshot:
    lists = ServerLists()
    lists.prices.put(
        TableEntry(record=price(5, duration_in_minutes=0xFFFF), created_at=T0)
    )
    lists.messages.put(
        TableEntry(record=message(6, duration_in_minutes=10), created_at=T0)
    )
    lists.drlc[20] = ClientDrlcEntry(
        record=drlc(20), received_at=T0, started=True, opted_out=True
    )
    lists.drlc[21] = ClientDrlcEntry(
        record=drlc(21, start_time=T0 + 900), received_at=T0
    )
    return Snapshot(now, EngineView(client={METER: lists}))


def test_snapshot_of_a_server_the_gateway_listens_to() -> None:
    snapshot = client_snapshot(T0 + 60)

    running = snapshot.running_drlc(METER)
    assert running is not None
    assert running.record.issuer_event_id == 20
    assert running.opted_out is True
    assert snapshot.next_price_change(METER) is None
    assert snapshot.next_change() == T0 + 600  # the message ends
    assert {event.uid for event in snapshot.timeline()} == {
        f"{METER.ieee}-price-5",
        f"{METER.ieee}-drlc-20",
        f"{METER.ieee}-drlc-21",
    }


async def test_history_keeps_what_the_engine_forgets(
    engine: GatewayEngine, clock: ManualClock
) -> None:
    history = EventHistory()
    await engine.create_price_event(price(1, duration_in_minutes=10))
    await engine.create_price_event(price(2, start_time=T0 + 3600))
    await engine.create_drlc_event(drlc(duration_in_minutes=30))
    assert history.update(Snapshot.of(engine, T0))
    assert not history.update(Snapshot.of(engine, T0))

    clock.set(T0 + 900)  # the first price has ended
    await engine.cancel_drlc_event(CancelDrlcEvent(issuer_event_id=10))
    engine.cancel_price_event(2)  # withdrawn before it started
    assert history.update(Snapshot.of(engine, clock.now()))

    items = history.items
    assert items["gateway-price-1"].end == T0 + 600
    assert items["gateway-drlc-10"].end == T0 + 900
    assert "gateway-price-2" not in items
    assert items["gateway-drlc-10"].description.startswith("Sent by the gateway")
    assert EventHistory.from_list(history.to_list()).items == items


def item(
    uid: str, start: int, end: int | None, source: str | None = None
) -> CalendarItem:
    return CalendarItem(
        uid=uid,
        kind="price",
        source=source,
        event_id=int(uid.rsplit("-", 1)[1]),
        start=start,
        end=end,
        summary=uid,
        description="",
    )


def test_history_forgets_old_events_and_bounds_its_size() -> None:
    old = item("gateway-price-1", T0 - 40 * DAY, T0 - (KEEP_DAYS + 1) * DAY)
    many = [item(f"gateway-price-{n}", T0 - n, T0 - n + 1) for n in range(2, 503)]
    history = EventHistory([old, *many])

    assert history.update(Snapshot(T0))

    assert len(history.items) == MAX_ITEMS
    assert "gateway-price-1" not in history.items
    assert "gateway-price-502" not in history.items  # the earliest go first


def test_an_event_until_changed_ends_when_the_next_starts() -> None:
    first = item("gateway-price-1", T0, None)
    second = item("gateway-price-2", T0 + 100, None)
    other_source = item("meter-price-3", T0 + 50, None, source="meter")
    history = EventHistory([first, second, other_source])

    assert history.end_of(first, T0) == T0 + 100
    assert history.end_of(second, T0 + 200) == T0 + 200 + DAY
    assert history.end_of(replace(first, end=T0 + 10), T0) == T0 + 10


async def test_the_snapshot_reads_the_engine_in_place(
    engine: GatewayEngine, clock: ManualClock
) -> None:
    snapshot = Snapshot.of(engine, T0)
    await engine.create_price_event(price(1, duration_in_minutes=10))
    assert snapshot.active_price(None) is not None  # nothing was copied
    saved = engine.to_dict()

    later = Snapshot.of(engine, T0 + 3600)

    assert later.active_price(None) is None
    assert later.next_change() is None
    assert engine.to_dict() == saved  # reading dropped nothing


async def test_history_followed_change_by_change_matches_a_full_pass(
    engine: GatewayEngine, clock: ManualClock
) -> None:
    history = EventHistory()

    async def step() -> None:
        before = EventHistory.from_list(history.to_list())
        snapshot = Snapshot.of(engine, clock.now())
        history.update(snapshot)
        before.update(snapshot)  # a new history takes a full pass
        assert history.items == before.items

    await engine.create_price_event(price(1, duration_in_minutes=10))
    await step()
    await engine.create_price_event(price(2, start_time=T0 + 3600))
    await engine.create_drlc_event(drlc(10, duration_in_minutes=60))
    await step()
    await engine.create_drlc_event(drlc(11, start_time=T0 + 600))  # supersedes 10
    await step()
    clock.set(T0 + 900)
    engine.cancel_price_event(2)
    await engine.create_price_event(price(3))
    await step()
    await engine.cancel_all_drlc_events(CancelAllDrlcEvents())
    await step()
    assert set(history.items) == {
        "gateway-price-1",
        "gateway-price-3",
        "gateway-drlc-10",
        "gateway-drlc-11",
    }
    assert history.items["gateway-drlc-11"].end == T0 + 900
