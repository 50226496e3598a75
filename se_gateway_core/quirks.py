"""Register our cluster classes with zigpy and our quirks with ZHA."""

from __future__ import annotations

from typing import Final

from zigpy.zcl import Cluster

from . import se_profile
from .clusters import Drlc, Messaging, Metering, Price
from .clusters.key_establishment import KeyEstablishment
from .tuya_lock import quirk as tuya_lock_quirk

# They take zigpy's place for 0x0700-0x0703 and 0x0800: every endpoint created
# afterwards, the coordinator's included, gets them. Endpoints created before
# keep zigpy's.
CLUSTERS: Final = (Price, Drlc, Metering, Messaging, KeyEstablishment)


def register() -> None:
    """Register the clusters and the quirks; calling it again adds nothing."""
    for cluster in CLUSTERS:
        Cluster._registry[cluster.cluster_id] = cluster
    se_profile.register()
    tuya_lock_quirk.register()
