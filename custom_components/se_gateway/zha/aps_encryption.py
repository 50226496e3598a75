"""The ``aps_encryption_se`` setting: APS encryption of Smart Energy frames.

zigpy asks the radio to APS-encrypt every frame a cluster sends when the
cluster's ``aps_encryption`` is set. The setting sets it on our Smart Energy
cluster classes, so the Price, DRLC, Messaging and Metering clusters of every
device, and of the coordinator, follow it: the events the gateway fans out,
its answers and its requests. Whether the frame is encrypted is up to the
radio library (zigpy-xbee, for one, ignores the option).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, callback

from ..core.clusters import Drlc, Messaging, Metering, Price
from ..gateway.settings import CONF_APS_ENCRYPTION_SE, setting_value

SMART_ENERGY_CLUSTERS: Final = (Price, Drlc, Messaging, Metering)


def apply_setting(options: Mapping[str, Any]) -> None:
    """Set the clusters' APS encryption from the entry options."""
    enabled = bool(setting_value(options, CONF_APS_ENCRYPTION_SE))
    for cluster_class in SMART_ENERGY_CLUSTERS:
        cluster_class.aps_encryption = enabled


@callback
def async_follow_setting(entry: ConfigEntry) -> CALLBACK_TYPE:
    """Apply the setting now; return what leaves zigpy's default behind.

    The options flow reloads the entry; ``registry_configuration`` applies
    the setting again when it writes it.
    """
    apply_setting(entry.options)
    return lambda: apply_setting({})
