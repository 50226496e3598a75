"""The friendly actions end to end: publish_price, start_load_control, show_message."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.generated.currencies import ACTIVE_CURRENCIES
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest

from custom_components.se_gateway.core.clusters.types import datetime_to_utc_time
from custom_components.se_gateway.services.se_friendly import price_digits
from custom_components.se_gateway.smart_energy.iso4217 import NUMERIC_CODES

from ..conftest import wait_for
from .conftest import SmartEnergyNetwork


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.245", (245, 3)), ("0.2450", (2450, 4)), ("12", (12, 0)), ("1E+2", (100, 0))],
)
def test_price_digits_follow_the_scale(text: str, expected: tuple[int, int]) -> None:
    assert price_digits(Decimal(text)) == expected


def test_every_home_assistant_currency_has_its_number() -> None:
    assert set(ACTIVE_CURRENCIES) <= set(NUMERIC_CODES)
    assert (NUMERIC_CODES["GBP"], NUMERIC_CODES["EUR"], NUMERIC_CODES["ALL"]) == (
        826,
        978,
        8,
    )


async def test_publish_price_in_the_user_s_terms(
    hass: HomeAssistant, se_network, call
) -> None:
    net: SmartEnergyNetwork = se_network
    hass.config.currency = "EUR"

    first = await call(
        "publish_price",
        {"price": "0.2450", "label": "Peak", "tier": 2, "duration": {"hours": 1}},
    )
    second = await call("publish_price", {"price": 0.3, "currency": "GBP"})

    assert second["issuer_event_id"] > first["issuer_event_id"] > 0
    assert first["status"] == 0
    assert first["status_name"] == "SUCCESS"
    record = first["record"]
    assert (record["price"], record["price_trailing_digit"]) == (2450, 4)
    assert (record["currency"], record["unit_of_measure"]) == (978, 0)
    assert (record["price_tier"], record["rate_label"]) == (2, "Peak")
    assert record["duration_in_minutes"] == 60
    assert record["start_time"] == 0
    assert record["start_time_iso"] is None
    assert second["record"]["currency"] == 826
    await wait_for(hass, lambda: len(net.ihd.prices) == 2)
    assert [sent.issuer_event_id for sent in net.ihd.prices] == [
        first["issuer_event_id"],
        second["issuer_event_id"],
    ]

    # get_price_events shows when the "now" events really started.
    listed = await call("get_price_events")
    starts = [item["start"] for item in listed["record_list"]]
    assert all(start is not None for start in starts)
    assert abs(dt_util.parse_datetime(starts[0]) - dt_util.utcnow()) < timedelta(
        minutes=1
    )

    # The schedule ahead: an action and an attribute of the price sensor.
    schedule = await call("get_price_schedule")
    assert [item["price"] for item in schedule["prices"]] == [0.245, 0.3]
    assert schedule["prices"][0]["end"] is not None
    assert schedule["prices"][1]["end"] is None
    await wait_for(hass, lambda: net.state("sensor", "price").state == "0.3")
    state = net.state("sensor", "price")
    assert state.attributes["unit_of_measurement"] == "GBP/kWh"
    assert [item["price"] for item in state.attributes["prices"]] == [0.245, 0.3]


async def test_issuer_ids_survive_a_restart(
    hass: HomeAssistant, se_network, call
) -> None:
    net: SmartEnergyNetwork = se_network
    first = await call("publish_price", {"price": 1})

    await net.unload_entry()
    await net.load_entry()
    second = await call("publish_price", {"price": 2})

    assert second["issuer_event_id"] > first["issuer_event_id"]
    assert (
        net.runtime.engine.to_dict()["server"]["last_issued_id"]
        == (second["issuer_event_id"])
    )


async def test_publish_price_refuses_an_unknown_currency(
    hass: HomeAssistant, se_network, call
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await call("publish_price", {"price": 1, "currency": "ABC"})
    assert err.value.translation_placeholders["field"] == "currency"


async def test_start_load_control_in_fahrenheit(
    hass: HomeAssistant, se_network, call
) -> None:
    net: SmartEnergyNetwork = se_network
    hass.config.units = US_CUSTOMARY_SYSTEM
    start = dt_util.utcnow() + timedelta(hours=2)

    created = await call(
        "start_load_control",
        {
            "device_classes": ["water_heater", "smart_appliances"],
            "criticality": "emergency",
            "duty_cycle": 40,
            "heating_temperature_offset": 9,  # 9 °F difference is 5 °C
            "cooling_set_point": 77,  # 25 °C
            "start": start.isoformat(),
            "duration": {"minutes": 30},
        },
    )

    record = created["record"]
    assert record["device_class"] == (1 << 2) | (1 << 4)
    assert record["criticality_level"] == 7
    assert record["duty_cycle"] == 40
    assert record["heating_temperature_offset"] == 50
    assert record["cooling_temperature_set_point"] == 2500
    assert record["start_time"] == datetime_to_utc_time(start)
    assert record["start_time_iso"] == start.replace(microsecond=0).isoformat()
    assert record["duration_in_minutes"] == 30
    await wait_for(hass, lambda: bool(net.load.commands_named("load_control_event")))
    sent = net.load.commands_named("load_control_event")[-1]
    assert sent.issuer_event_id == created["issuer_event_id"]


async def test_show_message_and_a_translated_delivery_failure(
    hass: HomeAssistant, se_network, call
) -> None:
    net: SmartEnergyNetwork = se_network
    net.simulator.set_online(net.ihd, False)

    created = await call(
        "show_message", {"message": "Peak at 17:00", "needs_confirmation": True}
    )

    assert created["record"]["message_control"] == 0x80
    ihd = str(net.ihd.ieee)
    (error,) = [e for e in created["errors"] if e["device_address"] == ihd]
    assert error["reason"] in {"no_acknowledgement", "no_route", "timeout"}
    assert "DeliveryError" not in error["error"]
    assert str(net.ihd.ieee) in error["error"]
