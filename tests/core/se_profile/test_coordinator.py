"""The gateway's Smart Energy endpoint on zigpy's coordinator (radio mocked).

ZDO requests follow ZigBee 05-3474 §2.4.3.1 (Simple_Desc_req, Active_EP_req,
Match_Desc_req) and §2.4.4.2 (their responses); zigpy's
``zigpy.zdo.types.CLUSTERS`` holds the same schemas, used here to build the
requests and to read the answers.
"""

from __future__ import annotations

import logging
from typing import Any
from unittest.mock import AsyncMock, MagicMock

import pytest
import zigpy.device
import zigpy.endpoint
import zigpy.types as t
import zigpy.zdo.types as zdo_t

from se_gateway_core.se_profile.coordinator import SmartEnergyCoordinator
from se_gateway_core.se_profile.device import SmartEnergyProfileDevice
from se_gateway_core.se_profile.esi_endpoint import (
    KEY_ESTABLISHMENT,
    METERING,
    PRICE,
    SE_ENDPOINT_ID,
    SERVER_CLUSTERS,
)
from tests.zigpy_app import FakeApplication

SE_PROFILE = 0x0109
HA_PROFILE = 0x0104
COORDINATOR_IEEE = t.EUI64.convert("00:13:a2:00:41:5a:3c:01")
DEVICE_IEEE = t.EUI64.convert("00:0d:6f:00:0c:10:00:01")
DEVICE_NWK = 0x2B2B
UNKNOWN_NWK = 0x7777
TSN = 0x5A


def application() -> FakeApplication:
    """Return an application with a coordinator (endpoint 1) and one 0x0109 device."""
    app = FakeApplication()
    app.state.node_info.nwk = t.NWK(0x0000)
    app.state.node_info.ieee = COORDINATOR_IEEE
    coordinator = app.add_device(COORDINATOR_IEEE, 0x0000)
    endpoint = coordinator.add_endpoint(1)
    endpoint.status = zigpy.endpoint.Status.ZDO_INIT
    endpoint.profile_id = HA_PROFILE
    device = app.add_device(DEVICE_IEEE, DEVICE_NWK)
    se = device.add_endpoint(1)
    se.profile_id = SE_PROFILE
    se.device_type = 0x0501
    se.add_input_cluster(0x0000)
    return app


@pytest.fixture
async def started() -> tuple[FakeApplication, SmartEnergyCoordinator, MagicMock]:
    """Return the application, the started coordinator, and what it passes on."""
    app = application()
    passed_on = MagicMock()
    app.packet_received = passed_on  # type: ignore[method-assign]
    coordinator = SmartEnergyCoordinator(app)
    await coordinator.async_start()
    return app, coordinator, passed_on


def zdo_request(
    command: zdo_t.ZDOCmd, *args: Any, src: int = DEVICE_NWK, tsn: int = TSN
) -> t.ZigbeePacket:
    """Return a ZDO request from ``src`` to the coordinator."""
    schema = zdo_t.CLUSTERS[command][1]
    return zdo_packet(command, bytes([tsn]) + t.serialize(args, schema), src=src)


def zdo_packet(
    cluster_id: int, data: bytes, *, src: int = DEVICE_NWK
) -> t.ZigbeePacket:
    return t.ZigbeePacket(
        src=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=src),
        src_ep=0,
        dst=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=0x0000),
        dst_ep=0,
        profile_id=0x0000,
        cluster_id=cluster_id,
        data=t.SerializableBytes(data),
    )


def match_desc(
    profile: int, in_clusters: list[int], out_clusters: list[int] | None = None
) -> t.ZigbeePacket:
    return zdo_request(
        zdo_t.ZDOCmd.Match_Desc_req,
        t.NWK(0xFFFD),
        profile,
        in_clusters,
        out_clusters or [],
    )


async def answers(app: FakeApplication) -> list[tuple[int, int, list[Any]]]:
    """Return (cluster, tsn, fields) of every ZDO frame sent so far."""
    await _settle()
    sent = []
    for call in app.send_packet.mock_calls:  # type: ignore[attr-defined]
        packet: t.ZigbeePacket = call.args[0]
        data = packet.data.serialize()
        schema = zdo_t.CLUSTERS[zdo_t.ZDOCmd(packet.cluster_id)][1]
        fields, rest = t.deserialize(data[1:], schema)
        assert rest == b""
        assert packet.dst is not None
        assert packet.dst.address == DEVICE_NWK
        sent.append((packet.cluster_id, data[0], fields))
    return sent


async def _settle() -> None:
    import asyncio  # noqa: PLC0415

    for _ in range(5):
        await asyncio.sleep(0)


# --- Match Descriptor ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "in_clusters", "out_clusters"),
    [
        (SE_PROFILE, [KEY_ESTABLISHMENT], []),
        (SE_PROFILE, [0x0000, PRICE], []),
        (SE_PROFILE, [], [METERING]),
        (0xFFFF, [KEY_ESTABLISHMENT], []),
    ],
)
async def test_match_descriptor_on_0109_names_the_se_endpoint(
    started: tuple[FakeApplication, SmartEnergyCoordinator, MagicMock],
    profile: int,
    in_clusters: list[int],
    out_clusters: list[int],
) -> None:
    app, coordinator, passed_on = started
    coordinator.packet_received(match_desc(profile, in_clusters, out_clusters))

    ((cluster, tsn, (status, nwk, endpoints)),) = await answers(app)
    assert cluster == zdo_t.ZDOCmd.Match_Desc_rsp
    assert tsn == TSN
    assert status == zdo_t.Status.SUCCESS
    assert nwk == 0x0000
    assert endpoints == [SE_ENDPOINT_ID]
    passed_on.assert_not_called()
    assert coordinator.answered == 1


@pytest.mark.parametrize(
    ("in_clusters", "out_clusters"),
    [
        ([0x0006], []),  # On/Off: not on the SE endpoint
        ([METERING], []),  # Metering is a client of the gateway, not a server
        ([], [PRICE]),  # Price is a server of the gateway, not a client
        ([], []),
    ],
)
async def test_match_descriptor_on_0109_without_a_listed_cluster_is_empty(
    started: tuple[FakeApplication, SmartEnergyCoordinator, MagicMock],
    in_clusters: list[int],
    out_clusters: list[int],
) -> None:
    app, coordinator, passed_on = started
    coordinator.packet_received(match_desc(SE_PROFILE, in_clusters, out_clusters))

    ((cluster, tsn, (status, _nwk, endpoints)),) = await answers(app)
    assert (cluster, tsn, status) == (zdo_t.ZDOCmd.Match_Desc_rsp, TSN, 0)
    assert endpoints == []
    passed_on.assert_not_called()


async def test_match_descriptor_on_0104_keeps_zigpys_answer(
    started: tuple[FakeApplication, SmartEnergyCoordinator, MagicMock],
) -> None:
    app, coordinator, passed_on = started
    packet = match_desc(HA_PROFILE, [KEY_ESTABLISHMENT, 0x0006])
    coordinator.packet_received(packet)

    assert await answers(app) == []
    passed_on.assert_called_once_with(packet)
    assert coordinator.answered == 0


# --- Simple Descriptor and Active Endpoints -----------------------------------------


async def test_simple_descriptor_of_the_se_endpoint(
    started: tuple[FakeApplication, SmartEnergyCoordinator, MagicMock],
) -> None:
    app, coordinator, passed_on = started
    coordinator.packet_received(
        zdo_request(zdo_t.ZDOCmd.Simple_Desc_req, t.NWK(0x0000), t.uint8_t(0x5E))
    )

    ((cluster, tsn, (status, nwk, descriptor)),) = await answers(app)
    assert (cluster, tsn, status, nwk) == (zdo_t.ZDOCmd.Simple_Desc_rsp, TSN, 0, 0)
    assert descriptor.endpoint == SE_ENDPOINT_ID
    assert descriptor.profile == SE_PROFILE
    assert descriptor.device_type == 0x0500
    assert list(descriptor.input_clusters) == list(SERVER_CLUSTERS)
    assert list(descriptor.output_clusters) == [METERING, KEY_ESTABLISHMENT]
    passed_on.assert_not_called()


@pytest.mark.parametrize(("nwk", "endpoint"), [(0x0000, 1), (0x1234, SE_ENDPOINT_ID)])
async def test_other_simple_descriptors_go_to_zigpy(
    started: tuple[FakeApplication, SmartEnergyCoordinator, MagicMock],
    nwk: int,
    endpoint: int,
) -> None:
    app, coordinator, passed_on = started
    packet = zdo_request(zdo_t.ZDOCmd.Simple_Desc_req, t.NWK(nwk), t.uint8_t(endpoint))
    coordinator.packet_received(packet)
    assert await answers(app) == []
    passed_on.assert_called_once_with(packet)


async def test_active_endpoints_of_the_coordinator(
    started: tuple[FakeApplication, SmartEnergyCoordinator, MagicMock],
) -> None:
    app, coordinator, passed_on = started
    coordinator.packet_received(zdo_request(zdo_t.ZDOCmd.Active_EP_req, t.NWK(0)))

    ((cluster, tsn, (status, nwk, endpoints)),) = await answers(app)
    assert (cluster, tsn, status, nwk) == (zdo_t.ZDOCmd.Active_EP_rsp, TSN, 0, 0)
    assert sorted(endpoints) == [1, SE_ENDPOINT_ID]
    passed_on.assert_not_called()


async def test_active_endpoints_of_another_node_go_to_zigpy(
    started: tuple[FakeApplication, SmartEnergyCoordinator, MagicMock],
) -> None:
    app, coordinator, passed_on = started
    packet = zdo_request(zdo_t.ZDOCmd.Active_EP_req, t.NWK(0x1234))
    coordinator.packet_received(packet)
    assert await answers(app) == []
    passed_on.assert_called_once_with(packet)


# --- Frames that are not for us, short or garbage -----------------------------------


@pytest.mark.parametrize(
    ("cluster_id", "data"),
    [
        (zdo_t.ZDOCmd.Match_Desc_req, b""),
        (zdo_t.ZDOCmd.Match_Desc_req, b"\x01"),
        (zdo_t.ZDOCmd.Match_Desc_req, b"\x01\xfd\xff\x09"),  # profile cut short
        (zdo_t.ZDOCmd.Match_Desc_req, b"\x01\xfd\xff\x09\x01\x05\x00\x08"),
        (zdo_t.ZDOCmd.Simple_Desc_req, b"\x01\x00"),
        (zdo_t.ZDOCmd.Active_EP_req, b"\x01"),
        (zdo_t.ZDOCmd.Node_Desc_req, b"\x01\x00\x00"),  # not one we answer
        (0x0099, b"\x01\x02\x03"),  # no such ZDO command
    ],
)
async def test_short_or_garbage_zdo_frames_go_to_zigpy_unanswered(
    started: tuple[FakeApplication, SmartEnergyCoordinator, MagicMock],
    cluster_id: int,
    data: bytes,
) -> None:
    app, coordinator, passed_on = started
    packet = zdo_packet(cluster_id, data)
    coordinator.packet_received(packet)
    assert await answers(app) == []
    passed_on.assert_called_once_with(packet)
    assert coordinator.answered == 0


async def test_requests_from_unknown_senders_go_to_zigpy(
    started: tuple[FakeApplication, SmartEnergyCoordinator, MagicMock],
) -> None:
    app, coordinator, passed_on = started
    unknown = match_desc(SE_PROFILE, [KEY_ESTABLISHMENT]).replace(
        src=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=UNKNOWN_NWK)
    )
    no_source = match_desc(SE_PROFILE, [KEY_ESTABLISHMENT]).replace(src=None)
    coordinator.packet_received(unknown)
    coordinator.packet_received(no_source)
    assert await answers(app) == []
    assert [call.args[0] for call in passed_on.call_args_list] == [unknown, no_source]


async def test_a_failed_send_is_logged_not_raised(
    started: tuple[FakeApplication, SmartEnergyCoordinator, MagicMock],
    caplog: pytest.LogCaptureFixture,
) -> None:
    app, coordinator, passed_on = started
    device = app.devices[DEVICE_IEEE]
    device.request = AsyncMock(side_effect=OSError("radio gone"))  # type: ignore[method-assign]
    caplog.set_level(logging.DEBUG, logger="se_gateway_core.se_profile.coordinator")
    coordinator.packet_received(match_desc(SE_PROFILE, [KEY_ESTABLISHMENT]))
    await _settle()
    assert "Could not send a ZDO answer: OSError('radio gone')" in caplog.text
    device.request.assert_awaited_once()
    passed_on.assert_not_called()


# --- Interview of 0x0109-only devices -----------------------------------------------


def basic_read(profile: int = SE_PROFILE, data: bytes = b"\x00\x01\x00\x04\x00") -> Any:
    return t.ZigbeePacket(
        src=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=DEVICE_NWK),
        src_ep=1,
        dst=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=0x0000),
        dst_ep=1,
        profile_id=profile,
        cluster_id=0x0000,
        data=t.SerializableBytes(data),
    )


async def test_a_0109_frame_of_an_unquirked_device_reaches_zigpy_as_0104(
    started: tuple[FakeApplication, SmartEnergyCoordinator, MagicMock],
) -> None:
    _app, coordinator, passed_on = started
    coordinator.packet_received(basic_read())
    (packet,) = [call.args[0] for call in passed_on.call_args_list]
    assert packet.profile_id == HA_PROFILE
    assert packet.data.serialize() == b"\x00\x01\x00\x04\x00"
    assert coordinator.rewritten == 1


async def test_other_frames_keep_their_profile(
    started: tuple[FakeApplication, SmartEnergyCoordinator, MagicMock],
) -> None:
    app, coordinator, passed_on = started
    short = basic_read(data=b"\x00\x01")
    other_endpoint = basic_read().replace(src_ep=9)
    unknown = basic_read().replace(
        src=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=UNKNOWN_NWK)
    )
    home_automation = basic_read(HA_PROFILE)
    frames = [short, other_endpoint, unknown, home_automation]
    for packet in frames:
        coordinator.packet_received(packet)

    # A device that has the quirk parses 0x0109 itself
    device = app.devices[DEVICE_IEEE]
    app.devices[DEVICE_IEEE] = SmartEnergyProfileDevice(
        app, DEVICE_IEEE, device.nwk, device
    )
    coordinator.packet_received(basic_read())
    frames.append(basic_read())

    received = [call.args[0] for call in passed_on.call_args_list]
    assert received == frames
    assert coordinator.rewritten == 0


async def test_the_endpoint_of_another_profile_keeps_its_profile(
    started: tuple[FakeApplication, SmartEnergyCoordinator, MagicMock],
) -> None:
    app, coordinator, passed_on = started
    app.devices[DEVICE_IEEE].endpoints[1].profile_id = HA_PROFILE
    coordinator.packet_received(basic_read())
    assert passed_on.call_args_list[0].args[0].profile_id == SE_PROFILE
    assert coordinator.rewritten == 0


# --- Start and stop -----------------------------------------------------------------


async def test_start_registers_the_endpoint_and_stop_gives_packet_received_back() -> (
    None
):
    app = application()
    app.add_endpoint = AsyncMock()  # type: ignore[method-assign]
    coordinator = SmartEnergyCoordinator(app)
    await coordinator.async_start()

    app.add_endpoint.assert_awaited_once_with(coordinator.descriptor)
    endpoint = app._device.endpoints[SE_ENDPOINT_ID]
    assert endpoint.profile_id == SE_PROFILE
    assert set(endpoint.in_clusters) == set(SERVER_CLUSTERS)
    assert set(endpoint.out_clusters) == {METERING, KEY_ESTABLISHMENT}
    assert vars(app)["packet_received"] == coordinator.packet_received

    coordinator.stop()
    assert "packet_received" not in vars(app)
    assert app.packet_received.__func__ is FakeApplication.packet_received  # type: ignore[attr-defined]


async def test_an_existing_endpoint_is_not_registered_again() -> None:
    app = application()
    first = SmartEnergyCoordinator(app)
    await first.async_start()
    first.stop()
    app.add_endpoint = AsyncMock()  # type: ignore[method-assign]
    second = SmartEnergyCoordinator(app)
    await second.async_start()
    app.add_endpoint.assert_not_awaited()
    second.stop()


async def test_a_radio_without_endpoints_gets_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = application()
    app.add_endpoint = AsyncMock(side_effect=NotImplementedError)  # type: ignore[method-assign]
    coordinator = SmartEnergyCoordinator(app)
    await coordinator.async_start()
    assert "cannot register endpoints" in caplog.text
    assert SE_ENDPOINT_ID in app._device.endpoints


async def test_stop_restores_an_earlier_shadow_and_respects_a_later_one(
    started: tuple[FakeApplication, SmartEnergyCoordinator, MagicMock],
) -> None:
    app, coordinator, passed_on = started
    coordinator.stop()
    assert vars(app)["packet_received"] is passed_on

    await coordinator.async_start()
    later = MagicMock()
    app.packet_received = later  # type: ignore[method-assign]
    coordinator.stop()
    assert vars(app)["packet_received"] is later
    # Still in the chain, it passes everything on, answering nothing
    packet = match_desc(SE_PROFILE, [KEY_ESTABLISHMENT])
    coordinator.packet_received(packet)
    passed_on.assert_called_once_with(packet)
    assert await answers(app) == []


async def test_stop_cancels_answers_in_flight(
    started: tuple[FakeApplication, SmartEnergyCoordinator, MagicMock],
) -> None:
    app, coordinator, _passed_on = started
    coordinator.packet_received(match_desc(SE_PROFILE, [KEY_ESTABLISHMENT]))
    coordinator.stop()
    assert await answers(app) == []


def test_the_sender_of_a_group_address_is_nobody() -> None:
    app = application()
    coordinator = SmartEnergyCoordinator(app)
    packet = basic_read().replace(
        src=t.AddrModeAddress(addr_mode=t.AddrMode.Group, address=0x0001)
    )
    assert coordinator._sender(packet) is None
    assert isinstance(coordinator._sender(basic_read()), zigpy.device.Device)
