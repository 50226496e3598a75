"""Run the demo: the simulated network, then Home Assistant with ZHA and se_gateway.

Started by ``scripts/demo`` (``python -m scripts.demo_runner``). Everything it
writes is in ``demo_config/``: delete that folder to start afresh. Ctrl-C stops
Home Assistant, then the simulator.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
import contextlib
from datetime import UTC, datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from homeassistant.auth import auth_manager_from_config
from homeassistant.auth.const import GROUP_ID_ADMIN
from homeassistant.auth.providers import homeassistant as hass_auth
from homeassistant.components.onboarding import (
    STORAGE_KEY as ONBOARDING_KEY,
    STORAGE_VERSION as ONBOARDING_VERSION,
)
from homeassistant.components.onboarding.const import STEPS as ONBOARDING_STEPS
from homeassistant.config_entries import (
    SOURCE_USER,
    STORAGE_KEY as ENTRIES_KEY,
    STORAGE_VERSION as ENTRIES_VERSION,
    STORAGE_VERSION_MINOR as ENTRIES_MINOR,
    ConfigEntries,
    ConfigEntry,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.storage import Store

from scripts.demo_setup import (
    CONFIG,
    CONTROL_PORT,
    HA_URL,
    HTTP_PORT,
    PASSWORD,
    ROOT,
    TEMPLATE,
    USERNAME,
    DemoSetupError,
    configure,
)

RADIO_PORT = int(os.environ.get("SE_DEMO_RADIO_PORT", "9999"))


def prepare_config() -> None:
    """Copy the configuration template and link the integration.

    The dashboard is written later, by ``demo_setup.render_dashboard``, once
    its entity ids are known.
    """
    CONFIG.mkdir(exist_ok=True)
    shutil.copyfile(TEMPLATE / "configuration.yaml", CONFIG / "configuration.yaml")
    custom = CONFIG / "custom_components"
    custom.mkdir(exist_ok=True)
    link = custom / "se_gateway"
    if not link.exists():
        link.symlink_to(ROOT / "custom_components" / "se_gateway")


async def provision() -> str:
    """Create the demo user, finish onboarding, add the ZHA and se_gateway entries.

    Return the se_gateway entry's id.
    """
    hass = HomeAssistant(str(CONFIG))
    hass.config_entries = ConfigEntries(hass, {})
    await hass.config_entries.async_initialize()
    dr.async_setup(hass)
    await asyncio.gather(dr.async_load(hass), er.async_load(hass))
    hass.auth = await auth_manager_from_config(hass, [{"type": "homeassistant"}], [])
    provider = hass.auth.auth_providers[0]
    assert isinstance(provider, hass_auth.HassAuthProvider)
    await provider.async_initialize()
    assert provider.data is not None

    if not any(u["username"] == USERNAME for u in provider.data.users):
        provider.data.add_auth(USERNAME, PASSWORD)
        await provider.data.async_save()
        user = await hass.auth.async_create_user("Demo", group_ids=[GROUP_ID_ADMIN])
        credentials = await provider.async_get_or_create_credentials(
            {"username": USERNAME}
        )
        await hass.auth.async_link_user(user, credentials)

    onboarding: Store[dict[str, list[str]]] = Store(
        hass, ONBOARDING_VERSION, ONBOARDING_KEY, private=True
    )
    await onboarding.async_save({"done": list(ONBOARDING_STEPS)})
    if not hass.config_entries.async_entries("zha"):
        entry_id = await save_config_entries(hass, f"socket://127.0.0.1:{RADIO_PORT}")
    else:
        entry_id = hass.config_entries.async_entries("se_gateway")[0].entry_id
    await hass.async_stop()
    return entry_id


def _config_entry(
    domain: str, title: str, data: Mapping[str, object], version: int, minor: int
) -> dict[str, object]:
    return ConfigEntry(
        created_at=datetime.now(UTC),
        data=data,
        discovery_keys={},  # type: ignore[arg-type]
        domain=domain,
        minor_version=minor,
        options={},
        source=SOURCE_USER,
        subentries_data=None,
        title=title,
        unique_id=None,
        version=version,
    ).as_dict()


async def save_config_entries(hass: HomeAssistant, radio_path: str) -> str:
    """Store ZHA's entry for the emulated XBee and se_gateway's; return the latter's id.

    Also used by the power-cut test (``tests/power_cut/provision.py``).
    """
    zha_data = {
        "device": {"path": radio_path, "baudrate": 115200, "flow_control": None},
        "radio_type": "xbee",
    }
    entries = [
        _config_entry("zha", "Simulated XBee", zha_data, 5, 2),
        _config_entry("se_gateway", "Smart Energy Gateway", {}, 1, 1),
    ]
    store: Store[dict[str, object]] = Store(
        hass, ENTRIES_VERSION, ENTRIES_KEY, minor_version=ENTRIES_MINOR
    )
    await store.async_save({"entries": entries})
    return str(entries[1]["entry_id"])


def busy_ports() -> list[int]:
    """Return the demo's ports that something already listens on."""
    busy = []
    for port in (HTTP_PORT, RADIO_PORT, CONTROL_PORT):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                busy.append(port)
    return busy


def wait_for_http(process: subprocess.Popen[bytes], timeout: float = 300) -> bool:
    """Wait until Home Assistant answers HTTP."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{HA_URL}/manifest.json", timeout=2),
        ):
            return True
        time.sleep(1)
    return False


def stop(process: subprocess.Popen[bytes], name: str) -> None:
    """Stop a child process group, politely first."""
    if process.poll() is not None:
        return
    print(f"Stopping {name}...", flush=True)
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def main() -> int:
    """Start everything and wait for Ctrl-C."""
    if busy := busy_ports():
        print(
            f"Port {', '.join(map(str, busy))} is in use (is another demo running?)."
            " Stop it, or set SE_DEMO_HTTP_PORT, SE_DEMO_RADIO_PORT and"
            " SE_DEMO_CONTROL_PORT.",
            flush=True,
        )
        return 1
    prepare_config()
    entry_id = asyncio.run(provision())
    python = sys.executable
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    simulator = subprocess.Popen(
        [
            python,
            "-m",
            "network_simulator",
            "--port",
            str(RADIO_PORT),
            "--control-port",
            str(CONTROL_PORT),
            "--device",
            "meter",
            "--device",
            "lock",
            "--device",
            "ihd",
            "--device",
            "load",
            "--join-on-start",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    hass = subprocess.Popen(
        [python, "-m", "homeassistant", "--config", str(CONFIG)],
        cwd=CONFIG,
        # Home Assistant's own setting of its default HTTP port.
        env={**env, "SETUP_PORT": str(HTTP_PORT)},
        start_new_session=True,
    )

    def on_signal(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    # Ctrl-C (or SIGTERM) at any point, even while starting, stops both children.
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        if not wait_for_http(hass):
            print(
                "Home Assistant did not start; see demo_config/home-assistant.log",
                flush=True,
            )
            return 1
        print("Naming the devices and setting up the dashboards...", flush=True)
        try:
            issues = asyncio.run(configure(entry_id))
        except (DemoSetupError, OSError) as err:
            print(f"The demo could not be configured: {err}", flush=True)
            return 1
        for issue in issues:
            print(f"Repair issue: {issue}", flush=True)
        print(
            f"\nHome Assistant is running at {HA_URL}\n"
            f"  login: {USERNAME} / {PASSWORD}\n"
            f"  dashboard: {HA_URL}/se-gateway/meter"
            " (views: meter, lock, smart-energy)\n"
            f"  Energy dashboard: {HA_URL}/energy\n"
            "  simulator control: .venv/bin/python -m network_simulator.control"
            f" --port {CONTROL_PORT} list\n"
            "Press Ctrl-C to stop.\n",
            flush=True,
        )
        while hass.poll() is None and simulator.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop(hass, "Home Assistant")
        stop(simulator, "the simulated network")
    return 0


if __name__ == "__main__":
    sys.exit(main())
