"""Every Smart Energy command's payload as the spec lays it out, typed by hand.

The layouts follow ZigBee document 075356r15 (SE 1.1b) and the SE 1.2 trailing
fields, independently of our zigpy schemas: each field has its wire format
(packed here with ``struct``, not zigpy) and the name Wireshark's dissector
gives it. ``view`` is what Wireshark 4.0 shows for a value when that differs
from the value itself; each such difference says why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from random import Random
import string
import struct
from typing import Any, Final

from custom_components.se_gateway.core.clusters import types as se_t

UNIX_TO_SE_EPOCH: Final = int(se_t.SE_EPOCH.timestamp())
ASCII: Final = string.ascii_letters + string.digits + " .,:;!?+-*/()[]<>=@#%_"


def _read_int(show: str) -> int:
    return int(show, 0)


def _read_time(show: str) -> int:
    """Return seconds since 2000 of a shown UTCTime: a number, or a UTC date."""
    if show.isdigit():
        return int(show)

    # "Apr 30, 2022 14:11:12.000000000 UTC": whole seconds are enough
    moment = datetime.strptime(
        " ".join(show.split()[:4]).split(".")[0], "%b %d, %Y %H:%M:%S"
    )
    return int((moment.replace(tzinfo=UTC) - se_t.SE_EPOCH).total_seconds())


def ascii_text(data: bytes) -> str:
    """Return a string as Wireshark shows it: ASCII up to any NUL, else U+FFFD."""
    return "".join(
        chr(byte) if byte < 0x80 else "\ufffd" for byte in data.split(b"\x00")[0]
    )


def _random_ascii(rng: Random, max_length: int) -> str:
    return "".join(rng.choice(ASCII) for _ in range(rng.randint(0, max_length)))


@dataclass(frozen=True)
class Wire:
    """A ZCL wire format: how to pack a value, draw one, and read tshark's."""

    pack: Callable[[Any], bytes]
    random: Callable[[Random], Any]
    read: Callable[[str], Any] = _read_int
    shows: Callable[[Any], Any] = int  # what Wireshark shows for a value


def _integer(fmt: str) -> Wire:
    size = struct.calcsize(fmt)
    signed = fmt[-1].islower()
    low = -(1 << (8 * size - 1)) if signed else 0
    return Wire(
        pack=lambda value: struct.pack(fmt, value),
        random=lambda rng: rng.randint(low, low + (1 << 8 * size) - 1),
    )


U8: Final = _integer("<B")
S8: Final = _integer("<b")
U16: Final = _integer("<H")
S16: Final = _integer("<h")
U32: Final = _integer("<I")
U24: Final = Wire(
    pack=lambda value: value.to_bytes(3, "little"),
    random=lambda rng: rng.randint(0, 0xFFFFFF),
)
UTC_TIME: Final = Wire(pack=U32.pack, random=U32.random, read=_read_time)
SIGNATURE: Final = Wire(
    pack=bytes,
    random=lambda rng: rng.randbytes(se_t.Signature.LENGTH),
    read=lambda show: bytes.fromhex(show.replace(":", "")),
    shows=bytes,
)


def _octets(max_length: int) -> Wire:
    """A ZCL octet string: a length byte, then the bytes."""
    return Wire(
        pack=lambda value: bytes([len(value)]) + value,
        random=lambda rng: _random_ascii(rng, max_length).encode(),
        read=str,
        shows=ascii_text,
    )


# A ZCL character string whose length byte counts UTF-8 bytes
TEXT: Final = Wire(
    pack=lambda value: _octets(0xFE).pack(value.encode()),
    random=lambda rng: _random_ascii(rng, 60),
    read=str,
    shows=lambda value: ascii_text(value.encode()),
)


def to_signed16(value: int) -> int:
    """Return a 16-bit value read as signed."""
    return value - 0x10000 if value & 0x8000 else value


def flag(mask: int) -> Callable[[Any], int]:
    """Return a getter of one bit of a bitmap, as Wireshark's boolean shows it."""
    return lambda value: int(bool(int(value) & mask))


def attr(name: str) -> Callable[[Any], int]:
    """Return a getter of a bit field of one of our structs."""
    return lambda value: int(getattr(value, name))


@dataclass(frozen=True)
class SpecField:
    """One payload field: our name, its wire format and Wireshark's name for it.

    ``bits`` maps Wireshark's bit fields under this field to getters on our
    decoded value. ``view`` is what Wireshark shows for a value when it is not
    the value, and ``why`` explains that difference or ``warning``.
    """

    name: str
    wire: Wire
    wireshark: str
    bits: dict[str, Callable[[Any], int]] = field(default_factory=dict)
    view: Callable[[Any], Any] | None = None
    why: str = ""
    warning: str = ""  # Wireshark's expert warning when the value is not 0
    count_of: str | None = None  # the list field whose length this field holds
    repeated: bool = False  # a list: each item a field of its own

    def shown(self, value: Any) -> Any:
        """Return what Wireshark shows for the value."""
        return self.view(value) if self.view else self.wire.shows(value)


@dataclass(frozen=True)
class Layout:
    """A command payload; the last ``optional`` fields are optional trailing ones.

    ``wireshark_requires`` lists optional fields Wireshark 4.0 expects anyway,
    with what it does when one is absent: "malformed" (it stops with an
    exception) or "missing" (an empty field marked <MISSING>).
    ``malformed`` marks a layout Wireshark reads differently, explained by
    ``why``.
    """

    prefix: str
    wireshark_name: str
    fields: tuple[SpecField, ...]
    optional: int = 0
    wireshark_requires: dict[str, str] = field(default_factory=dict)
    malformed: bool = False
    why: str = ""

    @property
    def optional_fields(self) -> list[str]:
        """Return the names of the optional trailing fields."""
        return [f.name for f in self.fields[len(self.fields) - self.optional :]]

    def present(self, kept: int) -> tuple[SpecField, ...]:
        """Return the fields of a frame keeping ``kept`` optional fields."""
        return self.fields[: len(self.fields) - self.optional + kept]

    def pack(self, values: dict[str, Any], kept: int) -> bytes:
        """Return the payload, packed by hand from the spec layout."""
        return b"".join(
            b"".join(spec.wire.pack(item) for item in values[spec.name])
            if spec.repeated
            else spec.wire.pack(values[spec.name])
            for spec in self.present(kept)
        )

    def random_values(self, rng: Random, kept: int) -> dict[str, Any]:
        """Return random values of the fields a frame keeping ``kept`` carries."""
        values = {
            spec.name: (
                [spec.wire.random(rng) for _ in range(rng.randint(0, 5))]
                if spec.repeated
                else spec.wire.random(rng)
            )
            for spec in self.present(kept)
        }

        for spec in self.fields:
            if spec.count_of:
                values[spec.name] = len(values[spec.count_of])

        return values

    def items(
        self, values: dict[str, Any], kept: int
    ) -> Iterator[tuple[SpecField, int, Any]]:
        """Yield each field Wireshark should show: spec, payload offset, value."""
        offset = 0

        for spec in self.present(kept):
            for value in values[spec.name] if spec.repeated else [values[spec.name]]:
                yield spec, offset, value
                offset += len(spec.wire.pack(value))


PRICE: Final = "zbee_zcl_se.price."
DRLC: Final = "zbee_zcl_se.drlc."
MESSAGING: Final = "zbee_zcl_se.msg."
METERING: Final = "zbee_zcl_se.met."

TRAILING_DIGIT: Final = {"trailing_digit": attr("trailing_digit")}
EVENT_CONTROL: Final = {
    "randomize_start_time": flag(se_t.EventControl.Randomize_Start_Time),
    "randomize_duration_time": flag(se_t.EventControl.Randomize_End_Time),
}
CANCEL_CONTROL: Final = {
    "cancel_control.event_in_process": flag(se_t.CancelControl.Graceful)
}
DEVICE_CLASS: Final = {
    f"device_class.{name}": flag(bit)
    for name, bit in {
        "hvac_compressor_or_furnace": se_t.DeviceClass.HVAC_Compressor_or_Furnace,
        "strip_heaters_baseboard_heaters": (
            se_t.DeviceClass.Strip_Heaters_Baseboard_Heaters
        ),
        "water_heater": se_t.DeviceClass.Water_Heater,
        "pool_pump_spa_jacuzzi": se_t.DeviceClass.Pool_Pump_Spa_Jacuzzi,
        "smart_appliances": se_t.DeviceClass.Smart_Appliances,
        "irrigation_pump": se_t.DeviceClass.Irrigation_Pump,
        "managed_c_i_loads": se_t.DeviceClass.Managed_Commercial_Industrial_Loads,
        "simple_misc_loads": se_t.DeviceClass.Simple_Misc_Loads,
        "exterior_lighting": se_t.DeviceClass.Exterior_Lighting,
        "interior_lighting": se_t.DeviceClass.Interior_Lighting,
        "electric_vehicle": se_t.DeviceClass.Electric_Vehicle,
        "generation_systems": se_t.DeviceClass.Generation_Systems,
    }.items()
}
MESSAGE_CONTROL: Final = {
    "message.ctrl.tx": attr("transmission"),
    "message.ctrl.importance": attr("importance"),
    "message.ctrl.enhconfirm": attr("enhanced_confirmation_required"),
    "message.ctrl.confirm": attr("confirmation_required"),
}
EXTENDED_MESSAGE_CONTROL: Final = {
    "message.ext.ctrl.status": flag(se_t.ExtendedMessageControl.Message_Confirmed)
}

_DISPLAY_MESSAGE: Final = (
    SpecField("message_id", U32, "message.id"),
    SpecField("message_control", U8, "message.ctrl", bits=MESSAGE_CONTROL),
    SpecField("start_time", UTC_TIME, "message.start_time"),
    SpecField("duration_in_minutes", U16, "message.duration"),
    SpecField("message", TEXT, "message"),
    SpecField(
        "extended_message_control",
        U8,
        "message.ext.ctrl",
        bits=EXTENDED_MESSAGE_CONTROL,
    ),
)
_SET_POINT_APPLIED_WHY: Final = (
    "SE 1.1 types the applied set points unsigned 16-bit; Wireshark reads them"
    " signed, as the Load Control Event's set points are"
)

LAYOUTS: Final[dict[str, Layout]] = {
    # --- Price, server to client
    "publish_price": Layout(
        PRICE,
        "Publish Price",
        (
            SpecField("provider_id", U32, "provider_id"),
            SpecField("rate_label", _octets(12), "rate_label"),
            SpecField("issuer_event_id", U32, "issuer_event_id"),
            SpecField("current_time", UTC_TIME, "current_time"),
            SpecField("unit_of_measure", U8, "unit_of_measure"),
            SpecField("currency", U16, "currency"),
            SpecField(
                "price_trailing_digit_and_price_tier",
                U8,
                "trailing_digit_and_price_tier",
                bits={"tier": attr("price_tier"), **TRAILING_DIGIT},
            ),
            SpecField(
                "number_of_price_tiers_and_register_tier",
                U8,
                "number_of_price_tiers_and_register_tier",
                bits={
                    "register_tier": attr("register_tier"),
                    "number_of_price_tiers": attr("number_of_price_tiers"),
                },
            ),
            SpecField("start_time", UTC_TIME, "start_time"),
            SpecField("duration_in_minutes", U16, "duration_in_minutes"),
            SpecField("price", U32, "price"),
            # SE 1.0 optional fields
            SpecField("price_ratio", U8, "price.ratio"),
            SpecField("generation_price", U32, "generation_price"),
            SpecField("generation_price_ratio", U8, "generation_price.ratio"),
            # SE 1.1
            SpecField("alternate_cost_delivered", U32, "alternate_cost_delivered"),
            SpecField("alternate_cost_unit", U8, "alternate_cost.unit"),
            SpecField(
                "alternate_cost_trailing_digit",
                U8,
                "alternate_cost.trailing_digit",
                bits={"alternate_cost.trailing_digit": attr("trailing_digit")},
            ),
            SpecField("number_of_block_thresholds", U8, "number_of_block_thresholds"),
            SpecField("price_control", U8, "control"),
            # SE 1.2
            SpecField("number_of_generation_tiers", U8, "number_of_generation_tiers"),
            SpecField("generation_tier", U8, "generation_tier"),
            SpecField(
                "extended_number_of_price_tiers", U8, "extended_number_of_price_tiers"
            ),
            SpecField("extended_price_tier", U8, "extended_price_tier"),
            SpecField("extended_register_tier", U8, "extended_register_tier"),
        ),
        optional=13,
    ),
    "publish_block_period": Layout(
        PRICE,
        "Publish Block Period",
        (
            SpecField("provider_id", U32, "provider_id"),
            SpecField("issuer_event_id", U32, "issuer_event_id"),
            SpecField("block_period_start_time", UTC_TIME, "block_period.start_time"),
            SpecField("block_period_duration_in_minutes", U24, "block_period.duration"),
            # Wireshark reads SE 1.2's Block Period Control and Duration Type here
            SpecField(
                "number_of_price_tiers_and_number_of_block_thresholds",
                U8,
                "block_period.control",
            ),
            SpecField("block_period_control", U8, "block_period.duration.type"),
        ),
        malformed=True,
        why=(
            "Wireshark 4.0 dissects the SE 1.2+ layout of Publish Block Period: from"
            " byte 15 it reads Block Period Control, Block Period Duration Type, Tariff"
            " Type and Tariff Resolution Period, where SE 1.1 (075356r15, which we"
            " implement) has Number of Price Tiers & Number of Block Thresholds and"
            " Block Period Control; the SE 1.1 frame is two bytes short for it"
        ),
    ),
    "publish_conversion_factor": Layout(
        PRICE,
        "Publish Conversion Factor",
        (
            SpecField("issuer_event_id", U32, "issuer_event_id"),
            SpecField("start_time", UTC_TIME, "start_time"),
            SpecField("conversion_factor", U32, "conversion_factor"),
            SpecField(
                "conversion_factor_trailing_digit",
                U8,
                "conversion_factor_trailing_digit",
                bits={"conversion_factor.trailing_digit": attr("trailing_digit")},
            ),
        ),
    ),
    "publish_calorific_value": Layout(
        PRICE,
        "Publish Calorific Value",
        (
            SpecField("issuer_event_id", U32, "issuer_event_id"),
            SpecField("start_time", UTC_TIME, "start_time"),
            SpecField("calorific_value", U32, "calorific_value"),
            SpecField("calorific_value_unit", U8, "calorific_value.unit"),
            SpecField(
                "calorific_value_trailing_digit",
                U8,
                "calorific_value.trailing_digit",
                bits={"calorific_value.trailing_digit": attr("trailing_digit")},
            ),
        ),
    ),
    # --- Price, client to server
    "get_current_price": Layout(
        PRICE,
        "Get Current Price",
        (SpecField("command_options", U8, "command_options"),),
    ),
    "get_scheduled_prices": Layout(
        PRICE,
        "Get Scheduled Prices",
        (
            SpecField("start_time", UTC_TIME, "start_time"),
            SpecField("number_of_events", U8, "number_of_events"),
        ),
    ),
    "price_acknowledgement": Layout(
        PRICE,
        "Price Acknowledgement",
        (
            SpecField("provider_id", U32, "provider_id"),
            SpecField("issuer_event_id", U32, "issuer_event_id"),
            SpecField("price_ack_time", UTC_TIME, "price_ack_time"),
            SpecField("control", U8, "control"),
        ),
    ),
    "get_block_periods": Layout(
        PRICE,
        "Get Block Period(s)",
        (
            SpecField("start_time", UTC_TIME, "start_time"),
            SpecField("number_of_events", U8, "number_of_events"),
            SpecField(
                "tariff_type",
                U8,
                "tariff_type",
                view=lambda value: int(value) & 0x0F,
                why=(
                    "Wireshark's item is the tariff type, the low nibble; SE 1.2"
                    " reserves the high one"
                ),
            ),
        ),
        optional=1,
    ),
    # --- DRLC, server to client
    "load_control_event": Layout(
        DRLC,
        "Load Control Event",
        (
            SpecField("issuer_event_id", U32, "issuer_id"),
            SpecField("device_class", U16, "device_class", bits=DEVICE_CLASS),
            SpecField("utility_enrollment_group", U8, "utility_enrollment_group"),
            SpecField("start_time", UTC_TIME, "start_time"),
            SpecField("duration_in_minutes", U16, "duration_in_minutes"),
            SpecField("criticality_level", U8, "criticality_level"),
            SpecField("cooling_temperature_offset", U8, "cooling_temperature_offset"),
            SpecField("heating_temperature_offset", U8, "heating_temperature_offset"),
            SpecField(
                "cooling_temperature_set_point", S16, "cooling_temperature_set_point"
            ),
            SpecField(
                "heating_temperature_set_point", S16, "heating_temperature_set_point"
            ),
            SpecField(
                "average_load_adjustment_percentage",
                S8,
                "average_load_adjustment_percentage",
            ),
            SpecField("duty_cycle", U8, "duty_cycle"),
            SpecField("event_control", U8, "event_control", bits=EVENT_CONTROL),
        ),
    ),
    "cancel_load_control_event": Layout(
        DRLC,
        "Cancel Load Control Event",
        (
            SpecField("issuer_event_id", U32, "issuer_id"),
            SpecField("device_class", U16, "device_class", bits=DEVICE_CLASS),
            SpecField("utility_enrollment_group", U8, "utility_enrollment_group"),
            SpecField("cancel_control", U8, "cancel_control", bits=CANCEL_CONTROL),
            SpecField(
                "effective_time",
                UTC_TIME,
                "effective_time",
                view=lambda value: (value & 0xFE) >> 1,
                why=(
                    "Wireshark 4.0 declares Effective Time with the Cancel Control"
                    " reserved-bits mask (0xFE) and label 'Reserved': it shows bits 1-7"
                    " of the first byte instead of the 32-bit UTCTime"
                ),
            ),
        ),
    ),
    "cancel_all_load_control_events": Layout(
        DRLC,
        "Cancel All Load Control Events",
        (SpecField("cancel_control", U8, "cancel_control", bits=CANCEL_CONTROL),),
    ),
    # --- DRLC, client to server
    "report_event_status": Layout(
        DRLC,
        "Report Event Status",
        (
            SpecField("issuer_event_id", U32, "report_event.issuer_id"),
            SpecField("event_status", U8, "report_event.event_status"),
            SpecField("event_status_time", UTC_TIME, "report_event.event_status_time"),
            SpecField(
                "criticality_level_applied",
                U8,
                "report_event.criticality_level_applied",
            ),
            SpecField(
                "cooling_temperature_set_point_applied",
                U16,
                "report_event.cooling_temperature_set_point_applied",
                view=to_signed16,
                why=_SET_POINT_APPLIED_WHY,
            ),
            SpecField(
                "heating_temperature_set_point_applied",
                U16,
                "report_event.heating_temperature_set_point_applied",
                view=to_signed16,
                why=_SET_POINT_APPLIED_WHY,
            ),
            SpecField(
                "average_load_adjustment_percentage_applied",
                S8,
                "report_event.average_load_adjustment_percentage_applied",
            ),
            SpecField("duty_cycle_applied", U8, "report_event.duty_cycle_applied"),
            SpecField(
                "event_control", U8, "report_event.event_control", bits=EVENT_CONTROL
            ),
            SpecField("signature_type", U8, "report_event.signature_type"),
            SpecField("signature", SIGNATURE, "report_event.signature"),
        ),
        optional=2,
        wireshark_requires={"signature_type": "malformed", "signature": "missing"},
        why=(
            "SE 1.1 makes the signature type and signature mandatory; we also accept"
            " a report without them, which Wireshark calls malformed"
        ),
    ),
    "get_scheduled_events": Layout(
        DRLC,
        "Get Scheduled Events",
        (
            SpecField("start_time", UTC_TIME, "get_scheduled_events.start_time"),
            SpecField("number_of_events", U8, "get_scheduled_events.numbers_of_events"),
            SpecField(
                "issuer_event_id",
                U32,
                "get_scheduled_events.issuer_event_id",
                view=lambda value: value & 0xFF,
                why=(
                    "Wireshark 4.0 declares the SE 1.2 Issuer Event ID FT_UINT8: the"
                    " item spans the 4 bytes but its value is the low byte"
                ),
            ),
        ),
        optional=1,
    ),
    # --- Messaging, server to client
    "display_message": Layout(
        MESSAGING, "Display Message", _DISPLAY_MESSAGE, optional=1
    ),
    "cancel_message": Layout(
        MESSAGING,
        "Cancel Message",
        (
            SpecField("message_id", U32, "message.id"),
            SpecField(
                "message_control",
                U8,
                "message.ctrl",
                warning="Message Control deprecated in this message, should be 0x00",
                why=(
                    "SE 1.2 deprecates this Message Control (0x00): Wireshark shows"
                    " it without its bits and warns when it is not 0"
                ),
            ),
        ),
    ),
    "display_protected_message": Layout(
        MESSAGING, "Display Protected Message", _DISPLAY_MESSAGE, optional=1
    ),
    "cancel_all_messages": Layout(
        MESSAGING,
        "Cancel All Messages",
        (SpecField("implementation_date_time", UTC_TIME, "impl_time"),),
    ),
    # --- Messaging, client to server
    "get_last_message": Layout(MESSAGING, "Get Last Message", ()),
    "message_confirmation": Layout(
        MESSAGING,
        "Message Confirmation",
        (
            SpecField("message_id", U32, "message.id"),
            SpecField("confirmation_time", UTC_TIME, "message.confirm_time"),
            SpecField(
                "message_confirmation_control",
                U8,
                "message.confirm.ctrl",
                view=flag(se_t.MessageConfirmationControl.No_Returned),
                why=(
                    "Wireshark 4.0 shows only bit 0 (NoReturned) of the SE 1.2"
                    " Message Confirmation Control, as 'No' when set and 'Yes' when"
                    " clear; bit 1 (YesReturned) is not shown"
                ),
            ),
            SpecField("message_response", _octets(20), "message"),
        ),
        optional=2,
    ),
    "get_message_cancellation": Layout(
        MESSAGING,
        "Get Message Cancellation",
        (SpecField("earliest_implementation_time", UTC_TIME, "earliest_impl_time"),),
    ),
    # --- Metering, client to server
    "get_profile": Layout(
        METERING,
        "Get Profile",
        (
            SpecField("interval_channel", U8, "get_profile.interval_channel"),
            SpecField("end_time", UTC_TIME, "get_profile.end_time"),
            SpecField("number_of_periods", U8, "get_profile.number_of_periods"),
        ),
    ),
    "req_mirror": Layout(
        METERING,
        "Request Mirror Response",
        (SpecField("endpoint_id", U16, "request_mirror_rsp.endpoint_id"),),
    ),
    "mirror_rem": Layout(
        METERING,
        "Mirror Removed",
        (SpecField("endpoint_id", U16, "mirror_removed.removed_endpoint_id"),),
    ),
    "req_fast_poll_mode": Layout(
        METERING,
        "Request Fast Poll Mode",
        (
            SpecField(
                "fast_poll_update_period",
                U8,
                "request_fast_poll_mode.fast_poll_update_period",
            ),
            SpecField("duration_in_minutes", U8, "request_fast_poll_mode.duration"),
        ),
    ),
    # --- Metering, server to client
    "get_profile_response": Layout(
        METERING,
        "Get Profile Response",
        (
            SpecField("end_time", UTC_TIME, "get_profile_response.end_time"),
            SpecField("status", U8, "get_profile_response.status"),
            SpecField(
                "profile_interval_period",
                U8,
                "get_profile_response.profile_interval_period",
            ),
            SpecField(
                "number_of_periods_delivered",
                U8,
                "get_profile_response.number_of_periods_delivered",
                count_of="intervals",
            ),
            SpecField(
                "intervals", U24, "get_profile_response.intervals", repeated=True
            ),
        ),
    ),
    "req_fast_poll_mode_response": Layout(
        METERING,
        "Request Fast Poll Mode Response",
        (
            SpecField(
                "applied_update_period",
                U8,
                "request_fast_poll_mode_response.applied_update_period",
            ),
            SpecField(
                "fast_poll_mode_endtime",
                UTC_TIME,
                "request_fast_poll_mode_response.fast_poll_mode_end_time",
                view=lambda value: value - UNIX_TO_SE_EPOCH,
                why=(
                    "Wireshark 4.0 shows Fast Poll Mode End Time from the Unix epoch"
                    " (1970), 30 years early; every other SE time counts from 2000"
                ),
            ),
        ),
    ),
}
