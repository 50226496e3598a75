"""The se_gateway services (actions), registered once in ``async_setup``.

Each group of the gateway manual's requests lists its services as
``ServiceSpec``s (``general``, ``zigbee``, ``zcl``, ``smart_energy``,
``certificates``); they are all registered here, through
``common.async_register_services``. The lock's services are entity services
(``lock``).
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback

from . import certificates, general, se_friendly, smart_energy, zcl, zigbee
from .common import async_register_services
from .lock import async_setup_lock_services


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the services."""
    async_setup_lock_services(hass)
    async_register_services(
        hass,
        (
            *general.SERVICES,
            *zigbee.SERVICES,
            *zcl.SERVICES,
            *smart_energy.SERVICES,
            *se_friendly.SERVICES,
            *certificates.SERVICES,
        ),
    )
