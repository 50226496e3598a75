"""Updating a Tuya lock's MCU firmware from an image file the user names.

The lock asks for the image block by block (0x13) after the notify (0x12),
reports the result (0x15) and, once it runs the new firmware, its version
(0x11). The checksum of the notify frame is the user's: its algorithm is not
public.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant, callback
from zigpy.exceptions import ZigbeeException

from ..const import EVENT_LOCK_FIRMWARE_RESULT
from ..core.tuya_lock import events
from ..core.tuya_lock.mcu_ota import McuOtaImage, product_id, version_byte
from ..errors import device_error, user_error
from .runtime import TuyaLock


@dataclass(frozen=True, slots=True)
class FirmwareRequest:
    """What the user asked for: the image file and the notify frame's fields."""

    path: str
    version: str
    checksum: int
    product_id: str | None
    timeout: float


def _valid_path(path: str) -> bool:
    """Return True if ``path`` can name a file: no NUL, valid UTF-8 text."""
    if "\x00" in path:
        return False
    try:
        path.encode()
    except UnicodeError:
        return False
    return True


def _read_image(hass: HomeAssistant, path: str) -> bytes:
    """Read the image file, if Home Assistant may (runs in the executor)."""
    if not _valid_path(path):
        raise user_error("lock_firmware_path_invalid")
    if not hass.config.is_allowed_path(path):
        raise user_error("lock_firmware_path_not_allowed", path=path)
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise user_error("lock_firmware_unreadable", path=path) from err
    if not data:
        raise user_error("lock_firmware_empty", path=path)
    return data


async def _async_image(lock: TuyaLock, request: FirmwareRequest) -> McuOtaImage:
    # The product id is the end of a Tuya manufacturer id, e.g. _TZF320_abcd1234.
    pid = product_id(request.product_id or lock.device.manufacturer)
    if pid is None:
        raise user_error("lock_firmware_product_id")
    try:
        version = version_byte(request.version)
    except ValueError as err:
        raise user_error("lock_firmware_version_invalid") from err
    data = await lock.hass.async_add_executor_job(_read_image, lock.hass, request.path)
    return McuOtaImage(pid, version, data, request.checksum)


async def async_update_firmware(
    lock: TuyaLock, request: FirmwareRequest
) -> dict[str, Any]:
    """Serve the image to the lock; return and fire the result it reports."""
    image = await _async_image(lock, request)
    deadline = lock.hass.loop.time() + request.timeout
    finished = False
    new_version: asyncio.Future[str] = lock.hass.loop.create_future()

    @callback
    def follow(event: events.LockEvent | None) -> None:
        # Only a version reported after the result is the new firmware's.
        nonlocal finished
        if isinstance(event, events.McuOtaFinished):
            finished = True
        elif (
            isinstance(event, events.VersionReport)
            and finished
            and not new_version.done()
        ):
            new_version.set_result(event.version)

    remove = lock.async_add_listener(follow)
    try:
        try:
            async with asyncio.timeout_at(deadline):
                outcome = await lock.cluster.update_mcu_firmware(image)
        except TimeoutError as err:
            raise device_error("lock_firmware_timeout", name=lock.name) from err
        except RuntimeError as err:
            raise device_error("lock_firmware_busy", name=lock.name) from err
        except ZigbeeException as err:
            raise device_error("lock_not_reachable", name=lock.name) from err
        version: str | None = None
        if outcome.success:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout_at(deadline):
                    version = await new_version
    finally:
        remove()
    result = {
        "success": outcome.success,
        "status": outcome.status,
        "bytes_sent": outcome.bytes_sent,
        "version": version,
    }
    lock.fire(EVENT_LOCK_FIRMWARE_RESULT, **result)
    return result
