"""Adding and deleting unlock methods (DPs 54, 55) and the lists of them.

Layouts from the protocol summary and captures of the TY0A01 firmware project
fork EDIT-Aeterna/tuya-zigbee-lock-local (docs/PHASE1_PROTOCOL_REPORT.md
section 8, docs/lock-profiles/ujcjk46o.md, tests/fixtures/target_srptwvak/
credential_add_password/dp54_sequence.json, which asks ``01 00 01 0001 03e7``):

- DP 54 request, 7 bytes: type (1), stage (1), administrator (1), member id
  (2), hardware id (2). The lock reports 9: the same and enrolment index (1),
  result (1), once per stage (`Stage`): started, in progress (once per
  finger touch), then done with the hardware id, failed or cancelled.
- DP 55 request, 8 bytes: type, stage, administrator, member id, hardware id,
  delete method (1: 0 all of the member's, 1 this one); the report adds a
  result (`DeleteResult`).
- DPs 58 (fingerprints), 59 (passwords), 60 (cards) and 93 (faces) list the
  stored credential ids: pairs of shard (1-based) and bit mask, id =
  (shard - 1) * 8 + bit; ``00 00`` is the empty list.

The type byte is 1 for a password (the captured request); 2 card, 3
fingerprint and 4 face follow Tuya's BLE lock numbering and are assumptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Final

from .datapoints import Datapoint, raw_dp

ADD_DP: Final = 54
DELETE_DP: Final = 55
LIST_DPS: Final = frozenset({58, 59, 60, 93})
REQUEST_SIZE: Final = 7
REPORT_SIZE: Final = 9
EMPTY_LIST: Final = b"\x00\x00"
BITS_PER_SHARD: Final = 8


class CredentialType(IntEnum):
    """What kind of unlock method (1 evidenced, the rest assumed)."""

    PASSWORD = 1
    CARD = 2
    FINGERPRINT = 3
    FACE = 4


class Stage(IntEnum):
    """Stages of an enrolment."""

    STARTED = 0x00
    IN_PROGRESS = 0xFC
    FAILED = 0xFD
    CANCELLED = 0xFE
    DONE = 0xFF


class DeleteResult(IntEnum):
    """Result of a deletion."""

    FAILED = 0x00
    ABSENT = 0x01
    NOT_DELETABLE = 0x02
    SUCCESS = 0xFF


@dataclass(frozen=True, slots=True)
class Credential:
    """Which credential: its type, member and hardware id."""

    type: int
    member_id: int
    hardware_id: int = 0
    administrator: bool = False

    def encode(self, stage: int) -> bytes:
        """Return the 7-byte request header at `stage`."""
        return (
            bytes((self.type, stage, int(self.administrator)))
            + self.member_id.to_bytes(2)
            + self.hardware_id.to_bytes(2)
        )


@dataclass(frozen=True, slots=True)
class EnrolmentReport:
    """One stage of an enrolment, as the lock reports it."""

    credential: Credential
    stage: int
    index: int
    result: int


@dataclass(frozen=True, slots=True)
class DeleteReport:
    """The lock's answer to a deletion."""

    credential: Credential
    method: int
    result: int


def enrol_datapoint(credential: Credential, stage: int = Stage.STARTED) -> Datapoint:
    """Build DP 54: start (or, with CANCELLED, stop) enrolling `credential`."""
    return raw_dp(ADD_DP, credential.encode(stage))


def delete_datapoint(
    credential: Credential, *, all_of_member: bool = False
) -> Datapoint:
    """Build DP 55: delete one credential, or all of its member's."""
    method = 0 if all_of_member else 1
    return raw_dp(DELETE_DP, credential.encode(Stage.STARTED) + bytes((method,)))


def _credential(raw: bytes) -> Credential:
    return Credential(
        raw[0], int.from_bytes(raw[3:5]), int.from_bytes(raw[5:7]), bool(raw[2])
    )


def decode_enrolment(raw: bytes) -> EnrolmentReport | None:
    """Read a 9-byte DP 54 report; None when it is another size."""
    if len(raw) != REPORT_SIZE:
        return None
    return EnrolmentReport(_credential(raw), raw[1], raw[7], raw[8])


def decode_delete(raw: bytes) -> DeleteReport | None:
    """Read a 9-byte DP 55 report; None when it is another size."""
    if len(raw) != REPORT_SIZE:
        return None
    return DeleteReport(_credential(raw), raw[7], raw[8])


def decode_id_list(raw: bytes) -> frozenset[int] | None:
    """Read a DP 58-60/93 list of credential ids; None when malformed."""
    if raw == EMPTY_LIST:
        return frozenset()
    if not raw or len(raw) % 2:
        return None
    ids: set[int] = set()
    for shard, mask in zip(raw[::2], raw[1::2], strict=True):
        if shard == 0:
            return None
        base = (shard - 1) * BITS_PER_SHARD
        ids.update(base + bit for bit in range(BITS_PER_SHARD) if mask >> bit & 1)
    return frozenset(ids)
