"""A bare host for the emulated radio: a TCP client speaking XBee API frames."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

import pytest

from network_simulator import Network
from network_simulator.xbee_frames import FrameDecoder, encode_frame


class Host:
    """Sends API frames to the radio and collects the frames it answers."""

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.decoder = FrameDecoder()
        self.frames: list[bytes] = []
        self._frame_id = 0

    def send(self, frame: bytes) -> None:
        self.writer.write(encode_frame(frame))

    def at(self, name: str, value: bytes = b"") -> int:
        self._frame_id = self._frame_id % 255 + 1
        self.send(bytes([0x08, self._frame_id]) + name.encode() + value)
        return self._frame_id

    async def receive(self, frame_type: int, timeout: float = 2.0) -> bytes:
        """Return the next frame of the given type."""
        async with asyncio.timeout(timeout):
            while True:
                for index, frame in enumerate(self.frames):
                    if frame[0] == frame_type:
                        return self.frames.pop(index)
                data = await self.reader.read(4096)
                if not data:
                    raise ConnectionError("radio closed the connection")
                self.frames.extend(self.decoder.feed(data))

    async def at_value(self, name: str, value: bytes = b"") -> tuple[int, bytes]:
        """Run an AT command and return its status and value."""
        frame_id = self.at(name, value)
        response = await self.receive(0x88)
        assert response[1] == frame_id
        assert response[2:4] == name.encode()
        return response[4], response[5:]


@pytest.fixture
async def network(socket_enabled: None) -> AsyncGenerator[Network]:
    net = Network(seed=3)
    await net.start()
    yield net
    await net.stop()


@pytest.fixture
async def host(network: Network) -> AsyncGenerator[Host]:
    reader, writer = await asyncio.open_connection("127.0.0.1", network.port)
    yield Host(reader, writer)
    writer.close()
