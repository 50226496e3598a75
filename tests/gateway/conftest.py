"""Fixtures: the gateway loaded on ZHA with the simulated meter, and call helpers."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import zigpy.types as t
from zigpy.zcl import foundation
from zigpy.zcl.clusters.general import Identify

from network_simulator import Network, SimulatedCluster, SimulatedDevice, catalogue

METER = "00:0d:6f:00:0a:90:69:01"
# An installation code with a valid CRC-16/X-25, and the same code with a bad CRC.
INSTALL_CODE = "83FED3407A939723A5C639B26916D505C3B5"
BAD_INSTALL_CODE = "83FED3407A939723A5C639B26916D505C3B6"
LINK_KEY = "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"


def identify_handler(
    cluster: SimulatedCluster, hdr: foundation.ZCLHeader, payload: bytes
) -> list[bytes]:
    """Identify like a real device: keep the time, answer with a Default Response."""
    if hdr.command_id == Identify.ServerCommandDefs.identify.id:
        cluster.values[0x0000] = int.from_bytes(payload[:2], "little")
        status = foundation.Status.SUCCESS
    else:
        status = foundation.Status.UNSUP_CLUSTER_COMMAND
    return [
        cluster.frame(
            hdr.tsn,
            foundation.GeneralCommand.Default_Response,
            bytes([hdr.command_id, status]),
        )
    ]


@pytest.fixture
async def meter(
    hass: HomeAssistant, zha_with_meter: SimulatedDevice, se_entry: MockConfigEntry
) -> SimulatedDevice:
    """Return the paired meter, with se_gateway loaded."""
    zha_with_meter.cluster(Identify.cluster_id).command_handler = identify_handler
    assert await hass.config_entries.async_setup(se_entry.entry_id)
    await hass.async_block_till_done()
    return zha_with_meter


def keyed_meter(
    ieee: str, *, install_code: str | None = None, link_key: str | None = None
) -> SimulatedDevice:
    """Return a meter that joins only with its installation code or link key."""
    device = catalogue.electricity_meter(
        t.EUI64.convert(ieee), model="Keyed Meter", changing=False
    )
    device.install_code = bytes.fromhex(install_code) if install_code else None
    device.link_key = bytes.fromhex(link_key) if link_key else None
    return device


def frames_to(
    simulator: Network, device: SimulatedDevice, cluster_id: int
) -> list[bytes]:
    """Return what ``device`` received on ``cluster_id``, oldest first."""
    return [
        frame.data
        for frame in simulator.captured
        if frame.ieee == device.ieee and frame.cluster_id == cluster_id
    ]
