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
from typing import Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util
import zigpy.device
from zigpy.exceptions import DeliveryError, ZigbeeException
import zigpy.types as t

from .const import (
    DOMAIN,
    EVENT_LOCK_ALARM,
    EVENT_LOCK_DOORBELL,
    EVENT_LOCK_REMOTE_UNLOCK_REQUEST,
    EVENT_LOCK_REMOTE_UNLOCK_RESULT,
    EVENT_LOCK_UNLOCKED,
    LOCK_ALARM_HOLD_S,
    LOCK_DEFAULT_RELOCK_S,
    LOCK_HEARTBEAT_TIMEOUT_S,
    LOCK_REMOTE_UNLOCK_TIMEOUT_S,
    LOCK_VERSION_QUERY_TIMEOUT_S,
)
from .quirks.tuya_lock import TuyaLockCluster, events
from .quirks.tuya_lock.dp_map import LockAlarm
from .quirks.tuya_lock.settings import LockSetting, SettingValue

_LOGGER = logging.getLogger(__name__)

LOCK_ENDPOINT_ID = 1


def alarm_name(alarm: int) -> str:
    """Return the event type of an alarm value."""
    try:
        return LockAlarm(alarm).name.lower()
    except ValueError:
        return f"alarm_{alarm}"


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


class TuyaLock:
    """A Tuya lock on ZHA: its state, its events and its remote unlock."""

    def __init__(
        self,
        hass: HomeAssistant,
        device: zigpy.device.Device,
        cluster: TuyaLockCluster,
        device_entry: dr.DeviceEntry,
    ) -> None:
        """Wrap the quirked zigpy device, its lock cluster and its ZHA device."""
        self.hass = hass
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
        if self._version_query is not None:
            self._version_query.cancel()
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
            case events.RemoteUnlockResult(success=success):
                self.fire(EVENT_LOCK_REMOTE_UNLOCK_RESULT, success=success)
            case events.VersionReport(version=version):
                self._on_version(version)
            case events.ConfigReport(name=name, value=value):
                self.state.config[name] = value
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

    def error(self, translation_key: str) -> HomeAssistantError:
        """Return a translated error that names the lock."""
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key=translation_key,
            translation_placeholders={"name": self.name},
        )

    def not_reachable(self) -> HomeAssistantError:
        """Return the error of a command the lock did not take."""
        return self.error("lock_not_reachable")

    async def async_remote_unlock(self, code: str | None) -> None:
        """Unlock with the lock's remote unlock password.

        Raises ServiceValidationError without a code, HomeAssistantError when the
        lock refuses or does not answer.
        """
        if not code:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="lock_code_required"
            )
        result = self.hass.loop.create_future()

        @callback
        def on_result(event: events.LockEvent | None) -> None:
            if isinstance(event, events.RemoteUnlockResult) and not result.done():
                result.set_result(event.success)

        remove = self.async_add_listener(on_result)
        try:
            try:
                await self.cluster.remote_unlock(code)
            except ValueError as err:
                raise ServiceValidationError(
                    translation_domain=DOMAIN, translation_key="lock_code_invalid"
                ) from err
            except (ZigbeeException, TimeoutError) as err:
                raise self.not_reachable() from err
            try:
                async with asyncio.timeout(LOCK_REMOTE_UNLOCK_TIMEOUT_S):
                    success = await result
            except TimeoutError as err:
                raise self.error("lock_no_answer") from err
        finally:
            remove()
        if not success:
            raise self.error("lock_refused_code")
        self.state.remote_request_until = None

    async def async_write_setting(
        self, setting: LockSetting, value: SettingValue
    ) -> None:
        """Write a setting; its state follows when the lock reports it."""
        try:
            datapoint = setting.datapoint(value)
        except ValueError as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="lock_setting_invalid",
                translation_placeholders={"setting": setting.key},
            ) from err
        try:
            await self.cluster.send_datapoints(datapoint)
        except (ZigbeeException, TimeoutError) as err:
            raise self.not_reachable() from err

    @callback
    def async_deny_remote_request(self) -> None:
        """Drop a pending remote unlock request; the lock's countdown runs out."""
        if not self.remote_request_pending:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="lock_no_remote_request"
            )
        self.state.remote_request_until = None
        self._notify()
