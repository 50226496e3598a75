"""The se_gateway integration: a ZigBee Smart Energy gateway on top of ZHA.

Importing this package imports ``quirks``, which registers our quirks with
ZHA's quirk registry and our cluster classes with zigpy's cluster registry.
Home Assistant imports integrations before it sets them up, so in the usual
start-up order ZHA loads its devices with our quirks already in place.
"""

from __future__ import annotations

import logging

from homeassistant.components.zha.helpers import get_zha_gateway
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType
from homeassistant.util.hass_dict import HassKey

from .const import (
    CONF_RELOAD_ZHA_FOR_QUIRKS,
    DEFAULT_RELOAD_ZHA_FOR_QUIRKS,
    DOMAIN,
    ZHA_DOMAIN,
)
from .data import SEGatewayConfigEntry, SEGatewayData
from .gateway.registry import GatewayStore, async_remove_gateway_store
from .key_establishment.runtime import KeyEstablishmentRuntime
from .services import async_setup_services
from .smart_energy.runtime import SmartEnergyRuntime
from .smart_energy.storage import async_remove_store
from .tuya_lock.tracker import LockTracker
from .zha.aps_encryption import async_follow_setting
from .zha.frame_guard import async_guard_frames
from .zha.join_guard import JoinGuard
from .zha.quirks import devices_needing_reload

_LOGGER = logging.getLogger(__name__)

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CALENDAR,
    Platform.EVENT,
    Platform.LOCK,
    Platform.NOTIFY,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
]

# Set once ZHA was reloaded for our quirks, so it happens at most once per start.
ZHA_RELOADED: HassKey[bool] = HassKey(f"{DOMAIN}_zha_reloaded")


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the services."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: SEGatewayConfigEntry) -> bool:
    """Set up se_gateway once ZHA is running."""
    zha_entry = await _async_wait_for_zha(hass)
    app = get_zha_gateway(hass).application_controller
    entry.async_on_unload(async_guard_frames(app))
    entry.async_on_unload(async_follow_setting(entry))
    key_establishment = KeyEstablishmentRuntime(hass, entry, app)
    await key_establishment.async_start()
    entry.async_on_unload(key_establishment.async_stop)
    gateway_store = GatewayStore(hass)
    await gateway_store.async_load()
    smart_energy = SmartEnergyRuntime(
        hass,
        entry,
        zha_entry.entry_id,
        get_zha_gateway(hass),
        gateway_store.report_subscriptions,
        gateway_store,
    )
    await smart_energy.async_start()
    entry.async_on_unload(smart_energy.async_stop)
    locks = LockTracker(
        hass, entry, get_zha_gateway(hass).application_controller, zha_entry.entry_id
    )
    entry.runtime_data = SEGatewayData(
        zha_entry_id=zha_entry.entry_id,
        smart_energy=smart_energy,
        locks=locks,
        gateway_store=gateway_store,
        key_establishment=key_establishment,
    )
    locks.async_start()
    entry.async_on_unload(locks.async_stop)

    guard = JoinGuard(
        hass,
        entry,
        get_zha_gateway(hass).application_controller,
        smart_energy.fire_message,
    )
    guard.async_start()
    entry.async_on_unload(guard.async_stop)

    @callback
    def reload_with_zha() -> None:
        """Bind to ZHA's new objects whenever ZHA loads again."""
        if zha_entry.state in (ConfigEntryState.LOADED, ConfigEntryState.NOT_LOADED):
            hass.config_entries.async_schedule_reload(entry.entry_id)

    entry.async_on_unload(zha_entry.async_on_state_change(reload_with_zha))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)

    if entry.options.get(CONF_RELOAD_ZHA_FOR_QUIRKS, DEFAULT_RELOAD_ZHA_FOR_QUIRKS):
        _async_reload_zha_if_needed(hass, zha_entry)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: SEGatewayConfigEntry) -> bool:
    """Unload a se_gateway config entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: SEGatewayConfigEntry) -> None:
    """Delete the files of a removed entry: the Smart Energy state, the gateway's."""
    await async_remove_store(hass, entry.entry_id)
    await async_remove_gateway_store(hass)


async def _async_wait_for_zha(hass: HomeAssistant) -> ConfigEntry:
    """Return ZHA's loaded config entry, waiting for it during start-up."""
    for zha_entry in hass.config_entries.async_entries(ZHA_DOMAIN):
        if zha_entry.state is ConfigEntryState.LOADED or (
            await hass.config_entries.async_wait_component(zha_entry)
        ):
            return zha_entry
    raise ConfigEntryNotReady(
        translation_domain=DOMAIN, translation_key="zha_not_loaded"
    )


def _async_reload_zha_if_needed(hass: HomeAssistant, zha_entry: ConfigEntry) -> None:
    """Reload ZHA once when devices it loaded still lack our quirks."""
    if hass.data.get(ZHA_RELOADED):
        return
    devices = get_zha_gateway(hass).application_controller.devices.values()
    if stale := devices_needing_reload(devices):
        _LOGGER.info(
            "Reloading ZHA so that %d device(s) get the se_gateway quirks", len(stale)
        )
        hass.data[ZHA_RELOADED] = True
        hass.config_entries.async_schedule_reload(zha_entry.entry_id)
