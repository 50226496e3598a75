"""The whole engine state survives a save and restore, and old saves load."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import zigpy.device

from custom_components.se_gateway.core.clusters import Drlc, Messaging, Price
from custom_components.se_gateway.core.clusters.types import EventStatus
from custom_components.se_gateway.core.engine import (
    DeviceRef,
    DrlcEvent,
    EventStatusReport,
    GatewayEngine,
    ManualClock,
    ManualScheduler,
    MessageConfirmation,
    MessageEvent,
    PriceEvent,
    StoreError,
    store,
)

from ...zigpy_app import FakeApplication
from .conftest import (
    T0,
    clear,
    display_message,
    load_control_event,
    make_meter,
    publish_price,
    receive,
    sent,
    settle,
)

MIN = 60
REPORT = {
    "issuer_event_id": 2,
    "event_status": 2,
    "event_status_time": T0,
    "criticality_level_applied": 1,
    "cooling_temperature_set_point_applied": 0x8000,
    "heating_temperature_set_point_applied": 0x8000,
    "average_load_adjustment_percentage_applied": -128,
    "duty_cycle_applied": 0xFF,
    "event_control": 0,
}

VERSION_1: dict[str, Any] = {
    "version": 1,
    "server": {
        "prices": [
            {
                "record": PriceEvent(
                    provider_id=1, issuer_event_id=1, currency=978, price=10
                ).to_dict(),
                "created_at": T0,
                "cut_at": None,
            }
        ],
        "drlc": [
            {
                "record": DrlcEvent(
                    issuer_event_id=2, device_class=5, duration_in_minutes=60
                ).to_dict(),
                "created_at": T0,
                "cut_at": None,
                "cuts": [
                    {"device_class": 1, "at": T0 + 600, "reason": "superseded", "by": 3}
                ],
            }
        ],
        "messages": [
            {
                "record": MessageEvent(message_id=4, message="hi").to_dict(),
                "created_at": T0,
                "cut_at": None,
            }
        ],
        "reports": [
            {
                "ieee": "00:11:22:33:44:55:66:77",
                "endpoint": 1,
                "event_id": 2,
                "records": [{**REPORT, "signature_type": 0}],
            }
        ],
        "confirmations": [
            {
                "ieee": "00:11:22:33:44:55:66:77",
                "endpoint": 1,
                "event_id": 4,
                "records": [
                    {
                        "message_id": 4,
                        "confirmation_time": T0,
                        "message_confirmation_control": None,
                        "message_response": None,
                    }
                ],
            }
        ],
    },
    "client": [
        {
            "ieee": "55:44:33:22:11:00:30:03",
            "endpoint": 1,
            "prices": [],
            "messages": [],
            "drlc": [
                {
                    "record": DrlcEvent(
                        issuer_event_id=8, duration_in_minutes=30
                    ).to_dict(),
                    "received_at": T0,
                    "start_delay": 0,
                    "end_delay": 0,
                    "started": True,
                    "opted_out": False,
                    "partial": False,
                    "cancel_at": None,
                    "superseded_at": None,
                }
            ],
            "active_price": None,
            "active_drlc": [8],
            "active_messages": [],
        }
    ],
}


def new_engine(clock: ManualClock, scheduler: ManualScheduler) -> GatewayEngine:
    return GatewayEngine(clock=clock, scheduler=scheduler)


async def test_round_trip_keeps_everything(
    engine: GatewayEngine,
    app: FakeApplication,
    clock: ManualClock,
    scheduler: ManualScheduler,
) -> None:
    meter = make_meter(app)
    await engine.create_price_event(
        PriceEvent(provider_id=1, issuer_event_id=1, currency=978, price=10)
    )
    await engine.create_drlc_event(
        DrlcEvent(issuer_event_id=2, device_class=5, duration_in_minutes=60)
    )
    await engine.create_drlc_event(
        DrlcEvent(
            issuer_event_id=3,
            device_class=1,
            start_time=T0 + 600,
            duration_in_minutes=60,
        )
    )
    await engine.create_message_event(MessageEvent(message_id=4, message="hi"))
    receive(
        meter,
        Price.ClientCommandDefs.publish_price,
        **publish_price(
            9,
            provider_id=1,
            rate_label=b"",
            currency=978,
            price_trailing_digit_and_price_tier=0,
            number_of_price_tiers_and_register_tier=0,
            duration_in_minutes=60,
            price=1,
        ),
    )
    receive(
        meter,
        Messaging.ClientCommandDefs.display_message,
        tsn=0x43,
        **display_message(message_control=0, duration_in_minutes=5, message="m"),
    )
    receive(
        meter,
        Drlc.ClientCommandDefs.load_control_event,
        tsn=0x44,
        **load_control_event(
            8, criticality_level=1, cooling_temperature_set_point=-0x8000
        ),
    )
    await settle(engine)

    saved = json.loads(json.dumps(engine.to_dict()))
    restored = new_engine(clock, scheduler)
    restored.restore(saved)

    assert restored.to_dict() == saved
    assert saved["version"] == store.STORE_VERSION
    assert restored.get_price_events() == engine.get_price_events()
    assert restored.get_drlc_events() == engine.get_drlc_events()
    assert restored.get_message_events() == engine.get_message_events()
    assert restored.get_received_price_events() == engine.get_received_price_events()
    assert restored.get_received_drlc_events() == engine.get_received_drlc_events()
    assert (
        restored.get_received_message_events() == engine.get_received_message_events()
    )


async def test_version_1_dict_restores(
    app: FakeApplication, clock: ManualClock, scheduler: ManualScheduler
) -> None:
    engine = new_engine(clock, scheduler)
    engine.restore(copy.deepcopy(VERSION_1))

    assert [e.issuer_event_id for e in engine.get_price_events()] == [1]
    assert [e.issuer_event_id for e in engine.get_drlc_events()] == [2]
    assert [e.message_id for e in engine.get_message_events()] == [4]
    device = DeviceRef("00:11:22:33:44:55:66:77", 1)
    [report] = engine.get_event_status_reports(2)
    assert (report.device, report.record) == (
        device,
        EventStatusReport(**REPORT),
    )
    [confirmation] = engine.get_message_confirmations(4)
    assert confirmation.record == MessageConfirmation(
        message_id=4, confirmation_time=T0
    )
    assert engine.to_dict() == VERSION_1


async def test_restored_client_events_carry_on(
    app: FakeApplication, clock: ManualClock, scheduler: ManualScheduler
) -> None:
    meter = make_meter(app)
    engine = new_engine(clock, scheduler)
    engine.attach(app)
    await settle(engine)
    engine.restore(copy.deepcopy(VERSION_1))
    clear(app)

    await scheduler.advance(0)
    assert sent(app) == []
    await scheduler.advance(30 * MIN)

    [report] = sent(app)
    assert report.nwk == meter.nwk
    assert report.command.issuer_event_id == 8
    assert report.command.event_status == EventStatus.Event_Completed


async def test_restoring_replaces_the_old_timers(
    engine: GatewayEngine, scheduler: ManualScheduler
) -> None:
    engine.restore(copy.deepcopy(VERSION_1))
    engine.restore(copy.deepcopy(VERSION_1))

    assert scheduler.pending == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "no valid version"),
        ({"version": "1"}, "no valid version"),
        ({"version": 0}, "no valid version"),
        ({"version": 2}, "newer than 1"),
        ({"version": 1}, "damaged"),
        ({**VERSION_1, "server": {**VERSION_1["server"], "prices": [{}]}}, "damaged"),
        (
            {
                **VERSION_1,
                "server": {
                    **VERSION_1["server"],
                    "prices": [
                        {
                            "record": {"issuer_event_id": -1},
                            "created_at": 0,
                            "cut_at": None,
                        }
                    ],
                },
            },
            "damaged",
        ),
    ],
    ids=[
        "no version",
        "text version",
        "version 0",
        "future version",
        "no sections",
        "entry without record",
        "invalid record",
    ],
)
def test_unusable_saves_raise_store_error(data: dict[str, Any], message: str) -> None:
    with pytest.raises(StoreError, match=message):
        store.from_dict(data)


def test_migrate_runs_each_step_up_to_the_current_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(store, "STORE_VERSION", 3)
    monkeypatch.setattr(
        store,
        "MIGRATIONS",
        {
            1: lambda data: {**data, "steps": [1]},
            2: lambda data: {**data, "steps": [*data["steps"], 2]},
        },
    )

    assert store.migrate({"version": 1}) == {"version": 3, "steps": [1, 2]}
    assert store.migrate({"version": 3}) == {"version": 3}


def test_device_ref_of_the_store_uses_text_ieee(app: FakeApplication) -> None:
    meter: zigpy.device.Device = make_meter(app)

    assert DeviceRef.of(meter.endpoints[1].in_clusters[Price.cluster_id]) == DeviceRef(
        str(meter.ieee), 1
    )
