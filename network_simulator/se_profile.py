"""A display and a meter whose Smart Energy endpoint uses the profile 0x0109.

Endpoint 1 carries the display's Smart Energy clients, or the meter's Metering
server, on profile 0x0109; endpoint 2, on the Home Automation profile, carries
the Basic cluster that zigpy's interview reads the model from (zigpy applies
quirks only after it).
"""

from __future__ import annotations

from typing import Any, Final

import zigpy.profiles.zha as zha_profile
import zigpy.types as t
from zigpy.zcl.clusters.general import Basic

from se_gateway_core.clusters.profile import SMART_ENERGY_PROFILE_ID

from .catalogue import METER_DEVICE_TYPE, electricity_meter
from .device import SimulatedDevice, SimulatedEndpoint
from .in_home_display import InHomeDisplay
from .se_device import SE_ENDPOINT
from .smart_energy import IHD_DEVICE_TYPE, in_home_display

SE_PROFILE_IHD_IEEE: Final = t.EUI64.convert("00:0d:6f:00:0b:10:01:09")
SE_PROFILE_METER_IEEE: Final = t.EUI64.convert("00:0d:6f:00:0b:10:02:09")
BASIC_ENDPOINT: Final = 2


def _move_to_smart_energy_profile(device: SimulatedDevice, device_type: int) -> None:
    """Put endpoint 1 on profile 0x0109 and its Basic cluster on endpoint 2."""
    se_endpoint = device.endpoints[SE_ENDPOINT]
    se_endpoint.profile_id = SMART_ENERGY_PROFILE_ID
    basic = se_endpoint.in_clusters.pop(Basic.cluster_id)
    device.add_endpoint(
        SimulatedEndpoint(BASIC_ENDPOINT, zha_profile.PROFILE_ID, device_type)
    ).add(basic)


def se_profile_display(
    ieee: t.EUI64 = SE_PROFILE_IHD_IEEE,
    *,
    model: str = "Simulated SE Profile Display",
    **kwargs: Any,
) -> InHomeDisplay:
    """Return the in-home display with its Smart Energy endpoint on 0x0109."""
    display = in_home_display(ieee, model=model, **kwargs)
    _move_to_smart_energy_profile(display, IHD_DEVICE_TYPE)
    return display


def se_profile_meter(
    ieee: t.EUI64 = SE_PROFILE_METER_IEEE,
    *,
    model: str = "Simulated SE Profile Meter",
    **kwargs: Any,
) -> SimulatedDevice:
    """Return the electricity meter with its Metering server on 0x0109."""
    meter = electricity_meter(ieee, model=model, **kwargs)
    _move_to_smart_energy_profile(meter, METER_DEVICE_TYPE)
    return meter
