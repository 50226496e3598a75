"""Frames too short for their header are dropped before zigpy parses them.

zigpy 2.3 parses the header of every frame on the Home Automation and ZLL
profiles, and on the ZDO endpoint, without a guard: for a frame shorter than
the header (a ZCL header is 3 bytes, 5 with the manufacturer-specific bit; a
ZDO header 1), ``Device._parse_packet_header`` raises ``ValueError``. Nothing
on the way up catches it: it leaves ``ControllerApplication.packet_received``
into the radio library's receive callback, which drops its connection to the
radio. ZHA reloads, and se_gateway with it: one such frame from any device
takes the gateway down for seconds.

The guard shadows ``packet_received`` on ZHA's application object (an instance
attribute; zigpy's classes are untouched) while the config entry is loaded:

- a frame of ``LONGEST_ZCL_HEADER`` (5) bytes or more goes straight to zigpy;
  the guard costs a function call and a length comparison;
- a shorter frame has its header parsed first by the sending device's own
  ``_parse_packet_header``, so it is judged as zigpy would judge it: a profile
  zigpy leaves alone, or a quirk that reads another profile as ZCL, decide as
  they do without the guard. If that parse raises ``ValueError`` the frame is
  dropped, and logged once per device with its length; otherwise zigpy gets it
  unchanged.

It cannot cover the seconds before se_gateway's entry is set up, nor the time
it is unloaded: the application object is ZHA's, it exists only once ZHA is
loaded, and ZHA receives frames before se_gateway's set-up runs (which waits
for ZHA). Only the fix in zigpy closes that window (docs/upstream.md).
"""

from __future__ import annotations

from collections.abc import Callable
import logging
from typing import Final
from weakref import WeakKeyDictionary

from homeassistant.core import CALLBACK_TYPE, callback
from zigpy.application import ControllerApplication
import zigpy.device
import zigpy.types as t
from zigpy.zgp.tunneling import is_gp_tunnel_packet

from ..core.se_profile.device import LONGEST_ZCL_HEADER

_LOGGER: Final = logging.getLogger(__name__)

type PacketReceived = Callable[[t.ZigbeePacket], None]

# The guard of each application, while it guards it.
_GUARDS: WeakKeyDictionary[ControllerApplication, FrameGuard] = WeakKeyDictionary()


class FrameGuard:
    """Keeps frames too short for their header away from zigpy's parser."""

    def __init__(self, app: ControllerApplication) -> None:
        """Guard the frames that ``app`` receives, once started."""
        self.app = app
        self.dropped = 0
        self._logged: set[t.EUI64] = set()
        self._zigpy_packet_received: PacketReceived = app.packet_received
        self._installed: PacketReceived = self.packet_received
        self._shadowed_own_attribute = False
        self._active = False

    @callback
    def async_start(self) -> None:
        """Put the guard in front of the application's ``packet_received``."""
        self._zigpy_packet_received = self.app.packet_received
        self._shadowed_own_attribute = "packet_received" in vars(self.app)
        self._active = True
        _GUARDS[self.app] = self
        self.app.packet_received = self._installed  # type: ignore[method-assign,assignment]

    @callback
    def async_stop(self) -> None:
        """Give the application its own ``packet_received`` back."""
        self._active = False
        if _GUARDS.get(self.app) is self:
            del _GUARDS[self.app]
        if vars(self.app).get("packet_received") is not self._installed:
            # Someone wrapped it after us: we stay in the chain, passing through.
            return
        if self._shadowed_own_attribute:
            self.app.packet_received = self._zigpy_packet_received  # type: ignore[method-assign,assignment]
        else:
            del self.app.packet_received

    def packet_received(self, packet: t.ZigbeePacket) -> None:
        """Hand ``packet`` to zigpy unless its header cannot be parsed."""
        if (
            len(packet.data.serialize()) < LONGEST_ZCL_HEADER
            and self._active
            and not self._header_parses(packet)
        ):
            return
        self._zigpy_packet_received(packet)

    def _header_parses(self, packet: t.ZigbeePacket) -> bool:
        """Return False when the sender's header parser fails on ``packet``."""
        if is_gp_tunnel_packet(packet) or packet.src is None:
            return True  # zigpy converts these and catches what fails there
        try:
            device = self.app.get_device_with_address(packet.src)
        except KeyError, ValueError:
            return True  # zigpy asks an unknown device for its address
        if not isinstance(device, zigpy.device.Device):
            return True  # zigpy ignores frames of other kinds of device
        try:
            device._parse_packet_header(packet)
        except ValueError:
            self._drop(device, packet)
            return False
        return True

    def _drop(self, device: zigpy.device.Device, packet: t.ZigbeePacket) -> None:
        """Count a dropped frame; log the first one of each device."""
        self.dropped += 1
        if device.ieee in self._logged:
            return
        self._logged.add(device.ieee)
        _LOGGER.warning(
            "Dropped a %d-byte frame from %s (endpoint %s, profile 0x%04X,"
            " cluster 0x%04X): too short for its header. Further ones from this"
            " device are dropped without a log",
            len(packet.data.serialize()),
            device.ieee,
            packet.src_ep,
            packet.profile_id,
            packet.cluster_id,
        )


def active_guard(app: ControllerApplication) -> FrameGuard | None:
    """Return the guard in front of ``app``'s ``packet_received``, if any.

    Others may wrap ``packet_received`` after the guard did: it need not be
    the outermost wrapper.
    """
    return _GUARDS.get(app)


@callback
def async_guard_frames(app: ControllerApplication) -> CALLBACK_TYPE:
    """Start guarding ``app``'s received frames; return what stops it."""
    guard = FrameGuard(app)
    guard.async_start()
    return guard.async_stop
