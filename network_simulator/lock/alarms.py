"""The lock's alarm codes (DP 9) by name, for people typing commands.

Codes 0-13 as Zigbee2MQTT converter PRs 10774-10777 map them for
``_TYST12_j2pnjbsd`` (0-10 in Tuya's Zigbee lock DP reference). Each code
has a plain name and Tuya's own (``tongue_bad``, ``pry``, …).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

ALARMS: Final = MappingProxyType(
    {
        "wrong-finger": 0,
        "wrong-password": 1,
        "wrong-card": 2,
        "wrong-face": 3,
        "stuck": 4,
        "too-hot": 5,
        "not-closed": 6,
        "pop-out": 7,
        "pry": 8,
        "key-in": 9,
        "low-battery": 10,
        "battery-depleted": 11,
        "vibration": 12,
        "arming": 13,
    }
)
TUYA_NAMES: Final = MappingProxyType(
    {
        "tongue-bad": 4,
        "unclosed-time": 6,
        "tongue-not-out": 7,
        "anti-pry": 8,
        "power-off": 11,
        "shock": 12,
        "defense": 13,
    }
)


def alarm_code(word: str) -> int:
    """Return the code of an alarm given by name or number; KeyError if none."""
    if word.isdigit():
        return int(word)
    name = word.lower().replace("_", "-")
    code = ALARMS.get(name, TUYA_NAMES.get(name))
    if code is None:
        raise KeyError(f"no alarm {word!r}; try one of {', '.join(ALARMS)}")
    return code
