"""Triggers of the automation editor: se_gateway's bus events, by device.

The same events as the device triggers (``device_trigger.TRIGGERS``), written
``trigger: se_gateway.<type>`` with a ``target`` (devices, or entities,
areas and labels that lead to devices) and ``options``: the unlock methods and
user of ``unlocked``, the alarms of ``alarm``. The automation gets the bus
event as ``trigger.event``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast, override

from homeassistant.const import CONF_DEVICE_ID, CONF_OPTIONS, CONF_TARGET
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, entity_registry as er
from homeassistant.helpers.target import (
    TargetSelection,
    async_extract_referenced_entity_ids,
)
from homeassistant.helpers.trigger import (
    Trigger,
    TriggerActionRunner,
    TriggerConfig,
    TriggerNotTriggeredReporter,
)
from homeassistant.helpers.typing import ConfigType
import probatio

from .device_trigger import CONF_USER_ID, TRIGGERS, USER_ID_SCHEMA

# The one trigger whose events name a user.
USER_ID_TRIGGER = "unlocked"


def options_schema(trigger_type: str) -> dict[probatio.Marker, Any]:
    """Return the options of a trigger: its subtypes, and the user of unlocks."""
    _event_type, subtype_key, subtypes = TRIGGERS[trigger_type]
    options: dict[probatio.Marker, Any] = {}
    if subtype_key:
        options[probatio.Optional(subtype_key)] = probatio.All(
            cv.ensure_list, [probatio.In(subtypes)]
        )
    if trigger_type == USER_ID_TRIGGER:
        options[probatio.Optional(CONF_USER_ID)] = USER_ID_SCHEMA
    return options


def targeted_devices(hass: HomeAssistant, target: ConfigType) -> set[str]:
    """Return the ids of the devices a target names, directly or via entities."""
    selected = async_extract_referenced_entity_ids(
        hass, TargetSelection(target), expand_group=False
    )
    entities = er.async_get(hass)
    devices = set(selected.referenced_devices)
    for entity_id in selected.referenced | selected.indirectly_referenced:
        if (entry := entities.async_get(entity_id)) and entry.device_id:
            devices.add(entry.device_id)
    return devices


class DeviceEventTrigger(Trigger):
    """Fire on a se_gateway bus event of one of the targeted devices."""

    trigger_type: str

    @override
    @classmethod
    async def async_validate_config(
        cls, hass: HomeAssistant, config: ConfigType
    ) -> ConfigType:
        """Validate the target and the options."""
        schema = probatio.Schema(
            {
                probatio.Required(CONF_TARGET): cv.TARGET_FIELDS,
                probatio.Optional(CONF_OPTIONS, default=dict): options_schema(
                    cls.trigger_type
                ),
            }
        )
        return cast(ConfigType, schema(config))

    def __init__(self, hass: HomeAssistant, config: TriggerConfig) -> None:
        """Keep the target and the options."""
        super().__init__(hass, config)
        assert config.target is not None
        self._target = config.target
        self._options = config.options or {}

    def _matches(self, data: Mapping[str, Any]) -> bool:
        """Return True if the event's subtype and user are among the options."""
        _event_type, subtype_key, _subtypes = TRIGGERS[self.trigger_type]
        if subtype_key in self._options and (
            data.get(subtype_key) not in self._options[subtype_key]
        ):
            return False
        return CONF_USER_ID not in self._options or (
            data.get(CONF_USER_ID) == self._options[CONF_USER_ID]
        )

    @override
    async def async_attach_runner(
        self,
        run_action: TriggerActionRunner,
        did_not_trigger: TriggerNotTriggeredReporter | None = None,
    ) -> CALLBACK_TYPE:
        """Listen to the bus event of the trigger."""
        event_type = TRIGGERS[self.trigger_type][0]

        @callback
        def async_event_received(event: Event) -> None:
            """Run the action for an event of a targeted device."""
            device_id = event.data.get(CONF_DEVICE_ID)
            if device_id not in targeted_devices(self._hass, self._target):
                return
            if not self._matches(event.data):
                return
            run_action(
                {"event": event, CONF_DEVICE_ID: device_id},
                f"event '{event.event_type}'",
                event.context,
            )

        return self._hass.bus.async_listen(event_type, async_event_received)


def _trigger_class(trigger_type: str) -> type[Trigger]:
    """Return the trigger class of one device trigger type."""

    class _DeviceEventTrigger(DeviceEventTrigger):
        pass

    _DeviceEventTrigger.trigger_type = trigger_type
    return _DeviceEventTrigger


TRIGGER_CLASSES: dict[str, type[Trigger]] = {
    trigger_type: _trigger_class(trigger_type) for trigger_type in TRIGGERS
}


async def async_get_triggers(hass: HomeAssistant) -> dict[str, type[Trigger]]:
    """Return the triggers of se_gateway."""
    return TRIGGER_CLASSES
