"""What the gateway keeps across restarts, and a restart in the middle of a send."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from homeassistant.components.zha.helpers import get_zha_gateway
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import HomeAssistant
import pytest

from custom_components.se_gateway.core.clusters import Price
from custom_components.se_gateway.smart_energy.bus_events import (
    EVENT_MESSAGE,
    SEVERITY_ERROR,
)

from ..conftest import wait_for
from .conftest import SmartEnergyNetwork
from .records import drlc, message, price


def storage_key(net: SmartEnergyNetwork) -> str:
    return f"se_gateway.{net.entry.entry_id}.smart_energy"


def stored_prices(hass_storage: dict[str, Any], net: SmartEnergyNetwork) -> list[int]:
    engine = hass_storage[storage_key(net)]["data"]["engine"]
    return [item["record"]["issuer_event_id"] for item in engine["server"]["prices"]]


async def test_events_survive_a_restart_and_go_out_again(
    hass: HomeAssistant,
    se_network: SmartEnergyNetwork,
    hass_storage: dict[str, Any],
) -> None:
    net = se_network
    await net.runtime.engine.create_price_event(price())
    await net.runtime.engine.create_drlc_event(drlc())
    await net.runtime.engine.create_message_event(message())
    await wait_for(hass, lambda: len(net.ihd.messages) == 1)
    await wait_for(hass, lambda: bool(net.load.commands_named("load_control_event")))
    prices, events = (
        len(net.ihd.prices),
        len(net.load.commands_named("load_control_event")),
    )

    await net.unload_entry()
    assert stored_prices(hass_storage, net) == [1]
    stored = hass_storage[storage_key(net)]["data"]
    assert {item["uid"] for item in stored["history"]} == {
        "gateway-price-1",
        "gateway-drlc-10",
    }

    await net.load_entry()
    engine = net.runtime.engine
    assert [p.issuer_event_id for p in engine.get_price_events()] == [1]
    assert [e.issuer_event_id for e in engine.get_drlc_events()] == [10]
    assert [m.message_id for m in engine.get_message_events()] == [100]
    # Sent again to every client at start.
    await wait_for(hass, lambda: len(net.ihd.prices) == prices + 1)
    await wait_for(hass, lambda: len(net.ihd.messages) == 2)
    await wait_for(
        hass,
        lambda: len(net.load.commands_named("load_control_event")) == events + 1,
    )
    await wait_for(hass, lambda: net.state("sensor", "price").state == "0.245")
    calendar = net.entity_id("calendar", "events", None)
    found = await hass.services.async_call(
        "calendar",
        "get_events",
        {"entity_id": calendar, "duration": {"hours": 2}},
        blocking=True,
        return_response=True,
    )
    assert sorted(event["summary"] for event in found[calendar]["events"]) == [
        "Load control, criticality 3",
        "Price 0.245 EUR/kWh",
    ]


async def test_a_stop_during_a_fan_out_loses_nothing(
    hass: HomeAssistant,
    se_network: SmartEnergyNetwork,
    hass_storage: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    net = se_network
    app = get_zha_gateway(hass).application_controller
    display = app.get_device(ieee=net.ihd.ieee)
    cluster = display.endpoints[1].out_clusters[Price.cluster_id]
    sending, never = asyncio.Event(), asyncio.Event()

    async def hangs(*args: Any, **kwargs: Any) -> None:
        sending.set()
        await never.wait()

    monkeypatch.setattr(cluster, "client_command", hangs)
    fan_out = asyncio.create_task(net.runtime.engine.create_price_event(price()))
    await sending.wait()

    # Home Assistant stops: the pending save is written, the event in it.
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    assert stored_prices(hass_storage, net) == [1]
    # The entry unloads while the send still hangs.
    await net.unload_entry()
    fan_out.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await fan_out
    assert net.ihd.prices == []

    monkeypatch.undo()
    await net.load_entry()
    await wait_for(hass, lambda: len(net.ihd.prices) == 1)
    assert net.ihd.prices[0].issuer_event_id == 1


async def test_a_newer_state_is_reported_and_kept(
    hass: HomeAssistant,
    se_network: SmartEnergyNetwork,
    hass_storage: dict[str, Any],
) -> None:
    net = se_network
    await net.unload_entry()
    newer = {
        "version": 1,
        "minor_version": 1,
        "key": storage_key(net),
        "data": {"engine": {"version": 99}, "history": []},
    }
    hass_storage[storage_key(net)] = newer

    await net.load_entry()

    (news,) = net.events_of(EVENT_MESSAGE)
    assert news["severity"] == SEVERITY_ERROR
    assert "newer" in news["message"]
    assert net.runtime.engine.get_price_events() == []
    # The gateway works for this run, but the newer file is never overwritten.
    await net.runtime.engine.create_price_event(price())
    await net.unload_entry()
    assert hass_storage[storage_key(net)]["data"] == {
        "engine": {"version": 99},
        "history": [],
    }
