"""Product tables: each lock product's datapoint map and settings, by manufacturer id.

A product whose locks report DPs beyond the default map adds a row here; the
lock cluster picks its map and its settings by the device's manufacturer id.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from .dp_map import DEFAULT_LOCK_DP_MAP, DpKind, DpRow, number, with_rows
from .settings import AUTO_LOCK_TIME, REVERSE_LOCK, VOLUME, LockSetting

# The simulated lock of this repository (network_simulator/tuya_lock.py).
SIMULATED_LOCK: Final = "_TYST12_simlock1"

PRODUCT_SETTINGS: Final[Mapping[str, tuple[LockSetting, ...]]] = MappingProxyType(
    {SIMULATED_LOCK: (REVERSE_LOCK, AUTO_LOCK_TIME, VOLUME)}
)

PRODUCT_DP_MAPS: Final[Mapping[str, Mapping[int, DpRow]]] = MappingProxyType(
    {
        # It asks for remote unlocks on DP 50, a countdown in seconds.
        SIMULATED_LOCK: with_rows(
            DEFAULT_LOCK_DP_MAP,
            DpRow(50, "unlock_request", DpKind.REMOTE_UNLOCK_REQUEST, number),
            *(setting.row for setting in PRODUCT_SETTINGS[SIMULATED_LOCK]),
        ),
    }
)


def dp_map_for(manufacturer: str | None) -> Mapping[int, DpRow]:
    """Return the datapoint map of a product, or the default map."""
    return PRODUCT_DP_MAPS.get(manufacturer or "", DEFAULT_LOCK_DP_MAP)


def settings_for(manufacturer: str | None) -> tuple[LockSetting, ...]:
    """Return the settings a product has (none unless its table lists them)."""
    return PRODUCT_SETTINGS.get(manufacturer or "", ())
