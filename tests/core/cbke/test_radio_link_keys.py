"""The CBKE link key into bellows, zigpy-znp and zigpy-deconz radios.

Each test runs the library's own application class, API object and frame
serialization; only the radio is fake (the bytes below the library's lowest
send method). The expected request frames are written out byte by byte from
the protocol documents, so a wrong command, field order or byte order fails:

- EZSP (Silicon Labs UG100 / bellows ``ezsp/v*/commands.py``): frame
  ``seq, frame control low 0x00, frame control high 0x01, frame id (2 bytes,
  little-endian)`` for protocol 8 and later; ``addOrUpdateKeyTableEntry``
  0x0066 (address, linkKey, keyData), ``importLinkKey`` 0x010E (index,
  address, key). EUI64 little-endian, ``EmberKeyData`` the 16 key bytes in
  order.
- Z-Stack MT (zigpy-znp ``commands/zdo.py``, ``frames.py``): ``0xFE, length,
  cmd0 0x25 (SREQ | ZDO), cmd1 0x23 (ZDO_SET_LINK_KEY), NWK (LE), IEEE (LE),
  key (16 bytes in order), FCS (XOR of length..data)``.
- deCONZ serial protocol (zigpy-deconz ``api.py``): ``0x0B (write
  parameter), seq, status 0, frame length (LE), payload length (LE),
  parameter 0x19 (link key), IEEE (LE), key (16 bytes in order)``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import functools
from typing import Any
from unittest.mock import MagicMock

from bellows.ezsp import EZSP
import bellows.types as bt
from bellows.zigbee.application import ControllerApplication as BellowsApplication
import pytest
import zigpy.config as conf
import zigpy.types as t
from zigpy_deconz.api import Deconz
from zigpy_deconz.zigbee.application import ControllerApplication as DeconzApplication
from zigpy_znp.api import ZNP
from zigpy_znp.uart import ZnpMtProtocol
from zigpy_znp.zigbee.application import ControllerApplication as ZnpApplication

from se_gateway_core.cbke.radio import (
    LinkKeyInstallError,
    install_link_key,
    radio_library,
)

DEVICE = t.EUI64.convert("00:0d:6f:00:0c:10:00:01")
DEVICE_NWK = 0x1234
OTHER = t.EUI64.convert("00:0d:6f:00:0c:20:00:02")
LINK_KEY = bytes.fromhex("000102030405060708090a0b0c0d0e0f")
DEVICE_LE = bytes.fromhex("0100100c006f0d00")  # the EUI64 on the wire
APP_CONFIG = {
    conf.CONF_DEVICE: {conf.CONF_DEVICE_PATH: "/dev/null"},
    conf.CONF_DATABASE: None,
}


# --- bellows ------------------------------------------------------------------------


class FakeNcp:
    """The EZSP gateway (ASH) under bellows: records frames, answers them.

    ``replies`` maps a command name to the response fields the fake NCP sends
    back, in turn; they are serialized with the protocol's own response
    schema.
    """

    def __init__(self, version: int, replies: dict[str, list[dict[str, Any]]]):
        self.app = BellowsApplication(APP_CONFIG)
        self.ezsp = EZSP(self.app._config[conf.CONF_DEVICE])
        self.ezsp._gw = self
        self.ezsp._switch_protocol_version(version)
        self.ezsp.start_ezsp()
        self.app._ezsp = self.ezsp
        self.replies = replies
        self.sent: list[bytes] = []
        self.names: list[str] = []

    async def send_data(self, data: bytes) -> None:
        protocol: Any = self.ezsp._protocol
        seq, frame_id = data[0], int.from_bytes(data[3:5], "little")
        name, _, rx_schema = protocol.COMMANDS_BY_ID[frame_id]
        self.sent.append(bytes(data))
        self.names.append(name)
        fields = self.replies[name].pop(0)
        response = bytes([seq, 0x80, 0x01]) + data[3:5]
        response += bt.serialize_dict((), fields, rx_schema)
        asyncio.get_running_loop().call_soon(protocol, response)


def ezsp_frame(seq: int, frame_id: int, payload: bytes) -> bytes:
    return bytes([seq, 0x00, 0x01]) + frame_id.to_bytes(2, "little") + payload


@pytest.mark.parametrize("version", [8, 12])
async def test_bellows_before_ezsp13_adds_or_updates_the_key_table_entry(
    version: int,
) -> None:
    ncp = FakeNcp(version, {"addOrUpdateKeyTableEntry": [{"status": 0x00}]})
    assert radio_library(ncp.app) == "bellows"
    await install_link_key(ncp.app, DEVICE, LINK_KEY)
    assert ncp.sent == [ezsp_frame(0, 0x0066, DEVICE_LE + b"\x01" + LINK_KEY)]


async def test_bellows_refused_key_table_entry_raises() -> None:
    # EMBER_TABLE_FULL (0xB4)
    ncp = FakeNcp(8, {"addOrUpdateKeyTableEntry": [{"status": 0xB4}]})
    with pytest.raises(
        LinkKeyInstallError, match=r"addOrUpdateKeyTableEntry status 0xB4"
    ):
        await install_link_key(ncp.app, DEVICE, LINK_KEY)


def v13_entry(eui64: t.EUI64 | None) -> dict[str, Any]:
    """An ``exportLinkKeyByIndex`` response (EZSP 13: eui64 first)."""
    return {
        "eui64": eui64 or t.EUI64.convert("00:00:00:00:00:00:00:00"),
        "plaintext_key": t.KeyData(bytes(16)),
        "key_data": bt.SecurityManagerAPSKeyMetadata(
            bitmask=0,
            outgoing_frame_counter=0,
            incoming_frame_counter=0,
            ttl_in_seconds=0,
        ),
        "status": bt.sl_Status.OK if eui64 else bt.sl_Status.NOT_FOUND,
    }


def v14_entry(eui64: t.EUI64 | None) -> dict[str, Any]:
    """An ``exportLinkKeyByIndex`` response (EZSP 14+: status, context...)."""
    entry = v13_entry(eui64)
    return {
        "status": entry["status"],
        "context": bt.SecurityManagerContextV13(
            core_key_type=bt.SecurityManagerKeyType.APP_LINK,
            key_index=0,
            derived_type=bt.SecurityManagerDerivedKeyTypeV13.NONE,
            eui64=entry["eui64"],
            multi_network_index=0,
            flags=bt.SecurityManagerContextFlags.NONE,
            psa_key_alg_permission=0,
        ),
        "plaintext_key": entry["plaintext_key"],
        "key_data": entry["key_data"],
    }


def import_ncp(
    version: int, entries: list[t.EUI64 | None], import_status: int = 0x00
) -> FakeNcp:
    entry = v13_entry if version == 13 else v14_entry
    return FakeNcp(
        version,
        {
            "getConfigurationValue": [{"status": 0x00, "value": len(entries)}],
            "exportLinkKeyByIndex": [entry(eui64) for eui64 in entries],
            "importLinkKey": [{"status": import_status}],
        },
    )


def import_frame(seq: int, index: int) -> bytes:
    return ezsp_frame(seq, 0x010E, bytes([index]) + DEVICE_LE + LINK_KEY)


@pytest.mark.parametrize("version", [13, 14, 18])
async def test_bellows_ezsp13_imports_into_the_first_free_entry(version: int) -> None:
    ncp = import_ncp(version, [OTHER, None, None])
    await install_link_key(ncp.app, DEVICE, LINK_KEY)
    assert ncp.names == [
        "getConfigurationValue",
        *["exportLinkKeyByIndex"] * 3,
        "importLinkKey",
    ]
    # CONFIG_KEY_TABLE_SIZE is 0x1E; entries 0..2 read; entry 1 written
    assert ncp.sent[0] == ezsp_frame(0, 0x0052, b"\x1e")
    assert ncp.sent[1:4] == [ezsp_frame(i + 1, 0x010F, bytes([i])) for i in range(3)]
    assert ncp.sent[4] == import_frame(4, 1)


@pytest.mark.parametrize("version", [13, 14])
async def test_bellows_ezsp13_replaces_the_devices_own_entry(version: int) -> None:
    ncp = import_ncp(version, [None, OTHER, DEVICE])
    await install_link_key(ncp.app, DEVICE, LINK_KEY)
    assert ncp.sent[-1] == import_frame(4, 2)


async def test_bellows_ezsp13_full_key_table_raises_without_writing() -> None:
    ncp = import_ncp(14, [OTHER, OTHER])
    with pytest.raises(LinkKeyInstallError, match=r"\(2 entries\) is full"):
        await install_link_key(ncp.app, DEVICE, LINK_KEY)
    assert "importLinkKey" not in ncp.names


async def test_bellows_ezsp13_refused_import_raises() -> None:
    ncp = import_ncp(14, [None], import_status=bt.sl_Status.FAIL)
    with pytest.raises(LinkKeyInstallError, match="importLinkKey status 0x01"):
        await install_link_key(ncp.app, DEVICE, LINK_KEY)


async def test_bellows_without_ezsp_raises() -> None:
    app = BellowsApplication(APP_CONFIG)
    app._ezsp = None
    with pytest.raises(LinkKeyInstallError, match="not connected"):
        await install_link_key(app, DEVICE, LINK_KEY)


# --- zigpy-znp ----------------------------------------------------------------------


def mt_frame(cmd0: int, cmd1: int, data: bytes) -> bytes:
    body = bytes([len(data), cmd0, cmd1]) + data
    return b"\xfe" + body + bytes([functools.reduce(int.__xor__, body)])


class FakeZStack:
    """zigpy-znp's application, API and MT UART protocol over a fake port."""

    def __init__(self, status: int, reply: bytes | None = None) -> None:
        self.app = ZnpApplication(APP_CONFIG)
        self.znp = ZNP(self.app._config)
        self.uart = ZnpMtProtocol(self.znp)
        self.uart._transport = MagicMock(write=self._write)
        self.znp._uart = self.uart
        self.app._znp = self.znp
        # SRSP ZDO_SET_LINK_KEY
        self.reply = reply or mt_frame(0x65, 0x23, bytes([status]))
        self.written: list[bytes] = []

    def _write(self, data: bytes) -> None:
        self.written.append(bytes(data))
        asyncio.get_running_loop().call_soon(self.uart.data_received, self.reply)


async def test_znp_sets_the_link_key_with_the_devices_nwk() -> None:
    stack = FakeZStack(status=0x00)
    stack.app.add_device(DEVICE, DEVICE_NWK)
    assert radio_library(stack.app) == "zigpy_znp"
    await install_link_key(stack.app, DEVICE, LINK_KEY)
    assert stack.written == [mt_frame(0x25, 0x23, b"\x34\x12" + DEVICE_LE + LINK_KEY)]


async def test_znp_unknown_device_gets_the_unknown_nwk() -> None:
    stack = FakeZStack(status=0x00)
    await install_link_key(stack.app, DEVICE, LINK_KEY)
    assert stack.written == [mt_frame(0x25, 0x23, b"\xfe\xff" + DEVICE_LE + LINK_KEY)]


async def test_znp_refused_key_raises() -> None:
    stack = FakeZStack(status=0x01)
    with pytest.raises(LinkKeyInstallError, match=r"ZDO\.SetLinkKey"):
        await install_link_key(stack.app, DEVICE, LINK_KEY)


async def test_znp_firmware_without_the_command_raises() -> None:
    # SRSP RPC error 0x60 0x00: InvalidCommandId (0x02) for request 0x25 0x23
    stack = FakeZStack(status=0x00, reply=mt_frame(0x60, 0x00, b"\x02\x25\x23"))
    with pytest.raises(LinkKeyInstallError, match="does not know ZDO"):
        await install_link_key(stack.app, DEVICE, LINK_KEY)


async def test_znp_without_radio_raises() -> None:
    app = ZnpApplication(APP_CONFIG)
    app._znp = None
    with pytest.raises(LinkKeyInstallError, match="not connected"):
        await install_link_key(app, DEVICE, LINK_KEY)


# --- zigpy-deconz -------------------------------------------------------------------


class FakeConBee:
    """zigpy-deconz's application and API over a fake serial gateway."""

    def __init__(self, status: int) -> None:
        self.app = DeconzApplication(APP_CONFIG)
        self.api = Deconz(self.app, self.app._config[conf.CONF_DEVICE])
        self.api._uart = MagicMock(send=self._send)
        self.app._api = self.api
        self.status = status
        self.sent: list[bytes] = []

    def _send(self, data: bytes) -> None:
        self.sent.append(bytes(data))
        # write parameter response: status, frame length 8, payload length 1, 0x19
        reply = bytes([0x0B, data[1], self.status, 0x08, 0x00, 0x01, 0x00, 0x19])
        asyncio.get_running_loop().call_soon(self.api.data_received, reply)


async def test_deconz_writes_the_link_key_parameter() -> None:
    conbee = FakeConBee(status=0x00)
    assert radio_library(conbee.app) == "zigpy_deconz"
    await install_link_key(conbee.app, DEVICE, LINK_KEY)
    assert conbee.sent == [
        bytes([0x0B, 0x01, 0x00, 0x20, 0x00, 0x19, 0x00, 0x19]) + DEVICE_LE + LINK_KEY
    ]


async def test_deconz_refused_key_raises() -> None:
    conbee = FakeConBee(status=0x01)
    with pytest.raises(LinkKeyInstallError, match="deCONZ link_key"):
        await install_link_key(conbee.app, DEVICE, LINK_KEY)


async def test_deconz_without_radio_raises() -> None:
    app = DeconzApplication(APP_CONFIG)
    app._api = None
    with pytest.raises(LinkKeyInstallError, match="not connected"):
        await install_link_key(app, DEVICE, LINK_KEY)


# --- every library --------------------------------------------------------------------


@pytest.mark.parametrize(
    "make", [lambda: FakeNcp(8, {}).app, lambda: FakeConBee(0).app]
)
async def test_a_key_that_is_not_16_bytes_is_refused_before_the_radio(
    make: Callable[[], Any],
) -> None:
    with pytest.raises(LinkKeyInstallError, match="16 bytes, not 15"):
        await install_link_key(make(), DEVICE, LINK_KEY[:15])
