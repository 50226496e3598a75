"""The frame guard on a real zigpy application (radio mocked), without ZHA."""

from __future__ import annotations

from typing import Any

import pytest
import zigpy.device
import zigpy.endpoint
import zigpy.types as t
import zigpy.zdo.types as zdo_t

from custom_components.se_gateway.zha.frame_guard import (
    FrameGuard,
    active_guard,
    async_guard_frames,
)

from ..core.se_profile.test_device import HA_PROFILE_ID, make_device, report, summation

ZLL_PROFILE_ID = 0xC05E
CUSTOM_PROFILE_ID = 0xFC01
SHORT_FRAMES = (
    b"",
    b"\x18",
    b"\x18\x01",
    b"\x1c\x34\x12",
    b"\x1c\x34\x12\x01",
)


class Listener:
    """Records the frames zigpy hands to its application listeners."""

    def __init__(self) -> None:
        self.frames: list[tuple[int, bytes]] = []

    def handle_message(self, _device: Any, profile: int, *args: Any) -> None:
        self.frames.append((profile, args[-1]))


def interviewed_meter() -> zigpy.device.Device:
    """Return the Home Automation meter of the quirk's tests, interviewed."""
    device = make_device(se_profile=False)
    device.node_desc = zdo_t.NodeDescriptor(logical_type=zdo_t.LogicalType.Router)
    for endpoint in device.non_zdo_endpoints:
        endpoint.status = zigpy.endpoint.Status.ZDO_INIT
    assert device.is_initialized
    return device


def with_data(data: bytes, profile_id: int = HA_PROFILE_ID) -> t.ZigbeePacket:
    return report(profile_id).replace(data=t.SerializableBytes(data))


async def test_zigpy_alone_raises_on_a_short_frame() -> None:
    app = interviewed_meter().application
    with pytest.raises(ValueError, match="too short"):
        app.packet_received(with_data(b"\x18"))


@pytest.mark.parametrize("profile_id", [HA_PROFILE_ID, ZLL_PROFILE_ID])
async def test_short_frames_are_dropped_good_ones_pass(
    profile_id: int, caplog: pytest.LogCaptureFixture
) -> None:
    device = interviewed_meter()
    app = device.application
    listener = Listener()
    app.add_listener(listener)
    stop = async_guard_frames(app)
    guard = active_guard(app)
    assert guard is not None

    for data in SHORT_FRAMES:
        app.packet_received(with_data(data, profile_id))
    app.packet_received(report(HA_PROFILE_ID, value=77))

    assert guard.dropped == len(SHORT_FRAMES)
    good = report(HA_PROFILE_ID, value=77).data.serialize()
    assert listener.frames == [(HA_PROFILE_ID, good)]
    assert summation(device) == 77
    (record,) = [r for r in caplog.records if r.name.endswith("frame_guard")]
    assert "0-byte frame" in record.getMessage()
    assert str(device.ieee) in record.getMessage()
    stop()


async def test_frames_zigpy_does_not_parse_reach_it_unchanged() -> None:
    app = interviewed_meter().application
    listener = Listener()
    app.add_listener(listener)
    stop = async_guard_frames(app)

    app.packet_received(with_data(b"\x01", CUSTOM_PROFILE_ID))
    # A 3-byte header without a manufacturer code is whole.
    app.packet_received(with_data(b"\x18\x01\x0a"))

    assert listener.frames == [
        (CUSTOM_PROFILE_ID, b"\x01"),
        (HA_PROFILE_ID, b"\x18\x01\x0a"),
    ]
    guard = active_guard(app)
    assert guard is not None
    assert guard.dropped == 0
    stop()


async def test_stopping_gives_zigpy_its_method_back() -> None:
    app = interviewed_meter().application
    stop = async_guard_frames(app)
    assert "packet_received" in vars(app)

    stop()

    assert "packet_received" not in vars(app)
    assert active_guard(app) is None
    with pytest.raises(ValueError, match="too short"):
        app.packet_received(with_data(b""))


async def test_stopping_under_another_wrapper_passes_frames_through() -> None:
    app = interviewed_meter().application
    seen: list[t.ZigbeePacket] = []
    earlier = app.packet_received

    def wrapper_before(packet: t.ZigbeePacket) -> None:
        seen.append(packet)
        earlier(packet)

    app.packet_received = wrapper_before  # type: ignore[method-assign]
    guard = FrameGuard(app)
    guard.async_start()
    guarded = app.packet_received
    later = app.packet_received

    def wrapper_after(packet: t.ZigbeePacket) -> None:
        later(packet)

    app.packet_received = wrapper_after  # type: ignore[method-assign]

    guard.async_stop()

    # Still in the chain, but only passing frames on.
    assert vars(app)["packet_received"] is wrapper_after
    with pytest.raises(ValueError, match="too short"):
        app.packet_received(with_data(b""))
    assert len(seen) == 1
    # Stopped while outermost, it restores the wrapper it found.
    app.packet_received = guarded  # type: ignore[method-assign]
    guard.async_stop()
    assert vars(app)["packet_received"] is wrapper_before
