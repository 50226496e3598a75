"""Smart Energy data types: values, tolerance of reserved values, encodings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import zigpy.types as t

from custom_components.se_gateway.core.clusters import price, types as se_t


@pytest.mark.parametrize(
    ("code", "member"),
    [
        (826, se_t.Currency.GBP),
        (840, se_t.Currency.USD),
        (978, se_t.Currency.EUR),
        (36, se_t.Currency.AUD),
        (124, se_t.Currency.CAD),
    ],
)
def test_currency_iso_4217(code: int, member: se_t.Currency) -> None:
    assert se_t.Currency(code) is member
    assert se_t.Currency.deserialize(code.to_bytes(2, "little")) == (member, b"")


@pytest.mark.parametrize(
    ("enum_type", "value"),
    [
        (se_t.Currency, 0x1234),
        (se_t.CriticalityLevel, 0x42),
        (se_t.EventStatus, 0x0B),
        (se_t.UnitOfMeasure, 0x0E),
        (se_t.CommodityType, 0x80),
        (se_t.SignatureType, 0x02),
        (se_t.GetProfileStatus, 0x06),
    ],
)
def test_undefined_enum_values_still_decode(enum_type: type, value: int) -> None:
    size = enum_type._bits // 8
    decoded, rest = enum_type.deserialize(value.to_bytes(size, "little") + b"!")

    assert rest == b"!"
    assert decoded == value
    assert decoded.name.startswith("undefined_")
    assert decoded.serialize() == value.to_bytes(size, "little")


def test_event_status_values() -> None:
    assert se_t.EventStatus(0x01).name == "Load_Control_Event_Command_Received"
    assert se_t.EventStatus(0x0A).name == "Event_Completed_No_User_Participation"
    assert se_t.EventStatus(0xF8).name == "Rejected_Invalid_Cancel_Command_Default"
    assert se_t.EventStatus(0xFE).name == "Load_Control_Event_Command_Rejected"


def test_device_class_bits() -> None:
    every_class = se_t.DeviceClass(0x0FFF)

    assert se_t.DeviceClass.HVAC_Compressor_or_Furnace in every_class
    assert se_t.DeviceClass.Generation_Systems in every_class
    assert se_t.DeviceClass(0x8001).serialize() == b"\x01\x80"


def test_message_control_fields() -> None:
    control = se_t.MessageControl(0b1010_0110)

    assert control.transmission is se_t.MessageTransmission.Inter_PAN_Only
    assert control.importance is se_t.MessageImportance.Medium
    assert control.enhanced_confirmation_required == 1
    assert control.confirmation_required == 1

    built = se_t.MessageControl(
        transmission=se_t.MessageTransmission.Normal_and_Inter_PAN,
        importance=se_t.MessageImportance.Critical,
        confirmation_required=1,
    )
    assert built == 0b1000_1101
    assert built.enhanced_confirmation_required == 0


def test_price_nibbles() -> None:
    digit_and_tier = se_t.TrailingDigitAndPriceTier(0x23)
    tiers_and_register = se_t.PriceTiersAndRegisterTier(0x61)
    block_period = se_t.PriceTiersAndBlockThresholds(0x24)

    assert digit_and_tier.price_tier is se_t.PriceTier.Tier_3
    assert digit_and_tier.trailing_digit == 2
    assert tiers_and_register.register_tier is se_t.PriceTier.Tier_1
    assert tiers_and_register.number_of_price_tiers == 6
    assert block_period.number_of_block_thresholds == 4
    assert block_period.number_of_price_tiers == 2
    assert se_t.TrailingDigit(trailing_digit=5) == 0x50
    assert se_t.TrailingDigit(0xFF).trailing_digit == 15


def test_utc_time_helpers() -> None:
    moment = datetime(2026, 11, 22, 12, 30, tzinfo=UTC)
    seconds = se_t.datetime_to_utc_time(moment)

    assert se_t.utc_time_to_datetime(seconds) == moment
    assert se_t.utc_time_to_datetime(0) == se_t.SE_EPOCH
    assert se_t.utc_time_to_datetime(se_t.INVALID_UTC_TIME) is None
    assert (
        se_t.datetime_to_utc_time(moment.astimezone(timezone(timedelta(hours=2))))
        == seconds
    )

    with pytest.raises(ValueError, match="naive"):
        se_t.datetime_to_utc_time(datetime(2026, 1, 1))


def test_utf8_string_counts_bytes() -> None:
    text = "Save € now"
    encoded = se_t.Utf8String(text).serialize()

    assert encoded[0] == len(text.encode()) == len(text) + 2
    assert se_t.Utf8String.deserialize(encoded + b"!") == (text, b"!")


def test_utf8_string_limits() -> None:
    assert se_t.Utf8String("", invalid=True).serialize() == b"\xff"
    decoded, _ = se_t.Utf8String.deserialize(b"\xff")
    assert decoded.invalid

    with pytest.raises(ValueError, match="too long"):
        se_t.Utf8String("é" * 128).serialize()


def test_octet_strings() -> None:
    assert se_t.PriceLabel(b"Off-peak").serialize() == b"\x08Off-peak"
    assert se_t.PriceLabel.deserialize(b"\x02ab!") == (b"ab", b"!")
    assert se_t.PriceLabel.deserialize(b"\xff!") == (b"", b"!")
    assert se_t.MessageResponse(b"x" * 20).serialize()[0] == 20

    with pytest.raises(ValueError, match="longer than 12"):
        se_t.PriceLabel(b"x" * 13).serialize()

    with pytest.raises(ValueError, match="longer than 20"):
        se_t.MessageResponse(b"x" * 21).serialize()

    for data in (b"", b"\x03ab"):
        with pytest.raises(ValueError, match="too short"):
            se_t.PriceLabel.deserialize(data)


def test_signature_is_42_bytes() -> None:
    signature = bytes(range(42))

    assert se_t.Signature(signature).serialize() == signature
    assert se_t.Signature.deserialize(signature + b"!") == (signature, b"!")

    with pytest.raises(ValueError, match="42 bytes"):
        se_t.Signature(b"short").serialize()

    with pytest.raises(ValueError, match="too short"):
        se_t.Signature.deserialize(signature[:-1])


def test_optional_fields_cannot_have_a_gap() -> None:
    request = price.GetBlockPeriods(start_time=0, number_of_events=1)
    assert request.serialize() == b"\x00\x00\x00\x00\x01"

    publish = price.PublishPrice(
        provider_id=1,
        rate_label=b"",
        issuer_event_id=1,
        current_time=0,
        unit_of_measure=0,
        currency=826,
        price_trailing_digit_and_price_tier=0,
        number_of_price_tiers_and_register_tier=0,
        start_time=0,
        duration_in_minutes=0,
        price=0,
        generation_price=5,
    )
    with pytest.raises(ValueError, match="'generation_price' is set but"):
        publish.serialize()


def test_uint_types_are_zigpy_types() -> None:
    assert issubclass(se_t.Currency, t.enum16)
    assert issubclass(se_t.DeviceClass, t.bitmap16)
    assert issubclass(se_t.CriticalityLevel, t.enum8)
    assert issubclass(se_t.EventControl, t.bitmap8)
    assert issubclass(se_t.PriceTier, t.enum4)


def test_tariff_type_is_the_low_nibble() -> None:
    """SE 1.2 reserves the high nibble of a Tariff Type; it does not change the type."""
    decoded, rest = se_t.TariffTypeBitmap.deserialize(b"\xf1")

    assert rest == b""
    assert decoded.tariff_type is se_t.TariffType.Received
    assert decoded.reserved == 0xF
    assert se_t.TariffTypeBitmap(se_t.TariffType.Delivered_and_Received) == 0x02
