"""Simulated Zigbee devices: endpoints, clusters and a ZDO responder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
import itertools
import logging
import time
from typing import Any

import zigpy.types as t
from zigpy.zcl import foundation
import zigpy.zdo.types as zdo_t

from .zcl import SimulatedCluster

_LOGGER = logging.getLogger(__name__)

ZDO_ENDPOINT = 0
ZDO_PROFILE = 0x0000
COORDINATOR_NWK = 0x0000

# A frame sent by a device: (src_ep, dst_ep, cluster, profile, data).
Frame = tuple[int, int, int, int, bytes]
Transmit = Callable[["SimulatedDevice", Frame], None]


@dataclass
class Binding:
    """An entry of a device's binding table."""

    src_ep: int
    cluster_id: int
    dst_ieee: t.EUI64
    dst_ep: int


@dataclass
class SimulatedEndpoint:
    """An application endpoint with its server (in) and client (out) clusters."""

    endpoint_id: int
    profile_id: int
    device_type: int
    in_clusters: dict[int, SimulatedCluster] = field(default_factory=dict)
    out_clusters: dict[int, SimulatedCluster] = field(default_factory=dict)

    def add(self, cluster: SimulatedCluster) -> SimulatedCluster:
        """Add a cluster to the endpoint and return it."""
        clusters = self.in_clusters if cluster.is_server else self.out_clusters
        clusters[cluster.cluster_id] = cluster
        return cluster

    def simple_descriptor(self) -> zdo_t.SizePrefixedSimpleDescriptor:
        """Return the endpoint's simple descriptor."""
        return zdo_t.SizePrefixedSimpleDescriptor(
            endpoint=self.endpoint_id,
            profile=self.profile_id,
            device_type=self.device_type,
            device_version=1,
            input_clusters=list(self.in_clusters),
            output_clusters=list(self.out_clusters),
        )


@dataclass
class SimulatedDevice:
    """A Zigbee device that answers ZDO and ZCL requests like a real one."""

    ieee: t.EUI64
    manufacturer: str
    model: str
    logical_type: zdo_t.LogicalType = zdo_t.LogicalType.Router
    mains_powered: bool = True
    link_key: bytes | None = None
    install_code: bytes | None = None
    endpoints: dict[int, SimulatedEndpoint] = field(default_factory=dict)
    nwk: int | None = None
    online: bool = True
    bindings: list[Binding] = field(default_factory=list)
    received: list[Frame] = field(default_factory=list)
    transmit: Transmit | None = field(default=None, repr=False)
    coordinator_ieee: t.EUI64 | None = None
    behaviours: list[Callable[[SimulatedDevice, float], None]] = field(
        default_factory=list
    )
    _tsn: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def joined(self) -> bool:
        """Return True when the device is on the network."""
        return self.nwk is not None

    def add_endpoint(self, endpoint: SimulatedEndpoint) -> SimulatedEndpoint:
        """Add an endpoint and return it."""
        self.endpoints[endpoint.endpoint_id] = endpoint
        return endpoint

    def cluster(
        self, cluster_id: int, *, endpoint_id: int = 1, server: bool = True
    ) -> SimulatedCluster:
        """Return one of the device's clusters."""
        endpoint = self.endpoints[endpoint_id]
        clusters = endpoint.in_clusters if server else endpoint.out_clusters
        return clusters[cluster_id]

    def next_tsn(self) -> int:
        """Return the next transaction sequence number."""
        return next(self._tsn) & 0xFF

    def node_descriptor(self) -> zdo_t.NodeDescriptor:
        """Return the device's node descriptor."""
        flags = zdo_t.NodeDescriptor.MACCapabilityFlags.AllocateAddress
        if self.mains_powered:
            flags |= (
                zdo_t.NodeDescriptor.MACCapabilityFlags.MainsPowered
                | zdo_t.NodeDescriptor.MACCapabilityFlags.RxOnWhenIdle
            )
        if self.logical_type == zdo_t.LogicalType.Router:
            flags |= zdo_t.NodeDescriptor.MACCapabilityFlags.FullFunctionDevice
        return zdo_t.NodeDescriptor(
            logical_type=self.logical_type,
            complex_descriptor_available=0,
            user_descriptor_available=0,
            reserved=0,
            aps_flags=0,
            frequency_band=zdo_t.NodeDescriptor.FrequencyBand.Freq2400MHz,
            mac_capability_flags=flags,
            manufacturer_code=0x1234,
            maximum_buffer_size=82,
            maximum_incoming_transfer_size=82,
            server_mask=0x2C00,
            maximum_outgoing_transfer_size=82,
            descriptor_capability_field=zdo_t.NodeDescriptor.DescriptorCapability.NONE,
        )

    def power_descriptor(self) -> zdo_t.PowerDescriptor:
        """Return the device's power descriptor."""
        sources = zdo_t.PowerDescriptor.PowerSources
        source = (
            sources.MainsPower if self.mains_powered else sources.RechargeableBattery
        )
        return zdo_t.PowerDescriptor(
            current_power_mode=zdo_t.PowerDescriptor.CurrentPowerMode.RxOnSyncedWithNodeDesc,
            available_power_sources=source,
            current_power_source=source,
            current_power_source_level=zdo_t.PowerDescriptor.PowerSourceLevel.Percent100,
        )

    # Sending ---------------------------------------------------------------------

    def send(self, frame: Frame) -> None:
        """Send a frame to the network."""
        if self.transmit is not None and self.online and self.joined:
            self.transmit(self, frame)

    def send_zcl(
        self,
        endpoint_id: int,
        cluster: SimulatedCluster,
        data: bytes,
        *,
        dst_ep: int | None = None,
    ) -> None:
        """Send a ZCL frame from one of the device's clusters."""
        endpoint = self.endpoints[endpoint_id]
        if dst_ep is None:
            dst_ep = self._bound_endpoint(endpoint_id, cluster.cluster_id)
        self.send((endpoint_id, dst_ep, cluster.cluster_id, endpoint.profile_id, data))

    def _bound_endpoint(self, endpoint_id: int, cluster_id: int) -> int:
        for binding in self.bindings:
            if binding.src_ep == endpoint_id and binding.cluster_id == cluster_id:
                return binding.dst_ep
        return 1

    def announce(self) -> None:
        """Broadcast a device announce, as a device does when it (re)joins."""
        assert self.nwk is not None
        capability = int(self.node_descriptor().mac_capability_flags)
        payload = t.serialize(
            [self.nwk, self.ieee, capability],
            [t.NWK, t.EUI64, t.uint8_t],
        )
        self._send_zdo(zdo_t.ZDOCmd.Device_annce, self.next_tsn(), payload)

    def power_cycle(self) -> None:
        """Lose the reporting configuration, as a device may in a power cut.

        Its attribute values, bindings and network state survive (a device
        keeps them in non-volatile memory); it does not announce itself
        (``Network.rejoin`` does that).
        """
        for endpoint in self.endpoints.values():
            for cluster in (
                *endpoint.in_clusters.values(),
                *endpoint.out_clusters.values(),
            ):
                cluster.reporting.clear()
                cluster.expected_reports.clear()

    def report_due_attributes(self, now: float | None = None) -> int:
        """Send the attribute reports that are due; return how many were sent."""
        now = time.monotonic() if now is None else now
        for behaviour in self.behaviours:
            behaviour(self, now)
        sent = 0
        for endpoint in self.endpoints.values():
            for cluster in (
                *endpoint.in_clusters.values(),
                *endpoint.out_clusters.values(),
            ):
                due = cluster.due_reports(now)
                if due:
                    frame = cluster.report_frame(self.next_tsn(), due)
                    self.send_zcl(endpoint.endpoint_id, cluster, frame)
                    sent += 1
        return sent

    # APS security ----------------------------------------------------------------

    def aps_key_for(self, frame: Frame) -> bytes | None:
        """Return the link key to APS-encrypt ``frame`` with (None: not encrypted)."""
        del frame
        return None

    def receive_secured(self, frame: Frame, aps_key: bytes | None) -> None:
        """Handle a frame that came APS-encrypted with ``aps_key`` (None: not)."""
        del aps_key
        self.receive(frame)

    # Receiving ---------------------------------------------------------------

    def receive(self, frame: Frame) -> None:
        """Handle a frame addressed to this device."""
        self.received.append(frame)
        src_ep, dst_ep, cluster_id, profile_id, data = frame
        if dst_ep == ZDO_ENDPOINT and profile_id == ZDO_PROFILE:
            self._receive_zdo(cluster_id, data)
            return
        endpoint = self.endpoints.get(dst_ep)
        if endpoint is None:
            _LOGGER.debug("%s: no endpoint %d", self.ieee, dst_ep)
            return
        try:
            hdr, payload = foundation.ZCLHeader.deserialize(data)
        except ValueError:
            _LOGGER.warning("%s: dropped a malformed ZCL frame", self.ieee)
            return
        to_server = hdr.direction == foundation.Direction.Client_to_Server
        clusters = endpoint.in_clusters if to_server else endpoint.out_clusters
        cluster = clusters.get(cluster_id)
        if cluster is None:
            _LOGGER.debug(
                "%s: no cluster 0x%04X on endpoint %d", self.ieee, cluster_id, dst_ep
            )
            return
        for reply in cluster.handle(hdr, payload):
            self.send((dst_ep, src_ep, cluster_id, profile_id, reply))

    def _send_zdo(self, command: int, tsn: int, payload: bytes) -> None:
        self.send(
            (ZDO_ENDPOINT, ZDO_ENDPOINT, command, ZDO_PROFILE, bytes([tsn]) + payload)
        )

    def _receive_zdo(self, cluster_id: int, data: bytes) -> None:
        if not data:
            return
        tsn, payload = data[0], data[1:]
        try:
            command = zdo_t.ZDOCmd(cluster_id)
            _names, field_types = zdo_t.CLUSTERS[command]
            args, _ = t.deserialize(payload, field_types)
        except KeyError, ValueError:
            _LOGGER.warning(
                "%s: dropped an unknown or malformed ZDO request 0x%04X",
                self.ieee,
                cluster_id,
            )
            return
        response = self._zdo_response(command, args)
        if response is not None:
            self._send_zdo(command | 0x8000, tsn, response)

    def _zdo_response(self, command: zdo_t.ZDOCmd, args: list[Any]) -> bytes | None:
        status = zdo_t.Status.SUCCESS
        nwk = t.NWK(self.nwk or 0)
        match command:
            case zdo_t.ZDOCmd.Node_Desc_req:
                return t.serialize(
                    [status, nwk, self.node_descriptor()],
                    [zdo_t.Status, t.NWK, zdo_t.NodeDescriptor],
                )
            case zdo_t.ZDOCmd.Power_Desc_req:
                return t.serialize(
                    [status, nwk, self.power_descriptor()],
                    [zdo_t.Status, t.NWK, zdo_t.PowerDescriptor],
                )
            case zdo_t.ZDOCmd.Active_EP_req:
                endpoints = t.LVList[t.uint8_t, t.uint8_t](self.endpoints)
                return status.serialize() + nwk.serialize() + endpoints.serialize()
            case zdo_t.ZDOCmd.Simple_Desc_req:
                endpoint = self.endpoints.get(args[1])
                if endpoint is None:
                    return (
                        zdo_t.Status.NOT_ACTIVE.serialize() + nwk.serialize() + b"\x00"
                    )
                descriptor = endpoint.simple_descriptor()
                return status.serialize() + nwk.serialize() + descriptor.serialize()
            case zdo_t.ZDOCmd.NWK_addr_req | zdo_t.ZDOCmd.IEEE_addr_req:
                return status.serialize() + self.ieee.serialize() + nwk.serialize()
            case zdo_t.ZDOCmd.Bind_req:
                return self._bind(args, add=True).serialize()
            case zdo_t.ZDOCmd.Unbind_req:
                return self._bind(args, add=False).serialize()
            case zdo_t.ZDOCmd.Mgmt_Leave_req:
                return status.serialize()
            case zdo_t.ZDOCmd.Mgmt_Permit_Joining_req:
                return status.serialize()
            case _:
                return zdo_t.Status.NOT_SUPPORTED.serialize()

    def _bind(self, args: list[Any], *, add: bool) -> zdo_t.Status:
        src_ieee, src_ep, cluster_id, dst = args
        if src_ieee != self.ieee or dst.addrmode != 0x03:
            return zdo_t.Status.NOT_SUPPORTED
        binding = Binding(src_ep, cluster_id, dst.ieee, dst.endpoint)
        if add:
            if binding not in self.bindings:
                self.bindings.append(binding)
            return zdo_t.Status.SUCCESS
        if binding not in self.bindings:
            return zdo_t.Status.NO_ENTRY
        self.bindings.remove(binding)
        return zdo_t.Status.SUCCESS
