"""Runtime data of a se_gateway config entry."""

from __future__ import annotations

from dataclasses import dataclass, field

from homeassistant.config_entries import ConfigEntry
import zigpy.types as t

from .smart_energy.runtime import SmartEnergyRuntime
from .tuya_lock import TuyaLock

type SEGatewayConfigEntry = ConfigEntry[SEGatewayData]


@dataclass
class SEGatewayData:
    """What a loaded se_gateway entry keeps."""

    zha_entry_id: str
    smart_energy: SmartEnergyRuntime
    locks: dict[t.EUI64, TuyaLock] = field(default_factory=dict)
