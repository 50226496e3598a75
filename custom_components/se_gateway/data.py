"""Runtime data of a se_gateway config entry."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry

type SEGatewayConfigEntry = ConfigEntry[SEGatewayData]


@dataclass
class SEGatewayData:
    """What a loaded se_gateway entry keeps."""

    zha_entry_id: str
