"""Certified Smart Energy devices: all on profile 0x0109, with CBKE.

What a certified SE 1.x device does after joining (with its install code),
and what these do:

1. it finds the ESI with a ZDO Match Descriptor request on profile 0x0109 for
   the Key Establishment server and the servers it needs;
2. it runs CBKE as the initiator with the endpoint that answered, using its
   certificate from the simulator's test CA (``network_simulator.cbke``,
   never the product's crypto);
3. if CBKE fails (a Terminate from either side, or no answer within the
   time the partner advertised plus ``response_timeout_s``) it leaves the
   network, as ZigBee SE 1.x requires ("Key Establishment ... failure: the
   device shall leave the network");
4. once the link key is established, its Smart Energy frames
   (clusters 0x0700-0x07FF) go APS-encrypted with that key, and in strict
   mode it drops Smart Energy frames that did not come APS-encrypted with it.

The package's modules, one job each:

- ``identity``: the test CAs, the devices' addresses, install codes and
  credentials;
- ``behaviour``: the CBKE state and what a certified device does with it
  (ESI search, CBKE, leaving on failure, APS security);
- ``devices``: the certified devices' classes and their endpoint layouts
  (the SE 1.1 device descriptions), and the factories that build them.
"""

from .behaviour import (
    KE_CLUSTER,
    KE_CONFIRM,
    KE_INITIATE,
    KE_TERMINATE,
    LEAVE_DELAY_S,
    RESPONSE_TIMEOUT_S,
    SE_CLUSTERS,
    Certification,
    CertifiedMixin,
)
from .devices import (
    MANUFACTURER,
    METER_DEVICE_TYPE,
    PCT_DEVICE_TYPE,
    CertifiedInHomeDisplay,
    CertifiedMeter,
    CertifiedThermostat,
    certified_in_home_display,
    certified_meter,
    certified_thermostat,
)
from .identity import (
    CERTIFIED_IHD_IEEE,
    CERTIFIED_METER_IEEE,
    CERTIFIED_PCT_IEEE,
    DEMO_CA,
    DEMO_CA_PRIVATE_KEY,
    OTHER_CA,
    credentials_for,
    install_code_for,
)

__all__ = [
    "CERTIFIED_IHD_IEEE",
    "CERTIFIED_METER_IEEE",
    "CERTIFIED_PCT_IEEE",
    "DEMO_CA",
    "DEMO_CA_PRIVATE_KEY",
    "KE_CLUSTER",
    "KE_CONFIRM",
    "KE_INITIATE",
    "KE_TERMINATE",
    "LEAVE_DELAY_S",
    "MANUFACTURER",
    "METER_DEVICE_TYPE",
    "OTHER_CA",
    "PCT_DEVICE_TYPE",
    "RESPONSE_TIMEOUT_S",
    "SE_CLUSTERS",
    "Certification",
    "CertifiedInHomeDisplay",
    "CertifiedMeter",
    "CertifiedMixin",
    "CertifiedThermostat",
    "certified_in_home_display",
    "certified_meter",
    "certified_thermostat",
    "credentials_for",
    "install_code_for",
]
