"""Demand Response and Load Control cluster (0x0701), SE 1.1 with SE 1.2 extras.

``Drlc`` is a plain subclass of zigpy's empty ``Drlc``, so importing this module
makes it zigpy's class for cluster 0x0701 on every device created later.

The DRLC server has no attributes; the four below belong to the client (a load
control device). zigpy has no client-side flag on attribute definitions, but
reading them through a device's client (output) cluster object sets the ZCL
direction bit that addresses client attributes.
"""

from __future__ import annotations

from typing import ClassVar, Final

import zigpy.types as t
from zigpy.zcl.clusters import smartenergy
from zigpy.zcl.foundation import BaseAttributeDefs, BaseCommandDefs

from .robust import RobustCommandsMixin
from .schema import READ_WRITE, Payload, attribute, command, trailing
from .types import (
    CancelControl,
    CriticalityLevel,
    DeviceClass,
    EventControl,
    EventStatus,
    Signature,
    SignatureType,
)

ALL_DEVICE_CLASSES: Final = 0x0FFF
ALL_ENROLLMENT_GROUPS: Final = 0x00
TEMPERATURE_OFFSET_NOT_USED: Final = 0xFF
TEMPERATURE_SET_POINT_NOT_USED: Final = -0x8000  # signed in Load Control Event
SET_POINT_APPLIED_NOT_USED: Final = 0x8000  # unsigned in Report Event Status
AVERAGE_LOAD_ADJUSTMENT_NOT_USED: Final = -0x80
DUTY_CYCLE_NOT_USED: Final = 0xFF

# --- Payloads sent server to client ---------------------------------------------


class LoadControlEvent(Payload):
    """Load Control Event (0x00).

    Offsets are in 0.1 degC, set points in 0.01 degC; the ``*_NOT_USED`` values
    above mark an optional control the event does not use.
    """

    issuer_event_id: t.uint32_t
    device_class: DeviceClass
    utility_enrollment_group: t.uint8_t
    start_time: t.UTCTime
    duration_in_minutes: t.uint16_t
    criticality_level: CriticalityLevel
    cooling_temperature_offset: t.uint8_t
    heating_temperature_offset: t.uint8_t
    cooling_temperature_set_point: t.int16s
    heating_temperature_set_point: t.int16s
    average_load_adjustment_percentage: t.int8s
    duty_cycle: t.uint8_t
    event_control: EventControl


class CancelLoadControlEvent(Payload):
    """Cancel Load Control Event (0x01); later revisions require time 0 (now)."""

    issuer_event_id: t.uint32_t
    device_class: DeviceClass
    utility_enrollment_group: t.uint8_t
    cancel_control: CancelControl
    effective_time: t.UTCTime


class CancelAllLoadControlEvents(Payload):
    """Cancel All Load Control Events (0x02)."""

    cancel_control: CancelControl


# --- Payloads sent client to server ---------------------------------------------


class ReportEventStatus(Payload):
    """Report Event Status (0x00).

    The spec types the applied set points unsigned (0x8000 is "not used") but
    the Load Control Event's set points signed; the bytes are the same.

    SE 1.x always sends the signature type and the 42-byte signature (0xFF bytes
    when unsigned); both are optional here so that a device leaving them off is
    still understood.
    """

    issuer_event_id: t.uint32_t
    event_status: EventStatus
    event_status_time: t.UTCTime
    criticality_level_applied: CriticalityLevel
    cooling_temperature_set_point_applied: t.uint16_t
    heating_temperature_set_point_applied: t.uint16_t
    average_load_adjustment_percentage_applied: t.int8s
    duty_cycle_applied: t.uint8_t
    event_control: EventControl
    signature_type: SignatureType = trailing(SignatureType)
    signature: Signature = trailing(Signature)


class GetScheduledEvents(Payload):
    """Get Scheduled Events (0x01): start time 0 is now, 0 events means all."""

    start_time: t.UTCTime
    number_of_events: t.uint8_t
    issuer_event_id: t.uint32_t = trailing(t.uint32_t)  # SE 1.2


# --- Cluster --------------------------------------------------------------------


class Drlc(RobustCommandsMixin, smartenergy.Drlc):
    """Demand Response and Load Control cluster."""

    # Registered by ``se_gateway_core.quirks.register``, not on import.
    _skip_registry = True

    # GetScheduledEvents
    answered_requests: ClassVar[frozenset[int]] = frozenset({0x01})

    class AttributeDefs(BaseAttributeDefs):
        """Client attributes of a load control device."""

        utility_enrollment_group: Final = attribute(
            0x0000, t.uint8_t, access=READ_WRITE
        )
        start_randomization_minutes: Final = attribute(
            0x0001, t.uint8_t, access=READ_WRITE
        )
        duration_randomization_minutes: Final = attribute(
            0x0002, t.uint8_t, access=READ_WRITE
        )
        device_class_value: Final = attribute(0x0003, DeviceClass, access=READ_WRITE)

    class ServerCommandDefs(BaseCommandDefs):
        """Commands a DRLC client sends."""

        report_event_status: Final = command(0x00, ReportEventStatus)
        get_scheduled_events: Final = command(0x01, GetScheduledEvents)

    class ClientCommandDefs(BaseCommandDefs):
        """Commands a DRLC server sends."""

        load_control_event: Final = command(0x00, LoadControlEvent)
        cancel_load_control_event: Final = command(0x01, CancelLoadControlEvent)
        cancel_all_load_control_events: Final = command(
            0x02, CancelAllLoadControlEvents
        )
