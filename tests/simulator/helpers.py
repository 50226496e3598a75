"""Drive simulated devices without a network: a clock, a capture and ZCL frames."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import zigpy.types as t
from zigpy.zcl import Cluster, foundation

from network_simulator import SimulatedDevice
from network_simulator.cluster_io import cluster_command_bytes
from network_simulator.device import Frame

GENERAL = foundation.GeneralCommand
TO_SERVER = foundation.Direction.Client_to_Server
TO_CLIENT = foundation.Direction.Server_to_Client


@dataclass
class FakeClock:
    """A monotonic clock that moves only when told."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now


@dataclass
class Air:
    """What a device sent, captured instead of reaching a network."""

    device: SimulatedDevice
    sent: list[Frame] = field(default_factory=list)

    def take(self) -> list[Frame]:
        """Return and forget everything sent so far."""
        frames, self.sent = self.sent, []
        return frames

    def zcl(self) -> list[tuple[int, foundation.ZCLHeader, bytes]]:
        """Return and forget the ZCL frames sent: (cluster, header, payload)."""
        frames = []
        for _src, _dst, cluster_id, _profile, data in self.take():
            if _dst == 0:
                continue  # ZDO (the announce)
            hdr, payload = foundation.ZCLHeader.deserialize(data)
            frames.append((cluster_id, hdr, payload))
        return frames


def on_air(device: SimulatedDevice, nwk: int = 0x1234) -> Air:
    """Join ``device`` without a network and capture what it sends."""
    air = Air(device)
    device.transmit = lambda _device, frame: air.sent.append(frame)
    device.nwk = nwk
    device.announce()
    air.take()
    return air


def cluster_command(
    cluster_id: int,
    command_id: int,
    payload: bytes,
    *,
    tsn: int = 0x40,
    direction: foundation.Direction = TO_CLIENT,
    disable_default_response: bool = True,
) -> Frame:
    """Return a cluster command from the gateway, as a frame for a device."""
    frame = cluster_command_bytes(
        tsn,
        command_id,
        payload,
        direction=direction,
        disable_default_response=disable_default_response,
    )
    return (1, 1, cluster_id, 0x0104, frame)


def general_command(
    cluster_id: int,
    command_id: int,
    payload: Any,
    *,
    tsn: int = 0x40,
    direction: foundation.Direction = TO_SERVER,
) -> Frame:
    """Return a general command from the gateway, as a frame for a device."""
    hdr = foundation.ZCLHeader.general(
        tsn=tsn, command_id=command_id, direction=direction
    )
    data = payload if isinstance(payload, bytes) else payload.serialize()
    return (1, 1, cluster_id, 0x0104, hdr.serialize() + data)


def default_response(
    cluster_id: int,
    tsn: int,
    command_id: int,
    status: foundation.Status = foundation.Status.SUCCESS,
    *,
    direction: foundation.Direction = TO_SERVER,
) -> Frame:
    """Return the gateway's Default Response to a device's command."""
    schema = foundation.GENERAL_COMMANDS[GENERAL.Default_Response].schema
    payload = schema(command_id=t.uint8_t(command_id), status=status)
    return general_command(
        cluster_id, GENERAL.Default_Response, payload, tsn=tsn, direction=direction
    )


def general_payload(hdr: foundation.ZCLHeader, payload: bytes) -> Any:
    """Decode a general command's payload."""
    schema = foundation.GENERAL_COMMANDS[GENERAL(hdr.command_id)].schema
    value, _rest = schema.deserialize(payload)
    return value


def decoded(
    air: Air, definitions: Mapping[int, type[Cluster]]
) -> list[tuple[int, foundation.ZCLHeader, Any]]:
    """Return and forget what a device sent, decoded by the cluster definitions."""
    frames = []
    for cluster_id, hdr, payload in air.zcl():
        if hdr.frame_control.is_general:
            frames.append((cluster_id, hdr, general_payload(hdr, payload)))
            continue
        definition = definitions[cluster_id]
        commands = (
            definition.server_commands
            if hdr.direction == TO_SERVER
            else definition.client_commands
        )
        value, rest = commands[hdr.command_id].schema.deserialize(payload)
        assert rest == b""
        frames.append((cluster_id, hdr, value))
    return frames
