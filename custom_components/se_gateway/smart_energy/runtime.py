"""The Smart Energy gateway of one config entry, on ZHA's zigpy application.

``SmartEnergyRuntime`` owns the ``GatewayEngine`` and everything Home Assistant
adds to it:

- start: restore the saved state, attach the engine to ZHA's application,
  send the active events to every available client again;
- every change the engine makes (its ``on_change``, once per request, through
  any caller) or reports (its notifications): a debounced save, a new snapshot
  for the entities on the next loop iteration, and for notifications a bus
  event (``bus_events``);
- every fan-out's result (its ``on_sent``): the failed transmissions counted;
- devices that rejoin or come back after a silence (``activity``) get the
  active events again; the engine itself serves newly interviewed devices;
- reporting the gateway configured is sent again when its reports stop
  (``gateway.reporting_watch``, fed by the attribute report path), to devices
  not inactive after failed transmissions; its failures count as a fan-out's;
- stop: detach and save at once, so an unload loses nothing.

The engine's availability check is ZHA's: a device ZHA marks unavailable gets
no events until it is heard from again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
import logging
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util
from zigpy.device import Device
import zigpy.types as t

from ..const import DOMAIN
from ..core.clusters.types import datetime_to_utc_time
from ..core.engine import (
    DeviceRef,
    GatewayEngine,
    Notification,
    SendResult,
    StoreError,
    store as engine_store,
)
from ..gateway.availability import is_active
from ..gateway.registry import GatewayStore
from ..gateway.report_subscriptions import ReportSubscriptions
from ..gateway.reporting_watch import ReportingWatch
from ..gateway.settings import (
    CONF_INACTIVITY_FAILED_TRANSMISSIONS,
    CONF_PRICE_SOURCE,
    setting_value,
)
from ..gateway.stored_files import async_report_damage, warn_dropped
from . import bus_events
from .activity import DeviceActivity
from .attribute_reports import AttributeReports
from .devices import SmartEnergyDevice, SmartEnergyDevices
from .failures import FailedTransmissions
from .history import CalendarItem, EventHistory
from .price_bridge import PriceBridge
from .snapshot import Snapshot
from .storage import EngineStore, StoredState
from .values import se_datetime

_LOGGER: Final = logging.getLogger(__name__)

SIGNAL_NEW_DEVICE: Final = f"{DOMAIN}_new_smart_energy_device"
# ZHA's default "consider unavailable" time of mains-powered devices.
DEFAULT_INACTIVE_AFTER_S: Final = 7200.0

type Listener = Callable[[Notification | None], None]


def se_now() -> int:
    """Return the current SE UTC time."""
    return datetime_to_utc_time(dt_util.utcnow())


class SmartEnergyRuntime:
    """The engine of one config entry and its Home Assistant side."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        zha_entry_id: str,
        zha_gateway: Any,
        report_subscriptions: ReportSubscriptions | None = None,
        gateway_store: GatewayStore | None = None,
    ) -> None:
        """Prepare the runtime; ``zha_gateway`` is ZHA's running gateway.

        Only the attributes in ``report_subscriptions`` fire report events.
        The reporting configurations in ``gateway_store`` are watched (and
        the gateway's own are added to it).
        """
        self.hass = hass
        self.entry = entry
        self._zha_gateway = zha_gateway
        app = zha_gateway.application_controller
        self.engine = GatewayEngine(
            is_available=self._available,
            on_change=self._engine_changed,
            on_sent=self._failures_changed,
            persist=self._persist,
        )
        self.failures = FailedTransmissions(
            self._failure_limit, self._on_failures_changed
        )
        self.store = EngineStore(hass, entry.entry_id, self._stored_state)
        self.history = EventHistory()
        self.snapshot = Snapshot(se_now())
        self.devices = SmartEnergyDevices(
            hass, entry, app, zha_entry_id, self._device_ready
        )
        self.device_info = DeviceInfo(
            identifiers={(DOMAIN, entry.entry_id)},
            name=entry.title,
            manufacturer="se_gateway",
            model="Energy Service Interface",
        )
        self._app = app
        self._activity = DeviceActivity(
            app, self._device_back, self._inactive_after, self.failures.heard_from
        )
        if report_subscriptions is None:
            report_subscriptions = ReportSubscriptions()
        self.reporting_watch: ReportingWatch | None = None
        if gateway_store is not None:
            self.reporting_watch = ReportingWatch(
                hass,
                entry,
                app,
                gateway_store.reporting_configurations,
                is_inactive=self.failures.is_inactive,
                on_result=self._reporting_sent,
            )
            self.devices.on_reporting_configured = gateway_store.async_set_reporting
        self._reports = AttributeReports(
            app, self._on_attribute_report, report_subscriptions, self.reporting_watch
        )
        self._listeners: list[Listener] = []
        self._unsubscribe: list[CALLBACK_TYPE] = []
        self._next_change: CALLBACK_TYPE | None = None
        self._refresh_pending = False
        self._resending: set[t.EUI64] = set()
        self._running = False
        self.price_bridge: PriceBridge | None = None

    # --- Lifecycle ------------------------------------------------------------

    async def async_start(self) -> None:
        """Restore the saved state, attach, and send the active events again."""
        await self._async_restore(await self.store.async_load())
        self._running = True
        self._unsubscribe.append(self.engine.subscribe(self._on_notification))
        self.engine.attach(self._app)
        self._activity.start()
        self._reports.start()
        if self.reporting_watch is not None:
            self.reporting_watch.start()
        self.devices.async_start()
        self._refresh()
        self.entry.async_create_background_task(
            self.hass, self._async_resend_all(), f"{DOMAIN} send events at start"
        )
        await self.async_set_price_source(
            str(setting_value(self.entry.options, CONF_PRICE_SOURCE))
        )

    async def async_set_price_source(self, entity_id: str) -> None:
        """Bridge ``entity_id``'s price to the displays ("": stop bridging)."""
        if self.price_bridge is not None:
            if self.price_bridge.entity_id == entity_id:
                return
            self.price_bridge.async_stop()
            self.price_bridge = None
        if entity_id and self._running:
            self.price_bridge = PriceBridge(self.hass, self.engine, entity_id)
            await self.price_bridge.async_start()

    async def async_stop(self) -> None:
        """Detach and save the state now."""
        self._running = False
        if self.price_bridge is not None:
            self.price_bridge.async_stop()
            self.price_bridge = None
        if self._next_change is not None:
            self._next_change()
            self._next_change = None
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        self._activity.stop()
        self._reports.stop()
        if self.reporting_watch is not None:
            self.reporting_watch.stop()
        self.devices.async_stop()
        self.engine.detach()
        await self.store.async_save()

    async def _async_restore(self, stored: StoredState) -> None:
        """Restore what can be read; leave out, report and rewrite what cannot.

        Every stored item (event, report, calendar item, failure count) is
        read on its own. If any was left out, the file as found is copied
        beside it, a repair issue lists what was left out, and the file is
        written again at once without it. An engine state from a newer version
        is not read, and the file is not written in this run.
        """
        dropped: list[str] = []
        if (engine_state := stored.get("engine")) is not None:
            try:
                server, client = engine_store.from_dict(engine_state, dropped)
            except engine_store.NewerStoreError as err:
                self.store.make_read_only(
                    f"{err.version} (engine)", engine_store.STORE_VERSION
                )
                self.fire_message(
                    bus_events.SEVERITY_ERROR,
                    f"The saved Smart Energy state could not be restored: {err}",
                )
            except StoreError as err:
                dropped.append(f"the whole engine state ({err})")
            else:
                self.engine.restore(engine_store.to_dict(server, client))
        self.history = EventHistory(_calendar_items(stored.get("history"), dropped))
        self.failures.restore(stored.get("failures"), dropped)
        if not dropped:
            return
        for what in dropped:
            warn_dropped(self.store.key, what)
        self.fire_message(
            bus_events.SEVERITY_ERROR,
            f"The saved Smart Energy state was damaged: {len(dropped)} item(s) "
            "could not be restored (see Repairs)",
        )
        if not self.store.read_only:
            await async_report_damage(
                self.hass, self.store.key, self.store.path, dropped
            )
            await self.store.async_save()

    def _stored_state(self) -> StoredState:
        return {
            "engine": self.engine.to_dict(),
            "history": self.history.to_list(),
            "failures": self.failures.to_dict(),
        }

    async def _persist(self) -> None:
        """Write the state now: the engine is about to send what was asked."""
        await self.store.async_save()

    @callback
    def _on_failures_changed(self) -> None:
        """Keep the failed transmission counts across restarts."""
        self.store.async_schedule_save()

    # --- Listeners ------------------------------------------------------------

    @callback
    def async_add_listener(self, listener: Listener) -> CALLBACK_TYPE:
        """Call ``listener`` with each notification, and None after each refresh."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _tell(self, notification: Notification | None) -> None:
        for listener in list(self._listeners):
            listener(notification)

    # --- Changes ----------------------------------------------------------------

    @callback
    def _engine_changed(self) -> None:
        """Save soon and refresh the entities once the change is applied."""
        self.store.async_schedule_save()
        self._schedule_refresh()

    @callback
    def _on_notification(self, notification: Notification) -> None:
        """Fire the bus event, tell the entities, save soon."""
        device = self.devices.zha_device_entry(notification.source_address)
        self.hass.bus.async_fire(
            bus_events.event_type(notification),
            bus_events.event_data(notification, device.id if device else None),
        )
        self._tell(notification)
        self._engine_changed()

    @callback
    def _on_attribute_report(self, ieee: t.EUI64, parameters: dict[str, Any]) -> None:
        """Fire the bus event of a received attribute report."""
        device = self.devices.zha_device_entry(ieee)
        self.hass.bus.async_fire(
            bus_events.EVENT_ATTRIBUTE_REPORT,
            {"device_id": device.id if device else None, **parameters},
        )

    @callback
    def _schedule_refresh(self) -> None:
        """Refresh on the next loop iteration: the engine applies a change first."""
        if not self._refresh_pending:
            self._refresh_pending = True
            self.hass.loop.call_soon(self._refresh)

    @callback
    def _refresh(self) -> None:
        """Take a new snapshot, update the history, tell the entities."""
        self._refresh_pending = False
        if not self._running:
            return
        self.snapshot = Snapshot.of(self.engine, se_now())
        if self.history.update(self.snapshot):
            self.store.async_schedule_save()
        if self._next_change is not None:
            self._next_change()
            self._next_change = None
        if (change := self.snapshot.next_change()) is not None and (
            when := se_datetime(change)
        ) is not None:
            self._next_change = async_track_point_in_utc_time(
                self.hass, self._time_changed, when
            )
        self._tell(None)

    @callback
    def _time_changed(self, _now: datetime) -> None:
        """Refresh when an event starts or ends."""
        self._next_change = None
        self._refresh()

    # --- Devices ----------------------------------------------------------------

    def _zha_device(self, ieee: t.EUI64) -> Any:
        return self._zha_gateway.devices.get(ieee)

    def _available(self, device: Device) -> bool:
        """Return True if the engine may send to ``device``.

        It must be active (``gateway.availability``), and not inactive after
        failed transmissions (``failures``).
        """
        return is_active(self._zha_gateway, device) and not self.failures.is_inactive(
            device.ieee
        )

    def _failure_limit(self) -> int:
        return int(
            setting_value(self.entry.options, CONF_INACTIVITY_FAILED_TRANSMISSIONS)
        )

    @callback
    def _failures_changed(self, result: SendResult) -> None:
        """Count the failed transmissions of a fan-out."""
        self.failures.record(result)

    def _inactive_after(self, ieee: t.EUI64) -> float:
        zha_device = self._zha_device(ieee)
        if zha_device is None:
            return DEFAULT_INACTIVE_AFTER_S
        return float(zha_device.consider_unavailable_time)

    @callback
    def _device_ready(self, se_device: SmartEnergyDevice) -> None:
        """Let the platforms add the entities of a new SE device."""
        async_dispatcher_send(
            self.hass, f"{SIGNAL_NEW_DEVICE}_{self.entry.entry_id}", se_device
        )

    @callback
    def _reporting_sent(self, ieee: t.EUI64, endpoint: int, error: str | None) -> None:
        """Count a reporting configuration sent again as a fan-out's transmission."""
        device = DeviceRef(str(ieee), endpoint)
        if error is None:
            self.failures.record(SendResult(device_list=(device,)))
        else:
            self.failures.record(SendResult(errors={device: error}))

    @callback
    def _device_back(self, ieee: t.EUI64) -> None:
        """Send the active events to a device that rejoined or came back."""
        if self.reporting_watch is not None:
            self.reporting_watch.device_back(ieee)
        if ieee in self._resending:
            return
        self._resending.add(ieee)
        self.entry.async_create_background_task(
            self.hass, self._async_resend(ieee), f"{DOMAIN} send events to {ieee}"
        )

    async def _async_resend(self, ieee: t.EUI64) -> None:
        try:
            result = await self.engine.resend_to_device(ieee)
        finally:
            self._resending.discard(ieee)
        self._report_failures(result)

    async def _async_resend_all(self) -> None:
        self._report_failures(await self.engine.resend_all())

    # --- The manual's "message" -------------------------------------------------

    @callback
    def fire_message(self, severity: int, message: str) -> None:
        """Fire ``se_gateway_message``."""
        self.hass.bus.async_fire(
            bus_events.EVENT_MESSAGE, bus_events.message_data(severity, message)
        )

    def _report_failures(self, result: SendResult) -> None:
        for device, error in result.errors.items():
            self.fire_message(
                bus_events.SEVERITY_WARNING,
                f"Could not send the active events to {device.ieee}: {error}",
            )


def _calendar_items(items: Any, dropped: list[str]) -> list[CalendarItem]:
    """Return the stored calendar items that can be read."""
    if items is None:
        return []
    if not isinstance(items, list):
        dropped.append(f"the calendar (not a list but {type(items).__name__})")
        return []
    read: list[CalendarItem] = []
    for index, item in enumerate(items):
        try:
            read.append(CalendarItem.from_dict(_mapping(item)))
        except (KeyError, TypeError, ValueError) as err:
            uid = item.get("uid") if isinstance(item, dict) else None
            name = repr(uid) if isinstance(uid, str) else f"#{index + 1}"
            dropped.append(f"calendar item {name}: {err}")
    return read


def _mapping(item: object) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise TypeError("not an object")
    return item
