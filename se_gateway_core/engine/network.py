"""Finding the Smart Energy clusters of the devices on a zigpy network.

A client cluster (an IHD's Price, a load device's DRLC) is in the device's
output clusters; a server cluster (a meter's Price) in its input clusters.
zigpy decodes what a device sends with that device's own cluster object, so
both sending and receiving go through these objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Final

from zigpy.application import ControllerApplication
from zigpy.device import BaseDevice, Device
from zigpy.endpoint import Endpoint
import zigpy.types as t
from zigpy.zcl import Cluster

from ..clusters import Drlc, Messaging, Price
from .delivery import DeviceRef

SE_CLUSTER_IDS: Final = frozenset(
    {Price.cluster_id, Drlc.cluster_id, Messaging.cluster_id}
)

type AvailabilityCheck = Callable[[Device], bool]


def initialized(device: Device) -> bool:
    """Return True if zigpy has interviewed the device (the default check)."""
    return bool(device.is_initialized)


def endpoints(device: Device) -> Iterator[Endpoint]:
    """Yield the device's application endpoints (not ZDO)."""
    for endpoint_id, endpoint in device.endpoints.items():
        if endpoint_id != 0 and isinstance(endpoint, Endpoint):
            yield endpoint


def se_clusters(device: Device) -> Iterator[Cluster]:
    """Yield the device's Price, DRLC and Messaging clusters, both sides."""
    for endpoint in endpoints(device):
        for clusters in (endpoint.in_clusters, endpoint.out_clusters):
            for cluster_id, cluster in clusters.items():
                if cluster_id in SE_CLUSTER_IDS:
                    yield cluster


def client_clusters(devices: Iterable[Device], cluster_id: int) -> Iterator[Cluster]:
    """Yield the client clusters ``cluster_id`` of ``devices``."""
    for device in devices:
        for endpoint in endpoints(device):
            if cluster_id in endpoint.out_clusters:
                yield endpoint.out_clusters[cluster_id]


def zigbee_device(device: BaseDevice | None) -> Device | None:
    """Return ``device`` if it is a Zigbee device (not Green Power)."""
    return device if isinstance(device, Device) else None


def remote_devices(
    app: ControllerApplication, is_available: AvailabilityCheck
) -> list[Device]:
    """Return the available devices of the network, the coordinator left out."""
    return [
        device
        for device in app.devices.values()
        if isinstance(device, Device)
        and device.ieee != app.state.node_info.ieee
        and is_available(device)
    ]


def server_cluster(
    app: ControllerApplication, server: DeviceRef, cluster_id: int
) -> Cluster | None:
    """Return the server cluster ``cluster_id`` of a device endpoint, if any."""
    device = zigbee_device(app.devices.get(t.EUI64.convert(server.ieee)))
    if device is None:
        return None
    endpoint = device.endpoints.get(server.endpoint)
    if not isinstance(endpoint, Endpoint):
        return None
    return endpoint.in_clusters.get(cluster_id)


def drlc_client_attributes(cluster: Cluster) -> tuple[int | None, int | None]:
    """Return the cached DeviceClassValue and UtilityEnrollmentGroup (None: unknown)."""
    if not isinstance(cluster, Drlc):
        # zigpy's own class, on a device loaded before ours were registered.
        return None, None
    device_class = cluster.get(Drlc.AttributeDefs.device_class_value.name)
    group = cluster.get(Drlc.AttributeDefs.utility_enrollment_group.name)
    return (
        None if device_class is None else int(device_class),
        None if group is None else int(group),
    )
