"""Tests of the MCU OTA helpers: versions, product ids, images and outcomes."""

from __future__ import annotations

import pytest

from custom_components.se_gateway.core.tuya_lock.commands import McuVersionReport
from custom_components.se_gateway.core.tuya_lock.mcu_ota import (
    McuOtaImage,
    McuOtaOutcome,
    product_id,
    version_byte,
)


@pytest.mark.parametrize("version", ["0.0.0", "1.0.1", "2.1.9", "3.3.15"])
def test_version_byte_is_the_inverse_of_the_report(version: str) -> None:
    assert McuVersionReport(0, version_byte(version)).version == version


def test_version_byte_layout() -> None:
    assert version_byte(" 1.0.2 ") == 0b01_00_0010


@pytest.mark.parametrize("version", ["1.0", "a.b.c", "1.0.2.3", ""])
def test_version_byte_refuses_other_formats(version: str) -> None:
    with pytest.raises(ValueError, match="look like"):
        version_byte(version)


@pytest.mark.parametrize("version", ["4.0.0", "0.4.0", "0.0.16"])
def test_version_byte_refuses_parts_out_of_range(version: str) -> None:
    with pytest.raises(ValueError, match="major 0-3"):
        version_byte(version)


@pytest.mark.parametrize(
    ("manufacturer", "expected"),
    [
        ("_TZF320_abcd1234", b"abcd1234"),
        ("_TYST12_simlock1", b"simlock1"),
        ("abcd1234", b"abcd1234"),
        ("_TZF320_short", None),
        ("_TZF320_abcdé123", None),
        (None, None),
    ],
)
def test_product_id_from_the_manufacturer_id(
    manufacturer: str | None, expected: bytes | None
) -> None:
    assert product_id(manufacturer) == expected


@pytest.mark.parametrize("checksum", [-1, 0x1_0000_0000])
def test_image_checksum_fits_4_bytes(checksum: int) -> None:
    with pytest.raises(ValueError, match="4 bytes"):
        McuOtaImage(b"abcd1234", 1, b"x", checksum)


def test_outcome_success() -> None:
    assert McuOtaOutcome(0, 10).success
    assert not McuOtaOutcome(1, 10).success
