"""The manual's ZigBee requests: devices, joining, ZDO descriptors and binding."""

from __future__ import annotations

import asyncio
from typing import Any, Final

from homeassistant.core import ServiceResponse, SupportsResponse
import probatio
from zigpy.application import ControllerApplication
import zigpy.device
import zigpy.types as t

from ..errors import field_error
from ..gateway.availability import is_active
from ..gateway.device_keys import KnownDevice
from ..gateway.errors import ZigbeeRequestError, request_errors
from ..gateway.network import CHANGED_THROUGH_ZHA, FIXED_WHILE_LIVE, network_record
from ..gateway.zdo import (
    device_record,
    request_active_endpoints,
    request_binding,
    request_node_descriptor,
    request_power_descriptor,
    request_simple_descriptor,
    unjoined_device_record,
)
from .common import Gateway, ServiceData, ServiceSpec, unknown_cluster
from .fields import (
    CLUSTER_ID,
    DESTINATION_ADDRESS,
    DESTINATION_ENDPOINT_ID,
    DEVICE_ADDRESS,
    ENDPOINT,
    INSTALLATION_CODE,
    JOIN_TIME,
    LINK_KEY,
    SOURCE_ENDPOINT_ID,
    UINT16,
    UINT32,
    address,
    ieee,
    installation_code,
    link_key,
    whole_number,
)

# XBee radios take link key registrations for 30 s or more.
KEY_REGISTRATION_MIN_S: Final = 30
MAX_JOIN_TIME_S: Final = 254


async def _async_permit(app: ControllerApplication, join_time: int) -> None:
    with request_errors(app.state.node_info.ieee):
        await app.permit(time_s=join_time)


async def _async_permit_with_key(
    app: ControllerApplication, device: KnownDevice, join_time: int
) -> None:
    assert device.link_key is not None
    with request_errors(device.device_address):
        await app.permit_with_link_key(
            node=device.device_address,
            link_key=device.link_key,
            time_s=max(join_time, KEY_REGISTRATION_MIN_S),
        )


async def add_device(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Remember a device and its key; with a join time, let it join now."""
    if LINK_KEY in data and INSTALLATION_CODE in data:
        raise field_error("link_key_and_installation_code", INSTALLATION_CODE)
    device = KnownDevice(
        data[DEVICE_ADDRESS], data.get(LINK_KEY, data.get(INSTALLATION_CODE))
    )
    if (join_time := data.get(JOIN_TIME)) is not None:
        if device.link_key is None:
            await _async_permit(gateway.app, join_time)
        else:
            await _async_permit_with_key(gateway.app, device, join_time)
    await gateway.store.async_set_device(device)
    return {"device_address": str(device.device_address)}


async def remove_device(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Make a device leave the network and forget it."""
    device_address: t.EUI64 = data[DEVICE_ADDRESS]
    app = gateway.app
    on_network = (
        device_address in app.devices and device_address != app.state.node_info.ieee
    )
    if not on_network and device_address not in gateway.store.devices:
        raise field_error("unknown_device", DEVICE_ADDRESS, address=device_address)
    if on_network:
        with request_errors(device_address):
            await gateway.zha.async_remove_device(device_address)
    await gateway.store.async_remove_device(device_address)
    return {"device_address": str(device_address)}


async def enable_joining(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Open joining for some seconds (0 closes it).

    Added devices that have a key and have not joined yet may join too.
    """
    join_time: int = data[JOIN_TIME]
    app = gateway.app
    await _async_permit(app, join_time)
    if join_time:
        for device in gateway.store.devices.values():
            if device.link_key is not None and device.device_address not in app.devices:
                await _async_permit_with_key(app, device, join_time)
    return {"join_time": join_time}


async def _power_descriptor(device: zigpy.device.Device) -> dict[str, Any] | None:
    """Return the device's power descriptor, or None if it does not answer."""
    try:
        return await request_power_descriptor(device, retries=0)
    except ZigbeeRequestError:
        return None


async def get_device_information(
    gateway: Gateway, data: ServiceData
) -> ServiceResponse:
    """Describe one device, or every device the gateway knows."""
    app = gateway.app
    coordinator = app.state.node_info.ieee
    known = gateway.store.devices
    if (device_address := data.get(DEVICE_ADDRESS)) is None:
        devices = [
            device
            for ieee, device in app.devices.items()
            if ieee != coordinator and isinstance(device, zigpy.device.Device)
        ]
        unjoined = [ieee for ieee in known if ieee not in app.devices]
    elif device_address in known and device_address not in app.devices:
        devices, unjoined = [], [device_address]
    else:
        devices, unjoined = [gateway.device(device_address, DEVICE_ADDRESS)], []
    power_descriptors = await asyncio.gather(*map(_power_descriptor, devices))
    records: list[Any] = [
        device_record(
            device, active=is_active(gateway.zha, device), power_descriptor=power
        )
        for device, power in zip(devices, power_descriptors, strict=True)
    ]
    records += [unjoined_device_record(ieee) for ieee in unjoined]
    return {"record_list": records}


async def get_node_descriptor(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Send a Node_Desc_req and return the answer."""
    device = gateway.device(data[DESTINATION_ADDRESS], DESTINATION_ADDRESS)
    return {"source_address": str(device.ieee), **await request_node_descriptor(device)}


async def get_power_descriptor(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Send a Power_Desc_req and return the answer."""
    device = gateway.device(data[DESTINATION_ADDRESS], DESTINATION_ADDRESS)
    return {
        "source_address": str(device.ieee),
        **await request_power_descriptor(device),
    }


async def get_active_endpoints(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Send an Active_EP_req and return the answer."""
    device = gateway.device(data[DESTINATION_ADDRESS], DESTINATION_ADDRESS)
    return {
        "source_address": str(device.ieee),
        **await request_active_endpoints(device),
    }


def _endpoint_id(data: ServiceData) -> int:
    """Return the destination endpoint, given or filled in by an alias."""
    if (endpoint_id := data.get(DESTINATION_ENDPOINT_ID)) is None:
        raise field_error("missing_field", DESTINATION_ENDPOINT_ID, error="")
    return int(endpoint_id)


async def get_simple_descriptor(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Send a Simple_Desc_req for one endpoint and return the answer."""
    device = gateway.device(data[DESTINATION_ADDRESS], DESTINATION_ADDRESS)
    endpoint_id = _endpoint_id(data)
    return {
        "source_address": str(device.ieee),
        **await request_simple_descriptor(device, endpoint_id),
    }


async def _binding(
    gateway: Gateway, data: ServiceData, *, bind: bool
) -> dict[str, Any]:
    """Bind or unbind a device's cluster to a gateway endpoint."""
    device = gateway.device(data[DESTINATION_ADDRESS], DESTINATION_ADDRESS)
    endpoint_id = _endpoint_id(data)
    endpoint = gateway.endpoint(device, endpoint_id)
    cluster_id: int = data[CLUSTER_ID]
    if (
        cluster_id not in endpoint.in_clusters
        and cluster_id not in endpoint.out_clusters
    ):
        raise unknown_cluster(device, endpoint_id, cluster_id)
    app = gateway.app
    return await request_binding(
        device,
        bind=bind,
        source_endpoint_id=endpoint_id,
        cluster_id=cluster_id,
        destination=app.state.node_info.ieee,
        destination_endpoint_id=data.get(SOURCE_ENDPOINT_ID)
        or app.get_endpoint_id(cluster_id),
    )


async def bind(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Send a ZDO Bind_req and return its status."""
    return await _binding(gateway, data, bind=True)


async def unbind(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Send a ZDO Unbind_req and return its status."""
    return await _binding(gateway, data, bind=False)


async def configure_zigbee_network(
    gateway: Gateway, data: ServiceData
) -> ServiceResponse:
    """Return the network parameters; refuse to change those fixed while live."""
    current = network_record(gateway.app)
    for field in (*FIXED_WHILE_LIVE, *CHANGED_THROUGH_ZHA):
        if field in data and str(data[field]) != str(current[field]):
            key = (
                "network_parameter_live"
                if field in FIXED_WHILE_LIVE
                else "network_channel_through_zha"
            )
            raise field_error(key, field, current=current[field])
    return current


TARGET: Final[dict[Any, Any]] = {probatio.Required(DESTINATION_ADDRESS): address}
TARGET_ENDPOINT: Final[dict[Any, Any]] = {
    **TARGET,
    probatio.Optional(DESTINATION_ENDPOINT_ID): ENDPOINT,
}
BINDING: Final[dict[Any, Any]] = {
    **TARGET_ENDPOINT,
    probatio.Optional(SOURCE_ENDPOINT_ID): ENDPOINT,
    probatio.Required(CLUSTER_ID): UINT16,
}


SERVICES: Final = (
    ServiceSpec(
        name="add_device",
        handler=add_device,
        schema={
            probatio.Required(DEVICE_ADDRESS): address,
            probatio.Optional(JOIN_TIME): whole_number(1, MAX_JOIN_TIME_S),
            probatio.Optional(LINK_KEY): link_key,
            probatio.Optional(INSTALLATION_CODE): installation_code,
        },
        supports_response=SupportsResponse.OPTIONAL,
    ),
    ServiceSpec(
        name="remove_device",
        handler=remove_device,
        schema={probatio.Required(DEVICE_ADDRESS): address},
        supports_response=SupportsResponse.OPTIONAL,
    ),
    ServiceSpec(
        name="enable_joining",
        handler=enable_joining,
        schema={probatio.Required(JOIN_TIME): whole_number(0, MAX_JOIN_TIME_S)},
        supports_response=SupportsResponse.OPTIONAL,
    ),
    ServiceSpec(
        name="get_device_information",
        handler=get_device_information,
        schema={probatio.Optional(DEVICE_ADDRESS): address},
    ),
    ServiceSpec(name="get_node_descriptor", handler=get_node_descriptor, schema=TARGET),
    ServiceSpec(
        name="get_power_descriptor", handler=get_power_descriptor, schema=TARGET
    ),
    ServiceSpec(
        name="get_active_endpoints", handler=get_active_endpoints, schema=TARGET
    ),
    ServiceSpec(
        name="get_simple_descriptor",
        handler=get_simple_descriptor,
        schema=TARGET_ENDPOINT,
    ),
    ServiceSpec(
        name="bind",
        handler=bind,
        schema=BINDING,
        supports_response=SupportsResponse.OPTIONAL,
    ),
    ServiceSpec(
        name="unbind",
        handler=unbind,
        schema=BINDING,
        supports_response=SupportsResponse.OPTIONAL,
    ),
    ServiceSpec(
        name="configure_zigbee_network",
        handler=configure_zigbee_network,
        schema={
            probatio.Optional("extended_pan_id"): ieee,
            probatio.Optional("pan_id"): UINT16,
            probatio.Optional("channel"): whole_number(11, 26),
            probatio.Optional("channel_mask"): UINT32,
        },
        supports_response=SupportsResponse.OPTIONAL,
    ),
)
