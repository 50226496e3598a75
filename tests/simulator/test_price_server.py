"""The simulated meter with a Price server, read with our Price cluster definition."""

from __future__ import annotations

import pytest
from zigpy.zcl import foundation
from zigpy.zcl.clusters.smartenergy import Metering

from network_simulator.price_server import MeterWithPriceServer
from network_simulator.se_device import se_time_now
from network_simulator.smart_energy import meter_with_price_server
from se_gateway_core.clusters import price, types as se_t

from .helpers import (
    TO_SERVER,
    Air,
    FakeClock,
    cluster_command,
    decoded,
    general_command,
    on_air,
)

PRICE = price.Price.cluster_id
GENERAL = foundation.GeneralCommand
Status = foundation.Status


@pytest.fixture
def meter() -> MeterWithPriceServer:
    return meter_with_price_server(changing=False, clock=FakeClock())


@pytest.fixture
def air(meter: MeterWithPriceServer) -> Air:
    return on_air(meter)


def sent(air: Air) -> list:
    return decoded(air, {PRICE: price.Price})


def ask(meter: MeterWithPriceServer, command_id: int, payload, **kwargs) -> None:
    meter.receive(
        cluster_command(
            PRICE, command_id, payload.serialize(), direction=TO_SERVER, **kwargs
        )
    )


def test_is_the_meter_with_a_price_server(meter: MeterWithPriceServer) -> None:
    endpoint = meter.endpoints[1]
    assert {Metering.cluster_id, PRICE} <= set(endpoint.in_clusters)
    assert meter.behaviours  # the meter still counts
    assert len(meter.model) <= 32  # fits the Basic model identifier


def test_publishes_a_price(meter: MeterWithPriceServer, air: Air) -> None:
    before = se_time_now()
    meter.publish_price(250, tier=2)
    meter.publish_price(300)

    (_c, hdr, first), (_c2, _hdr2, second) = sent(air)
    assert hdr.direction == foundation.Direction.Server_to_Client
    assert hdr.command_id == 0x00
    assert first.price == 250
    assert first.price_trailing_digit_and_price_tier.price_tier == se_t.PriceTier.Tier_2
    assert first.price_trailing_digit_and_price_tier.trailing_digit == 3
    assert first.currency == se_t.Currency.EUR
    assert first.rate_label == b"Standard"
    assert first.current_time >= before
    assert (first.issuer_event_id, second.issuer_event_id) == (1, 2)
    assert meter.published == 2

    meter.publish_price(310, issuer_event_id=40)
    meter.publish_price(320)
    assert [p.issuer_event_id for _c, _h, p in sent(air)] == [40, 41]


def test_answers_get_current_price(meter: MeterWithPriceServer, air: Air) -> None:
    request = price.GetCurrentPrice(command_options=se_t.GetCurrentPriceOptions(1))
    ask(meter, 0x00, request, tsn=0x21)
    [(_c, hdr, response)] = sent(air)
    assert hdr.command_id == GENERAL.Default_Response
    assert (hdr.tsn, response.status) == (0x21, Status.NOT_FOUND)

    meter.publish_price(199)
    sent(air)
    ask(meter, 0x00, request, tsn=0x22)
    scheduled = price.GetScheduledPrices(start_time=0, number_of_events=1)
    ask(meter, 0x01, scheduled, tsn=0x23)

    answers = sent(air)
    assert [(hdr.tsn, hdr.command_id, p.price) for _c, hdr, p in answers] == [
        (0x22, 0x00, 199),
        (0x23, 0x00, 199),
    ]
    assert [c.name for c in meter.inbox] == [
        "get_current_price",
        "get_current_price",
        "get_scheduled_prices",
    ]


def test_keeps_price_acknowledgements(meter: MeterWithPriceServer, air: Air) -> None:
    acknowledgement = price.PriceAcknowledgement(
        provider_id=1,
        issuer_event_id=1,
        price_ack_time=se_time_now(),
        control=se_t.PriceControl.Price_Acknowledgement_Required,
    )
    ask(meter, 0x02, acknowledgement)
    assert air.sent == []
    ask(meter, 0x02, acknowledgement, disable_default_response=False)
    [(_c, _hdr, response)] = sent(air)
    assert response.status == Status.SUCCESS
    assert meter.commands_named("price_acknowledgement") == [acknowledgement] * 2


def test_price_attributes_are_readable(meter: MeterWithPriceServer, air: Air) -> None:
    read = foundation.GENERAL_COMMANDS[GENERAL.Read_Attributes].schema(
        attribute_ids=[0x0000, 0x0300, 0x0301]
    )
    meter.receive(general_command(PRICE, GENERAL.Read_Attributes, read))

    [(_c, _hdr, response)] = sent(air)
    assert [r.value.value for r in response.status_records] == [
        b"Tier 1",
        se_t.CommodityType.Electric,
        0,
    ]
