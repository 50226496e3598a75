"""Device triggers of Tuya locks: "unlocked by fingerprint, user 3" and friends."""

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

CONF_SUBTYPE = "subtype"
CONF_USER_ID = "user_id"

# type -> (bus event, event data key of the subtype, subtypes)
TRIGGERS: dict[str, tuple[str, str | None, list[str]]] = {
    "unlocked": (EVENT_LOCK_UNLOCKED, "method", UNLOCK_TYPES),
    "alarm": (EVENT_LOCK_ALARM, "alarm", ALARM_TYPES),
    "doorbell": (EVENT_LOCK_DOORBELL, None, []),
    "remote_unlock_request": (EVENT_LOCK_REMOTE_UNLOCK_REQUEST, None, []),
}

TRIGGER_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {
        probatio.Required(CONF_TYPE): probatio.In(list(TRIGGERS)),
        probatio.Optional(CONF_SUBTYPE): cv.string,
        probatio.Optional(CONF_USER_ID): probatio.All(
            probatio.Coerce(int), probatio.Range(min=0, max=999)
        ),
    }
)


def _is_our_lock(hass: HomeAssistant, device_id: str) -> bool:
    """Return True if the device is a Tuya lock that se_gateway manages."""
    return any(
        lock.device_entry.id == device_id
        for entry in hass.config_entries.async_loaded_entries(DOMAIN)
        for lock in entry.runtime_data.locks.values()
    )


async def async_get_triggers(
    hass: HomeAssistant, device_id: str
) -> list[dict[str, Any]]:
    """List the triggers of a Tuya lock."""
    if not _is_our_lock(hass, device_id):
        return []
    base = {CONF_PLATFORM: "device", CONF_DOMAIN: DOMAIN, CONF_DEVICE_ID: device_id}
    triggers: list[dict[str, Any]] = []
    for trigger_type, (_event, _key, subtypes) in TRIGGERS.items():
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
            {
                probatio.Optional(CONF_USER_ID): probatio.All(
                    probatio.Coerce(int), probatio.Range(min=0, max=999)
                )
            }
        )
    }


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Fire on the lock's bus event."""
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
