"""Message entities: the last message, received messages, confirming, sending.

- "Last message" (sensor): the message shown now; on the gateway device the
  gateway's own (with the devices that confirmed it), on a Messaging server's
  ZHA device the one it sent the gateway.
- "Message" (event): each message a Messaging server sends or cancels.
- "Confirm message" (button): confirms that server's current message when it
  asks for a confirmation.
- "In-home displays" (notify): ``notify.send_message`` creates a message event
  that goes to every messaging client, as ``create_message_event`` does.
"""

from __future__ import annotations

from typing import Any, Final, override

from homeassistant.components.button import ButtonEntity
from homeassistant.components.event import EventEntity
from homeassistant.components.notify import NotifyEntity
from homeassistant.components.notify.const import NotifyEntityFeature
from homeassistant.components.sensor import SensorEntity
from homeassistant.core import callback
from zigpy.zcl.foundation import Status

from ..core.clusters import Messaging
from ..core.clusters.types import MessageImportance
from ..core.engine import (
    DeviceRef,
    MessageEvent,
    Notification,
    RecordError,
    RefusalError,
)
from ..core.engine.notifications import ReceivedMessageCancelEvent, ReceivedMessageEvent
from ..core.engine.records import MAX_SENT_MESSAGE_BYTES
from ..core.engine.tables import MessageEntry
from ..errors import device_error, user_error
from .devices import SmartEnergyDevice
from .entity import SmartEnergyEntity, server_entities
from .runtime import SmartEnergyRuntime, se_now
from .values import se_datetime

MAX_STATE_LENGTH: Final = 255
EVENT_RECEIVED: Final = "received"
EVENT_CANCELLED: Final = "cancelled"
IMPORTANCE_NAMES: Final = {
    int(level): level.name.lower() for level in MessageImportance
}


def importance(message_control: int) -> str:
    """Return the importance (bits 2-3 of Message Control) as a word."""
    return IMPORTANCE_NAMES[(message_control >> 2) & 0x03]


def message_attributes(record: MessageEvent) -> dict[str, Any]:
    """Return a message's id, importance and confirmation request."""
    return {
        "message_id": record.message_id,
        "importance": importance(record.message_control),
        "confirmation_required": record.needs_confirmation,
    }


def gateway_message_sensors(runtime: SmartEnergyRuntime) -> list[LastMessageSensor]:
    """Return the sensor of the gateway's own last message."""
    return [LastMessageSensor(runtime)]


def gateway_notify_entities(
    runtime: SmartEnergyRuntime,
) -> list[InHomeDisplaysNotify]:
    """Return the notify entity that sends messages to the displays."""
    return [InHomeDisplaysNotify(runtime)]


class _SourceEntity(SmartEnergyEntity):
    """An entity of the gateway's messages (source None) or a server's."""

    def __init__(
        self,
        runtime: SmartEnergyRuntime,
        key: str,
        se_device: SmartEnergyDevice | None,
        source: DeviceRef | None,
    ) -> None:
        super().__init__(runtime, key, se_device)
        self.source = source

    def current_message(self) -> MessageEntry | None:
        """Return the message shown now."""
        return self.runtime.snapshot.last_message(self.source)


class LastMessageSensor(_SourceEntity, SensorEntity):
    """The message shown now."""

    def __init__(
        self,
        runtime: SmartEnergyRuntime,
        se_device: SmartEnergyDevice | None = None,
        source: DeviceRef | None = None,
    ) -> None:
        """Create the sensor of ``source``'s messages (None: the gateway's)."""
        super().__init__(runtime, "last_message", se_device, source)

    @property
    @override
    def native_value(self) -> str | None:
        """Return the text, cut to what a state holds."""
        entry = self.current_message()
        return None if entry is None else entry.record.message[:MAX_STATE_LENGTH]

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return the message's details; for the gateway's, who confirmed it."""
        if (entry := self.current_message()) is None:
            return None
        end = entry.end
        attributes = {
            **message_attributes(entry.record),
            "start": se_datetime(entry.start),
            "end": None if end is None else se_datetime(end),
        }
        if self.source is None:
            attributes["confirmed_by"] = sorted(
                {
                    received.device.ieee
                    for received in self.runtime.engine.get_message_confirmations(
                        entry.record.message_id
                    )
                }
            )
        return attributes


class MessageEventEntity(_SourceEntity, EventEntity):
    """Each message a Messaging server sends the gateway, or cancels."""

    _attr_event_types = [EVENT_RECEIVED, EVENT_CANCELLED]

    def __init__(
        self,
        runtime: SmartEnergyRuntime,
        se_device: SmartEnergyDevice,
        source: DeviceRef,
    ) -> None:
        """Create the event entity of ``source``'s messages."""
        super().__init__(runtime, "message", se_device, source)
        self._sender = (source.ieee, source.endpoint)

    @callback
    @override
    def _handle_runtime(self, notification: Notification | None) -> None:
        if (
            notification is None
            or (
                notification.source_address,
                notification.source_endpoint_id,
            )
            != self._sender
        ):
            return
        if (
            isinstance(notification, ReceivedMessageEvent)
            and notification.status == Status.SUCCESS
        ):
            record = notification.record
            self._trigger_event(
                EVENT_RECEIVED,
                {
                    **message_attributes(record),
                    "message": record.message,
                    "start_time": se_datetime(record.start_time)
                    if record.start_time
                    else None,
                    "duration_in_minutes": record.duration_in_minutes,
                },
            )
            self.async_write_ha_state()
        elif isinstance(notification, ReceivedMessageCancelEvent):
            self._trigger_event(
                EVENT_CANCELLED, {"message_id": notification.record.message_id}
            )
            self.async_write_ha_state()


class ConfirmMessageButton(_SourceEntity, ButtonEntity):
    """Confirms a Messaging server's current message."""

    def __init__(
        self,
        runtime: SmartEnergyRuntime,
        se_device: SmartEnergyDevice,
        source: DeviceRef,
    ) -> None:
        """Create the button of ``source``'s messages."""
        super().__init__(runtime, "confirm_message", se_device, source)
        self.server = source

    @override
    async def async_press(self) -> None:
        """Send a Message Confirmation of the current message."""
        entry = self.current_message()
        if entry is None or not entry.record.needs_confirmation:
            raise user_error("no_message_to_confirm")
        try:
            result = await self.runtime.engine.confirm_message(
                self.server, entry.record.message_id
            )
        except RefusalError:  # the server has left the network
            result = None
        if result is None or result.errors:
            raise device_error("device_not_reachable", address=self.server.ieee)


class InHomeDisplaysNotify(SmartEnergyEntity, NotifyEntity):
    """Sends a message to every messaging client (the in-home displays)."""

    _attr_supported_features = NotifyEntityFeature.TITLE

    def __init__(self, runtime: SmartEnergyRuntime) -> None:
        """Create the notify entity."""
        super().__init__(runtime, "in_home_displays")

    def _next_message_id(self) -> int:
        """Return an id after every stored one: the SE time, or one more."""
        stored = (
            event.message_id for event in self.runtime.engine.get_message_events()
        )
        return max(se_now(), max(stored, default=0) + 1)

    @override
    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Create a message event shown until changed, starting now."""
        text = f"{title}: {message}" if title else message
        try:
            record = MessageEvent(message_id=self._next_message_id(), message=text)
            await self.runtime.engine.create_message_event(record)
        except (RecordError, RefusalError) as err:
            raise user_error(
                "message_too_long", max_bytes=MAX_SENT_MESSAGE_BYTES
            ) from err


# A Messaging server's last message sensor, event entity and confirm button
# (none for other devices).
device_message_sensors = server_entities(Messaging.cluster_id, LastMessageSensor)
device_message_events = server_entities(Messaging.cluster_id, MessageEventEntity)
device_confirm_buttons = server_entities(Messaging.cluster_id, ConfirmMessageButton)
