"""What zigpy's coordinator lacks for certified Smart Energy devices.

``SmartEnergyCoordinator`` shadows ``packet_received`` on the application
object (an instance attribute: zigpy's classes are untouched) and registers
the gateway's Smart Energy endpoint (``esi_endpoint``). It changes two things:

1. **Discovery.** ZDO requests addressed to the coordinator are answered for
   the Smart Energy endpoint, and do not reach zigpy:

   - Match Descriptor on profile 0x0109 (or the wildcard): the endpoint when
     it matches, an empty list otherwise (zigpy answers every profile other
     than 0x0104 with an empty list, and every 0x0104 request with endpoint
     1: those still go to zigpy unchanged);
   - Simple Descriptor of the Smart Energy endpoint: its descriptor;
   - Active Endpoints: the coordinator's endpoints (zigpy does not answer it).

2. **The interview of devices whose Basic cluster is on profile 0x0109.**
   zigpy parses ZCL only on profiles 0x0104 and 0xC05E and drops the others;
   it reads the model from Basic during its interview, and quirks (ours,
   ``se_profile.quirk``, reads 0x0109 as ZCL) apply only after it. So a device
   whose endpoints are all on 0x0109 never finishes joining. A frame from a
   0x0109 endpoint of a device that does not have the quirk yet, long enough
   for a ZCL header, is handed to zigpy as a 0x0104 frame: exactly what the
   quirk does once it applies. Frames of any other profile or endpoint, and
   of devices with the quirk, are untouched.

Nothing here imports Home Assistant.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
import logging
from typing import Any, Final

from zigpy.application import ControllerApplication
import zigpy.device
import zigpy.endpoint
from zigpy.profiles import zha
import zigpy.types as t
import zigpy.zdo.types as zdo_t

from ..clusters.profile import SMART_ENERGY_PROFILE_ID
from .device import SmartEnergyProfileDevice, holds_zcl_header
from .esi_endpoint import SE_ENDPOINT_ID, matches, smart_energy_descriptor

_LOGGER: Final = logging.getLogger(__name__)

ZDO_ENDPOINT: Final = 0
ZDO_PROFILE: Final = 0x0000

type PacketReceived = Callable[[t.ZigbeePacket], None]


class SmartEnergyCoordinator:
    """The gateway's Smart Energy endpoint on ZHA's zigpy application."""

    def __init__(
        self, app: ControllerApplication, endpoint_id: int = SE_ENDPOINT_ID
    ) -> None:
        """Prepare the endpoint ``endpoint_id`` on ``app``."""
        self.app = app
        self.descriptor = smart_energy_descriptor(endpoint_id)
        self.answered = 0
        self.rewritten = 0
        self._next: PacketReceived = app.packet_received
        self._installed: PacketReceived = self.packet_received
        self._active = False
        self._shadowed_own_attribute = False
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def endpoint_id(self) -> int:
        """Return the Smart Energy endpoint's number."""
        return int(self.descriptor.endpoint)

    async def async_start(self) -> None:
        """Register the endpoint with the radio and start answering."""
        coordinator = self.app._device
        if self.endpoint_id not in coordinator.endpoints:
            try:
                await self.app.add_endpoint(self.descriptor)
            except NotImplementedError:
                _LOGGER.warning(
                    "The radio library %s cannot register endpoints: the Smart"
                    " Energy endpoint 0x%02X is answered by the gateway only",
                    type(self.app).__module__.split(".")[0],
                    self.endpoint_id,
                )
        if self.endpoint_id not in coordinator.endpoints:
            _add_local_endpoint(coordinator, self.descriptor)
        self._active = True
        self._next = self.app.packet_received
        self._shadowed_own_attribute = "packet_received" in vars(self.app)
        self.app.packet_received = self._installed  # type: ignore[method-assign,assignment]

    def stop(self) -> None:
        """Stop answering; give the application its ``packet_received`` back."""
        self._active = False
        for task in self._tasks:
            task.cancel()
        if vars(self.app).get("packet_received") is not self._installed:
            return  # someone wrapped it after us: we stay in the chain, passing on
        if self._shadowed_own_attribute:
            self.app.packet_received = self._next  # type: ignore[method-assign,assignment]
        else:
            del self.app.packet_received

    # --- Received frames ------------------------------------------------------------

    def packet_received(self, packet: t.ZigbeePacket) -> None:
        """Answer Smart Energy discovery; read 0x0109 Basic during interviews."""
        if self._active:
            if packet.dst_ep == ZDO_ENDPOINT and packet.profile_id == ZDO_PROFILE:
                if self._answer_zdo(packet):
                    return
            elif packet.profile_id == SMART_ENERGY_PROFILE_ID:
                packet = self._as_zcl(packet)
        self._next(packet)

    def _sender(self, packet: t.ZigbeePacket) -> zigpy.device.Device | None:
        if packet.src is None:
            return None
        try:
            device = self.app.get_device_with_address(packet.src)
        except KeyError, ValueError:
            return None
        return device if isinstance(device, zigpy.device.Device) else None

    def _as_zcl(self, packet: t.ZigbeePacket) -> t.ZigbeePacket:
        device = self._sender(packet)
        if device is None or isinstance(device, SmartEnergyProfileDevice):
            return packet
        endpoint = device.endpoints.get(int(packet.src_ep or 0))
        if (
            not isinstance(endpoint, zigpy.endpoint.Endpoint)
            or endpoint.profile_id != SMART_ENERGY_PROFILE_ID
            or not holds_zcl_header(packet.data.serialize())
        ):
            return packet
        self.rewritten += 1
        return packet.replace(profile_id=zha.PROFILE_ID)

    def _answer_zdo(self, packet: t.ZigbeePacket) -> bool:
        """Answer a ZDO request about the Smart Energy endpoint; True if answered."""
        if packet.cluster_id not in _ZDO_REQUESTS:
            return False
        device = self._sender(packet)
        data = packet.data.serialize()
        if device is None or not data:
            return False
        command = zdo_t.ZDOCmd(packet.cluster_id)  # type: ignore[no-untyped-call]
        try:
            args, _ = t.deserialize(data[1:], zdo_t.CLUSTERS[command][1])  # type: ignore[no-untyped-call]
        except ValueError, KeyError:
            return False
        tsn = data[0]
        answer = _ZDO_REQUESTS[packet.cluster_id](self, device, tsn, args)
        if answer is None:
            return False
        self.answered += 1
        self._spawn(answer)
        return True

    def _match_desc(
        self, device: zigpy.device.Device, tsn: int, args: list[Any]
    ) -> Coroutine[Any, Any, Any] | None:
        _nwk, profile, in_clusters, out_clusters = args
        if profile not in (SMART_ENERGY_PROFILE_ID, 0xFFFF):
            return None  # zigpy answers 0x0104 (endpoint 1) and the rest (none)
        found = matches(self.descriptor, profile, in_clusters, out_clusters)
        _LOGGER.debug(
            "Match Descriptor from %s for profile 0x%04X, in %s, out %s: %s",
            device.ieee,
            profile,
            [f"0x{c:04X}" for c in in_clusters],
            [f"0x{c:04X}" for c in out_clusters],
            f"endpoint 0x{self.endpoint_id:02X}" if found else "no match",
        )
        endpoints = [self.endpoint_id] if found else []
        return device.zdo.Match_Desc_rsp(  # type: ignore[no-any-return]
            zdo_t.Status.SUCCESS,
            self._own_nwk,
            endpoints,
            tsn=tsn,
            priority=t.PacketPriority.CRITICAL,
        )

    def _simple_desc(
        self, device: zigpy.device.Device, tsn: int, args: list[Any]
    ) -> Coroutine[Any, Any, Any] | None:
        nwk, endpoint_id = args
        if nwk != self._own_nwk or endpoint_id != self.endpoint_id:
            return None
        descriptor = zdo_t.SizePrefixedSimpleDescriptor(**self.descriptor.as_dict())
        return device.zdo.Simple_Desc_rsp(  # type: ignore[no-any-return]
            zdo_t.Status.SUCCESS,
            self._own_nwk,
            descriptor,
            tsn=tsn,
            priority=t.PacketPriority.CRITICAL,
        )

    def _active_ep(
        self, device: zigpy.device.Device, tsn: int, args: list[Any]
    ) -> Coroutine[Any, Any, Any] | None:
        (nwk,) = args
        if nwk != self._own_nwk:
            return None
        endpoints = [
            int(endpoint_id)
            for endpoint_id in self.app._device.endpoints
            if endpoint_id != ZDO_ENDPOINT
        ]
        return device.zdo.Active_EP_rsp(  # type: ignore[no-any-return]
            zdo_t.Status.SUCCESS,
            self._own_nwk,
            endpoints,
            tsn=tsn,
            priority=t.PacketPriority.CRITICAL,
        )

    @property
    def _own_nwk(self) -> t.NWK:
        return self.app.state.node_info.nwk

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.get_running_loop().create_task(self._send(coro))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        # A task cancelled before it ran never awaited the answer: close it
        task.add_done_callback(lambda _task: coro.close())

    @staticmethod
    async def _send(coro: Coroutine[Any, Any, Any]) -> None:
        try:
            await coro
        except Exception as exc:
            _LOGGER.debug("Could not send a ZDO answer: %r", exc)


type _Answer = Callable[
    [SmartEnergyCoordinator, zigpy.device.Device, int, list[Any]],
    Coroutine[Any, Any, Any] | None,
]

_ZDO_REQUESTS: Final[dict[int, _Answer]] = {
    zdo_t.ZDOCmd.Match_Desc_req: SmartEnergyCoordinator._match_desc,
    zdo_t.ZDOCmd.Simple_Desc_req: SmartEnergyCoordinator._simple_desc,
    zdo_t.ZDOCmd.Active_EP_req: SmartEnergyCoordinator._active_ep,
}


def _add_local_endpoint(
    coordinator: zigpy.device.Device, descriptor: zdo_t.SimpleDescriptor
) -> None:
    """Describe the endpoint on zigpy's coordinator device (no radio involved)."""
    endpoint = coordinator.add_endpoint(descriptor.endpoint)
    endpoint.status = zigpy.endpoint.Status.ZDO_INIT
    endpoint.profile_id = descriptor.profile
    endpoint.device_type = descriptor.device_type  # type: ignore[assignment]
    for cluster_id in descriptor.input_clusters:
        endpoint.add_input_cluster(cluster_id)
    for cluster_id in descriptor.output_clusters:
        endpoint.add_output_cluster(cluster_id)
