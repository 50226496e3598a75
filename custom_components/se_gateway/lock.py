"""The lock entity of a Tuya Zigbee door lock."""

from __future__ import annotations

from typing import Any

from homeassistant.components.lock import LockEntity
from homeassistant.core import HomeAssistant, ServiceResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN, LOCK_FIRMWARE_TIMEOUT_S
from .data import SEGatewayConfigEntry
from .entity import TuyaLockEntity
from .platform import async_setup_lock_platform
from .tuya_lock import TuyaLock
from .tuya_lock_firmware import FirmwareRequest, async_update_firmware

# A firmware update holds its action for minutes; it must not hold up unlocks.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a lock entity for every Tuya lock."""
    async_setup_lock_platform(
        hass, entry, async_add_entities, lambda lock: [TuyaLockLock(lock)]
    )


class TuyaLockLock(TuyaLockEntity, LockEntity):
    """A Tuya lock: unlocks remotely with the lock's 6-digit remote password."""

    _attr_name = None
    _attr_code_format = r"^\d{6}$"

    def __init__(self, lock: TuyaLock) -> None:
        """Create the lock entity."""
        super().__init__(lock, "lock")

    @property
    def is_locked(self) -> bool:
        """Return True when the lock is locked."""
        return self.tuya_lock.state.locked

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Return the last unlock and whether a remote unlock request waits."""
        last = self.tuya_lock.state.last_unlock
        return {
            "last_unlock_method": str(last.method) if last else None,
            "last_unlock_user_id": last.user_id if last else None,
            "remote_unlock_requested": self.tuya_lock.remote_request_pending,
        }

    async def async_unlock(self, **kwargs: Any) -> None:
        """Unlock remotely; the code is the lock's remote unlock password."""
        await self.tuya_lock.async_remote_unlock(kwargs.get("code"))
        self.async_write_ha_state()

    async def async_lock(self, **kwargs: Any) -> None:
        """Refuse: these locks lock themselves."""
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="lock_locks_itself"
        )

    async def async_answer_remote_unlock(
        self, approve: bool, code: str | None = None
    ) -> None:
        """Approve (with the code) or deny the lock's remote unlock request."""
        if not self.tuya_lock.remote_request_pending:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="lock_no_remote_request"
            )
        if approve:
            await self.tuya_lock.async_remote_unlock(code)
        else:
            self.tuya_lock.async_deny_remote_request()
        self.async_write_ha_state()

    async def async_update_lock_firmware(
        self,
        file: str,
        version: str,
        checksum: int,
        product_id: str | None = None,
        timeout: float = LOCK_FIRMWARE_TIMEOUT_S,
    ) -> ServiceResponse:
        """Update the lock's MCU firmware from an image file; return the result."""
        request = FirmwareRequest(file, version, checksum, product_id, timeout)
        return await async_update_firmware(self.tuya_lock, request)
