"""The simulated load control device, read with our DRLC cluster definitions."""

from __future__ import annotations

import random

import pytest
import zigpy.types as t
from zigpy.zcl import foundation

from network_simulator.load_control import LoadControlDevice
from network_simulator.se_device import se_time_now
from network_simulator.smart_energy import load_control_device
from se_gateway_core.clusters import drlc, types as se_t

from .helpers import (
    TO_CLIENT,
    Air,
    FakeClock,
    cluster_command,
    decoded,
    general_command,
    on_air,
)

DRLC = drlc.Drlc.cluster_id
GENERAL = foundation.GeneralCommand
EventStatus = se_t.EventStatus
Status = foundation.Status


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def device(clock: FakeClock) -> LoadControlDevice:
    return load_control_device(
        device_class=se_t.DeviceClass.Water_Heater,
        utility_enrollment_group=3,
        time_scale=60.0,
        clock=clock,
    )


@pytest.fixture
def air(device: LoadControlDevice) -> Air:
    return on_air(device)


def event(issuer_event_id: int = 1, **fields) -> drlc.LoadControlEvent:
    values = {
        "issuer_event_id": issuer_event_id,
        "device_class": se_t.DeviceClass.Water_Heater,
        "utility_enrollment_group": 0,
        "start_time": 0,
        "duration_in_minutes": 1,
        "criticality_level": se_t.CriticalityLevel.Level_2,
        "cooling_temperature_offset": 0xFF,
        "heating_temperature_offset": 0xFF,
        "cooling_temperature_set_point": drlc.TEMPERATURE_SET_POINT_NOT_USED,
        "heating_temperature_set_point": drlc.TEMPERATURE_SET_POINT_NOT_USED,
        "average_load_adjustment_percentage": -20,
        "duty_cycle": drlc.DUTY_CYCLE_NOT_USED,
        "event_control": se_t.EventControl(0),
    }
    values.update(fields)
    return drlc.LoadControlEvent(**values)


def gateway(device: LoadControlDevice, command_id: int, payload, **kwargs) -> None:
    device.receive(cluster_command(DRLC, command_id, payload.serialize(), **kwargs))


def reports(air: Air) -> list[drlc.ReportEventStatus]:
    found = []
    for cluster_id, hdr, payload in decoded(air, {DRLC: drlc.Drlc}):
        assert (cluster_id, hdr.command_id) == (DRLC, 0x00)
        assert hdr.direction == foundation.Direction.Client_to_Server
        found.append(payload)
    return found


def statuses(air: Air) -> list[tuple[int, EventStatus]]:
    return [(r.issuer_event_id, r.event_status) for r in reports(air)]


def read_attributes(device: LoadControlDevice, air: Air, *ids: int) -> dict:
    request = foundation.GENERAL_COMMANDS[GENERAL.Read_Attributes].schema(
        attribute_ids=list(ids)
    )
    device.receive(
        general_command(DRLC, GENERAL.Read_Attributes, request, direction=TO_CLIENT)
    )
    [(_cluster, hdr, response)] = decoded(air, {DRLC: drlc.Drlc})
    assert hdr.command_id == GENERAL.Read_Attributes_rsp
    return {r.attrid: r.value.value for r in response.status_records}


def test_attributes_are_readable_and_writable(
    device: LoadControlDevice, air: Air
) -> None:
    assert read_attributes(device, air, 0x0000, 0x0001, 0x0002, 0x0003) == {
        0x0000: 3,
        0x0001: 0,
        0x0002: 0,
        0x0003: se_t.DeviceClass.Water_Heater,
    }
    group = foundation.Attribute(0x0000, foundation.TypeValue(0x20, t.uint8_t(9)))
    device.receive(
        general_command(
            DRLC, GENERAL.Write_Attributes, group.serialize(), direction=TO_CLIENT
        )
    )
    [(_cluster, _hdr, written)] = decoded(air, {DRLC: drlc.Drlc})
    assert written.status_records[0].status == Status.SUCCESS
    assert device.drlc_client.get("utility_enrollment_group") == 9


def test_reports_received_started_and_completed(
    device: LoadControlDevice, clock: FakeClock, air: Air
) -> None:
    gateway(device, 0x00, event(11, cooling_temperature_set_point=2500))
    [received] = reports(air)
    assert received.event_status == EventStatus.Load_Control_Event_Command_Received
    assert received.criticality_level_applied == se_t.CriticalityLevel.Level_2
    assert received.cooling_temperature_set_point_applied == 2500
    assert received.heating_temperature_set_point_applied == 0x8000
    assert received.average_load_adjustment_percentage_applied == -20
    assert received.signature_type == se_t.SignatureType.No_Signature
    assert received.signature == b"\xff" * 42

    device.tick(clock.advance(0.1))
    [started] = reports(air)
    assert started.event_status == EventStatus.Event_Started
    device.tick(clock.advance(0.5))  # 30 s of event time
    assert air.sent == []
    device.tick(clock.advance(0.5))
    [completed] = reports(air)
    assert completed.event_status == EventStatus.Event_Completed
    assert completed.event_status_time >= received.event_status_time + 60
    assert device.events == {}
    assert [status for _id, status in device.status_reports] == [
        EventStatus.Load_Control_Event_Command_Received,
        EventStatus.Event_Started,
        EventStatus.Event_Completed,
    ]


def test_a_later_event_starts_at_its_start_time(
    device: LoadControlDevice, clock: FakeClock, air: Air
) -> None:
    gateway(device, 0x00, event(12, start_time=se_time_now() + 600))
    reports(air)

    device.tick(clock.advance(9))  # 540 s of event time
    assert air.sent == []
    device.tick(clock.advance(1.5))
    assert statuses(air) == [(12, EventStatus.Event_Started)]


@pytest.mark.parametrize(
    ("device_class", "group", "taken"),
    [
        (se_t.DeviceClass.Water_Heater, 0, True),
        (se_t.DeviceClass.Water_Heater | se_t.DeviceClass.Irrigation_Pump, 3, True),
        (se_t.DeviceClass.Irrigation_Pump, 0, False),
        (se_t.DeviceClass.Water_Heater, 4, False),
    ],
)
def test_takes_only_events_for_its_class_and_group(
    device: LoadControlDevice,
    air: Air,
    device_class: int,
    group: int,
    taken: bool,
) -> None:
    gateway(
        device,
        0x00,
        event(13, device_class=device_class, utility_enrollment_group=group),
    )

    assert bool(statuses(air)) == taken
    assert (13 in device.events) == taken


def test_a_duplicate_event_is_ignored(device: LoadControlDevice, air: Air) -> None:
    gateway(device, 0x00, event(14))
    gateway(device, 0x00, event(14))
    assert statuses(air) == [(14, EventStatus.Load_Control_Event_Command_Received)]


def test_an_expired_event_is_rejected(device: LoadControlDevice, air: Air) -> None:
    gateway(device, 0x00, event(15, start_time=se_time_now() - 3600))
    assert statuses(air) == [(15, EventStatus.Rejected_Event_Expired)]
    assert device.events == {}


def test_opt_out(device: LoadControlDevice, clock: FakeClock, air: Air) -> None:
    gateway(device, 0x00, event(16, duration_in_minutes=10))
    device.tick(clock.advance(0.1))
    reports(air)

    device.opt_out(16)

    assert statuses(air) == [(16, EventStatus.User_Opted_Out)]
    device.tick(clock.advance(60))
    assert air.sent == []
    with pytest.raises(KeyError):
        device.opt_out(16)


def cancel(issuer_event_id: int, effective_time: int = 0, control: int = 0):
    return drlc.CancelLoadControlEvent(
        issuer_event_id=issuer_event_id,
        device_class=se_t.DeviceClass.Water_Heater,
        utility_enrollment_group=0,
        cancel_control=se_t.CancelControl(control),
        effective_time=effective_time,
    )


def test_cancel_now_and_unknown(device: LoadControlDevice, air: Air) -> None:
    gateway(device, 0x00, event(17, duration_in_minutes=10))
    reports(air)

    gateway(device, 0x01, cancel(17))
    gateway(device, 0x01, cancel(99))

    assert statuses(air) == [
        (17, EventStatus.Event_Cancelled),
        (99, EventStatus.Rejected_Invalid_Cancel_Undefined_Event),
    ]
    assert device.events == {}


def test_cancel_at_an_effective_time(
    device: LoadControlDevice, clock: FakeClock, air: Air
) -> None:
    gateway(device, 0x00, event(18, duration_in_minutes=60))
    device.tick(clock.advance(0.1))
    reports(air)

    gateway(device, 0x01, cancel(18, effective_time=se_time_now() + 300))
    assert air.sent == []
    device.tick(clock.advance(6))  # 360 s of event time

    assert statuses(air) == [(18, EventStatus.Event_Cancelled)]


def test_cancel_all(device: LoadControlDevice, air: Air) -> None:
    gateway(device, 0x00, event(19, duration_in_minutes=10))
    gateway(device, 0x00, event(20, duration_in_minutes=10))
    reports(air)

    gateway(device, 0x02, drlc.CancelAllLoadControlEvents(cancel_control=0))

    assert statuses(air) == [
        (19, EventStatus.Event_Cancelled),
        (20, EventStatus.Event_Cancelled),
    ]


def test_randomized_start_end_and_graceful_cancel(clock: FakeClock) -> None:
    device = load_control_device(
        start_randomization_minutes=1,
        duration_randomization_minutes=2,
        time_scale=60.0,
        seed=4,
        clock=clock,
    )
    air = on_air(device)
    expected = random.Random(4)
    start_delay = expected.uniform(0, 60)
    end_delay = expected.uniform(0, 120)
    cancel_delay = expected.uniform(0, 120)
    controls = (
        se_t.EventControl.Randomize_Start_Time | se_t.EventControl.Randomize_End_Time
    )

    gateway(device, 0x00, event(21, event_control=controls, duration_in_minutes=10))
    reports(air)
    active = device.events[21]
    assert active.start_utc == pytest.approx(active.received_utc + start_delay)
    assert active.end_utc == pytest.approx(active.start_utc + 600 + end_delay)

    gateway(device, 0x01, cancel(21, control=se_t.CancelControl.Graceful))
    assert active.cancel_utc is not None
    assert active.cancel_utc - active.received_utc == pytest.approx(cancel_delay)
    device.tick(clock.advance(cancel_delay / 60 + 0.01))
    assert (21, EventStatus.Event_Cancelled) in statuses(air)


def test_default_response_when_asked(device: LoadControlDevice, air: Air) -> None:
    gateway(device, 0x00, event(22), disable_default_response=False)

    frames = decoded(air, {DRLC: drlc.Drlc})
    assert [hdr.command_id for _c, hdr, _p in frames] == [
        0x00,
        GENERAL.Default_Response,
    ]
