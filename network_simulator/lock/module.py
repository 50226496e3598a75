"""The Zigbee module: the lock MCU's serial line bridged to cluster 0xEF00.

As Tuya's Zigbee lock standard (shared/seeds/004) asks:

- what the gateway sends (sequence + user data) goes to the MCU as the
  serial command with the same data: a data request (0x00) becomes 0x04,
  and the MCU's DP report with that command's sequence goes back as the data
  response (0x01) with the gateway's sequence; the MCU version query (0x10)
  becomes 0x0A; MCU OTA (0x12, 0x14) becomes 0x0B and answers 0x0C;
- what the MCU reports goes to the gateway: 0x05 as a data report (0x02),
  0x23 records as 0x23 with the MCU's bytes behind our sequence, 0x0C as a
  block request (0x13), 0x0D as the OTA result (0x15), then the new version;
- Disable Default Response is 0 only on reports (0x02, 0x23): the gateway's
  Default Response acknowledges them, else they go again with the same ZCL
  sequence number (see `tuya_outbox`: ≥ 250 ms apart, within 3 s);
- after power-up (a join) it asks the gateway for the time (0x24), tells the
  MCU its network status (0x06) and, when the time comes, the time (0x24);
- a heartbeat (the MCU version, 0x11) every 2 minutes, with another time
  request until the gateway answered one;
- records the MCU sends while the module is off the air wait and go out one
  by one, in order, after the next join; reports are refused then (the MCU
  tries again, then gives up);
- dynamic (0x07) and offline (0x08) passwords: their check (Tuya's SecKey)
  is not public, so the module accepts those listed in `dynamic_passwords`
  and `offline_passwords`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
import logging
from typing import Final

from . import serial_payloads as sp, zigbee_payloads as zp
from .exchanges import LineSender
from .serial_frames import FrameReader, SerialFrame
from .serial_payloads import SerialCommand as Cmd
from .units import decode_units
from .zigbee_payloads import ZigbeeCommand as Zcmd

_LOGGER = logging.getLogger(__name__)

WAKE_TIMEOUT_S: Final = 0.02
TEST_RESULT: Final = b"\x00\x64"  # assumed: ok, signal 100 %
RESET_OK: Final = b"\x00"

# Sends (command, payload, is_report) over the air.
SendZcl = Callable[[int, bytes, bool], None]


@dataclass
class ModuleState:
    """What the module tells tests."""

    time_syncs: list[zp.TimeReply] = field(default_factory=list)
    rejected_time_syncs: list[zp.TimeReply] = field(default_factory=list)
    internet_statuses: list[int | None] = field(default_factory=list)
    ota_notifies: list[sp.OtaOffer] = field(default_factory=list)
    product: sp.ProductInfo | None = None
    mcu_version: int | None = None
    dropped: list[bytes] = field(default_factory=list)
    resets: int = 0


class ZigbeeModule:
    """Bridges the MCU's serial line to the air."""

    def __init__(
        self,
        write: Callable[[bytes], None],
        clock: Callable[[], float],
        send: SendZcl,
        on_air: Callable[[], bool],
    ) -> None:
        self.reader = FrameReader()
        self.sender = LineSender(
            write, clock, wake_seq=sp.WAKE_SEQ_MODULE, wake_timeout=WAKE_TIMEOUT_S
        )
        self._send = send
        self._on_air = on_air
        self.state = ModuleState()
        self.dynamic_passwords: set[str] = set()
        self.offline_passwords: set[str] = set()
        self._seq = 0
        self._time: tuple[int, int, float] | None = None
        self._clock = clock
        self._time_request = b""
        self._time_synced = False
        self._gateway_seqs: dict[int, int] = {}
        self._mcu_time_requests: list[SerialFrame] = []
        self._block_request: SerialFrame | None = None
        self._replies: list[tuple[int, bytes]] | None = None
        self._gateway_online = False

    @property
    def time_synced(self) -> bool:
        """Return True once the gateway answered a time request since joining."""
        return self._time_synced

    def next_seq(self) -> int:
        """Return the next sequence of our own frames over the air."""
        self._seq = (self._seq + 1) & 0xFFFF
        return self._seq

    # -- power-up and the clock ----------------------------------------------------

    def joined(self) -> None:
        """Start over, as after a power-up: the module (re)joined."""
        self._time_synced = False

    def start(self) -> None:
        """Power-up sequence, once on the air: time, product, network status."""
        self.request_time()
        self.sender.request(Cmd.PRODUCT_INFO, on_answer=self._product)
        self.sender.request(Cmd.MCU_VERSION, on_answer=self._cache_version)
        self.tell_network()

    def heartbeat(self) -> None:
        """Send the heartbeat: the MCU version; ask the time if still unknown."""
        version = self.state.mcu_version or 0
        payload = zp.Payload(self.next_seq(), bytes((version,)))
        self._send(Zcmd.MCU_VERSION_REPORT, payload.encode(), False)
        if not self._time_synced:
            self.request_time()

    def request_time(self) -> None:
        """Ask the gateway for the time (0x24)."""
        self._time_request = self.next_seq().to_bytes(zp.SEQ_SIZE)
        self._send(Zcmd.TIME, self._time_request, False)

    def network_status(self) -> sp.NetworkStatus:
        """Return what the module tells the MCU about its network."""
        if not self._on_air():
            return sp.NetworkStatus.NO_GATEWAY
        if self._gateway_online:
            return sp.NetworkStatus.GATEWAY_AND_SERVER
        return sp.NetworkStatus.GATEWAY

    def tell_network(self) -> None:
        """Tell the MCU the network status (0x06)."""
        self.sender.request(Cmd.NETWORK_STATUS, bytes((self.network_status(),)))

    def _gmt_local(self) -> tuple[int, int] | None:
        if self._time is None:
            return None
        gmt, offset, at = self._time
        now = gmt + int(self._clock() - at)
        return now, now + offset

    def _take_time(self, reply: zp.TimeReply) -> None:
        if self._time_request and reply.header != self._time_request:
            _LOGGER.warning("The time reply does not echo the request")
            self.state.rejected_time_syncs.append(reply)
            return
        self.state.time_syncs.append(reply)
        self._time_synced = True
        self._time = (reply.gmt, reply.local - reply.gmt, self._clock())
        times = sp.encode_time(reply.gmt, reply.local)
        waiting, self._mcu_time_requests = self._mcu_time_requests, []
        for request in waiting:
            self.sender.answer(request, times)
        self.sender.request(Cmd.TIME, times)

    # -- from the gateway ----------------------------------------------------------

    def from_gateway(
        self, command_id: int, payload: bytes
    ) -> list[tuple[int, bytes]] | None:
        """Take a command from the gateway; return the replies to send at once.

        None means the command is not supported; raises `BadZigbeePayload`
        or `sp.BadPayload` when it is malformed.
        """
        self._replies = []
        try:
            handled = self._from_gateway(command_id, payload)
            return self._replies if handled else None
        finally:
            self._replies = None

    def _from_gateway(self, command_id: int, payload: bytes) -> bool:
        match command_id:
            case Zcmd.DATA_REQUEST:
                request = zp.decode(payload)
                decode_units(request.data)  # refuse what the MCU could not read
                seq = self.sender.next_seq()
                self._gateway_seqs[seq] = request.seq
                self.sender.request(Cmd.DP_COMMAND, request.data, seq=seq)
            case Zcmd.MCU_VERSION_QUERY:
                query = zp.decode(payload)
                self.sender.request(
                    Cmd.MCU_VERSION,
                    on_answer=lambda answer: self._version(answer, query.seq),
                )
            case Zcmd.TIME:
                self._take_time(zp.decode_time_reply(payload))
            case Zcmd.INTERNET_STATUS:
                status = zp.decode(payload)
                value = status.data[0] if status.data else None
                self.state.internet_statuses.append(value)
                self._gateway_online = value == zp.GATEWAY_ONLINE
                self._reply(Zcmd.INTERNET_STATUS_ACK, zp.Payload(status.seq, b""))
                self.tell_network()
            case Zcmd.MCU_OTA_NOTIFY:
                offer = sp.decode_ota_offer(zp.decode(payload).data)
                self.state.ota_notifies.append(offer)
                self.sender.request(Cmd.OTA_NOTIFY, offer.encode())
            case Zcmd.MCU_OTA_BLOCK_RESPONSE:
                block = zp.decode(payload).data
                sp.decode_ota_block(block)
                waiting, self._block_request = self._block_request, None
                if waiting is not None:
                    self.sender.answer(waiting, block)
            case _:
                return False
        return True

    def _reply(self, command_id: int, payload: zp.Payload) -> None:
        """Answer the gateway: at once if it is waiting, else as a new frame."""
        if self._replies is not None:
            self._replies.append((command_id, payload.encode()))
        else:
            self._send(command_id, payload.encode(), False)

    # -- from the MCU --------------------------------------------------------------

    def receive(self, data: bytes) -> None:
        """Take bytes from the line."""
        for frame in self.reader.feed(data):
            self.on_frame(frame)

    def idle(self) -> None:
        """Give up partial frames: the line fell silent."""
        for frame in self.reader.idle():
            self.on_frame(frame)

    def on_frame(self, frame: SerialFrame) -> None:
        """Handle one frame from the MCU."""
        self.sender.heard()
        if self.sender.take(frame):
            return
        match frame.command:
            case Cmd.WAKE:
                self.sender.answer(frame)
            case Cmd.DP_REPORT:
                self._dp_report(frame)
            case Cmd.RECORD:
                self.sender.answer(frame, bytes((sp.REPORT_RECEIVED,)))
                payload = zp.Payload(self.next_seq(), frame.data)
                self._send(Zcmd.RECORD, payload.encode(), True)
            case Cmd.TIME:
                self._mcu_time(frame)
            case Cmd.NETWORK_QUERY:
                self.sender.answer(frame, bytes((self.network_status(),)))
            case Cmd.RESET:
                self.state.resets += 1
                self.sender.answer(frame, RESET_OK)
            case Cmd.DYNAMIC_PASSWORD | Cmd.OFFLINE_PASSWORD:
                self._check_password(frame)
            case Cmd.MODULE_TEST:
                self.sender.answer(frame, TEST_RESULT)
            case Cmd.OTA_BLOCK:
                self._block(frame)
            case Cmd.OTA_RESULT:
                self.sender.answer(frame)
                payload = zp.Payload(self.next_seq(), frame.data)
                self._send(Zcmd.MCU_OTA_RESULT, payload.encode(), False)
                self.sender.request(Cmd.MCU_VERSION, on_answer=self._version)
            case _:
                _LOGGER.debug("The module ignores serial command 0x%02X", frame.command)

    def _dp_report(self, frame: SerialFrame) -> None:
        gateway_seq = self._gateway_seqs.pop(frame.seq, None)
        if gateway_seq is not None:
            self.sender.answer(frame, bytes((sp.REPORT_RECEIVED,)))
            self._reply(Zcmd.DATA_RESPONSE, zp.Payload(gateway_seq, frame.data))
            return
        if not self._on_air():
            if frame.data not in self.state.dropped:
                _LOGGER.info("Off the air: a DP report is lost")
                self.state.dropped.append(frame.data)
            self.sender.answer(frame, bytes((sp.REPORT_REFUSED,)))
            return
        self.sender.answer(frame, bytes((sp.REPORT_RECEIVED,)))
        payload = zp.Payload(self.next_seq(), frame.data)
        self._send(Zcmd.DATA_REPORT, payload.encode(), True)

    def _mcu_time(self, frame: SerialFrame) -> None:
        times = self._gmt_local()
        if times is None:  # answered when the gateway's time comes
            self._mcu_time_requests.append(frame)
            return
        self.sender.answer(frame, sp.encode_time(*times))

    def _check_password(self, frame: SerialFrame) -> None:
        try:
            if frame.command == Cmd.DYNAMIC_PASSWORD:
                password = sp.decode_dynamic_password(frame.data).password
                accepted = password in self.dynamic_passwords
            else:
                password = sp.decode_offline_password(frame.data).password
                accepted = password in self.offline_passwords
        except sp.BadPayload:
            accepted = False
        self.sender.answer(frame, bytes((sp.OK if accepted else sp.FAILED,)))

    def _block(self, frame: SerialFrame) -> None:
        repeated = (
            self._block_request is not None and self._block_request.seq == frame.seq
        )
        self._block_request = frame
        if not repeated:
            payload = zp.Payload(self.next_seq(), frame.data)
            self._send(Zcmd.MCU_OTA_BLOCK_REQUEST, payload.encode(), False)

    def _product(self, answer: SerialFrame) -> None:
        try:
            self.state.product = sp.decode_product_info(answer.data)
        except sp.BadPayload:
            _LOGGER.warning("The MCU's product information is malformed")

    def _cache_version(self, answer: SerialFrame) -> None:
        if len(answer.data) == 1:
            self.state.mcu_version = answer.data[0]

    def _version(self, answer: SerialFrame, gateway_seq: int | None = None) -> None:
        """Send the MCU's version: the answer to the gateway, or unasked."""
        self._cache_version(answer)
        seq = self.next_seq() if gateway_seq is None else gateway_seq
        self._reply(Zcmd.MCU_VERSION_REPORT, zp.Payload(seq, answer.data))
