"""The ``explicit_device_add`` setting: only devices added with add_device join.

While the setting is on, a device that joins the network without having been
added with ``add_device`` is told to leave and removed, and the manual's
``message`` (``se_gateway_message``) says so. Devices the network already had
are left alone, and so is every device that joins while the setting is off.

zigpy starts interviewing a device again when it announces itself before its
removal is done; frames from a refused device stop that at once. The added
devices are those of the entry's ``GatewayStore`` (``gateway.registry``).
"""

from __future__ import annotations

from collections.abc import Callable
import logging
from typing import Final

from homeassistant.core import HomeAssistant
from zigpy.application import ControllerApplication
from zigpy.device import BaseDevice, Device
import zigpy.types as t

from ..const import DOMAIN
from ..data import SEGatewayConfigEntry
from ..gateway.settings import CONF_EXPLICIT_DEVICE_ADD, setting_value
from ..smart_energy.bus_events import SEVERITY_WARNING

_LOGGER: Final = logging.getLogger(__name__)

type MessageCallback = Callable[[int, str], None]


class JoinGuard:
    """Removes devices that join without add_device while the setting is on."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SEGatewayConfigEntry,
        app: ControllerApplication,
        fire_message: MessageCallback,
    ) -> None:
        """Guard the network of ``app`` with ``entry``'s setting."""
        self.hass = hass
        self.entry = entry
        self.app = app
        self.fire_message = fire_message
        self._known: set[t.EUI64] = set()
        self._refused: set[t.EUI64] = set()

    def async_start(self) -> None:
        """Take the devices on the network as known and listen for joins."""
        self._known = set(self.app.devices)
        self.app.add_listener(self)

    def async_stop(self) -> None:
        """Stop listening."""
        self.app.remove_listener(self)

    def device_joined(self, device: BaseDevice) -> None:
        """Check a device that joined (zigpy application listener)."""
        self._refused.discard(device.ieee)
        if device.ieee in self._known:
            return
        if not setting_value(self.entry.options, CONF_EXPLICIT_DEVICE_ADD):
            self._known.add(device.ieee)
            return
        self.entry.async_create_background_task(
            self.hass, self._async_check(device.ieee), f"{DOMAIN} check {device.ieee}"
        )

    def device_removed(self, device: BaseDevice) -> None:
        """Forget a removed device (zigpy application listener)."""
        self._known.discard(device.ieee)

    def handle_message(self, device: Device, *_frame: object) -> None:
        """Stop the interview of a refused device (zigpy application listener)."""
        if device.ieee in self._refused:
            device.cancel_initialization()

    async def _async_check(self, ieee: t.EUI64) -> None:
        """Keep an added device; make any other leave."""
        if ieee in self.entry.runtime_data.gateway_store.devices:
            self._known.add(ieee)
            return
        _LOGGER.warning("%s joined without add_device; it is removed", ieee)
        self._refused.add(ieee)
        await self.app.remove(ieee)
        self.fire_message(
            SEVERITY_WARNING,
            f"Device {ieee} joined without add_device and was removed "
            "(explicit_device_add is on)",
        )
