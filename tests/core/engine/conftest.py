"""Fixtures: an engine on a manual clock, and devices on a fake zigpy radio."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
import random
from typing import Any, cast
from unittest.mock import AsyncMock

import pytest
import zigpy.device
from zigpy.zcl import Cluster, foundation

from custom_components.se_gateway.core.clusters import Drlc, Messaging, Price
from custom_components.se_gateway.core.engine import (
    DrlcClientSettings,
    GatewayEngine,
    ManualClock,
    ManualScheduler,
    Notification,
    RefusalError,
)

from ...zigpy_app import FakeApplication
from ..clusters.fake_zigpy import DEVICE_EP, cluster_frame, make_device, packet_from

T0 = 800_000_000  # 2025-05-08 in SE time
TIME = 0x000A
IHD_NWK = 0x1001
LOAD_NWK = 0x2002
METER_NWK = 0x3003


async def refused(request: Awaitable[Any]) -> RefusalError:
    """Return how the engine refused ``request``."""
    with pytest.raises(RefusalError) as refusal:
        await request
    return refusal.value


@pytest.fixture(autouse=True)
def no_retry_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let zigpy retry a failed send without sleeping."""
    monkeypatch.setattr(zigpy.device, "DEFAULT_REQUEST_RETRY_DELAY", 0)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def scheduler(clock: ManualClock) -> ManualScheduler:
    return ManualScheduler(clock)


@pytest.fixture
def app() -> FakeApplication:
    return FakeApplication()


@pytest.fixture
def notifications() -> list[Notification]:
    return []


@pytest.fixture
def engine(
    clock: ManualClock,
    scheduler: ManualScheduler,
    app: FakeApplication,
    notifications: list[Notification],
) -> GatewayEngine:
    """Return an engine attached to ``app``, recording its notifications."""
    engine = GatewayEngine(
        clock=clock,
        scheduler=scheduler,
        drlc_client=DrlcClientSettings(
            start_randomization_minutes=0, duration_randomization_minutes=0
        ),
        rng=random.Random(1),
    )
    engine.subscribe(notifications.append)
    engine.attach(app)
    return engine


def joined(app: FakeApplication, device: zigpy.device.Device) -> zigpy.device.Device:
    """Announce ``device`` as zigpy does when its interview ends."""
    app.device_initialized(device)
    return device


def make_ihd(app: FakeApplication, nwk: int = IHD_NWK) -> zigpy.device.Device:
    """Return an in-home display: Price, DRLC, Messaging and Time clients."""
    return joined(
        app,
        make_device(
            app,
            out_clusters=[
                Price.cluster_id,
                Drlc.cluster_id,
                Messaging.cluster_id,
                TIME,
            ],
            nwk=nwk,
        ),
    )


def make_load_device(
    app: FakeApplication,
    nwk: int = LOAD_NWK,
    *,
    device_class: int | None = None,
    enrollment_group: int | None = None,
) -> zigpy.device.Device:
    """Return a load control device, its client attributes in the cache."""
    device = make_device(app, out_clusters=[Drlc.cluster_id], nwk=nwk)
    drlc = client(device, Drlc.cluster_id)
    if device_class is not None:
        drlc.update_attribute(Drlc.AttributeDefs.device_class_value.id, device_class)
    if enrollment_group is not None:
        drlc.update_attribute(
            Drlc.AttributeDefs.utility_enrollment_group.id, enrollment_group
        )
    return joined(app, device)


def make_meter(app: FakeApplication, nwk: int = METER_NWK) -> zigpy.device.Device:
    """Return a meter that serves Price, DRLC and Messaging."""
    return joined(
        app,
        make_device(
            app,
            in_clusters=[Price.cluster_id, Drlc.cluster_id, Messaging.cluster_id],
            nwk=nwk,
        ),
    )


def client(device: zigpy.device.Device, cluster_id: int) -> Cluster:
    """Return a device's client (output) cluster."""
    cluster: Cluster = device.endpoints[DEVICE_EP].out_clusters[cluster_id]
    return cluster


def receive(
    device: zigpy.device.Device,
    command: foundation.ZCLCommandDef,
    *,
    tsn: int = 0x42,
    disable_default_response: bool = True,
    **fields: Any,
) -> None:
    """Feed a command ``device`` sends through zigpy's real receive path."""
    receive_payload(
        device,
        command,
        command.schema(**fields).serialize(),
        tsn=tsn,
        disable_default_response=disable_default_response,
    )


def publish_price(event_id: int = 1, **fields: Any) -> dict[str, Any]:
    """Return the fields of a valid Publish Price, ``fields`` overriding."""
    return {
        "provider_id": 7,
        "rate_label": b"Day",
        "issuer_event_id": event_id,
        "current_time": T0,
        "unit_of_measure": 0,
        "currency": 826,
        "price_trailing_digit_and_price_tier": 0x21,
        "number_of_price_tiers_and_register_tier": 0x31,
        "start_time": 0,
        "duration_in_minutes": 0xFFFF,
        "price": 2500,
        **fields,
    }


def load_control_event(event_id: int = 1, **fields: Any) -> dict[str, Any]:
    """Return the fields of a valid Load Control Event, ``fields`` overriding."""
    return {
        "issuer_event_id": event_id,
        "device_class": 0x0FFF,
        "utility_enrollment_group": 0,
        "start_time": 0,
        "duration_in_minutes": 30,
        "criticality_level": 2,
        "cooling_temperature_offset": 0xFF,
        "heating_temperature_offset": 0xFF,
        "cooling_temperature_set_point": 2500,
        "heating_temperature_set_point": -0x8000,
        "average_load_adjustment_percentage": -0x80,
        "duty_cycle": 0xFF,
        "event_control": 0,
        **fields,
    }


def display_message(message_id: int = 1, **fields: Any) -> dict[str, Any]:
    """Return the fields of a valid Display Message, ``fields`` overriding."""
    return {
        "message_id": message_id,
        "message_control": 0x80,
        "start_time": 0,
        "duration_in_minutes": 10,
        "message": "Confirm please",
        **fields,
    }


def receive_payload(
    device: zigpy.device.Device,
    command: foundation.ZCLCommandDef,
    payload: bytes,
    *,
    tsn: int = 0x42,
    disable_default_response: bool = True,
) -> None:
    """Feed a command with a raw payload through zigpy's receive path."""
    cluster_id = next(
        cluster.cluster_id
        for cluster in (Price, Drlc, Messaging)
        if command in (*cluster.ServerCommandDefs, *cluster.ClientCommandDefs)
    )
    server_to_client = any(
        command is defs
        for cluster in (Price, Drlc, Messaging)
        for defs in cluster.ClientCommandDefs
    )
    frame = cluster_frame(
        command,
        payload,
        server_to_client=server_to_client,
        tsn=tsn,
        disable_default_response=disable_default_response,
    )
    device.packet_received(packet_from(device, cluster_id, frame))


@dataclass(frozen=True)
class Sent:
    """A frame the coordinator sent, decoded with our cluster schemas."""

    nwk: int
    cluster_id: int
    hdr: foundation.ZCLHeader
    command: Any

    @property
    def name(self) -> str:
        """Return the command name (for a Default Response, with its status)."""
        if self.hdr.frame_control.is_general:
            return f"default_response:{self.command.status.name}"
        return str(type(self.command).__name__)


def radio(app: FakeApplication) -> AsyncMock:
    """Return the mock that stands for the radio's send_packet."""
    return cast(AsyncMock, app.send_packet)


def sent(app: FakeApplication) -> list[Sent]:
    """Return every frame sent so far, decoded."""
    frames = []
    for call in radio(app).mock_calls:
        packet = call.args[0]
        device = cast(zigpy.device.Device, app.get_device(nwk=packet.dst.address))
        endpoint = device.endpoints[packet.dst_ep]
        cluster = (
            endpoint.out_clusters.get(packet.cluster_id)
            or endpoint.in_clusters[packet.cluster_id]
        )
        hdr, command = cluster.deserialize(packet.data.serialize())
        frames.append(Sent(packet.dst.address, packet.cluster_id, hdr, command))
    return frames


def names(app: FakeApplication) -> list[str]:
    """Return the names of every frame sent so far."""
    return [frame.name for frame in sent(app)]


def clear(app: FakeApplication) -> None:
    """Forget the frames sent so far."""
    radio(app).reset_mock()


async def settle(engine: GatewayEngine) -> None:
    """Let the engine's and zigpy's tasks finish sending."""
    for _ in range(3):
        await engine.wait_idle()
        await asyncio.sleep(0)


def fail_for(app: FakeApplication, nwk: int, exc: Callable[[], Exception]) -> None:
    """Make every send to ``nwk`` fail with ``exc()``."""

    async def send_packet(packet: Any) -> None:
        if packet.dst.address == nwk:
            raise exc()

    radio(app).side_effect = send_packet
