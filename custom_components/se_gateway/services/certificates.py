"""The manual's certificate management (Appendix B): install and read.

``install_certificate`` reads the three values from a certificate file on the
Home Assistant host (a folder listed in ``allowlist_external_dirs``), in
Certicom's format or the test CA's (``python -m network_simulator.cbke issue``):
the private key is never part of the action's data, so it never appears in a
``call_service`` event, the logbook or the recorder. The UI offers the same
installation with the three values typed in (a config subentry, *Install
certificate*). ``get_certificate`` answers what is installed, never the
private key, and the devices that have a CBKE link key (not the keys).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from homeassistant.core import ServiceResponse
from homeassistant.helpers import config_validation as cv
import probatio

from ..core.cbke.installation import InstallationError, read_installation_text
from ..errors import field_error
from ..key_establishment.certificates import (
    async_install,
    check_installation,
    installation_error,
)
from ..key_establishment.store import async_get_store, describe
from .common import Gateway, ServiceData, ServiceSpec

FILE: Final = "file"
MAX_FILE_BYTES: Final = 16_384


async def install_certificate(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Install the gateway's certificate from a file."""
    hass = gateway.hass
    path = data[FILE]
    if not hass.config.is_allowed_path(path):
        raise field_error("certificate_path_not_allowed", FILE, path=path)

    def read() -> str:
        with Path(path).open(encoding="utf-8") as file:
            return file.read(MAX_FILE_BYTES)

    try:
        text = await hass.async_add_executor_job(read)
    except OSError, UnicodeDecodeError:
        raise field_error("certificate_file_unreadable", FILE, path=path) from None
    try:
        installation = read_installation_text(text)
    except InstallationError as err:
        raise installation_error(err) from None
    credentials = check_installation(installation, gateway.app.state.node_info.ieee)
    return await async_install(hass, credentials)


async def get_certificate(gateway: Gateway, _data: ServiceData) -> ServiceResponse:
    """Return the installed certificate (never the private key)."""
    store = await async_get_store(gateway.hass)
    return {
        **describe(store.credentials),
        "link_key_devices": sorted(str(ieee) for ieee in store.link_keys),
    }


SERVICES: Final = (
    ServiceSpec(
        name="install_certificate",
        handler=install_certificate,
        schema={probatio.Required(FILE): cv.string},
    ),
    ServiceSpec(name="get_certificate", handler=get_certificate),
)
