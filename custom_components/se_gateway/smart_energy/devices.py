"""The Smart Energy devices on ZHA's network, each with its ZHA device entry.

A device counts when it has a Price, DRLC or Messaging cluster (either side)
or a Metering server. Its entities join its ZHA device page, so a device is
announced only once ZHA has registered it. Before that, the device is
prepared: the DRLC client attributes the engine filters load control events
with are read, and so are the Metering attributes the meter entities need,
so that only what the meter supports gets an entity. ZHA leaves a Metering
server on a Smart Energy profile (0x0109) endpoint alone, so such a meter's
summations, demand and scaling are read too, and it is bound and configured
to report (`se_profile_meter`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
import logging
from typing import Final, override

from homeassistant.helpers import device_registry as dr
from zigpy.device import Device
from zigpy.exceptions import ZigbeeException
import zigpy.types as t
from zigpy.zcl import Cluster
from zigpy.zcl.foundation import ZCLAttributeDef

from ..core.clusters import Drlc, Messaging, Metering, Price
from ..core.engine import DeviceRef
from ..core.engine.network import SE_CLUSTER_IDS, endpoints
from ..zha.devices import ZhaDeviceTracker
from .se_profile_meter import (
    ConfiguredCallback,
    async_configure_reporting,
    is_on_smart_energy_profile,
)

_LOGGER: Final = logging.getLogger(__name__)

METERING_STATUS: Final = Metering.AttributeDefs.status.name
TIERS: Final = range(1, 7)  # SE 1.1 tiers; 7-15 came with SE 1.2
TIER_ATTRIBUTES: Final = tuple(
    f"current_tier{tier}_summ_{direction}"
    for tier in TIERS
    for direction in ("delivered", "received")
)
METER_ATTRIBUTES: Final = (METERING_STATUS, *TIER_ATTRIBUTES)
SCALING_ATTRIBUTES: Final = (
    "multiplier",
    "divisor",
    "unit_of_measure",
    "metering_device_type",
)
SE_PROFILE_METER_ATTRIBUTES: Final = (
    *METER_ATTRIBUTES,
    "current_summ_delivered",
    "current_summ_received",
    "instantaneous_demand",
    *SCALING_ATTRIBUTES,
)
OUR_CLUSTERS: Final = (Price, Drlc, Messaging, Metering)
DRLC_CLIENT_ATTRIBUTES: Final = (
    Drlc.AttributeDefs.device_class_value.name,
    Drlc.AttributeDefs.utility_enrollment_group.name,
)


@dataclass
class SmartEnergyDevice:
    """A device with Smart Energy clusters and its ZHA device entry."""

    device: Device
    device_entry: dr.DeviceEntry
    meter_attributes: frozenset[str] = field(default_factory=frozenset)

    @property
    def ieee(self) -> t.EUI64:
        """Return the IEEE address."""
        return self.device.ieee

    def server_cluster(self, cluster_id: int) -> Cluster | None:
        """Return the first server cluster ``cluster_id``, if any."""
        for endpoint in endpoints(self.device):
            if cluster_id in endpoint.in_clusters:
                cluster: Cluster = endpoint.in_clusters[cluster_id]
                return cluster
        return None

    def client_cluster(self, cluster_id: int) -> Cluster | None:
        """Return the first client cluster ``cluster_id``, if any."""
        for endpoint in endpoints(self.device):
            if cluster_id in endpoint.out_clusters:
                cluster: Cluster = endpoint.out_clusters[cluster_id]
                return cluster
        return None

    def server(self, cluster_id: int) -> DeviceRef | None:
        """Return the endpoint of the server cluster ``cluster_id``, if any."""
        cluster = self.server_cluster(cluster_id)
        return None if cluster is None else DeviceRef.of(cluster)


def is_smart_energy(device: Device) -> bool:
    """Return True if the device has our SE clusters or our Metering server.

    A device ZHA loaded before our clusters were registered still holds
    zigpy's classes: it is taken once ZHA has loaded it again.
    """
    return any(
        (
            cluster_id in SE_CLUSTER_IDS
            or (
                cluster_id == Metering.cluster_id
                and cluster is endpoint.in_clusters.get(cluster_id)
            )
        )
        and isinstance(cluster, OUR_CLUSTERS)
        for endpoint in endpoints(device)
        for cluster_id, cluster in (
            *endpoint.in_clusters.items(),
            *endpoint.out_clusters.items(),
        )
    )


async def async_read(cluster: Cluster, names: list[str]) -> None:
    """Read attributes into zigpy's cache; a device that fails to answer is logged."""
    attributes: list[int | str | ZCLAttributeDef] = [*names]
    try:
        await cluster.read_attributes(attributes, allow_cache=False)
    except (ZigbeeException, TimeoutError) as err:
        _LOGGER.debug(
            "Could not read %s of %s: %r", names, cluster.endpoint.device.ieee, err
        )


async def async_read_unknown(cluster: Cluster, names: tuple[str, ...]) -> set[str]:
    """Return which of ``names`` the cluster supports, reading the unknown ones."""
    unknown = [
        name
        for name in names
        if cluster.get(name) is None and not cluster.is_attribute_unsupported(name)
    ]
    if unknown:
        await async_read(cluster, unknown)
    return {name for name in names if cluster.get(name) is not None}


class SmartEnergyDevices(ZhaDeviceTracker[SmartEnergyDevice]):
    """Finds SE devices now and as they join; announces each once prepared."""

    # Takes the reporting configurations the gateway sent a 0x0109 meter.
    on_reporting_configured: ConfiguredCallback | None = None

    @override
    def matches(self, device: Device) -> bool:
        """Take interviewed devices with SE clusters or a Metering server."""
        return bool(device.is_initialized) and is_smart_energy(device)

    @override
    async def async_set_up(
        self, device: Device, device_entry: dr.DeviceEntry
    ) -> SmartEnergyDevice:
        """Read what the entities and the engine need."""
        se_device = SmartEnergyDevice(device, device_entry)
        if (drlc := se_device.client_cluster(Drlc.cluster_id)) is not None:
            await async_read_unknown(drlc, DRLC_CLIENT_ATTRIBUTES)
        if (metering := se_device.server_cluster(Metering.cluster_id)) is not None:
            await self._async_prepare_meter(se_device, metering)
        return se_device

    async def _async_prepare_meter(
        self, se_device: SmartEnergyDevice, metering: Cluster
    ) -> None:
        """Read what the meter supports; set up a 0x0109 meter's reports."""
        if not is_on_smart_energy_profile(metering):
            se_device.meter_attributes = frozenset(
                await async_read_unknown(metering, METER_ATTRIBUTES)
            )
            return
        supported = await async_read_unknown(metering, SE_PROFILE_METER_ATTRIBUTES)
        se_device.meter_attributes = frozenset(supported)
        await async_configure_reporting(
            metering, supported, self.on_reporting_configured
        )
