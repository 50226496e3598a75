"""Certified Smart Energy devices: all on profile 0x0109, with CBKE.

What a certified SE 1.x device does after joining (with its install code),
and what these do:

1. it finds the ESI with a ZDO Match Descriptor request on profile 0x0109 for
   the Key Establishment server and the servers it needs;
2. it runs CBKE as the initiator with the endpoint that answered, using its
   certificate from the simulator's test CA (``network_simulator.cbke``,
   never the product's crypto);
3. if CBKE fails (a Terminate from either side, or no answer within the
   time the partner advertised plus ``response_timeout_s``) it leaves the
   network, as ZigBee SE 1.x requires ("Key Establishment ... failure: the
   device shall leave the network");
4. once the link key is established, its Smart Energy frames
   (clusters 0x0700-0x07FF) go APS-encrypted with that key, and in strict
   mode it drops Smart Energy frames that did not come APS-encrypted with it.

Endpoint layouts follow the mandatory and optional clusters of the SE 1.1
device descriptions (ZigBee 07-5356, "Smart Energy Device Descriptions":
In-Premise Display, Programmable Communicating Thermostat, Metering Device),
as the Silicon Labs EmberZNet SE sample applications implement them: one
application endpoint on 0x0109 with Basic, Identify and Key Establishment
(server and client) besides the device's own clusters. No public capture of
a commercial device's simple descriptors was found; the layouts are the
spec's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import logging
from typing import Any, Final, override

import zigpy.types as t
from zigpy.zcl import foundation
from zigpy.zcl.clusters.general import Identify, Time
from zigpy.zcl.clusters.smartenergy import KeyEstablishment, Metering
import zigpy.zdo.types as zdo_t

from se_gateway_core.clusters import drlc, messaging, price
from se_gateway_core.clusters.profile import SMART_ENERGY_PROFILE_ID
from se_gateway_core.clusters.types import DeviceClass

from . import catalogue
from .catalogue import MeterConsumption
from .cbke import CbkeSession, CertificateAuthority, DeviceCredentials
from .device import ZDO_ENDPOINT, ZDO_PROFILE, Frame, SimulatedEndpoint
from .in_home_display import InHomeDisplay
from .load_control import LoadControlDevice
from .se_device import SE_ENDPOINT, SmartEnergyDevice, se_cluster
from .smart_energy import IHD_DEVICE_TYPE
from .zcl import SimulatedCluster

_LOGGER = logging.getLogger(__name__)

KE_CLUSTER: Final = KeyEstablishment.cluster_id
SE_CLUSTERS: Final = range(0x0700, 0x0800)
KE_INITIATE: Final = 0x00
KE_CONFIRM: Final = 0x02
KE_TERMINATE: Final = 0x03
RESPONSE_TIMEOUT_S: Final = 5.0
# Seconds between a failed key establishment and leaving the network
LEAVE_DELAY_S: Final = 1.0
METER_DEVICE_TYPE: Final = 0x0501
PCT_DEVICE_TYPE: Final = 0x0506  # Smart Energy programmable communicating thermostat
MANUFACTURER: Final = "se_gateway"

# The simulator's test CA, fixed so that the demo's gateway certificate stays
# valid from run to run. For tests and the demo only.
DEMO_CA_PRIVATE_KEY: Final = 0x5E6A7E3A1C0FFEE05E6A7E3A1C0FFEE1
DEMO_CA: Final = CertificateAuthority(private_key=DEMO_CA_PRIVATE_KEY)
OTHER_CA: Final = CertificateAuthority(
    private_key=0x0DDC0FFEE0DDC0FFEE0DDC0FFEE0DDC1, issuer=b"OTHER-CA"
)

CERTIFIED_IHD_IEEE: Final = t.EUI64.convert("00:0d:6f:00:0c:10:00:01")
CERTIFIED_PCT_IEEE: Final = t.EUI64.convert("00:0d:6f:00:0c:20:00:01")
CERTIFIED_METER_IEEE: Final = t.EUI64.convert("00:0d:6f:00:0c:30:00:01")


def install_code_for(ieee: t.EUI64) -> bytes:
    """Return a 16-byte install code (with its CRC) derived from ``ieee``."""
    from crccheck.crc import (  # type: ignore[import-untyped]  # noqa: PLC0415
        CrcX25,
    )

    code = bytes(ieee.serialize()) * 2
    crc = CrcX25()
    crc.process(code)
    return code + crc.finalbytes(byteorder="little")


def credentials_for(
    ieee: t.EUI64, authority: CertificateAuthority = DEMO_CA
) -> DeviceCredentials:
    """Return credentials issued to ``ieee`` by ``authority``, trusting DEMO_CA."""
    issued = authority.issue(bytes(ieee.serialize()[::-1]))
    return DeviceCredentials(
        certificate=issued.certificate,
        private_key=issued.private_key,
        ca_public_key=DEMO_CA.public_key,
    )


@dataclass
class Certification:
    """A device's CBKE state. ``outcome``: pending, established or why it left."""

    credentials: DeviceCredentials
    strict: bool = True
    match_clusters: tuple[int, ...] = (KE_CLUSTER,)
    response_timeout_s: float = RESPONSE_TIMEOUT_S
    corrupt_mac: bool = False  # test hook: MACU with one bit flipped
    stall_after_initiate: bool = False  # test hook: never send Ephemeral Data
    esi_endpoint: int | None = None
    link_key: bytes | None = field(default=None, repr=False)
    session: CbkeSession | None = field(default=None, repr=False)
    outcome: str = "pending"
    terminate_status: int | None = None
    deadline: float | None = None
    leave_at: float | None = None
    dropped_unencrypted: int = 0
    started_at: float | None = None
    established_in_s: float | None = None

    def reset(self) -> None:
        """Forget the last exchange (the device joins again)."""
        self.esi_endpoint = None
        self.link_key = None
        self.session = None
        self.outcome = "pending"
        self.terminate_status = None
        self.deadline = None
        self.leave_at = None
        self.started_at = None
        self.established_in_s = None


class CertifiedMixin(SmartEnergyDevice):
    """CBKE, the ESI search and APS security for a Smart Energy device.

    Mixed in before the device's own class; ``certification`` holds the state.
    """

    certification: Certification

    @property
    def established(self) -> bool:
        """Return True once CBKE gave the device a link key."""
        return self.certification.link_key is not None

    # --- Joining -------------------------------------------------------------------

    @override
    def announce(self) -> None:
        """Announce, then look for the ESI."""
        super().announce()
        cert = self.certification
        cert.reset()
        cert.started_at = self.clock()
        self._find_esi()

    def _find_esi(self) -> None:
        cert = self.certification
        payload = t.serialize(
            [
                t.NWK(0x0000),
                t.uint16_t(SMART_ENERGY_PROFILE_ID),
                t.LVList[t.uint16_t, t.uint8_t](cert.match_clusters),
                t.LVList[t.uint16_t, t.uint8_t]([]),
            ],
            [
                t.NWK,
                t.uint16_t,
                t.LVList[t.uint16_t, t.uint8_t],
                t.LVList[t.uint16_t, t.uint8_t],
            ],
        )
        cert.deadline = self.clock() + cert.response_timeout_s
        self.send(
            (
                ZDO_ENDPOINT,
                ZDO_ENDPOINT,
                zdo_t.ZDOCmd.Match_Desc_req,
                ZDO_PROFILE,
                bytes([self.next_tsn()]) + payload,
            )
        )

    def leave(self, outcome: str) -> None:
        """Leave the network (CBKE failed)."""
        cert = self.certification
        cert.outcome = outcome
        cert.deadline = None
        _LOGGER.info("%s leaves the network: %s", self.ieee, outcome)
        self.nwk = None

    @override
    def tick(self, now: float) -> None:
        """Wait for CBKE; start as an SE device only once it succeeded."""
        cert = self.certification
        if not self.on_air:
            return
        if not self.established:
            if cert.leave_at is not None and now >= cert.leave_at:
                self.leave(cert.outcome)
            elif cert.deadline is not None and now > cert.deadline:
                self.leave("timeout")
            return
        super().tick(now)

    # --- Receiving -------------------------------------------------------------------

    @override
    def receive_secured(self, frame: Frame, aps_key: bytes | None) -> None:
        """Drop unencrypted Smart Energy frames in strict mode."""
        cert = self.certification
        _src_ep, dst_ep, cluster_id, _profile, _data = frame
        if (
            cert.strict
            and dst_ep != ZDO_ENDPOINT
            and cluster_id in SE_CLUSTERS
            and (aps_key is None or aps_key != cert.link_key)
        ):
            cert.dropped_unencrypted += 1
            _LOGGER.debug(
                "%s dropped a Smart Energy frame (cluster 0x%04X) that was not"
                " APS-encrypted with its link key",
                self.ieee,
                cluster_id,
            )
            return
        self.receive(frame)

    @override
    def receive(self, frame: Frame) -> None:
        """Take Match Descriptor answers and Key Establishment frames."""
        _src_ep, dst_ep, cluster_id, _profile_id, data = frame
        if dst_ep == ZDO_ENDPOINT and cluster_id == zdo_t.ZDOCmd.Match_Desc_rsp:
            self.received.append(frame)
            self._on_match_desc_rsp(data)
            return
        if dst_ep != ZDO_ENDPOINT and cluster_id == KE_CLUSTER:
            self.received.append(frame)
            self._on_key_establishment(data)
            return
        super().receive(frame)

    def _on_match_desc_rsp(self, data: bytes) -> None:
        cert = self.certification
        if cert.esi_endpoint is not None or len(data) < 5:
            return
        status, endpoints = data[1], list(data[5 : 5 + data[4]])
        if status != zdo_t.Status.SUCCESS or not endpoints:
            return  # not the ESI: wait for another answer, or time out
        cert.esi_endpoint = endpoints[0]
        cert.session = CbkeSession(
            initiator=True,
            credentials=cert.credentials,
            partner_ieee=bytes(self.coordinator_ieee_be()),
        )
        command_id, payload = cert.session.initiate()
        self._send_ke(command_id, payload)

    def coordinator_ieee_be(self) -> bytes:
        """Return the trust centre's IEEE address, big-endian."""
        assert self.coordinator_ieee is not None
        return bytes(self.coordinator_ieee.serialize()[::-1])

    def _on_key_establishment(self, data: bytes) -> None:
        cert = self.certification
        try:
            hdr, payload = foundation.ZCLHeader.deserialize(data)
        except ValueError:
            return
        if hdr.direction != foundation.Direction.Server_to_Client:
            return
        session = cert.session
        if session is None or cert.outcome != "pending":
            return
        reply = session.handle(hdr.command_id, bytes(payload))
        if reply is not None:
            command_id, body = reply
            if command_id == KE_CONFIRM and cert.corrupt_mac:
                body = bytes((body[0] ^ 0x01,)) + body[1:]
            if command_id == KE_INITIATE or not cert.stall_after_initiate:
                self._send_ke(command_id, body)
        if session.link_key is not None:
            cert.link_key = session.link_key
            cert.outcome = "established"
            cert.deadline = None
            if cert.started_at is not None:
                cert.established_in_s = self.clock() - cert.started_at
            _LOGGER.info("%s established a link key with the trust centre", self.ieee)
        elif session.terminate_status is not None:
            cert.terminate_status = session.terminate_status
            cert.outcome = f"terminated (status {session.terminate_status})"
            cert.deadline = None
            cert.leave_at = self.clock() + LEAVE_DELAY_S
        else:
            cert.deadline = self.clock() + 2 + cert.response_timeout_s

    def _send_ke(self, command_id: int, payload: bytes) -> None:
        cert = self.certification
        assert cert.esi_endpoint is not None
        hdr = foundation.ZCLHeader.cluster(
            self.next_tsn(), command_id, direction=foundation.Direction.Client_to_Server
        )
        cert.deadline = self.clock() + 2 + cert.response_timeout_s
        self.send(
            (
                SE_ENDPOINT,
                cert.esi_endpoint,
                KE_CLUSTER,
                SMART_ENERGY_PROFILE_ID,
                hdr.serialize() + payload,
            )
        )

    # --- Sending ----------------------------------------------------------------------

    @override
    def aps_key_for(self, frame: Frame) -> bytes | None:
        """Encrypt Smart Energy frames with the link key once established."""
        if frame[2] in SE_CLUSTERS and frame[1] != ZDO_ENDPOINT:
            return self.certification.link_key
        return None

    @override
    def _bound_endpoint(self, endpoint_id: int, cluster_id: int) -> int:
        """Send to a binding's endpoint, else to the ESI's."""
        for binding in self.bindings:
            if binding.src_ep == endpoint_id and binding.cluster_id == cluster_id:
                return binding.dst_ep
        return self.certification.esi_endpoint or 1


@dataclass
class CertifiedInHomeDisplay(CertifiedMixin, InHomeDisplay):
    """An in-home display on 0x0109 that runs CBKE."""

    certification: Certification = field(
        default_factory=lambda: Certification(DeviceCredentials(b"", 1, b""))
    )


@dataclass
class CertifiedThermostat(CertifiedMixin, LoadControlDevice):
    """A programmable communicating thermostat (DRLC device class HVAC)."""

    certification: Certification = field(
        default_factory=lambda: Certification(DeviceCredentials(b"", 1, b""))
    )


@dataclass
class CertifiedMeter(CertifiedMixin, SmartEnergyDevice):
    """An electricity meter on 0x0109 that runs CBKE."""

    certification: Certification = field(
        default_factory=lambda: Certification(DeviceCredentials(b"", 1, b""))
    )


def _se_endpoint(
    device: SmartEnergyDevice, device_type: int, *, mains_powered: bool = True
) -> SimulatedEndpoint:
    """Add the device's one endpoint on 0x0109, Basic and Key Establishment on it."""
    endpoint = device.add_endpoint(
        SimulatedEndpoint(SE_ENDPOINT, SMART_ENERGY_PROFILE_ID, device_type)
    )
    endpoint.add(
        catalogue.basic_cluster(
            device.manufacturer, device.model, mains_powered=mains_powered
        )
    )
    endpoint.add(SimulatedCluster(Identify, values={0x0000: 0}))
    endpoint.add(SimulatedCluster(KeyEstablishment))
    endpoint.add(SimulatedCluster(KeyEstablishment, is_server=False))
    return endpoint


def _certify(
    device: CertifiedMixin,
    authority: CertificateAuthority,
    strict: bool,
    match_clusters: tuple[int, ...],
    **hooks: Any,
) -> None:
    device.install_code = install_code_for(device.ieee)
    device.certification = Certification(
        credentials_for(device.ieee, authority),
        strict=strict,
        match_clusters=match_clusters,
        **hooks,
    )


def certified_in_home_display(
    ieee: t.EUI64 = CERTIFIED_IHD_IEEE,
    *,
    model: str = "Certified In-Home Display",
    authority: CertificateAuthority = DEMO_CA,
    strict: bool = True,
    startup_delay_s: float = 0.5,
    **hooks: Any,
) -> CertifiedInHomeDisplay:
    """Return an in-home display: Price, DRLC, Messaging, Metering and Time clients."""
    display = CertifiedInHomeDisplay(
        ieee=ieee,
        manufacturer=MANUFACTURER,
        model=model,
        startup_delay_s=startup_delay_s,
    )
    endpoint = _se_endpoint(display, IHD_DEVICE_TYPE)
    endpoint.add(se_cluster(display, price.Price, server=False))
    endpoint.add(
        se_cluster(
            display,
            drlc.Drlc,
            server=False,
            utility_enrollment_group=0,
            start_randomization_minutes=0,
            duration_randomization_minutes=0,
            device_class_value=DeviceClass(drlc.ALL_DEVICE_CLASSES),
        )
    )
    endpoint.add(se_cluster(display, messaging.Messaging, server=False))
    endpoint.add(se_cluster(display, Time, server=False))
    _certify(
        display,
        authority,
        strict,
        (KE_CLUSTER, price.Price.cluster_id, messaging.Messaging.cluster_id),
        **hooks,
    )
    return display


def certified_thermostat(
    ieee: t.EUI64 = CERTIFIED_PCT_IEEE,
    *,
    model: str = "Certified Thermostat",
    authority: CertificateAuthority = DEMO_CA,
    strict: bool = True,
    startup_delay_s: float = 0.5,
    **hooks: Any,
) -> CertifiedThermostat:
    """Return a thermostat: a DRLC client of device class HVAC, Price and Time."""
    device = CertifiedThermostat(
        ieee=ieee,
        manufacturer=MANUFACTURER,
        model=model,
        startup_delay_s=startup_delay_s,
    )
    endpoint = _se_endpoint(device, PCT_DEVICE_TYPE)
    endpoint.add(
        se_cluster(
            device,
            drlc.Drlc,
            server=False,
            utility_enrollment_group=0,
            start_randomization_minutes=0,
            duration_randomization_minutes=0,
            device_class_value=DeviceClass.HVAC_Compressor_or_Furnace,
        )
    )
    endpoint.add(se_cluster(device, price.Price, server=False))
    endpoint.add(se_cluster(device, Time, server=False))
    _certify(device, authority, strict, (KE_CLUSTER, drlc.Drlc.cluster_id), **hooks)
    return device


def certified_meter(
    ieee: t.EUI64 = CERTIFIED_METER_IEEE,
    *,
    model: str = "Certified Electricity Meter",
    authority: CertificateAuthority = DEMO_CA,
    strict: bool = True,
    summation_wh: int = 1_234_567,
    demand_w: int = 800,
    changing: bool = False,
    **hooks: Any,
) -> CertifiedMeter:
    """Return an electricity meter: a Metering server and a Time client."""
    device = CertifiedMeter(ieee=ieee, manufacturer=MANUFACTURER, model=model)
    endpoint = _se_endpoint(device, METER_DEVICE_TYPE)
    endpoint.add(
        SimulatedCluster(
            Metering,
            values={
                0x0000: summation_wh,
                0x0200: 0,
                0x0300: 0,  # kWh
                0x0301: 1,
                0x0302: 1000,
                0x0303: 0b0_0110_011,
                0x0304: 0b0_0110_011,
                0x0306: 0,  # electric
                0x0400: demand_w,
            },
        )
    )
    endpoint.add(se_cluster(device, Time, server=False))
    if changing:
        device.behaviours.append(MeterConsumption(base_watts=demand_w))
    _certify(device, authority, strict, (KE_CLUSTER,), **hooks)
    return device


__all__ = [
    "CERTIFIED_IHD_IEEE",
    "CERTIFIED_METER_IEEE",
    "CERTIFIED_PCT_IEEE",
    "DEMO_CA",
    "OTHER_CA",
    "CertifiedInHomeDisplay",
    "CertifiedMeter",
    "CertifiedThermostat",
    "certified_in_home_display",
    "certified_meter",
    "certified_thermostat",
    "credentials_for",
    "install_code_for",
]
