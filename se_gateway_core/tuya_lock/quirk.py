"""The quirk: put `TuyaLockCluster` on Tuya Zigbee door locks.

Two identities, both on endpoint 1 with profile 0x0104 and cluster 0xEF00:

- locks seen in the field: model ``TY0A01``, manufacturer ``_TYST12_xxxxxxxx``;
- the Tuya standard: model ``TY0A02``, manufacturer ``_TZF320_`` + an
  8-character product id (16 characters in all).
"""

from __future__ import annotations

from typing import Final

from zhaquirks.builder import QuirkBuilder
import zigpy.device
import zigpy.endpoint
from zigpy.profiles import zha

from .cluster import TUYA_LOCK_CLUSTER_ID, TuyaLockCluster
from .device import TuyaLockDevice

FIELD_MODEL: Final = "TY0A01"
FIELD_MANUFACTURER_PREFIX: Final = "_TYST12_"
STANDARD_MODEL: Final = "TY0A02"
STANDARD_MANUFACTURER_PREFIX: Final = "_TZF320_"
STANDARD_MANUFACTURER_LENGTH: Final = 16
LOCK_ENDPOINT_ID: Final = 1


def has_lock_endpoint(device: zigpy.device.Device) -> bool:
    """Return True if endpoint 1 is a Home Automation endpoint with 0xEF00."""
    endpoint = device.endpoints.get(LOCK_ENDPOINT_ID)
    return (
        isinstance(endpoint, zigpy.endpoint.Endpoint)
        and endpoint.profile_id == zha.PROFILE_ID
        and TUYA_LOCK_CLUSTER_ID in endpoint.in_clusters
    )


def is_field_lock(device: zigpy.device.Device) -> bool:
    """Match ``_TYST12_`` locks."""
    manufacturer = device.manufacturer or ""
    return manufacturer.startswith(FIELD_MANUFACTURER_PREFIX) and has_lock_endpoint(
        device
    )


def is_standard_lock(device: zigpy.device.Device) -> bool:
    """Match ``_TZF320_`` + product id locks."""
    manufacturer = device.manufacturer or ""
    return (
        manufacturer.startswith(STANDARD_MANUFACTURER_PREFIX)
        and len(manufacturer) == STANDARD_MANUFACTURER_LENGTH
        and has_lock_endpoint(device)
    )


def register() -> None:
    """Register the quirks with ZHA.

    Calling it again registers nothing new: ZHA's registry ignores entries equal
    to one it holds. ZHA's custom-quirks loader calls it again after it purged
    the custom quirks, when ZHA reloads.
    """
    for model, matches in (
        (FIELD_MODEL, is_field_lock),
        (STANDARD_MODEL, is_standard_lock),
    ):
        (
            QuirkBuilder(None, model)
            .filter(matches)
            .zigpy_device_class(TuyaLockDevice)
            .replaces(TuyaLockCluster, endpoint_id=LOCK_ENDPOINT_ID)
            .add_to_registry()
        )
