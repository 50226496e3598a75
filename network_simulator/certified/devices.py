"""The certified devices' descriptors: their classes, endpoints and clusters.

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
from typing import Any, Final

import zigpy.types as t
from zigpy.zcl.clusters.general import Identify, Time
from zigpy.zcl.clusters.smartenergy import KeyEstablishment, Metering

from se_gateway_core.clusters import drlc, messaging, price
from se_gateway_core.clusters.profile import SMART_ENERGY_PROFILE_ID
from se_gateway_core.clusters.types import DeviceClass

from .. import catalogue
from ..catalogue import MeterConsumption
from ..cbke import CertificateAuthority, DeviceCredentials
from ..device import SimulatedEndpoint
from ..in_home_display import InHomeDisplay
from ..load_control import LoadControlDevice
from ..se_device import SE_ENDPOINT, SmartEnergyDevice, se_cluster
from ..smart_energy import IHD_DEVICE_TYPE
from ..zcl import SimulatedCluster
from .behaviour import KE_CLUSTER, Certification, CertifiedMixin
from .identity import (
    CERTIFIED_IHD_IEEE,
    CERTIFIED_METER_IEEE,
    CERTIFIED_PCT_IEEE,
    DEMO_CA,
    credentials_for,
    install_code_for,
)

METER_DEVICE_TYPE: Final = 0x0501
PCT_DEVICE_TYPE: Final = 0x0506  # Smart Energy programmable communicating thermostat
MANUFACTURER: Final = "se_gateway"


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
