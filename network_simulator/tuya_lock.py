"""A simulated Tuya Zigbee door lock: the factory and the names tests use.

The lock is built in `network_simulator.lock` as the product is: a lock MCU
and a Zigbee module talking over a serial line, the module bridging it to
cluster 0xEF00 (see that package). It can be any of the product profiles of
`lock.profiles`; the default, ``simlock``, is a TY0A01 that no product row of
the gateway names, unlocked remotely with DP 21 and ``remote_password``, with
settings (reverse lock DP 12, auto-lock time DP 19, volume DP 31) reported
when it starts and a remote unlock request on DP 50.
"""

from __future__ import annotations

from collections.abc import Callable
import time
from typing import Final

import zigpy.profiles.zha as zha_profile
import zigpy.types as t
from zigpy.zcl.clusters.general import Groups, Ota, Scenes, Time
import zigpy.zdo.types as zdo_t

from .catalogue import basic_cluster
from .cluster_io import RequestingCluster
from .device import SimulatedEndpoint
from .lock.device import (
    ACK_TIMEOUT_S,
    HEARTBEAT_S,
    LOCK_ENDPOINT,
    MAX_RETRIES,
    STARTUP_DELAY_S,
    TUYA_CLUSTER_ID,
    TuyaLock,
    TuyaPrivateCluster,
)
from .lock.mcu_datapoints import PASSWORD_DPS
from .lock.profiles import (
    AUTO_LOCK_S,
    DEFAULT_PROFILE,
    PROFILES,
    REQUEST_DP,
    SETTING_AUTO_LOCK,
    SETTING_REVERSE_LOCK,
    SETTING_VOLUME,
    LockProfile,
    RemoteUnlock,
)
from .lock.zigbee_payloads import ZigbeeCommand
from .zcl import SimulatedCluster

__all__ = [
    "AUTO_LOCK_TIME_DP",
    "LOCK_IEEE",
    "PROFILES",
    "REMOTE_PASSWORD",
    "REMOTE_UNLOCK_REQUEST_DP",
    "TUYA_CLUSTER_ID",
    "TuyaLock",
    "ZigbeeCommand",
    "tuya_lock",
]

LOCK_IEEE: Final = t.EUI64.convert("a4:c1:38:5e:00:00:00:01")
LOCK_DEVICE_TYPE: Final = 0x0051
REMOTE_PASSWORD: Final = "123456"  # noqa: S105 (the simulated lock's own secret)
REMOTE_PASSWORD_8: Final = "12345678"  # noqa: S105
AUTO_LOCK_TIME_DP: Final = SETTING_AUTO_LOCK
REVERSE_LOCK_DP: Final = SETTING_REVERSE_LOCK
VOLUME_DP: Final = SETTING_VOLUME
REMOTE_UNLOCK_REQUEST_DP: Final = REQUEST_DP
_UNSET: Final = "unset"


def _profile(profile: str | LockProfile) -> LockProfile:
    return PROFILES[profile] if isinstance(profile, str) else profile


def default_password(profile: LockProfile) -> str | None:
    """Return the remote password a new lock of `profile` has."""
    if profile.remote_unlock is RemoteUnlock.PASSWORD_8:
        return REMOTE_PASSWORD_8
    if profile.remote_unlock in PASSWORD_DPS:
        return REMOTE_PASSWORD
    return None


def tuya_lock(
    ieee: t.EUI64 = LOCK_IEEE,
    *,
    profile: str | LockProfile = DEFAULT_PROFILE,
    manufacturer: str | None = None,
    model: str | None = None,
    remote_password: str | None = _UNSET,
    heartbeat_s: float = HEARTBEAT_S,
    ack_timeout_s: float = ACK_TIMEOUT_S,
    max_retries: int = MAX_RETRIES,
    startup_delay_s: float = STARTUP_DELAY_S,
    auto_lock_s: float | None = AUTO_LOCK_S,
    with_settings: bool = True,
    clock: Callable[[], float] = time.monotonic,
) -> TuyaLock:
    """Return a Tuya lock of `profile` (a name of `PROFILES`, or a profile).

    ``with_settings`` False takes the profile's settings away.
    """
    chosen = _profile(profile)
    manufacturer = manufacturer or chosen.manufacturer
    model = model or chosen.model
    lock = TuyaLock(
        ieee=ieee,
        manufacturer=manufacturer,
        model=model,
        logical_type=zdo_t.LogicalType.EndDevice,
        mains_powered=False,
        profile=chosen,
        heartbeat_s=heartbeat_s,
        ack_timeout_s=ack_timeout_s,
        max_retries=max_retries,
        startup_delay_s=startup_delay_s,
        clock=clock,
    )
    lock.remote_password = (
        default_password(chosen) if remote_password == _UNSET else remote_password
    )
    lock.auto_lock_s = auto_lock_s
    if not with_settings:
        lock.config.clear()
    endpoint = lock.add_endpoint(
        SimulatedEndpoint(LOCK_ENDPOINT, zha_profile.PROFILE_ID, LOCK_DEVICE_TYPE)
    )
    endpoint.add(basic_cluster(manufacturer, model, mains_powered=False))
    endpoint.add(SimulatedCluster(Groups, values={0x0000: 0}))
    endpoint.add(SimulatedCluster(Scenes, values={0x0000: 0, 0x0004: 0}))
    endpoint.add(SimulatedCluster(Time, values={0x0000: 0, 0x0001: 0}))
    endpoint.add(
        RequestingCluster(
            TuyaPrivateCluster,
            command_handler=lock.handle_command,
            on_answer=lock.take_answer,
        )
    )
    endpoint.add(SimulatedCluster(Ota, is_server=False))
    return lock
