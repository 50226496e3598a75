"""The price bridge end to end: a template sensor and HA's nordpool to the display.

Nord Pool's HTTP API is the only thing mocked (``aioclient_mock``): pynordpool
0.4.0 ships no test fixtures, so ``nordpool_payload`` writes a DayAheadPrices
answer in the shape the API records (``multiAreaEntries``, ``areaStates`` ...,
as pynordpool's ``async_get_delivery_period`` reads it) for the asked date.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
import logging
from typing import Any
from zoneinfo import ZoneInfo

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)
from yarl import URL

from custom_components.se_gateway.smart_energy.price_sources import (
    Interval,
    attribute_schedule,
    parse_unit,
    tier_and_label,
)

from ..conftest import wait_for
from .conftest import SmartEnergyNetwork

NORDPOOL_API = "https://dataportal-api.nordpoolgroup.com/api/DayAheadPrices"
CET = ZoneInfo("Europe/Stockholm")
EUR, SEK = 978, 752


def sek_per_mwh(start: datetime) -> float:
    """Return the test's price of an hour: 1000 SEK/MWh plus 10 per hour of day."""
    return 1000.0 + 10 * start.astimezone(CET).hour


def nordpool_payload(day: date, area: str = "SE3") -> dict[str, Any]:
    """Return Nord Pool's DayAheadPrices answer for one CET day, hourly."""
    first = datetime.combine(day, time(), CET)
    entries = []
    for hour in range(24):
        start = (first + timedelta(hours=hour)).astimezone(dt_util.UTC)
        entries.append(
            {
                "deliveryStart": start.isoformat().replace("+00:00", "Z"),
                "deliveryEnd": (start + timedelta(hours=1))
                .isoformat()
                .replace("+00:00", "Z"),
                "entryPerArea": {area: sek_per_mwh(start)},
            }
        )
    return {
        "deliveryDateCET": day.isoformat(),
        "version": 3,
        "updatedAt": "2025-10-01T11:57:11.0Z",
        "deliveryAreas": [area],
        "market": "DayAhead",
        "multiAreaEntries": entries,
        "blockPriceAggregates": [],
        "currency": "SEK",
        "exchangeRate": 11.1,
        "areaStates": [{"state": "Final", "areas": [area]}],
        "areaAverages": [{"areaCode": area, "price": 1115.0}],
    }


async def _nordpool_answer(
    method: str, url: URL, data: Any
) -> AiohttpClientMockResponse:
    day = date.fromisoformat(url.query["date"])
    return AiohttpClientMockResponse(method, url, json=nordpool_payload(day))


# --- Parsers ------------------------------------------------------------------------


def test_units_currency_and_mwh() -> None:
    per_mwh = parse_unit("SEK/MWh")
    assert per_mwh is not None
    assert (per_mwh.currency, per_mwh.unit, per_mwh.factor) == (
        SEK,
        0,
        Decimal("0.001"),
    )
    no_currency = parse_unit("/kWh")
    assert no_currency is not None
    assert (no_currency.currency, no_currency.factor) == (None, 1)
    assert parse_unit("kWh") is not None
    assert parse_unit("EUR/m³") is not None
    assert parse_unit("W") is None
    assert parse_unit(None) is None


def test_schedules_of_entsoe_forecast_and_tibber() -> None:
    # ENTSO-e: [{time, price}], each price until the next one.
    entsoe = attribute_schedule(
        {
            "prices_today": [
                {"time": "2030-01-01T00:00:00+00:00", "price": 0.1},
                {"time": "2030-01-01T00:15:00+00:00", "price": 0.2},
            ],
            "prices_tomorrow": [],
        }
    )
    assert [(i.start, i.end, i.price) for i in entsoe] == [
        (
            datetime(2030, 1, 1, tzinfo=dt_util.UTC),
            datetime(2030, 1, 1, 0, 15, tzinfo=dt_util.UTC),
            Decimal("0.1"),
        ),
        (
            datetime(2030, 1, 1, 0, 15, tzinfo=dt_util.UTC),
            datetime(2030, 1, 1, 0, 30, tzinfo=dt_util.UTC),
            Decimal("0.2"),
        ),
    ]
    forecast = attribute_schedule(
        {"forecast": [{"datetime": "2030-01-01T01:00:00+00:00", "value": "0.3"}]}
    )
    assert forecast == [
        Interval(
            datetime(2030, 1, 1, 1, tzinfo=dt_util.UTC),
            datetime(2030, 1, 1, 2, tzinfo=dt_util.UTC),
            Decimal("0.3"),
        )
    ]
    assert attribute_schedule({"prices": "not a list"}) == []
    assert tier_and_label({"price_level": "VERY_EXPENSIVE"}) == (0, "VERY_EXPENSI")
    assert tier_and_label({"tier": 2, "label": "Peak"}) == (2, "Peak")
    assert tier_and_label({"tier": 99}) == (0, "")


# --- End to end ---------------------------------------------------------------------


async def test_template_sensor_to_the_display(
    hass: HomeAssistant, se_network, call, caplog: pytest.LogCaptureFixture
) -> None:
    net: SmartEnergyNetwork = se_network
    hass.config.currency = "EUR"
    hass.states.async_set("input_number.tariff", "0.25")
    assert await async_setup_component(
        hass,
        "template",
        {
            "template": [
                {
                    "sensor": [
                        {
                            "name": "Tariff",
                            "unique_id": "tariff",
                            "state": "{{ states('input_number.tariff') }}",
                            "availability": "{{ has_value('input_number.tariff') }}",
                            "unit_of_measurement": "/kWh",
                            "attributes": {"tier": "{{ 2 }}", "label": "Day"},
                        }
                    ]
                }
            ]
        },
    )
    await hass.async_block_till_done()
    before = len(net.ihd.prices)

    answer = await call(
        "registry_configuration", {"name": "price_source", "value": "sensor.tariff"}
    )
    assert answer["value"] == "sensor.tariff"
    await hass.async_block_till_done()
    await wait_for(hass, lambda: len(net.ihd.prices) == before + 1)
    sent = net.ihd.prices[-1]
    assert (sent.price, sent.price_trailing_digit_and_price_tier.trailing_digit) == (
        25,
        2,
    )
    assert (sent.currency, sent.unit_of_measure) == (EUR, 0)
    assert (sent.price_trailing_digit_and_price_tier.price_tier, sent.rate_label) == (
        2,
        b"Day",
    )
    await wait_for(hass, lambda: net.state("sensor", "price").state == "0.25")

    # The same price again (the source updated, nothing changed): not sent.
    hass.states.async_set("input_number.tariff", "0.250")
    await hass.async_block_till_done()
    # Unavailable: nothing new, one warning for as long as it lasts.
    hass.states.async_set("input_number.tariff", "unavailable")
    await hass.async_block_till_done()
    hass.states.async_set("input_number.tariff", "unknown")
    await hass.async_block_till_done()
    assert len(net.ihd.prices) == before + 1
    warnings = [r for r in caplog.records if "sensor.tariff" in r.getMessage()]
    assert len([r for r in warnings if r.levelno == logging.WARNING]) == 1

    # A new price replaces the old one: the table holds one price.
    hass.states.async_set("input_number.tariff", "0.31")
    await hass.async_block_till_done()
    await wait_for(hass, lambda: len(net.ihd.prices) == before + 2)
    assert net.ihd.prices[-1].price == 31
    schedule = await call("get_price_schedule")
    assert [item["price"] for item in schedule["prices"]] == [0.31]

    # The option read back; cleared, the bridge stops.
    assert (await call("registry_configuration", {"name": "price_source"}))[
        "value"
    ] == "sensor.tariff"
    await call("registry_configuration", {"name": "price_source", "value": ""})
    assert net.runtime.price_bridge is None
    hass.states.async_set("input_number.tariff", "0.5")
    await hass.async_block_till_done()
    assert len(net.ihd.prices) == before + 2


async def test_nord_pool_schedule_to_the_display(
    hass: HomeAssistant, se_network, call, aioclient_mock: AiohttpClientMocker
) -> None:
    net: SmartEnergyNetwork = se_network
    aioclient_mock.get(NORDPOOL_API, side_effect=_nordpool_answer)
    nordpool = MockConfigEntry(
        domain="nordpool", data={"areas": ["SE3"], "currency": "SEK"}
    )
    nordpool.add_to_hass(hass)
    assert await hass.config_entries.async_setup(nordpool.entry_id)
    await hass.async_block_till_done()
    source = er.async_get(hass).async_get_entity_id(
        "sensor", "nordpool", "SE3-current_price"
    )
    assert source is not None
    now = dt_util.utcnow()
    hour = now.replace(minute=0, second=0, microsecond=0)
    expected_now = round(sek_per_mwh(hour) / 1000, 6)
    assert float(hass.states.get(source).state) == pytest.approx(expected_now)
    before = len(net.ihd.prices)

    await call("registry_configuration", {"name": "price_source", "value": source})
    await hass.async_block_till_done()

    # The price in force went out at once, per kWh in SEK.
    await wait_for(hass, lambda: len(net.ihd.prices) == before + 1)
    sent = net.ihd.prices[-1]
    digits = sent.price_trailing_digit_and_price_tier.trailing_digit
    assert sent.price / 10**digits == pytest.approx(expected_now)
    assert (sent.currency, sent.unit_of_measure) == (SEK, 0)
    # The schedule ahead (today and tomorrow, hourly) is stored, not sent.
    schedule = (await call("get_price_schedule"))["prices"]
    assert len(schedule) >= 24
    assert schedule[0]["price"] == pytest.approx(expected_now)
    second = dt_util.parse_datetime(schedule[1]["start"])
    assert second == hour + timedelta(hours=1)
    assert schedule[1]["price"] == pytest.approx(sek_per_mwh(second) / 1000)
    assert schedule[1]["currency"] == "SEK"
    assert len(net.ihd.prices) == before + 1

    # The display asks for the schedule and gets it from the engine.
    net.ihd.request_scheduled_prices(count=3)
    await wait_for(hass, lambda: len(net.ihd.prices) == before + 4)
    answered = net.ihd.prices[before + 1 :]
    assert [p.issuer_event_id for p in answered] == [
        item["issuer_event_id"] for item in schedule[:3]
    ]
    assert answered[1].price / 10 ** (
        answered[1].price_trailing_digit_and_price_tier.trailing_digit
    ) == pytest.approx(sek_per_mwh(second) / 1000)

    # Nord Pool's sensor updating to the same price publishes nothing new.
    await net.runtime.price_bridge.async_update()
    await hass.async_block_till_done()
    assert len(net.ihd.prices) == before + 4
    assert len((await call("get_price_schedule"))["prices"]) == len(schedule)
