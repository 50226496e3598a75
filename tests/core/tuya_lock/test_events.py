"""Tests of the HA-free event dispatcher."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import logging

import pytest

from custom_components.se_gateway.core.tuya_lock import events as ev
from custom_components.se_gateway.core.tuya_lock.commands import (
    CommandId,
    DataMessage,
    InternetStatus,
    InternetStatusAck,
    McuOtaBlockRequest,
    McuOtaNotify,
    McuOtaResult,
    McuVersionReport,
    RecordReport,
    SecurityMessage,
    TimeSyncRequest,
    UnknownCommand,
)
from custom_components.se_gateway.core.tuya_lock.datapoints import (
    Datapoint,
    bool_dp,
    enum_dp,
    raw_dp,
    string_dp,
    value_dp,
)
from custom_components.se_gateway.core.tuya_lock.dp_map import (
    DEFAULT_LOCK_DP_MAP,
    DpKind,
    DpRow,
    LockAlarm,
    UnlockMethod,
    number,
    with_rows,
)
from custom_components.se_gateway.core.tuya_lock.enrolment import (
    Credential,
    EnrolmentReport,
)
from custom_components.se_gateway.core.tuya_lock.remote_unlock import KeyAnswer

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
PID = b"abcdefgh"


def report(seq: int, *datapoints: Datapoint) -> DataMessage:
    return DataMessage(CommandId.DATA_REPORT, seq, datapoints)


def record(seq: int, when: datetime | None, *datapoints: Datapoint) -> RecordReport:
    return RecordReport(seq, 1, when, datapoints)


@pytest.fixture
def dispatcher() -> ev.LockEventDispatcher:
    return ev.LockEventDispatcher()


def test_unlock(dispatcher: ev.LockEventDispatcher) -> None:
    events = dispatcher.feed(report(147, value_dp(1, 999)), tsn=1, received_at=NOW)
    assert events == [ev.UnlockEvent(UnlockMethod.FINGERPRINT, 999, NOW, 147)]


def test_retransmission_is_processed_once(dispatcher: ev.LockEventDispatcher) -> None:
    frame = report(147, value_dp(1, 999))
    assert len(dispatcher.feed(frame, tsn=1, received_at=NOW)) == 1
    later = NOW + timedelta(seconds=30)
    assert dispatcher.feed(frame, tsn=1, received_at=later) == []


def test_same_seq_new_tsn_is_a_new_frame(dispatcher: ev.LockEventDispatcher) -> None:
    frame = report(147, value_dp(1, 999))
    dispatcher.feed(frame, tsn=1, received_at=NOW)
    assert len(dispatcher.feed(frame, tsn=2, received_at=NOW)) == 1


def test_same_seq_and_tsn_long_after_is_a_new_frame(
    dispatcher: ev.LockEventDispatcher,
) -> None:
    # After a lock reboot both counters may start again; 5 minutes is far
    # beyond the standard's 3 s of retransmissions.
    frame = report(1, value_dp(1, 3))
    dispatcher.feed(frame, tsn=1, received_at=NOW)
    later = NOW + timedelta(seconds=ev.FRAME_MAX_AGE + 1)
    assert len(dispatcher.feed(frame, tsn=1, received_at=later)) == 1


def test_bool_unlock_dp(dispatcher: ev.LockEventDispatcher) -> None:
    events = dispatcher.feed(
        report(2, bool_dp(36, True), bool_dp(45, False)), tsn=1, received_at=NOW
    )
    assert events == [ev.UnlockEvent(UnlockMethod.INSIDE, 0, NOW, 2)]


def test_unlock_with_wrong_type_is_not_an_unlock(
    dispatcher: ev.LockEventDispatcher,
) -> None:
    events = dispatcher.feed(report(2, string_dp(1, "x")), tsn=1, received_at=NOW)
    assert events == []


def test_door_state_only_on_change(dispatcher: ev.LockEventDispatcher) -> None:
    feeds = [bool_dp(8, True), bool_dp(8, True), bool_dp(8, False)]
    events = [
        event
        for seq, datapoint in enumerate(feeds)
        for event in dispatcher.feed(report(seq, datapoint), tsn=seq, received_at=NOW)
    ]
    assert events == [
        ev.DoorStateChanged(True, NOW, 0),
        ev.DoorStateChanged(False, NOW, 2),
    ]


def test_alarm_battery_doorbell_duress(dispatcher: ev.LockEventDispatcher) -> None:
    events = dispatcher.feed(
        report(
            3,
            enum_dp(9, 8),
            enum_dp(9, 99),
            value_dp(10, 55),
            bool_dp(14, True),
            bool_dp(14, False),
            bool_dp(35, True),
        ),
        tsn=1,
        received_at=NOW,
    )
    assert events == [
        ev.AlarmEvent(LockAlarm.PRY, NOW, 3),
        ev.AlarmEvent(99, NOW, 3),
        ev.BatteryLevel(55, NOW, 3),
        ev.DoorbellPressed(NOW, 3),
        ev.DuressAlarm(NOW, 3),
    ]


def test_remote_unlock_result_and_config(dispatcher: ev.LockEventDispatcher) -> None:
    events = dispatcher.feed(
        report(4, bool_dp(22, True), value_dp(19, 30), bool_dp(71, True)),
        tsn=1,
        received_at=NOW,
    )
    assert events == [
        ev.RemoteUnlockResult(True, NOW, 4),
        ev.ConfigReport("auto_lock_time", 30, NOW, 4),
        ev.ConfigReport("arming_switch", True, NOW, 4),
    ]


def test_states_and_credentials(dispatcher: ev.LockEventDispatcher) -> None:
    # The DP 49 answer of a _TYST12_srptwvak lock, captured on its serial line
    # (EDIT-Aeterna/tuya-zigbee-lock-local, tests/fixtures/target_srptwvak/
    # remote_unlock/dp49_response.json): status 0, key id 1.
    dp49_answer = Datapoint(49, 0, bytes.fromhex("000001"), bytes.fromhex("000001"))
    # DP 54 "started", 9 bytes, as the same project's DP 54 report layout.
    started = raw_dp(54, bytes.fromhex("01 00 01 0001 03e7 00 00"))
    events = dispatcher.feed(
        report(
            5,
            bool_dp(57, True),
            enum_dp(47, 2),
            dp49_answer,
            raw_dp(48, bytes.fromhex("050001")),
            started,
            raw_dp(59, bytes.fromhex("01010280")),
        ),
        tsn=1,
        received_at=NOW,
    )
    assert events == [
        ev.StateReport("lock_motor_state", True, NOW, 5),
        ev.StateReport("closed_opened", 2, NOW, 5),
        ev.RemoteUnlockResult(True, NOW, 5, key_id=1),
        ev.CredentialReport("password_free_key_set", KeyAnswer(5, 1), NOW, 5),
        ev.CredentialReport(
            "unlock_method_add",
            EnrolmentReport(Credential(1, 1, 999, True), 0, 0, 0),
            NOW,
            5,
        ),
        ev.CredentialReport("password_ids", frozenset({0, 15}), NOW, 5),
    ]


def test_remote_unlock_request_row_from_a_product() -> None:
    product = with_rows(
        DEFAULT_LOCK_DP_MAP,
        DpRow(50, "unlock_request", DpKind.REMOTE_UNLOCK_REQUEST, number),
    )
    dispatcher = ev.LockEventDispatcher(product)
    events = dispatcher.feed(report(5, value_dp(50, 60)), tsn=1, received_at=NOW)
    assert events == [ev.RemoteUnlockRequest(60, NOW, 5)]


def test_values_a_row_cannot_read_yield_nothing(
    dispatcher: ev.LockEventDispatcher,
) -> None:
    frame = report(
        6,
        raw_dp(8, b"\x01"),
        raw_dp(9, b"x"),
        raw_dp(10, b"x"),
        raw_dp(22, b""),
        string_dp(22, "ok"),
        raw_dp(49, b"\x00"),
    )
    assert dispatcher.feed(frame, tsn=1, received_at=NOW) == []


def test_commands_are_reported_raw_and_redacted(
    dispatcher: ev.LockEventDispatcher,
) -> None:
    secret = raw_dp(21, b"123456")
    (event,) = dispatcher.feed(report(7, secret), tsn=1, received_at=NOW)
    assert event == ev.DatapointReport(secret, "remote_unlock_password", NOW, 7)
    assert "123456" not in repr(event)


def test_unknown_dp_is_reported_raw_and_warned_once(
    dispatcher: ev.LockEventDispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    unknown = value_dp(200, 5)
    with caplog.at_level(logging.WARNING):
        first = dispatcher.feed(report(8, unknown), tsn=1, received_at=NOW)
        dispatcher.feed(report(9, unknown), tsn=2, received_at=NOW)
    assert first == [ev.DatapointReport(unknown, None, NOW, 8)]
    assert sum("Unknown lock DP 200" in r.getMessage() for r in caplog.records) == 1


# -- 0x23 records --------------------------------------------------------------


def test_record_keeps_its_timestamp(dispatcher: ev.LockEventDispatcher) -> None:
    when = NOW - timedelta(hours=5)
    events = dispatcher.feed(record(10, when, value_dp(5, 12)), tsn=1, received_at=NOW)
    assert events == [ev.UnlockEvent(UnlockMethod.CARD, 12, when, 10)]


def test_record_without_time_uses_arrival(dispatcher: ev.LockEventDispatcher) -> None:
    events = dispatcher.feed(record(10, None, value_dp(5, 12)), tsn=1, received_at=NOW)
    assert events == [ev.UnlockEvent(UnlockMethod.CARD, 12, NOW, 10)]


def test_offline_replay_keeps_order_and_timestamps(
    dispatcher: ev.LockEventDispatcher,
) -> None:
    base = NOW - timedelta(hours=3)
    stored = [
        record(20, base, value_dp(1, 1)),
        record(21, base + timedelta(minutes=1), bool_dp(8, True)),
        record(22, base + timedelta(minutes=2), value_dp(2, 2)),
        record(23, base + timedelta(minutes=3), bool_dp(8, False)),
    ]
    events = [
        event
        for tsn, frame in enumerate(stored)
        for event in dispatcher.feed(frame, tsn=tsn, received_at=NOW)
    ]
    assert [(type(e).__name__, e.timestamp, e.source_seq) for e in events] == [
        ("UnlockEvent", base, 20),
        ("DoorStateChanged", base + timedelta(minutes=1), 21),
        ("UnlockEvent", base + timedelta(minutes=2), 22),
        ("DoorStateChanged", base + timedelta(minutes=3), 23),
    ]


def test_replayed_record_yields_nothing_however_late(
    dispatcher: ev.LockEventDispatcher,
) -> None:
    when = NOW - timedelta(hours=1)
    dispatcher.feed(record(30, when, value_dp(1, 4)), tsn=1, received_at=NOW)
    # Sent again after a rejoin: new tsn, hours later.
    again = dispatcher.feed(
        record(30, when, value_dp(1, 4)), tsn=77, received_at=NOW + timedelta(hours=2)
    )
    assert again == []


def test_two_unlocks_in_one_second_are_two_events(
    dispatcher: ev.LockEventDispatcher,
) -> None:
    # The same finger twice within one second: the same time and datapoints,
    # but each record has its own seq and tsn.
    first = record(50, NOW, value_dp(1, 4))
    second = record(51, NOW, value_dp(1, 4))
    events = [
        *dispatcher.feed(first, tsn=1, received_at=NOW),
        *dispatcher.feed(second, tsn=2, received_at=NOW + timedelta(seconds=0.3)),
    ]
    assert events == [
        ev.UnlockEvent(UnlockMethod.FINGERPRINT, 4, NOW, 50),
        ev.UnlockEvent(UnlockMethod.FINGERPRINT, 4, NOW, 51),
    ]


def test_copies_of_two_unlocks_in_one_second_never_fire_again(
    dispatcher: ev.LockEventDispatcher,
) -> None:
    first = record(50, NOW, value_dp(1, 4))
    second = record(51, NOW, value_dp(1, 4))
    later = NOW + timedelta(seconds=1)
    copies = [
        (first, 1, NOW),
        (second, 2, NOW),
        (first, 1, later),  # retransmitted: same seq, same tsn
        (second, 2, later),
        (second, 9, later + timedelta(hours=1)),  # replayed after a rejoin
        (record(60, NOW, value_dp(1, 4)), 2, later),  # renumbered, same tsn
    ]
    events = [
        event
        for frame, tsn, at in copies
        for event in dispatcher.feed(frame, tsn=tsn, received_at=at)
    ]
    assert [event.source_seq for event in events] == [50, 51]


def test_old_record_does_not_roll_state_back(
    dispatcher: ev.LockEventDispatcher,
) -> None:
    dispatcher.feed(
        report(40, bool_dp(8, False), value_dp(10, 60)), tsn=1, received_at=NOW
    )
    old = record(41, NOW - timedelta(hours=1), bool_dp(8, True), value_dp(10, 90))
    assert dispatcher.feed(old, tsn=2, received_at=NOW) == []
    assert dispatcher.feed(
        record(42, NOW - timedelta(hours=1), value_dp(19, 10)), tsn=3, received_at=NOW
    ) == [ev.ConfigReport("auto_lock_time", 10, NOW - timedelta(hours=1), 42)]
    assert (
        dispatcher.feed(
            record(43, NOW - timedelta(hours=2), value_dp(19, 20)),
            tsn=4,
            received_at=NOW,
        )
        == []
    )


def test_old_record_still_reports_happenings(
    dispatcher: ev.LockEventDispatcher,
) -> None:
    dispatcher.feed(report(50, bool_dp(8, False)), tsn=1, received_at=NOW)
    old = NOW - timedelta(hours=1)
    events = dispatcher.feed(record(51, old, enum_dp(9, 8)), tsn=2, received_at=NOW)
    assert events == [ev.AlarmEvent(LockAlarm.PRY, old, 51)]


# -- other commands --------------------------------------------------------------


def test_other_commands(dispatcher: ev.LockEventDispatcher) -> None:
    key = SecurityMessage(CommandId.DYNAMIC_PASSWORD_KEY, 5, b"secret")
    feeds = [
        McuVersionReport(1, 0x98),
        TimeSyncRequest(b"\x00\x93"),
        TimeSyncRequest(b""),
        InternetStatus(3),
        InternetStatusAck(4),
        McuOtaBlockRequest(6, PID, 1, 128, 64),
        McuOtaResult(7, 0, PID, 1),
        key,
        UnknownCommand(0x06, b""),
        McuOtaNotify(8, PID, 1, 2, 3),
    ]
    events = [
        event
        for tsn, command in enumerate(feeds)
        for event in dispatcher.feed(command, tsn=tsn, received_at=NOW)
    ]
    assert events == [
        ev.VersionReport("2.1.8", 0x98, 1),
        ev.TimeSyncRequested(147, NOW),
        ev.TimeSyncRequested(None, NOW),
        ev.InternetStatusRequested(3, NOW),
        ev.InternetStatusAcknowledged(4, NOW),
        ev.McuOtaBlockRequested(128, 64, 6),
        ev.McuOtaFinished(0, 7),
        ev.SecurityMessageReceived(CommandId.DYNAMIC_PASSWORD_KEY, 5, b"secret"),
    ]
    assert "secret" not in repr(events[-1])


def test_other_commands_are_deduplicated(dispatcher: ev.LockEventDispatcher) -> None:
    assert dispatcher.feed(TimeSyncRequest(b"\x00\x01"), tsn=9, received_at=NOW)
    assert not dispatcher.feed(TimeSyncRequest(b"\x00\x01"), tsn=9, received_at=NOW)
    assert dispatcher.feed(McuVersionReport(1, 0x40), tsn=9, received_at=NOW)
    assert not dispatcher.feed(McuVersionReport(1, 0x40), tsn=9, received_at=NOW)


def test_event_types_are_distinct() -> None:
    classes = [
        ev.UnlockEvent,
        ev.DoorStateChanged,
        ev.AlarmEvent,
        ev.BatteryLevel,
        ev.DoorbellPressed,
        ev.DuressAlarm,
        ev.RemoteUnlockRequest,
        ev.RemoteUnlockResult,
        ev.ConfigReport,
        ev.StateReport,
        ev.CredentialReport,
        ev.DatapointReport,
        ev.VersionReport,
        ev.TimeSyncRequested,
        ev.InternetStatusRequested,
        ev.InternetStatusAcknowledged,
        ev.McuOtaBlockRequested,
        ev.McuOtaFinished,
        ev.SecurityMessageReceived,
    ]
    names = [cls.event_type for cls in classes]
    assert len(set(names)) == len(names)
    assert all(name.startswith("tuya_lock_") for name in names)
