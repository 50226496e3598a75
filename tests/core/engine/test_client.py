"""The client role (aux gateway): a meter serves, the gateway receives and reports."""

from __future__ import annotations

import random
from typing import Any

import pytest
import zigpy.device
import zigpy.exceptions
from zigpy.zcl.foundation import Status

from custom_components.se_gateway.core.clusters import Drlc, Messaging, Price
from custom_components.se_gateway.core.clusters.types import EventStatus
from custom_components.se_gateway.core.engine import (
    DeviceRef,
    DrlcClientSettings,
    DrlcEvent,
    GatewayEngine,
    ManualClock,
    ManualScheduler,
    MessageEvent,
    Notification,
    PriceEvent,
)

from ...zigpy_app import FakeApplication
from .conftest import (
    METER_NWK,
    T0,
    Sent,
    clear,
    display_message,
    fail_for,
    load_control_event,
    make_meter,
    publish_price,
    receive,
    refused,
    sent,
    settle,
)

MIN = 60
PRICE_CMD = Price.ClientCommandDefs
DRLC_CMD = Drlc.ClientCommandDefs
MSG_CMD = Messaging.ClientCommandDefs


@pytest.fixture
async def meter(engine: GatewayEngine, app: FakeApplication) -> zigpy.device.Device:
    device = make_meter(app)
    await settle(engine)
    clear(app)
    return device


def server_of(meter: zigpy.device.Device) -> DeviceRef:
    return DeviceRef(str(meter.ieee), 1)


def reports(app: FakeApplication) -> list[tuple[int, int]]:
    """Return (issuer event id, event status) of every report sent."""
    return [
        (frame.command.issuer_event_id, int(frame.command.event_status))
        for frame in _reports(app)
    ]


def _reports(app: FakeApplication) -> list[Sent]:
    return [frame for frame in sent(app) if frame.name == "ReportEventStatus"]


def named(notifications: list[Notification], name: str) -> list[dict[str, Any]]:
    return [n.as_dict() for n in notifications if n.name == name]


RECEIVED = EventStatus.Load_Control_Event_Command_Received
STARTED = EventStatus.Event_Started
COMPLETED = EventStatus.Event_Completed


# --- Price ----------------------------------------------------------------------


async def test_received_price_becomes_the_active_price(
    engine: GatewayEngine,
    meter: zigpy.device.Device,
    notifications: list[Notification],
) -> None:
    receive(meter, PRICE_CMD.publish_price, **publish_price())
    await settle(engine)

    record = PriceEvent(
        provider_id=7,
        rate_label="Day",
        issuer_event_id=1,
        currency=826,
        price_trailing_digit=2,
        price_tier=1,
        number_of_price_tiers=3,
        register_tier=1,
        price=2500,
    )
    assert [n.name for n in notifications] == [
        "received_price_event",
        "updated_active_price_event",
    ]
    assert notifications[0].as_dict() == {
        "source_address": str(meter.ieee),
        "source_endpoint_id": 1,
        "cluster_id": Price.cluster_id,
        "status": 0,
        "record": record.to_dict(),
    }
    assert notifications[1].as_dict()["record"] == record.to_dict()
    assert engine.get_received_price_events() == {server_of(meter): [record]}


async def test_duplicate_price_is_received_with_duplicate_exists_only(
    engine: GatewayEngine,
    meter: zigpy.device.Device,
    notifications: list[Notification],
) -> None:
    receive(meter, PRICE_CMD.publish_price, **publish_price())
    receive(meter, PRICE_CMD.publish_price, tsn=0x43, **publish_price())
    await settle(engine)

    assert [(n.name, n.as_dict().get("status")) for n in notifications] == [
        ("received_price_event", 0),
        ("updated_active_price_event", None),
        ("received_price_event", 0x8A),
    ]


async def test_scheduled_price_takes_over_at_its_start_and_ends(
    engine: GatewayEngine,
    scheduler: ManualScheduler,
    meter: zigpy.device.Device,
    notifications: list[Notification],
) -> None:
    receive(meter, PRICE_CMD.publish_price, **publish_price(1, duration_in_minutes=120))
    receive(
        meter,
        PRICE_CMD.publish_price,
        tsn=0x43,
        **publish_price(2, start_time=T0 + 3600, duration_in_minutes=30, price=9000),
    )
    await settle(engine)

    def active() -> list[int | None]:
        return [
            None if n["record"] is None else n["record"]["issuer_event_id"]
            for n in named(notifications, "updated_active_price_event")
        ]

    assert active() == [1]
    await scheduler.advance(3600)
    assert active() == [1, 2]
    await scheduler.advance(30 * MIN)
    assert active() == [1, 2, 1]
    await scheduler.advance(30 * MIN)
    assert active() == [1, 2, 1, None]
    assert scheduler.pending == 0


async def test_price_needing_acknowledgement_is_acknowledged(
    engine: GatewayEngine, app: FakeApplication, meter: zigpy.device.Device
) -> None:
    receive(
        meter,
        PRICE_CMD.publish_price,
        **publish_price(
            price_ratio=0xFF,
            generation_price=0xFFFFFFFF,
            generation_price_ratio=0xFF,
            alternate_cost_delivered=0xFFFFFFFF,
            alternate_cost_unit=1,
            alternate_cost_trailing_digit=0xFF,
            number_of_block_thresholds=0,
            price_control=0x01,
        ),
    )
    await settle(engine)

    [ack] = sent(app)
    assert ack.nwk == METER_NWK
    assert ack.name == "PriceAcknowledgement"
    assert ack.command.as_dict() == {
        "provider_id": 7,
        "issuer_event_id": 1,
        "price_ack_time": T0,
        "control": 0x01,
    }


async def test_invalid_price_is_dropped(
    engine: GatewayEngine,
    meter: zigpy.device.Device,
    notifications: list[Notification],
    caplog: pytest.LogCaptureFixture,
) -> None:
    receive(meter, PRICE_CMD.publish_price, **publish_price(duration_in_minutes=0))
    await settle(engine)

    assert notifications == []
    assert "Dropped a command" in caplog.text


# --- Demand Response and Load Control ---------------------------------------


async def test_start_now_event_is_received_started_and_completed(
    engine: GatewayEngine,
    app: FakeApplication,
    scheduler: ManualScheduler,
    meter: zigpy.device.Device,
    notifications: list[Notification],
) -> None:
    receive(meter, DRLC_CMD.load_control_event, tsn=0x21, **load_control_event(5))
    await settle(engine)

    assert reports(app) == [(5, RECEIVED), (5, STARTED)]
    received, started = _reports(app)
    assert started.hdr.tsn != 0x21
    assert received.hdr.tsn == 0x21
    assert received.command.event_status_time == T0
    assert received.command.criticality_level_applied == 2
    assert received.command.cooling_temperature_set_point_applied == 2500
    assert received.command.heating_temperature_set_point_applied == 0x8000
    assert received.command.signature_type == 0
    assert received.command.signature == b"\xff" * 42
    assert [n.name for n in notifications] == [
        "received_drlc_event",
        "updated_active_drlc_events",
    ]
    record = DrlcEvent(
        issuer_event_id=5,
        duration_in_minutes=30,
        criticality_level=2,
        cooling_temperature_set_point=2500,
    )
    assert notifications[1].as_dict()["records"] == [record.to_dict()]
    assert engine.get_received_drlc_events() == {server_of(meter): [record]}

    await scheduler.advance(30 * MIN - 1)
    assert reports(app) == [(5, RECEIVED), (5, STARTED)]
    await scheduler.advance(1)
    assert reports(app) == [(5, RECEIVED), (5, STARTED), (5, COMPLETED)]
    assert _reports(app)[-1].command.event_status_time == T0 + 30 * MIN
    assert named(notifications, "updated_active_drlc_events")[-1]["records"] == []
    assert engine.get_received_drlc_events() == {server_of(meter): []}


async def test_scheduled_event_reports_at_its_start_and_end(
    engine: GatewayEngine,
    app: FakeApplication,
    scheduler: ManualScheduler,
    meter: zigpy.device.Device,
) -> None:
    receive(
        meter, DRLC_CMD.load_control_event, **load_control_event(start_time=T0 + 600)
    )
    await settle(engine)
    assert reports(app) == [(1, RECEIVED)]

    await scheduler.advance(600)
    assert reports(app) == [(1, RECEIVED), (1, STARTED)]
    await scheduler.advance(30 * MIN)
    assert reports(app) == [(1, RECEIVED), (1, STARTED), (1, COMPLETED)]


async def test_randomization_delays_start_and_end(
    clock: ManualClock, scheduler: ManualScheduler, app: FakeApplication
) -> None:
    engine = GatewayEngine(
        clock=clock,
        scheduler=scheduler,
        drlc_client=DrlcClientSettings(
            start_randomization_minutes=5, duration_randomization_minutes=5
        ),
        rng=random.Random(4),
    )
    engine.attach(app)
    meter = make_meter(app)
    expected = random.Random(4)
    start_delay, end_delay = expected.randrange(300), expected.randrange(300)

    receive(meter, DRLC_CMD.load_control_event, **load_control_event(event_control=3))
    await settle(engine)
    await scheduler.advance(start_delay - 1)
    assert reports(app) == [(1, RECEIVED)]
    await scheduler.advance(1)
    assert reports(app) == [(1, RECEIVED), (1, STARTED)]
    await scheduler.advance(30 * MIN + end_delay - start_delay - 1)
    assert len(reports(app)) == 2
    await scheduler.advance(1)
    assert reports(app)[-1] == (1, COMPLETED)


async def test_event_for_other_devices_is_ignored(
    clock: ManualClock, scheduler: ManualScheduler, app: FakeApplication
) -> None:
    engine = GatewayEngine(
        clock=clock,
        scheduler=scheduler,
        drlc_client=DrlcClientSettings(device_class=0x0004, utility_enrollment_group=3),
    )
    notifications: list[Notification] = []
    engine.subscribe(notifications.append)
    engine.attach(app)
    meter = make_meter(app)

    receive(meter, DRLC_CMD.load_control_event, **load_control_event(device_class=1))
    receive(
        meter,
        DRLC_CMD.load_control_event,
        tsn=0x43,
        **load_control_event(2, utility_enrollment_group=4),
    )
    receive(
        meter,
        DRLC_CMD.cancel_load_control_event,
        tsn=0x44,
        issuer_event_id=1,
        device_class=1,
        utility_enrollment_group=0,
        cancel_control=0,
        effective_time=0,
    )
    await settle(engine)

    assert sent(app) == []
    assert notifications == []


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        (
            {"duration_in_minutes": 1441},
            EventStatus.Load_Control_Event_Command_Rejected,
        ),
        ({"criticality_level": 0}, EventStatus.Load_Control_Event_Command_Rejected),
        (
            {"start_time": T0 - 3600, "duration_in_minutes": 30},
            EventStatus.Rejected_Event_Expired,
        ),
    ],
    ids=["too long", "reserved criticality", "expired"],
)
async def test_invalid_events_are_rejected(
    engine: GatewayEngine,
    app: FakeApplication,
    meter: zigpy.device.Device,
    fields: dict[str, int],
    status: EventStatus,
) -> None:
    receive(
        meter, DRLC_CMD.load_control_event, tsn=0x22, **load_control_event(**fields)
    )
    await settle(engine)

    assert reports(app) == [(1, status)]
    assert _reports(app)[0].hdr.tsn == 0x22
    assert engine.get_received_drlc_events() == {server_of(meter): []}


async def test_duplicate_event_is_not_reported_again(
    engine: GatewayEngine,
    app: FakeApplication,
    meter: zigpy.device.Device,
    notifications: list[Notification],
) -> None:
    receive(meter, DRLC_CMD.load_control_event, **load_control_event())
    receive(meter, DRLC_CMD.load_control_event, tsn=0x43, **load_control_event())
    await settle(engine)

    assert reports(app) == [(1, RECEIVED), (1, STARTED)]
    assert [n["status"] for n in named(notifications, "received_drlc_event")] == [
        0,
        0x8A,
    ]


async def test_superseded_events_are_reported(
    engine: GatewayEngine,
    app: FakeApplication,
    scheduler: ManualScheduler,
    meter: zigpy.device.Device,
) -> None:
    receive(meter, DRLC_CMD.load_control_event, **load_control_event(1))
    receive(
        meter,
        DRLC_CMD.load_control_event,
        tsn=0x43,
        **load_control_event(2, start_time=T0 + 3600),
    )
    await settle(engine)
    clear(app)

    receive(
        meter,
        DRLC_CMD.load_control_event,
        tsn=0x44,
        **load_control_event(3, start_time=T0 + 10 * MIN, duration_in_minutes=60),
    )
    await settle(engine)
    assert reports(app) == [(3, RECEIVED), (2, EventStatus.Event_Superseded)]

    await scheduler.advance(10 * MIN)
    assert reports(app)[2:] == [(1, EventStatus.Event_Superseded), (3, STARTED)]


async def test_cancel_ends_a_running_event(
    engine: GatewayEngine,
    app: FakeApplication,
    meter: zigpy.device.Device,
    notifications: list[Notification],
) -> None:
    receive(meter, DRLC_CMD.load_control_event, **load_control_event())
    await settle(engine)
    clear(app)

    receive(
        meter,
        DRLC_CMD.cancel_load_control_event,
        tsn=0x45,
        issuer_event_id=1,
        device_class=0x0FFF,
        utility_enrollment_group=0,
        cancel_control=0,
        effective_time=0,
    )
    await settle(engine)

    assert reports(app) == [(1, EventStatus.Event_Cancelled)]
    assert named(notifications, "received_drlc_cancel_event")[0]["record"] == {
        "issuer_event_id": 1,
        "device_class": 0x0FFF,
        "utility_enrollment_group": 0,
        "cancel_control": 0,
        "effective_time": 0,
    }
    assert named(notifications, "updated_active_drlc_events")[-1]["records"] == []


async def test_cancel_with_randomization_waits_for_the_end_randomization(
    clock: ManualClock, scheduler: ManualScheduler, app: FakeApplication
) -> None:
    engine = GatewayEngine(
        clock=clock,
        scheduler=scheduler,
        drlc_client=DrlcClientSettings(
            start_randomization_minutes=0, duration_randomization_minutes=10
        ),
        rng=random.Random(7),
    )
    engine.attach(app)
    meter = make_meter(app)
    end_delay = random.Random(7).randrange(600)
    receive(meter, DRLC_CMD.load_control_event, **load_control_event(event_control=2))
    await settle(engine)
    clear(app)

    receive(
        meter,
        DRLC_CMD.cancel_load_control_event,
        issuer_event_id=1,
        device_class=0x0FFF,
        utility_enrollment_group=0,
        cancel_control=1,
        effective_time=T0 + 60,
    )
    await settle(engine)
    await scheduler.advance(60 + end_delay - 1)
    assert reports(app) == []
    await scheduler.advance(1)
    assert reports(app) == [(1, EventStatus.Event_Cancelled)]


@pytest.mark.parametrize(
    ("event_id", "effective_time", "status"),
    [
        (9, 0, EventStatus.Rejected_Invalid_Cancel_Undefined_Event),
        (
            1,
            T0 + 31 * MIN,
            EventStatus.Rejected_Invalid_Cancel_Command_Invalid_Effective_Time,
        ),
        (
            1,
            0xFFFFFFFF,
            EventStatus.Rejected_Invalid_Cancel_Command_Invalid_Effective_Time,
        ),
    ],
    ids=["undefined event", "after the end", "invalid time"],
)
async def test_invalid_cancels_are_rejected(
    engine: GatewayEngine,
    app: FakeApplication,
    meter: zigpy.device.Device,
    event_id: int,
    effective_time: int,
    status: EventStatus,
) -> None:
    receive(meter, DRLC_CMD.load_control_event, **load_control_event())
    await settle(engine)
    clear(app)

    receive(
        meter,
        DRLC_CMD.cancel_load_control_event,
        tsn=0x46,
        issuer_event_id=event_id,
        device_class=0x0FFF,
        utility_enrollment_group=0,
        cancel_control=0,
        effective_time=effective_time,
    )
    await settle(engine)

    assert reports(app) == [(event_id, status)]
    assert _reports(app)[0].hdr.tsn == 0x46


async def test_cancel_all_cancels_every_event(
    engine: GatewayEngine,
    app: FakeApplication,
    meter: zigpy.device.Device,
    notifications: list[Notification],
) -> None:
    receive(meter, DRLC_CMD.load_control_event, **load_control_event(1))
    receive(
        meter,
        DRLC_CMD.load_control_event,
        tsn=0x43,
        **load_control_event(2, start_time=T0 + 3600, device_class=4),
    )
    await settle(engine)
    clear(app)

    receive(meter, DRLC_CMD.cancel_all_load_control_events, cancel_control=1)
    await settle(engine)

    assert sorted(reports(app)) == [
        (1, EventStatus.Event_Cancelled),
        (2, EventStatus.Event_Cancelled),
    ]
    assert named(notifications, "received_drlc_cancel_all_events")[0]["record"] == {
        "cancel_control": 1
    }


@pytest.mark.parametrize(
    ("actions", "expected"),
    [
        (["out", "start"], [EventStatus.User_Opted_Out, 0x0A]),
        (["start", "out"], [STARTED, EventStatus.User_Opted_Out, 0x08]),
        (
            ["start", "out", "in"],
            [STARTED, EventStatus.User_Opted_Out, EventStatus.User_Opted_In, 0x09],
        ),
        (["start", "in"], [STARTED, COMPLETED]),
        (["out", "in", "start"], [STARTED, COMPLETED]),
    ],
    ids=[
        "out before start",
        "out while running",
        "out and back in",
        "in is the default",
        "changed mind before start",
    ],
)
async def test_opting_out_and_in(
    engine: GatewayEngine,
    app: FakeApplication,
    scheduler: ManualScheduler,
    meter: zigpy.device.Device,
    actions: list[str],
    expected: list[int],
) -> None:
    server = server_of(meter)
    receive(
        meter, DRLC_CMD.load_control_event, **load_control_event(start_time=T0 + 60)
    )
    await settle(engine)
    for action in actions:
        if action == "start":
            await scheduler.advance(60)
        elif action == "out":
            assert await engine.opt_out_drlc_event(server, 1) == Status.SUCCESS
        else:
            assert await engine.opt_in_drlc_event(server, 1) == Status.SUCCESS
    await scheduler.advance(30 * MIN)

    assert [status for _, status in reports(app)] == [RECEIVED, *expected]


async def test_opting_out_of_an_unknown_event_is_not_found(
    engine: GatewayEngine, meter: zigpy.device.Device
) -> None:
    refusal = await refused(engine.opt_out_drlc_event(server_of(meter), 1))
    assert refusal.status == Status.NOT_FOUND


# --- Messaging --------------------------------------------------------------------


async def test_received_message_is_listed_and_can_be_confirmed(
    engine: GatewayEngine,
    app: FakeApplication,
    clock: ManualClock,
    meter: zigpy.device.Device,
    notifications: list[Notification],
) -> None:
    receive(meter, MSG_CMD.display_message, **display_message())
    await settle(engine)
    record = MessageEvent(
        message_id=1,
        message_control=0x80,
        duration_in_minutes=10,
        message="Confirm please",
    )
    assert [n.name for n in notifications] == [
        "received_message_event",
        "updated_active_message_events",
    ]
    assert notifications[0].as_dict()["status"] == 0
    assert notifications[1].as_dict()["records"] == [record.to_dict()]
    assert engine.get_received_message_events() == {server_of(meter): [record]}
    assert record.needs_confirmation
    clock.set(T0 + 30)

    result = await engine.confirm_message(server_of(meter), 1)

    assert result.device_list == (server_of(meter),)
    [confirmation] = sent(app)
    assert confirmation.nwk == METER_NWK
    assert confirmation.name == "MessageConfirmation"
    assert confirmation.command.message_id == 1
    assert confirmation.command.confirmation_time == T0 + 30


async def test_confirming_an_unknown_message_is_not_found(
    engine: GatewayEngine, meter: zigpy.device.Device
) -> None:
    server = server_of(meter)
    assert (await refused(engine.confirm_message(server, 1))).status == Status.NOT_FOUND
    receive(meter, MSG_CMD.display_message, **display_message())
    await settle(engine)
    assert (await refused(engine.confirm_message(server, 2))).status == Status.NOT_FOUND


async def test_message_duplicates_schedule_and_cancel(
    engine: GatewayEngine,
    scheduler: ManualScheduler,
    meter: zigpy.device.Device,
    notifications: list[Notification],
) -> None:
    receive(meter, MSG_CMD.display_message, **display_message(1))
    receive(meter, MSG_CMD.display_message, tsn=0x43, **display_message(1))
    receive(
        meter,
        MSG_CMD.display_message,
        tsn=0x44,
        **display_message(2, start_time=T0 + 60),
    )
    await settle(engine)

    def active() -> list[list[int]]:
        return [
            [record["message_id"] for record in n["records"]]
            for n in named(notifications, "updated_active_message_events")
        ]

    assert [n["status"] for n in named(notifications, "received_message_event")] == [
        0,
        0x8A,
        0,
    ]
    assert active() == [[1]]
    await scheduler.advance(60)
    assert active() == [[1], [1, 2]]

    receive(meter, MSG_CMD.cancel_message, tsn=0x45, message_id=2, message_control=0)
    await settle(engine)
    assert named(notifications, "received_message_cancel_event")[0]["record"] == {
        "message_id": 2,
        "message_control": 0,
    }
    assert active() == [[1], [1, 2], [1]]
    await scheduler.advance(9 * MIN)
    assert active() == [[1], [1, 2], [1], []]


# --- Failures ------------------------------------------------------------------------


async def test_a_report_that_cannot_be_sent_is_logged(
    engine: GatewayEngine,
    app: FakeApplication,
    meter: zigpy.device.Device,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fail_for(app, METER_NWK, lambda: zigpy.exceptions.DeliveryError("gone"))

    receive(meter, DRLC_CMD.load_control_event, **load_control_event())
    await settle(engine)

    assert "Could not send command 0x00" in caplog.text
    assert engine.get_received_drlc_events() == {
        server_of(meter): [DrlcEvent.from_dict(load_control_event())]
    }


async def test_a_server_that_left_gets_no_reports(
    engine: GatewayEngine,
    app: FakeApplication,
    scheduler: ManualScheduler,
    meter: zigpy.device.Device,
) -> None:
    server = server_of(meter)
    receive(meter, DRLC_CMD.load_control_event, **load_control_event())
    receive(meter, MSG_CMD.display_message, **display_message())
    await settle(engine)
    del app.devices[meter.ieee]
    clear(app)

    assert await engine.opt_out_drlc_event(server, 1) == Status.SUCCESS
    assert (await refused(engine.confirm_message(server, 1))).status == Status.NOT_FOUND
    await scheduler.advance(30 * MIN)

    assert sent(app) == []
    assert engine.get_received_drlc_events() == {server: []}
