"""The simulated lock as a Zigbee device: MCU, serial line and module together.

The device owns the line between them and pumps it: bytes written on either
side are read off in small chunks and reassembled by the other side's
reader, until the line is quiet. It gives the module its way onto the air:
reports (0x02, 0x23) through the outbox, which waits for the gateway's
Default Response and sends again with the same ZCL sequence number; other
frames once, with Disable Default Response set.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
import logging
import time
from typing import Any, Final, override

import zigpy.types as t
from zigpy.zcl import Cluster, foundation
import zigpy.zdo.types as zdo_t

from ..cluster_io import RequestingCluster, cluster_frame, default_response
from ..device import Frame, SimulatedDevice
from ..tuya_outbox import PendingReport, ReportOutbox
from ..zcl import SimulatedCluster
from . import serial_payloads as sp, units, zigbee_payloads as zp
from .credentials import Kind
from .mcu import (
    ALARM_DP,
    BATTERY_DP,
    DOOR_DP,
    DOORBELL_DP,
    DURESS_DP,
    UNLOCK_DPS,
    LockMcu,
)
from .module import ZigbeeModule
from .profiles import DEFAULT_PROFILE, LockProfile
from .serial_line import SerialLine

_LOGGER = logging.getLogger(__name__)

TUYA_CLUSTER_ID: Final = 0xEF00
LOCK_ENDPOINT: Final = 1
TUYA_MANUFACTURER_CODE: Final = 0x1002  # the standard's OTA attributes
HEARTBEAT_S: Final = 120.0
ACK_TIMEOUT_S: Final = 0.5
MAX_RETRIES: Final = 3
STARTUP_DELAY_S: Final = 2.0
CHUNK: Final = 7  # bytes read off the line at a time
MAX_PUMP_ROUNDS: Final = 10_000


class TuyaPrivateCluster(Cluster):
    """Cluster 0xEF00 as the simulator's own definition (never registered)."""

    _skip_registry = True
    cluster_id = t.uint16_t(TUYA_CLUSTER_ID)
    name = "Tuya private (simulated)"
    ep_attribute = "simulated_tuya_private"


@dataclass
class TuyaLock(SimulatedDevice):
    """A Tuya Zigbee lock: its MCU, its Zigbee module and the line between.

    State for tests: ``locked``, ``door_open``, ``battery_percent``,
    ``time_synced``, ``time_syncs``, ``rejected_time_syncs``,
    ``internet_statuses``, ``remote_unlocks``, ``settings`` (DPs the gateway
    wrote), ``config`` (the settings), ``firmware``, ``ota_notifies``,
    ``dropped`` (reports lost off the air), ``outbox``; ``mcu``, ``module``
    and ``line`` are the parts.
    """

    profile: LockProfile = DEFAULT_PROFILE
    heartbeat_s: float = HEARTBEAT_S
    ack_timeout_s: float = ACK_TIMEOUT_S
    max_retries: int = MAX_RETRIES
    startup_delay_s: float = STARTUP_DELAY_S
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    outbox: ReportOutbox = field(init=False)
    line: SerialLine = field(init=False, repr=False)
    mcu: LockMcu = field(init=False, repr=False)
    module: ZigbeeModule = field(init=False, repr=False)
    _joined_at: float | None = field(default=None, init=False, repr=False)
    _started: bool = field(default=False, init=False, repr=False)
    _last_heartbeat: float = field(default=0.0, init=False, repr=False)
    _pumping: bool = field(default=False, init=False, repr=False)
    _holding: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        self.outbox = ReportOutbox(self.ack_timeout_s, self.max_retries)
        self.line = SerialLine()
        self.mcu = LockMcu(
            self.profile,
            self._writer(self.line.to_module.write),
            self.clock,
            version=0b01_00_0001,
            remote_password=None,
            settings=dict(self.profile.settings),
            auto_lock_s=None,
        )
        self.module = ZigbeeModule(
            self._writer(self.line.to_mcu.write), self.clock, self._air, self._on_air
        )
        self.behaviours.append(lambda _device, now: self.tick(now))

    # -- the parts' state, for tests and the control channel -----------------------

    @property
    def on_air(self) -> bool:
        """Return True when the lock can reach the gateway."""
        return self._on_air()

    def _on_air(self) -> bool:
        return self.online and self.joined

    @property
    def time_synced(self) -> bool:
        """Return True once the gateway answered a time request since joining."""
        return self.module.time_synced

    @property
    def locked(self) -> bool:
        """Return True while the bolt is thrown."""
        return self.mcu.locked

    @property
    def door_open(self) -> bool:
        """Return True while the door is open."""
        return self.mcu.door_open

    @property
    def battery_percent(self) -> int:
        """Return the battery level."""
        return self.mcu.battery_percent

    @property
    def remote_password(self) -> str | None:
        """Return the password remote unlocks must give (DP 21 or DP 103)."""
        return self.mcu.remote_password

    @remote_password.setter
    def remote_password(self, password: str | None) -> None:
        self.mcu.remote_password = password

    @property
    def mcu_version(self) -> int:
        """Return the MCU version byte."""
        return self.mcu.version

    @mcu_version.setter
    def mcu_version(self, version: int) -> None:
        self.mcu.version = version

    @property
    def auto_lock_s(self) -> float | None:
        """Return the seconds after which the lock locks again by itself."""
        return self.mcu.auto_lock_s

    @auto_lock_s.setter
    def auto_lock_s(self, seconds: float | None) -> None:
        self.mcu.auto_lock_s = seconds

    @property
    def config(self) -> dict[int, units.Unit]:
        """Return the lock's settings by DP."""
        return self.mcu.config

    @property
    def settings(self) -> dict[int, units.Unit]:
        """Return the DPs the gateway wrote."""
        return self.mcu.commands.written

    @property
    def remote_unlocks(self) -> list[bool]:
        """Return the results of the remote unlocks."""
        return self.mcu.commands.remote_unlocks

    @property
    def time_syncs(self) -> list[zp.TimeReply]:
        """Return the gateway's accepted time replies."""
        return self.module.state.time_syncs

    @property
    def rejected_time_syncs(self) -> list[zp.TimeReply]:
        """Return the time replies that did not echo the request."""
        return self.module.state.rejected_time_syncs

    @property
    def internet_statuses(self) -> list[int | None]:
        """Return the internet statuses the gateway sent."""
        return self.module.state.internet_statuses

    @property
    def ota_notifies(self) -> list[sp.OtaOffer]:
        """Return the MCU images the gateway offered."""
        return self.module.state.ota_notifies

    @property
    def dropped(self) -> list[bytes]:
        """Return the DP reports lost off the air."""
        return self.module.state.dropped

    @property
    def firmware(self) -> bytes | None:
        """Return the last MCU image the lock assembled."""
        return self.mcu.firmware

    @property
    def ota_block_size(self) -> int:
        """Return the bytes the MCU asks for at a time."""
        return self.mcu.ota_block_size

    @ota_block_size.setter
    def ota_block_size(self, size: int) -> None:
        self.mcu.ota_block_size = size

    @property
    def ota_fail(self) -> bool:
        """Return True if the MCU reports its next update as failed."""
        return self.mcu.ota_fail

    @ota_fail.setter
    def ota_fail(self, fail: bool) -> None:
        self.mcu.ota_fail = fail

    @property
    def ota_silent(self) -> bool:
        """Return True if the MCU ignores update offers."""
        return self.mcu.ota_silent

    @ota_silent.setter
    def ota_silent(self, silent: bool) -> None:
        self.mcu.ota_silent = silent

    # -- what a person does at the lock --------------------------------------------

    def unlock(self, method: str, user_id: int, at: datetime | None = None) -> None:
        """Unlock by ``method`` for ``user_id``: a record stamped ``at`` (or now)."""
        self.mcu.unlock(UNLOCK_DPS[str(method)], user_id, at)

    def lock(self) -> None:
        """Lock again (no DP reports it)."""
        self.mcu.locked = True

    def door(self, is_open: bool, at: datetime | None = None) -> None:
        """Open or close the door: a record stamped ``at`` (or now)."""
        self.mcu.door_open = is_open
        self.mcu.record(units.boolean(DOOR_DP, is_open), at)

    def alarm(self, code: int) -> None:
        """Raise an alarm (DP 9)."""
        self.mcu.report(units.enum(ALARM_DP, int(code)))

    def battery(self, percent: int) -> None:
        """Report the battery level."""
        self.mcu.battery_percent = percent
        self.mcu.report(units.value(BATTERY_DP, percent))

    def doorbell(self) -> None:
        """Ring the doorbell."""
        self.mcu.report(units.boolean(DOORBELL_DP, True))

    def duress(self) -> None:
        """Report a hijack (duress) unlock alarm."""
        self.mcu.report(units.boolean(DURESS_DP, True))

    def report_setting(self, dpid: int, value: int) -> None:
        """Report a setting as a value DP."""
        self.mcu.report(units.value(dpid, value))

    def remote_unlock_request(self, countdown_s: int) -> None:
        """Ask the gateway for a remote unlock within ``countdown_s``."""
        dpid = self.profile.request_dp
        if dpid is None:
            raise KeyError(f"{self.profile.name} has no remote unlock request DP")
        self.mcu.report(units.value(dpid, countdown_s))

    def keypad(self, code: str) -> None:
        """Type a code at the keypad."""
        self.mcu.keypad(code)

    def touch(self, secret: str = "finger", *, accepted: bool = True) -> None:  # noqa: S107
        """Put a finger (or card, or face) on the reader."""
        self.mcu.touch(secret, accepted=accepted)

    def enrol_finger(self, name: str) -> None:
        """Enrol a finger at the lock's own menu (its list is reported)."""
        self.mcu.enrol_locally(Kind.FINGERPRINT, name)

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

    # -- the serial line -----------------------------------------------------------

    def _writer(self, write: Callable[[bytes], None]) -> Callable[[bytes], None]:
        def send(data: bytes) -> None:
            write(data)
            self.pump_line()

        return send

    def pump_line(self) -> None:
        """Carry bytes across the line until it is quiet."""
        if self._pumping:
            return
        self._pumping = True
        try:
            for _ in range(MAX_PUMP_ROUNDS):
                if not self.line.busy:
                    break
                if chunk := self.line.to_module.read(CHUNK):
                    self.module.receive(chunk)
                if chunk := self.line.to_mcu.read(CHUNK):
                    self.mcu.receive(chunk)
            self.module.idle()
            self.mcu.idle()
        finally:
            self._pumping = False
        if self.line.busy:
            self.pump_line()

    # -- the air -------------------------------------------------------------------

    @property
    def _tuya(self) -> SimulatedCluster:
        return self.cluster(TUYA_CLUSTER_ID)

    def _air(self, command_id: int, payload: bytes, is_report: bool) -> None:
        if is_report:
            self.outbox.push(PendingReport(command_id, payload))
            self._pump_outbox()
            return
        frame = cluster_frame(
            self._tuya,
            self.next_tsn(),
            command_id,
            payload,
            disable_default_response=True,
        )
        self.send_zcl(LOCK_ENDPOINT, self._tuya, frame)

    def _pump_outbox(self) -> None:
        """Send the next report if none waits for its acknowledgement."""
        if self._holding or not (self.on_air and self._started):
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

    @override
    def node_descriptor(self) -> zdo_t.NodeDescriptor:
        """Return the node descriptor, with Tuya's manufacturer code."""
        descriptor = super().node_descriptor()
        descriptor.manufacturer_code = t.uint16_t(TUYA_MANUFACTURER_CODE)
        return descriptor

    @override
    def announce(self) -> None:
        """Announce, then start over as after a power-up."""
        super().announce()
        self._joined_at = self.clock()
        self._started = False
        self.module.joined()

    @override
    def receive(self, frame: Frame) -> None:
        """Handle a frame; reports wait until its answers are out."""
        self._holding = True
        try:
            super().receive(frame)
        finally:
            self._holding = False
        self._pump_outbox()

    def tick(self, now: float) -> None:
        """Advance the lock to ``now`` (monotonic seconds)."""
        self.mcu.tick()
        self.module.sender.tick()
        self.pump_line()
        if not self.on_air or self._joined_at is None:
            return
        if not self._started:
            if now - self._joined_at < self.startup_delay_s:
                return
            self._started = True
            self._last_heartbeat = now
            self.module.start()
        if now - self._last_heartbeat >= self.heartbeat_s:
            self._last_heartbeat = now
            self.module.heartbeat()
        if report := self.outbox.retransmission_due(now):
            self.send_zcl(LOCK_ENDPOINT, self._tuya, report.frame)
        self._pump_outbox()

    def take_answer(
        self, _cluster: RequestingCluster, hdr: foundation.ZCLHeader, answer: Any
    ) -> None:
        """Take an answer from the gateway: a Default Response acknowledges."""
        if hdr.command_id == foundation.GeneralCommand.Default_Response:
            self.outbox.acknowledge(hdr.tsn, answer.command_id)
            self._pump_outbox()

    def handle_command(
        self, cluster: SimulatedCluster, hdr: foundation.ZCLHeader, payload: bytes
    ) -> list[bytes]:
        """Give a command from the gateway to the module; return its answers."""
        try:
            replies = self.module.from_gateway(hdr.command_id, payload)
        except (zp.BadZigbeePayload, sp.BadPayload, units.BadUnits) as err:
            _LOGGER.warning(
                "%s: malformed command 0x%02X: %s", self.ieee, hdr.command_id, err
            )
            return default_response(cluster, hdr, foundation.Status.MALFORMED_COMMAND)
        if replies is None:
            return default_response(
                cluster, hdr, foundation.Status.UNSUP_CLUSTER_COMMAND
            )
        if not replies:
            return default_response(cluster, hdr, foundation.Status.SUCCESS)
        return [
            cluster_frame(
                cluster, hdr.tsn, command_id, reply, disable_default_response=True
            )
            for command_id, reply in replies
        ]
