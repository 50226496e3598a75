"""A simulated meter that is also a Price server, for the gateway's client role."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, override

import zigpy.types as t
from zigpy.zcl import foundation

from se_gateway_core.clusters import price
from se_gateway_core.clusters.types import (
    START_NOW,
    Currency,
    PriceLabel,
    PriceTier,
    PriceTiersAndRegisterTier,
    TrailingDigitAndPriceTier,
    UnitOfMeasure,
)

from .cluster_io import cluster_frame, default_response
from .se_device import ReceivedCommand, SmartEnergyDevice, se_time_now
from .zcl import SimulatedCluster

PUBLISH_PRICE: Final = price.Price.ClientCommandDefs.publish_price.id
UNTIL_CHANGED: Final = 0xFFFF
PROVIDER_ID: Final = 0x0000_0001
Status = foundation.Status


@dataclass
class MeterWithPriceServer(SmartEnergyDevice):
    """An electricity meter with a Price server that publishes to the gateway.

    Tests read ``current_price`` (the last published payload), ``inbox``
    (what the gateway asked, e.g. ``get_current_price``) and ``published``.
    """

    provider_id: int = PROVIDER_ID
    current_price: price.PublishPrice | None = None
    published: int = 0
    _next_event_id: int = field(default=1, init=False, repr=False)

    @property
    def price_server(self) -> SimulatedCluster:
        """Return the Price server cluster."""
        return self.cluster(price.Price.cluster_id)

    def publish_price(
        self,
        price_value: int,
        *,
        tier: int = 1,
        rate_label: str = "Standard",
        trailing_digits: int = 3,
        currency: Currency = Currency.EUR,
        start_time: int = START_NOW,
        duration_minutes: int = UNTIL_CHANGED,
        issuer_event_id: int | None = None,
    ) -> price.PublishPrice:
        """Make ``price_value`` (per kWh, ``trailing_digits`` decimals) current.

        Publishes it to the gateway at once and returns the payload.
        """
        if issuer_event_id is None:
            issuer_event_id = self._next_event_id
        self._next_event_id = issuer_event_id + 1
        self.current_price = price.PublishPrice(
            provider_id=self.provider_id,
            rate_label=PriceLabel(rate_label.encode()),
            issuer_event_id=issuer_event_id,
            current_time=se_time_now(),
            unit_of_measure=UnitOfMeasure.Kwh_and_Kwh_binary,
            currency=currency,
            price_trailing_digit_and_price_tier=TrailingDigitAndPriceTier(
                price_tier=PriceTier(tier), trailing_digit=trailing_digits
            ),
            number_of_price_tiers_and_register_tier=PriceTiersAndRegisterTier(
                register_tier=PriceTier(tier), number_of_price_tiers=max(tier, 1)
            ),
            start_time=start_time,
            duration_in_minutes=duration_minutes,
            price=price_value,
        )
        self.send_command(self.price_server, PUBLISH_PRICE, self.current_price)
        self.published += 1
        return self.current_price

    @override
    def on_command(
        self,
        cluster: SimulatedCluster,
        hdr: foundation.ZCLHeader,
        command: ReceivedCommand,
    ) -> list[bytes]:
        """Answer Get Current / Scheduled Prices with the current price."""
        if command.name not in ("get_current_price", "get_scheduled_prices"):
            return []
        if self.current_price is None:
            return default_response(cluster, hdr, Status.NOT_FOUND)
        self.current_price.current_time = t.UTCTime(se_time_now())
        payload = self.current_price.serialize()
        return [cluster_frame(cluster, hdr.tsn, PUBLISH_PRICE, payload)]
