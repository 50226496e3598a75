"""The runtime on a zigpy application with a fake radio (no ZHA): fast paths."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import timedelta
import time
from types import SimpleNamespace
from typing import Any
from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.dispatcher import async_dispatcher_connect
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
import zigpy.device
from zigpy.exceptions import DeliveryError

from custom_components.se_gateway.const import DOMAIN
from custom_components.se_gateway.core.clusters import Drlc, Metering, Price
from custom_components.se_gateway.core.engine import GatewayEngine
from custom_components.se_gateway.smart_energy.bus_events import (
    EVENT_MESSAGE,
    SEVERITY_WARNING,
)
from custom_components.se_gateway.smart_energy.devices import SmartEnergyDevice
from custom_components.se_gateway.smart_energy.runtime import (
    SIGNAL_NEW_DEVICE,
    SmartEnergyRuntime,
    se_now,
)
from custom_components.se_gateway.smart_energy.storage import (
    async_remove_store,
)

from ..core.clusters.fake_zigpy import make_device
from ..zigpy_app import FakeApplication
from .records import price

THREE_HOURS = 3 * 3600


@pytest.fixture(autouse=True)
def no_retry_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let zigpy retry a failed send without sleeping."""
    monkeypatch.setattr(zigpy.device, "DEFAULT_REQUEST_RETRY_DELAY", 0)


@pytest.fixture
def app() -> FakeApplication:
    return FakeApplication()


@pytest.fixture
def zha_entry(hass: HomeAssistant) -> MockConfigEntry:
    entry = MockConfigEntry(domain="zha")
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def entry(hass: HomeAssistant) -> MockConfigEntry:
    entry = MockConfigEntry(domain=DOMAIN, title="Smart Energy Gateway")
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def messages(hass: HomeAssistant) -> list[Event]:
    found: list[Event] = []
    hass.bus.async_listen(EVENT_MESSAGE, found.append)
    return found


@pytest.fixture
async def runtime(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    zha_entry: MockConfigEntry,
    app: FakeApplication,
) -> AsyncGenerator[SmartEnergyRuntime]:
    gateway = SimpleNamespace(application_controller=app, devices={})
    runtime = SmartEnergyRuntime(hass, entry, zha_entry.entry_id, gateway)
    yield runtime
    await runtime.async_stop()


def display(app: FakeApplication, nwk: int = 0x1001) -> zigpy.device.ZigbeeDevice:
    device = make_device(app, out_clusters=[Price.cluster_id], nwk=nwk)
    app.device_initialized(device)
    return device


def register(hass: HomeAssistant, zha_entry: MockConfigEntry, device: Any) -> None:
    dr.async_get(hass).async_get_or_create(
        config_entry_id=zha_entry.entry_id, identifiers={("zha", str(device.ieee))}
    )


def saved_state(
    hass_storage: dict[str, Any], entry: MockConfigEntry, **data: Any
) -> None:
    key = f"{DOMAIN}.{entry.entry_id}.smart_energy"
    hass_storage[key] = {"version": 1, "minor_version": 0, "key": key, "data": data}


async def test_start_sends_the_saved_events_and_tells_what_failed(
    hass: HomeAssistant,
    runtime: SmartEnergyRuntime,
    app: FakeApplication,
    entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    messages: list[Event],
) -> None:
    saved = GatewayEngine()
    await saved.create_price_event(price())
    saved_state(hass_storage, entry, engine=saved.to_dict())  # no history: 1.0
    device = display(app)
    app.send_packet.side_effect = DeliveryError("no route")

    await runtime.async_start()
    await hass.async_block_till_done(wait_background_tasks=True)

    assert [p.issuer_event_id for p in runtime.engine.get_price_events()] == [1]
    (news,) = messages
    assert news.data["severity"] == SEVERITY_WARNING
    assert str(device.ieee) in news.data["message"]


async def test_a_device_that_comes_back_or_announces_gets_the_events(
    hass: HomeAssistant, runtime: SmartEnergyRuntime, app: FakeApplication
) -> None:
    device = display(app)
    await runtime.async_start()
    await runtime.engine.create_price_event(price())
    await hass.async_block_till_done(wait_background_tasks=True)
    sent = app.send_packet.call_count

    device.last_seen = time.time() - THREE_HOURS
    device.last_seen = time.time()  # heard from after three silent hours
    device.last_seen = time.time()  # and again: nothing more to send
    await hass.async_block_till_done(wait_background_tasks=True)
    assert app.send_packet.call_count == sent + 1

    device.zdo.listener_event("device_announce", device)
    device.zdo.listener_event("device_announce", device)  # the same rejoin
    await hass.async_block_till_done(wait_background_tasks=True)
    assert app.send_packet.call_count == sent + 2

    app.listener_event("device_reinterviewed", device)
    app.listener_event("device_removed", device)
    app.listener_event("device_initialized", MagicMock(spec=zigpy.device.BaseDevice))
    device.zdo.listener_event("device_announce", device)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert app.send_packet.call_count == sent + 2


async def test_devices_are_announced_once_zha_has_them(
    hass: HomeAssistant,
    runtime: SmartEnergyRuntime,
    app: FakeApplication,
    entry: MockConfigEntry,
    zha_entry: MockConfigEntry,
) -> None:
    announced: list[SmartEnergyDevice] = []
    async_dispatcher_connect(
        hass, f"{SIGNAL_NEW_DEVICE}_{entry.entry_id}", announced.append
    )
    meter = make_device(
        app, in_clusters=[Metering.cluster_id], out_clusters=[Drlc.cluster_id]
    )
    app.device_initialized(meter)
    plain = make_device(app, in_clusters=[0x0006], nwk=0x2002)
    app.device_initialized(plain)
    app.send_packet.side_effect = DeliveryError("asleep")
    await runtime.async_start()
    await hass.async_block_till_done(wait_background_tasks=True)
    assert announced == []

    register(hass, zha_entry, plain)
    register(hass, zha_entry, meter)
    await hass.async_block_till_done(wait_background_tasks=True)

    (se_device,) = announced
    assert se_device.ieee == meter.ieee
    assert se_device.meter_attributes == frozenset()  # the reads failed
    assert se_device.server(Price.cluster_id) is None
    assert se_device.client_cluster(Price.cluster_id) is None

    # A device removed while it is prepared is not announced.
    late = make_device(app, out_clusters=[Drlc.cluster_id], nwk=0x3003)
    register(hass, zha_entry, late)
    app.device_initialized(late)
    app.listener_event("device_removed", late)
    app.listener_event("device_removed", meter)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(announced) == 1
    assert runtime.devices.devices == {}


async def test_entities_refresh_when_an_event_starts(
    hass: HomeAssistant, runtime: SmartEnergyRuntime, freezer: FrozenDateTimeFactory
) -> None:
    await runtime.async_start()
    refreshed: list[None] = []
    runtime.async_add_listener(lambda n: refreshed.append(n) if n is None else None)
    await runtime.engine.create_price_event(price(start_time=se_now() + 60))
    await hass.async_block_till_done()
    assert runtime.snapshot.active_price(None) is None
    refreshes = len(refreshed)

    freezer.tick(timedelta(seconds=60))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()

    assert runtime.snapshot.active_price(None) is not None
    assert len(refreshed) == refreshes + 1


async def test_the_store_migrates_and_can_be_removed(
    hass: HomeAssistant,
    runtime: SmartEnergyRuntime,
    entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    saved_state(hass_storage, entry)  # version 1.0, before the engine was kept
    await runtime.async_start()
    assert runtime.engine.get_price_events() == []
    assert runtime.history.items == {}

    await async_remove_store(hass, entry.entry_id)
    assert f"{DOMAIN}.{entry.entry_id}.smart_energy" not in hass_storage
