"""A zigpy application on a fake radio, devices on it, and frames they send."""

from __future__ import annotations

from collections.abc import Iterable
from unittest.mock import AsyncMock

from zigpy.application import ControllerApplication
import zigpy.device
import zigpy.endpoint
import zigpy.profiles.zha
import zigpy.types as t
from zigpy.zcl import foundation
import zigpy.zdo.types as zdo_t

# Importing the package puts our clusters into zigpy's registry
import custom_components.se_gateway.quirks.smartenergy  # noqa: F401

DEVICE_EP = 1
COORDINATOR_EP = 1


class FakeApplication(ControllerApplication):
    """zigpy application whose radio does nothing; sent packets are recorded."""

    def __init__(self) -> None:
        super().__init__({"device": {"path": "/dev/null"}})
        self.send_packet = AsyncMock()  # type: ignore[method-assign]

    async def connect(self) -> None:
        pass

    async def disconnect(self) -> None:
        pass

    async def start_network(self) -> None:
        pass

    async def force_remove(self, dev) -> None:
        pass

    async def add_endpoint(self, descriptor) -> None:
        pass

    async def send_packet(self, packet: t.ZigbeePacket) -> None:
        pass

    async def permit_ncp(self, time_s: int = 60) -> None:
        pass

    async def permit_with_link_key(self, node, link_key, time_s: int = 60) -> None:
        pass

    async def write_network_info(self, *, network_info, node_info) -> None:
        pass

    async def load_network_info(self, *, load_devices: bool = False) -> None:
        pass

    async def reset_network_info(self) -> None:
        pass

    async def _network_scan(self, channels, duration_exp):
        yield  # pragma: no cover

    async def _packet_capture(self, channel):
        yield  # pragma: no cover

    async def _packet_capture_change_channel(self, channel) -> None:
        pass

    async def _subscribe_to_multicast_group(self, group_id) -> None:
        pass

    async def _unsubscribe_from_multicast_group(self, group_id) -> None:
        pass

    def sent_frames(self) -> list[bytes]:
        """Return the ZCL frames sent so far."""
        return [call.args[0].data.serialize() for call in self.send_packet.mock_calls]


def make_device(
    app: FakeApplication,
    *,
    in_clusters: Iterable[int] = (),
    out_clusters: Iterable[int] = (),
    nwk: int = 0x1234,
) -> zigpy.device.ZigbeeDevice:
    """Return an initialized device with one Home Automation profile endpoint."""
    ieee = t.EUI64(nwk.to_bytes(2, "little") + b"\x00\x11\x22\x33\x44\x55")
    device = app.add_device(ieee, nwk)
    device.node_desc = zdo_t.NodeDescriptor(
        logical_type=zdo_t.LogicalType.Router,
        complex_descriptor_available=0,
        user_descriptor_available=0,
        reserved=0,
        aps_flags=0,
        frequency_band=zdo_t.NodeDescriptor.FrequencyBand.Freq2400MHz,
        mac_capability_flags=zdo_t.NodeDescriptor.MACCapabilityFlags.AllocateAddress,
        manufacturer_code=0x1234,
        maximum_buffer_size=82,
        maximum_incoming_transfer_size=82,
        server_mask=0,
        maximum_outgoing_transfer_size=82,
        descriptor_capability_field=zdo_t.NodeDescriptor.DescriptorCapability.NONE,
    )

    endpoint = device.add_endpoint(DEVICE_EP)
    endpoint.status = zigpy.endpoint.Status.ZDO_INIT
    endpoint.profile_id = zigpy.profiles.zha.PROFILE_ID
    endpoint.device_type = 0x0501

    for cluster_id in in_clusters:
        endpoint.add_input_cluster(cluster_id)

    for cluster_id in out_clusters:
        endpoint.add_output_cluster(cluster_id)

    return device


def packet_from(
    device: zigpy.device.ZigbeeDevice, cluster_id: int, frame: bytes
) -> t.ZigbeePacket:
    """Return a packet carrying ``frame`` from the device's endpoint."""
    return t.ZigbeePacket(
        src=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=device.nwk),
        src_ep=DEVICE_EP,
        dst=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=0x0000),
        dst_ep=COORDINATOR_EP,
        tsn=frame[1],
        profile_id=zigpy.profiles.zha.PROFILE_ID,
        cluster_id=cluster_id,
        data=t.SerializableBytes(frame),
        lqi=255,
        rssi=-40,
    )


def cluster_frame(
    command: foundation.ZCLCommandDef,
    payload: bytes,
    *,
    server_to_client: bool,
    tsn: int = 0x42,
    disable_default_response: bool = False,
) -> bytes:
    """Return a cluster command frame: ZCL header and payload."""
    direction = (
        foundation.Direction.Server_to_Client
        if server_to_client
        else foundation.Direction.Client_to_Server
    )
    hdr = foundation.ZCLHeader.cluster(tsn, command.id, direction=direction)
    hdr.frame_control = hdr.frame_control.replace(
        disable_default_response=disable_default_response
    )
    return hdr.serialize() + payload
