"""The simulated in-home display, read with our Smart Energy cluster definitions."""

from __future__ import annotations

import pytest
import zigpy.types as t
from zigpy.zcl import foundation
from zigpy.zcl.clusters.general import Time

from network_simulator.in_home_display import InHomeDisplay
from network_simulator.smart_energy import in_home_display
from se_gateway_core.clusters import (
    drlc,
    messaging,
    price,
    types as se_t,
)

from .helpers import (
    TO_CLIENT,
    Air,
    FakeClock,
    cluster_command,
    decoded,
    default_response,
    general_command,
    on_air,
)

GENERAL = foundation.GeneralCommand
Status = foundation.Status
DEFINITIONS = {
    price.Price.cluster_id: price.Price,
    drlc.Drlc.cluster_id: drlc.Drlc,
    messaging.Messaging.cluster_id: messaging.Messaging,
    Time.cluster_id: Time,
}
PRICE = price.Price.cluster_id
MESSAGING = messaging.Messaging.cluster_id


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def display(clock: FakeClock) -> InHomeDisplay:
    return in_home_display(clock=clock, startup_delay_s=2.0)


@pytest.fixture
def air(display: InHomeDisplay) -> Air:
    return on_air(display)


def publish_price(**extra) -> price.PublishPrice:
    return price.PublishPrice(
        provider_id=7,
        rate_label=se_t.PriceLabel(b"Peak"),
        issuer_event_id=100,
        current_time=800_000_000,
        unit_of_measure=se_t.UnitOfMeasure.Kwh_and_Kwh_binary,
        currency=se_t.Currency.EUR,
        price_trailing_digit_and_price_tier=se_t.TrailingDigitAndPriceTier(0x21),
        number_of_price_tiers_and_register_tier=se_t.PriceTiersAndRegisterTier(0x11),
        start_time=0,
        duration_in_minutes=60,
        price=1234,
        **extra,
    )


def display_message(control: int, message_id: int = 55) -> messaging.DisplayMessage:
    return messaging.DisplayMessage(
        message_id=message_id,
        message_control=se_t.MessageControl(control),
        start_time=0,
        duration_in_minutes=30,
        message=se_t.Utf8String("Peak tonight ⚡"),
    )


def gateway(
    display: InHomeDisplay, cluster_id: int, command_id: int, payload, **kwargs
) -> None:
    data = payload if isinstance(payload, bytes) else payload.serialize()
    display.receive(cluster_command(cluster_id, command_id, data, **kwargs))


def test_identity(display: InHomeDisplay) -> None:
    endpoint = display.endpoints[1]
    assert endpoint.profile_id == 0x0104
    assert sorted(endpoint.in_clusters) == [0x0000, 0x0003]
    assert sorted(endpoint.out_clusters) == [0x000A, 0x0700, 0x0701, 0x0703]


def test_asks_for_the_price_and_reads_the_time_once_started(
    display: InHomeDisplay, clock: FakeClock, air: Air
) -> None:
    display.tick(clock.advance(1.9))
    assert air.sent == []

    display.tick(clock.advance(0.1))
    display.tick(clock.advance(5))  # only once per join

    (price_id, price_hdr, request), (time_id, time_hdr, read) = decoded(
        air, DEFINITIONS
    )
    assert (price_id, price_hdr.command_id) == (PRICE, 0x00)
    assert price_hdr.direction == foundation.Direction.Client_to_Server
    assert not price_hdr.frame_control.disable_default_response
    assert (
        request.command_options == se_t.GetCurrentPriceOptions.Requestor_Rx_On_When_Idle
    )
    assert (time_id, time_hdr.command_id) == (Time.cluster_id, GENERAL.Read_Attributes)
    assert time_hdr.direction == foundation.Direction.Client_to_Server
    assert read.attribute_ids == [0x0000, 0x0001]


def test_keeps_the_time_it_read(display: InHomeDisplay, air: Air) -> None:
    tsn = display.read_time()
    records = [
        foundation.ReadAttributeRecord(
            0x0000, Status.SUCCESS, foundation.TypeValue(0xE2, t.UTCTime(800_000_000))
        ),
        foundation.ReadAttributeRecord(
            0x0001, Status.SUCCESS, foundation.TypeValue(0x18, t.bitmap8(0b0101))
        ),
        foundation.ReadAttributeRecord(0x0002, Status.UNSUPPORTED_ATTRIBUTE),
    ]
    display.receive(
        general_command(
            Time.cluster_id,
            GENERAL.Read_Attributes_rsp,
            b"".join(record.serialize() for record in records),
            tsn=tsn,
            direction=TO_CLIENT,
        )
    )

    assert display.time_readings == [{"time": 800_000_000, "time_status": 0b0101}]
    assert display.answers[-1].command_id == GENERAL.Read_Attributes_rsp
    assert air.zcl()[1:] == []  # only the read request went out


def test_keeps_the_default_response_to_its_request(
    display: InHomeDisplay, air: Air
) -> None:
    tsn = display.request_price()
    display.receive(
        default_response(PRICE, tsn, 0x00, Status.NOT_FOUND, direction=TO_CLIENT)
    )

    [answer] = display.answers
    assert (answer.cluster_id, answer.tsn, answer.payload.status) == (
        PRICE,
        tsn,
        Status.NOT_FOUND,
    )


def test_keeps_prices_and_acknowledges_when_asked(
    display: InHomeDisplay, air: Air
) -> None:
    gateway(display, PRICE, 0x00, publish_price(), tsn=3)
    assert air.sent == []  # no acknowledgement, no Default Response asked for

    wants_ack = publish_price(
        price_ratio=0xFF,
        generation_price=0xFFFFFFFF,
        generation_price_ratio=0xFF,
        alternate_cost_delivered=0xFFFFFFFF,
        alternate_cost_unit=se_t.AlternateCostUnit.Kg_of_CO2_per_Unit_of_Measure,
        alternate_cost_trailing_digit=se_t.TrailingDigit(0),
        number_of_block_thresholds=0,
        price_control=se_t.PriceControl.Price_Acknowledgement_Required,
    )
    gateway(display, PRICE, 0x00, wants_ack, tsn=4)

    assert [p.price for p in display.prices] == [1234, 1234]
    [(_cluster, hdr, ack)] = decoded(air, DEFINITIONS)
    assert hdr.command_id == 0x02
    assert (ack.provider_id, ack.issuer_event_id) == (7, 100)
    assert ack.control == se_t.PriceControl.Price_Acknowledgement_Required


@pytest.mark.parametrize("control", [0x80, 0x20])
def test_confirms_messages_that_ask_for_it(
    display: InHomeDisplay, air: Air, control: int
) -> None:
    gateway(display, MESSAGING, 0x00, display_message(0x00, message_id=1))
    gateway(display, MESSAGING, 0x02, display_message(control, message_id=2))

    assert [m.message_id for m in display.messages] == [1, 2]
    assert display.messages[0].message == "Peak tonight ⚡"
    [(_cluster, hdr, confirmation)] = decoded(air, DEFINITIONS)
    assert hdr.command_id == 0x01
    assert confirmation.message_id == 2
    assert confirmation.confirmation_time > 0
    assert display.confirmed == [2]


def test_confirms_by_hand_without_auto_confirm(clock: FakeClock) -> None:
    display = in_home_display(clock=clock, auto_confirm=False)
    air = on_air(display)
    gateway(display, MESSAGING, 0x00, display_message(0x80, message_id=9))
    assert air.sent == []

    display.confirm(9)

    [(_cluster, _hdr, confirmation)] = decoded(air, DEFINITIONS)
    assert confirmation.message_id == 9


def test_keeps_drlc_events_and_cancellations(display: InHomeDisplay, air: Air) -> None:
    event = drlc.LoadControlEvent(
        issuer_event_id=5,
        device_class=se_t.DeviceClass.Water_Heater,
        utility_enrollment_group=0,
        start_time=0,
        duration_in_minutes=10,
        criticality_level=se_t.CriticalityLevel.Green,
        cooling_temperature_offset=0xFF,
        heating_temperature_offset=0xFF,
        cooling_temperature_set_point=-0x8000,
        heating_temperature_set_point=-0x8000,
        average_load_adjustment_percentage=-0x80,
        duty_cycle=0xFF,
        event_control=se_t.EventControl(0),
    )
    gateway(display, drlc.Drlc.cluster_id, 0x00, event)
    cancel = messaging.CancelMessage(
        message_id=1, message_control=se_t.MessageControl(0)
    )
    gateway(display, MESSAGING, 0x01, cancel)

    assert [e.issuer_event_id for e in display.drlc_events] == [5]
    assert display.commands_named("cancel_message") == [cancel]
    assert air.sent == []


def test_default_responses_when_asked(display: InHomeDisplay, air: Air) -> None:
    gateway(display, PRICE, 0x00, publish_price(), disable_default_response=False)
    gateway(display, PRICE, 0x00, b"\x01\x02", disable_default_response=False)
    gateway(display, PRICE, 0x7F, b"", disable_default_response=False)

    statuses = [response.status for _c, _h, response in decoded(air, DEFINITIONS)]
    assert statuses == [
        Status.SUCCESS,
        Status.MALFORMED_COMMAND,
        Status.UNSUP_CLUSTER_COMMAND,
    ]
    assert len(display.prices) == 1


def test_drlc_attributes_show_every_device_class(
    display: InHomeDisplay, air: Air
) -> None:
    read = foundation.GENERAL_COMMANDS[GENERAL.Read_Attributes].schema(
        attribute_ids=[0x0003]
    )
    display.receive(
        general_command(
            drlc.Drlc.cluster_id, GENERAL.Read_Attributes, read, direction=TO_CLIENT
        )
    )

    [(_cluster, hdr, response)] = decoded(air, DEFINITIONS)
    assert hdr.direction == foundation.Direction.Client_to_Server
    assert response.status_records[0].value.value == drlc.ALL_DEVICE_CLASSES


def test_a_battery_display_does_not_claim_rx_on_when_idle(clock: FakeClock) -> None:
    display = in_home_display(clock=clock)
    display.mains_powered = False
    air = on_air(display)

    display.request_price()

    [(_cluster, _hdr, request)] = decoded(air, DEFINITIONS)
    assert request.command_options == 0
