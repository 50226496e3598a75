"""Devices with Smart Energy profile (0x0109) endpoints.

zigpy parses ZCL frames only on the Home Automation and ZLL profiles: a frame
on profile 0x0109 is dropped as a "custom profile" packet before any cluster
sees it, replies included. zigpy's maintainers leave such profiles to device
quirks, so this quirk applies to every device with a 0x0109 endpoint, whatever
its manufacturer and model, and lets zigpy read the frames of those endpoints
as ZCL. Frames go out on the endpoint's own profile already.

zigpy applies quirks after its interview, which reads the model from a Basic
cluster: a device whose Basic cluster answers only on profile 0x0109 cannot
finish that interview in zigpy 2.3.
"""

from .device import SmartEnergyProfileDevice, has_smart_energy_endpoint
from .quirk import register

__all__ = ["SmartEnergyProfileDevice", "has_smart_energy_endpoint", "register"]
