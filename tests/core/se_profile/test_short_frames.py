"""A Smart Energy profile frame too short for a ZCL header is dropped, not raised.

zigpy's header parser raises on such a frame; the quirk must not hand it
over as ZCL. zigpy alone drops a 0x0109 frame as a custom-profile one, and so
does the quirk for these.
"""

from __future__ import annotations

import logging

import pytest
from zha.quirks import DEVICE_REGISTRY
import zigpy.device
import zigpy.types as t

from custom_components.se_gateway.core.se_profile.device import (
    LONGEST_ZCL_HEADER,
    SMART_ENERGY_PROFILE_ID,
    SmartEnergyProfileDevice,
    holds_zcl_header,
)

from .test_device import HA_PROFILE_ID, make_device, report, summation

# Frame control: global command, server to client, no default response; the
# same with the manufacturer-specific bit.
PLAIN = 0x18
MANUFACTURER_SPECIFIC = 0x1C


def quirked() -> zigpy.device.Device:
    device = DEVICE_REGISTRY.resolve(make_device())
    assert isinstance(device, SmartEnergyProfileDevice)
    return device


def frame(data: bytes, profile_id: int = SMART_ENERGY_PROFILE_ID) -> t.ZigbeePacket:
    """Return the summation report packet from endpoint 1 with ``data`` instead."""
    return report(profile_id).replace(data=t.SerializableBytes(data))


@pytest.mark.parametrize(
    ("data", "holds"),
    [
        (b"", False),
        (bytes((PLAIN,)), False),
        (bytes((PLAIN, 1)), False),
        (bytes((PLAIN, 1, 0x0A)), True),
        (bytes((MANUFACTURER_SPECIFIC, 1, 0x0A)), False),
        (bytes((MANUFACTURER_SPECIFIC, 0x34, 0x12, 1)), False),
        (bytes((MANUFACTURER_SPECIFIC, 0x34, 0x12, 1, 0x0A)), True),
        (bytes((PLAIN, 1, 0x0A, 0, 0, 0x25)), True),
    ],
)
def test_holds_zcl_header(data: bytes, holds: bool) -> None:
    assert holds_zcl_header(data) is holds
    assert len(data) < LONGEST_ZCL_HEADER or holds


async def test_short_smart_energy_frames_are_dropped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    device = quirked()
    caplog.set_level(logging.DEBUG, logger="zigpy.device")
    shorts = [b""] + [
        bytes((frame_control,)) + b"\xee" * (length - 1)
        for length in range(1, LONGEST_ZCL_HEADER)
        for frame_control in (PLAIN, MANUFACTURER_SPECIFIC)
        if not holds_zcl_header(bytes((frame_control,)) + b"\xee" * (length - 1))
    ]
    assert len(shorts) == 7

    for data in shorts:
        device.packet_received(frame(data))

    assert summation(device) is None
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    message = warnings[0].getMessage()
    assert "0-byte frame" in message
    assert str(device.ieee) in message
    # Dropped where zigpy drops any frame of a profile it does not parse.
    custom = [r for r in caplog.records if "custom profile 0x0109" in r.getMessage()]
    assert len(custom) == len(shorts)


async def test_a_good_frame_after_short_ones_is_read() -> None:
    device = quirked()
    device.packet_received(frame(b""))
    device.packet_received(frame(bytes((MANUFACTURER_SPECIFIC, 0x34, 0x12))))

    device.packet_received(report(SMART_ENERGY_PROFILE_ID, value=99))

    assert summation(device) == 99


async def test_other_profiles_are_left_to_zigpy() -> None:
    # The quirk reads only 0x0109 frames itself: a short Home Automation frame
    # still reaches zigpy's own parser, which raises (guarded in the integration).
    device = quirked()
    with pytest.raises(ValueError, match="too short"):
        device.packet_received(frame(b"", HA_PROFILE_ID))
