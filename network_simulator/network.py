"""The simulated network: devices, joining, faults and the TCP endpoint of the radio."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import contextlib
from dataclasses import dataclass
import logging
import random
import time

import zigpy.types as t
import zigpy.util
import zigpy.zdo.types as zdo_t

from .device import COORDINATOR_NWK, ZDO_ENDPOINT, Frame, SimulatedDevice
from .faults import Faults
from .radio import (
    REGISTRATION_INVALID_KEY,
    REGISTRATION_SUCCESS,
    TX_ADDRESS_NOT_FOUND,
    TX_NETWORK_ACK_FAILURE,
    TX_SUCCESS,
    Transmission,
    XBeeRadio,
)
from .xbee_frames import FrameDecoder

_LOGGER = logging.getLogger(__name__)

REPORT_INTERVAL = 0.5
JOIN_ON_START_DELAY = 5.0


@dataclass(frozen=True)
class CapturedFrame:
    """A frame between the host and a device, as the receiving side got it.

    ``Network.captured`` holds the host's frames to devices, ``Network.uplinked``
    the devices' frames to the host (as the radio passed them on).
    """

    ieee: t.EUI64
    src_ep: int
    dst_ep: int
    cluster_id: int
    profile_id: int
    data: bytes
    at: float
    # True when it went APS-encrypted (host to device: transmit option 0x20;
    # device to host: receive option 0x20)
    aps_encrypted: bool = False


class Network:
    """A simulated Zigbee network reachable through an emulated XBee over TCP."""

    def __init__(
        self,
        *,
        faults: Faults | None = None,
        seed: int = 0,
        formed: bool = True,
        join_on_start: bool = False,
    ) -> None:
        """Create the network.

        ``formed`` starts the radio on a formed network, as after ZHA's set-up.
        ``join_on_start`` makes devices announce themselves soon after the host
        connects, as devices already paired do when the network comes back.
        """
        self.join_on_start = join_on_start
        self._writer: asyncio.StreamWriter | None = None
        self.faults = faults or Faults(seed=seed)
        self.devices: dict[t.EUI64, SimulatedDevice] = {}
        self.captured: list[CapturedFrame] = []
        self.uplinked: list[CapturedFrame] = []
        self.radio = XBeeRadio(self, self._write_to_host, seed=seed, formed=formed)
        self.decoder = FrameDecoder()
        self._random = random.Random(seed)
        self._pending_keys: dict[t.EUI64, bytes] = {}
        self._permit_until = 0.0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._reporter: asyncio.Task[None] | None = None
        self._frame_waiters: list[
            tuple[Callable[[CapturedFrame], bool], asyncio.Future[CapturedFrame]]
        ] = []
        self.host_connected = asyncio.Event()

    # Server --------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Listen for the host on TCP and return the port."""
        self._server = await asyncio.start_server(self._serve, host, port)
        self._reporter = asyncio.create_task(
            self._report_loop(), name="simulator reports"
        )
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def port(self) -> int:
        """Return the TCP port of the radio."""
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def url(self) -> str:
        """Return the zigpy device path of the radio."""
        return f"socket://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        """Stop serving and cancel every task."""
        if self._reporter is not None:
            self._reporter.cancel()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(
            *self._tasks, self._reporter or _done(), return_exceptions=True
        )
        self._tasks.clear()
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(ConnectionError):
                await self._writer.wait_closed()
            self._writer = None
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        if self._writer is not None:
            self._writer.close()
        self._writer = writer
        self.decoder = FrameDecoder()
        self.host_connected.set()
        _LOGGER.info("Host connected")
        if self.join_on_start:
            self._spawn(self._join_all_after(JOIN_ON_START_DELAY))
        try:
            while data := await reader.read(4096):
                self.feed(data)
        except ConnectionError:
            pass
        finally:
            if self._writer is writer:
                self._writer = None
                self.host_connected.clear()
            writer.close()
            _LOGGER.info("Host disconnected")

    def feed(self, data: bytes) -> None:
        """Handle bytes from the host."""
        if data.startswith(b"+++") or (data.startswith(b"AT") and data.endswith(b"\r")):
            self._write_to_host(b"OK\r")  # AT command mode, used to set API mode
            return
        for frame in self.decoder.feed(data):
            self.radio.handle_frame(frame)

    def _write_to_host(self, data: bytes) -> None:
        if self._writer is not None and not self._writer.is_closing():
            self._writer.write(data)

    def inject(self, data: bytes) -> None:
        """Write raw bytes to the host, as if the radio had sent them."""
        self._write_to_host(data)

    # Devices -------------------------------------------------------------------

    def add_device(
        self, device: SimulatedDevice, *, joined: bool = False
    ) -> SimulatedDevice:
        """Add a device; it joins when joining is permitted, or now with ``joined``."""
        device.transmit = self._transmit_from_device
        device.coordinator_ieee = self.radio.ieee
        self.devices[device.ieee] = device
        if joined:
            self._join(device)
        else:
            self._try_join(device)
        return device

    def remove_device(self, ieee: t.EUI64) -> None:
        """Remove a device from the network without notice."""
        device = self.devices.pop(ieee)
        device.nwk = None

    def rejoin(self, device: SimulatedDevice) -> None:
        """Make a device announce itself again, as after a power cycle."""
        if device.joined:
            device.announce()
        else:
            self._join(device)

    def set_online(self, device: SimulatedDevice, online: bool) -> None:
        """Take a device off the air, or bring it back."""
        device.online = online

    @property
    def permitting(self) -> bool:
        """Return True while joining is permitted."""
        return time.monotonic() < self._permit_until

    def permit_joining(self, seconds: int) -> None:
        """Open the network for joining; 0 closes it, 255 keeps it open."""
        if seconds == 0:
            self._permit_until = 0.0
        elif seconds == 0xFF:
            self._permit_until = float("inf")
        else:
            self._permit_until = time.monotonic() + seconds
        _LOGGER.info("Permit joining for %s s", seconds)
        for device in list(self.devices.values()):
            self._try_join(device)

    def register_joining_device(self, ieee: t.EUI64, key_type: int, key: bytes) -> int:
        """Let a device join with a link key (type 0) or install code (type 1).

        Returns the XBee registration status.
        """
        if key_type == 1:
            try:
                key = bytes(zigpy.util.convert_install_code(key))
            except ValueError:
                _LOGGER.warning("Rejected an install code with a bad CRC")
                return REGISTRATION_INVALID_KEY
        self._pending_keys[ieee] = key
        device = self.devices.get(ieee)
        if device is not None:
            self._try_join(device, key_window=True)
        return REGISTRATION_SUCCESS

    def _try_join(self, device: SimulatedDevice, *, key_window: bool = False) -> None:
        if device.joined or not device.online:
            return
        needs_key = device.link_key is not None or device.install_code is not None
        if needs_key:
            if key_window and self._pending_keys.get(device.ieee) == device_key(device):
                self._join(device)
            return
        if self.permitting:
            self._join(device)

    async def _join_all_after(self, delay: float) -> None:
        await asyncio.sleep(delay)
        for device in list(self.devices.values()):
            needs_key = device.link_key is not None or device.install_code is not None
            if device.online and not needs_key:
                self.rejoin(device)

    def _join(self, device: SimulatedDevice) -> None:
        used = {d.nwk for d in self.devices.values()}
        nwk = device.nwk
        while nwk is None or nwk in used or nwk == COORDINATOR_NWK:
            nwk = self._random.randint(0x0001, 0xFFF7)
        device.nwk = nwk
        _LOGGER.info("%s (%s) joined as 0x%04X", device.model, device.ieee, nwk)
        device.announce()

    # Frames --------------------------------------------------------------------

    def deliver(self, transmission: Transmission) -> int:
        """Deliver a host transmission to devices; return the XBee transmit status."""
        if transmission.is_broadcast:
            for member in self.devices.values():
                if member.joined and member.online:
                    self._receive(member, transmission)
            return TX_SUCCESS
        if transmission.nwk == COORDINATOR_NWK or transmission.ieee == self.radio.ieee:
            return TX_SUCCESS
        device = self._find(transmission)
        if device is None:
            return TX_ADDRESS_NOT_FOUND
        if not device.online or self.faults.should_drop():
            return TX_NETWORK_ACK_FAILURE
        self._receive(device, transmission)
        return TX_SUCCESS

    def _find(self, transmission: Transmission) -> SimulatedDevice | None:
        device = self.devices.get(transmission.ieee)
        if device is not None and device.joined:
            return device
        for candidate in self.devices.values():
            if candidate.joined and candidate.nwk == transmission.nwk:
                return candidate
        return None

    def _receive(self, device: SimulatedDevice, transmission: Transmission) -> None:
        captured = CapturedFrame(
            ieee=device.ieee,
            src_ep=transmission.src_ep,
            dst_ep=transmission.dst_ep,
            cluster_id=transmission.cluster_id,
            profile_id=transmission.profile_id,
            data=transmission.data,
            at=time.monotonic(),
            aps_encrypted=transmission.aps_key is not None,
        )
        self.captured.append(captured)
        for predicate, future in list(self._frame_waiters):
            if not future.done() and predicate(captured):
                future.set_result(captured)
        frame: Frame = (
            transmission.src_ep,
            transmission.dst_ep,
            transmission.cluster_id,
            transmission.profile_id,
            transmission.data,
        )
        # Devices answer after the radio has reported the transmit status.
        asyncio.get_running_loop().call_soon(
            self._device_receive, device, frame, transmission.aps_key
        )

    def _device_receive(
        self, device: SimulatedDevice, frame: Frame, aps_key: bytes | None = None
    ) -> None:
        device.receive_secured(frame, aps_key)
        if frame[1] == ZDO_ENDPOINT and frame[2] == zdo_t.ZDOCmd.Mgmt_Leave_req:
            _LOGGER.info("%s left the network", device.ieee)
            device.nwk = None

    def _transmit_from_device(self, device: SimulatedDevice, frame: Frame) -> None:
        if self.faults.should_drop():
            _LOGGER.debug("Dropped a frame from %s", device.ieee)
            return
        # The address the frame left with: a device that is leaving still
        # answers with the address it had.
        assert device.nwk is not None
        aps_key = device.aps_key_for(frame)
        if aps_key is not None and self.radio.link_keys.get(device.ieee) != aps_key:
            # The radio cannot decrypt it: APS security drops the frame.
            _LOGGER.info(
                "Dropped an APS-encrypted frame from %s: no matching link key",
                device.ieee,
            )
            return
        encrypted = aps_key is not None
        src_ep, dst_ep, cluster_id, profile_id, data = frame
        self.uplinked.append(
            CapturedFrame(
                ieee=device.ieee,
                src_ep=src_ep,
                dst_ep=dst_ep,
                cluster_id=cluster_id,
                profile_id=profile_id,
                data=data,
                at=time.monotonic(),
                aps_encrypted=encrypted,
            )
        )
        for _ in range(self.faults.copies()):
            self._spawn(
                self._send_to_host(
                    device.ieee, device.nwk, frame, self.faults.delay, encrypted
                )
            )

    async def _send_to_host(
        self,
        ieee: t.EUI64,
        nwk: int,
        frame: Frame,
        delay: float,
        aps_encrypted: bool = False,
    ) -> None:
        if delay:
            await asyncio.sleep(delay)
        src_ep, dst_ep, cluster_id, profile_id, data = frame
        self.radio.send_explicit_receive(
            ieee,
            nwk,
            src_ep,
            dst_ep,
            cluster_id,
            profile_id,
            data,
            aps_encrypted=aps_encrypted,
        )

    async def wait_for_frame(
        self, predicate: Callable[[CapturedFrame], bool], timeout: float = 10
    ) -> CapturedFrame:
        """Wait until a device receives a frame matching ``predicate``."""
        for captured in self.captured:
            if predicate(captured):
                return captured
        future: asyncio.Future[CapturedFrame] = (
            asyncio.get_running_loop().create_future()
        )
        waiter = (predicate, future)
        self._frame_waiters.append(waiter)
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self._frame_waiters.remove(waiter)

    def _spawn(self, coro: object) -> None:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(coro)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _report_loop(self) -> None:
        while True:
            await asyncio.sleep(REPORT_INTERVAL)
            now = time.monotonic()
            for device in list(self.devices.values()):
                if device.joined and device.online:
                    device.report_due_attributes(now)


def device_key(device: SimulatedDevice) -> bytes | None:
    """Return the link key a device joins with (derived from its install code)."""
    if device.install_code is not None:
        return bytes(zigpy.util.convert_install_code(device.install_code))
    return device.link_key


async def _done() -> None:
    return None
