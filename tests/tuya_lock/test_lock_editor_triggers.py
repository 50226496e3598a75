"""Lock triggers as the automation editor saves them, through ZHA and the simulator."""

from __future__ import annotations

from typing import Any

from homeassistant.core import Event, HomeAssistant
from homeassistant.setup import async_setup_component

from custom_components.se_gateway.const import (
    DOMAIN,
    EVENT_LOCK_ALARM,
    EVENT_LOCK_DOORBELL,
    EVENT_LOCK_UNLOCKED,
)
from custom_components.se_gateway.core.tuya_lock.dp_map import LockAlarm

from ..conftest import wait_for
from .conftest import PairedLock


def editor_automation(
    automation_id: str, trigger: dict[str, Any], fired_event: str
) -> dict[str, Any]:
    """Return an automation as the editor writes it to automations.yaml."""
    return {
        "id": automation_id,
        "alias": automation_id,
        "description": "",
        "triggers": [trigger],
        "conditions": [],
        "actions": [
            {
                "event": fired_event,
                "event_data": {
                    "method": "{{ trigger.event.data.method }}",
                    "user_id": "{{ trigger.event.data.user_id }}",
                    "device_id": "{{ trigger.device_id }}",
                    "platform": "{{ trigger.platform }}",
                },
            }
        ],
        "mode": "queued",
    }


async def test_unlocked_by_fingerprint_user_3(
    hass: HomeAssistant, paired_lock: PairedLock
) -> None:
    fired: list[Event] = []
    hass.bus.async_listen("fingerprint_3", fired.append)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                editor_automation(
                    "fingerprint_3",
                    {
                        "trigger": f"{DOMAIN}.unlocked",
                        "target": {"device_id": [paired_lock.device_id]},
                        "options": {"method": ["fingerprint"], "user_id": 3},
                    },
                    "fingerprint_3",
                )
            ]
        },
    )

    paired_lock.sim.unlock("fingerprint", 4)
    paired_lock.sim.unlock("card", 3)
    paired_lock.sim.unlock("fingerprint", 3)
    await paired_lock.wait_for_event(EVENT_LOCK_UNLOCKED, count=3)
    await wait_for(hass, lambda: bool(fired))
    await paired_lock.settle()
    await hass.async_block_till_done()

    assert [event.data for event in fired] == [
        {
            "method": "fingerprint",
            "user_id": 3,
            "device_id": paired_lock.device_id,
            "platform": f"{DOMAIN}.unlocked",
        }
    ]


async def test_entity_targets_and_other_devices(
    hass: HomeAssistant, paired_lock: PairedLock
) -> None:
    """A lock entity stands for its device; another device's trigger stays quiet."""
    fired: list[Event] = []
    for name in ("pry", "any_unlock", "other_device", "doorbell"):
        hass.bus.async_listen(name, fired.append)
    lock_entity = paired_lock.entity_id("lock.lock")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                editor_automation(
                    "pry",
                    {
                        "trigger": f"{DOMAIN}.alarm",
                        "target": {"entity_id": lock_entity},
                        "options": {"alarm": ["pry"]},
                    },
                    "pry",
                ),
                editor_automation(
                    "any_unlock",
                    {
                        "trigger": f"{DOMAIN}.unlocked",
                        "target": {"entity_id": lock_entity},
                    },
                    "any_unlock",
                ),
                editor_automation(
                    "other_device",
                    {
                        "trigger": f"{DOMAIN}.unlocked",
                        "target": {
                            "device_id": "not-this-lock",
                            "entity_id": "lock.not_in_the_registry",
                        },
                    },
                    "other_device",
                ),
                editor_automation(
                    "doorbell",
                    {
                        "trigger": f"{DOMAIN}.doorbell",
                        "target": {"device_id": paired_lock.device_id},
                    },
                    "doorbell",
                ),
            ]
        },
    )

    paired_lock.sim.alarm(LockAlarm.LOW_BATTERY)
    paired_lock.sim.alarm(LockAlarm.PRY)
    paired_lock.sim.unlock("app", 7)
    paired_lock.sim.doorbell()
    await paired_lock.wait_for_event(EVENT_LOCK_ALARM, count=2)
    await paired_lock.wait_for_event(EVENT_LOCK_UNLOCKED)
    await paired_lock.wait_for_event(EVENT_LOCK_DOORBELL)
    await wait_for(hass, lambda: len(fired) >= 3)
    await paired_lock.settle()
    await hass.async_block_till_done()

    assert sorted(event.event_type for event in fired) == [
        "any_unlock",
        "doorbell",
        "pry",
    ]
    (unlock,) = [event for event in fired if event.event_type == "any_unlock"]
    assert unlock.data["method"] == "app"
    assert unlock.data["user_id"] == 7
