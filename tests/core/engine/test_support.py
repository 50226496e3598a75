"""The engine's small parts: clock, timers, tasks, notifier, delivery, translation."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest
import zigpy.device
from zigpy.zcl import Cluster
from zigpy.zcl.foundation import Status

from custom_components.se_gateway.core.clusters import Drlc, Messaging, Price
from custom_components.se_gateway.core.clusters.price import PublishPrice
from custom_components.se_gateway.core.clusters.types import (
    EventStatus,
    PriceLabel,
    datetime_to_utc_time,
)
from custom_components.se_gateway.core.engine import (
    DeviceRef,
    DrlcEvent,
    GatewayEngine,
    ManualClock,
    ManualScheduler,
    Notification,
    SendResult,
    SystemClock,
)
from custom_components.se_gateway.core.engine.client_drlc import (
    ClientDrlcEntry,
    due_reports,
)
from custom_components.se_gateway.core.engine.commands import price_from_publish_price
from custom_components.se_gateway.core.engine.delivery import send_to_all
from custom_components.se_gateway.core.engine.network import server_cluster
from custom_components.se_gateway.core.engine.notifications import (
    Notifier,
    ReceivedReportEventStatus,
)
from custom_components.se_gateway.core.engine.records import EventStatusReport
from custom_components.se_gateway.core.engine.reports import ReceivedLog
from custom_components.se_gateway.core.engine.scheduler import LoopScheduler
from custom_components.se_gateway.core.engine.tasks import BackgroundTasks

from ...zigpy_app import FakeApplication
from .conftest import (
    T0,
    clear,
    load_control_event,
    make_ihd,
    make_meter,
    receive,
    sent,
    settle,
)

# --- Clocks and timers ------------------------------------------------------------


def test_system_clock_tells_se_utc_time() -> None:
    before = datetime_to_utc_time(datetime.now(UTC))
    assert before <= SystemClock().now() <= before + 2


def test_manual_clock_never_goes_back() -> None:
    clock = ManualClock(T0)
    clock.set(T0 - 5)
    assert clock.now() == T0
    clock.set(T0 + 5)
    assert clock.now() == T0 + 5


async def test_manual_scheduler_runs_due_timers_in_order() -> None:
    clock = ManualClock(T0)
    scheduler = ManualScheduler(clock)
    ran: list[tuple[str, int]] = []

    def note(name: str) -> Callable[[], Awaitable[None]]:
        async def callback() -> None:
            ran.append((name, clock.now()))

        return callback

    scheduler.call_at(T0 + 20, note("b"))
    scheduler.call_at(T0 + 10, note("a"))
    scheduler.call_at(T0 + 20, note("c"))
    scheduler.call_at(T0 + 15, note("cancelled")).cancel()
    assert scheduler.pending == 3

    await scheduler.advance(30)

    assert ran == [("a", T0 + 10), ("b", T0 + 20), ("c", T0 + 20)]
    assert clock.now() == T0 + 30
    assert scheduler.pending == 0


async def test_loop_scheduler_runs_timers_on_the_loop() -> None:
    clock = ManualClock(T0)
    tasks = BackgroundTasks()
    scheduler = LoopScheduler(clock, tasks)
    ran: list[str] = []

    async def callback() -> None:
        ran.append("ran")

    scheduler.call_at(T0 - 10, callback)
    scheduler.call_at(T0 + 3600, callback).cancel()
    await asyncio.sleep(0.01)
    await tasks.join()

    assert ran == ["ran"]


async def test_background_tasks_log_failures_and_cancel(
    caplog: pytest.LogCaptureFixture,
) -> None:
    tasks = BackgroundTasks()

    async def fail() -> None:
        raise RuntimeError("boom")

    async def wait() -> None:
        await asyncio.Event().wait()

    tasks.spawn(fail(), "failing")
    await tasks.join()
    assert "Task failing failed" in caplog.text

    tasks.spawn(wait(), "waiting")
    tasks.cancel()
    await tasks.join()


# --- Notifications, logs and delivery ------------------------------------------------


def test_a_failing_listener_does_not_stop_the_others(
    caplog: pytest.LogCaptureFixture,
) -> None:
    notifier = Notifier()
    received: list[Notification] = []

    def broken(notification: Notification) -> None:
        raise ValueError("broken")

    notifier.subscribe(broken)
    unsubscribe = notifier.subscribe(received.append)
    notification = ReceivedReportEventStatus(
        source_address="00:11:22:33:44:55:66:77",
        source_endpoint_id=1,
        cluster_id=0x0701,
        record=EventStatusReport(issuer_event_id=1, event_status=1),
    )

    notifier.emit(notification)
    unsubscribe()
    notifier.emit(notification)

    assert received == [notification]
    assert "Listener failed on received_report_event_status" in caplog.text


def test_received_log_forgets_the_oldest() -> None:
    log: ReceivedLog[EventStatusReport] = ReceivedLog(max_pairs=2, per_event=2)
    device = DeviceRef("00:11:22:33:44:55:66:77", 1)
    for event_id in (1, 2, 3):
        for status in (1, 2, 3):
            log.add(
                device,
                event_id,
                EventStatusReport(issuer_event_id=event_id, event_status=status),
            )

    assert [(r.record.issuer_event_id, r.record.event_status) for r in log.get()] == [
        (2, 2),
        (2, 3),
        (3, 2),
        (3, 3),
    ]
    assert log.get(device=DeviceRef("00:11:22:33:44:55:66:77", 2)) == []


def test_send_results_add_up() -> None:
    first = DeviceRef("00:00:00:00:00:00:00:01", 1)
    second = DeviceRef("00:00:00:00:00:00:00:02", 1)

    total = SendResult(
        status=Status.NOT_FOUND, device_list=(second,), superseded=(1,)
    ) + SendResult(device_list=(first, second), errors={first: "x"}, superseded=(2,))

    assert total == SendResult(
        status=Status.NOT_FOUND,
        device_list=(first, second),
        errors={first: "x"},
        superseded=(1, 2),
    )


async def test_a_cancelled_send_is_not_swallowed(app: FakeApplication) -> None:
    cluster = make_ihd(app).endpoints[1].out_clusters[Price.cluster_id]

    async def cancelled(cluster: Cluster) -> None:
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await send_to_all([cluster], cancelled)


def test_server_cluster_of_a_missing_endpoint_is_none(app: FakeApplication) -> None:
    meter = make_meter(app)

    assert server_cluster(app, DeviceRef(str(meter.ieee), 9), Price.cluster_id) is None
    assert server_cluster(app, DeviceRef(str(meter.ieee), 0), Price.cluster_id) is None


# --- Translation and state machine edges ---------------------------------------------


def test_received_price_label_is_cut_to_twelve_bytes_on_a_character() -> None:
    payload = PublishPrice(
        provider_id=1,
        rate_label=PriceLabel("Heures creuses ééé".encode()),
        issuer_event_id=1,
        current_time=0,
        unit_of_measure=0,
        currency=978,
        price_trailing_digit_and_price_tier=0,
        number_of_price_tiers_and_register_tier=0,
        start_time=0,
        duration_in_minutes=60,
        price=1,
    )

    record = price_from_publish_price(payload)

    assert record.rate_label == "Heures creus"
    assert record.price_ratio == 0xFF
    assert record.alternate_cost_unit == 0x01


def test_an_event_missed_whole_reports_started_then_completed() -> None:
    entry = ClientDrlcEntry(
        record=DrlcEvent(issuer_event_id=1, start_time=T0, duration_in_minutes=5),
        received_at=T0 - 60,
    )

    reports, held = due_reports([entry], T0 + 3600)

    assert [status for _, status in reports] == [
        EventStatus.Event_Started,
        EventStatus.Event_Completed,
    ]
    assert held == []


# --- Engine edges --------------------------------------------------------------------


async def test_commands_the_engine_does_not_handle_are_left_to_zigpy(
    engine: GatewayEngine,
    app: FakeApplication,
    notifications: list[Notification],
) -> None:
    meter = make_meter(app)
    ihd = make_ihd(app)
    await settle(engine)

    receive(
        meter,
        Messaging.ClientCommandDefs.cancel_all_messages,
        implementation_date_time=0,
    )
    engine._requests.handle(  # a request our cluster might learn one day
        ihd.endpoints[1].out_clusters[Price.cluster_id], 1, 0x7F, None
    )
    await settle(engine)

    assert notifications == []
    assert sent(app) == []


async def test_opting_out_while_detached_sends_nothing(
    engine: GatewayEngine, app: FakeApplication
) -> None:
    meter: zigpy.device.Device = make_meter(app)
    receive(
        meter,
        Drlc.ClientCommandDefs.load_control_event,
        **load_control_event(
            1, criticality_level=1, cooling_temperature_set_point=-0x8000
        ),
    )
    await settle(engine)
    engine.detach()
    clear(app)

    server = DeviceRef(str(meter.ieee), 1)
    assert await engine.opt_out_drlc_event(server, 1) == Status.SUCCESS
    assert sent(app) == []
