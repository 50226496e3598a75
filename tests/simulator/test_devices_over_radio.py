"""The lock and the display through the emulated radio, driven by a bare host."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from zigpy.zcl import foundation
from zigpy.zcl.clusters.general import Time

from network_simulator import Network
from network_simulator.smart_energy import in_home_display
from network_simulator.tuya_lock import TUYA_CLUSTER_ID, TuyaLock, tuya_lock
from se_gateway_core.clusters import price
from se_gateway_core.tuya_lock import commands, events as ev

from .conftest import Host
from .helpers import TO_SERVER, cluster_command
from .test_radio import explicit_transmit

CommandId = commands.CommandId
T0 = datetime(2026, 2, 2, 22, 0, tzinfo=UTC)


async def until(condition: Callable[[], bool], timeout: float = 3.0) -> None:
    """Wait until ``condition`` holds, letting the network run."""
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise TimeoutError


async def receive_zcl(host: Host) -> tuple[int, foundation.ZCLHeader, bytes]:
    """Return the next ZCL frame a device sent: (cluster, header, payload)."""
    frame = await host.receive(0x91, timeout=3.0)
    hdr, payload = foundation.ZCLHeader.deserialize(frame[18:])
    return int.from_bytes(frame[13:15], "big"), hdr, payload


async def receive_lock(host: Host) -> tuple[foundation.ZCLHeader, commands.Command]:
    cluster_id, hdr, payload = await receive_zcl(host)
    assert cluster_id == TUYA_CLUSTER_ID
    return hdr, commands.decode_from_device(hdr.command_id, payload)


def send_to_lock(host: Host, lock: TuyaLock, frame_id: int, data: bytes) -> None:
    assert lock.nwk is not None
    host.send(
        explicit_transmit(frame_id, lock.ieee, lock.nwk, data, cluster=TUYA_CLUSTER_ID)
    )


def acknowledge(host: Host, lock: TuyaLock, hdr: foundation.ZCLHeader) -> None:
    response = foundation.ZCLHeader.general(
        tsn=hdr.tsn, command_id=foundation.GeneralCommand.Default_Response
    )
    send_to_lock(host, lock, 0, response.serialize() + bytes((hdr.command_id, 0)))


async def test_lock_syncs_time_and_replays_offline_records(
    host: Host, network: Network
) -> None:
    lock = network.add_device(
        tuya_lock(startup_delay_s=0.0, with_settings=False), joined=True
    )
    assert isinstance(lock, TuyaLock)
    await host.receive(0x91)  # announce

    hdr, request = await receive_lock(host)
    assert isinstance(request, commands.TimeSyncRequest)
    payload = commands.encode_time_sync_reply(request, datetime.now(UTC))
    reply = cluster_command(
        TUYA_CLUSTER_ID, CommandId.TIME_SYNC, payload, direction=TO_SERVER
    )
    send_to_lock(host, lock, 1, reply[4])
    await until(lambda: lock.time_synced)

    network.set_online(lock, False)
    lock.unlock("card", 7, at=T0)
    lock.unlock("face", 8, at=T0 + timedelta(minutes=1))
    network.set_online(lock, True)
    network.rejoin(lock)
    await host.receive(0x91)  # announce

    dispatcher = ev.LockEventDispatcher()
    unlocks: list[ev.UnlockEvent] = []
    while len(unlocks) < 2:
        hdr, command = await receive_lock(host)
        if isinstance(command, commands.RecordReport):
            acknowledge(host, lock, hdr)
        found = dispatcher.feed(command, tsn=hdr.tsn, received_at=datetime.now(UTC))
        unlocks += [event for event in found if isinstance(event, ev.UnlockEvent)]
    assert [(u.user_id, u.timestamp) for u in unlocks] == [
        (7, T0),
        (8, T0 + timedelta(minutes=1)),
    ]
    await until(lambda: len(lock.outbox.delivered) == 2)


async def test_display_asks_for_the_price_and_the_time(
    host: Host, network: Network
) -> None:
    network.add_device(in_home_display(startup_delay_s=0.0), joined=True)
    await host.receive(0x91)  # announce

    first = await receive_zcl(host)
    second = await receive_zcl(host)

    assert [(cluster, hdr.command_id) for cluster, hdr, _ in (first, second)] == [
        (price.Price.cluster_id, 0x00),
        (Time.cluster_id, foundation.GeneralCommand.Read_Attributes),
    ]
