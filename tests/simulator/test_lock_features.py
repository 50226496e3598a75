"""The simulated lock's features: keys, temporary passwords, enrolment, the
keypad, and the serial commands the MCU starts; driven by the gateway's codecs.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from network_simulator.lock import serial_payloads as sp, units
from network_simulator.lock.credentials import CredentialStore, PasswordResult
from network_simulator.lock.serial_frames import FrameReader
from se_gateway_core.tuya_lock import (
    enrolment as en,
    events as ev,
    temporary_passwords as tp,
)
from se_gateway_core.tuya_lock.datapoints import Datapoint
from se_gateway_core.tuya_lock.dp_map import LockAlarm, UnlockMethod
from se_gateway_core.tuya_lock.mcu_ota import McuOtaImage
from se_gateway_core.tuya_lock.remote_unlock import (
    GENERIC_KEY_LAYOUT,
    KeyStatus,
    KeyUnlockLayout,
    PasswordFreeKey,
    key_set_datapoint,
    key_unlock_datapoint,
)

from .lock_bridge import Bridge

SRPTWVAK = KeyUnlockLayout(method_size=2, method=1)


async def started(name: str = "simlock") -> Bridge:
    bridge = Bridge(name)
    await bridge.tick(0.0)
    return bridge


async def send(bridge: Bridge, *datapoints: Datapoint) -> None:
    await bridge.cluster.send_datapoints(*datapoints)
    await bridge.run()


def credential_reports(bridge: Bridge, name: str) -> list[object]:
    return [e.value for e in bridge.events_of(ev.CredentialReport) if e.name == name]


def now(bridge: Bridge) -> int:
    return bridge.sim.mcu.gmt_now()


# -- password-free keys ---------------------------------------------------------------


async def test_keys_are_checked_for_value_window_and_uses() -> None:
    bridge = await started("password-free")
    t = now(bridge)
    key = PasswordFreeKey(3, "11223344", t - 60, t + 60, use_count=1)
    await send(bridge, key_set_datapoint(key))
    assert credential_reports(bridge, "password_free_key_set")[0].success
    wrong = PasswordFreeKey(3, "99999999", 0, 1)
    await send(bridge, key_unlock_datapoint(SRPTWVAK, wrong))
    await send(bridge, key_unlock_datapoint(SRPTWVAK, key))
    await send(bridge, key_unlock_datapoint(SRPTWVAK, key))  # its one use is spent
    assert [r.success for r in bridge.events_of(ev.RemoteUnlockResult)] == [
        False,
        True,
        False,
    ]
    assert bridge.sim.remote_unlocks == [False, True, False]


async def test_an_expired_key_and_a_wrong_layout_are_refused() -> None:
    bridge = await started("password-free")
    t = now(bridge)
    old = PasswordFreeKey(4, "55667788", t - 600, t - 300, use_count=0xFFFF)
    await send(bridge, key_set_datapoint(old))
    await send(bridge, key_unlock_datapoint(SRPTWVAK, old))
    # A 15-byte DP 49 on a lock that takes 13.
    await send(bridge, key_unlock_datapoint(GENERIC_KEY_LAYOUT, old))
    assert not any(r.success for r in bridge.events_of(ev.RemoteUnlockResult))
    assert bridge.sim.mcu.store.use_key(b"", 2, t) == (KeyStatus.FAILURE, 0)


async def test_a_key_can_be_removed() -> None:
    bridge = await started("password-free")
    t = now(bridge)
    key = PasswordFreeKey(2, "12121212", t - 60, t + 60)
    await send(bridge, key_set_datapoint(key))
    removed = PasswordFreeKey(2, "12121212", t - 60, t + 60, enabled=False)
    await send(bridge, key_set_datapoint(removed))
    assert bridge.sim.mcu.store.keys == {}


# -- temporary passwords at the keypad -----------------------------------------------


async def test_a_temporary_password_opens_until_it_expires() -> None:
    bridge = await started()
    start = datetime.fromtimestamp(now(bridge), UTC)
    password = tp.TemporaryPassword(
        tp.PasswordRef(0x0101), "246810", start, start + timedelta(minutes=10)
    )
    await send(bridge, tp.create_datapoint(tp.PasswordLayout.GENERIC, password))
    (answer,) = credential_reports(bridge, "temporary_password_create")
    assert answer.success

    bridge.sim.keypad("246810")
    # Not one-time: it opens again.
    await bridge.tick(1)
    bridge.sim.keypad("246810")
    await bridge.tick(600)  # ten minutes later it has expired
    bridge.sim.keypad("246810")
    await bridge.run()
    unlocks = bridge.events_of(ev.UnlockEvent)
    assert [u.method for u in unlocks] == [UnlockMethod.TEMPORARY_PASSWORD] * 2
    (alarm,) = bridge.events_of(ev.AlarmEvent)
    assert alarm.alarm == LockAlarm.WRONG_PASSWORD


async def test_a_one_time_password_opens_once_and_freezing_stops_it() -> None:
    bridge = await started("password-free")  # the 27-byte layout
    start = datetime.fromtimestamp(now(bridge) - 5, UTC)
    end = start + timedelta(hours=1)
    once = tp.TemporaryPassword(tp.PasswordRef(1), "135790", start, end, one_time=True)
    kept = tp.TemporaryPassword(tp.PasswordRef(2), "864200", start, end)
    layout = tp.PasswordLayout.EXTENDED
    await send(
        bridge, tp.create_datapoint(layout, once), tp.create_datapoint(layout, kept)
    )
    await send(bridge, tp.reference_datapoint(tp.FREEZE_DP, tp.PasswordRef(2)))
    for code in ("135790", "135790", "864200"):
        bridge.sim.keypad(code)
    await send(bridge, tp.reference_datapoint(tp.UNFREEZE_DP, tp.PasswordRef(2)))
    bridge.sim.keypad("864200")
    await bridge.run()
    assert [u.user_id for u in bridge.events_of(ev.UnlockEvent)] == [1, 2]
    assert len(bridge.events_of(ev.AlarmEvent)) == 2


async def test_temporary_password_answers() -> None:
    bridge = await started()
    start = datetime.fromtimestamp(now(bridge), UTC)
    first = tp.TemporaryPassword(
        tp.PasswordRef(7), "111111", start, start + timedelta(1)
    )
    layout = tp.PasswordLayout.GENERIC
    await send(bridge, tp.create_datapoint(layout, first))
    await send(bridge, tp.create_datapoint(layout, first))  # the same again
    await send(bridge, tp.modify_datapoint(layout, first))
    await send(bridge, tp.reference_datapoint(tp.DELETE_DP, tp.PasswordRef(7)))
    await send(bridge, tp.reference_datapoint(tp.DELETE_DP, tp.PasswordRef(7)))
    await send(bridge, tp.reference_datapoint(tp.CLEAR_DP, tp.PasswordRef(0)))
    results = [
        answer.result
        for name in (
            "temporary_password_create",
            "temporary_password_modify",
            "temporary_password_delete",
            "temporary_password_clear",
        )
        for answer in credential_reports(bridge, name)
    ]
    assert results == [
        tp.PasswordResult.SUCCESS,
        tp.PasswordResult.FAILURE,  # the same reference again
        tp.PasswordResult.SUCCESS,
        tp.PasswordResult.SUCCESS,
        tp.PasswordResult.FAILURE,  # already gone
        tp.PasswordResult.SUCCESS,
    ]


def test_the_store_refuses_duplicates_and_a_full_memory() -> None:
    store = CredentialStore(capacity=1)
    value = bytes(6) + bytes(8) + b"\x00" + b"123456"
    assert store.create(value, replace=False) == PasswordResult.SUCCESS
    other = b"\x00\x02" + bytes(4) + bytes(8) + b"\x00" + b"123456"
    assert store.create(other, replace=False) == PasswordResult.DUPLICATE
    third = b"\x00\x03" + bytes(4) + bytes(8) + b"\x00" + b"654321"
    assert store.create(third, replace=False) == PasswordResult.FULL
    assert store.create(b"\x00", replace=False) == PasswordResult.FAILURE
    assert store.change(25, b"\x00") == PasswordResult.FAILURE


# -- enrolment -----------------------------------------------------------------------


async def test_fingerprint_enrolment_stages_then_the_finger_opens() -> None:
    bridge = await started("dp21")
    finger = en.Credential(
        en.CredentialType.FINGERPRINT, member_id=5, administrator=True
    )
    await send(bridge, en.enrol_datapoint(finger))
    for _ in range(3):
        bridge.sim.touch("left index")
    await bridge.run()
    stages = [r.stage for r in credential_reports(bridge, "unlock_method_add")]
    assert stages == [
        en.Stage.STARTED,
        en.Stage.IN_PROGRESS,
        en.Stage.IN_PROGRESS,
        en.Stage.DONE,
    ]
    done = credential_reports(bridge, "unlock_method_add")[-1]
    assert done.credential.hardware_id == 0
    assert credential_reports(bridge, "fingerprint_ids") == [frozenset({0})]

    bridge.sim.touch("left index")
    bridge.sim.touch("a stranger")
    await bridge.run()
    (unlock,) = bridge.events_of(ev.UnlockEvent)
    assert (unlock.method, unlock.user_id) == (UnlockMethod.FINGERPRINT, 0)
    (alarm,) = bridge.events_of(ev.AlarmEvent)
    assert alarm.alarm == LockAlarm.WRONG_FINGER


async def test_enrolment_can_fail_or_be_cancelled() -> None:
    bridge = await started("dp21")
    card = en.Credential(en.CredentialType.CARD, member_id=1)
    await send(bridge, en.enrol_datapoint(card))
    bridge.sim.touch("card", accepted=False)
    await send(bridge, en.enrol_datapoint(card))
    await send(bridge, en.enrol_datapoint(card, en.Stage.CANCELLED))
    await send(bridge, en.enrol_datapoint(card, en.Stage.CANCELLED))  # nothing to stop
    stages = [r.stage for r in credential_reports(bridge, "unlock_method_add")]
    assert stages == [
        en.Stage.STARTED,
        en.Stage.FAILED,
        en.Stage.STARTED,
        en.Stage.CANCELLED,
    ]


async def test_a_password_is_enrolled_at_the_keypad_and_deleted() -> None:
    bridge = await started("dp21")
    password = en.Credential(en.CredentialType.PASSWORD, member_id=1)
    await send(bridge, en.enrol_datapoint(password))
    bridge.sim.keypad("975310")
    bridge.sim.keypad("975310")
    await bridge.run()
    (unlock,) = bridge.events_of(ev.UnlockEvent)
    assert unlock.method is UnlockMethod.PASSWORD
    stored = en.Credential(en.CredentialType.PASSWORD, 1, hardware_id=0)
    await send(bridge, en.delete_datapoint(stored))
    await send(bridge, en.delete_datapoint(stored))
    results = [r.result for r in credential_reports(bridge, "unlock_method_delete")]
    assert results == [en.DeleteResult.SUCCESS, en.DeleteResult.ABSENT]
    assert credential_reports(bridge, "password_ids")[-1] == frozenset()


# -- passwords the module checks, and the MCU's own requests -------------------------


async def test_dynamic_and_offline_passwords_are_checked_by_the_module() -> None:
    bridge = await started()
    bridge.sim.module.dynamic_passwords.add("12345678")
    bridge.sim.module.offline_passwords.add("1234567")
    for code in ("12345678", "87654321", "1234567", "7654321", "12"):
        bridge.sim.keypad(code)
    await bridge.run()
    (dynamic,) = bridge.events_of(ev.UnlockEvent)
    assert (dynamic.method, dynamic.user_id) == (UnlockMethod.DYNAMIC_PASSWORD, 1)
    (offline,) = credential_reports(bridge, "offline_password_unlock")
    assert offline == b"\x00\x01"
    assert len(bridge.events_of(ev.AlarmEvent)) == 3


async def test_the_mcu_asks_the_module() -> None:
    bridge = await started()
    mcu = bridge.sim.mcu
    mcu.query_network()
    mcu.test_module()
    mcu.reset_module()
    mcu.request_time()
    await bridge.run()
    assert mcu.network == sp.NetworkStatus.GATEWAY
    assert mcu.module_tests == [b"\x00\x64"]
    assert bridge.sim.module.state.resets == 1
    assert mcu.time_set


async def test_the_mcu_waits_for_the_gateway_time_when_the_module_has_none() -> None:
    bridge = Bridge("simlock")
    mcu = bridge.sim.mcu
    mcu.request_time()
    assert not mcu.time_set
    await bridge.tick(0.0)  # the module starts and the gateway answers
    assert mcu.time_set


async def test_reports_are_refused_off_the_air_and_tried_again() -> None:
    bridge = await started()
    bridge.sim.online = False
    bridge.sim.doorbell()
    dp_reports = [
        f
        for f in FrameReader().feed(bytes(bridge.sim.line.to_module.tap))
        if f.command == 5
    ]
    assert len(dp_reports) >= 3  # the settings at start-up, then 3 tries
    assert len(bridge.sim.dropped) == 1


# -- the line itself -----------------------------------------------------------------


async def test_every_message_crosses_the_line_as_bytes() -> None:
    bridge = await started()
    bridge.sim.unlock("card", 2)
    await bridge.run()
    to_module = FrameReader().feed(bytes(bridge.sim.line.to_module.tap))
    to_mcu = FrameReader().feed(bytes(bridge.sim.line.to_mcu.tap))
    assert {f.command for f in to_mcu} >= {0x00, 0x01, 0x06, 0x0A, 0x24}
    assert {f.command for f in to_module} >= {0x00, 0x01, 0x05, 0x0A, 0x23}
    record = next(f for f in to_module if f.command == 0x23)
    assert units.decode_units(sp.decode_record(record.data).units) == [
        units.value(5, 2)
    ]


async def test_noise_on_the_line_costs_nothing() -> None:
    bridge = await started()
    bridge.sim.line.inject(b"\x55\xaa\x03\x00\x01\x05\xff\xff garbage \x55")
    bridge.sim.line.inject(b"\x00\x55\xaa", to_module=False)
    bridge.sim.unlock("face", 6)
    await bridge.run()
    (unlock,) = bridge.events_of(ev.UnlockEvent)
    assert unlock.user_id == 6
    assert bridge.sim.module.reader.dropped > 0


async def test_a_silent_mcu_is_woken_three_times_then_waited_for() -> None:
    bridge = await started()
    bridge.sim.mcu.unresponsive = True
    bridge.sim.clock.advance(1.0)  # the MCU went back to sleep
    await bridge.cluster.send_datapoints(units_as_datapoint(units.boolean(12, True)))
    await bridge.run()
    for _ in range(3):
        await bridge.tick(0.021)
    wakes = [
        f
        for f in FrameReader().feed(bytes(bridge.sim.line.to_mcu.tap))
        if f.seq == 0x55AA
    ]
    assert len(wakes) >= 3
    assert bridge.sim.module.sender.queue  # the command waits
    bridge.sim.mcu.unresponsive = False
    bridge.sim.doorbell()  # the MCU talks: the module sends what waited
    await bridge.run()
    assert bridge.sim.config[12].value is True
    assert bridge.events_of(ev.DoorbellPressed)


def units_as_datapoint(unit: units.Unit) -> Datapoint:
    return Datapoint(unit.dpid, unit.type, unit.value, unit.raw)


async def test_a_silent_mcu_gets_no_mcu_update() -> None:
    bridge = await started()
    bridge.sim.ota_silent = True
    task = asyncio.create_task(
        bridge.cluster.update_mcu_firmware(McuOtaImage(b"simlock1", 0x42, b"x" * 10, 1))
    )
    await bridge.run()
    assert len(bridge.sim.ota_notifies) == 1
    assert bridge.sim.firmware is None
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
