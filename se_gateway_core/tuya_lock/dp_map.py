"""The lock datapoint map, as data: one row per DP.

Adding a product means adding rows (see `with_rows` and `products`), not
code. Rows 1-10 follow Tuya's "Residential Lock DP Reference (Zigbee)"; the
rest come from the TY0A01 firmware project (fork EDIT-Aeterna/tuya-zigbee-
lock-local), Zigbee2MQTT converter PRs 10774-10777 (``_TYST12_j2pnjbsd``),
zha-device-handlers issue 2045 (``_TYST12_snr3p274`` cloud function list),
Domoticz-Zigbee and tuya-local. Rows marked "product-specific" were seen on
one product only.

No public Zigbee lock source names a "remote unlock request" DP (the Wi-Fi
``jtmspro`` locks use ``unlock_request``, a countdown in seconds), so the
reference map has none; `products` adds one, as an assumption, to the
profile of unknown locks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from types import MappingProxyType
from typing import Final

from .datapoints import SENSITIVE_DPS, Datapoint, DpType
from .enrolment import (
    DeleteReport,
    EnrolmentReport,
    decode_delete,
    decode_enrolment,
    decode_id_list,
)
from .remote_unlock import KeyAnswer, decode_key_answer, remote_result
from .temporary_passwords import PasswordAnswer, decode_answer

type Credentials = (
    KeyAnswer | PasswordAnswer | EnrolmentReport | DeleteReport | frozenset[int]
)
type DecodedValue = int | bool | bytes | str | Credentials | None


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
    STATE = "state"
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
    """Values of the alarm DP (9); unknown values stay plain numbers.

    Tuya's ``alarm_lock`` names; 0-10 in Tuya's Zigbee DP reference, 0-13 in
    Zigbee2MQTT converter PRs 10774-10777.
    """

    WRONG_FINGER = 0  # wrong fingerprint
    WRONG_PASSWORD = 1
    WRONG_CARD = 2
    WRONG_FACE = 3
    TONGUE_BAD = 4  # the latch is stuck
    TOO_HOT = 5  # high temperature
    UNCLOSED_TIME = 6  # the door was not closed in time
    TONGUE_NOT_OUT = 7  # the latch did not pop out
    PRY = 8  # anti-pry
    KEY_IN = 9  # a mechanical key is inserted
    LOW_BATTERY = 10
    POWER_OFF = 11  # the battery is depleted
    SHOCK = 12  # vibration
    DEFENSE = 13  # arming


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


def key_answer(datapoint: Datapoint) -> KeyAnswer | bytes:
    """Read a DP 48 answer: status and key id (raw when not 3 bytes)."""
    return decode_key_answer(datapoint.raw) or datapoint.raw


def key_unlock_result(datapoint: Datapoint) -> bool | None:
    """Read a DP 49 answer as the remote unlock's success."""
    answer = decode_key_answer(datapoint.raw)
    return None if answer is None else answer.success


def password_answer(datapoint: Datapoint) -> PasswordAnswer | bytes:
    """Read a DP 24-28/39 answer (raw when not 7 bytes)."""
    return decode_answer(datapoint.raw) or datapoint.raw


def enrolment(datapoint: Datapoint) -> EnrolmentReport | bytes:
    """Read a DP 54 report (raw when not 9 bytes)."""
    return decode_enrolment(datapoint.raw) or datapoint.raw


def deletion(datapoint: Datapoint) -> DeleteReport | bytes:
    """Read a DP 55 report (raw when not 9 bytes)."""
    return decode_delete(datapoint.raw) or datapoint.raw


def id_list(datapoint: Datapoint) -> frozenset[int] | bytes:
    """Read a DP 58-60/93 list of credential ids (raw when malformed)."""
    ids = decode_id_list(datapoint.raw)
    return datapoint.raw if ids is None else ids


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


def _credential(
    dpid: int, name: str, decode: Callable[[Datapoint], DecodedValue]
) -> DpRow:
    return DpRow(dpid, name, DpKind.CREDENTIAL, decode)


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
    DpRow(12, "reverse_lock", DpKind.CONFIG, number),
    DpRow(14, "doorbell", DpKind.DOORBELL, flag),
    DpRow(16, "motor_direction", DpKind.CONFIG, number),  # product-specific
    DpRow(19, "auto_lock_time", DpKind.CONFIG, number),  # product-specific
    DpRow(21, "remote_unlock_password", DpKind.COMMAND, opaque),
    DpRow(22, "remote_unlock_result", DpKind.REMOTE_UNLOCK_RESULT, remote_result),
    DpRow(23, "remote_unlock_switch", DpKind.CONFIG, number),
    _credential(24, "temporary_password_create", password_answer),
    _credential(25, "temporary_password_delete", password_answer),
    _credential(26, "temporary_password_modify", password_answer),
    _credential(27, "temporary_password_freeze", password_answer),
    _credential(28, "temporary_password_unfreeze", password_answer),
    DpRow(35, "hijack", DpKind.DURESS, flag),
    _unlock(36, "open_inside", UnlockMethod.INSIDE),
    _unlock(38, "unlocked", UnlockMethod.UNSPECIFIED),  # product-specific
    _credential(39, "temporary_password_clear", password_answer),
    _unlock(40, "unlock_app_no_password", UnlockMethod.APP),  # product-specific
    _unlock(41, "unlock_app", UnlockMethod.APP),
    _unlock(45, "unlock_hand", UnlockMethod.HAND),
    DpRow(47, "closed_opened", DpKind.STATE, number),
    _credential(48, "password_free_key_set", key_answer),
    DpRow(49, "password_free_unlock", DpKind.REMOTE_UNLOCK_RESULT, key_unlock_result),
    _credential(54, "unlock_method_add", enrolment),
    _credential(55, "unlock_method_delete", deletion),
    DpRow(57, "lock_motor_state", DpKind.STATE, flag),
    _credential(58, "fingerprint_ids", id_list),
    _credential(59, "password_ids", id_list),
    _credential(60, "card_ids", id_list),
    DpRow(61, "single_use_password", DpKind.CONFIG, flag),
    _unlock(62, "unlock_voice_remote", UnlockMethod.VOICE),
    _credential(68, "offline_password_unlock", opaque),
    _credential(69, "offline_password_clear", opaque),
    _credential(70, "offline_password_clear_single", opaque),
    DpRow(71, "arming_switch", DpKind.CONFIG, number),
    DpRow(76, "normal_open_switch", DpKind.CONFIG, number),
    _credential(93, "face_ids", id_list),
    DpRow(103, "remote_unlock_password_8", DpKind.COMMAND, opaque),
)


def with_rows(base: Mapping[int, DpRow], *rows: DpRow) -> Mapping[int, DpRow]:
    """Return a read-only map of `base` with `rows` added or replaced."""
    merged = dict(base)
    merged.update((row.dpid, row) for row in rows)
    return MappingProxyType(merged)


DEFAULT_LOCK_DP_MAP: Final = with_rows({}, *LOCK_DP_ROWS)
