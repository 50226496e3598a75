"""Byte-level tests of every command of the standard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from custom_components.se_gateway.core.tuya_lock import commands as c
from custom_components.se_gateway.core.tuya_lock.commands import CommandId
from custom_components.se_gateway.core.tuya_lock.datapoints import (
    MalformedFrame,
    bool_dp,
    value_dp,
)
from custom_components.se_gateway.core.tuya_lock.record_time import TimeSource

from .frames import record

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


@pytest.mark.parametrize(
    ("raw", "version"),
    [(0x40, "1.0.0"), (0x41, "1.0.1"), (0x98, "2.1.8"), (0xFF, "3.3.15"), (0, "0.0.0")],
)
def test_mcu_version_report(raw: int, version: str) -> None:
    wire = h("0005") + bytes((raw,))
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


def test_mcu_ota_block_request() -> None:
    wire = h("0004" + PID_HEX + "41" + "00000100" + "80")
    request = c.decode_from_device(0x13, wire)
    assert request == c.McuOtaBlockRequest(4, PID, 0x41, 256, 128)
    with pytest.raises(MalformedFrame):
        c.decode_from_device(0x13, wire + b"\x00")


def test_mcu_ota_block_response() -> None:
    response = c.McuOtaBlockResponse(4, 0, PID, 0x41, 256, b"\x01\x02")
    wire = c.encode_mcu_ota_block_response(response)
    assert wire == h("0004 00" + PID_HEX + "41 00000100 0102")


def test_mcu_ota_result() -> None:
    wire = h("0009 00" + PID_HEX + "41")
    result = c.decode_from_device(0x15, wire)
    assert result == c.McuOtaResult(9, 0, PID, 0x41)
    with pytest.raises(MalformedFrame):
        c.decode_from_device(0x15, wire[:-1])


def test_ota_pid_must_be_8_bytes() -> None:
    with pytest.raises(ValueError, match="8 bytes"):
        c.encode_mcu_ota_notify(c.McuOtaNotify(1, b"short", 1, 2, 3))


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


def test_time_sync_request_sequence() -> None:
    assert c.TimeSyncRequest(h("0093")).seq == 147
    assert c.TimeSyncRequest(b"").seq is None


def test_time_sync_reply_needs_an_aware_time() -> None:
    with pytest.raises(ValueError, match="aware"):
        c.encode_time_sync_reply(c.TimeSyncRequest(b""), datetime(2026, 1, 1))


def test_time_sync_odd_lengths() -> None:
    with pytest.raises(MalformedFrame):
        c.decode_from_device(0x24, h("00"))


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

# Record bodies captured on a _TYST12_srptwvak lock's serial line (EDIT-Aeterna/
# tuya-zigbee-lock-local, tests/fixtures/target_srptwvak/card_unlock/record.json
# and normal_password_unlock/record.json); over Zigbee the module puts its 2-byte
# sequence number in front.
CARD_RECORD = "01 6a9fd26a 0502 0004 0000000e"
PASSWORD_RECORD = "01 6a9fc86b 0202 0004 0000000e"


@pytest.mark.parametrize(
    ("body", "dpid", "when"),
    [
        (CARD_RECORD, 5, datetime(2026, 9, 8, 9, 16, 26, tzinfo=UTC)),
        (PASSWORD_RECORD, 2, datetime(2026, 9, 8, 8, 33, 47, tzinfo=UTC)),
    ],
)
def test_captured_records(body: str, dpid: int, when: datetime) -> None:
    report = c.decode_from_device(0x23, h("0022 " + body))
    assert report == c.RecordReport(0x22, TimeSource.MCU, when, (value_dp(dpid, 14),))


def test_record_stamped_with_gateway_time() -> None:
    when = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    report = c.decode_record_report(record(0x0102, when, [value_dp(1, 7)], flag=0))
    assert report == c.RecordReport(0x0102, TimeSource.GATEWAY, when, (value_dp(1, 7),))


def test_record_of_a_lock_without_time() -> None:
    report = c.decode_record_report(h("0005 01 00000000" + FINGERPRINT_7))
    assert report.timestamp is None
    assert report.datapoints == (value_dp(1, 7),)


def test_record_with_only_a_time() -> None:
    when = datetime(2026, 3, 4, tzinfo=UTC)
    assert c.decode_record_report(record(1, when, [])) == c.RecordReport(
        1, TimeSource.MCU, when, ()
    )


@pytest.mark.parametrize("body", ["", "01", "01 6a9fd2"])
def test_record_without_a_whole_time_field_is_malformed(body: str) -> None:
    with pytest.raises(MalformedFrame):
        c.decode_record_report(h("0005" + body))


def test_damaged_record_keeps_the_datapoints_before_the_damage() -> None:
    report = c.decode_record_report(h("0005" + CARD_RECORD + "0801 0001"))
    assert report.datapoints == (value_dp(5, 14),)
    assert report.error == "DP 8: value runs past the frame end"


def test_damaged_report_keeps_the_datapoints_before_the_damage() -> None:
    message = c.decode_from_device(0x02, h("0005" + FINGERPRINT_7 + "0801 0002 0101"))
    assert message == c.DataMessage(
        CommandId.DATA_REPORT,
        5,
        (value_dp(1, 7),),
        "DP 8: BOOL of 2 bytes, expected 1",
    )
