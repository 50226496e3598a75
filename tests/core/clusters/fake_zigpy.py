"""A zigpy application on a fake radio, devices on it, and frames they send."""

from __future__ import annotations

from collections.abc import Iterable

import zigpy.device
import zigpy.endpoint
import zigpy.profiles.zha
import zigpy.types as t
import zigpy.zcl
from zigpy.zcl import foundation
import zigpy.zdo.types as zdo_t

# Importing the package puts our clusters into zigpy's registry
import custom_components.se_gateway.core.clusters  # noqa: F401

from ...zigpy_app import FakeApplication

DEVICE_EP = 1
COORDINATOR_EP = 1


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
    device.node_desc = zdo_t.NodeDescriptor(logical_type=zdo_t.LogicalType.Router)

    endpoint = device.add_endpoint(DEVICE_EP)
    endpoint.status = zigpy.endpoint.Status.ZDO_INIT
    endpoint.profile_id = zigpy.profiles.zha.PROFILE_ID
    endpoint.device_type = 0x0501

    for cluster_id in in_clusters:
        endpoint.add_input_cluster(cluster_id)

    for cluster_id in out_clusters:
        endpoint.add_output_cluster(cluster_id)

    return device


def command_cluster(
    app: FakeApplication, cluster_id: int, *, server_to_client: bool
) -> zigpy.zcl.Cluster:
    """Return the cluster of a new device that zigpy uses for such commands.

    zigpy receives a server-to-client command, and sends one to the device, on
    the client (output) cluster; a client-to-server one on the server (input).
    """
    if server_to_client:
        device = make_device(app, out_clusters=[cluster_id])
        return device.endpoints[DEVICE_EP].out_clusters[cluster_id]

    device = make_device(app, in_clusters=[cluster_id])
    return device.endpoints[DEVICE_EP].in_clusters[cluster_id]


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
