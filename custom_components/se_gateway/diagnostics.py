"""Diagnostics of se_gateway, with keys and codes redacted."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.components.zha.helpers import get_zha_gateway
from homeassistant.core import HomeAssistant

from .data import SEGatewayConfigEntry
from .tuya_lock.credentials import credentials_overview
from .tuya_lock.runtime import TuyaLock
from .zha.quirks import needs_reload, quirk_source

TO_REDACT = {
    "link_key",
    "install_code",
    "installation_code",
    "network_key",
    "password",
    "code",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: SEGatewayConfigEntry
) -> dict[str, Any]:
    """Return diagnostics for the config entry."""
    devices = get_zha_gateway(hass).application_controller.devices.values()
    return async_redact_data(
        {
            "options": dict(entry.options),
            "devices": [
                {
                    "ieee": str(device.ieee),
                    "manufacturer": device.manufacturer,
                    "model": device.model,
                    "quirk": quirk_source(device),
                    "needs_reload": needs_reload(device),
                }
                for device in devices
            ],
            "locks": [
                {
                    "ieee": str(lock.ieee),
                    "model": lock.device.model,
                    "available": lock.available,
                    "mcu_version": lock.state.mcu_version,
                    "locked": lock.state.locked,
                    "door_open": lock.state.door_open,
                    "battery": lock.state.battery,
                    "remote_unlock_requested": lock.remote_request_pending,
                    **lock_diagnostics(lock),
                }
                for lock in entry.runtime_data.locks.devices.values()
            ],
        },
        TO_REDACT,
    )


def lock_diagnostics(lock: TuyaLock) -> dict[str, Any]:
    """Return a lock's product and credentials: ids and windows, never secrets."""
    product = lock.cluster.product
    return {
        "manufacturer": lock.device.manufacturer,
        "product": product.brand or product.manufacturer or product.model or None,
        "remote_unlock_method": str(product.remote_unlock),
        **credentials_overview(lock),
    }
