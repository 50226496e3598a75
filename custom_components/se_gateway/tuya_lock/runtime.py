"""One Tuya Zigbee door lock, as Home Assistant sees it.

Adapts the lock cluster's typed events (``quirks.tuya_lock``) to Home Assistant:
keeps the lock's state for the entities, fires bus events and tracks the
heartbeat that keeps the lock available.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import logging
from typing import Any, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util
import zigpy.device
from zigpy.exceptions import DeliveryError, ZigbeeException
import zigpy.types as t

from ..const import (
    DOMAIN,
    EVENT_LOCK_ALARM,
    EVENT_LOCK_DOORBELL,
    EVENT_LOCK_ENROLMENT,
    EVENT_LOCK_REMOTE_UNLOCK_REQUEST,
    EVENT_LOCK_UNLOCKED,
    LOCK_ALARM_HOLD_S,
    LOCK_DEFAULT_RELOCK_S,
    LOCK_HEARTBEAT_TIMEOUT_S,
    LOCK_REMOTE_UNLOCK_TIMEOUT_S,
    LOCK_VERSION_QUERY_TIMEOUT_S,
)
from ..core.tuya_lock import TuyaLockCluster, events
from ..core.tuya_lock.datapoints import Datapoint
from ..core.tuya_lock.dp_map import LockAlarm
from ..core.tuya_lock.enrolment import CredentialType, EnrolmentReport, Stage
from ..core.tuya_lock.remote_unlock import RemoteUnlockMethod
from ..core.tuya_lock.settings import LockSetting, SettingValue
from ..errors import device_error, user_error
from .names import alarm_name, credential_type_name, stage_name
from .remote_unlock import RemoteUnlocker
from .store import LockSecrets

_LOGGER = logging.getLogger(__name__)

LOCK_ENDPOINT_ID = 1
# The lock's lists of enrolled credentials (DPs 58-60, 93), by credential type.
ID_LISTS: Final = {
    "fingerprint_ids": CredentialType.FINGERPRINT,
    "password_ids": CredentialType.PASSWORD,
    "card_ids": CredentialType.CARD,
    "face_ids": CredentialType.FACE,
}


def find_lock_cluster(device: zigpy.device.Device) -> TuyaLockCluster | None:
    """Return the device's Tuya lock cluster, if it has our quirk."""
    endpoint = device.endpoints.get(LOCK_ENDPOINT_ID)
    if endpoint is None or not hasattr(endpoint, "in_clusters"):
        return None
    cluster = endpoint.in_clusters.get(TuyaLockCluster.cluster_id)
    return cluster if isinstance(cluster, TuyaLockCluster) else None


@dataclass
class LockState:
    """What the entities show."""

    locked: bool = True
    door_open: bool | None = None
    battery: int | None = None
    last_unlock: events.UnlockEvent | None = None
    tamper: bool = False
    duress: bool = False
    remote_request_until: datetime | None = None
    last_heard: datetime | None = None
    mcu_version: str | None = None
    config: dict[str, Any] = field(default_factory=dict)
    states: dict[str, Any] = field(default_factory=dict)
    credential_ids: dict[str, frozenset[int]] = field(default_factory=dict)
    enrolment: EnrolmentReport | None = None


class TuyaLock:
    """A Tuya lock on ZHA: its state, its events and its remote unlock."""

    def __init__(
        self,
        hass: HomeAssistant,
        device: zigpy.device.Device,
        cluster: TuyaLockCluster,
        device_entry: dr.DeviceEntry,
        lock_secrets: LockSecrets,
    ) -> None:
        """Wrap the quirked zigpy device, its lock cluster and its ZHA device."""
        self.hass = hass
        self.secrets = lock_secrets
        self.device_entry = device_entry
        self.device = device
        self.cluster = cluster
        self.ieee: t.EUI64 = device.ieee
        self.state = LockState()
        self._listeners: list[Callable[[events.LockEvent | None], None]] = []
        self._unsubscribe: list[CALLBACK_TYPE] = []
        self._timers: dict[str, CALLBACK_TYPE] = {}
        self._available = True
        self._version_query: asyncio.Task[None] | None = None
        self._data_query: asyncio.Task[None] | None = None
        # One command at a time: each waits for its own answer.
        self._command_lock = asyncio.Lock()
        self._remote_unlock = RemoteUnlocker(self, self._command_lock)

    @property
    def name(self) -> str:
        """Return a name for logs."""
        return f"{self.device.manufacturer} {self.device.model} ({self.ieee})"

    @property
    def available(self) -> bool:
        """Return True while the lock's heartbeat arrives."""
        return self._available

    @property
    def remote_request_pending(self) -> bool:
        """Return True while a remote unlock request can be answered."""
        until = self.state.remote_request_until
        return until is not None and dt_util.utcnow() < until

    @callback
    def async_start(self) -> None:
        """Subscribe to the lock cluster's events and ask for its MCU version."""
        self._unsubscribe.append(self.cluster.on_all_events(self._on_event))
        self.state.last_heard = dt_util.utcnow()
        self._schedule("heartbeat", LOCK_HEARTBEAT_TIMEOUT_S, self._heartbeat_missed)
        self._version_query = self.hass.async_create_background_task(
            self._async_query_version(), f"{DOMAIN} MCU version of {self.ieee}"
        )
        if self.cluster.product.data_query:
            self._data_query = self.hass.async_create_background_task(
                self._async_query_datapoints(), f"{DOMAIN} DP query of {self.ieee}"
            )

    async def _async_query_datapoints(self) -> None:
        """Ask for every DP (door, battery, settings) on join and after a restart."""
        try:
            await self.cluster.query_datapoints()
        except (ZigbeeException, TimeoutError) as err:
            _LOGGER.debug("%s did not take the DP query: %s", self.name, err)

    async def _async_query_version(self) -> None:
        """Ask for the MCU version; a sleeping lock answers when it wakes."""
        try:
            async with asyncio.timeout(LOCK_VERSION_QUERY_TIMEOUT_S):
                await self.cluster.query_mcu_version()
        except (TimeoutError, DeliveryError) as err:
            _LOGGER.debug("%s did not report its MCU version: %s", self.name, err)

    @callback
    def async_stop(self) -> None:
        """Unsubscribe and cancel every timer and task."""
        for task in (self._version_query, self._data_query):
            if task is not None:
                task.cancel()
        for unsubscribe in (*self._unsubscribe, *self._timers.values()):
            unsubscribe()
        self._unsubscribe.clear()
        self._timers.clear()

    @callback
    def async_add_listener(
        self, listener: Callable[[events.LockEvent | None], None]
    ) -> CALLBACK_TYPE:
        """Call ``listener`` on every event (None when only state changed)."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    # Events --------------------------------------------------------------------

    @callback
    def _on_event(self, event: events.LockEvent) -> None:
        self.state.last_heard = dt_util.utcnow()
        if not self._available:
            _LOGGER.info("%s is heard from again; it is available", self.name)
            self._available = True
        self._schedule("heartbeat", LOCK_HEARTBEAT_TIMEOUT_S, self._heartbeat_missed)
        match event:
            case events.UnlockEvent():
                self._on_unlock(event)
            case events.DoorStateChanged(is_open=is_open):
                self.state.door_open = is_open
                if not is_open:
                    self.state.locked = True
            case events.AlarmEvent(alarm=alarm):
                self.fire(
                    EVENT_LOCK_ALARM, alarm=alarm_name(alarm), time=event.timestamp
                )
                if alarm == LockAlarm.PRY:
                    self.state.tamper = True
                    self._schedule("tamper", LOCK_ALARM_HOLD_S, self._clear("tamper"))
            case events.DuressAlarm():
                self.state.duress = True
                self.fire(EVENT_LOCK_ALARM, alarm="duress", time=event.timestamp)
                self._schedule("duress", LOCK_ALARM_HOLD_S, self._clear("duress"))
            case events.BatteryLevel(percent=percent):
                self.state.battery = percent
            case events.DoorbellPressed():
                self.fire(EVENT_LOCK_DOORBELL, time=event.timestamp)
            case events.RemoteUnlockRequest(countdown_s=countdown):
                self.state.remote_request_until = dt_util.utcnow() + timedelta(
                    seconds=countdown
                )
                self.fire(EVENT_LOCK_REMOTE_UNLOCK_REQUEST, countdown=countdown)
            case events.RemoteUnlockResult():
                if not self._remote_unlock.on_result(event):
                    return
            case events.VersionReport(version=version):
                self._on_version(version)
            case events.ConfigReport(name=name, value=value):
                self.state.config[name] = value
            case events.StateReport(name=name, value=value):
                self.state.states[name] = value
            case events.CredentialReport():
                self._on_credential(event)
        for listener in list(self._listeners):
            listener(event)

    def _on_unlock(self, event: events.UnlockEvent) -> None:
        self.state.last_unlock = event
        self.state.locked = False
        relock = self.state.config.get("auto_lock_time") or LOCK_DEFAULT_RELOCK_S
        self._schedule("relock", float(relock), self._relock)
        self.fire(
            EVENT_LOCK_UNLOCKED,
            method=str(event.method),
            user_id=event.user_id,
            time=event.timestamp,
        )

    def _on_credential(self, event: events.CredentialReport) -> None:
        value = event.value
        if event.name in ID_LISTS and isinstance(value, frozenset):
            self.state.credential_ids[credential_type_name(ID_LISTS[event.name])] = (
                value
            )
        elif isinstance(value, EnrolmentReport):
            self.state.enrolment = value
            credential = value.credential
            self.fire(
                EVENT_LOCK_ENROLMENT,
                stage=stage_name(value.stage),
                credential_type=credential_type_name(credential.type),
                member_id=credential.member_id,
                credential_id=(
                    credential.hardware_id if value.stage == Stage.DONE else None
                ),
            )

    @callback
    def async_restore(
        self, *, locked: bool | None = None, door_open: bool | None = None
    ) -> None:
        """Take the last known state of an entity, until the lock reports."""
        if door_open is not None and self.state.door_open is None:
            self.state.door_open = door_open
        if locked is False and self.state.last_unlock is None:
            self.state.locked = False
            self._schedule("relock", LOCK_DEFAULT_RELOCK_S, self._relock)

    @callback
    def async_restore_config(self, key: str, value: int) -> None:
        """Take a setting's last known value, until the lock reports it."""
        self.state.config.setdefault(key, value)

    @callback
    def async_restore_credential_ids(
        self, credential_type: str, ids: frozenset[int]
    ) -> None:
        """Take a credential list's last known ids, until the lock reports it."""
        self.state.credential_ids.setdefault(credential_type, ids)

    def _on_version(self, version: str) -> None:
        self.state.mcu_version = version
        registry = dr.async_get(self.hass)
        device = registry.async_get(self.device_entry.id)
        if isinstance(device, dr.DeviceEntry) and device.sw_version != version:
            registry.async_update_device(device.id, sw_version=version)

    def fire(self, event_type: str, **data: Any) -> None:
        """Fire a bus event about this lock; times become ISO strings."""
        payload = {"device_id": self.device_entry.id, "ieee": str(self.ieee)}
        payload |= {
            key: value.isoformat() if isinstance(value, datetime) else value
            for key, value in data.items()
        }
        self.hass.bus.async_fire(event_type, payload)

    # Timers ----------------------------------------------------------------------

    def _schedule(self, name: str, delay: float, action: Callable[[], None]) -> None:
        if cancel := self._timers.pop(name, None):
            cancel()

        @callback
        def run(_now: datetime) -> None:
            self._timers.pop(name, None)
            action()
            self._notify()

        self._timers[name] = async_call_later(self.hass, delay, run)

    def _clear(self, flag: str) -> Callable[[], None]:
        def clear() -> None:
            setattr(self.state, flag, False)

        return clear

    def _relock(self) -> None:
        # A lock does not throw its bolt into an open door; closing it relocks.
        if not self.state.door_open:
            self.state.locked = True

    def _heartbeat_missed(self) -> None:
        _LOGGER.info("%s missed its heartbeat; it is unavailable", self.name)
        self._available = False

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener(None)

    # Commands --------------------------------------------------------------------

    @property
    def remote_unlock_method(self) -> RemoteUnlockMethod:
        """Return how the lock's product unlocks remotely."""
        return self.cluster.product.remote_unlock

    async def async_request[T](
        self, datapoint: Datapoint, answer: Callable[[events.LockEvent], T | None]
    ) -> T:
        """Send one DP and return the lock's answer (what ``answer`` picks out).

        Raises HomeAssistantError when the lock is unreachable or does not
        answer in time.
        """
        async with self._command_lock:
            result: asyncio.Future[T] = self.hass.loop.create_future()

            @callback
            def on_event(event: events.LockEvent | None) -> None:
                if event is not None and not result.done():
                    picked = answer(event)
                    if picked is not None:
                        result.set_result(picked)

            remove = self.async_add_listener(on_event)
            try:
                try:
                    await self.cluster.send_datapoints(datapoint)
                except (ZigbeeException, TimeoutError) as err:
                    raise device_error("lock_not_reachable", name=self.name) from err
                try:
                    async with asyncio.timeout(LOCK_REMOTE_UNLOCK_TIMEOUT_S):
                        return await result
                except TimeoutError as err:
                    raise device_error("lock_no_answer", name=self.name) from err
            finally:
                remove()

    async def async_unlock_request(
        self, datapoint: Datapoint, key_id: int | None = None
    ) -> bool:
        """Send one remote unlock DP and return the result that answers it."""
        return await self._remote_unlock.async_request(datapoint, key_id)

    async def async_remote_unlock(self, code: str | None, configured_code: str) -> None:
        """Unlock remotely, the way the lock's product does (see `RemoteUnlocker`)."""
        await self._remote_unlock.async_unlock(code, configured_code)

    async def async_write_setting(
        self, setting: LockSetting, value: SettingValue
    ) -> None:
        """Write a setting; its state follows when the lock reports it."""
        try:
            datapoint = setting.datapoint(value)
        except ValueError as err:
            raise user_error("lock_setting_invalid", setting=setting.key) from err
        try:
            await self.cluster.send_datapoints(datapoint)
        except (ZigbeeException, TimeoutError) as err:
            raise device_error("lock_not_reachable", name=self.name) from err

    @callback
    def async_deny_remote_request(self) -> None:
        """Drop a pending remote unlock request; the lock's countdown runs out."""
        if not self.remote_request_pending:
            raise user_error("lock_no_remote_request")
        self.state.remote_request_until = None
        self._notify()
