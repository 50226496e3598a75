"""Remote unlock: the requests the gateway sends and the lock's answers.

A product unlocks remotely in one of three ways (its row in `products` says
which, and holds the layout details that are not public):

- ``PASSWORD_DP21``: raw DP 21, the lock's 6-digit remote password in ASCII;
  the result comes back in DP 22 (Tuya's Residential Lock DP Reference).
  Shown unlocking ``_TYST12_ujcjk46o`` by the TY0A01 firmware project fork
  EDIT-Aeterna/tuya-zigbee-lock-local (docs/lock-profiles/ujcjk46o.md,
  docs/REMOTE_UNLOCK_PROTOCOL.md); its upstream converter
  zigbee2mqtt/kagel_lock.js notes that 8 digits are refused and 6 unlock.
- ``PASSWORD_DP103``: raw DP 103, an 8-digit ASCII password, as one Tuya
  gateway capture shows; no public source names the product.
- ``PASSWORD_FREE``: DP 48 stores a key, then DP 49 unlocks with it:

  - DP 48, 21 bytes: enabled (1), key id (2), valid from (4), valid to (4),
    use count (2), key (8 ASCII characters); GMT seconds, big-endian.
  - DP 49: state (1, 1 = open), key id (2), key (8), unlock method: 2 bytes
    (13 in all) on ``_TYST12_srptwvak`` (captured: ``01 0001 <8 digits>
    0001``, EDIT-Aeterna/tuya-zigbee-lock-local
    tests/fixtures/target_srptwvak/remote_unlock/dp49_request.json), 4 bytes
    (15 in all) in Tuya's generic layout (same project,
    docs/PHASE1_PROTOCOL_REPORT.md section 7). A Tuya BLE lock uses the same
    13-byte request (a ha_tuya_ble fork, custom_components/tuya_ble/lock.py,
    "Smart Lock T83"), and tuya-local drives DP 48/49 on a Zigbee lock
    (make-all/tuya-local PR 5536).
  - Both answer 3 bytes, status (1) and key id (2); status 0 is success
    (the ``_TYST12_srptwvak`` capture answers a successful unlock with
    ``00 0001``). The other status values are the BLE lock's
    (`KeyStatus`), assumed the same on Zigbee.

DP 22 is read as a bool (1 = success, as Zigbee2MQTT's converters and the
cloud ``remote_result`` do); as an enum, a value or raw bytes it is read like
the key answers' status: 0 (the first byte) is success. No public capture
shows DP 22 as anything but a bool, so the other readings are assumptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum
import secrets
from typing import Final

from .datapoints import Datapoint, DpType, raw_dp

PASSWORD_DP: Final = 21
PASSWORD_DIGITS: Final = 6
PASSWORD_8_DP: Final = 103
PASSWORD_8_DIGITS: Final = 8
RESULT_DP: Final = 22
KEY_SET_DP: Final = 48
KEY_UNLOCK_DP: Final = 49
KEY_SIZE: Final = 8
KEY_ANSWER_SIZE: Final = 3
STATE_OPEN: Final = 1
UNLIMITED_USES: Final = 0xFFFF


class RemoteUnlockMethod(StrEnum):
    """How a product unlocks remotely."""

    PASSWORD_DP21 = "password_dp21"  # noqa: S105 (a method name, not a secret)
    PASSWORD_DP103 = "password_dp103"  # noqa: S105
    PASSWORD_FREE = "password_free"  # noqa: S105


class KeyStatus(IntEnum):
    """Status byte of the DP 48 and DP 49 answers (0 evidenced, the rest BLE)."""

    SUCCESS = 0
    FAILURE = 1
    PASSWORD_ERROR = 2
    TIMEOUT = 3
    OUTSIDE_VALIDITY = 4
    WRONG_KEY = 5
    DOUBLE_LOCKED = 6


@dataclass(frozen=True, slots=True)
class KeyUnlockLayout:
    """A product's password-free details; `evidence` empty means assumed.

    `method_size` is the width of DP 49's unlock method field (2 or 4 bytes)
    and `method` its value; the gateway stores one key under `key_id`, valid
    `validity_s` either side of now, for `use_count` unlocks.
    """

    method_size: int = 4
    method: int = 0
    key_id: int = 1
    validity_s: int = 300
    use_count: int = 1
    evidence: str = ""


GENERIC_KEY_LAYOUT: Final = KeyUnlockLayout()


@dataclass(frozen=True, slots=True)
class PasswordFreeKey:
    """A key for DP 48: valid from `valid_from` to `valid_to` (GMT seconds)."""

    key_id: int
    key: str
    valid_from: int
    valid_to: int
    use_count: int = 1
    enabled: bool = True

    def __repr__(self) -> str:
        """Describe the key without showing it."""
        return (
            f"PasswordFreeKey(key_id={self.key_id}, valid_from={self.valid_from},"
            f" valid_to={self.valid_to}, use_count={self.use_count})"
        )


@dataclass(frozen=True, slots=True)
class KeyAnswer:
    """The lock's answer to DP 48 or DP 49."""

    status: int
    key_id: int

    @property
    def success(self) -> bool:
        """Return True when the lock accepted the key or unlocked."""
        return self.status == KeyStatus.SUCCESS


def _digits(password: str, count: int) -> bytes:
    if not (len(password) == count and password.isascii() and password.isdigit()):
        raise ValueError(f"the password must be {count} digits")
    return password.encode("ascii")


def password_datapoint(password: str) -> Datapoint:
    """Build DP 21: the lock's 6-digit remote password (ASCII)."""
    return raw_dp(PASSWORD_DP, _digits(password, PASSWORD_DIGITS))


def password_8_datapoint(password: str) -> Datapoint:
    """Build DP 103: an 8-digit remote password (ASCII)."""
    return raw_dp(PASSWORD_8_DP, _digits(password, PASSWORD_8_DIGITS))


def new_key() -> str:
    """Return a fresh random key of 8 digits."""
    return f"{secrets.randbelow(10**KEY_SIZE):0{KEY_SIZE}d}"


def key_for(layout: KeyUnlockLayout, key: str, now: datetime) -> PasswordFreeKey:
    """Return the key to store for one unlock around `now`."""
    seconds = int(now.timestamp())
    return PasswordFreeKey(
        layout.key_id,
        key,
        seconds - layout.validity_s,
        seconds + layout.validity_s,
        layout.use_count,
    )


def key_set_datapoint(key: PasswordFreeKey) -> Datapoint:
    """Build DP 48 (21 bytes): store a password-free key."""
    return raw_dp(
        KEY_SET_DP,
        bytes((int(key.enabled),))
        + key.key_id.to_bytes(2)
        + key.valid_from.to_bytes(4)
        + key.valid_to.to_bytes(4)
        + key.use_count.to_bytes(2)
        + _digits(key.key, KEY_SIZE),
    )


def key_unlock_datapoint(layout: KeyUnlockLayout, key: PasswordFreeKey) -> Datapoint:
    """Build DP 49 (13 or 15 bytes): unlock with a stored key."""
    return raw_dp(
        KEY_UNLOCK_DP,
        bytes((STATE_OPEN,))
        + key.key_id.to_bytes(2)
        + _digits(key.key, KEY_SIZE)
        + layout.method.to_bytes(layout.method_size),
    )


def decode_key_answer(raw: bytes) -> KeyAnswer | None:
    """Read a 3-byte DP 48/49 answer; None when it is not 3 bytes."""
    if len(raw) != KEY_ANSWER_SIZE:
        return None
    return KeyAnswer(raw[0], int.from_bytes(raw[1:]))


def remote_result(datapoint: Datapoint) -> bool | None:
    """Read DP 22: True when the remote unlock succeeded."""
    value = datapoint.value
    if datapoint.type == DpType.BOOL:
        return bool(value)
    if isinstance(value, int):
        return value == KeyStatus.SUCCESS
    if isinstance(value, bytes) and value:
        return value[0] == KeyStatus.SUCCESS
    return None
