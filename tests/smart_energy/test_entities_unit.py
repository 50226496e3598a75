"""Entity corners that need no network: an empty calendar, a silent meter."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any
from unittest.mock import MagicMock

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from custom_components.se_gateway.core.clusters import Metering
from custom_components.se_gateway.smart_energy.calendar_entity import EventCalendar
from custom_components.se_gateway.smart_energy.devices import SmartEnergyDevice
from custom_components.se_gateway.smart_energy.history import (
    CalendarItem,
    EventHistory,
)
from custom_components.se_gateway.smart_energy.meter_sensors import (
    MeterStatusSensor,
    TierSummationSensor,
    device_meter_sensors,
)
from custom_components.se_gateway.smart_energy.runtime import se_now

from ..core.clusters.fake_zigpy import make_device
from ..zigpy_app import FakeApplication


def fake_runtime(history: EventHistory | None = None) -> Any:
    return SimpleNamespace(
        entry=SimpleNamespace(entry_id="entry"),
        device_info={},
        history=history or EventHistory(),
    )


def past_item(uid: str, start: int, end: int) -> CalendarItem:
    return CalendarItem(
        uid=uid,
        kind="drlc",
        source=None,
        event_id=1,
        start=start,
        end=end,
        summary="Load control, criticality 1",
        description="",
    )


async def test_calendar_of_past_events_only(hass: HomeAssistant) -> None:
    now = se_now()
    history = EventHistory(
        [
            past_item("gateway-drlc-1", now - 3600, now - 1800),
            past_item("gateway-drlc-2", now - 600, now - 900),  # cut before it ran
        ]
    )
    calendar = EventCalendar(fake_runtime(history))

    assert calendar.event is None
    found = await calendar.async_get_events(
        hass, dt_util.utcnow() - timedelta(hours=2), dt_util.utcnow()
    )
    assert [event.uid for event in found] == ["gateway-drlc-1"]


def test_a_meter_that_reports_nothing() -> None:
    app = FakeApplication()
    device = make_device(app, in_clusters=[Metering.cluster_id])
    metering = device.endpoints[1].in_clusters[Metering.cluster_id]
    se_device = SmartEnergyDevice(
        device,
        MagicMock(),
        meter_attributes=frozenset({"current_tier3_summ_received"}),
    )

    (tier,) = device_meter_sensors(fake_runtime(), se_device)
    assert isinstance(tier, TierSummationSensor)
    assert tier.native_value is None
    assert tier.native_unit_of_measurement == "kWh"
    status = MeterStatusSensor(fake_runtime(), se_device, metering)
    assert status.native_value is None
    assert status.extra_state_attributes is None

    no_meter = SmartEnergyDevice(make_device(app, nwk=0x2222), MagicMock())
    assert device_meter_sensors(fake_runtime(), no_meter) == []
