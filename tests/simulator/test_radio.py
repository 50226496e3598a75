"""The emulated XBee radio, driven by a bare host over TCP."""

from __future__ import annotations

import asyncio

import pytest
import zigpy.types as t
import zigpy.util
from zigpy.zcl import foundation
from zigpy.zcl.clusters.general import Basic

from network_simulator import Network, catalogue
from network_simulator.xbee_frames import encode_frame

from .conftest import Host

INSTALL_CODE = bytes.fromhex("83FED3407A939723A5C639B26916D505C3B5")


def explicit_transmit(
    frame_id: int,
    ieee: t.EUI64,
    nwk: int,
    data: bytes,
    *,
    cluster: int = 0,
    profile: int = 0x0104,
    dst_ep: int = 1,
) -> bytes:
    return (
        bytes([0x11, frame_id])
        + bytes(reversed(ieee.serialize()))
        + nwk.to_bytes(2, "big")
        + bytes([1, dst_ep])
        + cluster.to_bytes(2, "big")
        + profile.to_bytes(2, "big")
        + b"\x00\x00"
        + data
    )


async def test_reads_addresses_of_a_formed_network(
    host: Host, network: Network
) -> None:
    assert await host.at_value("AP", b"\x02") == (0, b"")
    assert await host.at_value("MY") == (0, b"\x00\x00")
    assert await host.at_value("AI") == (0, b"\x00")
    status, high = await host.at_value("SH")
    _, low = await host.at_value("SL")
    assert status == 0
    assert t.EUI64((high + low)[::-1]) == network.radio.ieee
    assert await host.at_value("CH") == (0, b"\x0f")


async def test_unknown_command_and_bad_parameter(host: Host) -> None:
    assert (await host.at_value("XX"))[0] == 2
    assert (await host.at_value("NJ", b"\x01\x02"))[0] == 3


async def test_forming_a_network(socket_enabled: None) -> None:
    network = Network(seed=4, formed=False)
    await network.start()
    reader, writer = await asyncio.open_connection("127.0.0.1", network.port)
    host = Host(reader, writer)
    try:
        assert await host.at_value("AI") == (0, b"\x21")
        assert await host.at_value("MY") == (0, b"\xff\xfe")
        for name, value in (
            ("ZS", b"\x02"),
            ("EE", b"\x01"),
            ("EO", b"\x02"),
            ("SC", b"\x00\x08"),
        ):
            assert (await host.at_value(name, value))[0] == 0
        assert (await host.at_value("WR"))[0] == 0
        assert await host.receive(0x8A) == b"\x8a\x06"  # coordinator started
        assert await host.at_value("AI") == (0, b"\x00")
        assert await host.at_value("CH") == (0, b"\x0e")
    finally:
        writer.close()
        await network.stop()


async def test_energy_scan_reports_sixteen_channels(host: Host) -> None:
    status, value = await host.at_value("ED", b"\x04")
    assert status == 0
    assert len(value) == 16


async def test_garbage_from_host_is_skipped(host: Host, network: Network) -> None:
    bad = bytearray(encode_frame(b"\x08\x01MY"))
    bad[-1] ^= 0x55
    host.writer.write(
        b"\x00\xffnoise" + bytes(bad) + encode_frame(b"\x08\x02AI") + b"\x7e\x00"
    )
    response = await host.receive(0x88)
    assert response[1] == 2
    assert network.decoder.errors >= 2


async def test_at_command_mode_answers_ok(host: Host) -> None:
    host.writer.write(b"+++")
    assert await asyncio.wait_for(host.reader.readexactly(3), 2) == b"OK\r"


async def test_device_joins_when_permitted_and_announces(
    host: Host, network: Network
) -> None:
    meter = network.add_device(catalogue.electricity_meter(changing=False))
    assert not meter.joined

    await host.at_value("NJ", b"\x3c")
    announce = await host.receive(0x91)

    assert meter.joined
    assert t.EUI64(announce[1:9][::-1]) == meter.ieee
    assert int.from_bytes(announce[13:15], "big") == 0x0013  # Device_annce
    assert network.permitting
    await host.at_value("NJ", b"\x00")
    assert not network.permitting


async def test_unicast_reaches_device_and_it_answers(
    host: Host, network: Network
) -> None:
    meter = network.add_device(catalogue.electricity_meter(changing=False), joined=True)
    await host.receive(0x91)  # announce
    read = (
        foundation.ZCLHeader.general(tsn=7, command_id=0x00).serialize()
        + b"\x04\x00\x05\x00"
    )

    host.send(
        explicit_transmit(9, meter.ieee, meter.nwk, read, cluster=Basic.cluster_id)
    )

    status = await host.receive(0x8B)
    assert status[1] == 9
    assert status[5] == 0x00
    response = await host.receive(0x91)
    hdr, payload = foundation.ZCLHeader.deserialize(response[18:])
    assert hdr.tsn == 7
    assert hdr.command_id == foundation.GeneralCommand.Read_Attributes_rsp
    records, _ = foundation.GENERAL_COMMANDS[hdr.command_id].schema.deserialize(payload)
    assert [r.value.value for r in records.status_records] == [
        meter.manufacturer,
        meter.model,
    ]
    assert network.captured[-1].ieee == meter.ieee


async def test_transmit_status_for_unknown_and_offline_devices(
    host: Host, network: Network
) -> None:
    meter = network.add_device(catalogue.electricity_meter(changing=False), joined=True)
    await host.receive(0x91)

    host.send(
        explicit_transmit(
            1, t.EUI64.convert("01:02:03:04:05:06:07:08"), 0x1234, b"\x00"
        )
    )
    assert (await host.receive(0x8B))[5] == 0x24  # address not found

    network.set_online(meter, False)
    host.send(explicit_transmit(2, meter.ieee, meter.nwk, b"\x00\x01\x00\x00\x00"))
    assert (await host.receive(0x8B))[5] == 0x21  # network ACK failure


async def test_faults_drop_duplicate_and_delay(host: Host, network: Network) -> None:
    meter = network.add_device(catalogue.electricity_meter(changing=False), joined=True)
    await host.receive(0x91)
    read = (
        foundation.ZCLHeader.general(tsn=1, command_id=0x00).serialize() + b"\x04\x00"
    )

    network.faults.drop_rate = 1.0
    host.send(explicit_transmit(3, meter.ieee, meter.nwk, read, cluster=0))
    assert (await host.receive(0x8B))[5] == 0x21

    network.faults.reset()
    network.faults.duplicate = True
    network.faults.delay = 0.05
    host.send(explicit_transmit(4, meter.ieee, meter.nwk, read, cluster=0))
    assert (await host.receive(0x8B))[5] == 0x00
    first = await host.receive(0x91)
    second = await host.receive(0x91)
    assert first == second


async def test_install_code_join(host: Host, network: Network) -> None:
    device = catalogue.electricity_meter(
        t.EUI64.convert("00:0d:6f:00:00:00:00:77"), changing=False
    )
    device.install_code = INSTALL_CODE
    network.add_device(device)
    await host.at_value("NJ", b"\x3c")
    assert not device.joined  # a device with an install code needs its key

    bad = INSTALL_CODE[:-1] + bytes([INSTALL_CODE[-1] ^ 1])
    host.send(
        b"\x24\x05" + bytes(reversed(device.ieee.serialize())) + b"\xff\xfe\x01" + bad
    )
    assert await host.receive(0xA4) == b"\xa4\x05\xb2"  # invalid key
    assert not device.joined

    host.send(
        b"\x24\x06"
        + bytes(reversed(device.ieee.serialize()))
        + b"\xff\xfe\x01"
        + INSTALL_CODE
    )
    await host.receive(0xA4)
    assert device.joined


async def test_link_key_join(host: Host, network: Network) -> None:
    device = catalogue.electricity_meter(
        t.EUI64.convert("00:0d:6f:00:00:00:00:78"), changing=False
    )
    link_key = bytes(zigpy.util.convert_install_code(INSTALL_CODE))
    device.link_key = link_key
    network.add_device(device)

    host.send(
        b"\x24\x07"
        + bytes(reversed(device.ieee.serialize()))
        + b"\xff\xfe\x00"
        + link_key
    )
    await host.receive(0xA4)
    assert device.joined


@pytest.mark.parametrize("frame", [b"\x11\x01\x02", b"\x24\x01", b"\x99\x00"])
async def test_malformed_host_frames_are_dropped(
    host: Host, frame: bytes, caplog
) -> None:
    host.send(frame)
    assert await host.at_value("AI") == (0, b"\x00")
    assert "XBee frame" in caplog.text


async def test_remote_at_command_fails_cleanly(host: Host) -> None:
    host.send(b"\x17\x08" + bytes(8) + b"\xff\xfe\x02NI")
    response = await host.receive(0x97)
    assert response[1] == 0x08
    assert response[-1] == 0x04


async def test_url_and_injected_bytes(host: Host, network: Network) -> None:
    assert network.url == f"socket://127.0.0.1:{network.port}"
    network.inject(encode_frame(b"\x8a\x06"))
    assert await host.receive(0x8A) == b"\x8a\x06"
