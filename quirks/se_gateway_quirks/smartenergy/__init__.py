"""ZigBee Smart Energy cluster definitions (Price, DRLC, Messaging, Metering).

Importing this package makes its clusters zigpy's classes for 0x0700-0x0703:
each is a plain subclass of zigpy's cluster, so it takes zigpy's place in
``Cluster._registry`` and every device endpoint created afterwards, the
coordinator's included, gets it. Endpoints created before the import keep
zigpy's classes.
"""

from .drlc import Drlc
from .messaging import Messaging
from .metering import Metering
from .price import Price

__all__ = ["Drlc", "Messaging", "Metering", "Price"]
