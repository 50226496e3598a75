"""Temporary passwords (DPs 24-28) and clearing them (DP 39).

Layouts, big-endian, times in GMT seconds (the protocol summary of the TY0A01
firmware project fork EDIT-Aeterna/tuya-zigbee-lock-local,
docs/PHASE1_PROTOCOL_REPORT.md section 6 and docs/TEMP_PASSWORD_PROTOCOL.md):

- A password is named by a 6-byte reference: Tuya sequence (2), server
  sequence (2), manufacturer id (2).
- Create (24) and modify (26), generic (21 bytes): reference, valid from (4),
  valid to (4), one-time flag (1), password (6 ASCII digits).
- Create and modify on ``_TYST12_srptwvak`` (27 bytes, captured:
  tests/fixtures/target_srptwvak/temporary_password/dp24_one_time.json):
  reference, valid from, valid to, 6 reserved zero bytes, one-time flag,
  password.
- Delete (25), freeze (27), unfreeze (28) and clear all (39): the reference
  (clear all: the lock ignores which).
- The lock answers 7 bytes: the reference and a result (`PasswordResult`;
  DP 24's meanings, the others' are alike but not public).

The public layouts carry a one-time flag, not a use count: a password is
usable once or until it expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Final

from .datapoints import Datapoint, raw_dp

CREATE_DP: Final = 24
DELETE_DP: Final = 25
MODIFY_DP: Final = 26
FREEZE_DP: Final = 27
UNFREEZE_DP: Final = 28
CLEAR_DP: Final = 39
REFERENCE_DPS: Final = frozenset({DELETE_DP, FREEZE_DP, UNFREEZE_DP, CLEAR_DP})
PASSWORD_DIGITS: Final = 6
REFERENCE_SIZE: Final = 6
ANSWER_SIZE: Final = REFERENCE_SIZE + 1
RESERVED_SIZE: Final = 6


class PasswordLayout(IntEnum):
    """Size of a product's create/modify value."""

    GENERIC = 21
    EXTENDED = 27


class PasswordResult(IntEnum):
    """Result byte of the lock's answer."""

    FAILURE = 0
    SUCCESS = 1
    DUPLICATE = 2
    FULL = 3


@dataclass(frozen=True, slots=True)
class PasswordRef:
    """Names one temporary password."""

    tuya_seq: int
    server_seq: int = 0
    manufacturer_id: int = 0

    def encode(self) -> bytes:
        """Return the 6-byte reference."""
        return (
            self.tuya_seq.to_bytes(2)
            + self.server_seq.to_bytes(2)
            + self.manufacturer_id.to_bytes(2)
        )


@dataclass(frozen=True, slots=True)
class TemporaryPassword:
    """A password usable from `valid_from` to `valid_to`, once if `one_time`."""

    ref: PasswordRef
    password: str
    valid_from: datetime
    valid_to: datetime
    one_time: bool = False

    def __repr__(self) -> str:
        """Describe the password without showing it."""
        return (
            f"TemporaryPassword(ref={self.ref!r}, valid_from={self.valid_from},"
            f" valid_to={self.valid_to}, one_time={self.one_time})"
        )


@dataclass(frozen=True, slots=True)
class PasswordAnswer:
    """The lock's 7-byte answer."""

    ref: PasswordRef
    result: int

    @property
    def success(self) -> bool:
        """Return True when the lock did it."""
        return self.result == PasswordResult.SUCCESS


def _password_value(layout: PasswordLayout, password: TemporaryPassword) -> bytes:
    digits = password.password
    if not (len(digits) == PASSWORD_DIGITS and digits.isascii() and digits.isdigit()):
        raise ValueError(f"a temporary password is {PASSWORD_DIGITS} digits")
    start = int(password.valid_from.timestamp())
    end = int(password.valid_to.timestamp())
    if end <= start:
        raise ValueError("a temporary password must end after it starts")
    reserved = bytes(RESERVED_SIZE) if layout is PasswordLayout.EXTENDED else b""
    return (
        password.ref.encode()
        + start.to_bytes(4)
        + end.to_bytes(4)
        + reserved
        + bytes((int(password.one_time),))
        + digits.encode("ascii")
    )


def create_datapoint(layout: PasswordLayout, password: TemporaryPassword) -> Datapoint:
    """Build DP 24: create a temporary password."""
    return raw_dp(CREATE_DP, _password_value(layout, password))


def modify_datapoint(layout: PasswordLayout, password: TemporaryPassword) -> Datapoint:
    """Build DP 26: change a temporary password's window, flag or digits."""
    return raw_dp(MODIFY_DP, _password_value(layout, password))


def reference_datapoint(dpid: int, ref: PasswordRef) -> Datapoint:
    """Build DP 25 (delete), 27 (freeze), 28 (unfreeze) or 39 (clear all)."""
    if dpid not in REFERENCE_DPS:
        raise ValueError(f"DP {dpid} does not take a password reference")
    return raw_dp(dpid, ref.encode())


def decode_answer(raw: bytes) -> PasswordAnswer | None:
    """Read a 7-byte answer; None when it is another size."""
    if len(raw) != ANSWER_SIZE:
        return None
    ref = PasswordRef(
        int.from_bytes(raw[0:2]), int.from_bytes(raw[2:4]), int.from_bytes(raw[4:6])
    )
    return PasswordAnswer(ref, raw[REFERENCE_SIZE])
