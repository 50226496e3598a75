"""Send one ZCL command to a device's cluster and wait for its answer.

The command goes from any gateway endpoint (the manual's source endpoint) to
the target endpoint, through zigpy's device request, so zigpy's retries, radio
delivery status and concurrency limits apply. The answer is the first ZCL frame
from that device with the same transaction number coming back the other way,
as zigpy decoded it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Final

import zigpy.device
from zigpy.zcl import Cluster, foundation

from .errors import request_errors

ANSWER_TIMEOUT_S: Final = 10
SERVER: Final = 0
GENERAL: Final = foundation.FrameType.GLOBAL_COMMAND
CLIENT: Final = 1


@dataclass(frozen=True)
class ZclTarget:
    """A cluster on a device's endpoint, and where the gateway sends from."""

    device: zigpy.device.Device
    cluster: Cluster
    source_endpoint_id: int
    manufacturer_code: int | None = None
    aps_encryption: bool = False

    @property
    def server_or_client(self) -> int:
        """Return 0 when the target cluster is a server, 1 when a client."""
        return SERVER if self.cluster.is_server else CLIENT

    @property
    def direction(self) -> foundation.Direction:
        """Return the direction of frames sent to the target cluster."""
        if self.cluster.is_server:
            return foundation.Direction.Client_to_Server
        return foundation.Direction.Server_to_Client

    @property
    def endpoint_id(self) -> int:
        """Return the target endpoint."""
        return int(self.cluster.endpoint.endpoint_id)

    @property
    def profile_id(self) -> int:
        """Return the profile of the target endpoint."""
        return int(self.cluster.endpoint.profile_id or 0)

    def answer_header(self) -> dict[str, Any]:
        """Return the manual's addressing parameters of an answer from the target."""
        header: dict[str, Any] = {
            "cluster_id": int(self.cluster.cluster_id),
            "server_or_client": self.server_or_client,
            "profile_id": self.profile_id,
            "source_endpoint_id": self.endpoint_id,
            "destination_endpoint_id": self.source_endpoint_id,
            "source_address": str(self.device.ieee),
        }
        if self.manufacturer_code is not None:
            header["manufacturer_code"] = self.manufacturer_code
        return header


@dataclass(frozen=True)
class ZclAnswer:
    """The header and decoded payload (or raw bytes) of a device's answer."""

    header: foundation.ZCLHeader
    command: Any


async def send_zcl_command(
    target: ZclTarget,
    *,
    general: bool,
    command_id: int,
    payload: bytes,
    answers: Collection[tuple[bool, int]] | None = None,
) -> ZclAnswer:
    """Send a command to ``target`` and return the device's answer.

    ``answers`` lists the (general, command id) pairs that count as the answer;
    without it, any answer counts. The device has ``ANSWER_TIMEOUT_S`` to answer.
    """
    device = target.device
    tsn = device.get_sequence()
    make_header = (
        foundation.ZCLHeader.general if general else foundation.ZCLHeader.cluster
    )
    header = make_header(
        tsn,
        command_id,
        manufacturer=target.manufacturer_code,
        direction=target.direction,
    )

    def is_answer(answer: Any, _command: Any) -> bool:
        return (
            isinstance(answer, foundation.ZCLHeader)
            and answer.tsn == tsn
            and answer.direction != target.direction
            and (
                answers is None
                or (answer.frame_control.frame_type == GENERAL, answer.command_id)
                in answers
            )
        )

    with (
        request_errors(device.ieee),
        device.application.wait_for_response(device, [is_answer]) as answered,
    ):
        await device.request(
            profile=target.profile_id,
            cluster=target.cluster.cluster_id,
            src_ep=target.source_endpoint_id,
            dst_ep=target.endpoint_id,
            sequence=tsn,
            data=header.serialize() + payload,
            expect_reply=False,
            aps_encryption=target.aps_encryption,
        )
        async with asyncio.timeout(ANSWER_TIMEOUT_S):
            answer_header, command = await answered
    return ZclAnswer(answer_header, command)
