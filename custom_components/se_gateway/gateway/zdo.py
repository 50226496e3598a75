"""ZDO requests through zigpy, and their answers as the manual's records.

Records are plain dicts with the manual's parameter names: ``Node_Desc_rsp``,
``Power_Desc_rsp``, ``Simple_Desc_rsp``, the active endpoint list and
``ZDODeviceRecord``. Descriptor fields follow the ZigBee specification.
"""

from __future__ import annotations

from typing import Any

import zigpy.device
import zigpy.types as t
import zigpy.zdo.types as zdo_t

from .errors import request_errors

SUCCESS = zdo_t.Status.SUCCESS

NODE_DESCRIPTOR_FIELDS = (
    "logical_type",
    "complex_descriptor_available",
    "user_descriptor_available",
    "aps_flags",
    "frequency_band",
    "mac_capability_flags",
    "manufacturer_code",
    "maximum_buffer_size",
    "maximum_incoming_transfer_size",
    "server_mask",
    "maximum_outgoing_transfer_size",
    "descriptor_capability_field",
)
POWER_DESCRIPTOR_FIELDS = (
    "current_power_mode",
    "available_power_sources",
    "current_power_source",
    "current_power_source_level",
)


def zdo_status(status: int) -> dict[str, Any]:
    """Return a ZDO status with its name: ZDO's names, not ZCL's, for one number."""
    names = {int(member): member.name for member in zdo_t.Status}
    return {"status": int(status), "status_name": names.get(int(status))}


async def zdo_request(
    device: zigpy.device.Device, command: zdo_t.ZDOCmd, *args: Any, **kwargs: Any
) -> list[Any]:
    """Send a ZDO request to ``device`` and return the answer's fields."""
    with request_errors(device.ieee):
        answer: list[Any] = await device.zdo.request(command, *args, **kwargs)
    return answer


def _fields(descriptor: Any, names: tuple[str, ...]) -> dict[str, int]:
    return {name: int(getattr(descriptor, name)) for name in names}


def node_descriptor_record(
    status: int, nwk: int, descriptor: zdo_t.NodeDescriptor | None
) -> dict[str, Any]:
    """Return a ``Node_Desc_rsp`` record."""
    record: dict[str, Any] = {**zdo_status(status), "nwk_addr": int(nwk)}
    if status == SUCCESS and descriptor is not None:
        record |= _fields(descriptor, NODE_DESCRIPTOR_FIELDS)
    return record


def power_descriptor_record(
    status: int, nwk: int, descriptor: zdo_t.PowerDescriptor | None
) -> dict[str, Any]:
    """Return a ``Power_Desc_rsp`` record."""
    record: dict[str, Any] = {**zdo_status(status), "nwk_addr": int(nwk)}
    if status == SUCCESS and descriptor is not None:
        record |= _fields(descriptor, POWER_DESCRIPTOR_FIELDS)
    return record


def simple_descriptor_fields(
    endpoint_id: int,
    profile_id: int,
    device_id: int,
    device_version: int | None,
    input_clusters: list[int],
    output_clusters: list[int],
) -> dict[str, Any]:
    """Return the fields of a simple descriptor (zigpy keeps no device version)."""
    fields: dict[str, Any] = {
        "endpoint_id": int(endpoint_id),
        "profile_id": int(profile_id),
        "device_id": int(device_id),
    }
    if device_version is not None:
        fields["device_version"] = int(device_version)
    return fields | {
        "input_cluster_list": [int(cluster) for cluster in input_clusters],
        "output_cluster_list": [int(cluster) for cluster in output_clusters],
    }


def simple_descriptor_record(
    status: int, nwk: int, descriptor: zdo_t.SimpleDescriptor | None
) -> dict[str, Any]:
    """Return a ``Simple_Desc_rsp`` record."""
    record: dict[str, Any] = {**zdo_status(status), "nwk_addr": int(nwk)}
    if status == SUCCESS and descriptor is not None:
        record |= simple_descriptor_fields(
            descriptor.endpoint,
            descriptor.profile,
            descriptor.device_type,
            descriptor.device_version,
            descriptor.input_clusters,
            descriptor.output_clusters,
        )
    return record


async def request_node_descriptor(device: zigpy.device.Device) -> dict[str, Any]:
    """Ask ``device`` for its node descriptor."""
    status, nwk, descriptor = await zdo_request(
        device, zdo_t.ZDOCmd.Node_Desc_req, device.nwk
    )
    return node_descriptor_record(status, nwk, descriptor)


async def request_power_descriptor(
    device: zigpy.device.Device, **kwargs: Any
) -> dict[str, Any]:
    """Ask ``device`` for its power descriptor."""
    status, nwk, descriptor = await zdo_request(
        device, zdo_t.ZDOCmd.Power_Desc_req, device.nwk, **kwargs
    )
    return power_descriptor_record(status, nwk, descriptor)


async def request_active_endpoints(device: zigpy.device.Device) -> dict[str, Any]:
    """Ask ``device`` for its active endpoints."""
    status, nwk, endpoints = await zdo_request(
        device, zdo_t.ZDOCmd.Active_EP_req, device.nwk
    )
    return {
        **zdo_status(status),
        "nwk_addr": int(nwk),
        "active_endpoints": [int(ep) for ep in endpoints or ()],
    }


async def request_simple_descriptor(
    device: zigpy.device.Device, endpoint_id: int
) -> dict[str, Any]:
    """Ask ``device`` for the simple descriptor of one endpoint."""
    status, nwk, descriptor = await zdo_request(
        device, zdo_t.ZDOCmd.Simple_Desc_req, device.nwk, endpoint_id
    )
    return simple_descriptor_record(status, nwk, descriptor)


async def request_binding(
    device: zigpy.device.Device,
    *,
    bind: bool,
    source_endpoint_id: int,
    cluster_id: int,
    destination: t.EUI64,
    destination_endpoint_id: int,
) -> dict[str, Any]:
    """Bind (or unbind) a cluster of ``device`` to an endpoint of ``destination``."""
    address = zdo_t.MultiAddress(
        addrmode=0x03,  # 64-bit address and endpoint
        ieee=destination,
        endpoint=destination_endpoint_id,
    )
    command = zdo_t.ZDOCmd.Bind_req if bind else zdo_t.ZDOCmd.Unbind_req
    (status,) = await zdo_request(
        device, command, device.ieee, source_endpoint_id, cluster_id, address
    )
    return zdo_status(status)


def device_record(
    device: zigpy.device.Device,
    *,
    active: bool,
    power_descriptor: dict[str, Any] | None,
) -> dict[str, Any]:
    """Return a ``ZDODeviceRecord`` from what zigpy knows about ``device``."""
    record: dict[str, Any] = {
        "addr_extended": str(device.ieee),
        "addr_short": int(device.nwk),
        "active": active,
        "node_type": -1,
    }
    if (node := device.node_desc) is not None:
        record["node_type"] = int(node.logical_type)
        record["manufacturer_id"] = int(node.manufacturer_code)
        record["node_descriptor"] = node_descriptor_record(SUCCESS, device.nwk, node)
    if power_descriptor is not None:
        record["power_descriptor"] = power_descriptor
    endpoints = {
        endpoint_id: endpoint
        for endpoint_id, endpoint in device.endpoints.items()
        if endpoint_id != 0
    }
    record["active_endpoints"] = sorted(endpoints)
    record["simple_descriptors"] = {
        f"endpoint_0x{endpoint_id:02X}": {
            **zdo_status(SUCCESS),
            "nwk_addr": int(device.nwk),
            **simple_descriptor_fields(
                endpoint_id,
                endpoint.profile_id or 0,
                endpoint.device_type or 0,
                None,
                list(endpoint.in_clusters),
                list(endpoint.out_clusters),
            ),
        }
        for endpoint_id, endpoint in sorted(endpoints.items())
    }
    return record


def unjoined_device_record(ieee: t.EUI64) -> dict[str, Any]:
    """Return a ``ZDODeviceRecord`` for an added device that has not joined."""
    return {"addr_extended": str(ieee), "active": False, "node_type": -1}
