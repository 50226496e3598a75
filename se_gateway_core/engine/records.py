"""Records of the gateway manual's Record Reference, as frozen dataclasses.

Field names and defaults follow the manual (Digi's SE Framework 1.3.0, which
mirrors ZigBee Smart Energy 075356r15): ``LoadControlEventRecord`` defaults to
device class 0x0FFF, enrollment group 0, start time 0 (now) and criticality 1;
``CancelAllLoadControlEventsRecord`` to cancel control 1; the optional fields of
``PublishPriceRecord`` to 0xFF / 0xFFFFFFFF ("not used") and alternate cost
unit 0x01 (kg of CO2). Where the manual gives no default, the SE "not used"
value is the default; fields the manual marks "no default" are required.

Times are SE UTC times: seconds since 2000-01-01 00:00 UTC; 0 means "now".
A record validates itself on creation and raises ``RecordError`` naming the
first field that is out of range.
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, Self

# The DRLC defaults and "not used" values are the cluster's; the records name
# them after their fields.
from ..clusters.drlc import (
    ALL_DEVICE_CLASSES,
    ALL_ENROLLMENT_GROUPS,
    AVERAGE_LOAD_ADJUSTMENT_NOT_USED as LOAD_ADJUSTMENT_NOT_USED,
    DUTY_CYCLE_NOT_USED,
    SET_POINT_APPLIED_NOT_USED as APPLIED_SET_POINT_NOT_USED,
    TEMPERATURE_OFFSET_NOT_USED,
    TEMPERATURE_SET_POINT_NOT_USED as SET_POINT_NOT_USED,
)

__all__ = [
    "ALL_DEVICE_CLASSES",
    "ALL_ENROLLMENT_GROUPS",
    "APPLIED_SET_POINT_NOT_USED",
    "DUTY_CYCLE_NOT_USED",
    "LOAD_ADJUSTMENT_NOT_USED",
    "SET_POINT_NOT_USED",
    "TEMPERATURE_OFFSET_NOT_USED",
]

START_NOW: Final = 0
UNTIL_CHANGED: Final = 0xFFFF
MAX_DRLC_DURATION: Final = 1440  # SE: one day at most
MAX_MESSAGE_BYTES: Final = 0xFE  # a ZCL character string
# SE: the Message field of an unfragmented Display Message holds 59 bytes
MAX_SENT_MESSAGE_BYTES: Final = 59
MAX_RATE_LABEL_BYTES: Final = 12
MAX_MESSAGE_RESPONSE_BYTES: Final = 20
MAX_MESSAGE_RESPONSE_HEX: Final = 2 * MAX_MESSAGE_RESPONSE_BYTES

U8: Final = (0, 0xFF)
U16: Final = (0, 0xFFFF)
U32: Final = (0, 0xFFFFFFFF)
NIBBLE: Final = (0, 0x0F)
INT16: Final = (-0x8000, 0x7FFF)


class RecordError(ValueError):
    """A record field is missing, unknown or out of range."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


def _integer(
    bounds: tuple[int, int],
    default: int | None = None,
    *,
    also: tuple[int, ...] = (),
    optional: bool = False,
) -> Any:
    """Declare an integer field in ``bounds``, or one of ``also``."""
    metadata = {"bounds": bounds, "also": also, "optional": optional}
    if default is None and not optional:
        return field(metadata=metadata)
    return field(default=default, metadata=metadata)


def _text(max_bytes: int, default: str | None = None, *, optional: bool = False) -> Any:
    """Declare a text field of at most ``max_bytes`` UTF-8 bytes."""
    metadata = {"max_bytes": max_bytes, "optional": optional}
    if default is None and not optional:
        return field(metadata=metadata)
    return field(default=default, metadata=metadata)


def _check(spec: dataclasses.Field[Any], value: Any) -> None:
    """Raise ``RecordError`` if ``value`` does not fit the field."""
    name = spec.name
    if value is None and spec.metadata.get("optional"):
        return
    if "max_bytes" in spec.metadata:
        if not isinstance(value, str):
            raise RecordError(name, f"must be text, not {value!r}")
        if len(value.encode("utf-8")) > spec.metadata["max_bytes"]:
            raise RecordError(
                name, f"is longer than {spec.metadata['max_bytes']} UTF-8 bytes"
            )
        return
    if not isinstance(value, int) or isinstance(value, bool):
        raise RecordError(name, f"must be an integer, not {value!r}")
    low, high = spec.metadata["bounds"]
    if not low <= value <= high and value not in spec.metadata["also"]:
        raise RecordError(name, f"{value} is out of range {low}..{high}")


@dataclass(frozen=True, kw_only=True)
class Record:
    """Base of the records: validation and plain-dict conversion."""

    ALIASES: ClassVar[Mapping[str, str]] = {}

    def __post_init__(self) -> None:
        for spec in dataclasses.fields(self):
            _check(spec, getattr(self, spec.name))

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a JSON-able dict."""
        return {
            spec.name: getattr(self, spec.name) for spec in dataclasses.fields(self)
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build a record from a dict; unknown or missing fields raise."""
        names = {spec.name for spec in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            name = cls.ALIASES.get(key, key)
            if name not in names:
                raise RecordError(key, "is not a field of " + cls.__name__)
            values[name] = value
        for spec in dataclasses.fields(cls):
            required = (
                spec.default is dataclasses.MISSING
                and spec.default_factory is dataclasses.MISSING
            )
            if required and spec.name not in values:
                raise RecordError(spec.name, "is required")
        return cls(**values)


# --- Price ------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PriceEvent(Record):
    """PublishPriceRecord: one price, as a Publish Price carries it.

    ``duration_in_minutes`` 0xFFFF means "until changed". The manual's spelling
    ``alternate_cost_deliverd`` is accepted by ``from_dict``.
    """

    ALIASES: ClassVar[Mapping[str, str]] = {
        "alternate_cost_deliverd": "alternate_cost_delivered"
    }

    provider_id: int = _integer(U32)
    rate_label: str = _text(MAX_RATE_LABEL_BYTES, "")
    issuer_event_id: int = _integer(U32)
    unit_of_measure: int = _integer(U8, 0x00)
    currency: int = _integer(U16)
    price_trailing_digit: int = _integer(NIBBLE, 0)
    price_tier: int = _integer(NIBBLE, 0)
    number_of_price_tiers: int = _integer(NIBBLE, 0)
    register_tier: int = _integer(NIBBLE, 0)
    start_time: int = _integer(U32, START_NOW)
    duration_in_minutes: int = _integer((1, 0xFFFF), UNTIL_CHANGED)
    price: int = _integer(U32)
    price_ratio: int = _integer(U8, 0xFF)
    generation_price: int = _integer(U32, 0xFFFFFFFF)
    generation_price_ratio: int = _integer(U8, 0xFF)
    alternate_cost_delivered: int = _integer(U32, 0xFFFFFFFF)
    alternate_cost_unit: int = _integer(U8, 0x01)
    alternate_cost_trailing_digit: int = _integer(U8, 0xFF)

    @property
    def event_id(self) -> int:
        """Return the id that is unique in a price table."""
        return self.issuer_event_id


# --- Demand Response and Load Control ----------------------------------------


@dataclass(frozen=True, kw_only=True)
class DrlcEvent(Record):
    """LoadControlEventRecord: one load control event.

    Set points are signed hundredths of a degree C and offsets tenths;
    -0x8000, 0xFF and -0x80 (as the spec's 0x8000, 0xFF and 0x80 on the wire)
    mean "not used".
    """

    issuer_event_id: int = _integer(U32)
    device_class: int = _integer(U16, ALL_DEVICE_CLASSES)
    utility_enrollment_group: int = _integer(U8, ALL_ENROLLMENT_GROUPS)
    start_time: int = _integer(U32, START_NOW)
    duration_in_minutes: int = _integer((1, MAX_DRLC_DURATION))
    criticality_level: int = _integer((1, 0x0F), 0x01)
    cooling_temperature_offset: int = _integer(U8, TEMPERATURE_OFFSET_NOT_USED)
    heating_temperature_offset: int = _integer(U8, TEMPERATURE_OFFSET_NOT_USED)
    cooling_temperature_set_point: int = _integer(INT16, SET_POINT_NOT_USED)
    heating_temperature_set_point: int = _integer(INT16, SET_POINT_NOT_USED)
    average_load_adjustment_percentage: int = _integer(
        (-100, 100), LOAD_ADJUSTMENT_NOT_USED, also=(LOAD_ADJUSTMENT_NOT_USED,)
    )
    duty_cycle: int = _integer(
        (0, 100), DUTY_CYCLE_NOT_USED, also=(DUTY_CYCLE_NOT_USED,)
    )
    event_control: int = _integer((0, 0x03), 0x00)

    @property
    def event_id(self) -> int:
        """Return the id that is unique in a load control table."""
        return self.issuer_event_id


@dataclass(frozen=True, kw_only=True)
class CancelDrlcEvent(Record):
    """CancelLoadControlEventRecord: cancel one load control event.

    ``cancel_control`` 1 ends a running event with the randomization of the
    original event; 0 ends it exactly at ``effective_time`` (0 is now).
    """

    issuer_event_id: int = _integer(U32)
    device_class: int = _integer(U16, ALL_DEVICE_CLASSES)
    utility_enrollment_group: int = _integer(U8, ALL_ENROLLMENT_GROUPS)
    cancel_control: int = _integer((0, 0x01), 0x01)
    effective_time: int = _integer(U32, START_NOW)


@dataclass(frozen=True, kw_only=True)
class CancelAllDrlcEvents(Record):
    """CancelAllLoadControlEventsRecord: cancel every load control event."""

    cancel_control: int = _integer((0, 0x01), 0x01)


@dataclass(frozen=True, kw_only=True)
class EventStatusReport(Record):
    """ReportEventStatusRecord: the status a load control client reports.

    ``event_status_time`` 0 stands for "when the record is created": the engine
    puts in the current time when it records or sends the report.
    """

    issuer_event_id: int = _integer(U32)
    event_status: int = _integer(U8)
    event_status_time: int = _integer(U32, START_NOW)
    criticality_level_applied: int = _integer(U8, 0x00)
    cooling_temperature_set_point_applied: int = _integer(
        U16, APPLIED_SET_POINT_NOT_USED
    )
    heating_temperature_set_point_applied: int = _integer(
        U16, APPLIED_SET_POINT_NOT_USED
    )
    average_load_adjustment_percentage_applied: int = _integer(
        (-0x80, 0x7F), LOAD_ADJUSTMENT_NOT_USED
    )
    duty_cycle_applied: int = _integer(U8, DUTY_CYCLE_NOT_USED)
    event_control: int = _integer(U8, 0x00)
    signature_type: int = _integer(U8, 0x00)


# --- Messaging ------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class MessageEvent(Record):
    """DisplayMessageRecord: one message; duration 0xFFFF is "until changed"."""

    message_id: int = _integer(U32)
    message_control: int = _integer(U8, 0x00)
    start_time: int = _integer(U32, START_NOW)
    duration_in_minutes: int = _integer((1, 0xFFFF), UNTIL_CHANGED)
    message: str = _text(MAX_MESSAGE_BYTES)

    @property
    def event_id(self) -> int:
        """Return the id that is unique in a message table."""
        return self.message_id

    @property
    def needs_confirmation(self) -> bool:
        """Return True if the message control asks for a confirmation."""
        return bool(self.message_control & 0xA0)


@dataclass(frozen=True, kw_only=True)
class CancelMessage(Record):
    """CancelMessageRecord: cancel one message."""

    message_id: int = _integer(U32)
    message_control: int = _integer(U8, 0x00)


@dataclass(frozen=True, kw_only=True)
class MessageConfirmation(Record):
    """MessageConfirmationRecord: a client confirms a message.

    ``confirmation_time`` 0 stands for "when the record is created". The SE 1.2
    answer fields are None when the client left them off; ``message_response``
    is the octet string in hex.
    """

    message_id: int = _integer(U32)
    confirmation_time: int = _integer(U32, START_NOW)
    message_confirmation_control: int | None = _integer(U8, optional=True)
    message_response: str | None = _text(MAX_MESSAGE_RESPONSE_HEX, optional=True)
