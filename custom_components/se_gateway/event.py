"""Event entities of Tuya locks: unlocks, alarms, the doorbell and remote requests."""

from __future__ import annotations

from typing import Any, override

from homeassistant.components.event import EventDeviceClass, EventEntity
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .core.tuya_lock import events
from .core.tuya_lock.dp_map import LockAlarm, UnlockMethod
from .core.tuya_lock.enrolment import EnrolmentReport, Stage
from .data import SEGatewayConfigEntry
from .entity import async_add_device_entities
from .smart_energy.message_entities import device_message_events
from .tuya_lock.entity import TuyaLockEntity
from .tuya_lock.names import (
    STAGE_NAMES,
    alarm_name,
    credential_type_name,
    stage_name,
)
from .tuya_lock.runtime import TuyaLock

PARALLEL_UPDATES = 0

UNLOCK_TYPES = [str(method) for method in UnlockMethod]
ALARM_TYPES = [alarm_name(alarm) for alarm in LockAlarm] + ["duress"]
ENROLMENT_TYPES = list(STAGE_NAMES.values())


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SEGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the event entities of every Tuya lock, and of Messaging servers."""
    async_add_device_entities(
        hass,
        entry,
        async_add_entities,
        entry.runtime_data.locks,
        lambda lock: [
            UnlockEventEntity(lock),
            AlarmEventEntity(lock),
            DoorbellEventEntity(lock),
            RemoteUnlockRequestEventEntity(lock),
            EnrolmentEventEntity(lock),
        ],
    )
    runtime = entry.runtime_data.smart_energy
    async_add_device_entities(
        hass,
        entry,
        async_add_entities,
        runtime.devices,
        lambda se_device: device_message_events(runtime, se_device),
    )


class LockEventEntity(TuyaLockEntity, EventEntity):
    """An event entity fed by the lock's events."""

    @callback
    @override
    def _handle_lock_event(self, event: events.LockEvent | None) -> None:
        if event is None:
            self.async_write_ha_state()
            return
        if fired := self.event_for(event):
            event_type, attributes = fired
            self._trigger_event(event_type, attributes)
            self.async_write_ha_state()

    def event_for(self, event: events.LockEvent) -> tuple[str, dict[str, Any]] | None:
        """Return the event type and attributes for a lock event, if it is ours."""
        raise NotImplementedError


class UnlockEventEntity(LockEventEntity):
    """Unlocks: the event type is the method; attributes carry user and time."""

    _attr_event_types = UNLOCK_TYPES

    def __init__(self, lock: TuyaLock) -> None:
        """Create the entity."""
        super().__init__(lock, "unlock")

    @override
    def event_for(self, event: events.LockEvent) -> tuple[str, dict[str, Any]] | None:
        """Return the unlock method, user id and record time."""
        if not isinstance(event, events.UnlockEvent):
            return None
        return str(event.method), {
            "user_id": event.user_id,
            "time": event.timestamp.isoformat(),
        }


class AlarmEventEntity(LockEventEntity):
    """Alarms: wrong finger, password or card, prying, low battery, duress."""

    _attr_event_types = ALARM_TYPES

    def __init__(self, lock: TuyaLock) -> None:
        """Create the entity."""
        super().__init__(lock, "alarm")

    @override
    def event_for(self, event: events.LockEvent) -> tuple[str, dict[str, Any]] | None:
        """Return the alarm name and its time."""
        if isinstance(event, events.AlarmEvent):
            name = alarm_name(event.alarm)
            if name not in self._attr_event_types:
                return None
            return name, {"time": event.timestamp.isoformat()}
        if isinstance(event, events.DuressAlarm):
            return "duress", {"time": event.timestamp.isoformat()}
        return None


class DoorbellEventEntity(LockEventEntity):
    """Doorbell presses."""

    _attr_device_class = EventDeviceClass.DOORBELL
    _attr_event_types = ["ring"]

    def __init__(self, lock: TuyaLock) -> None:
        """Create the entity."""
        super().__init__(lock, "doorbell")

    @override
    def event_for(self, event: events.LockEvent) -> tuple[str, dict[str, Any]] | None:
        """Return a ring."""
        if not isinstance(event, events.DoorbellPressed):
            return None
        return "ring", {"time": event.timestamp.isoformat()}


class RemoteUnlockRequestEventEntity(LockEventEntity):
    """Someone at the door asks to be let in: answer within the countdown."""

    _attr_event_types = ["request"]

    def __init__(self, lock: TuyaLock) -> None:
        """Create the entity."""
        super().__init__(lock, "remote_unlock_request")

    @override
    def event_for(self, event: events.LockEvent) -> tuple[str, dict[str, Any]] | None:
        """Return a request with its countdown."""
        if not isinstance(event, events.RemoteUnlockRequest):
            return None
        return "request", {"countdown": event.countdown_s}


class EnrolmentEventEntity(LockEventEntity):
    """Stages of enrolling a credential at the lock, up to done with its id."""

    _attr_event_types = ENROLMENT_TYPES

    def __init__(self, lock: TuyaLock) -> None:
        """Create the entity."""
        super().__init__(lock, "enrolment")

    @override
    def event_for(self, event: events.LockEvent) -> tuple[str, dict[str, Any]] | None:
        """Return the stage, the credential type, member and (when done) its id."""
        if not isinstance(event, events.CredentialReport) or not isinstance(
            event.value, EnrolmentReport
        ):
            return None
        report = event.value
        name = stage_name(report.stage)
        if name not in self._attr_event_types:
            return None
        credential = report.credential
        return name, {
            "credential_type": credential_type_name(credential.type),
            "member_id": credential.member_id,
            "credential_id": (
                credential.hardware_id if report.stage == Stage.DONE else None
            ),
        }
