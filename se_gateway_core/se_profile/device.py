"""The zigpy device that reads Smart Energy profile frames as ZCL.

Only frames that can hold a ZCL header are read as ZCL: zigpy's header parser
raises on a shorter frame, and an exception there travels up into the radio
library, which drops its connection to the radio. A shorter frame on profile
0x0109 goes where zigpy alone sends it, to the custom-profile handler, which
drops it.
"""

from __future__ import annotations

from typing import Any, Final

from zhaquirks.device import CustomZigpyDevice
import zigpy.device
import zigpy.endpoint
from zigpy.profiles import zha
import zigpy.types as t

from ..clusters.profile import SMART_ENERGY_PROFILE_ID

# Frame control, transaction sequence number and command id.
ZCL_HEADER_LENGTH: Final = 3
# The manufacturer code follows the frame control when this bit is set.
MANUFACTURER_SPECIFIC_BIT: Final = 0b0000_0100
MANUFACTURER_CODE_LENGTH: Final = 2
LONGEST_ZCL_HEADER: Final = ZCL_HEADER_LENGTH + MANUFACTURER_CODE_LENGTH


def holds_zcl_header(data: bytes | bytearray) -> bool:
    """Return True when ``data`` is long enough for the ZCL header it announces."""
    length = len(data)
    if length >= LONGEST_ZCL_HEADER:
        return True
    return length >= ZCL_HEADER_LENGTH and not data[0] & MANUFACTURER_SPECIFIC_BIT


def _is_smart_energy_endpoint(endpoint: Any) -> bool:
    return (
        isinstance(endpoint, zigpy.endpoint.Endpoint)
        and endpoint.profile_id == SMART_ENERGY_PROFILE_ID
    )


def has_smart_energy_endpoint(device: zigpy.device.Device) -> bool:
    """Return True if one of the device's endpoints has profile 0x0109.

    The coordinator is left out: its Smart Energy endpoint is the gateway's
    own (``esi_endpoint``), and zigpy never parses frames from it.
    """
    if device.ieee == device.application.state.node_info.ieee:
        return False
    return any(map(_is_smart_energy_endpoint, device.endpoints.values()))


class SmartEnergyProfileDevice(CustomZigpyDevice):  # type: ignore[misc]
    """A device whose Smart Energy profile endpoints speak ZCL."""

    # Set on the instance once a frame too short for ZCL was logged.
    _short_frame_logged: bool = False

    def _parse_packet_header(self, packet: t.ZigbeePacket) -> Any:
        """Parse a frame from a 0x0109 endpoint as zigpy parses ZCL frames.

        A frame too short for a ZCL header keeps its profile, so that zigpy
        drops it as it drops any frame on a profile it does not parse.
        """
        if packet.profile_id == SMART_ENERGY_PROFILE_ID and _is_smart_energy_endpoint(
            self.endpoints.get(packet.src_ep)
        ):
            data = packet.data.serialize()
            if holds_zcl_header(data):
                packet = packet.replace(profile_id=zha.PROFILE_ID)
            else:
                self._log_short_frame(len(data))
        return super()._parse_packet_header(packet)

    def _log_short_frame(self, length: int) -> None:
        """Log the first frame of this device that is too short for ZCL."""
        if self._short_frame_logged:
            return
        self._short_frame_logged = True
        self.warning(
            "Dropped a %d-byte frame from %s on profile 0x%04X: too short for a ZCL"
            " header. Further ones from this device are dropped without a log",
            length,
            self.ieee,
            SMART_ENERGY_PROFILE_ID,
        )
