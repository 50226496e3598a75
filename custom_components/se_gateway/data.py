"""Runtime data of a se_gateway config entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

from .gateway.registry import GatewayStore
from .smart_energy.runtime import SmartEnergyRuntime
from .tuya_lock.tracker import LockTracker

if TYPE_CHECKING:
    from .key_establishment.runtime import KeyEstablishmentRuntime

type SEGatewayConfigEntry = ConfigEntry[SEGatewayData]


@dataclass
class SEGatewayData:
    """What a loaded se_gateway entry keeps."""

    zha_entry_id: str
    smart_energy: SmartEnergyRuntime
    locks: LockTracker
    gateway_store: GatewayStore
    key_establishment: KeyEstablishmentRuntime | None = None
