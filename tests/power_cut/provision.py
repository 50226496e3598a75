"""Prepare a Home Assistant config folder for the power-cut test.

Run as ``python tests/power_cut/provision.py CONFIG RADIO_URL HTTP_PORT`` (with
the repository on ``PYTHONPATH``). It writes ``configuration.yaml``, links
``custom_components/se_gateway``, adds the ZHA entry (the simulated XBee at
RADIO_URL) and the se_gateway entry, creates an administrator and prints a
long-lived access token for the REST API, as the demo's ``provision`` does.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
import sys

from homeassistant.auth import auth_manager_from_config
from homeassistant.auth.const import GROUP_ID_ADMIN
from homeassistant.auth.models import TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er

from scripts.demo_runner import save_config_entries

ROOT = Path(__file__).resolve().parents[2]

CONFIGURATION = """
homeassistant:
  name: Power cut
  unit_system: metric
  currency: EUR
  country: GB
  time_zone: UTC
  latitude: 51.5
  longitude: -0.12
  elevation: 10
http:
  server_host: 127.0.0.1
  server_port: {port}
api:
zha:
  zigpy_config:
    ota:
      enabled: false
    topology_scan_period: 1440
logger:
  default: warning
  logs:
    custom_components.se_gateway: debug
"""


def _write_config(config: Path, port: int) -> None:
    config.mkdir(parents=True, exist_ok=True)
    (config / "configuration.yaml").write_text(CONFIGURATION.format(port=port))
    custom = config / "custom_components"
    custom.mkdir(exist_ok=True)
    (custom / "se_gateway").symlink_to(ROOT / "custom_components" / "se_gateway")


async def provision(config: Path, radio_url: str, port: int) -> str:
    """Write the config folder; return the access token."""
    _write_config(config, port)

    hass = HomeAssistant(str(config))
    dr.async_setup(hass)
    await asyncio.gather(dr.async_load(hass), er.async_load(hass))
    hass.auth = await auth_manager_from_config(hass, [{"type": "homeassistant"}], [])
    user = await hass.auth.async_create_user("Power cut", group_ids=[GROUP_ID_ADMIN])
    refresh = await hass.auth.async_create_refresh_token(
        user,
        client_name="power cut test",
        token_type=TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN,
        access_token_expiration=timedelta(days=1),
    )
    token = hass.auth.async_create_access_token(refresh)
    auth_store = hass.auth._store
    await auth_store._store.async_save(auth_store._data_to_save())
    await save_config_entries(hass, radio_url)
    await hass.async_stop()
    return token


if __name__ == "__main__":
    print(asyncio.run(provision(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]))))
