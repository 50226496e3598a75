"""The se_gateway services (actions), registered once in ``async_setup``.

Each group of the gateway manual's requests lives in its own module; every
service except the lock's entity service goes through ``common.async_register``.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback

from .general import async_setup_general_services
from .lock import async_setup_lock_services
from .smart_energy import async_setup_smart_energy_services
from .zcl import async_setup_zcl_services
from .zigbee import async_setup_zigbee_services


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the services."""
    async_setup_lock_services(hass)
    async_setup_general_services(hass)
    async_setup_zigbee_services(hass)
    async_setup_zcl_services(hass)
    async_setup_smart_energy_services(hass)
