"""The gateway's lock cluster and the simulated lock, joined by a fake air.

The cluster is se_gateway_core's, on a real zigpy device of a fake
application; the lock is the simulator's. Frames go both ways as bytes, so
each side reads only what the other encoded.
"""

from __future__ import annotations

import asyncio
from typing import Any

import zigpy.device
import zigpy.types as t
from zigpy.zdo import types as zdo_t

from network_simulator.tuya_lock import TuyaLock, tuya_lock
from se_gateway_core.tuya_lock import TuyaLockCluster

from ..zigpy_app import FakeApplication
from .helpers import Air, FakeClock, on_air

NWK = 0x1234


class Bridge:
    """A simulated lock of one profile and the gateway's cluster for it."""

    def __init__(self, profile: str = "simlock", **kwargs: Any) -> None:
        self.clock = FakeClock()
        self.sim: TuyaLock = tuya_lock(
            profile=profile, clock=self.clock, startup_delay_s=0.0, **kwargs
        )
        self.air: Air = on_air(self.sim, NWK)
        self.app = FakeApplication()
        self.device = self._device()
        self.cluster: TuyaLockCluster = self.device.endpoints[1].in_clusters[0xEF00]
        self.events: list[Any] = []
        self.cluster.on_all_events(self.events.append)
        self._forwarded = 0

    def _device(self) -> zigpy.device.Device:
        device = self.app.add_device(self.sim.ieee, NWK)
        device.node_desc = zdo_t.NodeDescriptor(
            logical_type=zdo_t.LogicalType.EndDevice
        )
        device.manufacturer = self.sim.manufacturer
        device.model = self.sim.model
        endpoint = device.add_endpoint(1)
        endpoint.profile_id = 0x0104
        endpoint.device_type = 0x0051
        endpoint.in_clusters[0xEF00] = TuyaLockCluster(endpoint)
        return device

    def to_gateway(self) -> int:
        """Deliver what the lock sent; return how many frames."""
        frames = self.air.take()
        for _src, dst, cluster_id, profile, data in frames:
            if dst == 0:
                continue  # ZDO
            self.device.packet_received(
                t.ZigbeePacket(
                    src=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=NWK),
                    src_ep=1,
                    dst=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=0),
                    dst_ep=1,
                    tsn=data[1],
                    profile_id=profile,
                    cluster_id=cluster_id,
                    data=t.SerializableBytes(data),
                )
            )
        return len(frames)

    def to_lock(self) -> int:
        """Deliver what the gateway sent since last time; return how many."""
        sent = self.app.sent_frames()[self._forwarded :]
        self._forwarded += len(sent)
        for data in sent:
            self.sim.receive((1, 1, 0xEF00, 0x0104, data))
        return len(sent)

    async def run(self, rounds: int = 50) -> None:
        """Let both sides talk until neither has anything more to say."""
        for _ in range(rounds):
            for _ in range(5):
                await asyncio.sleep(0)
            if not (self.to_gateway() + self.to_lock()):
                return

    async def tick(self, seconds: float) -> None:
        """Let the lock's time pass, and both sides talk."""
        self.sim.tick(self.clock.advance(seconds))
        await self.run()

    def events_of(self, kind: type) -> list[Any]:
        """Return the cluster's events of one class."""
        return [event for event in self.events if isinstance(event, kind)]
