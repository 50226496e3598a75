"""The server (ESI) role over a real zigpy application on a fake radio."""

from __future__ import annotations

from typing import Any

import pytest
import zigpy.device
import zigpy.exceptions
from zigpy.zcl.foundation import Status
from zigpy.zgp.types import ApplicationID, SrcID

from custom_components.se_gateway.core.clusters import Drlc, Messaging, Price
from custom_components.se_gateway.core.clusters.types import Signature
from custom_components.se_gateway.core.engine import (
    CancelAllDrlcEvents,
    CancelDrlcEvent,
    CancelMessage,
    DeviceRef,
    DrlcEvent,
    EventStatusReport,
    GatewayEngine,
    ManualClock,
    ManualScheduler,
    MessageConfirmation,
    MessageEvent,
    Notification,
    PriceEvent,
    Refusal,
    RefusalError,
)

from ...zigpy_app import FakeApplication
from ..clusters.fake_zigpy import make_device
from .conftest import (
    IHD_NWK,
    LOAD_NWK,
    METER_NWK,
    T0,
    clear,
    fail_for,
    make_ihd,
    make_load_device,
    make_meter,
    names,
    receive,
    receive_payload,
    refused,
    sent,
    settle,
)

MIN = 60
HVAC, HEATER, POOL = 0x0001, 0x0004, 0x0008
PRICE_REQ = Price.ServerCommandDefs
DRLC_REQ = Drlc.ServerCommandDefs
MSG_REQ = Messaging.ServerCommandDefs


type Network = tuple[zigpy.device.Device, zigpy.device.Device, zigpy.device.Device]


def ref(device: zigpy.device.Device) -> DeviceRef:
    return DeviceRef(str(device.ieee), 1)


def price(event_id: int = 1, **fields: int) -> PriceEvent:
    return PriceEvent(
        provider_id=0x11,
        rate_label="Peak",
        issuer_event_id=event_id,
        currency=978,
        price_trailing_digit=3,
        price_tier=2,
        number_of_price_tiers=4,
        register_tier=2,
        price=1234,
        **fields,
    )


@pytest.fixture
async def network(engine: GatewayEngine, app: FakeApplication) -> Network:
    """An IHD, a second IHD and a load control device with unknown attributes."""
    devices = (
        make_ihd(app),
        make_ihd(app, nwk=0x1002),
        make_load_device(app),
    )
    await settle(engine)
    clear(app)
    return devices


# --- Price ----------------------------------------------------------------------


async def test_price_goes_to_every_price_client_at_once(
    engine: GatewayEngine, app: FakeApplication, network: Network
) -> None:
    ihd, ihd2, _ = network

    result = await engine.create_price_event(price(duration_in_minutes=60))

    assert result.status == Status.SUCCESS
    assert result.device_list == (ref(ihd), ref(ihd2))
    assert result.errors == {}
    frames = sent(app)
    assert [(frame.nwk, frame.cluster_id) for frame in frames] == [
        (IHD_NWK, Price.cluster_id),
        (0x1002, Price.cluster_id),
    ]
    publish = frames[0].command
    assert publish.as_dict() == {
        **publish.as_dict(),
        "provider_id": 0x11,
        "rate_label": b"Peak",
        "issuer_event_id": 1,
        "current_time": T0,
        "currency": 978,
        "start_time": 0,
        "duration_in_minutes": 60,
        "price": 1234,
        "price_ratio": 0xFF,
        "generation_price": 0xFFFFFFFF,
        "alternate_cost_unit": 0x01,
    }
    assert publish.price_trailing_digit_and_price_tier.trailing_digit == 3
    assert publish.price_trailing_digit_and_price_tier.price_tier == 2
    assert publish.number_of_price_tiers_and_register_tier.number_of_price_tiers == 4
    assert frames[0].hdr.frame_control.disable_default_response
    assert engine.get_price_events() == [price(duration_in_minutes=60)]


async def test_duplicate_price_is_refused_and_not_sent(
    engine: GatewayEngine, app: FakeApplication, network: Network
) -> None:
    await engine.create_price_event(price())
    clear(app)

    refusal = await refused(engine.create_price_event(price()))

    assert refusal.status == Status.DUPLICATE_EXISTS
    assert refusal.reason == Refusal.DUPLICATE_ID
    assert sent(app) == []


async def test_one_failing_device_does_not_stop_the_others(
    engine: GatewayEngine, app: FakeApplication, network: Network
) -> None:
    ihd, ihd2, _ = network
    fail_for(app, IHD_NWK, lambda: zigpy.exceptions.DeliveryError("no route"))

    result = await engine.create_price_event(price())

    assert result.device_list == (ref(ihd2),)
    assert list(result.errors) == [ref(ihd)]
    assert "no route" in result.errors[ref(ihd)]
    assert result.as_dict()["errors"] == [
        {"ieee": str(ihd.ieee), "endpoint": 1, "error": result.errors[ref(ihd)]}
    ]


async def test_unavailable_devices_and_the_coordinator_get_nothing(
    clock: ManualClock, scheduler: ManualScheduler, app: FakeApplication
) -> None:
    ihd = make_ihd(app)
    asleep = make_ihd(app, nwk=0x1002)
    coordinator = make_ihd(app, nwk=0x0000)
    app.state.node_info.ieee = coordinator.ieee
    engine = GatewayEngine(
        clock=clock, scheduler=scheduler, is_available=lambda device: device != asleep
    )
    engine.attach(app)

    result = await engine.create_price_event(price())

    assert result.device_list == (ref(ihd),)


async def test_get_current_price_answers_with_the_requests_tsn(
    engine: GatewayEngine, app: FakeApplication, network: Network
) -> None:
    ihd = network[0]
    await engine.create_price_event(price(duration_in_minutes=60))
    clear(app)

    receive(ihd, PRICE_REQ.get_current_price, tsn=0x33, command_options=1)
    await settle(engine)

    [reply] = sent(app)
    assert reply.nwk == IHD_NWK
    assert reply.name == "PublishPrice"
    assert reply.hdr.tsn == 0x33
    assert reply.command.issuer_event_id == 1


async def test_get_current_price_with_no_price_is_not_found(
    engine: GatewayEngine, app: FakeApplication, network: Network
) -> None:
    receive(network[0], PRICE_REQ.get_current_price, tsn=0x34, command_options=0)
    await settle(engine)

    [reply] = sent(app)
    assert reply.name == "default_response:NOT_FOUND"
    assert reply.hdr.tsn == 0x34
    assert reply.command.command_id == PRICE_REQ.get_current_price.id
    assert reply.command.status == 0x8B


async def test_get_scheduled_prices_sends_one_publish_price_per_event(
    engine: GatewayEngine, app: FakeApplication, network: Network
) -> None:
    await engine.create_price_event(price(3, start_time=T0 + 7200))
    await engine.create_price_event(price(1, duration_in_minutes=60))
    await engine.create_price_event(price(2, start_time=T0 + 3600))
    clear(app)

    receive(
        network[0],
        PRICE_REQ.get_scheduled_prices,
        tsn=0x50,
        start_time=0,
        number_of_events=0,
    )
    receive(
        network[0],
        PRICE_REQ.get_scheduled_prices,
        tsn=0x51,
        start_time=T0 + 3700,
        number_of_events=1,
    )
    await settle(engine)

    assert [(f.hdr.tsn, f.command.issuer_event_id) for f in sent(app)] == [
        (0x50, 1),
        (0x50, 2),
        (0x50, 3),
        (0x51, 2),
    ]


async def test_get_scheduled_prices_with_none_left_is_not_found(
    engine: GatewayEngine,
    app: FakeApplication,
    clock: ManualClock,
    network: Network,
) -> None:
    await engine.create_price_event(price(duration_in_minutes=1))
    clock.set(T0 + MIN)
    clear(app)

    receive(
        network[0],
        PRICE_REQ.get_scheduled_prices,
        tsn=0x52,
        start_time=0,
        number_of_events=0,
    )
    await settle(engine)

    assert [(f.name, f.hdr.tsn) for f in sent(app)] == [
        ("default_response:NOT_FOUND", 0x52)
    ]


async def test_requests_without_data_are_not_found_and_acks_unanswered(
    engine: GatewayEngine, app: FakeApplication, network: Network
) -> None:
    ihd = network[0]
    receive(ihd, PRICE_REQ.get_block_periods, start_time=0, number_of_events=0)
    receive(ihd, MSG_REQ.get_message_cancellation, earliest_implementation_time=0)
    receive(
        ihd,
        PRICE_REQ.price_acknowledgement,
        provider_id=1,
        issuer_event_id=1,
        price_ack_time=T0,
        control=1,
    )
    await settle(engine)

    assert [(f.cluster_id, f.name) for f in sent(app)] == [
        (Price.cluster_id, "default_response:NOT_FOUND"),
        (Messaging.cluster_id, "default_response:NOT_FOUND"),
    ]


def test_price_cancels_are_local(engine: GatewayEngine) -> None:
    assert engine.cancel_price_event(1).status == Status.NOT_FOUND


async def test_price_cancel_forgets_the_price(
    engine: GatewayEngine, app: FakeApplication
) -> None:
    await engine.create_price_event(price(1))
    await engine.create_price_event(price(2, start_time=T0 + 3600))

    assert engine.cancel_price_event(1).status == Status.SUCCESS
    assert [record.issuer_event_id for record in engine.get_price_events()] == [2]
    assert engine.cancel_all_price_events().status == Status.SUCCESS
    assert engine.get_price_events() == []
    assert sent(app) == []


# --- Demand Response and Load Control ---------------------------------------


@pytest.fixture
async def loads(
    engine: GatewayEngine, app: FakeApplication
) -> dict[str, zigpy.device.Device]:
    """Load control devices with known device classes and enrollment groups."""
    devices = {
        "heater group 1": make_load_device(
            app, 0x2001, device_class=HEATER, enrollment_group=1
        ),
        "heater group 2": make_load_device(
            app, 0x2002, device_class=HEATER, enrollment_group=2
        ),
        "pool": make_load_device(app, 0x2003, device_class=POOL, enrollment_group=0),
        "unknown": make_load_device(app, 0x2004),
    }
    await settle(engine)
    clear(app)
    return devices


@pytest.mark.parametrize(
    ("device_class", "group", "reached"),
    [
        (0x0FFF, 0, ["heater group 1", "heater group 2", "pool", "unknown"]),
        (HEATER, 0, ["heater group 1", "heater group 2", "unknown"]),
        (HEATER, 1, ["heater group 1", "unknown"]),
        (POOL, 2, ["pool", "unknown"]),
        (HVAC, 0, ["unknown"]),
    ],
)
async def test_drlc_event_goes_to_the_clients_it_addresses(
    engine: GatewayEngine,
    loads: dict[str, zigpy.device.Device],
    device_class: int,
    group: int,
    reached: list[str],
) -> None:
    result = await engine.create_drlc_event(
        DrlcEvent(
            issuer_event_id=1,
            duration_in_minutes=30,
            device_class=device_class,
            utility_enrollment_group=group,
        )
    )

    assert result.device_list == tuple(ref(loads[name]) for name in reached)


async def test_start_now_drlc_event_is_sent_with_start_0_and_remaining_duration(
    engine: GatewayEngine,
    app: FakeApplication,
    clock: ManualClock,
    network: Network,
) -> None:
    load = network[2]
    await engine.create_drlc_event(
        DrlcEvent(issuer_event_id=7, duration_in_minutes=60, criticality_level=5)
    )
    clock.set(T0 + 10 * MIN + 30)
    clear(app)

    receive(
        load,
        DRLC_REQ.get_scheduled_events,
        tsn=0x60,
        start_time=0,
        number_of_events=0,
    )
    await settle(engine)

    [reply] = sent(app)
    assert reply.nwk == LOAD_NWK
    assert reply.hdr.tsn == 0x60
    assert reply.name == "LoadControlEvent"
    assert reply.command.start_time == 0
    assert reply.command.duration_in_minutes == 50
    assert reply.command.criticality_level == 5
    assert reply.command.device_class == 0x0FFF
    assert reply.command.cooling_temperature_set_point == -0x8000


async def test_get_scheduled_events_answers_only_what_addresses_the_client(
    engine: GatewayEngine, app: FakeApplication, loads: dict[str, zigpy.device.Device]
) -> None:
    for event_id, device_class, start in [
        (1, HEATER, 0),
        (2, POOL, 3600),
        (3, 0x0FFF, 7200),
    ]:
        await engine.create_drlc_event(
            DrlcEvent(
                issuer_event_id=event_id,
                device_class=device_class,
                start_time=T0 + start if start else 0,
                duration_in_minutes=30,
            )
        )
    clear(app)

    receive(
        loads["pool"],
        DRLC_REQ.get_scheduled_events,
        tsn=0x61,
        start_time=0,
        number_of_events=0,
    )
    receive(
        loads["heater group 1"],
        DRLC_REQ.get_scheduled_events,
        tsn=0x62,
        start_time=0,
        number_of_events=1,
    )
    await settle(engine)

    assert [(f.hdr.tsn, f.command.issuer_event_id) for f in sent(app)] == [
        (0x61, 2),
        (0x61, 3),
        (0x62, 1),
    ]


async def test_get_scheduled_events_with_nothing_for_the_client_is_not_found(
    engine: GatewayEngine, app: FakeApplication, loads: dict[str, zigpy.device.Device]
) -> None:
    await engine.create_drlc_event(
        DrlcEvent(issuer_event_id=1, device_class=HEATER, duration_in_minutes=30)
    )
    clear(app)

    receive(
        loads["pool"],
        DRLC_REQ.get_scheduled_events,
        tsn=0x63,
        start_time=0,
        number_of_events=0,
        issuer_event_id=0,
    )
    await settle(engine)

    assert [(f.name, f.hdr.tsn) for f in sent(app)] == [
        ("default_response:NOT_FOUND", 0x63)
    ]


async def test_superseding_event_reports_what_it_superseded(
    engine: GatewayEngine, app: FakeApplication, loads: dict[str, zigpy.device.Device]
) -> None:
    await engine.create_drlc_event(
        DrlcEvent(issuer_event_id=1, device_class=HEATER | POOL, duration_in_minutes=60)
    )

    result = await engine.create_drlc_event(
        DrlcEvent(
            issuer_event_id=2,
            device_class=POOL,
            start_time=T0 + 30 * MIN,
            duration_in_minutes=60,
        )
    )

    assert result.superseded == (1,)
    assert result.as_dict()["superseded"] == [1]


async def test_a_partly_superseded_event_is_resent_with_the_classes_it_keeps(
    engine: GatewayEngine,
    app: FakeApplication,
    clock: ManualClock,
    loads: dict[str, zigpy.device.Device],
) -> None:
    await engine.create_drlc_event(
        DrlcEvent(issuer_event_id=1, device_class=HEATER | POOL, duration_in_minutes=60)
    )
    await engine.create_drlc_event(
        DrlcEvent(issuer_event_id=2, device_class=POOL, duration_in_minutes=30)
    )
    clear(app)

    result = await engine.resend_all()
    await settle(engine)

    by_device = {(f.nwk, f.command.issuer_event_id): f.command for f in sent(app)}
    assert by_device[(0x2001, 1)].device_class == HEATER
    assert (0x2003, 1) not in by_device
    assert by_device[(0x2003, 2)].device_class == POOL
    assert by_device[(0x2004, 1)].device_class == HEATER
    assert ref(loads["pool"]) in result.device_list


async def test_duplicate_drlc_event_is_refused(
    engine: GatewayEngine, loads: dict[str, zigpy.device.Device]
) -> None:
    record = DrlcEvent(issuer_event_id=1, duration_in_minutes=60)
    await engine.create_drlc_event(record)

    refusal = await refused(engine.create_drlc_event(record))

    assert refusal.status == 0x8A
    assert (refusal.field, refusal.event_id) == ("issuer_event_id", 1)


async def test_cancel_goes_to_the_clients_it_addresses(
    engine: GatewayEngine, app: FakeApplication, loads: dict[str, zigpy.device.Device]
) -> None:
    await engine.create_drlc_event(
        DrlcEvent(issuer_event_id=1, device_class=HEATER, duration_in_minutes=60)
    )
    clear(app)

    result = await engine.cancel_drlc_event(
        CancelDrlcEvent(issuer_event_id=1, device_class=HEATER, cancel_control=0)
    )

    assert result.status == Status.SUCCESS
    assert result.device_list == tuple(
        ref(loads[name]) for name in ("heater group 1", "heater group 2", "unknown")
    )
    [frame, *_] = sent(app)
    assert frame.name == "CancelLoadControlEvent"
    assert frame.command.issuer_event_id == 1
    assert frame.command.cancel_control == 0
    assert frame.command.effective_time == 0
    assert engine.get_drlc_events() == []


async def test_cancel_of_an_event_not_held_is_still_sent(
    engine: GatewayEngine, app: FakeApplication, loads: dict[str, zigpy.device.Device]
) -> None:
    result = await engine.cancel_drlc_event(CancelDrlcEvent(issuer_event_id=9))

    assert result.status == Status.NOT_FOUND
    assert len(result.device_list) == 4


async def test_cancel_effective_after_the_end_is_a_record_error(
    engine: GatewayEngine, app: FakeApplication, loads: dict[str, zigpy.device.Device]
) -> None:
    await engine.create_drlc_event(DrlcEvent(issuer_event_id=1, duration_in_minutes=1))
    clear(app)

    with pytest.raises(RefusalError, match="effective_time"):
        await engine.cancel_drlc_event(
            CancelDrlcEvent(issuer_event_id=1, effective_time=T0 + 3600)
        )
    assert sent(app) == []


async def test_cancel_all_goes_to_every_drlc_client(
    engine: GatewayEngine, app: FakeApplication, loads: dict[str, zigpy.device.Device]
) -> None:
    await engine.create_drlc_event(DrlcEvent(issuer_event_id=1, duration_in_minutes=9))
    clear(app)

    result = await engine.cancel_all_drlc_events()

    assert len(result.device_list) == 4
    assert {frame.name for frame in sent(app)} == {"CancelAllLoadControlEvents"}
    assert {frame.command.cancel_control for frame in sent(app)} == {1}
    assert engine.get_drlc_events() == []
    await engine.cancel_all_drlc_events(CancelAllDrlcEvents(cancel_control=0))
    assert sent(app)[-1].command.cancel_control == 0


@pytest.mark.parametrize("disable_default_response", [True, False])
async def test_report_event_status_is_recorded_per_device_and_event(
    engine: GatewayEngine,
    app: FakeApplication,
    notifications: list[Notification],
    loads: dict[str, zigpy.device.Device],
    disable_default_response: bool,
) -> None:
    load = loads["pool"]
    report: dict[str, Any] = {
        "issuer_event_id": 4,
        "event_status": 0x02,
        "event_status_time": T0 + 5,
        "criticality_level_applied": 1,
        "cooling_temperature_set_point_applied": 0x8000,
        "heating_temperature_set_point_applied": 0x8000,
        "average_load_adjustment_percentage_applied": -128,
        "duty_cycle_applied": 0xFF,
        "event_control": 0,
    }

    receive(
        load,
        DRLC_REQ.report_event_status,
        tsn=0x70,
        disable_default_response=disable_default_response,
        **report,
        signature_type=0,
        signature=Signature(b"\xff" * 42),
    )
    receive(loads["unknown"], DRLC_REQ.report_event_status, tsn=0x71, **report)
    await settle(engine)

    record = EventStatusReport(**report)
    [first, second] = engine.get_event_status_reports(4)
    assert (first.device, first.record) == (ref(load), record)
    assert first.as_dict() == {
        "ieee": str(load.ieee),
        "endpoint": 1,
        "record": record.to_dict(),
    }
    assert (second.device, second.record) == (ref(loads["unknown"]), record)
    assert engine.get_event_status_reports(5) == []
    assert [n.name for n in notifications] == ["received_report_event_status"] * 2
    assert notifications[0].as_dict() == {
        "source_address": str(load.ieee),
        "source_endpoint_id": 1,
        "cluster_id": Drlc.cluster_id,
        "record": record.to_dict(),
    }
    expected = [] if disable_default_response else [("default_response:SUCCESS", 0x70)]
    assert [(f.name, f.hdr.tsn) for f in sent(app)] == expected


# --- Messaging --------------------------------------------------------------------


async def test_message_goes_to_every_messaging_client(
    engine: GatewayEngine, app: FakeApplication, network: Network
) -> None:
    record = MessageEvent(
        message_id=3, message="Prix élevé", message_control=0x80, duration_in_minutes=30
    )

    result = await engine.create_message_event(record)

    assert result.device_list == (ref(network[0]), ref(network[1]))
    frame = sent(app)[0]
    assert frame.name == "DisplayMessage"
    assert frame.command.message == "Prix élevé"
    assert frame.command.message_control.confirmation_required == 1
    assert (frame.command.start_time, frame.command.duration_in_minutes) == (0, 30)
    assert engine.get_message_events() == [record]
    duplicate = await refused(engine.create_message_event(record))
    assert duplicate.status == Status.DUPLICATE_EXISTS


async def test_message_longer_than_a_display_message_carries_is_refused(
    engine: GatewayEngine,
) -> None:
    with pytest.raises(RefusalError, match="message: is longer than the 59"):
        await engine.create_message_event(MessageEvent(message_id=1, message="x" * 60))


async def test_get_last_message_answers_with_remaining_duration(
    engine: GatewayEngine,
    app: FakeApplication,
    clock: ManualClock,
    network: Network,
) -> None:
    ihd = network[0]
    receive(ihd, MSG_REQ.get_last_message, tsn=0x80)
    await settle(engine)
    await engine.create_message_event(
        MessageEvent(message_id=1, message="one", duration_in_minutes=60)
    )
    await engine.create_message_event(
        MessageEvent(message_id=2, message="two", start_time=T0 + 3600)
    )
    clock.set(T0 + 15 * MIN)
    clear(app)

    receive(ihd, MSG_REQ.get_last_message, tsn=0x81)
    await settle(engine)

    [reply] = sent(app)
    assert (reply.hdr.tsn, reply.command.message_id) == (0x81, 2)
    assert (reply.command.start_time, reply.command.duration_in_minutes) == (
        T0 + 3600,
        0xFFFF,
    )


async def test_get_last_message_with_none_is_not_found(
    engine: GatewayEngine, app: FakeApplication, network: Network
) -> None:
    receive(network[0], MSG_REQ.get_last_message, tsn=0x82)
    await settle(engine)

    [reply] = sent(app)
    assert (reply.name, reply.hdr.tsn) == ("default_response:NOT_FOUND", 0x82)
    assert reply.command.command_id == MSG_REQ.get_last_message.id


async def test_message_confirmation_is_recorded(
    engine: GatewayEngine,
    app: FakeApplication,
    notifications: list[Notification],
    network: Network,
) -> None:
    ihd = network[0]
    receive(
        ihd,
        MSG_REQ.message_confirmation,
        tsn=0x90,
        disable_default_response=False,
        message_id=3,
        confirmation_time=T0 + 9,
        message_confirmation_control=0x02,
        message_response=b"OK",
    )
    receive(network[1], MSG_REQ.message_confirmation, message_id=4, confirmation_time=1)
    await settle(engine)

    expected = MessageConfirmation(
        message_id=3,
        confirmation_time=T0 + 9,
        message_confirmation_control=2,
        message_response="4f4b",
    )
    [confirmation] = engine.get_message_confirmations(3)
    assert (confirmation.device, confirmation.record) == (ref(ihd), expected)
    assert len(engine.get_message_confirmations()) == 2
    assert notifications[0].name == "received_message_confirmation"
    assert notifications[0].as_dict()["record"] == expected.to_dict()
    assert [(f.name, f.hdr.tsn) for f in sent(app)] == [
        ("default_response:SUCCESS", 0x90)
    ]


async def test_an_undecodable_confirmation_is_dropped(
    engine: GatewayEngine,
    app: FakeApplication,
    notifications: list[Notification],
    network: Network,
    caplog: pytest.LogCaptureFixture,
) -> None:
    too_long_response = bytes([21]) + b"x" * 21
    receive_payload(
        network[0],
        MSG_REQ.message_confirmation,
        bytes(4) + bytes(4) + b"\x02" + too_long_response,
    )
    await settle(engine)

    assert notifications == []
    assert "Dropped a request" in caplog.text


async def test_cancel_message_goes_to_every_messaging_client(
    engine: GatewayEngine, app: FakeApplication, network: Network
) -> None:
    await engine.create_message_event(MessageEvent(message_id=1, message="one"))
    clear(app)

    result = await engine.cancel_message_event(
        CancelMessage(message_id=1, message_control=0x80)
    )

    assert result.status == Status.SUCCESS
    assert len(result.device_list) == 2
    assert [f.name for f in sent(app)] == ["CancelMessage"] * 2
    assert sent(app)[0].command.message_id == 1
    assert engine.get_message_events() == []


async def test_cancel_all_messages_cancels_each(
    engine: GatewayEngine, app: FakeApplication, network: Network
) -> None:
    await engine.create_message_event(MessageEvent(message_id=1, message="one"))
    await engine.create_message_event(
        MessageEvent(message_id=2, message="two", start_time=T0 + 60)
    )
    clear(app)

    result = await engine.cancel_all_message_events()

    assert len(result.device_list) == 2
    assert sorted(f.command.message_id for f in sent(app)) == [1, 1, 2, 2]
    assert engine.get_message_events() == []


# --- Sending again ------------------------------------------------------------------


async def test_a_joining_device_gets_the_current_events(
    engine: GatewayEngine, app: FakeApplication
) -> None:
    await engine.create_price_event(price(1))
    await engine.create_drlc_event(DrlcEvent(issuer_event_id=2, duration_in_minutes=9))
    await engine.create_message_event(MessageEvent(message_id=3, message="hi"))

    make_ihd(app)
    await settle(engine)

    assert names(app) == ["PublishPrice", "LoadControlEvent", "DisplayMessage"]


async def test_resend_to_device(
    engine: GatewayEngine, app: FakeApplication, network: Network
) -> None:
    ihd = network[0]
    assert (await engine.resend_to_device(ihd.ieee)).device_list == ()
    await engine.create_price_event(price(1))
    clear(app)

    result = await engine.resend_to_device(str(ihd.ieee))

    assert result.device_list == (ref(ihd),)
    assert names(app) == ["PublishPrice"]
    missing = await engine.resend_to_device("00:00:00:00:00:00:00:99")
    assert missing.status == Status.NOT_FOUND


async def test_resend_all_reaches_every_available_client(
    engine: GatewayEngine, app: FakeApplication, clock: ManualClock, network: Network
) -> None:
    await engine.create_message_event(
        MessageEvent(message_id=3, message="hi", duration_in_minutes=60)
    )
    clock.set(T0 + 15 * MIN)
    clear(app)

    result = await engine.resend_all()

    assert result.device_list == (ref(network[0]), ref(network[1]))
    assert names(app) == ["DisplayMessage"] * 2
    message = sent(app)[0].command
    assert (message.start_time, message.duration_in_minutes) == (0, 45)


async def test_a_detached_engine_sends_nothing(
    engine: GatewayEngine, app: FakeApplication, network: Network
) -> None:
    engine.detach()

    assert (await engine.create_price_event(price(1))).device_list == ()
    assert (await engine.resend_all()).device_list == ()
    assert (await engine.resend_to_device(network[0].ieee)).device_list == ()
    receive(network[0], PRICE_REQ.get_current_price, command_options=0)
    await settle(engine)
    assert sent(app) == []


# --- Listening ------------------------------------------------------------------------


async def test_a_request_decoded_on_a_server_cluster_is_ignored(
    engine: GatewayEngine, app: FakeApplication
) -> None:
    meter = make_meter(app)
    await engine.create_price_event(price(1))
    await settle(engine)
    clear(app)

    receive(meter, PRICE_REQ.get_current_price, command_options=0)
    await settle(engine)

    assert sent(app) == []


async def test_reinterviewed_and_removed_devices(
    engine: GatewayEngine, app: FakeApplication
) -> None:
    await engine.create_price_event(price(1))
    old = make_ihd(app)
    await settle(engine)
    new = make_device(app, out_clusters=[Price.cluster_id], nwk=IHD_NWK)
    app.listener_event("device_reinterviewed", new)
    clear(app)

    receive(old, PRICE_REQ.get_current_price, command_options=0)
    receive(new, PRICE_REQ.get_current_price, tsn=0x43, command_options=0)
    await settle(engine)
    assert [f.hdr.tsn for f in sent(app)] == [0x43]

    app.listener_event("device_removed", new)
    receive(new, PRICE_REQ.get_current_price, tsn=0x44, command_options=0)
    await settle(engine)
    assert [f.hdr.tsn for f in sent(app)] == [0x43]


async def test_green_power_devices_are_left_alone(
    engine: GatewayEngine, app: FakeApplication
) -> None:
    gpd = zigpy.device.GreenPowerDevice(
        app, application_id=ApplicationID.SrcID, src_id=SrcID(0x12345678)
    )
    app.devices[gpd.ieee] = gpd

    app.listener_event("device_initialized", gpd)
    await settle(engine)

    assert (await engine.create_price_event(price(1))).device_list == ()
    assert (await engine.resend_to_device(gpd.ieee)).status == Status.NOT_FOUND


async def test_a_request_asking_for_a_default_response_gets_only_the_answer(
    engine: GatewayEngine, app: FakeApplication, network: Network
) -> None:
    receive(
        network[0],
        PRICE_REQ.get_current_price,
        tsn=0x35,
        disable_default_response=False,
        command_options=0,
    )
    await settle(engine)

    assert [(f.name, f.hdr.tsn) for f in sent(app)] == [
        ("default_response:NOT_FOUND", 0x35)
    ]


async def test_the_meter_fixture_is_a_server(app: FakeApplication) -> None:
    meter = make_meter(app)

    assert meter.nwk == METER_NWK
    assert Price.cluster_id in meter.endpoints[1].in_clusters
