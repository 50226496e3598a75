"""Product tables: the datapoint map of each lock product, by manufacturer id.

A product whose locks report DPs beyond the default map adds a row here; the
lock cluster picks its map by the device's manufacturer id.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from .dp_map import DEFAULT_LOCK_DP_MAP, DpKind, DpRow, number, with_rows

PRODUCT_DP_MAPS: Final[Mapping[str, Mapping[int, DpRow]]] = MappingProxyType(
    {
        # The simulated lock of this repository (network_simulator/tuya_lock.py):
        # it asks for remote unlocks on DP 50, a countdown in seconds.
        "_TYST12_simlock1": with_rows(
            DEFAULT_LOCK_DP_MAP,
            DpRow(50, "unlock_request", DpKind.REMOTE_UNLOCK_REQUEST, number),
        ),
    }
)


def dp_map_for(manufacturer: str | None) -> Mapping[int, DpRow]:
    """Return the datapoint map of a product, or the default map."""
    return PRODUCT_DP_MAPS.get(manufacturer or "", DEFAULT_LOCK_DP_MAP)
