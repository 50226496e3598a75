"""Configure the running demo as a user would, through Home Assistant's API.

Run by ``scripts/demo_runner.py`` once Home Assistant answers HTTP. It logs in
with the demo user and, over the websocket API:

- waits until ZHA has paired the simulated devices and names them
  ("Front door", "Electricity meter", ...) with ``name_by_user``, unless the
  user has named them already;
- configures the Energy dashboard (the meter as grid consumption, the
  gateway's price sensor as its price) when it has no energy source yet;
- creates the start-up events (a day of prices, a load-control event and a
  message) once per ``demo_config/``: ``se_gateway_demo.json`` records it;
- writes the dashboard from its template with the entity ids it found in the
  entity registry (by device and unique id, so renamed devices do not break it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import itertools
import json
import os
from pathlib import Path
from string import Template
import time
from typing import Any, Final

import aiohttp

ROOT: Final = Path(__file__).resolve().parent.parent
CONFIG: Final = ROOT / "demo_config"
TEMPLATE: Final = ROOT / "scripts" / "demo_config"
HTTP_PORT: Final = int(os.environ.get("SE_DEMO_HTTP_PORT", "8123"))
HA_URL: Final = f"http://localhost:{HTTP_PORT}"
CONTROL_PORT: Final = int(os.environ.get("SE_DEMO_CONTROL_PORT", "9998"))
USERNAME: Final = "demo"
PASSWORD: Final = "demo-se-gateway"
CLIENT_ID: Final = f"{HA_URL}/"
STATE_FILE: Final = CONFIG / "se_gateway_demo.json"
DASHBOARD_TEMPLATE: Final = TEMPLATE / "dashboards" / "se_gateway.yaml"
DASHBOARD: Final = CONFIG / "dashboards" / "se_gateway.yaml"

# The simulated devices (network_simulator's catalogue) and their demo names.
METER_IEEE: Final = "00:0d:6f:00:0a:90:69:01"
LOCK_IEEE: Final = "a4:c1:38:5e:00:00:00:01"
IHD_IEEE: Final = "00:0d:6f:00:0b:10:00:01"
LOAD_IEEE: Final = "00:0d:6f:00:0b:20:00:01"
DEVICE_NAMES: Final = {
    LOCK_IEEE: "Front door",
    METER_IEEE: "Electricity meter",
    IHD_IEEE: "Kitchen display",
    LOAD_IEEE: "Water heater",
}

# Placeholder -> (device IEEE, None for the gateway; domain; unique id suffix).
ENTITIES: Final[Mapping[str, tuple[str | None, str, str]]] = {
    "price": (None, "sensor", "-price"),
    "price_tier": (None, "sensor", "-price_tier"),
    "rate_label": (None, "sensor", "-rate_label"),
    "next_price_change": (None, "sensor", "-next_price_change"),
    "load_control_event": (None, "binary_sensor", "-load_control_event"),
    "last_message": (None, "sensor", "-last_message"),
    "calendar": (None, "calendar", "-events"),
    "energy": (METER_IEEE, "sensor", "-summation_delivered"),
    "energy_received": (METER_IEEE, "sensor", "-summation_received"),
    "demand": (METER_IEEE, "sensor", "-1794"),
    "load_status": (LOAD_IEEE, "sensor", "-load_control_status"),
    "lock": (LOCK_IEEE, "lock", "-lock"),
    "door": (LOCK_IEEE, "binary_sensor", "-door"),
    "battery": (LOCK_IEEE, "sensor", "-battery"),
    "tamper": (LOCK_IEEE, "binary_sensor", "-tamper"),
    "duress": (LOCK_IEEE, "binary_sensor", "-duress"),
    "unlock": (LOCK_IEEE, "event", "-unlock"),
    "alarm": (LOCK_IEEE, "event", "-alarm"),
    "doorbell": (LOCK_IEEE, "event", "-doorbell"),
    "remote_unlock_request": (LOCK_IEEE, "event", "-remote_unlock_request"),
}

# A day of time-of-use prices from now: (hours from now, hours, tier, label, price
# in tenths of a penny per kWh: 245 with trailing digit 3 is 0.245 GBP/kWh).
PRICES: Final = (
    (0, 2, 1, "Standard", 245),
    (2, 3, 2, "Peak", 352),
    (5, 4, 1, "Standard", 245),
    (9, 8, 1, "Off-peak", 135),
    (17, 7, 1, "Standard", 245),
)


class DemoSetupError(Exception):
    """The demo could not be configured."""


@dataclass
class Socket:
    """A minimal client of Home Assistant's websocket API."""

    ws: aiohttp.ClientWebSocketResponse
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def call(self, message_type: str, **payload: Any) -> Any:
        """Send one command and return its result; DemoSetupError on an error."""
        message_id = next(self.ids)
        await self.ws.send_json({"id": message_id, "type": message_type, **payload})
        while True:
            answer: dict[str, Any] = await self.ws.receive_json()
            if answer.get("id") != message_id:
                continue
            if not answer.get("success"):
                raise DemoSetupError(f"{message_type}: {answer.get('error')}")
            return answer.get("result")


async def login(session: aiohttp.ClientSession) -> dict[str, Any]:
    """Run Home Assistant's login flow and return the tokens."""
    async with session.post(
        f"{HA_URL}/auth/login_flow",
        json={
            "client_id": CLIENT_ID,
            "handler": ["homeassistant", None],
            "redirect_uri": CLIENT_ID,
        },
    ) as response:
        flow = await response.json()
    async with session.post(
        f"{HA_URL}/auth/login_flow/{flow['flow_id']}",
        json={"client_id": CLIENT_ID, "username": USERNAME, "password": PASSWORD},
    ) as response:
        result = await response.json()
    async with session.post(
        f"{HA_URL}/auth/token",
        data={
            "grant_type": "authorization_code",
            "code": result["result"],
            "client_id": CLIENT_ID,
        },
    ) as response:
        tokens: dict[str, Any] = await response.json()
    return tokens


async def access_token(session: aiohttp.ClientSession) -> str:
    """Log in through Home Assistant's login flow; return an access token."""
    return str((await login(session))["access_token"])


async def configure(entry_id: str, timeout: float = 240) -> list[str]:
    """Configure the running demo; return the open repair issues' descriptions."""
    async with aiohttp.ClientSession() as session:
        token = await access_token(session)
        async with session.ws_connect(f"{HA_URL}/api/websocket") as ws:
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": token})
            if (await ws.receive_json()).get("type") != "auth_ok":
                raise DemoSetupError("the websocket refused the demo user")
            socket = Socket(ws)
            await _wait_for_gateway(socket, timeout)
            devices = await _wait_for_devices(socket, timeout)
            await _name_devices(socket, devices)
            entity_ids = await _wait_for_entities(socket, entry_id, devices, timeout)
            _progress("devices paired and named")
            # A lock reports its door and battery when it starts; so does ours.
            for action in ("door closed", "battery 87"):
                await simulator(f"lock {LOCK_IEEE} {action}")
            await _configure_energy(socket, entity_ids)
            entity_ids["cost"] = await _wait_for_cost(socket, entity_ids["energy"])
            if await _create_events_once(socket):
                _progress("a day of prices, a load-control event and a message created")
            render_dashboard(entity_ids)
            issues = await socket.call("repairs/list_issues")
            return [
                f"{issue['domain']}: {issue['translation_key']}"
                for issue in issues["issues"]
                if not issue.get("dismissed_version")
            ]


_STARTED = time.monotonic()


def _progress(text: str) -> None:
    print(f"  {text} ({time.monotonic() - _STARTED:.0f} s)", flush=True)


async def simulator(command: str) -> str:
    """Send one command to the simulator's control port; return its answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", CONTROL_PORT)
    try:
        writer.write(f"{command}\n".encode())
        await writer.drain()
        answer = (await reader.readline()).decode().strip()
    finally:
        writer.close()
        await writer.wait_closed()
    if not answer.startswith("ok"):
        raise DemoSetupError(f"simulator: {command}: {answer}")
    return answer


def _ieee_of(device: Mapping[str, Any]) -> str | None:
    for domain, identifier in device["identifiers"]:
        if domain == "zha":
            return str(identifier)
    return None


async def _wait_for_gateway(socket: Socket, timeout: float) -> None:
    """Wait until the gateway's entry is loaded (it may reload ZHA first)."""
    deadline = time.monotonic() + timeout
    while True:
        entries = await socket.call("config_entries/get", domain="se_gateway")
        if entries and all(entry["state"] == "loaded" for entry in entries):
            return
        if time.monotonic() > deadline:
            states = ", ".join(str(entry["state"]) for entry in entries)
            raise DemoSetupError(f"the Smart Energy Gateway did not load ({states})")
        await asyncio.sleep(1)


async def _wait_for_devices(socket: Socket, timeout: float) -> dict[str, str]:
    """Wait until ZHA has every simulated device; return IEEE -> device id."""
    deadline = time.monotonic() + timeout
    while True:
        found = {
            ieee: device["id"]
            for device in await socket.call("config/device_registry/list")
            if (ieee := _ieee_of(device)) in DEVICE_NAMES
        }
        if len(found) == len(DEVICE_NAMES):
            return found
        if time.monotonic() > deadline:
            missing = ", ".join(sorted(set(DEVICE_NAMES) - set(found)))
            raise DemoSetupError(f"ZHA did not pair {missing}")
        await asyncio.sleep(2)


async def _name_devices(socket: Socket, devices: Mapping[str, str]) -> None:
    """Name each device as a user would, unless it has a name of the user's."""
    registry = {d["id"]: d for d in await socket.call("config/device_registry/list")}
    for ieee, device_id in devices.items():
        if registry[device_id].get("name_by_user") is None:
            await socket.call(
                "config/device_registry/update",
                device_id=device_id,
                name_by_user=DEVICE_NAMES[ieee],
            )


def find_entities(
    registry: list[Mapping[str, Any]], entry_id: str, devices: Mapping[str, str]
) -> dict[str, str]:
    """Return placeholder -> entity id for the ENTITIES that the registry holds."""
    found: dict[str, str] = {}
    for name, (ieee, domain, suffix) in ENTITIES.items():
        for entity in registry:
            entity_id = str(entity["entity_id"])
            unique_id = str(entity.get("unique_id", ""))
            if not entity_id.startswith(f"{domain}."):
                continue
            if ieee is None:
                matches = unique_id == f"{entry_id}{suffix}"
            else:
                matches = entity.get("device_id") == devices[ieee] and (
                    unique_id.endswith(suffix)
                )
            if matches:
                found[name] = entity_id
                break
    return found


async def _wait_for_entities(
    socket: Socket, entry_id: str, devices: Mapping[str, str], timeout: float
) -> dict[str, str]:
    """Wait until the entity registry holds every entity the dashboard shows."""
    deadline = time.monotonic() + timeout
    while True:
        registry = await socket.call("config/entity_registry/list")
        found = find_entities(registry, entry_id, devices)
        if len(found) == len(ENTITIES):
            return found
        if time.monotonic() > deadline:
            missing = ", ".join(sorted(set(ENTITIES) - set(found)))
            raise DemoSetupError(f"no entity for: {missing}")
        await asyncio.sleep(2)


async def _configure_energy(
    socket: Socket, entity_ids: Mapping[str, str], timeout: float = 120
) -> None:
    """Make the meter the grid consumption and our price sensor its price."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            prefs = await socket.call("energy/get_prefs")
        except DemoSetupError as err:
            # Not set up yet, or (the first time) no preferences stored yet.
            if "unknown_command" in str(err) and time.monotonic() < deadline:
                await asyncio.sleep(2)
                continue
            if "not_found" not in str(err):
                raise
            prefs = {}
        break
    if prefs.get("energy_sources"):
        return
    await socket.call(
        "energy/save_prefs",
        energy_sources=[
            {
                "type": "grid",
                "stat_energy_from": entity_ids["energy"],
                "stat_cost": None,
                "entity_energy_price": entity_ids["price"],
                "number_energy_price": None,
                "cost_adjustment_day": 0,
            }
        ],
    )


async def _wait_for_cost(socket: Socket, energy: str, timeout: float = 60) -> str:
    """Return the cost sensor the Energy dashboard makes for the meter.

    Its unique id is the meter's registry id with ``_grid_cost``. Without it
    (yet), return the meter's own entity, so the card still shows energy.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        registry = await socket.call("config/entity_registry/list")
        meter_ids = {e["id"] for e in registry if e["entity_id"] == energy}
        for entity in registry:
            unique_id = str(entity.get("unique_id", ""))
            if entity.get("platform") == "energy" and any(
                unique_id == f"{meter_id}_grid_cost" for meter_id in meter_ids
            ):
                return str(entity["entity_id"])
        await asyncio.sleep(2)
    return energy


def _state() -> dict[str, Any]:
    try:
        state: dict[str, Any] = json.loads(STATE_FILE.read_text())
    except FileNotFoundError, ValueError:
        return {}
    return state


async def _call_service(
    socket: Socket, service: str, data: Mapping[str, Any], timeout: float = 60
) -> None:
    """Call an se_gateway action, retrying while the gateway is still starting."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            await socket.call(
                "call_service",
                domain="se_gateway",
                service=service,
                service_data=dict(data),
                return_response=True,
            )
        except DemoSetupError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(2)
        else:
            return


async def _create_events_once(socket: Socket) -> bool:
    """Create the demo's prices, load-control event and message, once.

    Return whether it created them.
    """
    state = _state()
    if state.get("events_created"):
        return False
    now = datetime.now().astimezone().replace(second=0, microsecond=0)
    issuer = int(time.time())
    for number, (start, hours, tier, label, price) in enumerate(PRICES):
        await _call_service(
            socket,
            "create_price_event",
            {
                "provider_id": 7,
                "issuer_event_id": issuer + number,
                "currency": 826,
                "price": price,
                "price_trailing_digit": 3,
                "price_tier": tier,
                "number_of_price_tiers": 2,
                "rate_label": label,
                "start_time": (now + timedelta(hours=start)).isoformat(),
                "duration_in_minutes": hours * 60,
            },
        )
    await _call_service(
        socket,
        "create_drlc_event",
        {
            "issuer_event_id": issuer,
            "device_class": 0x0004,
            "start_time": (now + timedelta(hours=2)).isoformat(),
            "duration_in_minutes": 60,
            "criticality_level": 3,
            "duty_cycle": 50,
        },
    )
    await _call_service(
        socket,
        "create_message_event",
        {
            "message_id": issuer,
            "duration_in_minutes": 24 * 60,
            "message": "Peak price from "
            + (now + timedelta(hours=2)).strftime("%H:%M")
            + ", please save energy",
        },
    )
    STATE_FILE.write_text(json.dumps({**state, "events_created": True}) + "\n")
    return True


def render_dashboard(entity_ids: Mapping[str, str]) -> None:
    """Write the dashboard from its template with the entity ids found."""
    text = Template(DASHBOARD_TEMPLATE.read_text()).substitute(entity_ids)
    DASHBOARD.parent.mkdir(exist_ok=True)
    if not DASHBOARD.exists() or DASHBOARD.read_text() != text:
        DASHBOARD.write_text(text)
