"""Load control entities: the running event, and what a client reported.

"Load control event" is on while a load control event runs: the gateway's
own events (ESI role, on the gateway device) or those a DRLC server sent the
gateway (client role, on that server's ZHA device). Its attributes give the
event's criticality, duty cycle, temperature offsets and set points.

"Load control status" shows, on a DRLC client's ZHA device (a load device, an
in-home display), the status it reported of the event that applies now, and
every event's latest status as the ``events`` attribute.
"""

from __future__ import annotations

from typing import Any, Final, override

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.components.sensor import SensorDeviceClass, SensorEntity
from homeassistant.core import callback

from ..core.clusters import Drlc
from ..core.clusters.types import EventStatus
from ..core.engine import DeviceRef, EventStatusReport, Notification
from ..core.engine.notifications import ReceivedReportEventStatus
from .devices import SmartEnergyDevice
from .entity import SmartEnergyEntity, server_entities
from .runtime import SmartEnergyRuntime, se_now
from .values import drlc_attributes, se_datetime

STATUS_NAMES: Final = {int(status): status.name.lower() for status in EventStatus}


def gateway_drlc_binary_sensors(
    runtime: SmartEnergyRuntime,
) -> list[LoadControlEventSensor]:
    """Return the binary sensor of the gateway's own load control events."""
    return [LoadControlEventSensor(runtime)]


def device_drlc_sensors(
    runtime: SmartEnergyRuntime, se_device: SmartEnergyDevice
) -> list[LoadControlStatusSensor]:
    """Return the status sensor of a DRLC client (none for other devices)."""
    if se_device.client_cluster(Drlc.cluster_id) is None:
        return []
    return [LoadControlStatusSensor(runtime, se_device)]


class LoadControlEventSensor(SmartEnergyEntity, BinarySensorEntity):
    """On while a load control event runs."""

    _attr_device_class = BinarySensorDeviceClass.RUNNING

    def __init__(
        self,
        runtime: SmartEnergyRuntime,
        se_device: SmartEnergyDevice | None = None,
        source: DeviceRef | None = None,
    ) -> None:
        """Create the sensor of ``source``'s events (None: the gateway's)."""
        super().__init__(runtime, "load_control_event", se_device)
        self.source = source

    @property
    @override
    def is_on(self) -> bool:
        """Return True while an event runs."""
        return self.runtime.snapshot.running_drlc(self.source) is not None

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return the running event's controls and times."""
        running = self.runtime.snapshot.running_drlc(self.source)
        if running is None:
            return None
        attributes: dict[str, Any] = {
            **drlc_attributes(running.record),
            "start": se_datetime(running.start),
            "end": None if running.end is None else se_datetime(running.end),
        }
        if self.source is not None:
            attributes["opted_out"] = running.opted_out
        return attributes


# The binary sensor of a DRLC server's events (none for other devices).
device_drlc_binary_sensors = server_entities(Drlc.cluster_id, LoadControlEventSensor)


class LoadControlStatusSensor(SmartEnergyEntity, SensorEntity):
    """The status a DRLC client reported, kept per event.

    The state is the status of the event that applies now: of the reported
    events the gateway runs now, the newest; if none runs, the event reported
    on last. The ``events`` attribute lists every reported event's latest
    status: ``[{issuer_event_id, status, time}]``, oldest report first.
    """

    _attr_device_class = SensorDeviceClass.ENUM
    _attr_options = list(STATUS_NAMES.values())

    def __init__(
        self, runtime: SmartEnergyRuntime, se_device: SmartEnergyDevice
    ) -> None:
        """Create the sensor of ``se_device``'s reports."""
        super().__init__(runtime, "load_control_status", se_device)
        self._ieee = str(se_device.ieee)
        # The latest report of each event, in the order they came.
        self._reports: dict[int, EventStatusReport] = {}

    @override
    async def async_added_to_hass(self) -> None:
        """Start from the reports the engine kept (they survive restarts)."""
        await super().async_added_to_hass()
        for received in self.runtime.engine.get_event_status_reports():
            if received.device.ieee == self._ieee:
                self._keep(received.record)

    def _keep(self, report: EventStatusReport) -> None:
        self._reports.pop(report.issuer_event_id, None)
        self._reports[report.issuer_event_id] = report

    @callback
    @override
    def _handle_runtime(self, notification: Notification | None) -> None:
        if (
            isinstance(notification, ReceivedReportEventStatus)
            and notification.source_address == self._ieee
        ):
            self._keep(notification.record)
            self.async_write_ha_state()
        elif notification is None:  # a refresh: the event that applies may change
            self.async_write_ha_state()

    def _current(self) -> EventStatusReport | None:
        """Return the report of the event that applies now."""
        if not self._reports:
            return None
        now = se_now()
        running = [
            entry.event_id
            for entry in self.runtime.engine.view.drlc().running(now)
            if entry.event_id in self._reports
        ]
        if running:
            return self._reports[max(running)]
        return next(reversed(self._reports.values()))

    @property
    @override
    def native_value(self) -> str | None:
        """Return the status of the event that applies now."""
        if (report := self._current()) is None:
            return None
        return STATUS_NAMES.get(report.event_status)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return that event, when its status came, and every event's status."""
        if (report := self._current()) is None:
            return None
        return {
            "issuer_event_id": report.issuer_event_id,
            "event_status_time": se_datetime(report.event_status_time),
            "criticality_level_applied": report.criticality_level_applied,
            "events": [
                {
                    "issuer_event_id": event_id,
                    "status": STATUS_NAMES.get(item.event_status),
                    "time": se_datetime(item.event_status_time),
                }
                for event_id, item in self._reports.items()
            ],
        }
