"""The manual's "ZCL Reporting and Device Activity": reporting sent again.

The gateway keeps every reporting configuration it sent (the user's
``start_receiving_reports``, and its own for a 0x0109 meter) in the gateway
store (``report_subscriptions.ReportingConfiguration``), each with the time
within which a report of its attribute is expected: the ``timeout_period``
the user gave, else three maximum intervals (``expected_timeout``).

``ReportingWatch`` holds one deadline per configured attribute. Each report of
that attribute from that device restarts it (``heard``: one dictionary
assignment, on the attribute report path after its one look-up). When a
deadline passes:

- a device that is active (not inactive after failed transmissions) gets the
  configuration again: one Configure Reporting per cluster, with every
  attribute of it whose deadline passed. The device may have lost its
  reporting configuration in a power cut. A failed transmission is counted
  (``on_result``), as a fan-out's are; the first re-send after the device was
  last heard from is logged, later ones are not until it reports again;
- an inactive device gets nothing; its configurations go again as soon as a
  frame from it arrives (``device_back``: the device is active again).

Either way the deadline restarts: a configuration goes again at most once per
timeout. Deadlines are not stored: they restart when the watch starts (at
every load of the entry), and when a configuration is added or changed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
import logging
from typing import Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from zigpy.application import ControllerApplication
from zigpy.device import Device
import zigpy.types as t
from zigpy.zcl import foundation

from ..const import DOMAIN
from .errors import DeliveryFailedError, NoResponseError, RecordFieldError
from .report_subscriptions import (
    NONE,
    AttributeKey,
    ReportingConfiguration,
    ReportingConfigurations,
)
from .zcl import SERVER, ZclTarget, send_zcl_command
from .zcl_records import DEFAULT_RESPONSE, configure_reporting_answer, reporting_configs

_LOGGER: Final = logging.getLogger(__name__)

GENERAL = foundation.GeneralCommand
NEVER: Final = float("-inf")

# The device and endpoint a re-send went to, and why it failed (None: it
# reached the device).
type ResultCallback = Callable[[t.EUI64, int, str | None], None]
# What goes in one Configure Reporting: the cluster, the source endpoint, the
# manufacturer code and APS encryption.
type FrameKey = tuple[t.EUI64, int, int, int, int, int | None, bool]


def _frame_key(item: ReportingConfiguration) -> FrameKey:
    return (
        *item.cluster_key,
        item.source_endpoint_id,
        item.manufacturer_code,
        item.aps_encryption,
    )


class ReportingWatch:
    """Sends a reporting configuration again when its reports stop."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        app: ControllerApplication,
        configurations: ReportingConfigurations,
        *,
        is_inactive: Callable[[t.EUI64], bool],
        on_result: ResultCallback,
    ) -> None:
        """Watch ``configurations`` (the gateway store's) on ``app``'s devices."""
        self.hass = hass
        self.entry = entry
        self.app = app
        self.configurations = configurations
        self.is_inactive = is_inactive
        self.on_result = on_result
        # The last report of each attribute, and when each deadline restarted
        # otherwise (start, new configuration, re-send); loop time.
        self._heard: dict[AttributeKey, float] = {}
        self._restarted: dict[AttributeKey, float] = {}
        # Passed while the device was inactive: sent once it is heard from.
        self._overdue: set[AttributeKey] = set()
        self._sending: set[AttributeKey] = set()
        self._logged: dict[AttributeKey, float] = {}
        self._timer: asyncio.TimerHandle | None = None
        self._unlisten: Callable[[], None] | None = None
        self._running = False

    # --- Lifecycle --------------------------------------------------------------

    @callback
    def start(self) -> None:
        """Start every deadline now and follow the store's changes."""
        self._running = True
        now = self._now()
        self._restarted = dict.fromkeys(self.configurations.all, now)
        self._unlisten = self.configurations.add_listener(self._changed)
        self._schedule()

    @callback
    def stop(self) -> None:
        """Stop watching; re-sends under way end with the entry."""
        self._running = False
        if self._unlisten is not None:
            self._unlisten()
            self._unlisten = None
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    # --- What happens ---------------------------------------------------------

    def attributes(
        self, ieee: t.EUI64, endpoint_id: int, cluster_id: int, server_or_client: int
    ) -> frozenset[int]:
        """Return the watched attributes of one cluster (one look-up)."""
        if not self._running:
            return NONE
        return self.configurations.attributes(
            ieee, endpoint_id, cluster_id, server_or_client
        )

    def heard(self, key: AttributeKey) -> None:
        """Restart the deadline of an attribute the device just reported."""
        self._heard[key] = self.hass.loop.time()

    @callback
    def device_back(self, ieee: t.EUI64) -> None:
        """Send what became due while ``ieee`` was inactive: it was heard from."""
        if not self._running or not self._overdue:
            return
        due = [
            item
            for key in sorted(self._overdue)
            if key[0] == ieee and (item := self.configurations.get(key)) is not None
        ]
        self._overdue.difference_update(item.key for item in due)
        if due and not self.is_inactive(ieee):
            self._send(due, self._now())

    @callback
    def _changed(self, changed: frozenset[ReportingConfiguration]) -> None:
        """Start the deadlines of configurations just sent."""
        now = self._now()
        for item in changed:
            self._restarted[item.key] = now
            self._overdue.discard(item.key)
        self._schedule()

    # --- Deadlines ------------------------------------------------------------

    def _now(self) -> float:
        return self.hass.loop.time()

    def _deadline(self, item: ReportingConfiguration) -> float:
        key = item.key
        return (
            max(self._heard.get(key, NEVER), self._restarted.get(key, NEVER))
            + item.timeout
        )

    def _schedule(self) -> None:
        """Check again at the earliest deadline (reports only move them later)."""
        if not self._running:
            return
        deadlines = [
            self._deadline(item)
            for key, item in self.configurations.all.items()
            if item.timeout > 0 and key not in self._sending
        ]
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if deadlines:
            self._timer = self.hass.loop.call_at(min(deadlines), self._check)

    @callback
    def _check(self) -> None:
        """Send again what passed its deadline to active devices."""
        self._timer = None
        now = self._now()
        due: list[ReportingConfiguration] = []
        for key, item in self.configurations.all.items():
            if item.timeout <= 0 or key in self._sending or self._deadline(item) > now:
                continue
            self._restarted[key] = now
            if self.is_inactive(item.device_address):
                if key not in self._overdue:
                    _LOGGER.debug(
                        "No report of attribute 0x%04X from %s, which is "
                        "inactive: its reporting goes again once it is heard from",
                        item.attribute_id,
                        item.device_address,
                    )
                self._overdue.add(key)
                continue
            due.append(item)
        if due:
            self._send(due, now)
        self._schedule()

    # --- Sending ----------------------------------------------------------------

    def _send(self, items: Iterable[ReportingConfiguration], now: float) -> None:
        """Send ``items`` again, one Configure Reporting per cluster."""
        frames: dict[FrameKey, list[ReportingConfiguration]] = {}
        for item in items:
            frames.setdefault(_frame_key(item), []).append(item)
            self._restarted[item.key] = now
            self._sending.add(item.key)
            self._log_once(item, now)
        for frame in frames.values():
            ieee = frame[0].device_address
            self.entry.async_create_background_task(
                self.hass,
                self._async_send(frame),
                f"{DOMAIN} send the reporting configuration to {ieee} again",
            )

    def _log_once(self, item: ReportingConfiguration, now: float) -> None:
        """Log the first re-send since the device last reported the attribute."""
        key = item.key
        if self._logged.get(key, NEVER) >= self._heard.get(key, NEVER):
            return
        self._logged[key] = now
        _LOGGER.info(
            "No report of attribute 0x%04X of cluster 0x%04X from %s within "
            "%d s: sending its reporting configuration again",
            item.attribute_id,
            item.cluster_id,
            item.device_address,
            item.timeout,
        )

    async def _async_send(self, items: list[ReportingConfiguration]) -> None:
        first = items[0]
        try:
            await self._async_configure(items)
        except DeliveryFailedError as err:
            self.on_result(first.device_address, first.endpoint_id, repr(err))
        except (NoResponseError, RecordFieldError) as err:
            _LOGGER.debug(
                "Sending the reporting configuration to %s again: %r",
                first.device_address,
                err,
            )
        else:
            self.on_result(first.device_address, first.endpoint_id, None)
        finally:
            self._sending.difference_update(item.key for item in items)
            self._schedule()

    async def _async_configure(self, items: list[ReportingConfiguration]) -> None:
        """Send one Configure Reporting with ``items`` (one cluster's)."""
        first = items[0]
        device = self.app.devices.get(first.device_address)
        if not isinstance(device, Device) or first.endpoint_id == 0:
            return
        if (endpoint := device.endpoints.get(first.endpoint_id)) is None:
            return
        clusters = (
            endpoint.in_clusters
            if first.server_or_client == SERVER
            else endpoint.out_clusters
        )
        if (cluster := clusters.get(first.cluster_id)) is None:
            return
        target = ZclTarget(
            device,
            cluster,
            first.source_endpoint_id,
            first.manufacturer_code,
            first.aps_encryption,
        )
        payload, configured = reporting_configs(
            cluster, [item.as_record() for item in items]
        )
        answer = await send_zcl_command(
            target,
            general=True,
            command_id=GENERAL.Configure_Reporting,
            payload=payload,
            answers={(True, GENERAL.Configure_Reporting_rsp), DEFAULT_RESPONSE},
        )
        result = configure_reporting_answer(answer, configured)
        if refused := [r for r in result["record_list"] if r["status"]]:
            _LOGGER.warning(
                "%s refused the reporting configuration sent again: %s",
                first.device_address,
                refused,
            )
