"""One example of every Smart Energy command, with all optional fields set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zigpy.zcl import Cluster, foundation

from custom_components.se_gateway.core.clusters import (
    drlc,
    messaging,
    metering,
    price,
    types as se_t,
)


@dataclass(frozen=True)
class Sample:
    """A command of a cluster, and the arguments of one example."""

    cluster: type[Cluster]
    name: str
    kwargs: dict[str, Any]

    @property
    def server_to_client(self) -> bool:
        """Return True for a command the server sends (a client command in zigpy)."""
        return hasattr(self.cluster.ClientCommandDefs, self.name)

    @property
    def command(self) -> foundation.ZCLCommandDef:
        """Return the command definition."""
        defs = (
            self.cluster.ClientCommandDefs
            if self.server_to_client
            else self.cluster.ServerCommandDefs
        )
        return getattr(defs, self.name)

    @property
    def schema(self) -> type[foundation.CommandSchema]:
        """Return the payload type."""
        return self.command.schema

    def payload(self, **changes: Any) -> foundation.CommandSchema:
        """Return the example payload, with some fields changed."""
        return self.schema(**{**self.kwargs, **changes})

    @property
    def optional_fields(self) -> list[str]:
        """Return the names of the optional trailing fields, in order."""
        return [field.name for field in self.schema.fields if field.optional]

    def __str__(self) -> str:
        return f"{self.cluster.__name__}.{self.name}"


SIGNATURE = bytes(range(42))

SAMPLES: list[Sample] = [
    # --- Price, server to client
    Sample(
        price.Price,
        "publish_price",
        {
            "provider_id": 0x00ABCDEF,
            "rate_label": b"Peak",
            "issuer_event_id": 0x12345678,
            "current_time": 0x2A000000,
            "unit_of_measure": se_t.UnitOfMeasure.Kwh_and_Kwh_binary,
            "currency": se_t.Currency.GBP,
            "price_trailing_digit_and_price_tier": se_t.TrailingDigitAndPriceTier(
                price_tier=se_t.PriceTier.Tier_2, trailing_digit=3
            ),
            "number_of_price_tiers_and_register_tier": se_t.PriceTiersAndRegisterTier(
                register_tier=se_t.PriceTier.Tier_2, number_of_price_tiers=4
            ),
            "start_time": 0,
            "duration_in_minutes": 0xFFFF,
            "price": 2451,
            "price_ratio": 0xFF,
            "generation_price": 0xFFFFFFFF,
            "generation_price_ratio": 0xFF,
            "alternate_cost_delivered": 0xFFFFFFFF,
            "alternate_cost_unit": se_t.AlternateCostUnit.Kg_of_CO2_per_Unit_of_Measure,
            "alternate_cost_trailing_digit": se_t.TrailingDigit(0xFF),
            "number_of_block_thresholds": 0xFF,
            "price_control": se_t.PriceControl.Price_Acknowledgement_Required,
            "number_of_generation_tiers": 1,
            "generation_tier": 1,
            "extended_number_of_price_tiers": 0,
            "extended_price_tier": 0,
            "extended_register_tier": 0,
        },
    ),
    Sample(
        price.Price,
        "publish_block_period",
        {
            "provider_id": 7,
            "issuer_event_id": 8,
            "block_period_start_time": 0x2A000000,
            "block_period_duration_in_minutes": 1440,
            "number_of_price_tiers_and_number_of_block_thresholds": (
                se_t.PriceTiersAndBlockThresholds(
                    number_of_block_thresholds=3, number_of_price_tiers=2
                )
            ),
            "block_period_control": se_t.BlockPeriodControl.Repeating_Block,
        },
    ),
    Sample(
        price.Price,
        "publish_conversion_factor",
        {
            "issuer_event_id": 9,
            "start_time": 0x2A000000,
            "conversion_factor": 1_020_000,
            "conversion_factor_trailing_digit": se_t.TrailingDigit(trailing_digit=6),
        },
    ),
    Sample(
        price.Price,
        "publish_calorific_value",
        {
            "issuer_event_id": 10,
            "start_time": 0x2A000000,
            "calorific_value": 39_500_000,
            "calorific_value_unit": se_t.CalorificValueUnit.MJ_per_Cubic_Meter,
            "calorific_value_trailing_digit": se_t.TrailingDigit(trailing_digit=6),
        },
    ),
    # --- Price, client to server
    Sample(
        price.Price,
        "get_current_price",
        {"command_options": se_t.GetCurrentPriceOptions.Requestor_Rx_On_When_Idle},
    ),
    Sample(
        price.Price,
        "get_scheduled_prices",
        {"start_time": 0x2A000000, "number_of_events": 5},
    ),
    Sample(
        price.Price,
        "price_acknowledgement",
        {
            "provider_id": 1,
            "issuer_event_id": 2,
            "price_ack_time": 0x2A000010,
            "control": se_t.PriceControl.Price_Acknowledgement_Required,
        },
    ),
    Sample(
        price.Price,
        "get_block_periods",
        {
            "start_time": 0,
            "number_of_events": 0,
            "tariff_type": se_t.TariffType.Delivered,
        },
    ),
    # --- DRLC, server to client
    Sample(
        drlc.Drlc,
        "load_control_event",
        {
            "issuer_event_id": 0x01020304,
            "device_class": drlc.ALL_DEVICE_CLASSES,
            "utility_enrollment_group": drlc.ALL_ENROLLMENT_GROUPS,
            "start_time": 0,
            "duration_in_minutes": 60,
            "criticality_level": se_t.CriticalityLevel.Green,
            "cooling_temperature_offset": drlc.TEMPERATURE_OFFSET_NOT_USED,
            "heating_temperature_offset": 20,
            "cooling_temperature_set_point": drlc.TEMPERATURE_SET_POINT_NOT_USED,
            "heating_temperature_set_point": -550,
            "average_load_adjustment_percentage": -10,
            "duty_cycle": drlc.DUTY_CYCLE_NOT_USED,
            "event_control": se_t.EventControl.Randomize_Start_Time,
        },
    ),
    Sample(
        drlc.Drlc,
        "cancel_load_control_event",
        {
            "issuer_event_id": 0x01020304,
            "device_class": se_t.DeviceClass.Water_Heater,
            "utility_enrollment_group": 3,
            "cancel_control": se_t.CancelControl.Graceful,
            "effective_time": 0,
        },
    ),
    Sample(
        drlc.Drlc,
        "cancel_all_load_control_events",
        {"cancel_control": se_t.CancelControl.Graceful},
    ),
    # --- DRLC, client to server
    Sample(
        drlc.Drlc,
        "report_event_status",
        {
            "issuer_event_id": 0x01020304,
            "event_status": se_t.EventStatus.Event_Started,
            "event_status_time": 0x2A000020,
            "criticality_level_applied": se_t.CriticalityLevel.Green,
            "cooling_temperature_set_point_applied": drlc.SET_POINT_APPLIED_NOT_USED,
            "heating_temperature_set_point_applied": 2100,
            "average_load_adjustment_percentage_applied": (
                drlc.AVERAGE_LOAD_ADJUSTMENT_NOT_USED
            ),
            "duty_cycle_applied": drlc.DUTY_CYCLE_NOT_USED,
            "event_control": se_t.EventControl.Randomize_End_Time,
            "signature_type": se_t.SignatureType.ECDSA,
            "signature": SIGNATURE,
        },
    ),
    Sample(
        drlc.Drlc,
        "get_scheduled_events",
        {"start_time": 0, "number_of_events": 0, "issuer_event_id": 0x01020304},
    ),
    # --- Messaging, server to client
    Sample(
        messaging.Messaging,
        "display_message",
        {
            "message_id": 0xCAFE,
            "message_control": se_t.MessageControl(
                transmission=se_t.MessageTransmission.Normal,
                importance=se_t.MessageImportance.High,
                confirmation_required=1,
            ),
            "start_time": 0,
            "duration_in_minutes": messaging.DURATION_UNTIL_CHANGED,
            "message": "Peak price from 17:00, save €",
            "extended_message_control": se_t.ExtendedMessageControl(0),
        },
    ),
    Sample(
        messaging.Messaging,
        "cancel_message",
        {"message_id": 0xCAFE, "message_control": se_t.MessageControl(0x00)},
    ),
    Sample(
        messaging.Messaging,
        "display_protected_message",
        {
            "message_id": 0xBEEF,
            "message_control": se_t.MessageControl(0x0C),
            "start_time": 0x2A000000,
            "duration_in_minutes": 30,
            "message": "PIN 1234",
            "extended_message_control": se_t.ExtendedMessageControl.Message_Confirmed,
        },
    ),
    Sample(
        messaging.Messaging,
        "cancel_all_messages",
        {"implementation_date_time": 0x2A000000},
    ),
    # --- Messaging, client to server
    Sample(messaging.Messaging, "get_last_message", {}),
    Sample(
        messaging.Messaging,
        "message_confirmation",
        {
            "message_id": 0xCAFE,
            "confirmation_time": 0x2A000030,
            "message_confirmation_control": (
                se_t.MessageConfirmationControl.Yes_Returned
            ),
            "message_response": b"OK",
        },
    ),
    Sample(
        messaging.Messaging,
        "get_message_cancellation",
        {"earliest_implementation_time": 0},
    ),
    # --- Metering, client to server
    Sample(
        metering.Metering,
        "get_profile",
        {
            "interval_channel": se_t.IntervalChannel.Consumption_Delivered,
            "end_time": 0x2A000000,
            "number_of_periods": 4,
        },
    ),
    Sample(metering.Metering, "req_mirror", {"endpoint_id": 0x0005}),
    Sample(metering.Metering, "mirror_rem", {"endpoint_id": 0x0005}),
    Sample(
        metering.Metering,
        "req_fast_poll_mode",
        {"fast_poll_update_period": 2, "duration_in_minutes": 15},
    ),
    # --- Metering, server to client
    Sample(
        metering.Metering,
        "get_profile_response",
        {
            "end_time": 0x2A000000,
            "status": se_t.GetProfileStatus.Success,
            "profile_interval_period": se_t.ProfileIntervalPeriod.Minutes_30,
            "number_of_periods_delivered": 3,
            "intervals": [100, metering.INVALID_INTERVAL, 0],
        },
    ),
    Sample(
        metering.Metering,
        "req_fast_poll_mode_response",
        {"applied_update_period": 2, "fast_poll_mode_endtime": 0x2A000384},
    ),
]

CLUSTERS: list[type[Cluster]] = [
    price.Price,
    drlc.Drlc,
    messaging.Messaging,
    metering.Metering,
]
