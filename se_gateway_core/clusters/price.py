"""Price cluster (0x0700): attributes and commands of SE 1.1, with SE 1.2 extras.

``Price`` subclasses zigpy's empty ``Price``; once registered
(``se_gateway_core.quirks.register``) it is zigpy's class for cluster 0x0700
on every device created later, the coordinator included.

zigpy names commands after the side that receives them: ``ServerCommandDefs``
are sent client to server (an IHD asking), ``ClientCommandDefs`` are sent server
to client (the ESI publishing).

Client attributes (PriceIncreaseRandomizeMinutes, ...) are left out: they reuse
ids 0x0000-0x0002 of the server's tier labels, and zigpy keeps one attribute
table for both sides of a cluster.
"""

from __future__ import annotations

from typing import ClassVar, Final

import zigpy.types as t
from zigpy.zcl.clusters import smartenergy
from zigpy.zcl.foundation import BaseAttributeDefs, BaseCommandDefs, DataTypeId

from .robust import RobustCommandsMixin
from .schema import Payload, attribute, command, trailing
from .types import (
    AlternateCostUnit,
    BlockPeriodControl,
    CalorificValueUnit,
    CommodityType,
    Currency,
    GetCurrentPriceOptions,
    PriceControl,
    PriceLabel,
    PriceTiersAndBlockThresholds,
    PriceTiersAndRegisterTier,
    TariffTypeBitmap,
    TrailingDigit,
    TrailingDigitAndPriceTier,
    UnitOfMeasure,
)

TIERS: Final = 15
BLOCKS: Final = 16
THRESHOLDS: Final = BLOCKS - 1

# --- Payloads sent server to client ---------------------------------------------


class PublishPrice(Payload):
    """Publish Price (0x00); fields after ``price`` are optional trailing fields."""

    provider_id: t.uint32_t
    rate_label: PriceLabel
    issuer_event_id: t.uint32_t
    current_time: t.UTCTime
    unit_of_measure: UnitOfMeasure
    currency: Currency
    price_trailing_digit_and_price_tier: TrailingDigitAndPriceTier
    number_of_price_tiers_and_register_tier: PriceTiersAndRegisterTier
    start_time: t.UTCTime
    duration_in_minutes: t.uint16_t
    price: t.uint32_t
    # SE 1.0 optional fields: 0xFF / 0xFFFFFFFF mean "not used"
    price_ratio: t.uint8_t = trailing(t.uint8_t)
    generation_price: t.uint32_t = trailing(t.uint32_t)
    generation_price_ratio: t.uint8_t = trailing(t.uint8_t)
    # SE 1.1
    alternate_cost_delivered: t.uint32_t = trailing(t.uint32_t)
    alternate_cost_unit: AlternateCostUnit = trailing(AlternateCostUnit)
    alternate_cost_trailing_digit: TrailingDigit = trailing(TrailingDigit)
    number_of_block_thresholds: t.uint8_t = trailing(t.uint8_t)
    price_control: PriceControl = trailing(PriceControl)
    # SE 1.2
    number_of_generation_tiers: t.uint8_t = trailing(t.uint8_t)
    generation_tier: t.uint8_t = trailing(t.uint8_t)
    extended_number_of_price_tiers: t.uint8_t = trailing(t.uint8_t)
    extended_price_tier: t.uint8_t = trailing(t.uint8_t)
    extended_register_tier: t.uint8_t = trailing(t.uint8_t)


class PublishBlockPeriod(Payload):
    """Publish Block Period (0x01), SE 1.1 layout (SE 1.2 changed bytes 16+)."""

    provider_id: t.uint32_t
    issuer_event_id: t.uint32_t
    block_period_start_time: t.UTCTime
    block_period_duration_in_minutes: t.uint24_t
    number_of_price_tiers_and_number_of_block_thresholds: PriceTiersAndBlockThresholds
    block_period_control: BlockPeriodControl


class PublishConversionFactor(Payload):
    """Publish Conversion Factor (0x02)."""

    issuer_event_id: t.uint32_t
    start_time: t.UTCTime
    conversion_factor: t.uint32_t
    conversion_factor_trailing_digit: TrailingDigit


class PublishCalorificValue(Payload):
    """Publish Calorific Value (0x03)."""

    issuer_event_id: t.uint32_t
    start_time: t.UTCTime
    calorific_value: t.uint32_t
    calorific_value_unit: CalorificValueUnit
    calorific_value_trailing_digit: TrailingDigit


# --- Payloads sent client to server ---------------------------------------------


class GetCurrentPrice(Payload):
    """Get Current Price (0x00)."""

    command_options: GetCurrentPriceOptions


class GetScheduledPrices(Payload):
    """Get Scheduled Prices (0x01): start time 0 is now, 0 events means all."""

    start_time: t.UTCTime
    number_of_events: t.uint8_t


class PriceAcknowledgement(Payload):
    """Price Acknowledgement (0x02)."""

    provider_id: t.uint32_t
    issuer_event_id: t.uint32_t
    price_ack_time: t.UTCTime
    control: PriceControl


class GetBlockPeriods(Payload):
    """Get Block Period(s) (0x03)."""

    start_time: t.UTCTime
    number_of_events: t.uint8_t
    tariff_type: TariffTypeBitmap = trailing(TariffTypeBitmap)


# --- Attributes -----------------------------------------------------------------


class _NumberedAttributeDefs(BaseAttributeDefs):
    """Attribute sets that repeat per tier or block, added below."""


def _add_numbered_attributes(defs: type[BaseAttributeDefs]) -> None:
    """Add the tier label, block threshold and block price attribute sets."""
    for tier in range(1, TIERS + 1):
        setattr(
            defs, f"tier{tier}_price_label", attribute(0x0000 + tier - 1, PriceLabel)
        )

    for block in range(1, THRESHOLDS + 1):
        setattr(
            defs, f"block{block}_threshold", attribute(0x0100 + block - 1, t.uint48_t)
        )

    # Block Price Information: 0x0400 + 16 * tier + block - 1, tier 0 is "no tier"
    for tier in range(TIERS + 1):
        prefix = f"tier{tier}" if tier else "no_tier"

        for block in range(1, BLOCKS + 1):
            setattr(
                defs,
                f"{prefix}_block{block}_price",
                attribute(0x0400 + BLOCKS * tier + block - 1, t.uint32_t),
            )


_add_numbered_attributes(_NumberedAttributeDefs)


# --- Cluster --------------------------------------------------------------------


class Price(RobustCommandsMixin, smartenergy.Price):
    """Price cluster."""

    # Registered by ``se_gateway_core.quirks.register``, not on import.
    _skip_registry = True

    # GetCurrentPrice, GetScheduledPrices, GetBlockPeriods
    answered_requests: ClassVar[frozenset[int]] = frozenset({0x00, 0x01, 0x03})

    class AttributeDefs(_NumberedAttributeDefs):
        """Server attributes: tier labels, block thresholds and prices as above."""

        start_of_block_period: Final = attribute(0x0200, t.UTCTime)
        block_period_duration: Final = attribute(0x0201, t.uint24_t)
        threshold_multiplier: Final = attribute(0x0202, t.uint24_t)
        threshold_divisor: Final = attribute(0x0203, t.uint24_t)
        commodity_type: Final = attribute(0x0300, CommodityType)
        standing_charge: Final = attribute(0x0301, t.uint32_t)
        conversion_factor: Final = attribute(0x0302, t.uint32_t)
        conversion_factor_trailing_digit: Final = attribute(
            0x0303, TrailingDigit, zcl_type=DataTypeId.map8
        )
        calorific_value: Final = attribute(0x0304, t.uint32_t)
        calorific_value_unit: Final = attribute(0x0305, CalorificValueUnit)
        calorific_value_trailing_digit: Final = attribute(
            0x0306, TrailingDigit, zcl_type=DataTypeId.map8
        )

    class ServerCommandDefs(BaseCommandDefs):
        """Commands a price client sends."""

        get_current_price: Final = command(0x00, GetCurrentPrice)
        get_scheduled_prices: Final = command(0x01, GetScheduledPrices)
        price_acknowledgement: Final = command(0x02, PriceAcknowledgement)
        get_block_periods: Final = command(0x03, GetBlockPeriods)

    class ClientCommandDefs(BaseCommandDefs):
        """Commands a price server sends."""

        publish_price: Final = command(0x00, PublishPrice)
        publish_block_period: Final = command(0x01, PublishBlockPeriod)
        publish_conversion_factor: Final = command(0x02, PublishConversionFactor)
        publish_calorific_value: Final = command(0x03, PublishCalorificValue)
