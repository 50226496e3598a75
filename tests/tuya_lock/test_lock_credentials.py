"""Lock credentials from Home Assistant: temporary passwords, enrolment, restarts."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
import json
from typing import Any

from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.se_gateway.const import (
    DOMAIN,
    EVENT_LOCK_ALARM,
    EVENT_LOCK_ENROLMENT,
    EVENT_LOCK_UNLOCKED,
)
from custom_components.se_gateway.core.tuya_lock import products
from custom_components.se_gateway.diagnostics import (
    async_get_config_entry_diagnostics,
)

from ..conftest import wait_for
from .conftest import PairedLock, PairLock

PASSWORD = "482913"


async def respond(paired: PairedLock, service: str, **data: Any) -> Any:
    """Call a lock action on the lock entity and return its response."""
    response = await paired.hass.services.async_call(
        DOMAIN,
        service,
        {"entity_id": paired.entity_id("lock.lock"), **data},
        blocking=True,
        return_response=True,
    )
    return response[paired.entity_id("lock.lock")]


@pytest.mark.parametrize("profile", ["password-free", "dp21"])
async def test_temporary_password_created_used_frozen_and_expiring(
    hass: HomeAssistant, pair_lock: PairLock, profile: str
) -> None:
    paired = await pair_lock(profile)
    now = dt_util.now()
    valid_to = (now + timedelta(seconds=4)).replace(microsecond=0)
    created = await respond(
        paired,
        "create_temporary_password",
        password=PASSWORD,
        valid_from=(now - timedelta(minutes=1)).isoformat(),
        valid_to=valid_to.isoformat(),
    )
    assert created["password_id"] == 1
    assert created["valid_to"] == valid_to.isoformat()
    assert "password" not in created

    paired.sim.keypad(PASSWORD)
    await paired.wait_for_event(EVENT_LOCK_UNLOCKED)
    assert paired.events_of(EVENT_LOCK_UNLOCKED)[0]["method"] == "temporary_password"
    await paired.settle()

    await paired.call(DOMAIN, "freeze_temporary_password", password_id=1)
    paired.sim.keypad(PASSWORD)
    await paired.wait_for_event(EVENT_LOCK_ALARM)
    assert paired.events_of(EVENT_LOCK_ALARM)[0]["alarm"] == "wrong_password"
    await paired.settle()
    overview = await respond(paired, "get_credentials")
    assert overview["temporary_passwords"][0]["frozen"] is True
    await paired.call(DOMAIN, "unfreeze_temporary_password", password_id=1)

    # Past its window the lock refuses it.
    await asyncio.sleep((valid_to - dt_util.now()).total_seconds() + 1.2)
    paired.sim.keypad(PASSWORD)
    await paired.wait_for_event(EVENT_LOCK_ALARM, count=2)
    assert len(paired.events_of(EVENT_LOCK_UNLOCKED)) == 1
    await paired.settle()

    # Passwords never reach events or states.
    assert PASSWORD not in json.dumps([e.data for e in paired.events], default=str)
    assert all(PASSWORD not in str(s.as_dict()) for s in hass.states.async_all())


async def test_temporary_password_modify_delete_and_clear(
    hass: HomeAssistant, pair_lock: PairLock
) -> None:
    paired = await pair_lock("dp21")
    valid_to = (dt_util.now() + timedelta(days=2)).isoformat()
    await respond(
        paired, "create_temporary_password", password=PASSWORD, valid_to=valid_to
    )
    second = await respond(
        paired, "create_temporary_password", password="135790", valid_to=valid_to
    )
    assert second["password_id"] == 2
    stored = paired.sim.mcu.store.temporary
    assert sorted(p.digits for p in stored.values()) == ["135790", PASSWORD]

    await respond(
        paired,
        "modify_temporary_password",
        password_id=2,
        password="246801",
        valid_to=valid_to,
        one_time=True,
    )
    assert sorted(p.digits for p in stored.values()) == ["246801", PASSWORD]
    assert [p.one_time for p in stored.values() if p.digits == "246801"] == [True]

    await paired.call(DOMAIN, "delete_temporary_password", password_id=1)
    assert [p.digits for p in stored.values()] == ["246801"]
    # The lock refuses what it does not have.
    with pytest.raises(HomeAssistantError) as err:
        await paired.call(DOMAIN, "delete_temporary_password", password_id=1)
    assert err.value.translation_key == "lock_password_refused"

    await paired.call(DOMAIN, "clear_temporary_passwords")
    assert not stored
    assert (await respond(paired, "get_credentials"))["temporary_passwords"] == []


async def test_bad_temporary_passwords_are_refused_before_sending(
    hass: HomeAssistant, pair_lock: PairLock
) -> None:
    paired = await pair_lock("dp21")
    now = dt_util.now()
    cases = {
        "lock_password_invalid": {
            "password": "12ab56",
            "valid_to": (now + timedelta(hours=1)).isoformat(),
        },
        "lock_password_window": {
            "password": PASSWORD,
            "valid_from": (now + timedelta(hours=2)).isoformat(),
            "valid_to": (now + timedelta(hours=1)).isoformat(),
        },
        "lock_password_expired": {
            "password": PASSWORD,
            "valid_from": (now - timedelta(hours=2)).isoformat(),
            "valid_to": (now - timedelta(hours=1)).isoformat(),
        },
    }
    for key, data in cases.items():
        with pytest.raises(ServiceValidationError) as err:
            await paired.call(DOMAIN, "create_temporary_password", **data)
        assert err.value.translation_key == key
    assert not paired.sim.mcu.store.temporary


async def test_fingerprint_enrolled_listed_used_and_deleted(
    hass: HomeAssistant, pair_lock: PairLock, se_entry: MockConfigEntry
) -> None:
    paired = await pair_lock("dp21")
    started = await respond(paired, "enrol_credential", credential_type="fingerprint")
    assert started == {
        "stage": "started",
        "credential_type": "fingerprint",
        "member_id": 1,
    }
    for _ in range(3):
        paired.sim.touch("left index")
    await paired.wait_for_event(EVENT_LOCK_ENROLMENT, count=4)
    stages = [e["stage"] for e in paired.events_of(EVENT_LOCK_ENROLMENT)]
    assert stages == ["started", "in_progress", "in_progress", "done"]
    done = paired.events_of(EVENT_LOCK_ENROLMENT)[-1]
    assert (done["credential_type"], done["credential_id"]) == ("fingerprint", 0)
    event = paired.state("event.enrolment")
    assert event.attributes["event_type"] == "done"
    assert event.attributes["credential_id"] == 0
    await wait_for(hass, lambda: paired.state("sensor.fingerprints").state == "1")
    assert paired.state("sensor.fingerprints").attributes["ids"] == [0]
    diagnostics = await async_get_config_entry_diagnostics(hass, se_entry)
    (lock,) = diagnostics["locks"]
    assert lock["credential_ids"] == {"fingerprint": [0]}
    assert lock["remote_unlock_method"] == "password_dp21"
    await paired.settle()

    paired.sim.touch("left index")
    await paired.wait_for_event(EVENT_LOCK_UNLOCKED)
    assert paired.events_of(EVENT_LOCK_UNLOCKED)[0]["method"] == "fingerprint"
    await paired.settle()

    with pytest.raises(ServiceValidationError) as err:
        await paired.call(
            DOMAIN, "delete_credential", credential_type="fingerprint", credential_id=5
        )
    assert err.value.translation_key == "lock_credential_unknown"
    await paired.call(
        DOMAIN, "delete_credential", credential_type="fingerprint", credential_id=0
    )
    await wait_for(hass, lambda: paired.state("sensor.fingerprints").state == "0")
    assert not paired.sim.mcu.store.enrolled[3]
    await paired.settle()


async def test_an_enrolment_cancelled(hass: HomeAssistant, pair_lock: PairLock) -> None:
    paired = await pair_lock("dp21")
    with pytest.raises(ServiceValidationError) as err:
        await paired.call(DOMAIN, "cancel_enrolment")
    assert err.value.translation_key == "lock_no_enrolment"
    await respond(paired, "enrol_credential", credential_type="card")
    await paired.call(DOMAIN, "cancel_enrolment")
    await paired.wait_for_event(EVENT_LOCK_ENROLMENT, count=2)
    assert paired.events_of(EVENT_LOCK_ENROLMENT)[-1]["stage"] == "cancelled"
    assert paired.sim.mcu.commands.enrolment is None
    await paired.settle()


async def test_door_settings_and_ids_after_a_restart(
    hass: HomeAssistant, paired_lock: PairedLock, se_entry: MockConfigEntry
) -> None:
    paired = paired_lock
    await wait_for(hass, lambda: paired.state("select.volume").state == "normal")
    paired.sim.door(True)
    paired.sim.enrol_finger("right thumb")
    await wait_for(hass, lambda: paired.state("binary_sensor.door").state == STATE_ON)
    await wait_for(hass, lambda: paired.state("sensor.fingerprints").state == "1")
    await paired.settle()

    # se_gateway starts again: a new lock object that has heard nothing yet,
    # and a lock that reports nothing new.
    assert await hass.config_entries.async_reload(se_entry.entry_id)
    await hass.async_block_till_done()
    lock = se_entry.runtime_data.locks.devices[paired.sim.ieee]
    assert lock.state.door_open is True
    assert paired.state("binary_sensor.door").state == STATE_ON
    assert paired.state("select.volume").state == "normal"
    assert paired.state("switch.reverse_lock").state == "off"
    assert paired.state("number.auto_lock_time").state == "5"
    assert paired.state("sensor.fingerprints").attributes["ids"] == [0]
    assert paired.state("lock.lock").state == "locked"

    paired.sim.door(False)
    await wait_for(hass, lambda: paired.state("binary_sensor.door").state == "off")
    await paired.settle()


async def test_products_that_answer_the_dp_query_are_asked_on_join(
    hass: HomeAssistant, pair_lock: PairLock, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = products.product_for("_TYST12_ujcjk46o")
    monkeypatch.setitem(
        products._BY_MANUFACTURER,
        "_TYST12_ujcjk46o",
        replace(row, data_query=True),
    )
    paired = await pair_lock("dp21")
    commands: list[int] = []
    from_gateway = paired.sim.module.from_gateway

    def spy(command_id: int, payload: bytes) -> Any:
        commands.append(command_id)
        return from_gateway(command_id, payload)

    monkeypatch.setattr(paired.sim.module, "from_gateway", spy)
    assert await hass.config_entries.async_reload(
        hass.config_entries.async_entries(DOMAIN)[0].entry_id
    )
    await wait_for(hass, lambda: 0x03 in commands)
    await paired.settle()


async def test_door_state_after_a_restart(
    hass: HomeAssistant, pair_lock: PairLock, se_entry: MockConfigEntry
) -> None:
    paired = await pair_lock("dp21")
    paired.sim.unlock("card", 2)
    paired.sim.door(True)
    await wait_for(hass, lambda: paired.state("binary_sensor.door").state == STATE_ON)
    assert paired.state("lock.lock").state == "unlocked"
    await paired.settle()

    # se_gateway starts again: a new lock object that has heard nothing yet.
    assert await hass.config_entries.async_reload(se_entry.entry_id)
    await hass.async_block_till_done()
    assert se_entry.runtime_data.locks.devices[paired.sim.ieee].state.door_open
    assert paired.state("binary_sensor.door").state == STATE_ON
    assert paired.state("lock.lock").state == "unlocked"
    # The restored unlock relocks as any unlock does, once the door is shut.

    paired.sim.door(False)
    await wait_for(hass, lambda: paired.state("binary_sensor.door").state == "off")
    assert paired.state("lock.lock").state == "locked"
    await paired.settle()
