"""Turn decoded lock commands into typed events; no Home Assistant, no zigpy.

Guarantees:

- A retransmission (same command, same 2-byte seq, same ZCL tsn) seen within
  `FRAME_MAX_AGE` seconds yields no events: never a second unlock.
- A 0x23 record seen before yields no events, however late it comes back (e.g.
  replayed after a rejoin because our ack was lost): same time and datapoints
  and the same 2-byte seq, or the same tsn within `RETRANSMIT_WINDOW_S`. A
  record with the same time and datapoints but a new seq and tsn is a new
  record (two unlocks within one second are two events).
- A remote unlock result (DP 22, DP 49) says which request it answers when it
  can: a 0x01 data response echoes the request's seq (`answers_seq`), DP 49
  carries its key id (`key_id`); see `unlock_results` for the matching.
- Records keep the lock's timestamp, and events come out in arrival order.
- State datapoints (door, battery, config) never go back in time: a record older
  than the newest value of that DP yields no event. Happenings (unlocks,
  alarms, doorbell) are all reported, old or new.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
import logging
from typing import ClassVar, Final

from .commands import (
    Command,
    CommandId,
    DataMessage,
    InternetStatus,
    InternetStatusAck,
    McuOtaBlockRequest,
    McuOtaResult,
    McuVersionReport,
    RecordReport,
    SecurityMessage,
    TimeSyncRequest,
    UnknownCommand,
)
from .datapoints import Datapoint, DpType
from .dp_map import (
    DEFAULT_LOCK_DP_MAP,
    Credentials,
    DecodedValue,
    DpKind,
    DpRow,
    UnlockMethod,
    key_unlock_result,
)
from .remote_unlock import decode_key_answer
from .replay_guard import RecordGuard, ReplayGuard

_LOGGER = logging.getLogger(__name__)

FRAME_WINDOW: Final = 256
FRAME_MAX_AGE: Final = 300.0
RECORD_WINDOW: Final = 256
# The standard's retransmissions last under about 3 s; APS and MAC retries
# and a sleeping lock's polls can stretch that, so a tsn seen again within
# 30 s on a record of the same second and datapoints is the same record.
RETRANSMIT_WINDOW_S: Final = 30.0


@dataclass(frozen=True, slots=True)
class UnlockEvent:
    """The lock was unlocked."""

    event_type: ClassVar[str] = "tuya_lock_unlock"
    method: UnlockMethod
    user_id: int
    timestamp: datetime
    source_seq: int


@dataclass(frozen=True, slots=True)
class DoorStateChanged:
    """The door opened or closed."""

    event_type: ClassVar[str] = "tuya_lock_door_state"
    is_open: bool
    timestamp: datetime
    source_seq: int


@dataclass(frozen=True, slots=True)
class AlarmEvent:
    """The lock raised an alarm: a `LockAlarm`, or its number when unknown."""

    event_type: ClassVar[str] = "tuya_lock_alarm"
    alarm: int
    timestamp: datetime
    source_seq: int


@dataclass(frozen=True, slots=True)
class BatteryLevel:
    """The battery level in percent."""

    event_type: ClassVar[str] = "tuya_lock_battery"
    percent: int
    timestamp: datetime
    source_seq: int


@dataclass(frozen=True, slots=True)
class DoorbellPressed:
    """Someone rang the doorbell."""

    event_type: ClassVar[str] = "tuya_lock_doorbell"
    timestamp: datetime
    source_seq: int


@dataclass(frozen=True, slots=True)
class DuressAlarm:
    """The lock was opened with a duress (hijack) credential."""

    event_type: ClassVar[str] = "tuya_lock_duress"
    timestamp: datetime
    source_seq: int


@dataclass(frozen=True, slots=True)
class RemoteUnlockRequest:
    """Someone at the door asks for a remote unlock within `countdown_s`."""

    event_type: ClassVar[str] = "tuya_lock_remote_unlock_request"
    countdown_s: int
    timestamp: datetime
    source_seq: int


@dataclass(frozen=True, slots=True)
class RemoteUnlockResult:
    """The lock's answer to a remote unlock.

    `answers_seq` is the seq of the gateway's request when the answer came as
    a data response (0x01), which echoes it; None when it came as a report.
    `key_id` is the key id of a DP 49 answer; None for DP 22.
    """

    event_type: ClassVar[str] = "tuya_lock_remote_unlock_result"
    success: bool
    timestamp: datetime
    source_seq: int
    answers_seq: int | None = None
    key_id: int | None = None


@dataclass(frozen=True, slots=True)
class ConfigReport:
    """A setting of the lock, e.g. the auto-lock time."""

    event_type: ClassVar[str] = "tuya_lock_config"
    name: str
    value: DecodedValue
    timestamp: datetime
    source_seq: int


@dataclass(frozen=True, slots=True)
class StateReport:
    """A state of the lock with no event of its own, e.g. its motor state."""

    event_type: ClassVar[str] = "tuya_lock_state"
    name: str
    value: DecodedValue
    timestamp: datetime
    source_seq: int


@dataclass(frozen=True, slots=True)
class CredentialReport:
    """The lock's answer about a credential (raw bytes when unreadable).

    `value` is a key answer, a temporary password answer, an enrolment or
    deletion report, or a set of credential ids.
    """

    event_type: ClassVar[str] = "tuya_lock_credential"
    name: str
    value: Credentials | bytes
    timestamp: datetime
    source_seq: int


@dataclass(frozen=True, slots=True)
class DatapointReport:
    """A datapoint with no event of its own; `name` is None for unknown DPs."""

    event_type: ClassVar[str] = "tuya_lock_datapoint"
    datapoint: Datapoint
    name: str | None
    timestamp: datetime
    source_seq: int


@dataclass(frozen=True, slots=True)
class VersionReport:
    """The MCU firmware version."""

    event_type: ClassVar[str] = "tuya_lock_mcu_version"
    version: str
    version_raw: int
    source_seq: int


@dataclass(frozen=True, slots=True)
class TimeSyncRequested:
    """The lock asked for the time (the cluster has answered)."""

    event_type: ClassVar[str] = "tuya_lock_time_sync"
    seq: int | None
    timestamp: datetime


@dataclass(frozen=True, slots=True)
class InternetStatusRequested:
    """The lock asked whether the gateway is online (the cluster has answered)."""

    event_type: ClassVar[str] = "tuya_lock_internet_status"
    seq: int
    timestamp: datetime


@dataclass(frozen=True, slots=True)
class InternetStatusAcknowledged:
    """The lock acknowledged our internet status (0x26)."""

    event_type: ClassVar[str] = "tuya_lock_internet_status_ack"
    seq: int
    timestamp: datetime


@dataclass(frozen=True, slots=True)
class McuOtaBlockRequested:
    """The lock asked for a block of the MCU image."""

    event_type: ClassVar[str] = "tuya_lock_mcu_ota_block"
    offset: int
    length: int
    source_seq: int


@dataclass(frozen=True, slots=True)
class McuOtaFinished:
    """The lock reported the MCU update result (0 = success)."""

    event_type: ClassVar[str] = "tuya_lock_mcu_ota_result"
    status: int
    source_seq: int


@dataclass(frozen=True, slots=True)
class SecurityMessageReceived:
    """A dynamic password or session key message; its bytes are not shown."""

    event_type: ClassVar[str] = "tuya_lock_security_message"
    command_id: CommandId
    seq: int
    payload: bytes = field(repr=False)


type LockEvent = (
    UnlockEvent
    | DoorStateChanged
    | AlarmEvent
    | BatteryLevel
    | DoorbellPressed
    | DuressAlarm
    | RemoteUnlockRequest
    | RemoteUnlockResult
    | ConfigReport
    | StateReport
    | CredentialReport
    | DatapointReport
    | VersionReport
    | TimeSyncRequested
    | InternetStatusRequested
    | InternetStatusAcknowledged
    | McuOtaBlockRequested
    | McuOtaFinished
    | SecurityMessageReceived
)


def frame_key(command: Command, tsn: int) -> Hashable:
    """Return what makes a frame a retransmission of another."""
    match command:
        case DataMessage() | SecurityMessage():
            return (command.command_id, command.seq, tsn)
        case TimeSyncRequest():
            return (type(command), command.header, tsn)
        case UnknownCommand():
            return (command.command_id, command.payload, tsn)
        case _:
            return (type(command), command.seq, tsn)


class LockEventDispatcher:
    """Per-device state machine from decoded commands to events."""

    def __init__(self, dp_map: Mapping[int, DpRow] = DEFAULT_LOCK_DP_MAP) -> None:
        """Start with no memory of frames or state."""
        self._dp_map = dp_map
        self._frames = ReplayGuard(FRAME_WINDOW, FRAME_MAX_AGE)
        self._records = RecordGuard(RECORD_WINDOW, RETRANSMIT_WINDOW_S)
        self._state_at: dict[int, datetime] = {}
        self._door_open: bool | None = None
        self._warned_dps: set[tuple[int, int]] = set()

    def feed(
        self, command: Command, *, tsn: int, received_at: datetime
    ) -> list[LockEvent]:
        """Return the events of one received frame; none for a duplicate."""
        if not self._frames.first_time(
            frame_key(command, tsn), received_at.timestamp()
        ):
            _LOGGER.debug("Dropped retransmitted frame (tsn %d)", tsn)
            return []
        match command:
            case DataMessage():
                return self._datapoint_events(
                    command.datapoints,
                    command.seq,
                    received_at,
                    response=command.command_id == CommandId.DATA_RESPONSE,
                )
            case RecordReport():
                return self._record_events(command, tsn, received_at)
            case McuVersionReport():
                return [
                    VersionReport(command.version, command.version_raw, command.seq)
                ]
            case TimeSyncRequest():
                return [TimeSyncRequested(command.seq, received_at)]
            case InternetStatus():
                return [InternetStatusRequested(command.seq, received_at)]
            case InternetStatusAck():
                return [InternetStatusAcknowledged(command.seq, received_at)]
            case McuOtaBlockRequest():
                return [
                    McuOtaBlockRequested(command.offset, command.length, command.seq)
                ]
            case McuOtaResult():
                return [McuOtaFinished(command.status, command.seq)]
            case SecurityMessage():
                return [
                    SecurityMessageReceived(
                        command.command_id, command.seq, command.payload
                    )
                ]
        return []

    def _record_events(
        self, record: RecordReport, tsn: int, received_at: datetime
    ) -> list[LockEvent]:
        if record.timestamp is None:  # the lock's clock was not set
            return self._datapoint_events(record.datapoints, record.seq, received_at)
        if not self._records.first_time(
            (record.timestamp, record.datapoints),
            seq=record.seq,
            tsn=tsn,
            now=received_at.timestamp(),
        ):
            _LOGGER.debug(
                "Dropped record of %s sent again (seq %d, tsn %d)",
                record.timestamp,
                record.seq,
                tsn,
            )
            return []
        return self._datapoint_events(record.datapoints, record.seq, record.timestamp)

    def _datapoint_events(
        self,
        datapoints: Sequence[Datapoint],
        seq: int,
        timestamp: datetime,
        *,
        response: bool = False,
    ) -> list[LockEvent]:
        events: list[LockEvent] = []
        for datapoint in datapoints:
            row = self._dp_map.get(datapoint.dpid)
            if row is None:
                self._warn_unknown_dp(datapoint)
                events.append(DatapointReport(datapoint, None, timestamp, seq))
                continue
            event = self._row_event(row, datapoint, seq, timestamp)
            if response and isinstance(event, RemoteUnlockResult):
                event = replace(event, answers_seq=seq)
            if event is not None:
                events.append(event)
        return events

    def _row_event(
        self, row: DpRow, datapoint: Datapoint, seq: int, timestamp: datetime
    ) -> LockEvent | None:
        value = row.decode(datapoint)
        match row.kind:
            case DpKind.UNLOCK if isinstance(value, int) and row.unlock_method:
                return UnlockEvent(row.unlock_method, int(value), timestamp, seq)
            case DpKind.DOOR_STATE if value is not None:
                return self._door_event(row.dpid, bool(value), timestamp, seq)
            case DpKind.ALARM if isinstance(value, int):
                return AlarmEvent(value, timestamp, seq)
            case DpKind.BATTERY if isinstance(value, int):
                if self._is_stale(row.dpid, timestamp):
                    return None
                return BatteryLevel(int(value), timestamp, seq)
            case DpKind.DOORBELL if value:
                return DoorbellPressed(timestamp, seq)
            case DpKind.DURESS if value:
                return DuressAlarm(timestamp, seq)
            case DpKind.REMOTE_UNLOCK_REQUEST if isinstance(value, int):
                return RemoteUnlockRequest(int(value), timestamp, seq)
            case DpKind.REMOTE_UNLOCK_RESULT if value is not None:
                return RemoteUnlockResult(
                    bool(value), timestamp, seq, key_id=_key_id(row, datapoint)
                )
            case DpKind.CONFIG | DpKind.STATE:
                if self._is_stale(row.dpid, timestamp):
                    return None
                if row.kind is DpKind.STATE:
                    return StateReport(row.name, value, timestamp, seq)
                return ConfigReport(row.name, value, timestamp, seq)
            case DpKind.CREDENTIAL if value is not None and not isinstance(
                value, bool | int | str
            ):
                return CredentialReport(row.name, value, timestamp, seq)
            case DpKind.COMMAND:
                return DatapointReport(datapoint, row.name, timestamp, seq)
        return None

    def _door_event(
        self, dpid: int, is_open: bool, timestamp: datetime, seq: int
    ) -> DoorStateChanged | None:
        if self._is_stale(dpid, timestamp) or is_open == self._door_open:
            return None
        self._door_open = is_open
        return DoorStateChanged(is_open, timestamp, seq)

    def _is_stale(self, dpid: int, timestamp: datetime) -> bool:
        """Return True if `dpid` already has a newer value; else note this one."""
        newest = self._state_at.get(dpid)
        if newest is not None and timestamp < newest:
            return True
        self._state_at[dpid] = timestamp
        return False

    def _warn_unknown_dp(self, datapoint: Datapoint) -> None:
        key = (datapoint.dpid, datapoint.type)
        if key not in self._warned_dps:
            self._warned_dps.add(key)
            _LOGGER.warning("Unknown lock DP %d (type %d); reported raw", *key)


def _key_id(row: DpRow, datapoint: Datapoint) -> int | None:
    """Return the key id of a DP 49 answer; None for other results."""
    if row.decode is not key_unlock_result or datapoint.type != DpType.RAW:
        return None
    answer = decode_key_answer(datapoint.raw)
    return None if answer is None else answer.key_id
