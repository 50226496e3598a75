"""The gateway's cluster against the simulated lock: two codecs, one standard.

Each profile of the simulated lock mirrors a product row of the gateway; a
remote unlock, records, settings, the time and MCU updates have to work
across, every byte encoded by one side and decoded by the other.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from network_simulator.lock.profiles import PROFILES, RemoteUnlock
from se_gateway_core.tuya_lock import events as ev
from se_gateway_core.tuya_lock.dp_map import UnlockMethod
from se_gateway_core.tuya_lock.mcu_ota import McuOtaImage
from se_gateway_core.tuya_lock.products import product_for
from se_gateway_core.tuya_lock.remote_unlock import RemoteUnlockMethod

from .lock_bridge import Bridge

METHODS = {
    RemoteUnlock.PASSWORD_6: RemoteUnlockMethod.PASSWORD_DP21,
    RemoteUnlock.PASSWORD_8: RemoteUnlockMethod.PASSWORD_DP103,
    RemoteUnlock.KEYS: RemoteUnlockMethod.PASSWORD_FREE,
}
PASSWORDS = {"simlock": "123456", "dp21": "123456", "ty0a02": "12345678"}


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_profile_mirrors_a_product_row(name: str) -> None:
    profile = PROFILES[name]
    product = product_for(profile.manufacturer, profile.model)
    assert product.remote_unlock is METHODS[profile.remote_unlock]
    if profile.remote_unlock is RemoteUnlock.KEYS:
        assert product.key_layout.method_size == profile.key_method_size
    assert int(product.password_layout) == profile.password_size
    assert {s.dpid for s in product.settings} == set(profile.settings)


async def started(name: str, **kwargs: object) -> Bridge:
    bridge = Bridge(name, **kwargs)
    await bridge.tick(0.0)
    assert bridge.sim.time_synced  # the gateway's time reply was accepted
    return bridge


@pytest.mark.parametrize("name", sorted(PROFILES))
async def test_remote_unlock(name: str) -> None:
    bridge = await started(name)
    task = asyncio.create_task(bridge.cluster.remote_unlock(PASSWORDS.get(name, "")))
    await bridge.run()
    await task
    await bridge.run()
    assert bridge.sim.remote_unlocks == [True]
    assert not bridge.sim.locked
    (result,) = bridge.events_of(ev.RemoteUnlockResult)
    assert result.success
    (unlock,) = bridge.events_of(ev.UnlockEvent)
    assert unlock.method is UnlockMethod.APP


@pytest.mark.parametrize("name", ["simlock", "ty0a02"])
async def test_a_wrong_password_is_refused(name: str) -> None:
    bridge = await started(name)
    wrong = "0" * len(PASSWORDS[name])
    await bridge.cluster.remote_unlock(wrong)
    await bridge.run()
    (result,) = bridge.events_of(ev.RemoteUnlockResult)
    assert not result.success
    assert bridge.sim.remote_unlocks == [False]
    assert bridge.sim.locked


async def test_a_lock_whose_clock_is_far_off_refuses_the_key() -> None:
    bridge = await started("password-free")
    # The lock's clock runs a day behind: the key is not valid yet for it.
    bridge.sim.mcu._time = (bridge.sim.mcu.gmt_now() - 86_400, 0, bridge.clock.now)
    task = asyncio.create_task(bridge.cluster.remote_unlock(""))
    await bridge.run()
    await task
    await bridge.run()
    (result,) = bridge.events_of(ev.RemoteUnlockResult)
    assert not result.success
    assert bridge.sim.remote_unlocks == [False]


async def test_records_and_reports_reach_the_gateway_once() -> None:
    bridge = await started("simlock")
    at = datetime(2026, 10, 1, 7, 0, tzinfo=UTC)
    bridge.sim.unlock("fingerprint", 4, at=at)
    bridge.sim.door(True, at=at)
    bridge.sim.battery(77)
    await bridge.run()
    (unlock,) = bridge.events_of(ev.UnlockEvent)
    assert (unlock.method, unlock.user_id, unlock.timestamp) == (
        UnlockMethod.FINGERPRINT,
        4,
        at,
    )
    (door,) = bridge.events_of(ev.DoorStateChanged)
    assert door.timestamp == at
    assert bridge.events_of(ev.BatteryLevel)[0].percent == 77
    assert bridge.sim.outbox.in_flight is None  # every report was acknowledged
    assert len(bridge.sim.outbox.delivered) == 4  # the settings, then these


async def test_settings_are_written_and_reported() -> None:
    bridge = await started("simlock")
    volume = next(s for s in bridge.cluster.settings if s.key == "volume")
    await bridge.cluster.send_datapoints(volume.datapoint("mute"))
    await bridge.run()
    reports = [e for e in bridge.events_of(ev.ConfigReport) if e.name == "volume"]
    assert [e.value for e in reports] == [2, 0]  # at start-up, then written
    assert bridge.sim.config[31].number == 0


async def test_version_query_and_internet_status() -> None:
    bridge = await started("dp21")
    query = asyncio.create_task(bridge.cluster.query_mcu_version())
    await bridge.run()
    assert await query == "1.0.1"
    await bridge.cluster.send_internet_status()
    await bridge.run()
    assert bridge.sim.internet_statuses == [1]
    assert bridge.events_of(ev.InternetStatusAcknowledged)


async def test_mcu_update_across_the_serial_line() -> None:
    bridge = await started("password-free")
    image = bytes(range(256)) * 2
    update = McuOtaImage(b"srptwvak", 0b01_00_0011, image, 0xCAFE)
    task = asyncio.create_task(bridge.cluster.update_mcu_firmware(update))
    await bridge.run(rounds=200)
    outcome = await task
    await bridge.run()
    assert outcome.success
    assert outcome.bytes_sent == len(image)
    assert bridge.sim.firmware == image
    versions = bridge.events_of(ev.VersionReport)
    assert versions[-1].version == "1.0.3"
