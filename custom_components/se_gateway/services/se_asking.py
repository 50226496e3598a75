"""The gateway as a Smart Energy client asking remote servers (the aux gateway).

The manual's client requests (``get_current_price_event``,
``get_scheduled_price_events``, ``get_scheduled_DRLC_events``,
``get_last_message_event``) send one request to each active server (a meter
or another ESI with a Price, DRLC or Messaging server cluster). A server
answers with the events as commands carrying the request's sequence number
(Publish Price, Load Control Event, Display Message), or with a Default
Response such as NOT_FOUND (0x8B).

``ask_servers`` sends the request to every server at once and collects each
server's answers: until the ``count`` asked for has come, or for
``QUIET_S`` after the last one. The answers reach zigpy's cluster as well, so
the engine takes them as usual (``se_gateway_received_*`` events, its lists);
answers that come later still arrive that way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

import zigpy.device
from zigpy.endpoint import Endpoint
import zigpy.types as t
from zigpy.zcl import Cluster, foundation

from ..core.engine import DeviceRef
from ..core.engine.network import endpoints
from ..gateway.errors import ZigbeeRequestError, request_errors
from ..gateway.zcl import ANSWER_TIMEOUT_S

# After an answer, how long to wait for the next one of the same request.
QUIET_S: Final = 1.0
GENERAL: Final = foundation.FrameType.GLOBAL_COMMAND


@dataclass(frozen=True)
class Server:
    """A server cluster on a remote device, and how the gateway reaches it."""

    cluster: Cluster
    source_endpoint_id: int
    aps_encryption: bool = False

    @property
    def device(self) -> zigpy.device.Device:
        """Return the device hosting the cluster."""
        device: zigpy.device.Device = self.cluster.endpoint.device
        return device

    @property
    def ref(self) -> DeviceRef:
        """Return the device endpoint, as the engine names it."""
        return DeviceRef.of(self.cluster)


@dataclass
class ServerAnswer:
    """What one server answered: its commands, or a Default Response status."""

    server: Server
    commands: list[Any] = field(default_factory=list)
    status: foundation.Status | None = None
    error: ZigbeeRequestError | None = None


def server_clusters(
    devices: Iterable[zigpy.device.Device], cluster_id: int, endpoint_id: int | None
) -> list[Cluster]:
    """Return the server clusters ``cluster_id`` of ``devices``."""
    return [
        endpoint.in_clusters[cluster_id]
        for device in devices
        for endpoint in endpoints(device)
        if cluster_id in endpoint.in_clusters
        and endpoint_id in (None, endpoint.endpoint_id)
    ]


async def ask_server(
    server: Server,
    command_id: int,
    payload: foundation.CommandSchema,
    answer_id: int,
    count: int = 1,
) -> ServerAnswer:
    """Send a request to a server and collect its answers (``count`` 0: any)."""
    device = server.device
    cluster = server.cluster
    endpoint: Endpoint = cluster.endpoint
    tsn = device.get_sequence()
    header = foundation.ZCLHeader.cluster(
        tsn, command_id, direction=foundation.Direction.Client_to_Server
    )
    result = ServerAnswer(server)
    arrived = asyncio.Event()

    def is_answer(hdr: Any, command: Any) -> bool:
        if not (
            isinstance(hdr, foundation.ZCLHeader)
            and hdr.tsn == tsn
            and hdr.direction == foundation.Direction.Server_to_Client
        ):
            return False
        if hdr.frame_control.frame_type == GENERAL:
            return bool(
                hdr.command_id == foundation.GeneralCommand.Default_Response
                and command.command_id == command_id
            )
        return bool(hdr.command_id == answer_id)

    def take(hdr: foundation.ZCLHeader, command: Any) -> None:
        if hdr.frame_control.frame_type == GENERAL:
            result.status = command.status
        else:
            result.commands.append(command)
        arrived.set()

    def done() -> bool:
        return result.status is not None or 0 < count <= len(result.commands)

    try:
        with (
            request_errors(device.ieee),
            device.application.callback_for_response(device, [is_answer], take),
        ):
            await device.request(
                profile=endpoint.profile_id or 0,
                cluster=cluster.cluster_id,
                src_ep=server.source_endpoint_id,
                dst_ep=endpoint.endpoint_id,
                sequence=tsn,
                data=header.serialize() + payload.serialize(),
                expect_reply=False,
                aps_encryption=server.aps_encryption,
            )
            async with asyncio.timeout(ANSWER_TIMEOUT_S):
                await arrived.wait()
            while not done():
                arrived.clear()
                try:
                    async with asyncio.timeout(QUIET_S):
                        await arrived.wait()
                except TimeoutError:
                    break
    except ZigbeeRequestError as err:
        result.error = err
    return result


async def ask_servers(
    servers: Iterable[Server],
    command_id: int,
    payload: foundation.CommandSchema,
    answer_id: int,
    count: int = 1,
) -> list[ServerAnswer]:
    """Ask every server at once; return their answers in the same order."""
    return list(
        await asyncio.gather(
            *(
                ask_server(server, command_id, payload, answer_id, count)
                for server in servers
            )
        )
    )


def matching_servers(
    known: Iterable[DeviceRef], address: t.EUI64 | None, endpoint_id: int | None
) -> list[DeviceRef]:
    """Return the servers of ``known`` at an address and endpoint (None: any)."""
    return [
        server
        for server in known
        if (address is None or server.ieee == str(address))
        and endpoint_id in (None, server.endpoint)
    ]
