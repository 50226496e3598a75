"""The lock entity of a Tuya Zigbee door lock."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final, override

from homeassistant.components.lock import LockEntity
from homeassistant.components.lock.const import LockState
from homeassistant.core import HomeAssistant, ServiceResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity

from .const import DOMAIN, LOCK_FIRMWARE_TIMEOUT_S
from .core.tuya_lock.remote_unlock import RemoteUnlockMethod
from .core.tuya_lock.temporary_passwords import DELETE_DP, FREEZE_DP, UNFREEZE_DP
from .data import SEGatewayConfigEntry
from .entity import async_add_device_entities
from .tuya_lock import credentials
from .tuya_lock.entity import TuyaLockEntity
from .tuya_lock.firmware import FirmwareRequest, async_update_firmware
from .tuya_lock.runtime import TuyaLock

# The code each way of remote unlocking takes: the lock's own 6- or 8-digit
# remote password, or (password-free) a code only Home Assistant checks.
CODE_FORMATS: Final = {
    RemoteUnlockMethod.PASSWORD_DP21: r"^\d{6}$",
    RemoteUnlockMethod.PASSWORD_DP103: r"^\d{8}$",
    RemoteUnlockMethod.PASSWORD_FREE: r"^\d{4,12}$",
}

# A firmware update holds its action for minutes; it must not hold up unlocks.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a lock entity for every Tuya lock."""
    async_add_device_entities(
        hass,
        entry,
        async_add_entities,
        entry.runtime_data.locks,
        lambda lock: [TuyaLockLock(lock)],
    )


class TuyaLockLock(TuyaLockEntity, LockEntity, RestoreEntity):
    """A Tuya lock: unlocks remotely the way its product does."""

    _attr_name = None

    def __init__(self, lock: TuyaLock) -> None:
        """Create the lock entity; its code format is its product's."""
        super().__init__(lock, "lock")
        self._attr_code_format = CODE_FORMATS[lock.remote_unlock_method]

    @override
    async def async_added_to_hass(self) -> None:
        """Restore whether the lock was unlocked until it reports again."""
        await super().async_added_to_hass()
        last = await self.async_get_last_state()
        if last is not None and last.state == LockState.UNLOCKED:
            self.tuya_lock.async_restore(locked=False)

    @property
    @override
    def is_locked(self) -> bool:
        """Return True when the lock is locked."""
        return self.tuya_lock.state.locked

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any]:
        """Return the last unlock and whether a remote unlock request waits."""
        last = self.tuya_lock.state.last_unlock
        return {
            "last_unlock_method": str(last.method) if last else None,
            "last_unlock_user_id": last.user_id if last else None,
            "remote_unlock_requested": self.tuya_lock.remote_request_pending,
        }

    @override
    async def async_unlock(self, **kwargs: Any) -> None:
        """Unlock remotely with the code (or the default code)."""
        await self.tuya_lock.async_remote_unlock(
            kwargs.get("code"), self._lock_option_default_code
        )
        self.async_write_ha_state()

    @override
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
            await self.tuya_lock.async_remote_unlock(
                code or self._lock_option_default_code, self._lock_option_default_code
            )
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

    async def async_create_temporary_password(
        self,
        password: str,
        valid_to: datetime,
        valid_from: datetime | None = None,
        one_time: bool = False,
    ) -> ServiceResponse:
        """Create a temporary password on the lock; return its id and window."""
        return await credentials.async_create_temporary_password(
            self.tuya_lock, password, valid_to, valid_from, one_time=one_time
        )

    async def async_modify_temporary_password(
        self,
        password_id: int,
        password: str,
        valid_to: datetime,
        valid_from: datetime | None = None,
        one_time: bool = False,
    ) -> ServiceResponse:
        """Change a temporary password; return its id and window."""
        return await credentials.async_modify_temporary_password(
            self.tuya_lock,
            password_id,
            password,
            valid_to,
            valid_from,
            one_time=one_time,
        )

    async def async_delete_temporary_password(self, password_id: int) -> None:
        """Delete a temporary password."""
        await credentials.async_change_temporary_password(
            self.tuya_lock, DELETE_DP, password_id
        )

    async def async_freeze_temporary_password(self, password_id: int) -> None:
        """Freeze a temporary password: the lock refuses it until unfrozen."""
        await credentials.async_change_temporary_password(
            self.tuya_lock, FREEZE_DP, password_id
        )

    async def async_unfreeze_temporary_password(self, password_id: int) -> None:
        """Unfreeze a temporary password."""
        await credentials.async_change_temporary_password(
            self.tuya_lock, UNFREEZE_DP, password_id
        )

    async def async_clear_temporary_passwords(self) -> None:
        """Delete every temporary password on the lock."""
        await credentials.async_clear_temporary_passwords(self.tuya_lock)

    async def async_enrol_credential(
        self, credential_type: str, member_id: int = 1, administrator: bool = False
    ) -> ServiceResponse:
        """Start enrolling a fingerprint, card, password or face at the lock."""
        return await credentials.async_enrol(
            self.tuya_lock, credential_type, member_id, administrator=administrator
        )

    async def async_cancel_enrolment(self) -> None:
        """Stop the enrolment under way."""
        await credentials.async_cancel_enrolment(self.tuya_lock)

    async def async_delete_credential(
        self, credential_type: str, credential_id: int, member_id: int = 1
    ) -> None:
        """Delete an enrolled fingerprint, card, password or face."""
        await credentials.async_delete_credential(
            self.tuya_lock, credential_type, credential_id, member_id
        )

    async def async_get_credentials(self) -> ServiceResponse:
        """Return the enrolled ids and the temporary passwords (no digits)."""
        return credentials.credentials_overview(self.tuya_lock)
