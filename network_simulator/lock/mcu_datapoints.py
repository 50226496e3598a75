"""What the lock MCU does with the DPs the gateway sends (serial 0x04).

Each DP yields answers (reported at once, with the command's sequence, as
the ``_TYST12_srptwvak`` capture of DP 49 shows: EDIT-Aeterna/
tuya-zigbee-lock-local, tests/fixtures/target_srptwvak/remote_unlock/) and
records (an unlock, sent after). Settings are stored and echoed; anything
else is ignored, as a lock ignores DPs it does not have.

Enrolment (DP 54) reports its stages as that project's captures show: 0x00
started, 0xFC per finger touch, then 0xFF done with the hardware id, 0xFD
failed or 0xFE cancelled; a fingerprint takes `TOUCHES` touches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from . import units
from .credentials import LIST_DPS, CredentialStore, KeyStatus, Kind
from .profiles import LockProfile, RemoteUnlock
from .units import Unit

RESULT_DP: Final = 22
APP_UNLOCK_DP: Final = 41
KEY_SET_DP: Final = 48
KEY_UNLOCK_DP: Final = 49
CREATE_DP: Final = 24
MODIFY_DP: Final = 26
REFERENCE_DPS: Final = frozenset({25, 27, 28, 39})
ENROL_DP: Final = 54
DELETE_DP: Final = 55
PASSWORD_DPS: Final = {RemoteUnlock.PASSWORD_6: 21, RemoteUnlock.PASSWORD_8: 103}
TOUCHES: Final = 3
STARTED, IN_PROGRESS, FAILED, CANCELLED, DONE = 0x00, 0xFC, 0xFD, 0xFE, 0xFF
DELETED, ABSENT = 0xFF, 0x01


@dataclass
class Outcome:
    """What a DP command led to."""

    answers: list[Unit] = field(default_factory=list)
    records: list[Unit] = field(default_factory=list)
    unlocked: bool = False


@dataclass
class Enrolment:
    """An enrolment under way: its 7-byte request and the touches so far."""

    request: bytes
    touches: int = 0

    @property
    def kind(self) -> Kind:
        """Return what is being enrolled."""
        return Kind(self.request[0])

    def report(
        self, stage: int, hardware_id: int | None = None, result: int = 0
    ) -> Unit:
        """Return the 9-byte DP 54 report at `stage`."""
        body = bytearray(self.request)
        body[1] = stage
        if hardware_id is not None:
            body[5:7] = hardware_id.to_bytes(2)
        return units.raw(ENROL_DP, bytes(body) + bytes((self.touches, result)))


@dataclass
class DatapointCommands:
    """The MCU's handling of the gateway's DPs."""

    profile: LockProfile
    store: CredentialStore
    config: dict[int, Unit]
    remote_password: Callable[[], str | None]
    written: dict[int, Unit] = field(default_factory=dict)
    remote_unlocks: list[bool] = field(default_factory=list)
    enrolment: Enrolment | None = None

    def apply(self, unit: Unit, now: int) -> Outcome:
        """Carry out one DP; `now` is the lock's GMT time."""
        if unit.dpid == PASSWORD_DPS.get(self.profile.remote_unlock):
            return self._password_unlock(unit)
        if self.profile.remote_unlock is RemoteUnlock.KEYS and unit.dpid in (
            KEY_SET_DP,
            KEY_UNLOCK_DP,
        ):
            return self._key(unit, now)
        if unit.dpid in (CREATE_DP, MODIFY_DP):
            result = self.store.create(unit.raw, replace=unit.dpid == MODIFY_DP)
            return Outcome([self._password_answer(unit, result)])
        if unit.dpid in REFERENCE_DPS:
            result = self.store.change(unit.dpid, unit.raw)
            return Outcome([self._password_answer(unit, result)])
        if unit.dpid == ENROL_DP:
            return self._enrol(unit)
        if unit.dpid == DELETE_DP:
            return self._delete(unit)
        self.written[unit.dpid] = unit
        if unit.dpid in self.config:
            self.config[unit.dpid] = unit
            return Outcome([unit])
        return Outcome()

    def _password_unlock(self, unit: Unit) -> Outcome:
        expected = self.remote_password()
        success = expected is not None and unit.raw == expected.encode()
        self.remote_unlocks.append(success)
        records = [units.value(APP_UNLOCK_DP, 0)] if success else []
        return Outcome([units.boolean(RESULT_DP, success)], records, success)

    def _key(self, unit: Unit, now: int) -> Outcome:
        if unit.dpid == KEY_SET_DP:
            status, key_id = self.store.set_key(unit.raw)
            return Outcome([units.raw(KEY_SET_DP, _key_answer(status, key_id))])
        status, key_id = self.store.use_key(unit.raw, self.profile.key_method_size, now)
        success = status == KeyStatus.OK
        self.remote_unlocks.append(success)
        records = [units.value(APP_UNLOCK_DP, key_id)] if success else []
        answer = units.raw(KEY_UNLOCK_DP, _key_answer(status, key_id))
        return Outcome([answer], records, success)

    @staticmethod
    def _password_answer(unit: Unit, result: int) -> Unit:
        return units.raw(unit.dpid, unit.raw[:6].ljust(6, b"\x00") + bytes((result,)))

    def _enrol(self, unit: Unit) -> Outcome:
        if len(unit.raw) != 7 or unit.raw[0] not in Kind:
            return Outcome()
        if unit.raw[1] == CANCELLED:
            enrolment, self.enrolment = self.enrolment, None
            if enrolment is None:
                return Outcome()
            return Outcome([enrolment.report(CANCELLED)])
        self.enrolment = Enrolment(unit.raw)
        return Outcome([self.enrolment.report(STARTED)])

    def touch(self, secret: str, *, accepted: bool = True) -> list[Unit]:
        """Take a finger, card, face or typed password during an enrolment."""
        enrolment = self.enrolment
        if enrolment is None:
            return []
        if not accepted:
            self.enrolment = None
            return [enrolment.report(FAILED)]
        enrolment.touches += 1
        needed = TOUCHES if enrolment.kind is Kind.FINGERPRINT else 1
        if enrolment.touches < needed:
            return [enrolment.report(IN_PROGRESS)]
        self.enrolment = None
        hardware_id = self.store.enrol(enrolment.kind, secret)
        return [
            enrolment.report(DONE, hardware_id),
            units.raw(LIST_DPS[enrolment.kind], self.store.id_list(enrolment.kind)),
        ]

    def _delete(self, unit: Unit) -> Outcome:
        if len(unit.raw) != 8 or unit.raw[0] not in Kind:
            return Outcome()
        kind = Kind(unit.raw[0])
        deleted = self.store.delete(kind, int.from_bytes(unit.raw[5:7]))
        answer = units.raw(
            DELETE_DP, unit.raw + bytes((DELETED if deleted else ABSENT,))
        )
        return Outcome([answer, units.raw(LIST_DPS[kind], self.store.id_list(kind))])


def _key_answer(status: int, key_id: int) -> bytes:
    return bytes((status,)) + key_id.to_bytes(2)
