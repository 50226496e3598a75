"""Whether a device is active: the manual's word for a device worth talking to."""

from __future__ import annotations

from typing import Any

import zigpy.device


def is_active(zha_gateway: Any, device: zigpy.device.Device) -> bool:
    """Return True for a device zigpy interviewed that ZHA does not count unavailable.

    A device ZHA does not know (yet) is judged by zigpy's interview alone.
    """
    zha_device = zha_gateway.devices.get(device.ieee)
    return bool(device.is_initialized) and (
        zha_device is None or bool(zha_device.available)
    )
