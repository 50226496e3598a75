"""A display whose Smart Energy endpoint uses the Smart Energy profile 0x0109.

Endpoint 1 carries the display's Smart Energy clients on profile 0x0109;
endpoint 2, on the Home Automation profile, carries the Basic cluster that
zigpy's interview reads the model from (zigpy applies quirks only after it).
"""

from __future__ import annotations

from typing import Any, Final

import zigpy.profiles.zha as zha_profile
import zigpy.types as t
from zigpy.zcl.clusters.general import Basic

from custom_components.se_gateway.quirks.se_profile.device import (
    SMART_ENERGY_PROFILE_ID,
)

from .device import SimulatedEndpoint
from .in_home_display import InHomeDisplay
from .se_device import SE_ENDPOINT
from .smart_energy import IHD_DEVICE_TYPE, in_home_display

SE_PROFILE_IHD_IEEE: Final = t.EUI64.convert("00:0d:6f:00:0b:10:01:09")
BASIC_ENDPOINT: Final = 2


def se_profile_display(
    ieee: t.EUI64 = SE_PROFILE_IHD_IEEE,
    *,
    model: str = "Simulated SE Profile Display",
    **kwargs: Any,
) -> InHomeDisplay:
    """Return the in-home display with its Smart Energy endpoint on 0x0109."""
    display = in_home_display(ieee, model=model, **kwargs)
    se_endpoint = display.endpoints[SE_ENDPOINT]
    se_endpoint.profile_id = SMART_ENERGY_PROFILE_ID
    basic = se_endpoint.in_clusters.pop(Basic.cluster_id)
    display.add_endpoint(
        SimulatedEndpoint(BASIC_ENDPOINT, zha_profile.PROFILE_ID, IHD_DEVICE_TYPE)
    ).add(basic)
    return display
