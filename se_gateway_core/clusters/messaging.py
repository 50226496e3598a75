"""Messaging cluster (0x0703), SE 1.1 with the SE 1.2 additions.

``Messaging`` subclasses zigpy's empty ``Messaging``; once registered
(``se_gateway_core.quirks.register``) it is zigpy's class for cluster 0x0703
on every device created later. The cluster has no attributes.
"""

from __future__ import annotations

from typing import ClassVar, Final

import zigpy.types as t
from zigpy.zcl.clusters import smartenergy
from zigpy.zcl.foundation import BaseCommandDefs

from .robust import RobustCommandsMixin
from .schema import Payload, command, trailing
from .types import (
    ExtendedMessageControl,
    MessageConfirmationControl,
    MessageControl,
    MessageResponse,
    Utf8String,
)

DURATION_UNTIL_CHANGED: Final = 0xFFFF

# --- Payloads sent server to client ---------------------------------------------


class DisplayMessage(Payload):
    """Display Message (0x00): start time 0 is now, duration 0xFFFF until changed."""

    message_id: t.uint32_t
    message_control: MessageControl
    start_time: t.UTCTime
    duration_in_minutes: t.uint16_t
    message: Utf8String
    extended_message_control: ExtendedMessageControl = trailing(
        ExtendedMessageControl
    )  # SE 1.2


class CancelMessage(Payload):
    """Cancel Message (0x01)."""

    message_id: t.uint32_t
    message_control: MessageControl


class DisplayProtectedMessage(DisplayMessage):
    """Display Protected Message (0x02, SE 1.2): laid out like Display Message."""


class CancelAllMessages(Payload):
    """Cancel All Messages (0x03, SE 1.2)."""

    implementation_date_time: t.UTCTime


# --- Payloads sent client to server ---------------------------------------------


class GetLastMessage(Payload):
    """Get Last Message (0x00): no payload."""


class MessageConfirmation(Payload):
    """Message Confirmation (0x01); the answer fields are SE 1.2 additions."""

    message_id: t.uint32_t
    confirmation_time: t.UTCTime
    message_confirmation_control: MessageConfirmationControl = trailing(
        MessageConfirmationControl
    )
    message_response: MessageResponse = trailing(MessageResponse)


class GetMessageCancellation(Payload):
    """Get Message Cancellation (0x02, SE 1.2): answered by Cancel All Messages."""

    earliest_implementation_time: t.UTCTime


# --- Cluster --------------------------------------------------------------------


class Messaging(RobustCommandsMixin, smartenergy.Messaging):
    """Messaging cluster."""

    # Registered by ``se_gateway_core.quirks.register``, not on import.
    _skip_registry = True

    # GetLastMessage, GetMessageCancellation
    answered_requests: ClassVar[frozenset[int]] = frozenset({0x00, 0x02})

    class ServerCommandDefs(BaseCommandDefs):
        """Commands a messaging client sends."""

        get_last_message: Final = command(0x00, GetLastMessage)
        message_confirmation: Final = command(0x01, MessageConfirmation)
        get_message_cancellation: Final = command(0x02, GetMessageCancellation)

    class ClientCommandDefs(BaseCommandDefs):
        """Commands a messaging server sends."""

        display_message: Final = command(0x00, DisplayMessage)
        cancel_message: Final = command(0x01, CancelMessage)
        display_protected_message: Final = command(0x02, DisplayProtectedMessage)
        cancel_all_messages: Final = command(0x03, CancelAllMessages)
