"""The lock MCU: the lock itself, talking to its Zigbee module over serial.

It answers the module's requests (wake, product information, network status,
DP commands, time, MCU version, MCU OTA), and sends its own: DP reports
(0x05), timestamped records (0x23, stamped with its clock: flag 1), time
requests, dynamic and offline passwords typed at its keypad for the module
to check (0x07, 0x08), module tests (0x09), network queries (0x02) and
module resets (0x03). Before each request it wakes the module (see
`exchanges`). Unlocks and door changes are records; alarms, battery,
doorbell, duress, settings and remote-unlock requests are reports. A test
can make it answer DP commands late (`answer_delays_s`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
import logging
import time
from typing import Final

from . import serial_payloads as sp, units
from .credentials import LIST_DPS, CredentialStore, Kind
from .exchanges import RESPONSE_TIMEOUT_S, LineSender
from .mcu_datapoints import DatapointCommands, Outcome
from .profiles import LockProfile
from .serial_frames import FrameReader, SerialFrame
from .serial_payloads import SerialCommand as Cmd
from .units import BadUnits, Unit

_LOGGER = logging.getLogger(__name__)

UNLOCK_DPS: Final = {
    "fingerprint": 1,
    "password": 2,
    "temporary_password": 3,
    "dynamic_password": 4,
    "card": 5,
    "face": 6,
    "mechanical_key": 7,
    "app": 41,
    "voice": 62,
}
DOOR_DP: Final = 8
ALARM_DP: Final = 9
BATTERY_DP: Final = 10
DOORBELL_DP: Final = 14
DURESS_DP: Final = 35
OFFLINE_DP: Final = 68
AUTO_LOCK_DP: Final = 19
WRONG_PASSWORD: Final = 1
DYNAMIC_USER: Final = 1
FLAG_MCU_TIME: Final = 1
OTA_BLOCK_SIZE: Final = 64
OTA_BLOCK_TIMEOUT_S: Final = 5.0
MAX_BLOCK: Final = 255
REPORT_TRIES: Final = 3


def version_text(version: int) -> str:
    """Return a version byte as major.minor.release (2, 2 and 4 bits)."""
    return f"{version >> 6}.{version >> 4 & 3}.{version & 15}"


@dataclass
class McuUpdate:
    """An MCU image arriving block by block."""

    offer: sp.OtaOffer
    received: bytearray


class LockMcu:
    """The lock's own controller."""

    def __init__(
        self,
        profile: LockProfile,
        write: Callable[[bytes], None],
        clock: Callable[[], float],
        *,
        version: int,
        remote_password: str | None,
        settings: dict[int, Unit],
        auto_lock_s: float | None,
        rtc: Callable[[], float] = time.time,
    ) -> None:
        self.profile = profile
        self.clock = clock
        self.rtc = rtc
        self.reader = FrameReader()
        self.sender = LineSender(
            write, clock, wake_seq=sp.WAKE_SEQ_MCU, wake_timeout=RESPONSE_TIMEOUT_S
        )
        self.version = version
        self.remote_password = remote_password
        self.config = settings
        self.auto_lock_s = auto_lock_s
        self.store = CredentialStore(password_size=profile.password_size)
        self.commands = DatapointCommands(
            profile, self.store, self.config, lambda: self.remote_password
        )
        self.locked = True
        self.door_open = False
        self.battery_percent = 100
        self.network = sp.NetworkStatus.NO_GATEWAY
        self.product_info_asked = 0
        self.module_tests: list[bytes] = []
        self.unresponsive = False
        self.ota_block_size = OTA_BLOCK_SIZE
        self.ota_fail = False
        self.ota_silent = False
        self.firmware: bytes | None = None
        # Seconds before the answers to the next DP commands go out, in
        # order (a slow lock: an answer after the gateway gave up waiting).
        self.answer_delays_s: list[float] = []
        self._late_answers: list[tuple[float, int, bytes]] = []
        self._update: McuUpdate | None = None
        self._time: tuple[int, int, float] | None = None
        self._unlocked_at = 0.0

    @property
    def late_answers_pending(self) -> int:
        """Return how many delayed answers (`answer_delays_s`) wait to go out."""
        return len(self._late_answers)

    # -- the clock -----------------------------------------------------------------

    @property
    def time_set(self) -> bool:
        """Return True once the module gave the lock the time."""
        return self._time is not None

    def gmt_now(self) -> int:
        """Return the lock's time in GMT seconds (its RTC until it is told)."""
        if self._time is None:
            return int(self.rtc())
        gmt, _local, at = self._time
        return gmt + int(self.clock() - at)

    def _set_time(self, data: bytes) -> None:
        try:
            gmt, local = sp.decode_time(data)
        except sp.BadPayload:
            _LOGGER.warning("The MCU got a malformed time")
            return
        self._time = (gmt, local - gmt, self.clock())

    # -- receiving -----------------------------------------------------------------

    def receive(self, data: bytes) -> None:
        """Take bytes from the line."""
        for frame in self.reader.feed(data):
            self.on_frame(frame)

    def idle(self) -> None:
        """Give up partial frames: the line fell silent."""
        for frame in self.reader.idle():
            self.on_frame(frame)

    def on_frame(self, frame: SerialFrame) -> None:
        """Handle one frame from the module."""
        if self.unresponsive:
            return
        self.sender.heard()
        if self.sender.take(frame):
            return
        match frame.command:
            case Cmd.WAKE:
                self.sender.answer(frame)
            case Cmd.PRODUCT_INFO:
                self.product_info_asked += 1
                info = sp.ProductInfo(self.profile.pid, version_text(self.version))
                self.sender.answer(frame, info.encode())
            case Cmd.NETWORK_STATUS:
                self.sender.answer(frame)
                self._network(frame.data)
            case Cmd.DP_COMMAND:
                self.sender.answer(frame)
                self._dp_command(frame)
            case Cmd.TIME:
                self.sender.answer(frame)
                self._set_time(frame.data)
            case Cmd.MCU_VERSION:
                self.sender.answer(frame, bytes((self.version,)))
            case Cmd.OTA_NOTIFY:
                self.sender.answer(frame)
                self._offer(frame.data)
            case _:
                _LOGGER.debug("The MCU ignores serial command 0x%02X", frame.command)

    def _network(self, data: bytes) -> None:
        if len(data) != 1 or data[0] not in sp.NetworkStatus:
            return
        was = self.network in sp.CONNECTED
        self.network = sp.NetworkStatus(data[0])
        if self.network in sp.CONNECTED and not was and self.config:
            self.report(*self.config.values())

    def _dp_command(self, frame: SerialFrame) -> None:
        try:
            received = units.decode_units(frame.data)
        except BadUnits as err:
            _LOGGER.warning("The MCU got malformed DPs: %s", err)
            return
        outcome = Outcome()
        for unit in received:
            done = self.commands.apply(unit, self.gmt_now())
            outcome.answers += done.answers
            outcome.records += done.records
            outcome.unlocked |= done.unlocked
        if AUTO_LOCK_DP in self.config and isinstance(self.auto_lock_s, float | int):
            self.auto_lock_s = float(self.config[AUTO_LOCK_DP].number)
        if outcome.unlocked:
            self._unlock_now()
        if outcome.answers:
            data = units.encode_units(outcome.answers)
            delay = self.answer_delays_s.pop(0) if self.answer_delays_s else 0.0
            if delay > 0:
                self._late_answers.append((self.clock() + delay, frame.seq, data))
            else:
                self.sender.request(Cmd.DP_REPORT, data, seq=frame.seq)
        for record in outcome.records:
            self.record(record)

    # -- what the lock sends -------------------------------------------------------

    def report(self, *reported: Unit) -> None:
        """Report DPs (0x05); sent again twice if the module refuses them."""
        self._report(units.encode_units(reported), REPORT_TRIES)

    def _report(self, data: bytes, tries: int) -> None:
        def answered(answer: SerialFrame) -> None:
            if answer.data != bytes((sp.REPORT_RECEIVED,)) and tries > 1:
                self._report(data, tries - 1)

        self.sender.request(Cmd.DP_REPORT, data, on_answer=answered)

    def record(self, unit: Unit, at: datetime | None = None) -> None:
        """Record a DP with the lock's time, or `at` (0x23)."""
        gmt = self.gmt_now() if at is None else int(at.timestamp())
        body = sp.Record(FLAG_MCU_TIME, gmt, units.encode_units([unit]))
        self.sender.request(Cmd.RECORD, body.encode())

    def request_time(self) -> None:
        """Ask the module for the time (0x24)."""
        self.sender.request(
            Cmd.TIME, on_answer=lambda answer: self._set_time(answer.data)
        )

    def query_network(self) -> None:
        """Ask the module for its network status (0x02)."""
        self.sender.request(
            Cmd.NETWORK_QUERY, on_answer=lambda answer: self._network(answer.data)
        )

    def test_module(self) -> None:
        """Run the module's function test (0x09)."""
        self.sender.request(
            Cmd.MODULE_TEST,
            on_answer=lambda answer: self.module_tests.append(answer.data),
        )

    def reset_module(self) -> None:
        """Reset the module (0x03, 0x00: leave the network and join again)."""
        self.sender.request(Cmd.RESET, b"\x00")

    # -- the lock's hardware -------------------------------------------------------

    def _unlock_now(self) -> None:
        self.locked = False
        self._unlocked_at = self.clock()

    def unlock(self, dpid: int, user_id: int, at: datetime | None = None) -> None:
        """Open the lock by a credential: a record of `dpid` with the user."""
        self._unlock_now()
        self.record(units.value(dpid, user_id), at)

    def keypad(self, code: str) -> None:
        """Type a code at the keypad."""
        if self.commands.enrolment is not None and (
            self.commands.enrolment.kind is Kind.PASSWORD
        ):
            self.touch(code)
            return
        now = self.gmt_now()
        if len(code) == sp.PASSWORD_DIGITS:
            self.sender.request(
                Cmd.DYNAMIC_PASSWORD,
                sp.DynamicPassword(now, code).encode(),
                on_answer=lambda answer: self._checked(
                    answer, UNLOCK_DPS["dynamic_password"]
                ),
            )
            return
        if len(code) in sp.OFFLINE_DIGITS:
            self.sender.request(
                Cmd.OFFLINE_PASSWORD,
                sp.OfflinePassword(now, code).encode(),
                on_answer=lambda answer: self._checked(answer, OFFLINE_DP),
            )
            return
        hardware_id = self.store.find(Kind.PASSWORD, code)
        if hardware_id is not None:
            self.unlock(UNLOCK_DPS["password"], hardware_id)
            return
        temporary = self.store.temporary_password(code, now)
        if temporary is not None:
            self.unlock(UNLOCK_DPS["temporary_password"], temporary.number)
            return
        self.report(units.enum(ALARM_DP, WRONG_PASSWORD))

    def _checked(self, answer: SerialFrame, dpid: int) -> None:
        if answer.data[:1] != bytes((sp.OK,)):
            self.report(units.enum(ALARM_DP, WRONG_PASSWORD))
        elif dpid == OFFLINE_DP:
            self._unlock_now()
            self.record(units.raw(OFFLINE_DP, b"\x00\x01"))
        else:
            self.unlock(dpid, DYNAMIC_USER)

    def touch(self, secret: str, *, accepted: bool = True) -> None:
        """Present a finger, card or face (or type a password) to enrol it."""
        reported = self.commands.touch(secret, accepted=accepted)
        if reported:
            self.report(*reported)
        elif not self.commands.enrolment:
            kind = Kind.FINGERPRINT
            hardware_id = self.store.find(kind, secret)
            if hardware_id is None:
                self.report(units.enum(ALARM_DP, 0))  # wrong finger
            else:
                self.unlock(UNLOCK_DPS["fingerprint"], hardware_id)

    def enrol_locally(self, kind: Kind, secret: str) -> None:
        """Enrol a credential from the lock's own menu; report the new list."""
        self.store.enrol(kind, secret)
        self.report(units.raw(LIST_DPS[kind], self.store.id_list(kind)))

    def tick(self) -> None:
        """Let time pass: retries, and locking again by itself."""
        self.sender.tick()
        now = self.clock()
        due = [late for late in self._late_answers if late[0] <= now]
        for late in due:
            self._late_answers.remove(late)
            _at, seq, data = late
            self.sender.request(Cmd.DP_REPORT, data, seq=seq)
        auto_lock = self.auto_lock_s
        if auto_lock is not None and self.clock() - self._unlocked_at >= auto_lock:
            self.locked = True

    # -- MCU OTA -------------------------------------------------------------------

    def _offer(self, data: bytes) -> None:
        try:
            offer = sp.decode_ota_offer(data)
        except sp.BadPayload:
            return
        if self.ota_silent:
            return
        self._update = McuUpdate(offer, bytearray())
        self._request_block()

    def _request_block(self) -> None:
        update = self._update
        assert update is not None
        offset = len(update.received)
        length = min(self.ota_block_size, update.offer.size - offset, MAX_BLOCK)
        request = sp.OtaBlockRequest(
            update.offer.pid, update.offer.version, offset, length
        )
        self.sender.request(
            Cmd.OTA_BLOCK,
            request.encode(),
            on_answer=self._take_block,
            on_give_up=lambda: self._finish(sp.FAILED),
            timeout=OTA_BLOCK_TIMEOUT_S,
        )

    def _take_block(self, answer: SerialFrame) -> None:
        update = self._update
        if update is None:
            return
        try:
            block = sp.decode_ota_block(answer.data)
        except sp.BadPayload:
            self._finish(sp.FAILED)
            return
        if (
            block.status != sp.OK
            or not block.data
            or block.offset != len(update.received)
        ):
            self._finish(sp.FAILED)
            return
        update.received += block.data
        if len(update.received) < update.offer.size:
            self._request_block()
            return
        self.firmware = bytes(update.received)
        self._finish(sp.FAILED if self.ota_fail else sp.OK)

    def _finish(self, status: int) -> None:
        update = self._update
        if update is None:
            return
        self._update = None
        offer = update.offer
        result = sp.OtaResult(status, offer.pid, offer.version)
        self.sender.request(Cmd.OTA_RESULT, result.encode())
        if status == sp.OK:
            self.version = offer.version
