"""The ZigBee Smart Energy application profile."""

from typing import Final

# ZigBee Smart Energy Profile Specification (075356), "Profile identifier".
SMART_ENERGY_PROFILE_ID: Final = 0x0109
