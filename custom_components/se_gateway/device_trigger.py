"""Device triggers of Tuya locks and Smart Energy devices.

Locks: "unlocked by fingerprint, user 3" and friends. Smart Energy devices:
one per bus event of a device (``bus_events.DEVICE_EVENT_NAMES``), such as
"received price event" or a received attribute report.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.device_automation import DEVICE_TRIGGER_BASE_SCHEMA
from homeassistant.components.homeassistant.triggers import event as event_trigger
from homeassistant.const import (
    CONF_DEVICE_ID,
    CONF_DOMAIN,
    CONF_EVENT_DATA,
    CONF_PLATFORM,
    CONF_TYPE,
)
from homeassistant.core import CALLBACK_TYPE, HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
from homeassistant.helpers.typing import ConfigType
import probatio

from .const import (
    DOMAIN,
    EVENT_LOCK_ALARM,
    EVENT_LOCK_DOORBELL,
    EVENT_LOCK_REMOTE_UNLOCK_REQUEST,
    EVENT_LOCK_UNLOCKED,
)
from .event import ALARM_TYPES, UNLOCK_TYPES
from .smart_energy.bus_events import DEVICE_EVENT_NAMES

CONF_SUBTYPE = "subtype"
CONF_USER_ID = "user_id"
USER_ID_SCHEMA = probatio.All(probatio.Coerce(int), probatio.Range(min=0, max=999))

type TriggerTable = dict[str, tuple[str, str | None, list[str]]]

# type -> (bus event, event data key of the subtype, subtypes)
LOCK_TRIGGERS: TriggerTable = {
    "unlocked": (EVENT_LOCK_UNLOCKED, "method", UNLOCK_TYPES),
    "alarm": (EVENT_LOCK_ALARM, "alarm", ALARM_TYPES),
    "doorbell": (EVENT_LOCK_DOORBELL, None, []),
    "remote_unlock_request": (EVENT_LOCK_REMOTE_UNLOCK_REQUEST, None, []),
}
# The type is the manual's message name, the bus event se_gateway_<name>.
SMART_ENERGY_TRIGGERS: TriggerTable = {
    name: (f"{DOMAIN}_{name}", None, []) for name in DEVICE_EVENT_NAMES
}
TRIGGERS: TriggerTable = {**LOCK_TRIGGERS, **SMART_ENERGY_TRIGGERS}

TRIGGER_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {
        probatio.Required(CONF_TYPE): probatio.In(list(TRIGGERS)),
        probatio.Optional(CONF_SUBTYPE): cv.string,
        probatio.Optional(CONF_USER_ID): USER_ID_SCHEMA,
    }
)


def _is_our_lock(hass: HomeAssistant, device_id: str) -> bool:
    """Return True if the device is a Tuya lock that se_gateway manages."""
    return any(
        lock.device_entry.id == device_id
        for entry in hass.config_entries.async_loaded_entries(DOMAIN)
        for lock in entry.runtime_data.locks.devices.values()
    )


def _is_smart_energy_device(hass: HomeAssistant, device_id: str) -> bool:
    """Return True if the device has Smart Energy clusters."""
    return any(
        se_device.device_entry.id == device_id
        for entry in hass.config_entries.async_loaded_entries(DOMAIN)
        for se_device in entry.runtime_data.smart_energy.devices.devices.values()
    )


async def async_get_triggers(
    hass: HomeAssistant, device_id: str
) -> list[dict[str, Any]]:
    """List the triggers of a Tuya lock or a Smart Energy device."""
    table: TriggerTable = {}
    if _is_our_lock(hass, device_id):
        table |= LOCK_TRIGGERS
    if _is_smart_energy_device(hass, device_id):
        table |= SMART_ENERGY_TRIGGERS
    base = {CONF_PLATFORM: "device", CONF_DOMAIN: DOMAIN, CONF_DEVICE_ID: device_id}
    triggers: list[dict[str, Any]] = []
    for trigger_type, (_event, _key, subtypes) in table.items():
        if not subtypes:
            triggers.append({**base, CONF_TYPE: trigger_type})
        triggers.extend(
            {**base, CONF_TYPE: trigger_type, CONF_SUBTYPE: subtype}
            for subtype in subtypes
        )
    return triggers


async def async_get_trigger_capabilities(
    hass: HomeAssistant, config: ConfigType
) -> dict[str, probatio.Schema]:
    """Let "unlocked" triggers name a user."""
    if config[CONF_TYPE] != "unlocked":
        return {}
    return {
        "extra_fields": probatio.Schema(
            {probatio.Optional(CONF_USER_ID): USER_ID_SCHEMA}
        )
    }


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Fire on the device's bus event."""
    event_type, subtype_key, _subtypes = TRIGGERS[config[CONF_TYPE]]
    event_data: dict[str, Any] = {CONF_DEVICE_ID: config[CONF_DEVICE_ID]}
    if subtype_key and CONF_SUBTYPE in config:
        event_data[subtype_key] = config[CONF_SUBTYPE]
    if CONF_USER_ID in config:
        event_data[CONF_USER_ID] = config[CONF_USER_ID]
    event_config = event_trigger.TRIGGER_SCHEMA(
        {
            CONF_PLATFORM: "event",
            event_trigger.CONF_EVENT_TYPE: event_type,
            CONF_EVENT_DATA: event_data,
        }
    )
    return await event_trigger.async_attach_trigger(
        hass, event_config, action, trigger_info, platform_type="device"
    )
