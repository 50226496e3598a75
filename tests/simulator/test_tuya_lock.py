"""The simulated Tuya lock over the air, read with the gateway's own decoders.

The lock's codec and the gateway's (se_gateway_core.tuya_lock) were written
apart; each test here checks one against the other.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
import itertools

import pytest
from zigpy.zcl import foundation
import zigpy.zdo.types as zdo_t

from network_simulator.tuya_lock import (
    REMOTE_UNLOCK_REQUEST_DP,
    TUYA_CLUSTER_ID,
    TuyaLock,
    tuya_lock,
)
from se_gateway_core.tuya_lock import commands, datapoints, events as ev
from se_gateway_core.tuya_lock.dp_map import LockAlarm, UnlockMethod
from se_gateway_core.tuya_lock.products import product_for
from se_gateway_core.tuya_lock.record_time import TimeSource
from se_gateway_core.tuya_lock.remote_unlock import password_datapoint

from .helpers import (
    TO_SERVER,
    Air,
    FakeClock,
    cluster_command,
    default_response,
    general_command,
    general_payload,
    on_air,
)

CommandId = commands.CommandId
Status = foundation.Status
T0 = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)

Sent = tuple[foundation.ZCLHeader, commands.Command]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def lock(clock: FakeClock) -> TuyaLock:
    return tuya_lock(clock=clock, startup_delay_s=1.0, with_settings=False)


@pytest.fixture
def air(lock: TuyaLock) -> Air:
    return on_air(lock)


def sent(air: Air) -> list[Sent]:
    """Return what the lock sent, decoded as the gateway's quirk decodes it."""
    frames = []
    for cluster_id, hdr, payload in air.zcl():
        assert cluster_id == TUYA_CLUSTER_ID
        if hdr.frame_control.is_general:
            frames.append((hdr, general_payload(hdr, payload)))
        else:
            frames.append((hdr, commands.decode_from_device(hdr.command_id, payload)))
    return frames


def start(lock: TuyaLock, clock: FakeClock, air: Air) -> list[Sent]:
    """Let the start-up delay pass; return what the lock sent then."""
    lock.tick(clock.advance(1.0))
    return sent(air)


def gateway(lock: TuyaLock, command_id: int, payload: bytes, **kwargs) -> None:
    """Deliver a command from the gateway to the lock."""
    lock.receive(
        cluster_command(
            TUYA_CLUSTER_ID, command_id, payload, direction=TO_SERVER, **kwargs
        )
    )


def ack(lock: TuyaLock, hdr: foundation.ZCLHeader) -> None:
    """Acknowledge a report with the gateway's Default Response."""
    lock.receive(default_response(TUYA_CLUSTER_ID, hdr.tsn, hdr.command_id))


def events(frames: list[Sent], manufacturer: str = "_TYST12_simlock1") -> list:
    """Feed decoded frames to the gateway's dispatcher for the lock's product."""
    dispatcher = ev.LockEventDispatcher(product_for(manufacturer).dp_map)
    found: list[ev.LockEvent] = []
    for hdr, command in frames:
        found += dispatcher.feed(command, tsn=hdr.tsn, received_at=T0)
    return found


def drain(lock: TuyaLock, air: Air) -> list[Sent]:
    """Acknowledge every report until nothing more comes; return all frames."""
    frames: list[Sent] = []
    while batch := sent(air):
        frames += batch
        for hdr, _command in batch:
            if not hdr.frame_control.disable_default_response:
                ack(lock, hdr)
    return frames


def time_reply(request: commands.TimeSyncRequest, now: datetime = T0) -> bytes:
    return commands.encode_time_sync_reply(request, now)


def test_identity_is_a_field_lock(lock: TuyaLock) -> None:
    endpoint = lock.endpoints[1]
    assert (endpoint.profile_id, endpoint.device_type) == (0x0104, 0x0051)
    assert sorted(endpoint.in_clusters) == [0x0000, 0x0004, 0x0005, 0x000A, 0xEF00]
    assert list(endpoint.out_clusters) == [0x0019]
    assert (lock.model, lock.manufacturer) == ("TY0A01", "_TYST12_simlock1")
    node = lock.node_descriptor()
    assert node.logical_type == zdo_t.LogicalType.EndDevice
    assert not node.is_mains_powered
    assert node.manufacturer_code == 0x1002
    assert lock.cluster(0x0000).get("power_source") == 3  # battery


def test_power_up_asks_the_time_then_reports_the_settings(clock: FakeClock) -> None:
    lock = tuya_lock(clock=clock, startup_delay_s=1.0)
    air = on_air(lock)
    time_request, settings = start(lock, clock, air)
    assert isinstance(time_request[1], commands.TimeSyncRequest)
    assert time_request[0].frame_control.disable_default_response
    assert isinstance(settings[1], commands.DataMessage)
    assert not settings[0].frame_control.disable_default_response
    assert [dp.dpid for dp in settings[1].datapoints] == [12, 19, 31]
    # The module asked the MCU who it is, its version, and told it the network.
    assert lock.module.state.product is not None
    assert lock.module.state.product.pid == "simlock1"
    assert lock.module.state.mcu_version == 0x41


def test_the_time_reaches_the_mcu(lock: TuyaLock, clock: FakeClock, air: Air) -> None:
    lock.tick(clock.advance(0.5))
    assert air.sent == []
    [(_hdr, request)] = start(lock, clock, air)
    assert isinstance(request, commands.TimeSyncRequest)
    assert not lock.time_synced

    now = datetime(2026, 6, 1, 12, tzinfo=timezone(timedelta(hours=2)))
    gateway(lock, CommandId.TIME_SYNC, time_reply(request, now))

    assert lock.time_synced
    assert lock.time_syncs[0].gmt == int(now.timestamp())
    assert lock.time_syncs[0].local == int(now.timestamp()) + 7200
    assert lock.mcu.gmt_now() == int(now.timestamp())
    assert air.sent == []  # no Default Response: none was asked for


def test_a_reply_that_does_not_echo_the_request_is_refused(
    lock: TuyaLock, clock: FakeClock, air: Air
) -> None:
    start(lock, clock, air)
    fixed = commands.TimeSyncRequest(commands.DEFAULT_TIME_SYNC_HEADER)
    gateway(lock, CommandId.TIME_SYNC, time_reply(fixed))

    assert lock.rejected_time_syncs
    assert not lock.time_synced
    assert not lock.mcu.time_set

    lock.tick(clock.advance(120))  # the heartbeat asks again
    kinds = [type(command) for _hdr, command in sent(air)]
    assert kinds == [commands.McuVersionReport, commands.TimeSyncRequest]


def test_heartbeat_every_interval_while_on_the_air(
    lock: TuyaLock, clock: FakeClock, air: Air
) -> None:
    [(_hdr, request)] = start(lock, clock, air)
    gateway(lock, CommandId.TIME_SYNC, time_reply(request))

    lock.tick(clock.advance(119))
    assert sent(air) == []
    lock.tick(clock.advance(1))
    [(hdr, heartbeat)] = sent(air)
    assert isinstance(heartbeat, commands.McuVersionReport)
    assert heartbeat.version == "1.0.1"
    assert hdr.frame_control.disable_default_response

    lock.online = False
    lock.tick(clock.advance(600))
    assert air.sent == []


def test_answers_the_version_query_from_the_mcu(lock: TuyaLock, air: Air) -> None:
    lock.mcu_version = 0b10_01_0011
    gateway(
        lock,
        CommandId.MCU_VERSION_QUERY,
        commands.encode_mcu_version_query(0x0102),
        tsn=9,
    )
    [(hdr, report)] = sent(air)
    assert isinstance(report, commands.McuVersionReport)
    assert (hdr.tsn, report.seq, report.version) == (9, 0x0102, "2.1.3")


def test_acknowledges_the_internet_status(lock: TuyaLock, air: Air) -> None:
    gateway(lock, CommandId.INTERNET_STATUS, commands.encode_internet_status(7))

    [(hdr, answer)] = sent(air)
    assert hdr.command_id == CommandId.INTERNET_STATUS_ACK
    assert answer == commands.InternetStatusAck(7)
    assert lock.internet_statuses == [commands.INTERNET_CONNECTED]


@pytest.mark.parametrize(
    ("command_id", "payload", "status"),
    [
        (CommandId.SESSION_KEY_RESPONSE, b"\x00\x01", Status.UNSUP_CLUSTER_COMMAND),
        (CommandId.MCU_OTA_NOTIFY, b"\x00\x01", Status.MALFORMED_COMMAND),
        (CommandId.DATA_REQUEST, b"\x00", Status.MALFORMED_COMMAND),
        (CommandId.DATA_REQUEST, b"\x00\x01\x15\x00\x00\x09", Status.MALFORMED_COMMAND),
        (CommandId.TIME_SYNC, bytes(10), Status.SUCCESS),
    ],
)
def test_default_responses_when_asked(
    lock: TuyaLock, air: Air, command_id: int, payload: bytes, status: Status
) -> None:
    gateway(lock, command_id, payload, disable_default_response=False)

    [(hdr, response)] = sent(air)
    assert hdr.command_id == foundation.GeneralCommand.Default_Response
    assert (response.command_id, response.status) == (command_id, status)


@pytest.mark.parametrize(
    ("method", "dpid"),
    [
        ("fingerprint", 1),
        ("password", 2),
        ("temporary_password", 3),
        ("dynamic_password", 4),
        ("card", 5),
        ("face", 6),
        ("mechanical_key", 7),
        ("app", 41),
        ("voice", 62),
    ],
)
def test_unlock_is_a_record_stamped_by_the_mcu(
    lock: TuyaLock, clock: FakeClock, air: Air, method: str, dpid: int
) -> None:
    start(lock, clock, air)

    lock.unlock(method, 3, at=T0)

    [(hdr, record)] = sent(air)
    assert isinstance(record, commands.RecordReport)
    assert not hdr.frame_control.disable_default_response
    assert (record.time_flag, record.timestamp) == (TimeSource.MCU, T0)
    assert [(dp.dpid, dp.value) for dp in record.datapoints] == [(dpid, 3)]
    [event] = events([(hdr, record)])
    assert event == ev.UnlockEvent(UnlockMethod(method), 3, T0, record.seq)
    assert not lock.locked


def test_unlock_by_a_method_without_a_dp_is_refused(lock: TuyaLock) -> None:
    with pytest.raises(KeyError):
        lock.unlock("inside", 1)


def test_records_carry_the_mcu_clock(
    lock: TuyaLock, clock: FakeClock, air: Air
) -> None:
    [(_hdr, request)] = start(lock, clock, air)
    gateway(lock, CommandId.TIME_SYNC, time_reply(request, T0))
    lock.tick(clock.advance(90))
    lock.unlock("card", 1)
    [(_hdr, record)] = sent(air)
    assert isinstance(record, commands.RecordReport)
    assert record.timestamp == T0 + timedelta(seconds=90)


def test_door_alarm_battery_doorbell_and_remote_request(
    lock: TuyaLock, clock: FakeClock, air: Air
) -> None:
    start(lock, clock, air)
    lock.door(True, at=T0)
    lock.alarm(LockAlarm.PRY)
    lock.battery(20)
    lock.doorbell()
    lock.remote_unlock_request(30)

    frames = drain(lock, air)

    kinds = [hdr.command_id for hdr, _command in frames]
    assert kinds == [CommandId.RECORD_REPORT] + [CommandId.DATA_REPORT] * 4
    assert all(not hdr.frame_control.disable_default_response for hdr, _ in frames)
    found = events(frames)
    assert [type(event) for event in found] == [
        ev.DoorStateChanged,
        ev.AlarmEvent,
        ev.BatteryLevel,
        ev.DoorbellPressed,
        ev.RemoteUnlockRequest,
    ]
    door, alarm, battery, _bell, request = found
    assert (door.is_open, door.timestamp) == (True, T0)
    assert alarm.alarm == LockAlarm.PRY
    assert battery.percent == 20
    assert request.countdown_s == 30
    assert (lock.door_open, lock.battery_percent) == (True, 20)
    assert len(lock.outbox.delivered) == 5
    assert REMOTE_UNLOCK_REQUEST_DP == 50


def test_only_default_responses_acknowledge(
    lock: TuyaLock, clock: FakeClock, air: Air
) -> None:
    start(lock, clock, air)
    lock.unlock("card", 1)
    [(hdr, _record)] = sent(air)

    lock.receive(
        general_command(
            TUYA_CLUSTER_ID,
            foundation.GeneralCommand.Write_Attributes_rsp,
            b"\x00",
            tsn=hdr.tsn,
        )
    )

    assert lock.outbox.in_flight is not None


def test_one_report_in_flight_until_acknowledged(
    lock: TuyaLock, clock: FakeClock, air: Air
) -> None:
    start(lock, clock, air)
    lock.unlock("card", 1)
    lock.unlock("card", 2)

    [(first, _)] = sent(air)
    lock.receive(default_response(TUYA_CLUSTER_ID, (first.tsn + 1) & 0xFF, 0x23))
    lock.receive(default_response(TUYA_CLUSTER_ID, first.tsn, CommandId.DATA_REPORT))
    assert sent(air) == []  # neither answers the report in flight

    ack(lock, first)
    [(second, record)] = sent(air)
    assert second.tsn != first.tsn
    assert isinstance(record, commands.RecordReport)
    assert record.datapoints[0].value == 2


def test_unacknowledged_report_is_sent_again_unchanged_then_given_up(
    lock: TuyaLock, clock: FakeClock, air: Air
) -> None:
    start(lock, clock, air)
    lock.unlock("fingerprint", 9)
    lock.battery(80)
    [original] = air.take()

    lock.tick(clock.advance(0.4))
    assert air.sent == []
    times = []
    for _ in range(3):
        lock.tick(clock.advance(0.5))
        [again] = air.take()
        assert again == original  # same ZCL tsn, same Tuya seq, same bytes
        times.append(clock.now)
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.25
    assert times[-1] - times[0] < 3.0

    lock.tick(clock.advance(0.5))
    assert len(lock.outbox.undelivered) == 1
    [(_hdr, next_report)] = sent(air)  # the battery report goes out next
    assert isinstance(next_report, commands.DataMessage)


def test_a_retransmission_is_one_event_for_the_gateway(
    lock: TuyaLock, clock: FakeClock, air: Air
) -> None:
    start(lock, clock, air)
    lock.unlock("card", 4)
    first = sent(air)
    lock.tick(clock.advance(0.5))
    again = sent(air)

    assert first == again
    found = events(first + again)
    assert len([event for event in found if isinstance(event, ev.UnlockEvent)]) == 1


def test_offline_records_are_replayed_in_order_after_rejoining(
    lock: TuyaLock, clock: FakeClock, air: Air
) -> None:
    start(lock, clock, air)
    lock.online = False
    lock.unlock("card", 7, at=T0)
    lock.door(True, at=T0 + timedelta(minutes=1))
    lock.doorbell()  # a data report: refused off the air, then lost
    lock.unlock("face", 8, at=T0 + timedelta(minutes=2))
    assert air.sent == []
    assert len(lock.dropped) == 1

    lock.online = True
    lock.announce()
    air.take()  # the device announce
    assert sent(air) == []  # waits for the start-up delay
    startup = start(lock, clock, air)
    assert isinstance(startup[0][1], commands.TimeSyncRequest)
    frames = startup[1:]
    while frames and len(frames) < 3:
        ack(lock, frames[-1][0])
        frames += sent(air)

    records = [command for _hdr, command in frames]
    assert all(isinstance(record, commands.RecordReport) for record in records)
    found = events(frames)
    assert [(type(event), event.timestamp) for event in found] == [
        (ev.UnlockEvent, T0),
        (ev.DoorStateChanged, T0 + timedelta(minutes=1)),
        (ev.UnlockEvent, T0 + timedelta(minutes=2)),
    ]


def test_reports_wait_for_the_start(lock: TuyaLock, clock: FakeClock, air: Air) -> None:
    lock.battery(50)
    assert air.sent == []
    kinds = [type(command) for _hdr, command in start(lock, clock, air)]
    assert kinds == [commands.TimeSyncRequest, commands.DataMessage]


def test_settings_are_applied_and_echoed(clock: FakeClock) -> None:
    lock = tuya_lock(clock=clock)
    air = on_air(lock)
    auto_lock = datapoints.value_dp(19, 30)
    gateway(lock, CommandId.DATA_REQUEST, commands.encode_data_message(5, [auto_lock]))

    [(_hdr, response)] = sent(air)
    assert isinstance(response, commands.DataMessage)
    assert response.command_id == CommandId.DATA_RESPONSE
    assert response.datapoints == (auto_lock,)
    assert lock.settings[19].number == 30
    assert lock.auto_lock_s == 30


def test_a_lock_without_a_setting_ignores_it(lock: TuyaLock, air: Air) -> None:
    auto_lock = datapoints.value_dp(19, 30)
    gateway(lock, CommandId.DATA_REQUEST, commands.encode_data_message(5, [auto_lock]))
    assert sent(air) == []


def test_locks_again_by_itself_and_when_told(lock: TuyaLock, clock: FakeClock) -> None:
    lock.unlock("card", 1)
    lock.tick(clock.advance(4.9))
    assert not lock.locked
    lock.tick(clock.advance(0.1))
    assert lock.locked

    lock.unlock("card", 1)
    lock.lock()
    assert lock.locked


def test_status_line(lock: TuyaLock, clock: FakeClock, air: Air) -> None:
    start(lock, clock, air)
    lock.unlock("card", 1)
    assert lock.status() == (
        "locked=False door_open=False battery=100 time_synced=False"
        " queued=0 in_flight=True delivered=0 undelivered=0"
    )


def test_ticks_before_joining_do_nothing(clock: FakeClock) -> None:
    lock = tuya_lock(clock=clock, with_settings=False)
    lock.tick(clock.advance(10))
    lock.report_due_attributes(clock.now)
    assert not lock.joined


# -- remote unlock, DP 21 -----------------------------------------------------------


def remote_unlock(lock: TuyaLock, password: str) -> None:
    request = commands.encode_data_message(0x0042, [password_datapoint(password)])
    gateway(lock, CommandId.DATA_REQUEST, request, tsn=0x50)


def test_remote_unlock_with_the_right_password(
    lock: TuyaLock, clock: FakeClock, air: Air
) -> None:
    start(lock, clock, air)

    remote_unlock(lock, "123456")

    (hdr, response), (record_hdr, record) = sent(air)
    assert hdr.command_id == CommandId.DATA_RESPONSE
    assert (hdr.tsn, hdr.frame_control.disable_default_response) == (0x50, True)
    assert isinstance(response, commands.DataMessage)
    assert response.seq == 0x0042
    assert isinstance(record, commands.RecordReport)
    found = events([(hdr, response), (record_hdr, record)])
    assert [type(event) for event in found] == [ev.RemoteUnlockResult, ev.UnlockEvent]
    result, unlock = found
    assert result.success
    assert unlock.method == UnlockMethod.APP
    assert not lock.locked
    assert lock.remote_unlocks == [True]


@pytest.mark.parametrize("configured", ["654321", None])
def test_remote_unlock_with_a_wrong_or_no_password(
    clock: FakeClock, configured: str | None
) -> None:
    lock = tuya_lock(
        clock=clock,
        startup_delay_s=0.0,
        remote_password=configured,
        with_settings=False,
    )
    air = on_air(lock)
    start(lock, clock, air)

    remote_unlock(lock, "123456")

    [frame] = sent(air)
    [result] = events([frame])
    assert isinstance(result, ev.RemoteUnlockResult)
    assert not result.success
    assert lock.locked
    assert lock.remote_unlocks == [False]
