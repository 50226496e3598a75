"""Adding the Smart Energy entities of each platform: the gateway's, each device's."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..data import SEGatewayConfigEntry
from .calendar_entity import gateway_calendars
from .devices import SmartEnergyDevice
from .drlc_entities import (
    device_drlc_binary_sensors,
    device_drlc_sensors,
    gateway_drlc_binary_sensors,
)
from .message_entities import (
    device_confirm_buttons,
    device_message_events,
    device_message_sensors,
    gateway_message_sensors,
    gateway_notify_entities,
)
from .meter_sensors import device_meter_sensors
from .price_sensors import device_price_sensors, gateway_price_sensors
from .runtime import SIGNAL_NEW_DEVICE, SmartEnergyRuntime

type GatewayEntities = Callable[[SmartEnergyRuntime], Iterable[Entity]]
type DeviceEntities = Callable[
    [SmartEnergyRuntime, SmartEnergyDevice], Iterable[Entity]
]


@callback
def async_setup_smart_energy_entities(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    gateway_entities: GatewayEntities | None = None,
    device_entities: DeviceEntities | None = None,
) -> None:
    """Add the gateway's entities, and each SE device's now and when it joins."""
    runtime = entry.runtime_data.smart_energy
    if gateway_entities is not None:
        async_add_entities(gateway_entities(runtime))
    if device_entities is None:
        return
    make = device_entities

    @callback
    def add(se_device: SmartEnergyDevice) -> None:
        async_add_entities(make(runtime, se_device))

    for se_device in runtime.devices.devices.values():
        add(se_device)
    entry.async_on_unload(
        async_dispatcher_connect(hass, f"{SIGNAL_NEW_DEVICE}_{entry.entry_id}", add)
    )


def _gateway_sensors(runtime: SmartEnergyRuntime) -> list[Entity]:
    return [*gateway_price_sensors(runtime), *gateway_message_sensors(runtime)]


def _device_sensors(
    runtime: SmartEnergyRuntime, se_device: SmartEnergyDevice
) -> list[Entity]:
    return [
        *device_price_sensors(runtime, se_device),
        *device_message_sensors(runtime, se_device),
        *device_drlc_sensors(runtime, se_device),
        *device_meter_sensors(runtime, se_device),
    ]


@callback
def async_setup_sensors(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the price, message, load control status and meter sensors."""
    async_setup_smart_energy_entities(
        hass, entry, async_add_entities, _gateway_sensors, _device_sensors
    )


@callback
def async_setup_binary_sensors(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the "load control event" binary sensors."""
    async_setup_smart_energy_entities(
        hass,
        entry,
        async_add_entities,
        gateway_drlc_binary_sensors,
        device_drlc_binary_sensors,
    )


@callback
def async_setup_events(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the event entities of received messages."""
    async_setup_smart_energy_entities(
        hass, entry, async_add_entities, device_entities=device_message_events
    )


@callback
def async_setup_buttons(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the buttons that confirm received messages."""
    async_setup_smart_energy_entities(
        hass, entry, async_add_entities, device_entities=device_confirm_buttons
    )


@callback
def async_setup_calendars(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the calendar of price and load control events."""
    async_setup_smart_energy_entities(
        hass, entry, async_add_entities, gateway_calendars
    )


@callback
def async_setup_notify(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the notify entity of the in-home displays."""
    async_setup_smart_energy_entities(
        hass, entry, async_add_entities, gateway_notify_entities
    )
