"""Byte-level tests of every command of the standard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from custom_components.se_gateway.quirks.tuya_lock import commands as c
from custom_components.se_gateway.quirks.tuya_lock.commands import CommandId
from custom_components.se_gateway.quirks.tuya_lock.datapoints import (
    MalformedFrame,
    bool_dp,
    value_dp,
)
from custom_components.se_gateway.quirks.tuya_lock.record_time import (
    RecordTimeFormat,
)

PID = b"abcdefgh"
PID_HEX = PID.hex()
CEST = timezone(timedelta(hours=2))
FINGERPRINT_7 = "0102000400000007"


def h(text: str) -> bytes:
    return bytes.fromhex(text)


@pytest.mark.parametrize("command_id", [CommandId.DATA_RESPONSE, CommandId.DATA_REPORT])
def test_data_messages(command_id: CommandId) -> None:
    wire = h("0093" + FINGERPRINT_7 + "0801000101")
    message = c.decode_from_device(command_id, wire)
    assert message == c.DataMessage(command_id, 147, (value_dp(1, 7), bool_dp(8, True)))
    assert c.encode_data_message(147, message.datapoints) == wire


def test_data_request_is_encoded_and_decoded_for_the_gateway_side() -> None:
    wire = c.encode_data_message(1, [bool_dp(71, True)])
    assert c.decode_data_message(CommandId.DATA_REQUEST, wire) == c.DataMessage(
        CommandId.DATA_REQUEST, 1, (bool_dp(71, True),)
    )


def test_data_message_without_datapoints() -> None:
    assert c.decode_from_device(0x02, h("0001")) == c.DataMessage(
        CommandId.DATA_REPORT, 1, ()
    )


@pytest.mark.parametrize("command_id", [0x01, 0x02, 0x11, 0x13, 0x15, 0x23])
def test_empty_payload_is_malformed(command_id: int) -> None:
    with pytest.raises(MalformedFrame):
        c.decode_from_device(command_id, b"")


def test_mcu_version_query() -> None:
    assert c.encode_mcu_version_query(2) == h("0002")
    assert c.decode_mcu_version_query(h("0002")) == c.McuVersionQuery(2)


@pytest.mark.parametrize(
    ("raw", "version"),
    [(0x40, "1.0.0"), (0x41, "1.0.1"), (0x98, "2.1.8"), (0xFF, "3.3.15"), (0, "0.0.0")],
)
def test_mcu_version_report(raw: int, version: str) -> None:
    wire = c.encode_mcu_version_report(5, raw)
    report = c.decode_from_device(0x11, wire)
    assert report == c.McuVersionReport(5, raw)
    assert isinstance(report, c.McuVersionReport)
    assert report.version == version


def test_mcu_version_report_keeps_extra_bytes() -> None:
    report = c.decode_from_device(0x11, h("0005 40 0102"))
    assert report == c.McuVersionReport(5, 0x40, h("0102"))


def test_mcu_version_report_without_version_is_malformed() -> None:
    with pytest.raises(MalformedFrame):
        c.decode_from_device(0x11, h("0005"))


def test_mcu_ota_notify() -> None:
    notify = c.McuOtaNotify(3, PID, 0x41, 0x012345, 0xDEADBEEF)
    wire = c.encode_mcu_ota_notify(notify)
    assert wire == h("0003" + PID_HEX + "41" + "00012345" + "deadbeef")
    assert c.decode_mcu_ota_notify(wire) == notify
    with pytest.raises(MalformedFrame):
        c.decode_mcu_ota_notify(wire[:-1])


def test_mcu_ota_block_request() -> None:
    wire = h("0004" + PID_HEX + "41" + "00000100" + "80")
    request = c.decode_from_device(0x13, wire)
    assert request == c.McuOtaBlockRequest(4, PID, 0x41, 256, 128)
    assert isinstance(request, c.McuOtaBlockRequest)
    assert c.encode_mcu_ota_block_request(request) == wire
    with pytest.raises(MalformedFrame):
        c.decode_from_device(0x13, wire + b"\x00")


def test_mcu_ota_block_response() -> None:
    response = c.McuOtaBlockResponse(4, 0, PID, 0x41, 256, b"\x01\x02")
    wire = c.encode_mcu_ota_block_response(response)
    assert wire == h("0004 00" + PID_HEX + "41 00000100 0102")
    assert c.decode_mcu_ota_block_response(wire) == response
    with pytest.raises(MalformedFrame):
        c.decode_mcu_ota_block_response(h("0004 00" + PID_HEX))


def test_mcu_ota_result() -> None:
    wire = h("0009 00" + PID_HEX + "41")
    result = c.decode_from_device(0x15, wire)
    assert result == c.McuOtaResult(9, 0, PID, 0x41)
    assert isinstance(result, c.McuOtaResult)
    assert c.encode_mcu_ota_result(result) == wire
    with pytest.raises(MalformedFrame):
        c.decode_from_device(0x15, wire[:-1])


def test_ota_pid_must_be_8_bytes() -> None:
    with pytest.raises(ValueError, match="8 bytes"):
        c.encode_mcu_ota_result(c.McuOtaResult(1, 0, b"short", 1))


@pytest.mark.parametrize(
    "command_id",
    [
        CommandId.DYNAMIC_PASSWORD_KEY,
        CommandId.SESSION_KEY_REQUEST,
        CommandId.SESSION_KEY_RESPONSE,
        CommandId.SESSION_KEY_ACK,
        CommandId.DYNAMIC_PASSWORD_REQUEST,
    ],
)
def test_security_messages_are_opaque_and_not_shown(command_id: CommandId) -> None:
    wire = h("0010 5ec2e75ec2e7")
    message = c.decode_from_device(command_id, wire)
    assert message == c.SecurityMessage(command_id, 16, h("5ec2e75ec2e7"))
    assert isinstance(message, c.SecurityMessage)
    assert "5ec2e7" not in repr(message)
    assert "b'^" not in repr(message)
    assert c.encode_security_message(message) == wire


@pytest.mark.parametrize(
    ("request_payload", "header"),
    [
        ("", "0008"),  # empty request: zha-quirks' header
        ("0093", "0093"),  # the device's sequence, echoed
        ("0008", "0008"),
        ("0800", "0800"),
        ("1234 ff", "1234"),  # extra bytes are ignored
    ],
)
def test_time_sync(request_payload: str, header: str) -> None:
    request = c.decode_from_device(0x24, h(request_payload))
    assert isinstance(request, c.TimeSyncRequest)
    now = datetime(2026, 6, 1, 12, 0, tzinfo=CEST)
    utc = int(now.timestamp())
    reply = c.encode_time_sync_reply(request, now)
    assert reply == h(header) + utc.to_bytes(4, "big") + (utc + 7200).to_bytes(4, "big")
    assert c.decode_time_sync_reply(reply) == c.TimeSyncReply(
        h(header), utc, utc + 7200
    )


def test_time_sync_request_sequence() -> None:
    assert c.TimeSyncRequest(h("0093")).seq == 147
    assert c.TimeSyncRequest(b"").seq is None


def test_time_sync_reply_needs_an_aware_time() -> None:
    with pytest.raises(ValueError, match="aware"):
        c.encode_time_sync_reply(c.TimeSyncRequest(b""), datetime(2026, 1, 1))


def test_time_sync_odd_lengths() -> None:
    with pytest.raises(MalformedFrame):
        c.decode_from_device(0x24, h("00"))
    with pytest.raises(MalformedFrame):
        c.decode_time_sync_reply(h("0008 00000000"))


def test_internet_status() -> None:
    assert c.decode_from_device(0x25, h("0093")) == c.InternetStatus(147)
    assert c.encode_internet_status(147) == h("0093 01")
    assert c.decode_internet_status(h("0093 01")) == c.InternetStatus(147, 1)
    assert c.encode_internet_status(3, 0) == h("0003 00")


def test_internet_status_ack() -> None:
    assert c.decode_from_device(0x26, h("0093")) == c.InternetStatusAck(147)


@pytest.mark.parametrize("command_id", [0x00, 0x03, 0x06, 0x10, 0x12, 0x14, 0x99])
def test_other_commands_are_kept_raw(command_id: int) -> None:
    command = c.decode_from_device(command_id, h("0102"))
    assert command == c.UnknownCommand(command_id, h("0102"))


# -- 0x23 record report --------------------------------------------------------


def test_record_report_unix_time_round_trip() -> None:
    when = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    wire = c.encode_record_report(0x0102, when, [value_dp(1, 7)])
    assert wire == h("0102") + int(when.timestamp()).to_bytes(4, "big") + h(
        FINGERPRINT_7
    )
    record = c.decode_from_device(0x23, wire)
    assert record == c.RecordReport(
        0x0102, when, RecordTimeFormat.UNIX, (value_dp(1, 7),)
    )


def test_record_report_flagged_local_time() -> None:
    wire = h("0005 01 1a0304050607" + FINGERPRINT_7)
    record = c.decode_record_report(wire, local_tz=CEST)
    assert record.time_format is RecordTimeFormat.FLAGGED
    assert record.timestamp == datetime(2026, 3, 4, 5, 6, 7, tzinfo=CEST)
    assert record.datapoints == (value_dp(1, 7),)


def test_record_report_flagged_utc() -> None:
    record = c.decode_record_report(h("0005 02 1a0304050607" + FINGERPRINT_7), CEST)
    assert record.timestamp == datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


def test_record_report_flagged_without_time() -> None:
    # The ESPHome capture: flag 2, lock clock at 2000-01-01.
    record = c.decode_record_report(h("0005 00 000101010400" + FINGERPRINT_7), CEST)
    assert record.time_format is RecordTimeFormat.FLAGGED
    assert record.timestamp is None
    assert record.datapoints == (value_dp(1, 7),)


def test_record_report_esphome_capture() -> None:
    record = c.decode_record_report(h("0005 02 000101010400" + FINGERPRINT_7), CEST)
    assert record.timestamp == datetime(2000, 1, 1, 1, 4, 0, tzinfo=UTC)


def test_record_report_calendar_time() -> None:
    record = c.decode_record_report(h("0005 1a0304050607" + FINGERPRINT_7), CEST)
    assert record.time_format is RecordTimeFormat.CALENDAR
    assert record.timestamp == datetime(2026, 3, 4, 5, 6, 7, tzinfo=CEST)


def test_record_report_local_time_defaults_to_the_gateway_zone() -> None:
    record = c.decode_record_report(h("0005 1a0304050607" + FINGERPRINT_7))
    assert record.timestamp == datetime(2026, 3, 4, 5, 6, 7).astimezone()


def test_record_report_unset_lock_clock() -> None:
    # 300 s after 1970: implausible, but the only layout that fits.
    record = c.decode_record_report(h("0005 0000012c" + FINGERPRINT_7), CEST)
    assert record.time_format is RecordTimeFormat.UNIX
    assert record.timestamp == datetime(1970, 1, 1, 0, 5, tzinfo=UTC)


def test_record_report_without_time() -> None:
    record = c.decode_record_report(h("0005" + FINGERPRINT_7), CEST)
    assert record.time_format is RecordTimeFormat.NONE
    assert record.timestamp is None
    assert record.datapoints == (value_dp(1, 7),)


def test_record_report_with_only_a_time() -> None:
    when = datetime(2026, 3, 4, tzinfo=UTC)
    record = c.decode_record_report(c.encode_record_report(1, when, []))
    assert record == c.RecordReport(1, when, RecordTimeFormat.UNIX, ())


@pytest.mark.parametrize("body", ["0102", "ffffffff 0102 0004 00", "01 1a0d"])
def test_record_report_that_fits_no_layout_is_malformed(body: str) -> None:
    with pytest.raises(MalformedFrame):
        c.decode_record_report(h("0005" + body), CEST)


def test_record_time_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        c.encode_record_report(1, datetime(2026, 1, 1), [])
