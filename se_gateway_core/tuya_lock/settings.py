"""Lock settings shown as configuration entities: reverse lock, auto-lock, volume.

Each setting names its datapoint, how it is written and its range or options;
a product's row (`products.LockProduct.settings`) lists the settings it has.
The lock's reports of the setting's DP (a `ConfigReport` named `key`) give
its state.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from .datapoints import Datapoint, bool_dp, enum_dp, value_dp
from .dp_map import DecodedValue, DpKind, DpRow, number

type SettingValue = bool | int | str


class SettingKind(StrEnum):
    """How a setting is shown and written."""

    SWITCH = "switch"  # a bool DP
    NUMBER = "number"  # a value DP within minimum..maximum
    SELECT = "select"  # an enum DP; the value is the option's index


@dataclass(frozen=True, slots=True)
class LockSetting:
    """A setting of a lock product, on one datapoint."""

    dpid: int
    key: str
    kind: SettingKind
    minimum: int = 0
    maximum: int = 1
    options: tuple[str, ...] = ()

    @property
    def row(self) -> DpRow:
        """Return the datapoint map row that reports this setting."""
        return DpRow(self.dpid, self.key, DpKind.CONFIG, number)

    def datapoint(self, value: SettingValue) -> Datapoint:
        """Encode a new value; raises ValueError when it is out of range."""
        match self.kind:
            case SettingKind.SWITCH:
                return bool_dp(self.dpid, bool(value))
            case SettingKind.NUMBER:
                number_value = int(value)
                if not self.minimum <= number_value <= self.maximum:
                    raise ValueError(
                        f"{self.key} must be {self.minimum}-{self.maximum}"
                    )
                return value_dp(self.dpid, number_value)
        if value not in self.options:
            raise ValueError(f"{self.key} has no option {value!r}")
        return enum_dp(self.dpid, self.options.index(str(value)))

    def read(self, value: DecodedValue) -> SettingValue | None:
        """Read a reported value; None when the lock sent nothing usable."""
        if not isinstance(value, int):
            return None
        match self.kind:
            case SettingKind.SWITCH:
                return bool(value)
            case SettingKind.NUMBER:
                return int(value)
        return self.options[value] if 0 <= value < len(self.options) else None


# The Zigbee lock DP reference names DPs 12 and 19 (seen on one product) but
# gives no types or ranges. Assumed here: reverse lock is a bool, the auto-lock
# time a value in seconds, 0 to 1800; a product that differs defines its own.
REVERSE_LOCK: Final = LockSetting(12, "reverse_lock", SettingKind.SWITCH)
AUTO_LOCK_TIME: Final = LockSetting(
    19, "auto_lock_time", SettingKind.NUMBER, minimum=0, maximum=1800
)
# No public Zigbee lock source names a volume DP. Tuya's Wi-Fi lock category
# has ``beep_volume`` on DP 31, an enum of these four options; a product with
# another DP defines its own setting.
VOLUME: Final = LockSetting(
    31,
    "volume",
    SettingKind.SELECT,
    options=("mute", "low", "normal", "high"),
)
# Switches Zigbee2MQTT converter PRs 10774-10777 map for ``_TYST12_j2pnjbsd``:
# DP 23 allows remote unlocking, DP 71 arms the lock, DP 76 keeps it open.
REMOTE_UNLOCK_SWITCH: Final = LockSetting(
    23, "remote_unlock_switch", SettingKind.SWITCH
)
ARMING: Final = LockSetting(71, "arming", SettingKind.SWITCH)
NORMAL_OPEN: Final = LockSetting(76, "normal_open", SettingKind.SWITCH)
