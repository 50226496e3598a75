"""Registers the Smart Energy profile quirk for every matching device.

ZHA's quirk builder needs a manufacturer or a model, so the entry is built
directly: with no manufacturer and model, ZHA matches it against every device
by its filter alone, after the quirks written for a manufacturer or model.
"""

from __future__ import annotations

from zha.quirks import (
    DEVICE_REGISTRY,
    DeviceMatch,
    QuirkRegistryEntry,
    QuirkSource,
    ReplaceZigpyDevice,
)

from .device import SmartEnergyProfileDevice, has_smart_energy_endpoint

ENTRY = QuirkRegistryEntry(
    device_match=DeviceMatch(applies_to=(), filters=(has_smart_energy_endpoint,)),
    zigpy_transforms=(ReplaceZigpyDevice(SmartEnergyProfileDevice),),
    source=QuirkSource.from_class(SmartEnergyProfileDevice),
)


def register() -> None:
    """Register the quirk with ZHA; registering it again adds nothing."""
    DEVICE_REGISTRY.register(ENTRY)
