"""The zigpy device that reads Smart Energy profile frames as ZCL."""

from __future__ import annotations

from typing import Any, Final

from zhaquirks.device import CustomZigpyDevice
import zigpy.device
import zigpy.endpoint
from zigpy.profiles import zha
import zigpy.types as t

SMART_ENERGY_PROFILE_ID: Final = 0x0109


def _is_smart_energy_endpoint(endpoint: Any) -> bool:
    return (
        isinstance(endpoint, zigpy.endpoint.Endpoint)
        and endpoint.profile_id == SMART_ENERGY_PROFILE_ID
    )


def has_smart_energy_endpoint(device: zigpy.device.Device) -> bool:
    """Return True if one of the device's endpoints has profile 0x0109."""
    return any(map(_is_smart_energy_endpoint, device.endpoints.values()))


class SmartEnergyProfileDevice(CustomZigpyDevice):  # type: ignore[misc]
    """A device whose Smart Energy profile endpoints speak ZCL."""

    def _parse_packet_header(self, packet: t.ZigbeePacket) -> Any:
        """Parse a frame from a 0x0109 endpoint as zigpy parses ZCL frames."""
        if packet.profile_id == SMART_ENERGY_PROFILE_ID and _is_smart_energy_endpoint(
            self.endpoints.get(packet.src_ep)
        ):
            packet = packet.replace(profile_id=zha.PROFILE_ID)
        return super()._parse_packet_header(packet)
