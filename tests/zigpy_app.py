"""A real zigpy application whose radio is a mock, for tests below ZHA."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock

import zigpy.application
import zigpy.config as conf
import zigpy.types as t


class FakeApplication(zigpy.application.ControllerApplication):
    """A controller application whose radio does nothing; sent packets are recorded."""

    def __init__(self) -> None:
        super().__init__(
            {
                conf.CONF_DEVICE: {conf.CONF_DEVICE_PATH: "/dev/null"},
                conf.CONF_DATABASE: None,
            }
        )
        self.send_packet = AsyncMock()  # type: ignore[method-assign]

    async def connect(self) -> None:
        pass

    async def disconnect(self) -> None:
        pass

    async def start_network(self) -> None:
        pass

    async def force_remove(self, dev: Any) -> None:
        pass

    async def add_endpoint(self, descriptor: Any) -> None:
        pass

    async def permit_ncp(self, time_s: int = 60) -> None:
        pass

    async def permit_with_link_key(self, *args: Any, **kwargs: Any) -> None:
        pass

    async def write_network_info(self, *args: Any, **kwargs: Any) -> None:
        pass

    async def load_network_info(self, *args: Any, **kwargs: Any) -> None:
        pass

    async def reset_network_info(self) -> None:
        pass

    async def send_packet(self, packet: t.ZigbeePacket) -> None:
        pass

    async def _network_scan(self, *args: Any, **kwargs: Any) -> None:
        pass

    async def _packet_capture(self, *args: Any, **kwargs: Any) -> None:
        pass

    async def _packet_capture_change_channel(self, *args: Any, **kwargs: Any) -> None:
        pass

    async def _subscribe_to_multicast_group(self, *args: Any, **kwargs: Any) -> None:
        pass

    async def _unsubscribe_from_multicast_group(self, *a: Any, **k: Any) -> None:
        pass

    def sent_frames(self) -> list[bytes]:
        """Return the ZCL bytes of every packet sent so far."""
        return [call.args[0].data.serialize() for call in self.send_packet.mock_calls]
