"""Data types of the ZigBee Smart Energy profile (SE 1.x, document 075356r15).

zigpy's own types are reused where they exist: ``t.UTCTime`` (seconds since
2000-01-01 UTC), and the Metering enums ``MeteringUnitofMeasure`` (re-exported
here as ``UnitOfMeasure``), ``MeteringDeviceType``, ``MeteringStatus`` (the
electricity status bits) and ``NumberFormatting``.

Every enum and bitmap below is a zigpy type, so a value the spec reserves still
decodes: zigpy enums create an ``undefined_0x..`` member instead of raising.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final, Self

import zigpy.types as t
from zigpy.zcl.clusters.smartenergy import (
    MeteringDeviceType,
    MeteringStatus,
    MeteringUnitofMeasure as UnitOfMeasure,
)

from .schema import zero_default

__all__ = [
    "INVALID_UTC_TIME",
    "SE_EPOCH",
    "START_NOW",
    "AlternateCostUnit",
    "BlockPeriodControl",
    "CalorificValueUnit",
    "CancelControl",
    "CommodityType",
    "CriticalityLevel",
    "Currency",
    "DeviceClass",
    "EventControl",
    "EventStatus",
    "ExtendedMessageControl",
    "GasMeteringStatus",
    "GetCurrentPriceOptions",
    "GetProfileStatus",
    "HeatCoolingMeteringStatus",
    "IntervalChannel",
    "MessageConfirmationControl",
    "MessageControl",
    "MessageImportance",
    "MessageResponse",
    "MessageTransmission",
    "MeteringDeviceType",
    "MeteringStatus",
    "PriceControl",
    "PriceLabel",
    "PriceTier",
    "PriceTiersAndBlockThresholds",
    "PriceTiersAndRegisterTier",
    "ProfileIntervalPeriod",
    "Signature",
    "SignatureType",
    "TariffType",
    "TariffTypeBitmap",
    "TrailingDigit",
    "TrailingDigitAndPriceTier",
    "UnitOfMeasure",
    "Utf8String",
    "WaterMeteringStatus",
    "datetime_to_utc_time",
    "utc_time_to_datetime",
]

# --- Time -------------------------------------------------------------------

SE_EPOCH: Final = datetime(2000, 1, 1, tzinfo=UTC)
START_NOW: Final = 0x00000000
INVALID_UTC_TIME: Final = 0xFFFFFFFF


def utc_time_to_datetime(value: int) -> datetime | None:
    """Return the moment of an SE UTCTime, or None for the invalid 0xFFFFFFFF."""
    if value == INVALID_UTC_TIME:
        return None

    return SE_EPOCH + timedelta(seconds=value)


def datetime_to_utc_time(when: datetime) -> int:
    """Return the SE UTCTime of an aware datetime, to the whole second."""
    if when.tzinfo is None:
        raise ValueError("A naive datetime has no defined UTC time")

    return int((when - SE_EPOCH).total_seconds())


# --- Strings ----------------------------------------------------------------


class _OctetString(t.LVBytes):
    """ZCL octet string with an optional length limit; length 0xFF means no value."""

    max_length: int = 0xFE

    def serialize(self) -> bytes:
        """Encode the string, refusing one longer than the limit."""
        if len(self) > self.max_length:
            raise ValueError(f"Octet string is longer than {self.max_length} bytes")

        return bytes([len(self)]) + self

    @classmethod
    def deserialize(cls, data: bytes) -> tuple[Self, bytes]:
        """Decode a string of any length up to 0xFE; 0xFF decodes as empty."""
        if not data:
            raise ValueError("Data is too short")

        length = data[0]

        if length == 0xFF:
            return cls(), data[1:]

        if len(data) < 1 + length:
            raise ValueError("Data is too short")

        return cls(data[1 : 1 + length]), data[1 + length :]


class PriceLabel(_OctetString):
    """Rate label or tier price label: a UTF-8 octet string of up to 12 bytes."""

    max_length = 12


class MessageResponse(_OctetString):
    """Message response of a Message Confirmation: up to 20 bytes (SE 1.2)."""

    max_length = 20


class Utf8String(t.CharacterString):
    """ZCL character string whose length prefix counts UTF-8 bytes.

    zigpy's ``CharacterString`` prefixes the number of characters, which is wrong
    for any text that is not pure ASCII.
    """

    invalid: bool

    def serialize(self) -> bytes:
        """Encode the text as UTF-8 behind its byte count."""
        if self.invalid:
            return super().serialize()

        data = self.encode("utf-8")

        if len(data) >= 0xFF:
            raise ValueError("String is too long")

        return bytes([len(data)]) + data


class Signature(bytes):
    """ECDSA signature of a Report Event Status: always 42 bytes."""

    LENGTH: Final = 42

    def serialize(self) -> bytes:
        """Encode the signature, which must be exactly 42 bytes."""
        if len(self) != self.LENGTH:
            raise ValueError(f"A signature is {self.LENGTH} bytes, not {len(self)}")

        return bytes(self)

    @classmethod
    def deserialize(cls, data: bytes) -> tuple[Self, bytes]:
        """Decode the next 42 bytes."""
        if len(data) < cls.LENGTH:
            raise ValueError("Data is too short")

        return cls(data[: cls.LENGTH]), data[cls.LENGTH :]


# --- Demand Response and Load Control ----------------------------------------


class DeviceClass(t.bitmap16):
    """Device classes a load control event addresses (SE Table D-2)."""

    HVAC_Compressor_or_Furnace = 1 << 0
    Strip_Heaters_Baseboard_Heaters = 1 << 1
    Water_Heater = 1 << 2
    Pool_Pump_Spa_Jacuzzi = 1 << 3
    Smart_Appliances = 1 << 4
    Irrigation_Pump = 1 << 5
    Managed_Commercial_Industrial_Loads = 1 << 6
    Simple_Misc_Loads = 1 << 7
    Exterior_Lighting = 1 << 8
    Interior_Lighting = 1 << 9
    Electric_Vehicle = 1 << 10
    Generation_Systems = 1 << 11


class CriticalityLevel(t.enum8):
    """Criticality of a load control event (SE Table D-3)."""

    Reserved = 0x00
    Green = 0x01
    Level_1 = 0x02
    Level_2 = 0x03
    Level_3 = 0x04
    Level_4 = 0x05
    Level_5 = 0x06
    Emergency = 0x07
    Planned_Outage = 0x08
    Service_Disconnect = 0x09
    Utility_Defined_1 = 0x0A
    Utility_Defined_2 = 0x0B
    Utility_Defined_3 = 0x0C
    Utility_Defined_4 = 0x0D
    Utility_Defined_5 = 0x0E
    Utility_Defined_6 = 0x0F


class EventStatus(t.enum8):
    """Status a DRLC client reports for an event (SE Table D-6)."""

    Load_Control_Event_Command_Received = 0x01
    Event_Started = 0x02
    Event_Completed = 0x03
    User_Opted_Out = 0x04
    User_Opted_In = 0x05
    Event_Cancelled = 0x06
    Event_Superseded = 0x07
    Event_Partially_Completed_With_User_Opt_Out = 0x08
    Event_Partially_Completed_Due_To_User_Opt_In = 0x09
    Event_Completed_No_User_Participation = 0x0A
    Rejected_Invalid_Cancel_Command_Default = 0xF8
    Rejected_Invalid_Cancel_Command_Invalid_Effective_Time = 0xF9
    Rejected_Event_Expired = 0xFB
    Rejected_Invalid_Cancel_Undefined_Event = 0xFD
    Load_Control_Event_Command_Rejected = 0xFE


class EventControl(t.bitmap8):
    """Randomization a load control event asks for."""

    Randomize_Start_Time = 0x01
    Randomize_End_Time = 0x02


class CancelControl(t.bitmap8):
    """How a running event ends when it is cancelled."""

    # End the event after the randomization given by its Event Control field
    Graceful = 0x01


class SignatureType(t.enum8):
    """Kind of signature a Report Event Status carries."""

    No_Signature = 0x00
    ECDSA = 0x01


# --- Price --------------------------------------------------------------------


class Currency(t.enum16):
    """ISO 4217 numeric currency codes; any other code decodes as undefined."""

    AUD = 36
    CAD = 124
    CNY = 156
    CZK = 203
    DKK = 208
    HKD = 344
    INR = 356
    JPY = 392
    KRW = 410
    MXN = 484
    NZD = 554
    NOK = 578
    RUB = 643
    SGD = 702
    ZAR = 710
    SEK = 752
    CHF = 756
    GBP = 826
    USD = 840
    TRY = 949
    XTS = 963
    EUR = 978
    PLN = 985
    BRL = 986
    XXX = 999


class PriceTier(t.enum4):
    """Price or register tier held in one nibble."""

    No_Tier = 0x0
    Tier_1 = 0x1
    Tier_2 = 0x2
    Tier_3 = 0x3
    Tier_4 = 0x4
    Tier_5 = 0x5
    Tier_6 = 0x6
    Tier_7 = 0x7
    Tier_8 = 0x8
    Tier_9 = 0x9
    Tier_10 = 0xA
    Tier_11 = 0xB
    Tier_12 = 0xC
    Tier_13 = 0xD
    Tier_14 = 0xE
    Extended_Tier = 0xF


class TrailingDigitAndPriceTier(t.IntStruct, t.uint8_t):
    """Publish Price byte: price tier (low nibble), trailing digits (high nibble)."""

    price_tier: PriceTier
    trailing_digit: t.uint4_t


class PriceTiersAndRegisterTier(t.IntStruct, t.uint8_t):
    """Publish Price byte: register tier (low nibble), tier count (high nibble)."""

    register_tier: PriceTier
    number_of_price_tiers: t.uint4_t


class PriceTiersAndBlockThresholds(t.IntStruct, t.uint8_t):
    """Publish Block Period byte: threshold count (low), tier count (high nibble)."""

    number_of_block_thresholds: t.uint4_t
    number_of_price_tiers: t.uint4_t


class TrailingDigit(t.IntStruct, t.uint8_t):
    """Digits right of the decimal point of a value, in the high nibble."""

    reserved: t.uint4_t = zero_default(t.uint4_t)
    trailing_digit: t.uint4_t


class PriceControl(t.bitmap8):
    """Price Control field of a Publish Price (SE Table D-100)."""

    Price_Acknowledgement_Required = 0x01
    Total_Tiers_Exceeds_15 = 0x02


class BlockPeriodControl(t.bitmap8):
    """Block Period Control field of a Publish Block Period."""

    Price_Acknowledgement_Required = 0x01
    Repeating_Block = 0x02


class GetCurrentPriceOptions(t.bitmap8):
    """Command Options of a Get Current Price."""

    Requestor_Rx_On_When_Idle = 0x01


class AlternateCostUnit(t.enum8):
    """Unit of the alternate cost of a Publish Price."""

    Kg_of_CO2_per_Unit_of_Measure = 0x01


class CalorificValueUnit(t.enum8):
    """Unit of a calorific value."""

    MJ_per_Cubic_Meter = 0x01
    MJ_per_Kg = 0x02


class CommodityType(t.enum8):
    """Commodity a price server prices; same values as the metering device type."""

    Electric = 0x00
    Gas = 0x01
    Water = 0x02
    Thermal = 0x03
    Pressure = 0x04
    Heat = 0x05
    Cooling = 0x06


class TariffType(t.enum4):
    """Tariff a block period request asks for (SE 1.2)."""

    Delivered = 0x0
    Received = 0x1
    Delivered_and_Received = 0x2


class TariffTypeBitmap(t.IntStruct, t.uint8_t):
    """Tariff Type field (SE 1.2): the tariff type in the low nibble, high reserved."""

    tariff_type: TariffType
    reserved: t.uint4_t = zero_default(t.uint4_t)


# --- Messaging ------------------------------------------------------------------


class MessageTransmission(t.enum2):
    """How a message travels (bits 0-1 of Message Control)."""

    Normal = 0b00
    Normal_and_Inter_PAN = 0b01
    Inter_PAN_Only = 0b10
    Reserved = 0b11


class MessageImportance(t.enum2):
    """Importance of a message (bits 2-3 of Message Control)."""

    Low = 0b00
    Medium = 0b01
    High = 0b10
    Critical = 0b11


class MessageControl(t.IntStruct, t.uint8_t):
    """Message Control bitmap of a Display or Cancel Message.

    Each field decodes one part of the bitmap: transmission (bits 0-1),
    importance (bits 2-3), enhanced confirmation required (bit 5, SE 1.2) and
    confirmation required (bit 7).
    """

    transmission: MessageTransmission
    importance: MessageImportance
    reserved: t.uint1_t = zero_default(t.uint1_t)
    enhanced_confirmation_required: t.uint1_t = zero_default(t.uint1_t)
    reserved2: t.uint1_t = zero_default(t.uint1_t)
    confirmation_required: t.uint1_t = zero_default(t.uint1_t)


class ExtendedMessageControl(t.bitmap8):
    """Extended Message Control of a Display Message (SE 1.2)."""

    Message_Confirmed = 0x01


class MessageConfirmationControl(t.bitmap8):
    """Answer a Message Confirmation carries (SE 1.2)."""

    No_Returned = 0x01
    Yes_Returned = 0x02


# --- Metering -------------------------------------------------------------------


class IntervalChannel(t.enum8):
    """Interval data a Get Profile asks for."""

    Consumption_Delivered = 0x00
    Consumption_Received = 0x01


class ProfileIntervalPeriod(t.enum8):
    """Length of one profile interval."""

    Daily = 0x00
    Minutes_60 = 0x01
    Minutes_30 = 0x02
    Minutes_15 = 0x03
    Minutes_10 = 0x04
    Minutes_7_5 = 0x05
    Minutes_5 = 0x06
    Minutes_2_5 = 0x07


class GetProfileStatus(t.enum8):
    """Status of a Get Profile Response."""

    Success = 0x00
    Undefined_Interval_Channel_Requested = 0x01
    Interval_Channel_Not_Supported = 0x02
    Invalid_End_Time = 0x03
    More_Periods_Requested_Than_Can_Be_Returned = 0x04
    No_Intervals_Available_For_The_Requested_Time = 0x05


class GasMeteringStatus(t.bitmap8):
    """Metering Status bits of a gas meter."""

    Check_Meter = 0x01
    Low_Battery = 0x02
    Tamper_Detect = 0x04
    Not_Defined = 0x08
    Low_Pressure = 0x10
    Leak_Detect = 0x20
    Service_Disconnect = 0x40
    Reverse_Flow = 0x80


class WaterMeteringStatus(t.bitmap8):
    """Metering Status bits of a water meter."""

    Check_Meter = 0x01
    Low_Battery = 0x02
    Tamper_Detect = 0x04
    Pipe_Empty = 0x08
    Low_Pressure = 0x10
    Leak_Detect = 0x20
    Service_Disconnect = 0x40
    Reverse_Flow = 0x80


class HeatCoolingMeteringStatus(t.bitmap8):
    """Metering Status bits of a heat or cooling meter."""

    Check_Meter = 0x01
    Low_Battery = 0x02
    Tamper_Detect = 0x04
    Temperature_Sensor = 0x08
    Burst_Detect = 0x10
    Leak_Detect = 0x20
    Service_Disconnect = 0x40
    Flow_Sensor = 0x80
