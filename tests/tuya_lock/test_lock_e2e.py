"""Tuya locks end to end: the simulated lock, the real ZHA and se_gateway."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from homeassistant.components.lock import LockState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.se_gateway.const import (
    DOMAIN,
    EVENT_LOCK_ALARM,
    EVENT_LOCK_DOORBELL,
    EVENT_LOCK_REMOTE_UNLOCK_REQUEST,
    EVENT_LOCK_UNLOCKED,
)
from custom_components.se_gateway.core.tuya_lock.dp_map import LockAlarm
from network_simulator import Network
from network_simulator.tuya_lock import AUTO_LOCK_TIME_DP

from ..conftest import wait_for
from .conftest import PairedLock


async def test_entities_attach_to_the_zha_device(
    hass: HomeAssistant, paired_lock: PairedLock
) -> None:
    device = dr.async_get(hass).async_get(paired_lock.device_id)
    assert device is not None
    # The MCU version, queried when the lock joined and sent with each heartbeat.
    await wait_for(
        hass, lambda: dr.async_get(hass).async_get(device.id).sw_version == "1.0.1"
    )
    assert paired_lock.state("lock.lock").state == LockState.LOCKED
    assert paired_lock.state("sensor.battery").state in ("unknown", "100")


async def test_unlock_event_carries_method_user_and_time(
    hass: HomeAssistant, paired_lock: PairedLock
) -> None:
    at = datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
    paired_lock.sim.unlock("fingerprint", 3, at=at)
    await paired_lock.wait_for_event(EVENT_LOCK_UNLOCKED)

    (event,) = paired_lock.events_of(EVENT_LOCK_UNLOCKED)
    assert event["method"] == "fingerprint"
    assert event["user_id"] == 3
    assert event["time"] == at.isoformat()
    assert event["device_id"] == paired_lock.device_id
    entity = paired_lock.state("event.unlock")
    assert entity.attributes["event_type"] == "fingerprint"
    assert entity.attributes["user_id"] == 3
    assert paired_lock.state("lock.lock").state == LockState.UNLOCKED


async def test_duplicated_frames_unlock_once(
    hass: HomeAssistant, simulator: Network, paired_lock: PairedLock
) -> None:
    simulator.faults.duplicate = True
    paired_lock.sim.unlock("card", 7)
    await paired_lock.wait_for_event(EVENT_LOCK_UNLOCKED)
    paired_lock.sim.battery(55)  # a later frame proves the duplicates were handled
    await wait_for(hass, lambda: paired_lock.state("sensor.battery").state == "55")

    assert len(paired_lock.events_of(EVENT_LOCK_UNLOCKED)) == 1


async def test_two_unlocks_in_one_second_are_two_events_duplicates_none(
    hass: HomeAssistant, simulator: Network, paired_lock: PairedLock
) -> None:
    # The same card twice within one second: equal records (time and
    # datapoints), each with its own sequence; every frame arrives twice.
    at = datetime(2026, 11, 2, 9, 15, tzinfo=UTC)
    simulator.faults.duplicate = True
    paired_lock.sim.unlock("card", 7, at=at)
    paired_lock.sim.unlock("card", 7, at=at)
    await paired_lock.wait_for_event(EVENT_LOCK_UNLOCKED, count=2)
    await paired_lock.settle()
    paired_lock.sim.battery(55)  # a later frame proves the duplicates were handled
    await wait_for(hass, lambda: paired_lock.state("sensor.battery").state == "55")

    events = paired_lock.events_of(EVENT_LOCK_UNLOCKED)
    assert [(e["method"], e["user_id"], e["time"]) for e in events] == [
        ("card", 7, at.isoformat()),
        ("card", 7, at.isoformat()),
    ]


async def test_offline_records_replay_in_order_with_original_times(
    hass: HomeAssistant, simulator: Network, paired_lock: PairedLock
) -> None:
    first = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
    second = first + timedelta(minutes=5)
    simulator.set_online(paired_lock.sim, False)
    paired_lock.sim.unlock("password", 1, at=first)
    paired_lock.sim.unlock("mechanical_key", 2, at=second)
    assert not paired_lock.events_of(EVENT_LOCK_UNLOCKED)

    simulator.set_online(paired_lock.sim, True)
    simulator.rejoin(paired_lock.sim)
    await paired_lock.wait_for_event(EVENT_LOCK_UNLOCKED, count=2)

    events = paired_lock.events_of(EVENT_LOCK_UNLOCKED)
    assert [(e["method"], e["user_id"], e["time"]) for e in events] == [
        ("password", 1, first.isoformat()),
        ("mechanical_key", 2, second.isoformat()),
    ]


async def test_heartbeat_drives_availability(
    hass: HomeAssistant,
    simulator: Network,
    paired_lock: PairedLock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    simulator.set_online(paired_lock.sim, False)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=7))
    await hass.async_block_till_done()
    assert paired_lock.state("lock.lock").state == STATE_UNAVAILABLE
    assert caplog.text.count("missed its heartbeat") == 1

    simulator.set_online(paired_lock.sim, True)
    await wait_for(
        hass, lambda: paired_lock.state("lock.lock").state != STATE_UNAVAILABLE
    )
    # Unavailable and back are each logged once.
    await asyncio.sleep(0.5)
    await hass.async_block_till_done()
    assert caplog.text.count("is heard from again") == 1


async def test_door_alarm_tamper_battery_and_doorbell(
    hass: HomeAssistant, paired_lock: PairedLock
) -> None:
    paired_lock.sim.door(True)
    await wait_for(
        hass, lambda: paired_lock.state("binary_sensor.door").state == STATE_ON
    )
    paired_lock.sim.alarm(LockAlarm.PRY)
    await paired_lock.wait_for_event(EVENT_LOCK_ALARM)
    assert paired_lock.events_of(EVENT_LOCK_ALARM)[0]["alarm"] == "pry"
    assert paired_lock.state("binary_sensor.tamper").state == STATE_ON
    assert paired_lock.state("event.alarm").attributes["event_type"] == "pry"
    paired_lock.sim.battery(42)
    await wait_for(hass, lambda: paired_lock.state("sensor.battery").state == "42")
    paired_lock.sim.doorbell()
    await paired_lock.wait_for_event(EVENT_LOCK_DOORBELL)
    assert paired_lock.state("event.doorbell").attributes["event_type"] == "ring"
    paired_lock.sim.door(False)
    await wait_for(
        hass, lambda: paired_lock.state("binary_sensor.door").state == STATE_OFF
    )

    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=5, seconds=1))
    await hass.async_block_till_done()
    assert paired_lock.state("binary_sensor.tamper").state == STATE_OFF


async def test_remote_unlock_approval(
    hass: HomeAssistant, paired_lock: PairedLock
) -> None:
    paired_lock.sim.remote_unlock_request(30)
    await paired_lock.wait_for_event(EVENT_LOCK_REMOTE_UNLOCK_REQUEST)
    assert paired_lock.events_of(EVENT_LOCK_REMOTE_UNLOCK_REQUEST)[0]["countdown"] == 30
    assert paired_lock.state("lock.lock").attributes["remote_unlock_requested"] is True

    await paired_lock.call(DOMAIN, "answer_remote_unlock", approve=True, code="123456")

    assert paired_lock.sim.remote_unlocks == [True]
    assert paired_lock.state("lock.lock").attributes["remote_unlock_requested"] is False
    await paired_lock.wait_for_event(EVENT_LOCK_UNLOCKED)
    await paired_lock.settle()


async def test_remote_unlock_denied(
    hass: HomeAssistant, paired_lock: PairedLock
) -> None:
    paired_lock.sim.remote_unlock_request(30)
    await paired_lock.wait_for_event(EVENT_LOCK_REMOTE_UNLOCK_REQUEST)

    await paired_lock.call(DOMAIN, "answer_remote_unlock", approve=False)

    assert paired_lock.sim.remote_unlocks == []
    with pytest.raises(ServiceValidationError) as err:
        await paired_lock.call(
            DOMAIN, "answer_remote_unlock", approve=True, code="123456"
        )
    assert err.value.translation_key == "lock_no_remote_request"


async def test_unlock_refused_without_a_code(
    hass: HomeAssistant, paired_lock: PairedLock
) -> None:
    with pytest.raises(ServiceValidationError):
        await paired_lock.call("lock", "unlock")
    assert paired_lock.sim.remote_unlocks == []
    assert paired_lock.sim.locked


async def test_unlock_with_the_code(
    hass: HomeAssistant, paired_lock: PairedLock
) -> None:
    await paired_lock.call("lock", "unlock", code="123456")

    assert paired_lock.sim.remote_unlocks == [True]
    await paired_lock.wait_for_event(EVENT_LOCK_UNLOCKED)
    assert paired_lock.events_of(EVENT_LOCK_UNLOCKED)[0]["method"] == "app"
    await paired_lock.settle()


async def test_wrong_code_is_refused_by_the_lock(
    hass: HomeAssistant, paired_lock: PairedLock
) -> None:
    with pytest.raises(HomeAssistantError) as err:
        await paired_lock.call("lock", "unlock", code="000000")
    assert err.value.translation_key == "lock_refused_code"
    assert paired_lock.sim.remote_unlocks == [False]
    assert paired_lock.sim.locked


async def test_lock_command_is_refused(
    hass: HomeAssistant, paired_lock: PairedLock
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await paired_lock.call("lock", "lock", code="123456")
    assert err.value.translation_key == "lock_locks_itself"


async def test_relocks_after_the_door_closes(
    hass: HomeAssistant, paired_lock: PairedLock
) -> None:
    paired_lock.sim.unlock("face", 9)
    await paired_lock.wait_for_event(EVENT_LOCK_UNLOCKED)
    paired_lock.sim.door(True)
    await wait_for(
        hass, lambda: paired_lock.state("binary_sensor.door").state == STATE_ON
    )

    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=11))
    await hass.async_block_till_done()
    assert paired_lock.state("lock.lock").state == LockState.UNLOCKED

    paired_lock.sim.door(False)
    await wait_for(
        hass, lambda: paired_lock.state("lock.lock").state == LockState.LOCKED
    )
    await paired_lock.settle()


async def test_duress_and_unknown_alarms(
    hass: HomeAssistant, paired_lock: PairedLock
) -> None:
    paired_lock.sim.duress()
    await paired_lock.wait_for_event(EVENT_LOCK_ALARM)
    assert paired_lock.state("binary_sensor.duress").state == STATE_ON
    assert paired_lock.state("event.alarm").attributes["event_type"] == "duress"

    paired_lock.sim.alarm(42)
    await paired_lock.wait_for_event(EVENT_LOCK_ALARM, count=2)
    assert paired_lock.events_of(EVENT_LOCK_ALARM)[1]["alarm"] == "alarm_42"
    # The event entity only knows the alarms it declared; it keeps the last one.
    assert paired_lock.state("event.alarm").attributes["event_type"] == "duress"
    await paired_lock.settle()


async def test_auto_lock_time_from_the_lock(
    hass: HomeAssistant, paired_lock: PairedLock
) -> None:
    paired_lock.sim.report_setting(AUTO_LOCK_TIME_DP, 3)
    paired_lock.sim.unlock("card", 1)
    await paired_lock.wait_for_event(EVENT_LOCK_UNLOCKED)
    await paired_lock.settle()

    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=4))
    await hass.async_block_till_done()
    assert paired_lock.state("lock.lock").state == LockState.LOCKED


async def test_unlock_of_an_unreachable_lock_fails_clearly(
    hass: HomeAssistant, simulator: Network, paired_lock: PairedLock
) -> None:
    simulator.set_online(paired_lock.sim, False)
    with pytest.raises(HomeAssistantError) as err:
        await paired_lock.call("lock", "unlock", code="123456")
    assert err.value.translation_key == "lock_not_reachable"
    assert paired_lock.sim.remote_unlocks == []
