"""The quirk matches both lock identities, and nothing else."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import zigpy.device

from custom_components.se_gateway.core.tuya_lock import TuyaLockCluster, quirk

type DeviceFactory = Callable[..., zigpy.device.Device]


def lock_cluster(device: zigpy.device.Device) -> object:
    return device.endpoints[1].in_clusters.get(0xEF00)


@pytest.mark.parametrize(
    ("manufacturer", "model"),
    [
        ("_TYST12_snr3p274", "TY0A01"),
        ("_TYST12_bfejtdig", "TY0A01"),
        ("_TYST12_qcdc4vui", "TY0A01"),
        ("_TZF320_abcdefgh", "TY0A02"),
    ],
)
def test_quirk_applies(
    device_factory: DeviceFactory, manufacturer: str, model: str
) -> None:
    device = device_factory(manufacturer, model)
    assert isinstance(lock_cluster(device), TuyaLockCluster)
    assert device.endpoints[1].tuya_lock is lock_cluster(device)


@pytest.mark.parametrize(
    ("manufacturer", "model"),
    [
        ("_TZE200_snr3p274", "TY0A01"),  # another Tuya family
        ("_TYST12_snr3p274", "TS0601"),  # another model
        ("_TZF320_abcdefg", "TY0A02"),  # product id one character short
        ("_TZF320_abcdefghi", "TY0A02"),  # one character long
        ("_TYST12_snr3p274", "TY0A02"),  # identities mixed up
        ("_TZF320_abcdefgh", "TY0A01"),
    ],
)
def test_quirk_does_not_apply(
    device_factory: DeviceFactory, manufacturer: str, model: str
) -> None:
    device = device_factory(manufacturer, model)
    assert not isinstance(lock_cluster(device), TuyaLockCluster)


def test_quirk_needs_the_home_automation_profile(device_factory: DeviceFactory) -> None:
    device = device_factory(profile_id=0xC05E)
    assert not isinstance(lock_cluster(device), TuyaLockCluster)


def test_quirk_needs_the_private_cluster(device_factory: DeviceFactory) -> None:
    device = device_factory(in_clusters=(0x0000, 0x000A))
    assert lock_cluster(device) is None


def test_missing_manufacturer(device_factory: DeviceFactory) -> None:
    device = device_factory(manufacturer=None)
    assert not quirk.is_field_lock(device)
    assert not quirk.is_standard_lock(device)
