"""Lock settings end to end: reverse lock, auto-lock time and volume entities."""

from __future__ import annotations

from homeassistant.const import STATE_OFF, STATE_ON, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.se_gateway.core.tuya_lock.settings import AUTO_LOCK_TIME
from network_simulator import Network
from network_simulator.tuya_lock import AUTO_LOCK_TIME_DP, VOLUME_DP

from ..conftest import wait_for
from .conftest import PairedLock

SETTINGS = ("switch.reverse_lock", "number.auto_lock_time", "select.volume")


async def wait_for_state(paired_lock: PairedLock, key: str, state: str) -> None:
    """Wait until one of the lock's entities shows ``state``."""
    await wait_for(paired_lock.hass, lambda: paired_lock.state(key).state == state)


async def test_settings_show_what_the_lock_reports(
    hass: HomeAssistant, paired_lock: PairedLock
) -> None:
    await wait_for_state(paired_lock, "select.volume", "normal")
    assert paired_lock.state("switch.reverse_lock").state == STATE_OFF
    assert paired_lock.state("number.auto_lock_time").state == "5"
    number = paired_lock.state("number.auto_lock_time").attributes
    assert (number["min"], number["max"], number["unit_of_measurement"]) == (
        0,
        1800,
        "s",
    )
    registry = er.async_get(hass)
    for key in SETTINGS:
        entry = registry.async_get(paired_lock.entity_id(key))
        assert entry is not None
        assert entry.entity_category is EntityCategory.CONFIG

    paired_lock.sim.report_setting(VOLUME_DP, 9)  # not an option the lock has
    await wait_for_state(paired_lock, "select.volume", "unknown")
    await paired_lock.settle()


async def test_writing_settings_changes_the_lock(
    hass: HomeAssistant, paired_lock: PairedLock
) -> None:
    sim = paired_lock.sim
    await wait_for_state(paired_lock, "select.volume", "normal")

    await hass.services.async_call(
        "switch",
        "turn_on",
        {"entity_id": paired_lock.entity_id("switch.reverse_lock")},
        blocking=True,
    )
    await wait_for_state(paired_lock, "switch.reverse_lock", STATE_ON)
    assert sim.config[12].value is True

    await hass.services.async_call(
        "switch",
        "turn_off",
        {"entity_id": paired_lock.entity_id("switch.reverse_lock")},
        blocking=True,
    )
    await wait_for_state(paired_lock, "switch.reverse_lock", STATE_OFF)
    assert sim.config[12].value is False

    await hass.services.async_call(
        "number",
        "set_value",
        {"entity_id": paired_lock.entity_id("number.auto_lock_time"), "value": 30},
        blocking=True,
    )
    await wait_for_state(paired_lock, "number.auto_lock_time", "30")
    assert sim.config[AUTO_LOCK_TIME_DP].value == 30
    assert sim.auto_lock_s == 30

    await hass.services.async_call(
        "select",
        "select_option",
        {"entity_id": paired_lock.entity_id("select.volume"), "option": "mute"},
        blocking=True,
    )
    await wait_for_state(paired_lock, "select.volume", "mute")
    assert sim.config[VOLUME_DP].value == 0


async def test_out_of_range_values_are_refused(
    hass: HomeAssistant, paired_lock: PairedLock, se_entry: MockConfigEntry
) -> None:
    lock = se_entry.runtime_data.locks.devices[paired_lock.sim.ieee]
    with pytest.raises(ServiceValidationError) as err:
        await lock.async_write_setting(AUTO_LOCK_TIME, 5000)
    assert err.value.translation_key == "lock_setting_invalid"
    assert AUTO_LOCK_TIME_DP not in paired_lock.sim.settings


async def test_writing_to_an_unreachable_lock_fails_clearly(
    hass: HomeAssistant, simulator: Network, paired_lock: PairedLock
) -> None:
    simulator.set_online(paired_lock.sim, False)
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            "switch",
            "turn_on",
            {"entity_id": paired_lock.entity_id("switch.reverse_lock")},
            blocking=True,
        )
    assert err.value.translation_key == "lock_not_reachable"
    assert paired_lock.sim.settings == {}
