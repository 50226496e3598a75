"""A simulated Zigbee network behind an emulated Digi XBee radio.

The emulator speaks XBee API-mode frames (AP=2, escaped) over TCP, so zigpy-xbee
and therefore ZHA run against it unmodified with the path
``socket://127.0.0.1:PORT``. Simulated devices answer ZDO and ZCL like real ones.
"""

from .device import SimulatedDevice, SimulatedEndpoint
from .faults import Faults
from .network import CapturedFrame, Network
from .zcl import SimulatedCluster

__all__ = [
    "CapturedFrame",
    "Faults",
    "Network",
    "SimulatedCluster",
    "SimulatedDevice",
    "SimulatedEndpoint",
]
