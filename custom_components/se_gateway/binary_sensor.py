"""Door, tamper and duress sensors of Tuya locks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import override

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity

from .data import SEGatewayConfigEntry
from .entity import async_add_device_entities
from .smart_energy.drlc_entities import (
    device_drlc_binary_sensors,
    gateway_drlc_binary_sensors,
)
from .tuya_lock.entity import TuyaLockEntity
from .tuya_lock.runtime import LockState, TuyaLock

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class LockBinarySensorDescription(BinarySensorEntityDescription):
    """A binary sensor read from the lock's state."""

    is_on: Callable[[LockState], bool | None]
    # Takes the last known state after a restart, until the lock reports.
    restore: Callable[[TuyaLock, bool], None] | None = None
    # The product must list this state DP (`LockProduct.states`).
    state_dp: str | None = None


DESCRIPTIONS = (
    LockBinarySensorDescription(
        key="door",
        translation_key="door",
        device_class=BinarySensorDeviceClass.DOOR,
        is_on=lambda state: state.door_open,
        restore=lambda lock, is_on: lock.async_restore(door_open=is_on),
    ),
    LockBinarySensorDescription(
        key="tamper",
        translation_key="tamper",
        device_class=BinarySensorDeviceClass.TAMPER,
        is_on=lambda state: state.tamper,
    ),
    LockBinarySensorDescription(
        key="duress",
        translation_key="duress",
        device_class=BinarySensorDeviceClass.SAFETY,
        is_on=lambda state: state.duress,
    ),
    LockBinarySensorDescription(
        key="lock_motor",
        translation_key="lock_motor",
        is_on=lambda state: _flag(state.states.get("lock_motor_state")),
        state_dp="lock_motor_state",
    ),
)


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _lock_binary_sensors(lock: TuyaLock) -> list[LockBinarySensor]:
    states = lock.cluster.product.states
    return [
        LockBinarySensor(lock, description)
        for description in DESCRIPTIONS
        if description.state_dp is None or description.state_dp in states
    ]


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors of every Tuya lock, and the load control ones."""
    async_add_device_entities(
        hass,
        entry,
        async_add_entities,
        entry.runtime_data.locks,
        _lock_binary_sensors,
    )
    runtime = entry.runtime_data.smart_energy
    async_add_entities(gateway_drlc_binary_sensors(runtime))
    async_add_device_entities(
        hass,
        entry,
        async_add_entities,
        runtime.devices,
        lambda se_device: device_drlc_binary_sensors(runtime, se_device),
    )


class LockBinarySensor(TuyaLockEntity, BinarySensorEntity, RestoreEntity):
    """A binary sensor of a Tuya lock."""

    entity_description: LockBinarySensorDescription

    def __init__(
        self, lock: TuyaLock, description: LockBinarySensorDescription
    ) -> None:
        """Create the sensor."""
        super().__init__(lock, description.key)
        self.entity_description = description

    @override
    async def async_added_to_hass(self) -> None:
        """Restore the last known state, if the description says so."""
        await super().async_added_to_hass()
        restore = self.entity_description.restore
        if (
            restore is not None
            and (last := await self.async_get_last_state()) is not None
            and last.state in (STATE_ON, STATE_OFF)
        ):
            restore(self.tuya_lock, last.state == STATE_ON)

    @property
    @override
    def is_on(self) -> bool | None:
        """Return the state."""
        return self.entity_description.is_on(self.tuya_lock.state)
