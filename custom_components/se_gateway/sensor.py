"""The battery and credential sensors of Tuya locks, and the Smart Energy sensors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, override

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity

from .data import SEGatewayConfigEntry
from .entity import async_add_device_entities
from .smart_energy.drlc_entities import device_drlc_sensors
from .smart_energy.message_entities import (
    device_message_sensors,
    gateway_message_sensors,
)
from .smart_energy.meter_sensors import device_meter_sensors
from .smart_energy.price_sensors import device_price_sensors, gateway_price_sensors
from .tuya_lock.entity import TuyaLockEntity
from .tuya_lock.runtime import TuyaLock

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class LockCredentialSensorDescription(SensorEntityDescription):
    """The credentials of one type enrolled on a lock (DPs 58-60, 93)."""

    credential_type: str


CREDENTIAL_SENSORS = (
    LockCredentialSensorDescription(
        key="fingerprints",
        translation_key="fingerprints",
        credential_type="fingerprint",
    ),
    LockCredentialSensorDescription(
        key="passwords", translation_key="passwords", credential_type="password"
    ),
    LockCredentialSensorDescription(
        key="cards", translation_key="cards", credential_type="card"
    ),
    LockCredentialSensorDescription(
        key="faces",
        translation_key="faces",
        credential_type="face",
        entity_registry_enabled_default=False,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the battery sensor of every Tuya lock, and the Smart Energy sensors."""
    async_add_device_entities(
        hass,
        entry,
        async_add_entities,
        entry.runtime_data.locks,
        lambda lock: [
            LockBatterySensor(lock),
            *(LockCredentialSensor(lock, d) for d in CREDENTIAL_SENSORS),
        ],
    )
    runtime = entry.runtime_data.smart_energy
    async_add_entities(
        [*gateway_price_sensors(runtime), *gateway_message_sensors(runtime)]
    )
    async_add_device_entities(
        hass,
        entry,
        async_add_entities,
        runtime.devices,
        lambda se_device: [
            *device_price_sensors(runtime, se_device),
            *device_message_sensors(runtime, se_device),
            *device_drlc_sensors(runtime, se_device),
            *device_meter_sensors(runtime, se_device),
        ],
    )


class LockBatterySensor(TuyaLockEntity, RestoreSensor):
    """Battery level; the last value survives a restart."""

    _attr_device_class = SensorDeviceClass.BATTERY
    _attr_native_unit_of_measurement = PERCENTAGE
    _attr_state_class = SensorStateClass.MEASUREMENT
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(self, lock: TuyaLock) -> None:
        """Create the sensor."""
        super().__init__(lock, "battery")

    @override
    async def async_added_to_hass(self) -> None:
        """Restore the last battery level until the lock reports again."""
        await super().async_added_to_hass()
        if self.tuya_lock.state.battery is None and (
            last := await self.async_get_last_sensor_data()
        ):
            value = last.native_value
            if isinstance(value, int | float):
                self.tuya_lock.state.battery = int(value)

    @property
    @override
    def native_value(self) -> int | None:
        """Return the battery level."""
        return self.tuya_lock.state.battery


class LockCredentialSensor(TuyaLockEntity, SensorEntity, RestoreEntity):
    """How many credentials of a type the lock holds; their ids as an attribute."""

    entity_description: LockCredentialSensorDescription
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_state_class = SensorStateClass.MEASUREMENT

    def __init__(
        self, lock: TuyaLock, description: LockCredentialSensorDescription
    ) -> None:
        """Create the sensor."""
        super().__init__(lock, description.key)
        self.entity_description = description

    @override
    async def async_added_to_hass(self) -> None:
        """Show the last known ids after a restart, until the lock lists them."""
        await super().async_added_to_hass()
        last = await self.async_get_last_state()
        ids = last.attributes.get("ids") if last is not None else None
        if isinstance(ids, list) and all(isinstance(i, int) for i in ids):
            self.tuya_lock.async_restore_credential_ids(
                self.entity_description.credential_type, frozenset(ids)
            )

    @property
    def _ids(self) -> frozenset[int] | None:
        return self.tuya_lock.state.credential_ids.get(
            self.entity_description.credential_type
        )

    @property
    @override
    def native_value(self) -> int | None:
        """Return the number of credentials the lock last listed."""
        ids = self._ids
        return None if ids is None else len(ids)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any]:
        """Return the credential ids (ids only: no secrets)."""
        ids = self._ids
        return {"ids": None if ids is None else sorted(ids)}
