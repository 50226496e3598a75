"""Tuya Zigbee door locks on the private cluster 0xEF00.

``se_gateway_core.quirks.register`` registers the quirk (see `quirk`).
"""

from . import quirk
from .cluster import TuyaLockCluster

__all__ = ["TuyaLockCluster", "quirk"]
