"""What the gateway keeps about its locks, privately: keys and temporary passwords.

One Home Assistant `Store`, written with ``private=True`` (readable by its
owner only), per config entry. Per lock (by IEEE address) it holds

- the password-free key the gateway set on DP 48 (the key itself: never
  logged, never in diagnostics, events or state attributes);
- the temporary passwords created from Home Assistant: their reference
  number, validity window, one-time flag and frozen flag. Their digits are
  not kept: the lock keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, TypedDict

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from ..const import DOMAIN
from ..core.tuya_lock.remote_unlock import PasswordFreeKey
from ..datetimes import parse_datetime

STORAGE_VERSION: Final = 1
STORAGE_KEY: Final = f"{DOMAIN}.tuya_lock_secrets"
SAVE_DELAY_S: Final = 0


class _KeyData(TypedDict):
    key_id: int
    key: str
    valid_from: int
    valid_to: int
    use_count: int


class _PasswordData(TypedDict):
    valid_from: str
    valid_to: str
    one_time: bool
    frozen: bool


class _LockData(TypedDict, total=False):
    key: _KeyData
    temporary_passwords: dict[str, _PasswordData]


@dataclass(frozen=True, slots=True)
class TemporaryPasswordInfo:
    """A temporary password created from Home Assistant, without its digits."""

    password_id: int
    valid_from: datetime
    valid_to: datetime
    one_time: bool
    frozen: bool = False

    def as_dict(self) -> dict[str, Any]:
        """Return what actions answer and diagnostics show."""
        return {
            "password_id": self.password_id,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat(),
            "one_time": self.one_time,
            "frozen": self.frozen,
        }


class LockSecrets:
    """The private store of every lock's key and temporary passwords."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Create the store; `async_load` reads it."""
        self._store: Store[dict[str, _LockData]] = Store(
            hass, STORAGE_VERSION, STORAGE_KEY, private=True
        )
        self._data: dict[str, _LockData] = {}
        self._loaded = False

    async def async_load(self) -> None:
        """Read the store once."""
        if self._loaded:
            return
        self._data = await self._store.async_load() or {}
        self._loaded = True

    def _lock(self, ieee: str) -> _LockData:
        return self._data.setdefault(ieee, {})

    def _save(self) -> None:
        self._store.async_delay_save(lambda: self._data, SAVE_DELAY_S)

    def key(self, ieee: str) -> PasswordFreeKey | None:
        """Return the key the lock holds, if the gateway set one."""
        data = self._data.get(ieee, {}).get("key")
        if data is None:
            return None
        return PasswordFreeKey(
            data["key_id"],
            data["key"],
            data["valid_from"],
            data["valid_to"],
            data["use_count"],
        )

    def set_key(self, ieee: str, key: PasswordFreeKey) -> None:
        """Remember the key the lock accepted."""
        self._lock(ieee)["key"] = {
            "key_id": key.key_id,
            "key": key.key,
            "valid_from": key.valid_from,
            "valid_to": key.valid_to,
            "use_count": key.use_count,
        }
        self._save()

    def temporary_passwords(self, ieee: str) -> list[TemporaryPasswordInfo]:
        """Return the temporary passwords created from Home Assistant."""
        stored = self._data.get(ieee, {}).get("temporary_passwords", {})
        return [
            TemporaryPasswordInfo(
                int(password_id),
                _datetime(data["valid_from"]),
                _datetime(data["valid_to"]),
                data["one_time"],
                data["frozen"],
            )
            for password_id, data in sorted(stored.items(), key=lambda i: int(i[0]))
        ]

    def temporary_password(
        self, ieee: str, password_id: int
    ) -> TemporaryPasswordInfo | None:
        """Return one temporary password, if Home Assistant created it."""
        for password in self.temporary_passwords(ieee):
            if password.password_id == password_id:
                return password
        return None

    def next_password_id(self, ieee: str) -> int:
        """Return the lowest free reference number (1-65535)."""
        used = {p.password_id for p in self.temporary_passwords(ieee)}
        return next(i for i in range(1, 0x10000) if i not in used)

    def set_temporary_password(
        self, ieee: str, password: TemporaryPasswordInfo
    ) -> None:
        """Remember a temporary password (without its digits)."""
        passwords = self._lock(ieee).setdefault("temporary_passwords", {})
        passwords[str(password.password_id)] = {
            "valid_from": password.valid_from.isoformat(),
            "valid_to": password.valid_to.isoformat(),
            "one_time": password.one_time,
            "frozen": password.frozen,
        }
        self._save()

    def remove_temporary_passwords(self, ieee: str, *password_ids: int) -> None:
        """Forget some temporary passwords, or all when none is named."""
        passwords = self._lock(ieee).setdefault("temporary_passwords", {})
        if not password_ids:
            passwords.clear()
        for password_id in password_ids:
            passwords.pop(str(password_id), None)
        self._save()


def _datetime(text: str) -> datetime:
    parsed = parse_datetime(text)
    if parsed is None:
        raise ValueError(f"not a datetime: {text}")
    return parsed
