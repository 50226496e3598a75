"""Certified devices and the XBee's APS security, driven by a bare host."""

from __future__ import annotations

import asyncio

import zigpy.types as t
import zigpy.util
from zigpy.zcl import foundation

from network_simulator import Network
from network_simulator.cbke import CbkeSession, DeviceCredentials
from network_simulator.certified import (
    DEMO_CA,
    OTHER_CA,
    certified_in_home_display,
    install_code_for,
)
from network_simulator.radio import RX_OPTION_APS_ENCRYPTED

from .conftest import Host

PRICE = 0x0700
KEY_ESTABLISHMENT = 0x0800
SE_PROFILE = 0x0109
ESI_ENDPOINT = 0x5E


def register(frame_id: int, ieee: t.EUI64, key_type: int, key: bytes) -> bytes:
    return (
        bytes([0x24, frame_id])
        + bytes(reversed(ieee.serialize()))
        + b"\xff\xfe"
        + bytes([key_type])
        + key
    )


def transmit(
    frame_id: int, ieee: t.EUI64, nwk: int, cluster: int, data: bytes, options: int
) -> bytes:
    return (
        bytes([0x11, frame_id])
        + bytes(reversed(ieee.serialize()))
        + nwk.to_bytes(2, "big")
        + bytes([ESI_ENDPOINT, 1])
        + cluster.to_bytes(2, "big")
        + SE_PROFILE.to_bytes(2, "big")
        + bytes([0, options])
        + data
    )


class TrustCentre:
    """The host side: answers Match Descriptor and runs CBKE as responder."""

    def __init__(self, host: Host, network: Network) -> None:
        self.host = host
        self.network = network
        issued = DEMO_CA.issue(bytes(network.radio.ieee.serialize()[::-1]))
        self.credentials = DeviceCredentials(
            issued.certificate, issued.private_key, DEMO_CA.public_key
        )
        self.frame_id = 0x40

    async def serve(self, device_ieee: t.EUI64) -> CbkeSession:
        """Answer the device until its exchange ends; return the session."""
        session = CbkeSession(
            initiator=False,
            credentials=self.credentials,
            partner_ieee=bytes(device_ieee.serialize()[::-1]),
        )
        while session.link_key is None and session.terminate_status is None:
            frame = await self.host.receive(0x91, timeout=5)
            nwk = int.from_bytes(frame[9:11], "big")
            cluster = int.from_bytes(frame[13:15], "big")
            data = frame[18:]
            if cluster == 0x0006:  # Match_Desc_req: we are the ESI
                self._send(
                    device_ieee,
                    nwk,
                    0x8006,
                    data[:1] + b"\x00\x00\x00\x01\x5e",
                    zdo=True,
                )
            elif cluster == KEY_ESTABLISHMENT:
                hdr, payload = foundation.ZCLHeader.deserialize(data)
                reply = session.handle(hdr.command_id, payload)
                if session.link_key is not None:
                    self.host.send(register(0x11, device_ieee, 0, session.link_key))
                    await self.host.receive(0xA4)
                if reply is not None:
                    rsp = foundation.ZCLHeader.cluster(
                        hdr.tsn,
                        reply[0],
                        direction=foundation.Direction.Server_to_Client,
                    )
                    self._send(
                        device_ieee, nwk, KEY_ESTABLISHMENT, rsp.serialize() + reply[1]
                    )
        return session

    def _send(
        self, ieee: t.EUI64, nwk: int, cluster: int, data: bytes, *, zdo: bool = False
    ) -> None:
        self.frame_id += 1
        self.host.send(
            bytes([0x11, self.frame_id])
            + bytes(reversed(ieee.serialize()))
            + nwk.to_bytes(2, "big")
            + bytes([0, 0] if zdo else [ESI_ENDPOINT, 1])
            + cluster.to_bytes(2, "big")
            + (0 if zdo else SE_PROFILE).to_bytes(2, "big")
            + b"\x00\x00"
            + data
        )


async def join(host: Host, network: Network, **kwargs: object):  # type: ignore[no-untyped-def]
    display = certified_in_home_display(startup_delay_s=0.1, **kwargs)  # type: ignore[arg-type]
    network.add_device(display)
    host.send(register(0x01, display.ieee, 1, install_code_for(display.ieee)))
    assert (await host.receive(0xA4))[-1] == 0
    assert display.joined
    # the install code's link key is in the key table, as on Digi's firmware
    expected = zigpy.util.convert_install_code(install_code_for(display.ieee))
    assert network.radio.link_keys[display.ieee] == bytes(expected)
    return display


async def test_cbke_link_key_and_aps_security(host: Host, network: Network) -> None:
    display = await join(host, network)
    await host.receive(0x91)  # device announce
    session = await TrustCentre(host, network).serve(display.ieee)

    assert session.link_key is not None
    for _ in range(40):
        if display.established:
            break
        await asyncio.sleep(0.05)
    assert display.certification.link_key == session.link_key
    assert network.radio.link_keys[display.ieee] == session.link_key
    assert display.certification.esi_endpoint == ESI_ENDPOINT

    # Once started it asks for the price: APS-encrypted, the 0x91 says so
    for _ in range(20):
        frame = await host.receive(0x91, timeout=3)
        if int.from_bytes(frame[13:15], "big") == PRICE:
            break
    assert frame[17] & RX_OPTION_APS_ENCRYPTED

    # Strict: a Price frame without TX option 0x20 is dropped, one with it taken
    publish = (
        foundation.ZCLHeader.cluster(
            9, 0x00, direction=foundation.Direction.Server_to_Client
        ).serialize()
        + b"\x00"
    )
    nwk = display.nwk
    assert nwk is not None
    host.send(transmit(0x31, display.ieee, nwk, PRICE, publish, 0x00))
    await host.receive(0x8B)
    await asyncio.sleep(0.05)
    assert display.certification.dropped_unencrypted == 1
    host.send(transmit(0x32, display.ieee, nwk, PRICE, publish, 0x20))
    await host.receive(0x8B)
    await asyncio.sleep(0.05)
    assert display.certification.dropped_unencrypted == 1
    assert network.captured[-1].aps_encrypted


async def test_a_gateway_of_another_ca_is_refused_and_the_device_leaves(
    host: Host, network: Network
) -> None:
    display = await join(host, network, authority=OTHER_CA)
    await host.receive(0x91)
    session = await TrustCentre(host, network).serve(display.ieee)
    assert session.terminate_status == 0x01  # UNKNOWN_ISSUER, from our side
    for _ in range(40):
        if not display.joined:
            break
        await asyncio.sleep(0.1)
    assert not display.joined
    assert display.certification.terminate_status == 0x01


async def test_a_silent_trust_centre_makes_the_device_leave(
    host: Host, network: Network
) -> None:
    display = await join(host, network, response_timeout_s=0.3)
    await asyncio.sleep(1.5)
    assert not display.joined
    assert display.certification.outcome == "timeout"


async def test_a_key_registration_without_key_removes_the_entry(
    host: Host, network: Network
) -> None:
    ieee = t.EUI64.convert("00:0d:6f:00:0c:99:00:01")
    host.send(register(0x05, ieee, 0, bytes(range(16))))
    assert (await host.receive(0xA4))[-1] == 0
    assert network.radio.link_keys[ieee] == bytes(range(16))
    host.send(register(0x06, ieee, 0, b""))
    assert (await host.receive(0xA4))[-1] == 0
    assert ieee not in network.radio.link_keys
