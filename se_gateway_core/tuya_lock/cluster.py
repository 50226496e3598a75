"""The zigpy cluster for Tuya Zigbee door locks on 0xEF00.

Every frame from the lock is decoded by the pure codec; nothing raises into
zigpy. A frame that cannot be fully parsed is logged once per command id,
with its bytes (the values of password and key DPs hidden), and answered
MALFORMED_COMMAND; the whole datapoints before the damage are still
processed. The cluster acknowledges frames that ask for a default response,
answers time sync (0x24), internet status (0x25) and MCU OTA block requests
(0x13) itself, unlocks remotely the way the lock's product row says
(`products`), and publishes `events` both ways zigpy offers:

- ``cluster.on_event(UnlockEvent.event_type, callback)`` (zigpy `EventBase`);
- ``cluster.add_listener(obj)``, calling ``obj.tuya_lock_event(event)``.

Payloads of well-formed frames are never logged, nor relayed as zigpy's raw
``cluster_command`` listener event: they can hold passwords and keys. (zigpy
and the radio libraries still log whole packets at DEBUG level.)
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any, Final

from zhaquirks.clusters import CustomCluster
import zigpy.types as t
from zigpy.zcl import foundation
from zigpy.zcl.foundation import (
    BaseAttributeDefs,
    BaseCommandDefs,
    ZCLAttributeDef,
    ZCLCommandDef,
)

from .commands import (
    Command,
    CommandId,
    DataMessage,
    InternetStatus,
    McuOtaBlockRequest,
    McuOtaNotify,
    McuOtaResult,
    McuVersionReport,
    RecordReport,
    SecurityMessage,
    TimeSyncRequest,
    UnknownCommand,
    decode_from_device,
    encode_data_message,
    encode_data_query,
    encode_internet_status,
    encode_mcu_ota_block_response,
    encode_mcu_ota_notify,
    encode_mcu_version_query,
    encode_time_sync_reply,
)
from .datapoints import SEQ_SIZE, Datapoint, MalformedFrame, redacted_hex
from .events import CredentialReport, LockEvent, LockEventDispatcher, RemoteUnlockResult
from .mcu_ota import McuOtaImage, McuOtaOutcome, block_response
from .products import product_for
from .record_time import RECORD_TIME_SIZE
from .remote_unlock import (
    KeyAnswer,
    RemoteUnlockMethod,
    key_for,
    key_set_datapoint,
    key_unlock_datapoint,
    new_key,
    password_8_datapoint,
    password_datapoint,
)

TUYA_LOCK_CLUSTER_ID: Final = 0xEF00
LOCK_EVENT: Final = "tuya_lock_event"
KEY_ANSWER_TIMEOUT_S: Final = 15.0
KEY_SET_NAME: Final = "password_free_key_set"


def local_now() -> datetime:
    """Return the current time, aware, in the gateway's zone."""
    return datetime.now().astimezone()


class OpaquePayload(t.Bytes):
    """A command payload that never shows its bytes in logs or reprs."""

    def __repr__(self) -> str:
        """Show the size only: payloads can hold passwords and keys."""
        return f"<{len(self)} bytes>"

    __str__ = __repr__


def _command(command_id: int) -> ZCLCommandDef:
    """Define a command whose payload is opaque bytes, without a manufacturer code."""
    return ZCLCommandDef(
        id=command_id,  # type: ignore[arg-type]
        schema={"payload": OpaquePayload},  # type: ignore[arg-type]
        manufacturer_code=None,
    )


class TuyaLockCluster(CustomCluster):  # type: ignore[misc]
    """Tuya lock private cluster: decodes frames, answers the lock, emits events."""

    name = "Tuya Lock"
    cluster_id = TUYA_LOCK_CLUSTER_ID
    ep_attribute = "tuya_lock"

    class AttributeDefs(BaseAttributeDefs):
        """Attributes kept locally."""

        mcu_version = ZCLAttributeDef(
            id=0xEF00,  # type: ignore[arg-type]
            type=t.CharacterString,
            access=foundation.ZCLAttributeAccess.Read,
            is_manufacturer_specific=True,
        )

    class ServerCommandDefs(BaseCommandDefs):
        """Commands the gateway sends to the lock."""

        data_request = _command(CommandId.DATA_REQUEST)
        data_query = _command(CommandId.DATA_QUERY)
        mcu_version_query = _command(CommandId.MCU_VERSION_QUERY)
        mcu_ota_notify = _command(CommandId.MCU_OTA_NOTIFY)
        mcu_ota_block_response = _command(CommandId.MCU_OTA_BLOCK_RESPONSE)
        dynamic_password_key_reply = _command(CommandId.DYNAMIC_PASSWORD_KEY)
        record_report_reply = _command(CommandId.RECORD_REPORT)
        time_sync_reply = _command(CommandId.TIME_SYNC)
        internet_status = _command(CommandId.INTERNET_STATUS)
        session_key_response = _command(CommandId.SESSION_KEY_RESPONSE)
        session_key_ack_reply = _command(CommandId.SESSION_KEY_ACK)

    class ClientCommandDefs(BaseCommandDefs):
        """Commands the lock sends to the gateway."""

        data_response = _command(CommandId.DATA_RESPONSE)
        data_report = _command(CommandId.DATA_REPORT)
        mcu_version_report = _command(CommandId.MCU_VERSION_REPORT)
        mcu_ota_block_request = _command(CommandId.MCU_OTA_BLOCK_REQUEST)
        mcu_ota_result = _command(CommandId.MCU_OTA_RESULT)
        dynamic_password_key = _command(CommandId.DYNAMIC_PASSWORD_KEY)
        record_report = _command(CommandId.RECORD_REPORT)
        time_sync_request = _command(CommandId.TIME_SYNC)
        internet_status_request = _command(CommandId.INTERNET_STATUS)
        internet_status_ack = _command(CommandId.INTERNET_STATUS_ACK)
        session_key_request = _command(CommandId.SESSION_KEY_REQUEST)
        session_key_ack = _command(CommandId.SESSION_KEY_ACK)
        dynamic_password_request = _command(CommandId.DYNAMIC_PASSWORD_REQUEST)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Start with an empty event state."""
        super().__init__(*args, **kwargs)
        device = self.endpoint.device
        self.product = product_for(device.manufacturer, device.model)
        self.dp_map = self.product.dp_map
        self.settings = self.product.settings
        self._dispatcher = LockEventDispatcher(self.dp_map)
        self._key_waiters: list[asyncio.Future[KeyAnswer]] = []
        self._seq = 0
        self._malformed_logged: set[int] = set()
        self._security_logged: set[CommandId] = set()
        self._version_waiters: list[asyncio.Future[str]] = []
        self._ota_image: McuOtaImage | None = None
        self._ota_result: asyncio.Future[int] | None = None
        self._ota_bytes_sent = 0

    # -- receiving -----------------------------------------------------------

    def deserialize(self, data: bytes) -> tuple[foundation.ZCLHeader, Any]:
        """Split a cluster command into header and raw payload, logging no bytes."""
        hdr, payload = foundation.ZCLHeader.deserialize(data)
        if not hdr.frame_control.is_cluster:
            return super().deserialize(data)  # type: ignore[no-any-return]
        return hdr, OpaquePayload(payload)

    def handle_message(self, hdr: foundation.ZCLHeader, args: Any) -> None:
        """Handle cluster commands here; general commands as zigpy does."""
        if not hdr.frame_control.is_cluster:
            super().handle_message(hdr, args)
            return
        self.debug("Received command 0x%02x (TSN %d)", hdr.command_id, hdr.tsn)
        self.handle_cluster_request(hdr, args)

    def handle_cluster_request(
        self,
        hdr: foundation.ZCLHeader,
        args: Any,
        *,
        dst_addressing: t.AddrMode | None = None,  # noqa: ARG002 (zigpy's signature)
    ) -> None:
        """Decode one frame from the lock, acknowledge, answer and publish it."""
        payload = args if isinstance(args, bytes) else bytes(args.payload)
        try:
            command = decode_from_device(hdr.command_id, payload)
        except MalformedFrame as exc:
            self._log_malformed(hdr.command_id, payload, str(exc))
            self._acknowledge(hdr, foundation.Status.MALFORMED_COMMAND)
            return
        if isinstance(command, UnknownCommand):
            self.debug("Unsupported command 0x%02x", hdr.command_id)
            self._acknowledge(hdr, foundation.Status.UNSUP_CLUSTER_COMMAND)
            return
        if isinstance(command, DataMessage | RecordReport) and command.error:
            self._log_malformed(hdr.command_id, payload, command.error)
            self._acknowledge(hdr, foundation.Status.MALFORMED_COMMAND)
        else:
            self._acknowledge(hdr, foundation.Status.SUCCESS)
        self._answer(command)
        events = self._dispatcher.feed(
            command, tsn=hdr.tsn, received_at=datetime.now(UTC)
        )
        for event in events:
            self._publish(event)

    def _acknowledge(
        self, hdr: foundation.ZCLHeader, status: foundation.Status
    ) -> None:
        if not hdr.frame_control.disable_default_response:
            self.send_default_rsp(hdr, status)

    def _log_malformed(self, command_id: int, payload: bytes, reason: str) -> None:
        """Log a damaged frame: once as a warning, then at debug level."""
        log = self.debug if command_id in self._malformed_logged else self.warning
        self._malformed_logged.add(command_id)
        log(
            "Malformed 0x%02x frame (%s), whole datapoints kept: %s",
            command_id,
            reason,
            _shown(command_id, payload),
        )

    def _log_unsupported_security(self, message: SecurityMessage) -> None:
        """Log, once per command, that its cryptography is not implemented."""
        log = self.debug if message.command_id in self._security_logged else self.info
        self._security_logged.add(message.command_id)
        log(
            "Lock sent %s (%d bytes); not answered: its cryptography is not public",
            message.command_id.name,
            len(message.payload),
        )

    def _answer(self, command: Command) -> None:
        """Answer what the lock expects an answer to (retransmissions too)."""
        match command:
            case TimeSyncRequest():
                reply = encode_time_sync_reply(command, local_now())
                self._send_soon(CommandId.TIME_SYNC, reply)
            case InternetStatus():
                self._send_soon(
                    CommandId.INTERNET_STATUS, encode_internet_status(command.seq)
                )
            case McuOtaBlockRequest():
                response = block_response(self._ota_image, command)
                if self._ota_image is not None:
                    self._ota_bytes_sent += len(response.data)
                self._send_soon(
                    CommandId.MCU_OTA_BLOCK_RESPONSE,
                    encode_mcu_ota_block_response(response),
                )
            case McuOtaResult():
                if self._ota_result is not None and not self._ota_result.done():
                    self._ota_result.set_result(command.status)
            case SecurityMessage():
                self._log_unsupported_security(command)
            case McuVersionReport():
                self._update_attribute(
                    self.AttributeDefs.mcu_version.id, command.version
                )
                for waiter in self._version_waiters:
                    if not waiter.done():
                        waiter.set_result(command.version)

    def _publish(self, event: LockEvent) -> None:
        self.debug("Lock event: %r", event)
        if isinstance(event, CredentialReport) and isinstance(event.value, KeyAnswer):
            for waiter in self._key_waiters:
                if not waiter.done():
                    waiter.set_result(event.value)
        try:
            self.emit(event.event_type, event)
        except Exception:  # a listener's bug must not reach zigpy
            self.exception("A listener of %s failed", event.event_type)
        self.listener_event(LOCK_EVENT, event)

    # -- sending -------------------------------------------------------------

    def _next_seq(self) -> int:
        self._seq = (self._seq + 1) & 0xFFFF
        return self._seq

    async def _send(self, command_id: CommandId, payload: bytes) -> None:
        """Send without asking for a default response, as the standard does."""
        await self.command(
            command_id,
            OpaquePayload(payload),
            expect_reply=False,
            disable_default_response=True,
        )

    def _send_soon(self, command_id: CommandId, payload: bytes) -> None:
        self.create_catching_task(self._send(command_id, payload))

    def new_seq(self) -> int:
        """Take a sequence number, to note a request before it is sent."""
        return self._next_seq()

    async def send_datapoints(
        self, *datapoints: Datapoint, seq: int | None = None
    ) -> int:
        """Send a data request (0x00) and return its sequence number.

        `seq` is one from `new_seq`, for a caller that must know it before
        the lock can answer; by default a new one is taken.
        """
        if seq is None:
            seq = self._next_seq()
        await self._send(CommandId.DATA_REQUEST, encode_data_message(seq, datapoints))
        return seq

    async def query_datapoints(self) -> None:
        """Ask the lock to report all its DPs (0x03), if its product answers it."""
        await self._send(CommandId.DATA_QUERY, encode_data_query(self._next_seq()))

    async def remote_unlock(self, password: str) -> int:
        """Ask the lock to unlock, the way its product does; return the seq.

        DP 21 takes the lock's 6-digit remote password, DP 103 its 8-digit
        one (ValueError for other passwords). A password-free lock ignores
        `password`: a fresh random key is stored (DP 48) and, once the lock
        accepted it, used (DP 49); TimeoutError if the lock never answers
        the key. The result comes back as a `RemoteUnlockResult` event.
        """
        match self.product.remote_unlock:
            case RemoteUnlockMethod.PASSWORD_DP21:
                return await self.send_datapoints(password_datapoint(password))
            case RemoteUnlockMethod.PASSWORD_DP103:
                return await self.send_datapoints(password_8_datapoint(password))
        return await self._password_free_unlock()

    async def _password_free_unlock(self) -> int:
        layout = self.product.key_layout
        key = key_for(layout, new_key(), datetime.now(UTC))
        waiter: asyncio.Future[KeyAnswer] = asyncio.get_running_loop().create_future()
        self._key_waiters.append(waiter)
        try:
            seq = await self.send_datapoints(key_set_datapoint(key))
            async with asyncio.timeout(KEY_ANSWER_TIMEOUT_S):
                answer = await waiter
        finally:
            self._key_waiters.remove(waiter)
        if not answer.success:
            self.debug("The lock refused the key (status %d)", answer.status)
            self._publish(RemoteUnlockResult(False, datetime.now(UTC), seq))
            return seq
        return await self.send_datapoints(key_unlock_datapoint(layout, key))

    async def send_internet_status(self, *, connected: bool = True) -> None:
        """Tell the lock whether the gateway is online (0x25)."""
        await self._send(
            CommandId.INTERNET_STATUS,
            encode_internet_status(self._next_seq(), int(connected)),
        )

    async def query_mcu_version(self) -> str:
        """Ask for the MCU version (0x10) and wait for the report (0x11).

        A sleeping lock answers when it next polls: wrap in `asyncio.timeout`.
        """
        waiter: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._version_waiters.append(waiter)
        try:
            await self._send(
                CommandId.MCU_VERSION_QUERY, encode_mcu_version_query(self._next_seq())
            )
            return await waiter
        finally:
            self._version_waiters.remove(waiter)

    async def update_mcu_firmware(self, image: McuOtaImage) -> McuOtaOutcome:
        """Offer `image` (0x12), serve its blocks and return the lock's result.

        The lock may never report: wrap in `asyncio.timeout`.
        """
        if self._ota_result is not None:
            raise RuntimeError("an MCU update is already running")
        self._ota_image = image
        self._ota_result = asyncio.get_running_loop().create_future()
        self._ota_bytes_sent = 0
        notify = McuOtaNotify(
            self._next_seq(), image.pid, image.version, len(image.data), image.checksum
        )
        try:
            await self._send(CommandId.MCU_OTA_NOTIFY, encode_mcu_ota_notify(notify))
            status = await self._ota_result
            return McuOtaOutcome(status, self._ota_bytes_sent)
        finally:
            self._ota_image = None
            self._ota_result = None


def _shown(command_id: int, payload: bytes) -> str:
    """Return a damaged payload in hex, with password and key values hidden."""
    if command_id == CommandId.RECORD_REPORT:
        head = SEQ_SIZE + RECORD_TIME_SIZE
    elif command_id in (CommandId.DATA_RESPONSE, CommandId.DATA_REPORT):
        head = SEQ_SIZE
    else:
        return payload.hex()
    if len(payload) <= head:
        return payload.hex()
    return f"{payload[:head].hex()} {redacted_hex(payload[head:])}"
