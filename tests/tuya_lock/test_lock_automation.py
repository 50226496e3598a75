"""Device triggers and diagnostics of Tuya locks."""

from __future__ import annotations

from homeassistant.core import Event, HomeAssistant
from homeassistant.setup import async_setup_component

from custom_components.se_gateway import device_trigger
from custom_components.se_gateway.const import DOMAIN, EVENT_LOCK_UNLOCKED
from custom_components.se_gateway.diagnostics import async_get_config_entry_diagnostics

from ..conftest import wait_for
from .conftest import PairedLock


async def test_lock_offers_device_triggers(
    hass: HomeAssistant, paired_lock: PairedLock
) -> None:
    # HA 2026.10 lists device triggers of the device's owner (ZHA) and of its
    # entities' domains only, so ask our platform directly.
    triggers = await device_trigger.async_get_triggers(hass, paired_lock.device_id)
    ours = {(t["type"], t.get("subtype")) for t in triggers if t["domain"] == DOMAIN}

    assert ("unlocked", "fingerprint") in ours
    assert ("alarm", "pry") in ours
    assert ("doorbell", None) in ours
    assert ("remote_unlock_request", None) in ours


async def test_no_triggers_for_other_devices(
    hass: HomeAssistant, paired_lock: PairedLock
) -> None:
    assert await device_trigger.async_get_triggers(hass, "no-such-device") == []
    capabilities = await device_trigger.async_get_trigger_capabilities(
        hass, {"type": "doorbell"}
    )
    assert capabilities == {}


async def test_unlocked_by_fingerprint_user_3_trigger(
    hass: HomeAssistant, paired_lock: PairedLock
) -> None:
    fired: list[Event] = []
    hass.bus.async_listen("lock_test_fired", fired.append)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "triggers": {
                    "platform": "device",
                    "domain": DOMAIN,
                    "device_id": paired_lock.device_id,
                    "type": "unlocked",
                    "subtype": "fingerprint",
                    "user_id": 3,
                },
                "actions": {"event": "lock_test_fired"},
            }
        },
    )

    paired_lock.sim.unlock("fingerprint", 4)
    paired_lock.sim.unlock("card", 3)
    paired_lock.sim.unlock("fingerprint", 3)
    await paired_lock.wait_for_event(EVENT_LOCK_UNLOCKED, count=3)
    await wait_for(hass, lambda: len(fired) >= 1)
    await paired_lock.settle()

    assert len(fired) == 1


async def test_diagnostics_show_locks_without_secrets(
    hass: HomeAssistant, paired_lock: PairedLock, se_entry
) -> None:
    await paired_lock.call("lock", "unlock", code="123456")
    await paired_lock.settle()

    diagnostics = await async_get_config_entry_diagnostics(hass, se_entry)

    (lock,) = diagnostics["locks"]
    assert lock["ieee"] == str(paired_lock.sim.ieee)
    assert lock["available"] is True
    assert "123456" not in repr(diagnostics)
