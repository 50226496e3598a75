"""The lock datapoint map, as data: one row per DP.

Adding a product means adding rows (see `with_rows`), not code. Rows 1-10
follow Tuya's "Residential Lock DP Reference (Zigbee)"; the rest come from
an open firmware project tested on TY0A01 locks, Domoticz-Zigbee, tuya-local
and Zigbee2MQTT user reports. Rows marked "product-specific" were seen on one
product only.

No public Zigbee lock source names a "remote unlock request" DP (the Wi-Fi
``jtmspro`` locks use ``unlock_request``, a countdown in seconds), so the
default map has none; a product that has one adds, for example::

    DpRow(50, "unlock_request", DpKind.REMOTE_UNLOCK_REQUEST, number)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from types import MappingProxyType
from typing import Final

from .datapoints import SENSITIVE_DPS, Datapoint, DpType, raw_dp

type DecodedValue = int | bool | bytes | str | None


class DpKind(StrEnum):
    """What a datapoint means for the lock."""

    UNLOCK = "unlock"
    DOOR_STATE = "door_state"
    ALARM = "alarm"
    BATTERY = "battery"
    DOORBELL = "doorbell"
    DURESS = "duress"
    REMOTE_UNLOCK_REQUEST = "remote_unlock_request"
    REMOTE_UNLOCK_RESULT = "remote_unlock_result"
    CONFIG = "config"
    COMMAND = "command"
    CREDENTIAL = "credential"


class UnlockMethod(StrEnum):
    """How the lock was opened."""

    FINGERPRINT = "fingerprint"
    PASSWORD = "password"  # noqa: S105
    TEMPORARY_PASSWORD = "temporary_password"  # noqa: S105
    DYNAMIC_PASSWORD = "dynamic_password"  # noqa: S105
    CARD = "card"
    FACE = "face"
    MECHANICAL_KEY = "mechanical_key"
    INSIDE = "inside"
    APP = "app"
    HAND = "hand"
    VOICE = "voice"
    UNSPECIFIED = "unspecified"


class LockAlarm(IntEnum):
    """Values of the alarm DP (9); unknown values stay plain numbers."""

    WRONG_FINGER = 0
    WRONG_PASSWORD = 1
    WRONG_CARD = 2
    WRONG_FACE = 3
    TONGUE_BAD = 4
    TOO_HOT = 5
    UNCLOSED_TIME = 6
    TONGUE_NOT_OUT = 7
    PRY = 8
    KEY_IN = 9
    LOW_BATTERY = 10
    POWER_OFF = 11
    SHOCK = 12
    DEFENSE = 13


def number(datapoint: Datapoint) -> int | None:
    """Read a numeric datapoint (value, enum, bitmap or bool)."""
    value = datapoint.value
    if isinstance(value, int):
        return int(value)
    return None


def flag(datapoint: Datapoint) -> bool | None:
    """Read a datapoint as on/off."""
    value = number(datapoint)
    return None if value is None else value != 0


def user_id(datapoint: Datapoint) -> int | None:
    """Read the user id of an unlock; a bool unlock DP counts as user 0."""
    if datapoint.type == DpType.BOOL:
        return 0 if datapoint.value else None
    return number(datapoint)


def alarm(datapoint: Datapoint) -> int | None:
    """Read the alarm DP as a `LockAlarm`, or the number when unknown."""
    value = number(datapoint)
    if value is None:
        return None
    try:
        return LockAlarm(value)
    except ValueError:
        return value


def opaque(datapoint: Datapoint) -> bytes:
    """Keep the encoded value as it came."""
    return datapoint.raw


@dataclass(frozen=True, slots=True)
class DpRow:
    """One datapoint of a product: what it is and how to read it."""

    dpid: int
    name: str
    kind: DpKind
    decode: Callable[[Datapoint], DecodedValue]
    unlock_method: UnlockMethod | None = None

    @property
    def sensitive(self) -> bool:
        """Return True when the value must never be logged."""
        return self.dpid in SENSITIVE_DPS


def _unlock(dpid: int, name: str, method: UnlockMethod) -> DpRow:
    return DpRow(dpid, name, DpKind.UNLOCK, user_id, method)


LOCK_DP_ROWS: Final[tuple[DpRow, ...]] = (
    _unlock(1, "unlock_fingerprint", UnlockMethod.FINGERPRINT),
    _unlock(2, "unlock_password", UnlockMethod.PASSWORD),
    _unlock(3, "unlock_temporary", UnlockMethod.TEMPORARY_PASSWORD),
    _unlock(4, "unlock_dynamic", UnlockMethod.DYNAMIC_PASSWORD),
    _unlock(5, "unlock_card", UnlockMethod.CARD),
    _unlock(6, "unlock_face", UnlockMethod.FACE),
    _unlock(7, "unlock_key", UnlockMethod.MECHANICAL_KEY),
    DpRow(8, "door_open", DpKind.DOOR_STATE, flag),
    DpRow(9, "alarm_lock", DpKind.ALARM, alarm),
    DpRow(10, "battery", DpKind.BATTERY, number),
    DpRow(12, "reverse_lock", DpKind.CONFIG, number),  # product-specific
    DpRow(14, "doorbell", DpKind.DOORBELL, flag),
    DpRow(16, "motor_direction", DpKind.CONFIG, number),  # product-specific
    DpRow(19, "auto_lock_time", DpKind.CONFIG, number),  # product-specific
    DpRow(21, "remote_unlock_password", DpKind.COMMAND, opaque),
    DpRow(22, "remote_unlock_result", DpKind.REMOTE_UNLOCK_RESULT, flag),
    DpRow(24, "temporary_password_create", DpKind.CREDENTIAL, opaque),
    DpRow(25, "temporary_password_delete", DpKind.CREDENTIAL, opaque),
    DpRow(26, "temporary_password_modify", DpKind.CREDENTIAL, opaque),
    DpRow(27, "temporary_password_freeze", DpKind.CREDENTIAL, opaque),
    DpRow(28, "temporary_password_unfreeze", DpKind.CREDENTIAL, opaque),
    DpRow(35, "hijack", DpKind.DURESS, flag),
    _unlock(36, "open_inside", UnlockMethod.INSIDE),
    _unlock(38, "unlocked", UnlockMethod.UNSPECIFIED),  # product-specific
    DpRow(39, "temporary_password_clear", DpKind.CREDENTIAL, opaque),
    _unlock(40, "unlock_app_no_password", UnlockMethod.APP),  # product-specific
    _unlock(41, "unlock_app", UnlockMethod.APP),
    _unlock(45, "unlock_hand", UnlockMethod.HAND),
    DpRow(48, "password_free_key_set", DpKind.COMMAND, opaque),
    DpRow(49, "password_free_unlock", DpKind.COMMAND, opaque),
    DpRow(54, "unlock_method_add", DpKind.CREDENTIAL, opaque),
    DpRow(55, "unlock_method_delete", DpKind.CREDENTIAL, opaque),
    DpRow(58, "credential_list_58", DpKind.CREDENTIAL, opaque),
    DpRow(59, "credential_list_59", DpKind.CREDENTIAL, opaque),
    DpRow(60, "credential_list_60", DpKind.CREDENTIAL, opaque),
    DpRow(61, "single_use_password", DpKind.CONFIG, flag),
    _unlock(62, "unlock_voice_remote", UnlockMethod.VOICE),
    DpRow(68, "offline_password_unlock", DpKind.CREDENTIAL, opaque),
    DpRow(69, "offline_password_clear", DpKind.CREDENTIAL, opaque),
    DpRow(70, "offline_password_clear_single", DpKind.CREDENTIAL, opaque),
    DpRow(71, "arming_switch", DpKind.CONFIG, flag),
    DpRow(93, "credential_list_93", DpKind.CREDENTIAL, opaque),
)


def with_rows(base: Mapping[int, DpRow], *rows: DpRow) -> Mapping[int, DpRow]:
    """Return a read-only map of `base` with `rows` added or replaced."""
    merged = dict(base)
    merged.update((row.dpid, row) for row in rows)
    return MappingProxyType(merged)


DEFAULT_LOCK_DP_MAP: Final = with_rows({}, *LOCK_DP_ROWS)

REMOTE_UNLOCK_PASSWORD_DP: Final = 21
REMOTE_UNLOCK_PASSWORD_LENGTH: Final = 6


def remote_unlock_datapoint(password: str) -> Datapoint:
    """Build DP 21: remote unlock with the lock's 6-digit password (ASCII)."""
    if not (
        len(password) == REMOTE_UNLOCK_PASSWORD_LENGTH
        and password.isascii()
        and password.isdigit()
    ):
        raise ValueError("the remote unlock password must be 6 digits")
    return raw_dp(REMOTE_UNLOCK_PASSWORD_DP, password.encode("ascii"))
