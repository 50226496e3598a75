"""Fixtures: a real zigpy application and lock device; only the radio is mocked."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from zha.quirks import DEVICE_REGISTRY
import zigpy.device
import zigpy.types as t
from zigpy.zdo import types as zdo_t

# Importing the package registers the quirk.
from custom_components.se_gateway.core.tuya_lock import TuyaLockCluster

from ...zigpy_app import FakeApplication

LOCK_IEEE = t.EUI64.convert("a4:c1:38:00:00:00:00:01")
LOCK_NWK = 0x1234
FIELD_MANUFACTURER = "_TYST12_snr3p274"
FIELD_MODEL = "TY0A01"

# ZCL frame control bytes of frames from the lock (cluster-specific, server to
# client), with and without "disable default response".
FC_WANTS_ACK = 0x09
FC_NO_ACK = 0x19


def make_app() -> FakeApplication:
    """Return an application whose `send_packet` records packets."""
    return FakeApplication()


def make_device(
    app: FakeApplication,
    manufacturer: str = FIELD_MANUFACTURER,
    model: str = FIELD_MODEL,
    *,
    profile_id: int = 0x0104,
    in_clusters: tuple[int, ...] = (0x0000, 0x0004, 0x0005, 0x000A, 0xEF00),
) -> zigpy.device.Device:
    """Return an interviewed lock, resolved through ZHA's quirk registry."""
    device = app.add_device(LOCK_IEEE, LOCK_NWK)
    device.node_desc = zdo_t.NodeDescriptor(logical_type=zdo_t.LogicalType.EndDevice)
    endpoint = device.add_endpoint(1)
    endpoint.profile_id = profile_id
    endpoint.device_type = 0x0051
    for cluster_id in in_clusters:
        endpoint.add_input_cluster(cluster_id)
    endpoint.add_output_cluster(0x0019)
    device.manufacturer = manufacturer
    device.model = model
    resolved = DEVICE_REGISTRY.resolve(device)
    app.devices[resolved.ieee] = resolved
    return resolved


def zcl_frame(
    command_id: int, payload: bytes, *, tsn: int = 0x42, frame_control: int = FC_NO_ACK
) -> bytes:
    """Build a ZCL frame as the lock sends it."""
    return bytes((frame_control, tsn, command_id)) + payload


def packet(data: bytes) -> t.ZigbeePacket:
    """Wrap ZCL bytes in a packet from the lock's endpoint 1 on 0xEF00."""
    return t.ZigbeePacket(
        src=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=LOCK_NWK),
        src_ep=1,
        dst=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=0x0000),
        dst_ep=1,
        tsn=data[1] if len(data) > 1 else 0,
        profile_id=0x0104,
        cluster_id=0xEF00,
        data=t.SerializableBytes(data),
    )


async def settle() -> None:
    """Let the cluster's send tasks run."""
    for _ in range(5):
        await asyncio.sleep(0)


class LockHarness:
    """A lock device on a fake application, and the events its cluster emits."""

    def __init__(self, app: FakeApplication, device: zigpy.device.Device) -> None:
        self.app = app
        self.device = device
        self.cluster: TuyaLockCluster = device.endpoints[1].in_clusters[0xEF00]
        self.events: list[Any] = []
        self.cluster.on_all_events(self.events.append)

    def receive(self, command_id: int, payload: bytes, **kwargs: Any) -> None:
        """Deliver a frame through zigpy's full receive path."""
        self.device.packet_received(packet(zcl_frame(command_id, payload, **kwargs)))

    def receive_again(self, command_id: int, payload: bytes, **kwargs: Any) -> None:
        """Deliver a retransmission after zigpy's own 10 s duplicate filter."""
        self.device._packet_debouncer.clean(now=float("inf"))
        self.receive(command_id, payload, **kwargs)

    def events_of(self, kind: type) -> list[Any]:
        """Return the emitted events of one class."""
        return [event for event in self.events if isinstance(event, kind)]

    def sent(self) -> list[bytes]:
        """Return the ZCL bytes sent to the lock."""
        return self.app.sent_frames()


@pytest.fixture
def lock() -> LockHarness:
    """A TY0A01 lock with the quirk applied."""
    app = make_app()
    return LockHarness(app, make_device(app))


@pytest.fixture
def device_factory() -> Callable[..., zigpy.device.Device]:
    """Build devices on a fresh application, for quirk matching tests."""

    def factory(*args: Any, **kwargs: Any) -> zigpy.device.Device:
        return make_device(make_app(), *args, **kwargs)

    return factory
