"""The cluster on a real zigpy device with the quirk; only the radio is mocked."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone
import logging
from typing import Any

import pytest
from zigpy.zcl import foundation

from custom_components.se_gateway.core.tuya_lock import (
    cluster as cluster_module,
    events as ev,
)
from custom_components.se_gateway.core.tuya_lock.cluster import LOCK_EVENT
from custom_components.se_gateway.core.tuya_lock.commands import CommandId
from custom_components.se_gateway.core.tuya_lock.datapoints import (
    bool_dp,
    value_dp,
)
from custom_components.se_gateway.core.tuya_lock.dp_map import UnlockMethod
from custom_components.se_gateway.core.tuya_lock.mcu_ota import (
    McuOtaImage,
    McuOtaOutcome,
)

from .conftest import (
    FC_NO_ACK,
    FC_WANTS_ACK,
    LockHarness,
    make_app,
    make_device,
    packet,
    settle,
)
from .frames import record

CEST = timezone(timedelta(hours=2))
FIXED_NOW = datetime(2026, 6, 1, 12, 0, tzinfo=CEST)
UNLOCK_FINGERPRINT_999 = bytes.fromhex("0093 0102 0004 000003e7")
PID = b"abcdefgh"

# Frame control of our frames: cluster-specific, to the server, no default response.
FC_OURS = 0x11
# Frame control of our default responses: general, to the server, no default response.
FC_DEFAULT_RSP = 0x10


def default_rsp(tsn: int, command_id: int, status: foundation.Status) -> bytes:
    return bytes((FC_DEFAULT_RSP, tsn, 0x0B, command_id, status))


def cluster_frames(sent: list[bytes], command_id: int) -> list[bytes]:
    """Payloads of the cluster-specific frames we sent with `command_id`."""
    return [f[3:] for f in sent if f[0] == FC_OURS and f[2] == command_id]


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster_module, "local_now", lambda: FIXED_NOW)


# -- default responses -----------------------------------------------------------


async def test_default_response_when_the_lock_asks(lock: LockHarness) -> None:
    lock.receive(0x02, UNLOCK_FINGERPRINT_999, tsn=0x42, frame_control=FC_WANTS_ACK)
    await settle()
    assert lock.sent() == [default_rsp(0x42, 0x02, foundation.Status.SUCCESS)]


async def test_no_default_response_when_disabled(lock: LockHarness) -> None:
    lock.receive(0x02, UNLOCK_FINGERPRINT_999, frame_control=FC_NO_ACK)
    await settle()
    assert lock.sent() == []
    assert len(lock.events_of(ev.UnlockEvent)) == 1


async def test_malformed_frame_is_dropped_logged_once_and_nacked(
    lock: LockHarness, caplog: pytest.LogCaptureFixture
) -> None:
    truncated = bytes.fromhex("0093 0102 0004 0000")
    with caplog.at_level(logging.WARNING):
        lock.receive(0x02, truncated, tsn=1, frame_control=FC_WANTS_ACK)
        lock.receive(0x02, truncated, tsn=2, frame_control=FC_WANTS_ACK)
        lock.receive(0x01, truncated, tsn=3, frame_control=FC_NO_ACK)
    await settle()
    assert lock.events == []
    assert lock.sent() == [
        default_rsp(1, 0x02, foundation.Status.MALFORMED_COMMAND),
        default_rsp(2, 0x02, foundation.Status.MALFORMED_COMMAND),
    ]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2  # once for 0x02, once for 0x01
    assert "0093 010200040000" in warnings[0].getMessage()


async def test_unsupported_command(lock: LockHarness) -> None:
    lock.receive(0x06, bytes.fromhex("0001"), tsn=5, frame_control=FC_WANTS_ACK)
    await settle()
    assert lock.sent() == [
        default_rsp(5, 0x06, foundation.Status.UNSUP_CLUSTER_COMMAND)
    ]
    assert lock.events == []


async def test_general_commands_are_left_to_zigpy(lock: LockHarness) -> None:
    # The lock's default response to one of our frames.
    lock.device.packet_received(packet(bytes.fromhex("18 07 0b 00 00")))
    await settle()
    assert lock.events == []
    assert lock.sent() == []


# -- time sync and internet status -----------------------------------------------


@pytest.mark.parametrize(
    ("request_payload", "header"),
    [("0093", "0093"), ("", "0008"), ("0008", "0008"), ("0800", "0800")],
)
async def test_time_sync_reply_echoes_the_request_sequence(
    lock: LockHarness, request_payload: str, header: str
) -> None:
    lock.receive(
        0x24, bytes.fromhex(request_payload), tsn=9, frame_control=FC_WANTS_ACK
    )
    await settle()
    utc = int(FIXED_NOW.timestamp())
    expected = (
        bytes.fromhex(header) + utc.to_bytes(4, "big") + (utc + 7200).to_bytes(4, "big")
    )
    sent = lock.sent()
    assert sent[0] == default_rsp(9, 0x24, foundation.Status.SUCCESS)
    assert cluster_frames(sent, 0x24) == [expected]
    assert lock.events_of(ev.TimeSyncRequested)[0].seq == (
        int(header, 16) if request_payload else None
    )


async def test_time_sync_retransmission_is_answered_again_but_reported_once(
    lock: LockHarness,
) -> None:
    lock.receive(0x24, bytes.fromhex("0093"), tsn=9)
    lock.receive_again(0x24, bytes.fromhex("0093"), tsn=9)
    await settle()
    assert len(cluster_frames(lock.sent(), 0x24)) == 2
    assert len(lock.events_of(ev.TimeSyncRequested)) == 1


async def test_internet_status_reply(lock: LockHarness) -> None:
    lock.receive(0x25, bytes.fromhex("0093"), tsn=3, frame_control=FC_WANTS_ACK)
    await settle()
    sent = lock.sent()
    assert sent[0] == default_rsp(3, 0x25, foundation.Status.SUCCESS)
    assert cluster_frames(sent, 0x25) == [bytes.fromhex("0093 01")]
    assert lock.events_of(ev.InternetStatusRequested) == [
        ev.InternetStatusRequested(147, lock.events[0].timestamp)
    ]


async def test_internet_status_ack(lock: LockHarness) -> None:
    lock.receive(0x26, bytes.fromhex("0007"))
    await settle()
    assert [e.seq for e in lock.events_of(ev.InternetStatusAcknowledged)] == [7]
    assert lock.sent() == []


# -- duplicates and replays ------------------------------------------------------


async def test_retransmitted_unlock_yields_one_event(lock: LockHarness) -> None:
    lock.receive(0x02, UNLOCK_FINGERPRINT_999, tsn=0x42, frame_control=FC_WANTS_ACK)
    lock.receive(0x02, UNLOCK_FINGERPRINT_999, tsn=0x42, frame_control=FC_WANTS_ACK)
    lock.receive_again(
        0x02, UNLOCK_FINGERPRINT_999, tsn=0x42, frame_control=FC_WANTS_ACK
    )
    await settle()
    (unlock,) = lock.events_of(ev.UnlockEvent)
    assert (unlock.method, unlock.user_id, unlock.source_seq) == (
        UnlockMethod.FINGERPRINT,
        999,
        147,
    )
    # Every copy is acknowledged, also the one zigpy's duplicate filter drops.
    acks = [f for f in lock.sent() if f[0] == FC_DEFAULT_RSP]
    assert len(acks) == 3


async def test_offline_records_replayed_after_rejoin(lock: LockHarness) -> None:
    base = datetime(2026, 11, 21, 22, 0, tzinfo=UTC)
    records = [
        record(100, base, [value_dp(1, 1)]),
        record(101, base + timedelta(minutes=5), [bool_dp(8, True)]),
        record(102, base + timedelta(minutes=6), [value_dp(5, 2)]),
    ]
    for tsn, payload in enumerate(records):
        lock.receive(0x23, payload, tsn=tsn, frame_control=FC_WANTS_ACK)
    # The module resends the first record (our ack was lost), with a new tsn.
    lock.receive_again(0x23, records[0], tsn=50, frame_control=FC_WANTS_ACK)
    await settle()
    assert [(type(e).__name__, e.timestamp) for e in lock.events] == [
        ("UnlockEvent", base),
        ("DoorStateChanged", base + timedelta(minutes=5)),
        ("UnlockEvent", base + timedelta(minutes=6)),
    ]
    acks = [f for f in lock.sent() if f[0] == FC_DEFAULT_RSP]
    assert [f[1] for f in acks] == [0, 1, 2, 50]


async def test_frames_with_the_wrong_direction_bit_still_decode(
    lock: LockHarness,
) -> None:
    lock.receive(0x02, UNLOCK_FINGERPRINT_999, frame_control=0x11)
    await settle()
    assert len(lock.events_of(ev.UnlockEvent)) == 1


async def test_long_values_and_unknown_dps(
    lock: LockHarness, caplog: pytest.LogCaptureFixture
) -> None:
    credentials = bytes(range(256)) + bytes(44)
    payload = (
        bytes.fromhex("0002 3a00 012c")
        + credentials
        + bytes.fromhex("c802 0004 00000005")
    )
    with caplog.at_level(logging.WARNING):
        lock.receive(0x02, payload, frame_control=FC_WANTS_ACK)
        await settle()
    (long_value,) = lock.events_of(ev.CredentialReport)
    # Shard 0 is not a valid id list: the value is kept raw.
    assert (long_value.name, long_value.value) == ("fingerprint_ids", credentials)
    (unknown,) = lock.events_of(ev.DatapointReport)
    assert (unknown.name, unknown.datapoint.value) == (None, 5)
    assert "Unknown lock DP 200" in caplog.text
    assert lock.sent() == [default_rsp(0x42, 0x02, foundation.Status.SUCCESS)]


async def test_security_messages_are_logged_once_and_not_answered(
    lock: LockHarness, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        lock.receive(0x40, bytes.fromhex("0001 00112233"), tsn=1)
        lock.receive(0x40, bytes.fromhex("0002 44556677"), tsn=2)
        lock.receive(0x43, bytes.fromhex("0003"), tsn=3)
        await settle()
    infos = [
        r
        for r in caplog.records
        if r.levelno == logging.INFO and "Lock sent" in r.getMessage()
    ]
    assert [r.getMessage().split("] ")[1].split(" (")[0] for r in infos] == [
        "Lock sent SESSION_KEY_REQUEST",
        "Lock sent DYNAMIC_PASSWORD_REQUEST",
    ]
    assert "00112233" not in caplog.text
    assert lock.sent() == []
    assert len(lock.events_of(ev.SecurityMessageReceived)) == 3


# -- publishing ------------------------------------------------------------------


async def test_events_reach_both_listener_kinds(lock: LockHarness) -> None:
    by_name: list[Any] = []
    old_style: list[Any] = []

    class Listener:
        def tuya_lock_event(self, event: Any) -> None:
            old_style.append(event)

    lock.cluster.on_event(ev.UnlockEvent.event_type, by_name.append)
    lock.cluster.add_listener(Listener())
    lock.receive(0x02, UNLOCK_FINGERPRINT_999)
    await settle()
    assert by_name == old_style == lock.events_of(ev.UnlockEvent)
    assert LOCK_EVENT == "tuya_lock_event"


async def test_a_failing_listener_does_not_reach_zigpy(
    lock: LockHarness, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: Any) -> None:
        raise RuntimeError("listener bug")

    lock.cluster.on_event(ev.UnlockEvent.event_type, broken)
    lock.receive(0x02, UNLOCK_FINGERPRINT_999, frame_control=FC_WANTS_ACK)
    await settle()
    assert "listener of tuya_lock_unlock failed" in caplog.text
    assert len(lock.sent()) == 1


async def test_payloads_are_never_logged(
    lock: LockHarness, caplog: pytest.LogCaptureFixture
) -> None:
    password = b"123456"
    frame = bytes.fromhex("0001 1500 0006") + password
    key = bytes.fromhex("0002") + b"SECRETKEY"
    with caplog.at_level(logging.DEBUG):
        lock.receive(0x01, frame, frame_control=FC_WANTS_ACK)
        lock.receive(0x20, key)
        await settle()
        await lock.cluster.remote_unlock("654321")
    text = caplog.text
    for secret in (password, b"654321", b"SECRETKEY"):
        assert secret.decode() not in text
        assert secret.hex() not in text
        assert secret.hex(" ") not in text
    assert len(lock.events_of(ev.DatapointReport)) == 1
    assert len(lock.events_of(ev.SecurityMessageReceived)) == 1


# -- sending ---------------------------------------------------------------------


async def test_send_datapoints_and_remote_unlock(lock: LockHarness) -> None:
    first = await lock.cluster.send_datapoints(bool_dp(71, True))
    second = await lock.cluster.remote_unlock("123456")
    assert second == first + 1
    assert cluster_frames(lock.sent(), 0x00) == [
        first.to_bytes(2, "big") + bytes.fromhex("4701000101"),
        second.to_bytes(2, "big") + bytes.fromhex("15000006") + b"123456",
    ]


async def test_send_internet_status(lock: LockHarness) -> None:
    await lock.cluster.send_internet_status(connected=False)
    (payload,) = cluster_frames(lock.sent(), 0x25)
    assert payload[2:] == b"\x00"


async def test_sequence_wraps_at_16_bits(lock: LockHarness) -> None:
    lock.cluster._seq = 0xFFFF
    assert await lock.cluster.send_datapoints() == 0


async def test_query_mcu_version(lock: LockHarness) -> None:
    task = asyncio.create_task(lock.cluster.query_mcu_version())
    await settle()
    (query,) = cluster_frames(lock.sent(), 0x10)
    assert len(query) == 2
    lock.receive(0x11, query + b"\x98")
    lock.receive(0x11, b"\x00\x00\x99")  # a second report before the waiter runs
    assert await asyncio.wait_for(task, 1) == "2.1.8"
    assert lock.cluster.get("mcu_version") == "2.1.9"
    assert [e.version for e in lock.events_of(ev.VersionReport)] == ["2.1.8", "2.1.9"]


async def test_query_mcu_version_can_time_out(lock: LockHarness) -> None:
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.05):
            await lock.cluster.query_mcu_version()
    assert lock.cluster._version_waiters == []


async def test_unsolicited_version_report(lock: LockHarness) -> None:
    lock.receive(0x11, bytes.fromhex("0001 41"))
    await settle()
    assert lock.cluster.get("mcu_version") == "1.0.1"


async def test_mcu_ota(lock: LockHarness) -> None:
    image = McuOtaImage(PID, 0x42, bytes(range(200)), checksum=0x1234)
    update = asyncio.create_task(lock.cluster.update_mcu_firmware(image))
    await settle()
    (notify,) = cluster_frames(lock.sent(), 0x12)
    assert notify[2:] == PID + bytes.fromhex("42 000000c8 00001234")

    lock.receive(0x13, bytes.fromhex("0030") + PID + bytes.fromhex("42 00000080 40"))
    lock.receive(0x13, bytes.fromhex("0031") + PID + bytes.fromhex("42 000000c0 40"))
    lock.receive(
        0x13, bytes.fromhex("0032") + b"otherpid" + bytes.fromhex("42 00000000 40")
    )
    await settle()
    blocks = cluster_frames(lock.sent(), 0x14)
    assert blocks[0] == bytes.fromhex("0030 00") + PID + bytes.fromhex(
        "42 00000080"
    ) + bytes(range(128, 192))
    assert blocks[1] == bytes.fromhex("0031 00") + PID + bytes.fromhex(
        "42 000000c0"
    ) + bytes(range(192, 200))
    assert blocks[2] == bytes.fromhex("0032 01") + b"otherpid" + bytes.fromhex(
        "42 00000000"
    )

    with pytest.raises(RuntimeError, match="already running"):
        await lock.cluster.update_mcu_firmware(image)

    lock.receive(0x15, bytes.fromhex("0033 00") + PID + b"\x42")
    # Bytes 128-199 were served; the request for another product was refused.
    assert await asyncio.wait_for(update, 1) == McuOtaOutcome(0, 72)
    assert [e.status for e in lock.events_of(ev.McuOtaFinished)] == [0]
    assert len(lock.events_of(ev.McuOtaBlockRequested)) == 3


async def test_mcu_ota_blocks_without_an_update_fail(lock: LockHarness) -> None:
    lock.receive(0x13, bytes.fromhex("0030") + PID + bytes.fromhex("42 00000000 40"))
    lock.receive(0x15, bytes.fromhex("0031 01") + PID + b"\x42")
    await settle()
    (block,) = cluster_frames(lock.sent(), 0x14)
    assert block[2] == 0x01


async def test_mcu_ota_image_checks_its_pid() -> None:
    with pytest.raises(ValueError, match="8 bytes"):
        McuOtaImage(b"short", 1, b"", 0)


# -- definitions -----------------------------------------------------------------


def test_every_command_of_the_standard_is_defined(lock: LockHarness) -> None:
    server = lock.cluster.server_commands
    client = lock.cluster.client_commands
    assert set(server) | set(client) == {int(command) for command in CommandId}
    for command in [*server.values(), *client.values()]:
        assert command.manufacturer_code is None
        assert command.is_manufacturer_specific is False
    assert lock.cluster.cluster_id == 0xEF00
    assert lock.cluster.ep_attribute == "tuya_lock"


async def test_retransmission_within_zigpys_filter_is_acknowledged_again(
    lock: LockHarness,
) -> None:
    """zigpy drops identical packets for 10 s; the lock still gets its ack."""
    lock.receive(0x02, UNLOCK_FINGERPRINT_999, tsn=77, frame_control=FC_WANTS_ACK)
    lock.receive(0x02, UNLOCK_FINGERPRINT_999, tsn=77, frame_control=FC_WANTS_ACK)
    await settle()

    acks = [f for f in lock.sent() if f[0] == FC_DEFAULT_RSP and f[1] == 77]
    assert len(acks) == 2
    assert len(lock.events_of(ev.UnlockEvent)) == 1


async def test_duplicates_that_need_no_ack_are_just_dropped(lock: LockHarness) -> None:
    lock.receive(0x02, UNLOCK_FINGERPRINT_999, tsn=78, frame_control=FC_NO_ACK)
    lock.receive(0x02, UNLOCK_FINGERPRINT_999, tsn=78, frame_control=FC_NO_ACK)
    await settle()

    assert not [f for f in lock.sent() if f[0] == FC_DEFAULT_RSP]
    assert len(lock.events_of(ev.UnlockEvent)) == 1


# -- damaged frames: whole datapoints first --------------------------------------


async def test_a_damaged_record_keeps_its_whole_datapoints(
    lock: LockHarness, caplog: pytest.LogCaptureFixture
) -> None:
    at = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
    # A card unlock, a remote password (sensitive), then a cut-off key DP.
    body = record(7, at, [value_dp(5, 14)]) + bytes.fromhex("1500 0006") + b"987654"
    damaged = body + bytes.fromhex("3000 0015") + b"KEY12345"
    with caplog.at_level(logging.DEBUG):
        lock.receive(0x23, damaged, tsn=9, frame_control=FC_WANTS_ACK)
        lock.receive(0x23, damaged[:-3], tsn=10, frame_control=FC_WANTS_ACK)
        await settle()
    (unlock,) = lock.events_of(ev.UnlockEvent)
    assert (unlock.method, unlock.user_id, unlock.timestamp) == (
        UnlockMethod.CARD,
        14,
        at,
    )
    assert [f[:5] for f in lock.sent()] == [
        default_rsp(9, 0x23, foundation.Status.MALFORMED_COMMAND),
        default_rsp(10, 0x23, foundation.Status.MALFORMED_COMMAND),
    ]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    (warning,) = warnings  # logged once, then at debug level
    text = warning.getMessage()
    assert "050200040000000e" in text.replace(" ", "")  # the card unlock is shown
    assert "987654" not in caplog.text
    assert b"987654".hex() not in caplog.text
    assert "KEY12345" not in caplog.text
    assert b"KEY".hex() not in caplog.text
    assert "<6 bytes>" in text
    assert "<12 bytes>" in text


async def test_a_damaged_report_shows_a_harmless_tail(
    lock: LockHarness, caplog: pytest.LogCaptureFixture
) -> None:
    payload = bytes.fromhex("0005 0a02 0004 00000032 0e01 0002 0101")
    with caplog.at_level(logging.WARNING):
        lock.receive(0x02, payload)
        await settle()
    (battery,) = lock.events_of(ev.BatteryLevel)
    assert battery.percent == 50
    assert "0e0100020101" in caplog.text


async def test_a_header_too_short_for_a_record_is_dropped(
    lock: LockHarness, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        lock.receive(0x23, bytes.fromhex("0001 01 0000"), frame_control=FC_WANTS_ACK)
        await settle()
    assert lock.events == []
    assert "0001010000" in caplog.text


# -- remote unlock by product ----------------------------------------------------


def harness(manufacturer: str, model: str = "TY0A01") -> LockHarness:
    app = make_app()
    return LockHarness(app, make_device(app, manufacturer, model))


async def answer_key(lock: LockHarness, dpid: int, status: int, tsn: int) -> None:
    answer = bytes.fromhex(f"0001 {dpid:02x}00 0003 {status:02x} 0001")
    lock.receive(0x01, answer, tsn=tsn)
    await settle()


async def test_password_free_unlock_stores_a_key_then_uses_it() -> None:
    lock = harness("_TYST12_srptwvak")
    task = asyncio.create_task(lock.cluster.remote_unlock("ignored"))
    await settle()
    (key_set,) = cluster_frames(lock.sent(), 0x00)
    assert key_set[2:6] == bytes.fromhex("3000 0015")
    value = key_set[6:]
    assert value[:3] == bytes.fromhex("01 0001")
    valid_from, valid_to = int.from_bytes(value[3:7]), int.from_bytes(value[7:11])
    assert valid_to - valid_from == 600
    assert value[11:13] == bytes.fromhex("0001")  # one use
    key = value[13:]
    assert len(key) == 8
    assert key.isdigit()

    await answer_key(lock, 48, 0, tsn=1)
    seq = await task
    unlock = cluster_frames(lock.sent(), 0x00)[1]
    assert int.from_bytes(unlock[:2]) == seq
    # _TYST12_srptwvak's 13-byte layout: open, key id 1, key, method 0x0001.
    assert unlock[2:] == bytes.fromhex("3100 000d 01 0001") + key + b"\x00\x01"

    await answer_key(lock, 49, 0, tsn=2)
    (result,) = lock.events_of(ev.RemoteUnlockResult)
    assert result.success
    (key_answer,) = lock.events_of(ev.CredentialReport)
    assert key_answer.name == "password_free_key_set"


async def test_a_refused_key_is_a_failed_remote_unlock() -> None:
    lock = harness("_TYST12_j2pnjbsd")
    task = asyncio.create_task(lock.cluster.remote_unlock(""))
    await settle()
    await answer_key(lock, 48, 4, tsn=1)  # outside the validity window
    await task
    assert len(cluster_frames(lock.sent(), 0x00)) == 1  # no DP 49
    (result,) = lock.events_of(ev.RemoteUnlockResult)
    assert not result.success


async def test_the_generic_key_layout_is_15_bytes() -> None:
    lock = harness("_TYST12_udaoihrc")
    task = asyncio.create_task(lock.cluster.remote_unlock(""))
    await settle()
    await answer_key(lock, 48, 0, tsn=1)
    await task
    unlock = cluster_frames(lock.sent(), 0x00)[1]
    assert unlock[2:6] == bytes.fromhex("3100 000f")
    assert unlock[-4:] == bytes(4)


async def test_an_unanswered_key_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster_module, "KEY_ANSWER_TIMEOUT_S", 0.01)
    lock = harness("_TYST12_srptwvak")
    with pytest.raises(TimeoutError):
        await lock.cluster.remote_unlock("")
    assert lock.cluster._key_waiters == []


async def test_a_ty0a02_unlocks_with_8_digits_on_dp_103() -> None:
    lock = harness("_TZF320_abcdefgh", "TY0A02")
    await lock.cluster.remote_unlock("12345678")
    (request,) = cluster_frames(lock.sent(), 0x00)
    assert request[2:] == bytes.fromhex("6700 0008") + b"12345678"
    with pytest.raises(ValueError, match="8 digits"):
        await lock.cluster.remote_unlock("123456")
