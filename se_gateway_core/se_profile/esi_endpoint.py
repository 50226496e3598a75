"""The gateway's Smart Energy endpoint: what certified SE devices look for.

A certified Smart Energy device finds its Energy Service Interface (ESI) with a
ZDO Match Descriptor request on profile 0x0109 for the servers it needs
(Price, DRLC, Messaging, Key Establishment). zigpy's coordinator has no
endpoint on that profile and answers every such request with an empty list.

The gateway therefore has one endpoint on the Smart Energy profile, described
here: the servers of the manual's ESI role (Price, DRLC, Messaging), the Key
Establishment server (the trust centre's side of CBKE), the Time server, and
the clients of the aux role (Metering, and Key Establishment for initiating).
The endpoint number is the manual's standard SE endpoint, 0x5E.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import zigpy.zdo.types as zdo_t

from ..clusters.profile import SMART_ENERGY_PROFILE_ID

SE_ENDPOINT_ID: Final = 0x5E
# ZigBee SE 1.x device id of the Energy Service Interface
ESI_DEVICE_TYPE: Final = 0x0500
WILDCARD_PROFILE: Final = 0xFFFF

TIME: Final = 0x000A
PRICE: Final = 0x0700
DRLC: Final = 0x0701
METERING: Final = 0x0702
MESSAGING: Final = 0x0703
KEY_ESTABLISHMENT: Final = 0x0800

SERVER_CLUSTERS: Final = (TIME, PRICE, DRLC, MESSAGING, KEY_ESTABLISHMENT)
CLIENT_CLUSTERS: Final = (METERING, KEY_ESTABLISHMENT)


def smart_energy_descriptor(
    endpoint_id: int = SE_ENDPOINT_ID,
) -> zdo_t.SimpleDescriptor:
    """Return the simple descriptor of the gateway's Smart Energy endpoint."""
    return zdo_t.SimpleDescriptor(
        endpoint=endpoint_id,
        profile=SMART_ENERGY_PROFILE_ID,
        device_type=ESI_DEVICE_TYPE,
        device_version=0,
        input_clusters=list(SERVER_CLUSTERS),
        output_clusters=list(CLIENT_CLUSTERS),
    )


def matches(
    descriptor: zdo_t.SimpleDescriptor,
    profile: int,
    in_clusters: Iterable[int],
    out_clusters: Iterable[int],
) -> bool:
    """Return True if a Match Descriptor request matches the endpoint.

    ZigBee 05-3474 §2.4.4.2.7 (Match_Desc_req): the profile matches (or is the
    wildcard), and one of the requested input clusters is an input cluster of
    the endpoint, or one of the requested output clusters an output cluster.
    """
    if profile not in (descriptor.profile, WILDCARD_PROFILE):
        return False
    return bool(
        set(in_clusters) & set(descriptor.input_clusters)
        or set(out_clusters) & set(descriptor.output_clusters)
    )
