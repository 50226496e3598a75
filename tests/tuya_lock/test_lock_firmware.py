"""MCU firmware updates end to end: an image file, the real ZHA, the simulated lock."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
import pytest

from custom_components.se_gateway.const import DOMAIN, EVENT_LOCK_FIRMWARE_RESULT
from network_simulator import Network

from .conftest import PairedLock

IMAGE = bytes((i * 7 + 3) & 0xFF for i in range(1000))
CHECKSUM = 0x12345678


@pytest.fixture
def image_dir(hass: HomeAssistant, tmp_path: Path) -> Path:
    """A folder Home Assistant may read, holding a 1000-byte MCU image."""
    hass.config.allowlist_external_dirs = {str(tmp_path)}
    (tmp_path / "lock.bin").write_bytes(IMAGE)
    return tmp_path


@pytest.fixture
def results(hass: HomeAssistant) -> list[Event]:
    """The firmware result bus events."""
    events: list[Event] = []
    hass.bus.async_listen(EVENT_LOCK_FIRMWARE_RESULT, events.append)
    return events


async def update(
    paired_lock: PairedLock, file: Path | str, **data: Any
) -> dict[str, Any]:
    """Call the action on the lock entity and return the lock's response."""
    entity_id = paired_lock.entity_id("lock.lock")
    response = await paired_lock.hass.services.async_call(
        DOMAIN,
        "update_lock_firmware",
        {
            "entity_id": entity_id,
            "file": str(file),
            "version": "1.0.2",
            "checksum": CHECKSUM,
            **data,
        },
        blocking=True,
        return_response=True,
    )
    assert response is not None
    result = response[entity_id]
    assert isinstance(result, dict)
    return result


async def test_the_lock_assembles_the_file_and_reports_its_new_version(
    hass: HomeAssistant, paired_lock: PairedLock, image_dir: Path, results: list[Event]
) -> None:
    sim = paired_lock.sim
    sim.ota_block_size = 200

    result = await update(paired_lock, image_dir / "lock.bin")

    assert sim.firmware == IMAGE
    (notify,) = sim.ota_notifies
    assert (notify.pid, notify.version, notify.size, notify.checksum) == (
        b"simlock1",
        0b01_00_0010,
        len(IMAGE),
        CHECKSUM,
    )
    expected = {"success": True, "status": 0, "bytes_sent": 1000, "version": "1.0.2"}
    assert result == expected
    await hass.async_block_till_done()
    (event,) = results
    assert event.data == {
        "device_id": paired_lock.device_id,
        "ieee": str(sim.ieee),
        **expected,
    }
    device = dr.async_get(hass).async_get(paired_lock.device_id)
    assert device is not None
    assert device.sw_version == "1.0.2"


async def test_a_failed_update_is_reported(
    hass: HomeAssistant, paired_lock: PairedLock, image_dir: Path, results: list[Event]
) -> None:
    paired_lock.sim.ota_fail = True

    result = await update(paired_lock, image_dir / "lock.bin", product_id="simlock1")

    assert result == {
        "success": False,
        "status": 1,
        "bytes_sent": 1000,
        "version": None,
    }
    await hass.async_block_till_done()
    assert [event.data["success"] for event in results] == [False]
    assert paired_lock.sim.mcu_version == 0b01_00_0001


@pytest.mark.parametrize(
    ("name", "content", "key"),
    [
        ("missing.bin", None, "lock_firmware_unreadable"),
        ("empty.bin", b"", "lock_firmware_empty"),
        ("folder", "dir", "lock_firmware_unreadable"),
    ],
)
async def test_bad_files_are_refused(
    hass: HomeAssistant,
    paired_lock: PairedLock,
    image_dir: Path,
    name: str,
    content: bytes | str | None,
    key: str,
) -> None:
    path = image_dir / name
    if content == "dir":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)

    with pytest.raises(ServiceValidationError) as err:
        await update(paired_lock, path)
    assert err.value.translation_key == key
    assert paired_lock.sim.ota_notifies == []


async def test_a_path_outside_the_allowed_folders_is_refused(
    hass: HomeAssistant, paired_lock: PairedLock, tmp_path: Path
) -> None:
    (tmp_path / "lock.bin").write_bytes(IMAGE)
    hass.config.allowlist_external_dirs = set()

    with pytest.raises(ServiceValidationError) as err:
        await update(paired_lock, tmp_path / "lock.bin")
    assert err.value.translation_key == "lock_firmware_path_not_allowed"
    assert paired_lock.sim.ota_notifies == []


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"version": "1.0"}, "lock_firmware_version_invalid"),
        ({"version": "4.0.0"}, "lock_firmware_version_invalid"),
        ({"product_id": "short"}, "lock_firmware_product_id"),
    ],
)
async def test_bad_fields_are_refused(
    hass: HomeAssistant,
    paired_lock: PairedLock,
    image_dir: Path,
    data: dict[str, Any],
    key: str,
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await update(paired_lock, image_dir / "lock.bin", **data)
    assert err.value.translation_key == key
    assert paired_lock.sim.ota_notifies == []


async def test_a_silent_lock_times_out_and_blocks_a_second_update(
    hass: HomeAssistant, paired_lock: PairedLock, image_dir: Path, results: list[Event]
) -> None:
    paired_lock.sim.ota_silent = True
    first = asyncio.create_task(update(paired_lock, image_dir / "lock.bin", timeout=5))
    # Not `wait_for`: Home Assistant's block_till_done would wait for `first`.
    async with asyncio.timeout(4):
        while not paired_lock.sim.ota_notifies:  # noqa: ASYNC110 (no hook to await)
            await asyncio.sleep(0.05)

    with pytest.raises(HomeAssistantError) as busy:
        await update(paired_lock, image_dir / "lock.bin", timeout=1)
    assert busy.value.translation_key == "lock_firmware_busy"

    with pytest.raises(HomeAssistantError) as late:
        await asyncio.wait_for(first, 10)
    assert late.value.translation_key == "lock_firmware_timeout"
    assert results == []
    assert paired_lock.sim.firmware is None


async def test_an_unreachable_lock_fails_clearly(
    hass: HomeAssistant, simulator: Network, paired_lock: PairedLock, image_dir: Path
) -> None:
    simulator.set_online(paired_lock.sim, False)

    with pytest.raises(HomeAssistantError) as err:
        await update(paired_lock, image_dir / "lock.bin")
    assert err.value.translation_key == "lock_not_reachable"
    assert paired_lock.sim.ota_notifies == []
