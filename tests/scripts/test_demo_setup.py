"""scripts/demo_setup.py and the demo's configuration templates."""

from __future__ import annotations

from pathlib import Path
import re
from string import Template
from typing import Any

import pytest
import yaml

from network_simulator.lock.alarms import ALARMS
from scripts import demo_setup

ENTRY_ID = "01ENTRY"
DEVICES = {ieee: f"device-{n}" for n, ieee in enumerate(demo_setup.DEVICE_NAMES)}


def _registry() -> list[dict[str, Any]]:
    """An entity registry holding every entity of the demo, and decoys."""
    entities: list[dict[str, Any]] = [
        # Another device's entity with the same suffix: never picked.
        {
            "entity_id": "sensor.other_summation_delivered",
            "unique_id": "11:22-1-1794-summation_delivered",
            "device_id": "elsewhere",
        },
        # A price sensor of another entry: never picked.
        {
            "entity_id": "sensor.meter_price",
            "unique_id": "OTHER-price",
            "device_id": None,
        },
    ]
    for name, (ieee, domain, suffix) in demo_setup.ENTITIES.items():
        entities.append(
            {
                "entity_id": f"{domain}.demo_{name}",
                "unique_id": (
                    f"{ENTRY_ID}{suffix}" if ieee is None else f"{ieee}-1{suffix}"
                ),
                "device_id": None if ieee is None else DEVICES[ieee],
            }
        )
    return entities


def test_every_entity_is_found_by_its_device_and_unique_id() -> None:
    found = demo_setup.find_entities(_registry(), ENTRY_ID, DEVICES)

    assert found == {
        name: f"{domain}.demo_{name}"
        for name, (_ieee, domain, _suffix) in demo_setup.ENTITIES.items()
    }


def test_a_missing_entity_is_left_out() -> None:
    registry = [e for e in _registry() if e["entity_id"] != "sensor.demo_price"]

    assert "price" not in demo_setup.find_entities(registry, ENTRY_ID, DEVICES)


def test_the_dashboard_template_uses_exactly_the_entities_found() -> None:
    text = demo_setup.DASHBOARD_TEMPLATE.read_text()
    placeholders = {
        m.group("named") or m.group("braced")
        for m in Template.pattern.finditer(text)
        if m.group("named") or m.group("braced")
    }

    assert placeholders == {*demo_setup.ENTITIES, "cost"}


def test_the_dashboard_is_rendered_with_entity_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo_setup, "DASHBOARD", tmp_path / "dashboards" / "d.yaml")
    ids = {name: f"sensor.demo_{name}" for name in [*demo_setup.ENTITIES, "cost"]}

    demo_setup.render_dashboard(ids)

    dashboard = yaml.safe_load((tmp_path / "dashboards" / "d.yaml").read_text())
    paths = [view["path"] for view in dashboard["views"]]
    assert paths == ["meter", "lock", "smart-energy"]
    smart_energy = dashboard["views"][2]["cards"]
    assert {card["type"] for card in smart_energy} >= {
        "entities",
        "history-graph",
        "statistics-graph",
        "calendar",
    }
    assert "$" not in (tmp_path / "dashboards" / "d.yaml").read_text()


def test_the_configuration_raises_no_repair_and_keeps_files_in_demo_config() -> None:
    config = yaml.safe_load((demo_setup.TEMPLATE / "configuration.yaml").read_text())

    # An http: section is migrated to storage with a "deprecated YAML" repair.
    assert "http" not in config
    # A relative database_path is relative to the working directory.
    assert "database_path" not in config["zha"]
    # The start-up events are created once by demo_setup, not on every start.
    assert "automation" not in config


class FakeSocket:
    """Records the websocket commands it is sent."""

    def __init__(self, devices: list[dict[str, Any]] | None = None) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.devices = devices or []

    async def call(self, message_type: str, **payload: Any) -> Any:
        self.calls.append((message_type, payload))
        if message_type == "config/device_registry/list":
            return self.devices
        return None


async def test_the_start_up_events_are_created_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo_setup, "STATE_FILE", tmp_path / "state.json")
    socket = FakeSocket()

    assert await demo_setup._create_events_once(socket)  # type: ignore[arg-type]
    services = [payload["service"] for _type, payload in socket.calls]
    assert services == [
        *["create_price_event"] * len(demo_setup.PRICES),
        "create_drlc_event",
        "create_message_event",
    ]

    socket.calls.clear()
    assert not await demo_setup._create_events_once(socket)  # type: ignore[arg-type]
    assert socket.calls == []


def test_the_prices_follow_each_other_without_gaps() -> None:
    for (start, hours, *_), (next_start, *_) in zip(
        demo_setup.PRICES, demo_setup.PRICES[1:], strict=False
    ):
        assert start + hours == next_start
    assert demo_setup.PRICES[0][0] == 0
    assert sum(hours for _start, hours, *_ in demo_setup.PRICES) == 24


async def test_devices_are_named_unless_the_user_named_them() -> None:
    meter, lock = demo_setup.METER_IEEE, demo_setup.LOCK_IEEE
    socket = FakeSocket(
        [
            {"id": "m", "name_by_user": None, "identifiers": [["zha", meter]]},
            {"id": "l", "name_by_user": "My door", "identifiers": [["zha", lock]]},
        ]
    )

    await demo_setup._name_devices(socket, {meter: "m", lock: "l"})  # type: ignore[arg-type]

    updates = [p for t, p in socket.calls if t == "config/device_registry/update"]
    assert updates == [{"device_id": "m", "name_by_user": "Electricity meter"}]


def test_the_device_names_are_the_ones_the_readme_lists() -> None:
    readme = (demo_setup.ROOT / "README.md").read_text()

    for ieee, name in demo_setup.DEVICE_NAMES.items():
        assert re.search(rf"\| {name} \|.*`{ieee}`", readme), name


class EntriesSocket:
    """Answers config_entries/get with the states given, one per call."""

    def __init__(self, states: list[str]) -> None:
        self.states = states

    async def call(self, message_type: str, **payload: Any) -> Any:
        assert (message_type, payload) == (
            "config_entries/get",
            {"domain": "se_gateway"},
        )
        return [{"state": self.states.pop(0)}]


async def test_the_gateway_is_waited_for_until_loaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def no_sleep(_seconds: float) -> None:
        return None

    monkeypatch.setattr(demo_setup.asyncio, "sleep", no_sleep)
    socket = EntriesSocket(["setup_retry", "setup_in_progress", "loaded", "x"])

    await demo_setup._wait_for_gateway(socket, timeout=10)  # type: ignore[arg-type]

    assert socket.states == ["x"]


async def test_a_gateway_that_never_loads_fails_the_demo(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def no_sleep(_seconds: float) -> None:
        return None

    monkeypatch.setattr(demo_setup.asyncio, "sleep", no_sleep)

    with pytest.raises(demo_setup.DemoSetupError, match="setup_error"):
        await demo_setup._wait_for_gateway(
            EntriesSocket(["setup_error"] * 5), timeout=0
        )


def test_the_readme_lists_every_lock_alarm_by_name_and_code() -> None:
    demo = (demo_setup.ROOT / "README.md").read_text().split("### The demo", 1)[1]
    text = " ".join(demo.split())
    for name, code in ALARMS.items():
        assert f"`{name}` ({code})" in text, name
