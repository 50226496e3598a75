"""se_gateway quirks: Smart Energy clusters and Tuya Zigbee door locks.

This package is the single source of truth for every zigpy-level definition of
se_gateway. It loads in two ways:

- as ZHA's ``custom_quirks_path`` (point it at the repository's ``quirks/``);
- bundled inside the integration as ``custom_components.se_gateway.quirks``.

All imports inside the package are relative, so both ways work unchanged.
"""

from . import smartenergy, tuya_lock

__all__ = ["smartenergy", "tuya_lock"]
