"""Entry points to the devices whose modules are slow to import.

The Smart Energy devices import the cluster definitions and the lock its serial
stack, with the zigpy modules they need. These wrappers import those modules
on first use, so that the control client (``python -m network_simulator.control``),
which imports `control`, stays quick.
"""

from __future__ import annotations

from typing import Any

from .device import SimulatedDevice

# ruff: noqa: PLC0415 (the imports below are deferred on purpose)


def tuya_lock(**kwargs: Any) -> SimulatedDevice:
    """Return `tuya_lock.tuya_lock` (a Tuya Zigbee door lock)."""
    from .tuya_lock import tuya_lock as factory

    return factory(**kwargs)


def in_home_display(**kwargs: Any) -> SimulatedDevice:
    """Return `smart_energy.in_home_display`."""
    from .smart_energy import in_home_display as factory

    return factory(**kwargs)


def load_control_device(**kwargs: Any) -> SimulatedDevice:
    """Return `smart_energy.load_control_device`."""
    from .smart_energy import load_control_device as factory

    return factory(**kwargs)


def meter_with_price_server(**kwargs: Any) -> SimulatedDevice:
    """Return `smart_energy.meter_with_price_server`."""
    from .smart_energy import meter_with_price_server as factory

    return factory(**kwargs)


def se_profile_display(**kwargs: Any) -> SimulatedDevice:
    """Return `se_profile.se_profile_display`."""
    from .se_profile import se_profile_display as factory

    return factory(**kwargs)


def se_profile_meter(**kwargs: Any) -> SimulatedDevice:
    """Return `se_profile.se_profile_meter`."""
    from .se_profile import se_profile_meter as factory

    return factory(**kwargs)


def certified_in_home_display(**kwargs: Any) -> SimulatedDevice:
    """Return `certified.certified_in_home_display`."""
    from .certified import certified_in_home_display as factory

    return factory(**kwargs)


def certified_thermostat(**kwargs: Any) -> SimulatedDevice:
    """Return `certified.certified_thermostat`."""
    from .certified import certified_thermostat as factory

    return factory(**kwargs)


def certified_meter(**kwargs: Any) -> SimulatedDevice:
    """Return `certified.certified_meter`."""
    from .certified import certified_meter as factory

    return factory(**kwargs)


def run_device_command(kind: str, device: SimulatedDevice, args: list[str]) -> str:
    """Run `device_commands.run`."""
    from .device_commands import run

    return run(kind, device, args)
