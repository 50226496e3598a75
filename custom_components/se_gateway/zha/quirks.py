"""Our quirks, and which ZHA devices still lack them.

Importing this module registers the bundled core's quirks with ZHA's quirk
registry and its cluster classes with zigpy's cluster registry
(``core.quirks.register``). Devices that ZHA loaded before that keep their old
objects until ZHA loads them again.
"""

from __future__ import annotations

from collections.abc import Iterable

from zha.quirks import DEVICE_REGISTRY, QUIRK_REGISTRY_ENTRY_ATTR
import zigpy.device
from zigpy.zcl import Cluster

from .. import core
from ..core import quirks

CORE_PACKAGE = core.__name__

quirks.register()


def _is_ours(module: str | None) -> bool:
    return module is not None and module.startswith(CORE_PACKAGE)


def needs_reload(device: zigpy.device.Device) -> bool:
    """Return True when ``device`` was loaded before our quirks registered."""
    entry = DEVICE_REGISTRY.match_entry(device)
    if (
        entry is not None
        and entry.source is not None
        and _is_ours(entry.source.module)
        and getattr(device, QUIRK_REGISTRY_ENTRY_ATTR, None) != entry
    ):
        return True
    for endpoint_id, endpoint in device.endpoints.items():
        if endpoint_id == 0:
            continue
        for cluster in (
            *endpoint.in_clusters.values(),
            *endpoint.out_clusters.values(),
        ):
            registered = Cluster._registry.get(cluster.cluster_id)
            if (
                registered is not None
                and _is_ours(registered.__module__)
                and type(cluster) is not registered
                and type(cluster) in registered.__mro__
            ):
                # The device still holds the plain zigpy class ours replaced.
                return True
    return False


def devices_needing_reload(
    devices: Iterable[zigpy.device.Device],
) -> list[zigpy.device.Device]:
    """Return the devices that ZHA must load again to get our quirks."""
    return [device for device in devices if needs_reload(device)]


def quirk_source(device: zigpy.device.Device) -> str | None:
    """Return the module of the quirk applied to ``device``, if any."""
    entry = getattr(device, QUIRK_REGISTRY_ENTRY_ATTR, None)
    if entry is None or entry.source is None:
        return None
    return str(entry.source.module)
