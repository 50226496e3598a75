"""Control-channel commands that add the new devices and make them act."""

from __future__ import annotations

import asyncio

import pytest
import zigpy.types as t

from network_simulator import Network
from network_simulator.control import DEVICE_KINDS, ControlServer, main, send_command
from network_simulator.load_control import LoadControlDevice
from network_simulator.price_server import MeterWithPriceServer
from network_simulator.smart_energy import IHD_IEEE, LOAD_IEEE, PRICE_METER_IEEE
from network_simulator.tuya_lock import LOCK_IEEE, TuyaLock


@pytest.fixture
def control() -> ControlServer:
    return ControlServer(Network(seed=5))


def test_every_kind_can_be_added(control: ControlServer) -> None:
    kinds = {
        "meter",
        "lock",
        "ihd",
        "load",
        "meter-price",
        "ihd-se-profile",
        "meter-se-profile",
        "ihd-certified",
        "thermostat-certified",
        "meter-certified",
    }
    assert set(DEVICE_KINDS) == kinds
    for kind in sorted(kinds):
        assert control.execute(f"add {kind}").startswith("ok ")
    assert len(control.network.devices) == len(kinds)


def test_lock_commands(control: ControlServer) -> None:
    control.execute("add lock")
    lock = control.network.devices[LOCK_IEEE]
    assert isinstance(lock, TuyaLock)

    for words in (
        "unlock fingerprint 3",
        "unlock mechanical-key 4",
        "door open",
        "door closed",
        "lock",
    ):
        assert control.execute(f"lock {LOCK_IEEE} {words}").startswith("ok locked=")
    assert len(lock.outbox.queue) == 4  # records wait until the lock is on the air
    assert lock.locked

    for words in ("alarm 8", "battery 20", "doorbell", "remote-request 30"):
        control.execute(f"lock {LOCK_IEEE} {words}")
    assert len(lock.dropped) == 4  # data reports are lost off the air
    assert lock.battery_percent == 20
    assert control.execute(f"lock {LOCK_IEEE} status") == f"ok {lock.status()}"


@pytest.mark.parametrize(
    "words",
    ["unlock inside 1", "unlock telepathy 1", "door ajar", "alarm", "explode"],
)
def test_bad_lock_commands(control: ControlServer, words: str) -> None:
    control.execute("add lock")
    assert control.execute(f"lock {LOCK_IEEE} {words}").startswith("error lock:")


def test_display_commands(control: ControlServer) -> None:
    control.execute("add ihd")
    for words in ("get-price", "read-time", "confirm 12"):
        assert control.execute(f"ihd {IHD_IEEE} {words}").startswith("ok prices=0")
    assert control.execute(f"ihd {IHD_IEEE} status") == (
        "ok prices=0 drlc_events=0 messages=0 confirmed=[12]"
    )
    assert control.execute(f"ihd {IHD_IEEE} dance").startswith("error ihd:")


def test_load_commands(control: ControlServer) -> None:
    control.execute("add load")
    device = control.network.devices[LOAD_IEEE]
    assert isinstance(device, LoadControlDevice)
    assert control.execute(f"load {LOAD_IEEE} status") == "ok events=[] reports=[]"
    assert control.execute(f"load {LOAD_IEEE} opt-out 5").startswith("error load:")
    assert control.execute(f"load {LOAD_IEEE} nap").startswith("error load:")


def test_price_meter_commands(control: ControlServer) -> None:
    control.execute("add meter-price")
    meter = control.network.devices[PRICE_METER_IEEE]
    assert isinstance(meter, MeterWithPriceServer)
    assert control.execute(f"meter-price {PRICE_METER_IEEE} status") == (
        "ok price=none published=0"
    )
    assert control.execute(f"meter-price {PRICE_METER_IEEE} publish 250") == (
        "ok price=250 published=1"
    )
    control.execute(f"meter-price {PRICE_METER_IEEE} publish 300 2")
    assert meter.current_price is not None
    assert meter.current_price.price_trailing_digit_and_price_tier.price_tier == 2
    assert control.execute(f"meter-price {PRICE_METER_IEEE} sell").startswith("error")


def test_a_command_for_another_kind_is_refused(control: ControlServer) -> None:
    control.execute("add ihd")
    assert control.execute(f"lock {IHD_IEEE} status").startswith("error lock:")
    assert control.execute(f"load {LOCK_IEEE} status").startswith("error load:")


async def test_the_channel_over_tcp(socket_enabled: None) -> None:
    network = Network(seed=6)
    server = ControlServer(network)
    port = await server.start()
    try:
        assert (await send_command(port, "add lock")).startswith("ok ")
        answer = await send_command(port, f"lock {LOCK_IEEE} doorbell")
        assert answer.startswith("ok locked=True")
        assert (await send_command(port, "list")).startswith(f"ok {LOCK_IEEE} TY0A01")
        assert await send_command(port, "") == "error empty command"
        assert (await send_command(port, "lock")).startswith("error lock:")
    finally:
        await server.stop()


async def test_network_commands(control: ControlServer) -> None:
    control.execute("add meter 00:0d:6f:00:00:00:00:99")
    ieee = "00:0d:6f:00:00:00:00:99"
    device = control.network.devices[t.EUI64.convert(ieee)]
    control.network.permit_joining(60)
    assert device.joined
    assert control.execute(f"offline {ieee}") == f"ok offline {ieee}"
    assert not device.online
    assert control.execute(f"online {ieee}") == f"ok online {ieee}"
    assert control.execute(f"rejoin {ieee}") == f"ok rejoin {ieee}"
    assert control.execute("faults drop=0.5 delay=0.1 duplicate=1") == (
        "ok drop=0.5 delay=0.1 duplicate=True"
    )
    assert control.execute("faults reset") == "ok drop=0.0 delay=0.0 duplicate=False"
    assert control.execute("faults colour=red").startswith("error faults:")
    await asyncio.sleep(0.01)  # let the announces go out before the device goes
    assert control.execute(f"remove {ieee}") == f"ok remove {ieee}"
    assert control.execute("dance").startswith("error unknown command")


async def test_the_command_line_client(socket_enabled: None, capsys) -> None:
    server = ControlServer(Network(seed=7))
    port = await server.start()
    try:
        loop = asyncio.get_running_loop()
        status = await loop.run_in_executor(
            None, main, ["--port", str(port), "add", "lock"]
        )
        assert status == 0
        assert capsys.readouterr().out.startswith("ok ")
        status = await loop.run_in_executor(None, main, ["--port", str(port), "dance"])
        assert status == 1
    finally:
        await server.stop()
