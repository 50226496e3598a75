"""ZigBee Smart Energy cluster definitions (Price, DRLC, Messaging, Metering).

Each is a subclass of zigpy's cluster that skips zigpy's automatic
registration; ``se_gateway_core.quirks.register`` puts it in zigpy's place in
``Cluster._registry``, so every device endpoint created afterwards, the
coordinator's included, gets it. Endpoints created before keep zigpy's
classes.
"""

from .drlc import Drlc
from .messaging import Messaging
from .metering import Metering
from .price import Price

__all__ = ["Drlc", "Messaging", "Metering", "Price"]
