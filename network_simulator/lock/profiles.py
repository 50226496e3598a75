"""The products the simulated lock can be.

Each profile mirrors a row of public knowledge about a real product (its
manufacturer id, how it unlocks remotely, the layouts of its raw DPs, its
settings); the gateway's product table is kept apart, in the integration,
and the tests check that the two agree. Where a layout is not public, the
profile follows the same best evidence and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from . import units
from .units import Unit

LOCK_MODEL: Final = "TY0A01"
STANDARD_MODEL: Final = "TY0A02"

SETTING_REVERSE_LOCK: Final = 12
SETTING_AUTO_LOCK: Final = 19
SETTING_VOLUME: Final = 31
VOLUME_NORMAL: Final = 2
AUTO_LOCK_S: Final = 5
REQUEST_DP: Final = 50


class RemoteUnlock(StrEnum):
    """How a product takes a remote unlock."""

    PASSWORD_6 = "dp21"  # noqa: S105 (a method name) DP 21, 6 ASCII digits, result in DP 22
    PASSWORD_8 = "dp103"  # noqa: S105 (a method name) DP 103, 8 ASCII digits, result in DP 22
    KEYS = "dp48_dp49"  # a key stored by DP 48, used by DP 49


@dataclass(frozen=True)
class LockProfile:
    """A product: identity, remote unlock and the layouts of its raw DPs.

    `key_method_size` is the width of DP 49's method field (2: 13 bytes, 4:
    15 bytes); `password_size` the size of a temporary password (21 or 27).
    """

    name: str
    manufacturer: str
    model: str
    remote_unlock: RemoteUnlock
    key_method_size: int = 4
    password_size: int = 21
    settings: MappingProxyType[int, Unit] = field(
        default_factory=lambda: MappingProxyType({})
    )
    request_dp: int | None = None
    description: str = ""

    @property
    def pid(self) -> str:
        """Return the 8-character product id ending the manufacturer id."""
        return self.manufacturer[-8:]


def _settings(*settings: Unit) -> MappingProxyType[int, Unit]:
    return MappingProxyType({setting.dpid: setting for setting in settings})


DEFAULT_SETTINGS: Final = _settings(
    units.boolean(SETTING_REVERSE_LOCK, False),
    units.value(SETTING_AUTO_LOCK, AUTO_LOCK_S),
    units.enum(SETTING_VOLUME, VOLUME_NORMAL),
)

PROFILES: Final = MappingProxyType(
    {
        profile.name: profile
        for profile in (
            # The lock the end-to-end tests pair: an id no product row names.
            LockProfile(
                "simlock",
                "_TYST12_simlock1",
                LOCK_MODEL,
                RemoteUnlock.PASSWORD_6,
                settings=DEFAULT_SETTINGS,
                request_dp=REQUEST_DP,
                description="a TY0A01 no product row names; DP 21",
            ),
            # TZLL's target lock: DP 48/49 (13-byte DP 49), 27-byte DP 24.
            LockProfile(
                "password-free",
                "_TYST12_srptwvak",
                LOCK_MODEL,
                RemoteUnlock.KEYS,
                key_method_size=2,
                password_size=27,
                description="TY0A01 _TYST12_srptwvak: password-free DP 48/49",
            ),
            # TZLL's TYZS3 lock: DP 21 with 6 digits, enrolment, id lists.
            LockProfile(
                "dp21",
                "_TYST12_ujcjk46o",
                LOCK_MODEL,
                RemoteUnlock.PASSWORD_6,
                description="TY0A01 _TYST12_ujcjk46o: DP 21",
            ),
            # The standard's TY0A02: DP 103 with 8 digits.
            LockProfile(
                "ty0a02",
                "_TZF320_simlock2",
                STANDARD_MODEL,
                RemoteUnlock.PASSWORD_8,
                description="TY0A02 _TZF320_: DP 103",
            ),
        )
    }
)
DEFAULT_PROFILE: Final = PROFILES["simlock"]
