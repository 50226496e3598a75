"""Ready-made Smart Energy devices: a display, a load device, a meter with prices.

They use the Home Automation profile 0x0104, not Smart Energy's 0x0109:
zigpy 2.3 drops frames on the Smart Energy profile (as a custom profile) before
any cluster sees them.
"""

from __future__ import annotations

from collections.abc import Callable
import time
from typing import Final

import zigpy.profiles.zha as zha_profile
import zigpy.types as t
from zigpy.zcl.clusters.general import Identify, Time

from se_gateway_core.clusters import drlc, messaging, price
from se_gateway_core.clusters.types import (
    CommodityType,
    DeviceClass,
    PriceLabel,
)

from . import catalogue
from .device import SimulatedDevice, SimulatedEndpoint
from .in_home_display import InHomeDisplay
from .load_control import LoadControlDevice
from .price_server import MeterWithPriceServer
from .se_device import SE_ENDPOINT, STARTUP_DELAY_S, SmartEnergyDevice, se_cluster
from .zcl import SimulatedCluster

IHD_IEEE: Final = t.EUI64.convert("00:0d:6f:00:0b:10:00:01")
LOAD_IEEE: Final = t.EUI64.convert("00:0d:6f:00:0b:20:00:01")
PRICE_METER_IEEE: Final = t.EUI64.convert("00:0d:6f:00:0a:90:69:02")
IHD_DEVICE_TYPE: Final = 0x0503  # Smart Energy in-premise display
LOAD_DEVICE_TYPE: Final = 0x0505  # Smart Energy load control device
MANUFACTURER: Final = "se_gateway"


def in_home_display(
    ieee: t.EUI64 = IHD_IEEE,
    *,
    manufacturer: str = MANUFACTURER,
    model: str = "Simulated In-Home Display",
    auto_confirm: bool = True,
    device_class: int = drlc.ALL_DEVICE_CLASSES,
    startup_delay_s: float = STARTUP_DELAY_S,
    clock: Callable[[], float] = time.monotonic,
) -> InHomeDisplay:
    """Return a display with Price, DRLC, Messaging and Time clients.

    Its DRLC client shows every device class by default (``device_class``).
    """
    display = InHomeDisplay(
        ieee=ieee,
        manufacturer=manufacturer,
        model=model,
        auto_confirm=auto_confirm,
        startup_delay_s=startup_delay_s,
        clock=clock,
    )
    endpoint = _endpoint(display, IHD_DEVICE_TYPE)
    endpoint.add(se_cluster(display, price.Price, server=False))
    endpoint.add(_drlc_client(display, device_class, 0, 0, 0))
    endpoint.add(se_cluster(display, messaging.Messaging, server=False))
    endpoint.add(se_cluster(display, Time, server=False))
    return display


def load_control_device(
    ieee: t.EUI64 = LOAD_IEEE,
    *,
    device_class: int = DeviceClass.Water_Heater,
    utility_enrollment_group: int = 0,
    start_randomization_minutes: int = 0,
    duration_randomization_minutes: int = 0,
    time_scale: float = 1.0,
    seed: int = 0,
    manufacturer: str = MANUFACTURER,
    model: str = "Simulated Load Control Device",
    startup_delay_s: float = STARTUP_DELAY_S,
    clock: Callable[[], float] = time.monotonic,
) -> LoadControlDevice:
    """Return a load control device with a DRLC client (and a Time client).

    Its DRLC attributes (readable and writable by the gateway) start at the
    given device class, enrollment group and randomization minutes.
    """
    device = LoadControlDevice(
        ieee=ieee,
        manufacturer=manufacturer,
        model=model,
        time_scale=time_scale,
        seed=seed,
        startup_delay_s=startup_delay_s,
        clock=clock,
    )
    endpoint = _endpoint(device, LOAD_DEVICE_TYPE)
    endpoint.add(
        _drlc_client(
            device,
            device_class,
            utility_enrollment_group,
            start_randomization_minutes,
            duration_randomization_minutes,
        )
    )
    endpoint.add(se_cluster(device, Time, server=False))
    return device


def meter_with_price_server(
    ieee: t.EUI64 = PRICE_METER_IEEE,
    *,
    manufacturer: str = MANUFACTURER,
    model: str = "Simulated Price Meter",
    changing: bool = True,
    startup_delay_s: float = STARTUP_DELAY_S,
    clock: Callable[[], float] = time.monotonic,
) -> MeterWithPriceServer:
    """Return the catalogue's electricity meter with a Price server added."""
    meter = catalogue.electricity_meter(
        ieee, manufacturer=manufacturer, model=model, changing=changing
    )
    device = MeterWithPriceServer(
        ieee=meter.ieee,
        manufacturer=meter.manufacturer,
        model=meter.model,
        endpoints=meter.endpoints,
        behaviours=meter.behaviours,
        startup_delay_s=startup_delay_s,
        clock=clock,
    )
    device.endpoints[SE_ENDPOINT].add(
        se_cluster(
            device,
            price.Price,
            server=True,
            tier1_price_label=PriceLabel(b"Tier 1"),
            commodity_type=CommodityType.Electric,
            standing_charge=0,
        )
    )
    return device


def _endpoint(device: SimulatedDevice, device_type: int) -> SimulatedEndpoint:
    endpoint = device.add_endpoint(
        SimulatedEndpoint(SE_ENDPOINT, zha_profile.PROFILE_ID, device_type)
    )
    endpoint.add(
        catalogue.basic_cluster(device.manufacturer, device.model, mains_powered=True)
    )
    endpoint.add(SimulatedCluster(Identify, values={0x0000: 0}))
    return endpoint


def _drlc_client(
    device: SmartEnergyDevice,
    device_class: int,
    group: int,
    start_minutes: int,
    duration_minutes: int,
) -> SimulatedCluster:
    return se_cluster(
        device,
        drlc.Drlc,
        server=False,
        utility_enrollment_group=group,
        start_randomization_minutes=start_minutes,
        duration_randomization_minutes=duration_minutes,
        device_class_value=DeviceClass(device_class),
    )
