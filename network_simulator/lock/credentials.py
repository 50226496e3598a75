"""What the lock MCU stores: passwords, cards, fingerprints, faces and keys.

The raw layouts are those of Tuya's lock DPs as the TY0A01 firmware project's
fork documents them (EDIT-Aeterna/tuya-zigbee-lock-local,
docs/PHASE1_PROTOCOL_REPORT.md sections 6-8):

- DP 48 key, 21 bytes: enabled, key id (2), valid from (4), valid to (4),
  use count (2; 0 and 0xFFFF mean no limit), 8 ASCII characters;
- DP 49 unlock: state, key id (2), key (8), method (2 or 4, per product);
- a temporary password is named by 6 reference bytes; created with a window,
  a one-time flag and 6 digits (21 bytes, or 27 with 6 reserved bytes);
- credential ids are listed as (1-based shard, bit mask) pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Final

KEY_SET_SIZE: Final = 21
KEY_SIZE: Final = 8
REF_SIZE: Final = 6
PASSWORD_DIGITS: Final = 6
UNLIMITED: Final = frozenset({0, 0xFFFF})
BITS: Final = 8


class KeyStatus(IntEnum):
    """The first byte of the DP 48/49 answer."""

    OK = 0
    FAILURE = 1
    OUTSIDE_VALIDITY = 4
    WRONG_KEY = 5


class PasswordResult(IntEnum):
    """The result byte of the temporary password answers."""

    FAILURE = 0
    SUCCESS = 1
    DUPLICATE = 2
    FULL = 3


class Kind(IntEnum):
    """Credential types of DP 54/55 (1 captured, the others assumed)."""

    PASSWORD = 1
    CARD = 2
    FINGERPRINT = 3
    FACE = 4


LIST_DPS: Final = {
    Kind.FINGERPRINT: 58,
    Kind.PASSWORD: 59,
    Kind.CARD: 60,
    Kind.FACE: 93,
}


@dataclass
class Key:
    """A stored password-free key."""

    key: bytes
    valid_from: int
    valid_to: int
    uses_left: int | None


@dataclass
class TemporaryPassword:
    """A stored temporary password."""

    number: int
    digits: str
    valid_from: int
    valid_to: int
    one_time: bool
    frozen: bool = False
    used: bool = False

    def usable(self, now: int) -> bool:
        """Return True when it opens the lock at `now` (GMT seconds)."""
        return (
            self.valid_from <= now < self.valid_to
            and not self.frozen
            and not (self.one_time and self.used)
        )


@dataclass
class CredentialStore:
    """The MCU's memory."""

    password_size: int = 21
    keys: dict[int, Key] = field(default_factory=dict)
    temporary: dict[bytes, TemporaryPassword] = field(default_factory=dict)
    enrolled: dict[Kind, dict[int, str]] = field(
        default_factory=lambda: {kind: {} for kind in Kind}
    )
    capacity: int = 10

    # -- password-free keys ---------------------------------------------------

    def set_key(self, value: bytes) -> tuple[int, int]:
        """Store a DP 48 key; return the status and key id."""
        if len(value) != KEY_SET_SIZE:
            return KeyStatus.FAILURE, 0
        key_id = int.from_bytes(value[1:3])
        if not value[0]:
            self.keys.pop(key_id, None)
            return KeyStatus.OK, key_id
        uses = int.from_bytes(value[11:13])
        self.keys[key_id] = Key(
            value[13:],
            int.from_bytes(value[3:7]),
            int.from_bytes(value[7:11]),
            None if uses in UNLIMITED else uses,
        )
        return KeyStatus.OK, key_id

    def use_key(self, value: bytes, method_size: int, now: int) -> tuple[int, int]:
        """Check a DP 49 unlock; return the status and key id."""
        if len(value) != 3 + KEY_SIZE + method_size or value[0] != 1:
            return KeyStatus.FAILURE, 0
        key_id = int.from_bytes(value[1:3])
        key = self.keys.get(key_id)
        if key is None or key.key != value[3 : 3 + KEY_SIZE]:
            return KeyStatus.WRONG_KEY, key_id
        if not key.valid_from <= now <= key.valid_to or key.uses_left == 0:
            return KeyStatus.OUTSIDE_VALIDITY, key_id
        if key.uses_left is not None:
            key.uses_left -= 1
        return KeyStatus.OK, key_id

    # -- temporary passwords -------------------------------------------------------

    def create(self, value: bytes, *, replace: bool) -> int:
        """Create (DP 24) or modify (DP 26) a password; return the result."""
        if len(value) != self.password_size:
            return PasswordResult.FAILURE
        ref = value[:REF_SIZE]
        digits = value[-PASSWORD_DIGITS:].decode(errors="replace")
        if not digits.isdigit():
            return PasswordResult.FAILURE
        if replace != (ref in self.temporary):
            return PasswordResult.FAILURE
        if not replace:
            if any(p.digits == digits for p in self.temporary.values()):
                return PasswordResult.DUPLICATE
            if len(self.temporary) >= self.capacity:
                return PasswordResult.FULL
        number = self.temporary[ref].number if replace else len(self.temporary) + 1
        self.temporary[ref] = TemporaryPassword(
            number,
            digits,
            int.from_bytes(value[6:10]),
            int.from_bytes(value[10:14]),
            bool(value[-PASSWORD_DIGITS - 1]),
        )
        return PasswordResult.SUCCESS

    def change(self, dpid: int, ref: bytes) -> int:
        """Delete (25), freeze (27), unfreeze (28) or clear all (39)."""
        if len(ref) != REF_SIZE:
            return PasswordResult.FAILURE
        if dpid == 39:
            self.temporary.clear()
            return PasswordResult.SUCCESS
        password = self.temporary.get(ref)
        if password is None:
            return PasswordResult.FAILURE
        if dpid == 25:
            del self.temporary[ref]
        else:
            password.frozen = dpid == 27
        return PasswordResult.SUCCESS

    def temporary_password(self, digits: str, now: int) -> TemporaryPassword | None:
        """Return the usable temporary password with these digits, and use it."""
        for password in self.temporary.values():
            if password.digits == digits and password.usable(now):
                password.used = True
                return password
        return None

    # -- enrolled credentials ------------------------------------------------------

    def enrol(self, kind: Kind, secret: str) -> int:
        """Store a credential; return its hardware id."""
        stored = self.enrolled[kind]
        hardware_id = next(i for i in range(len(stored) + 1) if i not in stored)
        stored[hardware_id] = secret
        return hardware_id

    def delete(self, kind: Kind, hardware_id: int) -> bool:
        """Delete a credential; return False when there was none."""
        return self.enrolled[kind].pop(hardware_id, None) is not None

    def find(self, kind: Kind, secret: str) -> int | None:
        """Return the hardware id of an enrolled credential."""
        for hardware_id, stored in self.enrolled[kind].items():
            if stored == secret:
                return hardware_id
        return None

    def id_list(self, kind: Kind) -> bytes:
        """Return the ids of `kind` as (shard, mask) pairs; 00 00 when none."""
        shards: dict[int, int] = {}
        for hardware_id in self.enrolled[kind]:
            shard = hardware_id // BITS + 1
            shards[shard] = shards.get(shard, 0) | 1 << hardware_id % BITS
        if not shards:
            return b"\x00\x00"
        return b"".join(bytes((s, shards[s])) for s in sorted(shards))
