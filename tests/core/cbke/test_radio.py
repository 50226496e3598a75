"""Link keys into the radio, and APS encryption of Smart Energy frames.

The XBee side runs zigpy-xbee's own ``ControllerApplication.send_packet`` and
``XBee._command`` over a fake serial link, and reads the API frame they
write. Frame layouts are Digi's (XBee 3 Zigbee RF Module User Guide,
"Explicit Addressing Command Request - 0x11": frame type, frame id, 64-bit
and 16-bit destination, source and destination endpoints, cluster, profile,
broadcast radius, transmit options, payload; transmit option 0x20 "Enable
APS end-to-end encryption").
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from unittest.mock import AsyncMock, MagicMock

import pytest
import zigpy.config as conf
import zigpy.types as t
from zigpy_xbee.api import XBee
from zigpy_xbee.zigbee.application import ControllerApplication as XBeeApplication

from se_gateway_core.cbke.radio import (
    XBEE_TX_APS_ENCRYPTION,
    ApsEncryption,
    LinkKeyInstallError,
    LinkKeyUnsupported,
    install_link_key,
    radio_library,
)
from tests.zigpy_app import FakeApplication

KEYED = t.EUI64.convert("00:0d:6f:00:0c:10:00:01")
KEYED_NWK = 0x1111
PLAIN = t.EUI64.convert("00:0d:6f:00:0c:20:00:01")
PLAIN_NWK = 0x2222
LINK_KEY = bytes(range(16))
TX_EXPLICIT = 0x11
# Offsets in the 0x11 API frame (without start delimiter and length)
OPTIONS_AT = 19
DATA_AT = 20


def packet(
    cluster_id: int,
    dst: t.AddrModeAddress,
    tx_options: t.TransmitOptions = t.TransmitOptions.NONE,
) -> t.ZigbeePacket:
    return t.ZigbeePacket(
        src=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=0x0000),
        src_ep=0x5E,
        dst=dst,
        dst_ep=1,
        tsn=1,
        profile_id=0x0109,
        cluster_id=cluster_id,
        data=t.SerializableBytes(b"\x01\x02\x03"),
        radius=0,
        tx_options=tx_options,
    )


def nwk(address: int) -> t.AddrModeAddress:
    return t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=address)


def with_devices[App: FakeApplication | XBeeApplication](app: App) -> App:
    app.add_device(KEYED, KEYED_NWK)
    app.add_device(PLAIN, PLAIN_NWK)
    return app


def keyed(ieee: t.EUI64) -> bool:
    return ieee == KEYED


class XBeeLink:
    """zigpy-xbee's application and API, writing API frames to a list."""

    def __init__(self) -> None:
        self.app = with_devices(
            XBeeApplication(
                {
                    conf.CONF_DEVICE: {conf.CONF_DEVICE_PATH: "/dev/null"},
                    conf.CONF_DATABASE: None,
                }
            )
        )
        self.api = XBee(self.app._config[conf.CONF_DEVICE])
        self.frames: list[bytes] = []
        self.api._uart = MagicMock(send=self._send)
        self.app._api = self.api

    def _send(self, data: bytes) -> None:
        """Take an API frame; report its delivery (TX status SUCCESS)."""
        self.frames.append(bytes(data))
        frame_id = data[1]
        asyncio.get_running_loop().call_soon(
            lambda: self.api._awaiting.pop(frame_id)[0].set_result(0)
        )

    def options(self) -> list[int]:
        """Return the transmit options of every 0x11 frame written."""
        assert all(frame[0] == TX_EXPLICIT for frame in self.frames)
        assert all(frame[DATA_AT:] == b"\x01\x02\x03" for frame in self.frames)
        return [frame[OPTIONS_AT] for frame in self.frames]


# --- Which frames -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cluster_id", "dst", "wanted"),
    [
        (0x0700, nwk(KEYED_NWK), True),  # Price
        (0x07FF, nwk(KEYED_NWK), True),
        (0x0800, nwk(KEYED_NWK), False),  # Key Establishment: never encrypted
        (0x06FF, nwk(KEYED_NWK), False),
        (0x0006, nwk(KEYED_NWK), False),
        (0x0700, t.AddrModeAddress(addr_mode=t.AddrMode.IEEE, address=KEYED), True),
        (0x0700, nwk(PLAIN_NWK), False),  # no CBKE key
        (0x0700, nwk(0x7777), False),  # unknown device
        (0x0700, t.AddrModeAddress(addr_mode=t.AddrMode.Group, address=1), False),
        (
            0x0700,
            t.AddrModeAddress(addr_mode=t.AddrMode.Broadcast, address=0xFFFD),
            False,
        ),
    ],
)
def test_only_unicast_se_frames_to_keyed_devices_want_encryption(
    cluster_id: int, dst: t.AddrModeAddress, wanted: bool
) -> None:
    aps = ApsEncryption(with_devices(FakeApplication()), keyed)
    assert aps.wants_encryption(packet(cluster_id, dst)) is wanted


def test_a_packet_without_destination_is_not_encrypted() -> None:
    aps = ApsEncryption(FakeApplication(), keyed)
    assert not aps.wants_encryption(packet(0x0700, nwk(KEYED_NWK)).replace(dst=None))


# --- zigpy's option, on a library that reads it -------------------------------------


async def test_the_aps_option_is_set_for_keyed_se_frames_only() -> None:
    app = with_devices(FakeApplication())
    library_send: AsyncMock = app.send_packet  # type: ignore[assignment]
    aps = ApsEncryption(app, keyed)
    assert not aps.is_xbee
    aps.start()

    await app.send_packet(packet(0x0700, nwk(KEYED_NWK)))
    await app.send_packet(packet(0x0700, nwk(PLAIN_NWK)))
    await app.send_packet(packet(0x0006, nwk(KEYED_NWK)))

    options = [call.args[0].tx_options for call in library_send.mock_calls]
    assert options[0] & t.TransmitOptions.APS_Encryption
    assert not options[1] & t.TransmitOptions.APS_Encryption
    assert not options[2] & t.TransmitOptions.APS_Encryption
    # Frames are otherwise untouched
    sent = [call.args[0] for call in library_send.mock_calls]
    assert sent[1] == packet(0x0700, nwk(PLAIN_NWK))
    assert sent[2] == packet(0x0006, nwk(KEYED_NWK))
    assert sent[0].replace(tx_options=t.TransmitOptions.NONE) == packet(
        0x0700, nwk(KEYED_NWK)
    )
    assert aps.encrypted == 1

    aps.stop()
    assert vars(app)["send_packet"] is library_send


async def test_stop_leaves_a_later_shadow_in_place() -> None:
    app = FakeApplication()
    del app.send_packet  # zigpy's class method, no instance attribute
    aps = ApsEncryption(app, keyed)
    aps.start()
    later = AsyncMock()
    app.send_packet = later  # type: ignore[method-assign]
    aps.stop()
    assert vars(app)["send_packet"] is later
    aps.stop()
    assert vars(app)["send_packet"] is later


async def test_stop_removes_its_own_shadow() -> None:
    app = FakeApplication()
    del app.send_packet
    aps = ApsEncryption(app, keyed)
    aps.start()
    assert "send_packet" in vars(app)
    aps.stop()
    assert "send_packet" not in vars(app)


# --- The XBee: transmit option 0x20 -------------------------------------------------


async def test_the_xbee_gets_option_0x20_for_keyed_se_frames_only() -> None:
    link = XBeeLink()
    aps = ApsEncryption(link.app, keyed)
    assert aps.is_xbee
    aps.start()

    await link.app.send_packet(packet(0x0700, nwk(KEYED_NWK)))
    await link.app.send_packet(packet(0x0700, nwk(PLAIN_NWK)))
    await link.app.send_packet(packet(0x0006, nwk(KEYED_NWK)))
    await link.app.send_packet(packet(0x0703, nwk(KEYED_NWK)))

    assert link.options() == [XBEE_TX_APS_ENCRYPTION, 0x00, 0x00, 0x20]
    assert aps.encrypted == 2
    aps.stop()


async def test_zigpys_option_alone_reaches_the_xbee_as_0x20() -> None:
    link = XBeeLink()
    aps = ApsEncryption(link.app, lambda _ieee: False)
    aps.start()
    await link.app.send_packet(
        packet(0x0006, nwk(PLAIN_NWK), t.TransmitOptions.APS_Encryption)
    )
    await link.app.send_packet(packet(0x0006, nwk(PLAIN_NWK)))
    assert link.options() == [0x20, 0x00]


async def test_a_reconnected_api_is_shadowed_again() -> None:
    link = XBeeLink()
    aps = ApsEncryption(link.app, keyed)
    aps.start()
    await link.app.send_packet(packet(0x0700, nwk(KEYED_NWK)))
    first_shadow = vars(link.api)["tx_explicit"]
    await link.app.send_packet(packet(0x0700, nwk(KEYED_NWK)))
    assert vars(link.api)["tx_explicit"] is first_shadow  # shadowed once

    # zigpy-xbee replaces its API object when it reconnects
    old_frames = link.frames
    link.api = XBee(link.app._config[conf.CONF_DEVICE])
    link.frames = []
    link.api._uart = MagicMock(send=link._send)
    link.app._api = link.api
    await link.app.send_packet(packet(0x0700, nwk(KEYED_NWK)))
    assert link.options() == [0x20]
    assert len(old_frames) == 2


async def test_the_option_does_not_leak_into_other_frames() -> None:
    link = XBeeLink()
    aps = ApsEncryption(link.app, keyed)
    aps.start()
    await link.app.send_packet(packet(0x0700, nwk(KEYED_NWK)))
    # Another caller of the shadowed API, outside an encrypted send
    await link.api.tx_explicit(
        KEYED, KEYED_NWK, 0x5E, 1, 0x0700, 0x0109, 0, 0x00, b"\x01\x02\x03"
    )
    assert link.options() == [0x20, 0x00]


async def test_an_xbee_without_api_is_sent_to_as_is() -> None:
    link = XBeeLink()
    library_send = AsyncMock()
    link.app.send_packet = library_send  # type: ignore[method-assign]
    link.app._api = None
    aps = ApsEncryption(link.app, keyed)
    aps.start()
    await link.app.send_packet(packet(0x0700, nwk(KEYED_NWK)))
    (call,) = library_send.mock_calls
    assert call.args[0].tx_options & t.TransmitOptions.APS_Encryption


# --- Link keys ----------------------------------------------------------------------


def xbee_with_api(register: Callable[..., object] | None) -> XBeeApplication:
    link = XBeeLink()
    if register is None:
        link.app._api = None
    else:
        link.app._api = MagicMock(register_joining_device=register)
    return link.app


async def test_the_xbee_takes_the_key_with_register_joining_device() -> None:
    register = AsyncMock(return_value=0x00)
    app = xbee_with_api(register)
    assert radio_library(app) == "zigpy_xbee"
    await install_link_key(app, KEYED, LINK_KEY)
    register.assert_awaited_once_with(KEYED, 0xFFFE, 0, LINK_KEY)


async def test_an_xbee_that_refuses_the_key_raises() -> None:
    app = xbee_with_api(AsyncMock(return_value=0x01))
    with pytest.raises(LinkKeyInstallError, match="status 0x01"):
        await install_link_key(app, KEYED, LINK_KEY)


async def test_a_disconnected_xbee_raises() -> None:
    with pytest.raises(LinkKeyInstallError, match="not connected"):
        await install_link_key(xbee_with_api(None), KEYED, LINK_KEY)


async def test_another_library_is_unsupported() -> None:
    app = FakeApplication()
    with pytest.raises(LinkKeyUnsupported) as raised:
        await install_link_key(app, KEYED, LINK_KEY)
    assert raised.value.library == "tests"
    assert "tests cannot install" in str(raised.value)
