"""Telling when a known device rejoins or comes back after a silence.

Smart Energy clients get the active events again when they rejoin or come
back from inactivity. zigpy tells neither to the application: a device that
rejoins with the same network address only announces itself to its own ZDO
(``device_announce``), and a device that was silent only gets a new
``last_seen``. ``DeviceActivity`` listens to both on every device:

- an announcement is a rejoin;
- a frame after a silence of at least the device's ``inactive_after`` seconds
  (the integration passes ZHA's "consider unavailable" time, so "back" here is
  when ZHA would mark the device available again) is a return;
- so is any frame from a device that ``heard_from`` says missed a delivery
  (a transmission to it failed since it was last reached).

A new device needs nothing here: the engine sends it the events once zigpy has
interviewed it (``device_initialized``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from zigpy.application import ControllerApplication
from zigpy.device import BaseDevice, Device
import zigpy.types as t

type DeviceCallback = Callable[[t.EUI64], None]


class _DeviceListener:
    """Listens to one device and its ZDO."""

    def __init__(self, activity: DeviceActivity, device: Device) -> None:
        self._activity = activity
        self.device = device
        self.last_seen = device.last_seen

    def device_last_seen_updated(self, last_seen: datetime) -> None:
        """Take a new last-seen time (zigpy device listener)."""
        previous, self.last_seen = self.last_seen, last_seen.timestamp()
        missed = self._activity.heard_from(self.device.ieee)
        if missed or (
            previous is not None
            and self.last_seen - previous
            >= self._activity.inactive_after(self.device.ieee)
        ):
            self._activity.on_back(self.device.ieee)

    def device_announce(self, device: Device) -> None:
        """Take an announcement (zigpy ZDO listener)."""
        self._activity.on_back(self.device.ieee)


class DeviceActivity:
    """Calls ``on_back`` for devices that rejoin or come back from a silence."""

    def __init__(
        self,
        app: ControllerApplication,
        on_back: DeviceCallback,
        inactive_after: Callable[[t.EUI64], float],
        heard_from: Callable[[t.EUI64], bool],
    ) -> None:
        """Watch the devices of ``app``."""
        self.app = app
        self.on_back = on_back
        self.inactive_after = inactive_after
        self.heard_from = heard_from
        self._listeners: dict[t.EUI64, _DeviceListener] = {}

    def start(self) -> None:
        """Listen to every device, and to devices added later."""
        for device in self.app.devices.values():
            self._listen(device)
        self.app.add_listener(self)

    def stop(self) -> None:
        """Stop listening."""
        self.app.remove_listener(self)
        for ieee in list(self._listeners):
            self._forget(ieee)

    def _listen(self, device: BaseDevice) -> None:
        self._forget(device.ieee)
        if not isinstance(device, Device):
            return
        listener = _DeviceListener(self, device)
        device.add_listener(listener)
        device.zdo.add_listener(listener)
        self._listeners[device.ieee] = listener

    def _forget(self, ieee: t.EUI64) -> None:
        if (listener := self._listeners.pop(ieee, None)) is not None:
            listener.device.remove_listener(listener)
            listener.device.zdo.remove_listener(listener)

    # zigpy application listener ---------------------------------------------

    def device_initialized(self, device: BaseDevice) -> None:
        """Listen to a new or re-initialized device."""
        self._listen(device)

    def device_reinterviewed(self, device: BaseDevice) -> None:
        """Listen to the new object of a re-interviewed device."""
        self._listen(device)

    def device_removed(self, device: BaseDevice) -> None:
        """Forget a removed device."""
        self._forget(device.ieee)
