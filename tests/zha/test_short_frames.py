"""No frame too short for its header takes the gateway down.

Through the emulated XBee, the real zigpy-xbee, zigpy and ZHA: frames of every
length from 0 to 8 bytes, on the Home Automation, Smart Energy and ZLL
profiles and on a custom one, from a plain device (the meter) and from two
quirked ones (the display on the Smart Energy profile, the Tuya lock). zigpy
2.3 raises on those too short for a ZCL header; unguarded, the exception drops
the radio connection and ZHA reloads, with se_gateway after it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
import logging
from typing import Any, Final

from homeassistant.components.zha.helpers import get_zha_gateway
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from zigpy.application import ControllerApplication
from zigpy.zcl.clusters.smartenergy import Metering, Price

from custom_components.se_gateway.core.se_profile import SmartEnergyProfileDevice
from custom_components.se_gateway.core.tuya_lock.device import TuyaLockDevice
from custom_components.se_gateway.zha import frame_guard
from network_simulator import Network, SimulatedDevice, catalogue
from network_simulator.se_profile import se_profile_display
from network_simulator.tuya_lock import tuya_lock

from ..conftest import Call, wait_for, zha_entity_id

HOME_AUTOMATION: Final = 0x0104
SMART_ENERGY: Final = 0x0109
ZLL: Final = 0xC05E
CUSTOM: Final = 0xFC01
PROFILES: Final = (HOME_AUTOMATION, SMART_ENERGY, ZLL, CUSTOM)
TUYA_CLUSTER: Final = 0xEF00
# Frame control bytes: a global command, server to client, no default response;
# the same with the manufacturer-specific bit (a 2-byte code follows it).
FRAME_CONTROLS: Final = (0x18, 0x1C)
LONGEST: Final = 8
NEW_SUMMATION_WH: Final = 22_222_222


def short_frames() -> Iterator[bytes]:
    """Yield every frame of 0 to 8 bytes, with and without a manufacturer code.

    After the frame control, 0xEE fills every byte: an unknown command with
    tsn 0xEE, which zigpy cannot decode but matches no request either.
    """
    yield b""
    for length in range(1, LONGEST + 1):
        for frame_control in FRAME_CONTROLS:
            yield bytes((frame_control,)) + b"\xee" * (length - 1)


def send_from(
    simulator: Network, device: SimulatedDevice, cluster_id: int, profile: int
) -> int:
    """Send every short frame from the device's endpoint 1; return how many."""
    assert device.nwk is not None
    sent = 0
    for data in short_frames():
        simulator.radio.send_explicit_receive(
            device.ieee, device.nwk, 1, 1, cluster_id, profile, data
        )
        sent += 1
    return sent


def summation_entity(hass: HomeAssistant, meter: SimulatedDevice) -> str:
    """Return the entity id of ZHA's summation sensor of the meter."""
    entity_id = zha_entity_id(hass, meter, "summation_delivered")
    assert entity_id is not None
    return entity_id


def summation_state(hass: HomeAssistant, meter: SimulatedDevice) -> str | None:
    """Return the state of ZHA's summation sensor of the meter."""
    state = hass.states.get(summation_entity(hass, meter))
    return None if state is None else state.state


def zha_state(hass: HomeAssistant) -> ConfigEntryState:
    """Return the state of ZHA's config entry."""
    (entry,) = hass.config_entries.async_entries("zha")
    return entry.state


def application(hass: HomeAssistant) -> ControllerApplication:
    """Return ZHA's zigpy application."""
    return get_zha_gateway(hass).application_controller


async def pair_devices(
    hass: HomeAssistant, simulator: Network
) -> tuple[SimulatedDevice, SimulatedDevice, SimulatedDevice]:
    """Pair the meter, the Smart Energy profile display and the Tuya lock."""
    meter = simulator.add_device(catalogue.electricity_meter(changing=False))
    display = simulator.add_device(se_profile_display(startup_delay_s=0.2))
    lock = simulator.add_device(tuya_lock(heartbeat_s=60.0, startup_delay_s=0.2))
    await hass.services.async_call("zha", "permit", {"duration": 60}, blocking=True)

    def paired() -> bool:
        entity_id = zha_entity_id(hass, meter, "summation_delivered")
        state = hass.states.get(entity_id) if entity_id else None
        devices = application(hass).devices
        return (
            state is not None
            and state.state not in ("unknown", "unavailable")
            and all(
                device.ieee in devices and devices[device.ieee].is_initialized
                for device in (display, lock)
            )
        )

    await wait_for(hass, paired, timeout=60)
    devices = application(hass).devices
    assert not isinstance(
        devices[meter.ieee], SmartEnergyProfileDevice | TuyaLockDevice
    )
    assert isinstance(devices[display.ieee], SmartEnergyProfileDevice)
    assert isinstance(devices[lock.ieee], TuyaLockDevice)
    return meter, display, lock


@pytest.mark.timeout(180)
async def test_no_short_frame_takes_the_gateway_down(
    hass: HomeAssistant,
    simulator: Network,
    setup_zha: Callable[..., Coroutine[Any, Any, None]],
    se_entry: MockConfigEntry,
    call: Call,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await setup_zha()
    assert await hass.config_entries.async_setup(se_entry.entry_id)
    await hass.async_block_till_done()
    meter, display, lock = await pair_devices(hass, simulator)
    app = application(hass)
    caplog.clear()
    caplog.set_level(logging.WARNING)

    sent = 0
    for profile in PROFILES:
        sent += send_from(simulator, meter, Metering.cluster_id, profile)
        sent += send_from(simulator, display, Price.cluster_id, profile)
        sent += send_from(simulator, lock, TUYA_CLUSTER, profile)
    for device in (meter, display, lock):
        # A ZDO frame without even its sequence number.
        assert device.nwk is not None
        simulator.radio.send_explicit_receive(
            device.ieee, device.nwk, 0, 0, 0x8000, 0x0000, b""
        )
    assert sent == 3 * len(PROFILES) * (1 + 2 * LONGEST)

    # A good frame after them: the meter reports a new summation.
    metering = meter.cluster(Metering.cluster_id)
    metering.set("current_summ_delivered", NEW_SUMMATION_WH)
    meter.send_zcl(1, metering, metering.report_frame(meter.next_tsn(), [0x0000]))
    expected = str(NEW_SUMMATION_WH / 1000)

    def settled() -> bool:
        return (
            summation_state(hass, meter) == expected
            or zha_state(hass) is not ConfigEntryState.LOADED
            or se_entry.state is not ConfigEntryState.LOADED
            or application(hass) is not app
        )

    await wait_for(hass, settled, timeout=20)

    assert zha_state(hass) is ConfigEntryState.LOADED
    assert application(hass) is app
    assert se_entry.state is ConfigEntryState.LOADED
    assert summation_state(hass, meter) == expected
    prices = await call("get_price_events", {})
    assert prices is not None
    assert prices["record_list"] == []
    information = await call(
        "get_device_information", {"device_address": str(lock.ieee)}
    )
    assert information is not None
    assert information["record_list"][0]["addr_extended"] == str(lock.ieee)

    # The guard dropped what zigpy would have raised on: per device, the 7
    # short frames on each of the two profiles zigpy reads as ZCL (the display
    # reads its short 0x0109 frames as zigpy alone does), and the empty ZDO one.
    guard = frame_guard.active_guard(app)
    assert guard is not None
    assert guard.dropped == 3 * (2 * 7 + 1)

    # Each device's short frames are logged once, with their length only.
    guarded = [
        record.getMessage()
        for record in caplog.records
        if record.name == frame_guard.__name__
    ]
    assert len(guarded) == 3
    for device in (meter, display, lock):
        (message,) = [text for text in guarded if str(device.ieee) in text]
        assert "-byte frame" in message
        assert "0xee" not in message.lower()
    smart_energy = [
        record.getMessage()
        for record in caplog.records
        if "too short for a ZCL header" in record.getMessage()
    ]
    assert len(smart_energy) == 1
    assert str(display.ieee) in smart_energy[0]

    # The devices go quiet, so that no frame (a lock report and the gateway's
    # answer to it) is still on its way when the test ends.
    for device in (meter, display, lock):
        simulator.set_online(device, False)
    await asyncio.sleep(1)
    await hass.async_block_till_done()


async def test_the_guard_leaves_with_the_entry(
    hass: HomeAssistant,
    simulator: Network,
    setup_zha: Callable[..., Coroutine[Any, Any, None]],
    se_entry: MockConfigEntry,
) -> None:
    await setup_zha()
    app = application(hass)
    assert "packet_received" not in vars(app)

    assert await hass.config_entries.async_setup(se_entry.entry_id)
    await hass.async_block_till_done()
    guard = frame_guard.active_guard(app)
    assert guard is not None
    assert guard.app is app
    assert "packet_received" in vars(app)

    assert await hass.config_entries.async_unload(se_entry.entry_id)
    await hass.async_block_till_done()
    assert frame_guard.active_guard(app) is None
    # zigpy's own method is back: every wrapper left with the entry.
    assert "packet_received" not in vars(app)
    assert zha_state(hass) is ConfigEntryState.LOADED
