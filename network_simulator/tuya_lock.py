"""A simulated Tuya Zigbee door lock on the private cluster 0xEF00.

It behaves as Tuya's Zigbee lock standard (shared/seeds/004) says, and encodes
and decodes every payload with the quirk's own codec
(``custom_components.se_gateway.quirks.tuya_lock``). Importing that package
imports the integration, and so Home Assistant: it works on its own, without
``import homeassistant.core`` first, and costs about 3 s at start-up.

- It answers the MCU version query (0x10) with 0x11, and sends a version report
  as a heartbeat every ``heartbeat_s`` while it is on the air.
- ``startup_delay_s`` after it joins (time for the gateway to interview it) it
  asks for the time (0x24), again with each heartbeat until the gateway
  answers, and sends what it had queued.
- It acknowledges the internet status (0x25) with 0x26.
- Unlocks and door changes are records (0x23) stamped with their time; alarms,
  battery, doorbell and remote-unlock requests are data reports (0x02). Both
  ask for a Default Response and are sent again with the same ZCL sequence
  number until one comes (see `tuya_outbox`).
- Off the air, records wait and go out in order after the next join; data
  reports are lost, as the standard keeps only records.
- A data request (0x00) with DP 21 (6 ASCII digits) unlocks when the digits are
  ``remote_password``; the lock answers 0x01 with the result in DP 22 and, on
  success, sends an app unlock record (DP 41).
- Its settings (reverse lock DP 12, auto-lock time DP 19, volume DP 31) are
  reported when it starts; a data request writes them and the 0x01 answer
  reports the new value. The auto-lock time drives ``auto_lock_s``.
- MCU OTA: on a notify (0x12) it asks for the image in order, ``ota_block_size``
  bytes at a time (0x13), assembles the blocks (0x14) into ``firmware``, reports
  the result (0x15) and then its new version (0x11). ``ota_fail`` makes it
  report a failure; ``ota_silent`` makes it ignore the notify.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
import logging
import time
from types import MappingProxyType
from typing import Any, Final, override

import zigpy.profiles.zha as zha_profile
import zigpy.types as t
from zigpy.zcl import foundation
from zigpy.zcl.clusters.general import Groups, Ota, Scenes, Time
import zigpy.zdo.types as zdo_t

from custom_components.se_gateway.quirks.tuya_lock import commands, datapoints, dp_map
from custom_components.se_gateway.quirks.tuya_lock.cluster import TuyaLockCluster

from .catalogue import basic_cluster
from .cluster_io import RequestingCluster, cluster_frame, default_response
from .device import Frame, SimulatedDevice, SimulatedEndpoint
from .tuya_outbox import PendingReport, ReportOutbox
from .zcl import SimulatedCluster

_LOGGER = logging.getLogger(__name__)

CommandId = commands.CommandId
UnlockMethod = dp_map.UnlockMethod
Status = foundation.Status

LOCK_IEEE: Final = t.EUI64.convert("a4:c1:38:5e:00:00:00:01")
FIELD_MANUFACTURER: Final = "_TYST12_simlock1"
FIELD_MODEL: Final = "TY0A01"
LOCK_ENDPOINT: Final = 1
LOCK_DEVICE_TYPE: Final = 0x0051
TUYA_CLUSTER_ID: Final = 0xEF00
TUYA_MANUFACTURER_CODE: Final = 0x1002  # as in the standard's OTA attributes
MCU_VERSION: Final = 0b01_00_0001  # 1.0.1
REMOTE_PASSWORD: Final = "123456"  # noqa: S105 (the simulated lock's own secret)

HEARTBEAT_S: Final = 120.0
ACK_TIMEOUT_S: Final = 0.5
MAX_RETRIES: Final = 3
STARTUP_DELAY_S: Final = 2.0
AUTO_LOCK_S: Final = 5.0

# The DPs the lock reports on (the Zigbee lock DP reference).
UNLOCK_DPS: Final = MappingProxyType(
    {
        UnlockMethod.FINGERPRINT: 1,
        UnlockMethod.PASSWORD: 2,
        UnlockMethod.TEMPORARY_PASSWORD: 3,
        UnlockMethod.DYNAMIC_PASSWORD: 4,
        UnlockMethod.CARD: 5,
        UnlockMethod.FACE: 6,
        UnlockMethod.MECHANICAL_KEY: 7,
        UnlockMethod.APP: 41,
    }
)
DOOR_DP: Final = 8
ALARM_DP: Final = 9
BATTERY_DP: Final = 10
DOORBELL_DP: Final = 14
DURESS_DP: Final = 35
AUTO_LOCK_TIME_DP: Final = 19
REMOTE_UNLOCK_RESULT_DP: Final = 22
# No public Zigbee lock source names a remote unlock request DP, and the quirk's
# default map has none; 50 is the one its dp_map docstring shows a product add.
REMOTE_UNLOCK_REQUEST_DP: Final = 50
REMOTE_UNLOCK_USER_ID: Final = 0
REVERSE_LOCK_DP: Final = 12
VOLUME_DP: Final = 31
VOLUME_NORMAL: Final = 2
OTA_BLOCK_SIZE: Final = 64
OTA_STATUS_OK: Final = 0x00
OTA_STATUS_FAILED: Final = 0x01


def default_config() -> dict[int, datapoints.Datapoint]:
    """Return the settings a new simulated lock has."""
    return {
        REVERSE_LOCK_DP: datapoints.bool_dp(REVERSE_LOCK_DP, False),
        AUTO_LOCK_TIME_DP: datapoints.value_dp(AUTO_LOCK_TIME_DP, int(AUTO_LOCK_S)),
        VOLUME_DP: datapoints.enum_dp(VOLUME_DP, VOLUME_NORMAL),
    }


@dataclass
class McuUpdate:
    """An MCU update in progress: what the notify announced, what came so far."""

    notify: commands.McuOtaNotify
    received: bytearray = field(default_factory=bytearray)


@dataclass
class TuyaLock(SimulatedDevice):
    """A battery-powered Tuya lock: the MCU's behaviour on a simulated device.

    State tests can read: ``locked``, ``door_open``, ``battery_percent``,
    ``time_syncs`` (accepted 0x24 replies), ``rejected_time_syncs`` (replies
    whose header does not echo the request), ``internet_statuses``,
    ``remote_unlocks`` (results), ``settings`` (DPs the gateway wrote),
    ``config`` (the lock's settings by DP), ``firmware`` (the last MCU image
    it assembled), ``ota_notifies``, ``dropped`` (data reports lost off the
    air) and ``outbox``.
    """

    remote_password: str | None = REMOTE_PASSWORD
    mcu_version: int = MCU_VERSION
    heartbeat_s: float = HEARTBEAT_S
    ack_timeout_s: float = ACK_TIMEOUT_S
    max_retries: int = MAX_RETRIES
    startup_delay_s: float = STARTUP_DELAY_S
    auto_lock_s: float | None = AUTO_LOCK_S
    remote_request_dp: int = REMOTE_UNLOCK_REQUEST_DP
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    locked: bool = True
    door_open: bool = False
    battery_percent: int = 100
    time_syncs: list[commands.TimeSyncReply] = field(default_factory=list)
    rejected_time_syncs: list[commands.TimeSyncReply] = field(default_factory=list)
    internet_statuses: list[int | None] = field(default_factory=list)
    remote_unlocks: list[bool] = field(default_factory=list)
    settings: dict[int, datapoints.Datapoint] = field(default_factory=dict)
    dropped: list[PendingReport] = field(default_factory=list)
    config: dict[int, datapoints.Datapoint] = field(default_factory=default_config)
    ota_block_size: int = OTA_BLOCK_SIZE
    ota_fail: bool = False
    ota_silent: bool = False
    ota_notifies: list[commands.McuOtaNotify] = field(default_factory=list)
    firmware: bytes | None = None
    outbox: ReportOutbox = field(init=False)
    _update: McuUpdate | None = field(default=None, init=False, repr=False)
    _seq: int = field(default=0, init=False, repr=False)
    _joined_at: float | None = field(default=None, init=False, repr=False)
    _started: bool = field(default=False, init=False, repr=False)
    _time_request: bytes = field(default=b"", init=False, repr=False)
    _time_synced: bool = field(default=False, init=False, repr=False)
    _last_heartbeat: float = field(default=0.0, init=False, repr=False)
    _unlocked_at: float = field(default=0.0, init=False, repr=False)

    def __post_init__(self) -> None:
        self.outbox = ReportOutbox(self.ack_timeout_s, self.max_retries)
        self.behaviours.append(self._behaviour)

    @property
    def on_air(self) -> bool:
        """Return True when the lock can reach the gateway."""
        return self.online and self.joined

    @property
    def time_synced(self) -> bool:
        """Return True once the gateway answered a time request since joining."""
        return self._time_synced

    # Actions for tests and the control channel ---------------------------------

    def unlock(
        self, method: UnlockMethod | str, user_id: int, at: datetime | None = None
    ) -> None:
        """Unlock by ``method`` for ``user_id``: a record stamped ``at`` (or now)."""
        dpid = UNLOCK_DPS[UnlockMethod(method)]
        self.locked = False
        self._unlocked_at = self.clock()
        self._record(datapoints.value_dp(dpid, user_id), at)
        self._pump()

    def lock(self) -> None:
        """Lock again (no DP reports it)."""
        self.locked = True

    def door(self, is_open: bool, at: datetime | None = None) -> None:
        """Open or close the door: a record stamped ``at`` (or now)."""
        self.door_open = is_open
        self._record(datapoints.bool_dp(DOOR_DP, is_open), at)
        self._pump()

    def alarm(self, code: int) -> None:
        """Raise an alarm (a `dp_map.LockAlarm` value)."""
        self._report(datapoints.enum_dp(ALARM_DP, int(code)))
        self._pump()

    def battery(self, percent: int) -> None:
        """Report the battery level."""
        self.battery_percent = percent
        self._report(datapoints.value_dp(BATTERY_DP, percent))
        self._pump()

    def doorbell(self) -> None:
        """Ring the doorbell."""
        self._report(datapoints.bool_dp(DOORBELL_DP, True))
        self._pump()

    def duress(self) -> None:
        """Report a hijack (duress) unlock alarm."""
        self._report(datapoints.bool_dp(DURESS_DP, True))
        self._pump()

    def report_setting(self, dpid: int, value: int) -> None:
        """Report a setting, e.g. the auto-lock time (DP 19), as a value DP."""
        self._report(datapoints.value_dp(dpid, value))
        self._pump()

    def remote_unlock_request(self, countdown_s: int) -> None:
        """Ask the gateway for a remote unlock within ``countdown_s``."""
        self._report(datapoints.value_dp(self.remote_request_dp, countdown_s))
        self._pump()

    def status(self) -> str:
        """Describe the lock's state in one line."""
        return (
            f"locked={self.locked} door_open={self.door_open}"
            f" battery={self.battery_percent} time_synced={self.time_synced}"
            f" queued={len(self.outbox.queue)}"
            f" in_flight={self.outbox.in_flight is not None}"
            f" delivered={len(self.outbox.delivered)}"
            f" undelivered={len(self.outbox.undelivered)}"
        )

    # Joining and the clock -------------------------------------------------------

    @override
    def node_descriptor(self) -> zdo_t.NodeDescriptor:
        """Return the node descriptor, with Tuya's manufacturer code."""
        descriptor = super().node_descriptor()
        descriptor.manufacturer_code = t.uint16_t(TUYA_MANUFACTURER_CODE)
        return descriptor

    @override
    def announce(self) -> None:
        """Announce, then start over: ask for the time and flush after a delay."""
        super().announce()
        self._joined_at = self.clock()
        self._started = False
        self._time_synced = False

    @override
    def receive(self, frame: Frame) -> None:
        """Handle a frame, then send whatever can go out now."""
        super().receive(frame)
        self._pump()

    def tick(self, now: float) -> None:
        """Advance the lock to ``now`` (monotonic seconds)."""
        auto_lock = self.auto_lock_s
        if auto_lock is not None and now - self._unlocked_at >= auto_lock:
            self.locked = True
        if not self.on_air or self._joined_at is None:
            return
        if not self._started:
            if now - self._joined_at < self.startup_delay_s:
                return
            self._start(now)
        if now - self._last_heartbeat >= self.heartbeat_s:
            self._heartbeat(now)
        if report := self.outbox.retransmission_due(now):
            self.send_zcl(LOCK_ENDPOINT, self._tuya, report.frame)
        self._pump()

    def _behaviour(self, _device: SimulatedDevice, now: float) -> None:
        self.tick(now)

    def _start(self, now: float) -> None:
        self._started = True
        self._last_heartbeat = now
        self._request_time()
        if self.config:
            self._report(*self.config.values())

    def _heartbeat(self, now: float) -> None:
        self._last_heartbeat = now
        payload = commands.encode_mcu_version_report(self._next_seq(), self.mcu_version)
        self._send(CommandId.MCU_VERSION_REPORT, payload)
        if not self.time_synced:
            self._request_time()

    def _request_time(self) -> None:
        self._time_request = datapoints.encode_seq(self._next_seq())
        self._send(CommandId.TIME_SYNC, self._time_request)

    # Sending -----------------------------------------------------------------

    @property
    def _tuya(self) -> SimulatedCluster:
        return self.cluster(TUYA_CLUSTER_ID)

    def _next_seq(self) -> int:
        self._seq = (self._seq + 1) & 0xFFFF
        return self._seq

    def _send(self, command_id: int, payload: bytes) -> None:
        """Send a frame that asks for no acknowledgement."""
        frame = cluster_frame(
            self._tuya,
            self.next_tsn(),
            command_id,
            payload,
            disable_default_response=True,
        )
        self.send_zcl(LOCK_ENDPOINT, self._tuya, frame)

    def _record(self, datapoint: datapoints.Datapoint, at: datetime | None) -> None:
        when = datetime.now(UTC) if at is None else at
        payload = commands.encode_record_report(self._next_seq(), when, [datapoint])
        self.outbox.push(PendingReport(CommandId.RECORD_REPORT, payload))

    def _report(self, *dps: datapoints.Datapoint) -> None:
        payload = commands.encode_data_message(self._next_seq(), dps)
        report = PendingReport(CommandId.DATA_REPORT, payload)
        if self.on_air:
            self.outbox.push(report)
        else:
            _LOGGER.info("%s: off the air, lost %d DP(s)", self.ieee, len(dps))
            self.dropped.append(report)

    def _pump(self) -> None:
        """Send the next queued report if none is waiting for its acknowledgement."""
        if not (self.on_air and self._started):
            return
        report = self.outbox.start_next(self.clock())
        if report is None:
            return
        report.tsn = self.next_tsn()
        report.frame = cluster_frame(
            self._tuya,
            report.tsn,
            report.command_id,
            report.payload,
            disable_default_response=False,
        )
        self.send_zcl(LOCK_ENDPOINT, self._tuya, report.frame)

    # Receiving ---------------------------------------------------------------

    def take_answer(
        self, _cluster: RequestingCluster, hdr: foundation.ZCLHeader, answer: Any
    ) -> None:
        """Take an answer from the gateway: a Default Response acknowledges."""
        if hdr.command_id == foundation.GeneralCommand.Default_Response:
            self.outbox.acknowledge(hdr.tsn, answer.command_id)

    def handle_command(
        self, cluster: SimulatedCluster, hdr: foundation.ZCLHeader, payload: bytes
    ) -> list[bytes]:
        """Answer a command from the gateway."""
        try:
            replies = self._answer(hdr.command_id, payload)
        except datapoints.MalformedFrame as err:
            _LOGGER.warning(
                "%s: malformed command 0x%02X: %s", self.ieee, hdr.command_id, err
            )
            return default_response(cluster, hdr, Status.MALFORMED_COMMAND)
        if replies is None:
            return default_response(cluster, hdr, Status.UNSUP_CLUSTER_COMMAND)
        if not replies:
            return default_response(cluster, hdr, Status.SUCCESS)
        return [
            cluster_frame(
                cluster, hdr.tsn, command_id, reply, disable_default_response=True
            )
            for command_id, reply in replies
        ]

    def _answer(
        self, command_id: int, payload: bytes
    ) -> list[tuple[int, bytes]] | None:
        """Return the (command, payload) replies, or None for an unknown command."""
        match command_id:
            case CommandId.DATA_REQUEST:
                request = commands.decode_data_message(CommandId.DATA_REQUEST, payload)
                response = [self._apply(datapoint) for datapoint in request.datapoints]
                return [
                    (
                        CommandId.DATA_RESPONSE,
                        commands.encode_data_message(request.seq, response),
                    )
                ]
            case CommandId.MCU_VERSION_QUERY:
                query = commands.decode_mcu_version_query(payload)
                report = commands.encode_mcu_version_report(query.seq, self.mcu_version)
                return [(CommandId.MCU_VERSION_REPORT, report)]
            case CommandId.TIME_SYNC:
                self._take_time(commands.decode_time_sync_reply(payload))
                return []
            case CommandId.INTERNET_STATUS:
                status = commands.decode_internet_status(payload)
                self.internet_statuses.append(status.status)
                return [
                    (CommandId.INTERNET_STATUS_ACK, datapoints.encode_seq(status.seq))
                ]
            case CommandId.MCU_OTA_NOTIFY:
                self._start_update(commands.decode_mcu_ota_notify(payload))
                return []
            case CommandId.MCU_OTA_BLOCK_RESPONSE:
                self._take_block(commands.decode_mcu_ota_block_response(payload))
                return []
        return None

    # MCU OTA (the MCU's side) ---------------------------------------------------

    def _start_update(self, notify: commands.McuOtaNotify) -> None:
        self.ota_notifies.append(notify)
        if self.ota_silent:
            return
        self._update = McuUpdate(notify)
        self._request_block()

    def _request_block(self) -> None:
        update = self._update
        assert update is not None
        notify = update.notify
        offset = len(update.received)
        length = min(self.ota_block_size, notify.size - offset)
        request = commands.McuOtaBlockRequest(
            self._next_seq(), notify.pid, notify.version, offset, length
        )
        self._send(
            CommandId.MCU_OTA_BLOCK_REQUEST,
            commands.encode_mcu_ota_block_request(request),
        )

    def _take_block(self, block: commands.McuOtaBlockResponse) -> None:
        update = self._update
        if update is None or block.offset != len(update.received):
            _LOGGER.warning("%s: unexpected MCU OTA block", self.ieee)
            return
        if block.status != OTA_STATUS_OK or not block.data:
            self._finish_update(OTA_STATUS_FAILED)
            return
        update.received += block.data
        if len(update.received) < update.notify.size:
            self._request_block()
            return
        self.firmware = bytes(update.received)
        self._finish_update(OTA_STATUS_FAILED if self.ota_fail else OTA_STATUS_OK)

    def _finish_update(self, status: int) -> None:
        update = self._update
        assert update is not None
        self._update = None
        notify = update.notify
        result = commands.McuOtaResult(
            self._next_seq(), status, notify.pid, notify.version
        )
        self._send(CommandId.MCU_OTA_RESULT, commands.encode_mcu_ota_result(result))
        if status == OTA_STATUS_OK:
            self.mcu_version = notify.version
            self._send(
                CommandId.MCU_VERSION_REPORT,
                commands.encode_mcu_version_report(self._next_seq(), notify.version),
            )

    def _take_time(self, reply: commands.TimeSyncReply) -> None:
        if self._time_request and reply.header != self._time_request:
            _LOGGER.warning("%s: time sync reply does not echo the request", self.ieee)
            self.rejected_time_syncs.append(reply)
            return
        self.time_syncs.append(reply)
        self._time_synced = True

    def _apply(self, datapoint: datapoints.Datapoint) -> datapoints.Datapoint:
        """Carry out one DP the gateway sent; return the DP to answer with."""
        if datapoint.dpid != dp_map.REMOTE_UNLOCK_PASSWORD_DP:
            self.settings[datapoint.dpid] = datapoint
            if datapoint.dpid in self.config:
                self.config[datapoint.dpid] = datapoint
            if datapoint.dpid == AUTO_LOCK_TIME_DP and isinstance(datapoint.value, int):
                self.auto_lock_s = float(datapoint.value)
            return datapoint
        expected = self.remote_password
        success = expected is not None and datapoint.raw == expected.encode("ascii")
        self.remote_unlocks.append(success)
        if success:
            self.locked = False
            self._unlocked_at = self.clock()
            self._record(
                datapoints.value_dp(
                    UNLOCK_DPS[UnlockMethod.APP], REMOTE_UNLOCK_USER_ID
                ),
                None,
            )
        return datapoints.bool_dp(REMOTE_UNLOCK_RESULT_DP, success)


def tuya_lock(
    ieee: t.EUI64 = LOCK_IEEE,
    *,
    manufacturer: str = FIELD_MANUFACTURER,
    model: str = FIELD_MODEL,
    remote_password: str | None = REMOTE_PASSWORD,
    heartbeat_s: float = HEARTBEAT_S,
    ack_timeout_s: float = ACK_TIMEOUT_S,
    max_retries: int = MAX_RETRIES,
    startup_delay_s: float = STARTUP_DELAY_S,
    auto_lock_s: float | None = AUTO_LOCK_S,
    with_settings: bool = True,
    clock: Callable[[], float] = time.monotonic,
) -> TuyaLock:
    """Return a Tuya lock as seen in the field (TY0A01, ``_TYST12_``).

    ``with_settings`` gives it the settings DPs (reported when it starts).
    """
    lock = TuyaLock(
        ieee=ieee,
        manufacturer=manufacturer,
        model=model,
        logical_type=zdo_t.LogicalType.EndDevice,
        mains_powered=False,
        remote_password=remote_password,
        heartbeat_s=heartbeat_s,
        ack_timeout_s=ack_timeout_s,
        max_retries=max_retries,
        startup_delay_s=startup_delay_s,
        auto_lock_s=auto_lock_s,
        config=default_config() if with_settings else {},
        clock=clock,
    )
    endpoint = lock.add_endpoint(
        SimulatedEndpoint(LOCK_ENDPOINT, zha_profile.PROFILE_ID, LOCK_DEVICE_TYPE)
    )
    endpoint.add(basic_cluster(manufacturer, model, mains_powered=False))
    endpoint.add(SimulatedCluster(Groups, values={0x0000: 0}))
    endpoint.add(SimulatedCluster(Scenes, values={0x0000: 0, 0x0004: 0}))
    endpoint.add(SimulatedCluster(Time, values={0x0000: 0, 0x0001: 0}))
    endpoint.add(
        RequestingCluster(
            TuyaLockCluster,
            command_handler=lock.handle_command,
            on_answer=lock.take_answer,
        )
    )
    endpoint.add(SimulatedCluster(Ota, is_server=False))
    return lock
