"""Ready-made simulated devices."""

from __future__ import annotations

from dataclasses import dataclass
import math

import zigpy.profiles.zha as zha_profile
import zigpy.types as t
from zigpy.zcl.clusters.general import Basic, Identify, Time
from zigpy.zcl.clusters.smartenergy import Metering

from .device import SimulatedDevice, SimulatedEndpoint
from .zcl import SimulatedCluster

METER_IEEE = t.EUI64.convert("00:0d:6f:00:0a:90:69:01")
METER_DEVICE_TYPE = 0x0501  # Smart Energy metering device


def basic_cluster(
    manufacturer: str, model: str, *, mains_powered: bool
) -> SimulatedCluster:
    """Return a Basic server cluster naming the device."""
    return SimulatedCluster(
        Basic,
        values={
            0x0000: 3,  # ZCL version
            0x0001: 1,  # application version
            0x0002: 2,  # stack version
            0x0003: 1,  # hardware version
            0x0004: manufacturer,
            0x0005: model,
            0x0007: 1 if mains_powered else 3,  # mains or battery
        },
    )


@dataclass
class MeterConsumption:
    """Makes a meter's summation and demand change over time."""

    base_watts: float = 1500.0
    swing_watts: float = 500.0
    period_s: float = 60.0
    last: float | None = None
    watt_hours: float = 0.0

    def __call__(self, device: SimulatedDevice, now: float) -> None:
        """Advance the meter to ``now``."""
        metering = device.cluster(Metering.cluster_id)
        if self.last is None:
            self.last = now
            self.watt_hours = float(metering.get("current_summ_delivered"))
            return
        watts = self.base_watts + self.swing_watts * math.sin(
            2 * math.pi * now / self.period_s
        )
        self.watt_hours += watts * (now - self.last) / 3600
        self.last = now
        metering.set("instantaneous_demand", round(watts))
        metering.set("current_summ_delivered", int(self.watt_hours))


def electricity_meter(
    ieee: t.EUI64 = METER_IEEE,
    *,
    summation_wh: int = 12_345_678,
    demand_w: int = 1500,
    manufacturer: str = "se_gateway",
    model: str = "Simulated Electricity Meter",
    changing: bool = True,
) -> SimulatedDevice:
    """Return a Smart Energy electricity meter with a Metering server.

    Summation counts Wh and demand W: unit kWh, multiplier 1, divisor 1000.
    """
    device = SimulatedDevice(ieee=ieee, manufacturer=manufacturer, model=model)
    endpoint = device.add_endpoint(
        SimulatedEndpoint(1, zha_profile.PROFILE_ID, METER_DEVICE_TYPE)
    )
    endpoint.add(basic_cluster(manufacturer, model, mains_powered=True))
    endpoint.add(SimulatedCluster(Identify, values={0x0000: 0}))
    endpoint.add(
        SimulatedCluster(
            Metering,
            values={
                0x0000: summation_wh,  # current_summ_delivered
                0x0001: 0,  # current_summ_received
                0x0200: 0,  # status
                0x0300: 0,  # unit_of_measure: kWh
                0x0301: 1,  # multiplier
                0x0302: 1000,  # divisor
                0x0303: 0b0_0110_011,  # summation_formatting: 6 left, 3 right
                0x0304: 0b0_0110_011,  # demand_formatting
                0x0306: 0,  # metering_device_type: electric
                0x0400: demand_w,  # instantaneous_demand
            },
        )
    )
    endpoint.add(SimulatedCluster(Time, is_server=False))
    if changing:
        device.behaviours.append(MeterConsumption(base_watts=demand_w))
    return device
