"""Clusters that send their own commands and take the answers to them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
import logging
from typing import Any, Final, override

import zigpy.types as t
from zigpy.zcl import foundation

from .zcl import SimulatedCluster

_LOGGER = logging.getLogger(__name__)

GENERAL = foundation.GeneralCommand

# General commands that answer a request the simulated cluster sent.
ANSWERS: Final = frozenset(
    {
        GENERAL.Default_Response,
        GENERAL.Read_Attributes_rsp,
        GENERAL.Write_Attributes_rsp,
    }
)

# Called with the cluster, the answer's header and its decoded payload.
AnswerHandler = Callable[["RequestingCluster", foundation.ZCLHeader, Any], None]


@dataclass
class RequestingCluster(SimulatedCluster):
    """A cluster that sends requests and keeps the answers it gets back.

    Default Responses and Read/Write Attributes responses are decoded, kept in
    ``answers`` and handed to ``on_answer``; nothing is sent back for them.
    """

    answers: list[tuple[foundation.ZCLHeader, Any]] = field(default_factory=list)
    on_answer: AnswerHandler | None = None

    @override
    def handle(self, hdr: foundation.ZCLHeader, payload: bytes) -> list[bytes]:
        """Take answers here; leave everything else to `SimulatedCluster`."""
        if hdr.frame_control.is_cluster or hdr.command_id not in ANSWERS:
            return super().handle(hdr, payload)
        self.received.append((hdr, payload))
        schema = foundation.GENERAL_COMMANDS[GENERAL(hdr.command_id)].schema
        try:
            answer, _rest = schema.deserialize(payload)
        except ValueError:
            _LOGGER.warning("Dropped a malformed answer %s", hdr)
            return []
        self.answers.append((hdr, answer))
        if self.on_answer is not None:
            self.on_answer(self, hdr, answer)
        return []


def cluster_frame(
    cluster: SimulatedCluster,
    tsn: int,
    command_id: int,
    payload: bytes,
    *,
    disable_default_response: bool | None = None,
) -> bytes:
    """Build a cluster-specific command sent by ``cluster``.

    ``disable_default_response`` None keeps zigpy's choice: set for frames a
    server sends, clear for frames a client sends.
    """
    direction = cluster.reply_direction()
    if disable_default_response is None:
        disable_default_response = direction == foundation.Direction.Server_to_Client
    return cluster_command_bytes(
        tsn,
        command_id,
        payload,
        direction=direction,
        disable_default_response=disable_default_response,
    )


def cluster_command_bytes(
    tsn: int,
    command_id: int,
    payload: bytes,
    *,
    direction: foundation.Direction,
    disable_default_response: bool,
) -> bytes:
    """Return a cluster-specific command: its ZCL header, then ``payload``."""
    frame_control = foundation.FrameControl(
        frame_type=foundation.FrameType.CLUSTER_COMMAND,
        is_manufacturer_specific=False,
        direction=direction,
        disable_default_response=disable_default_response,
        reserved=0b000,
    )
    hdr = foundation.ZCLHeader(
        frame_control=frame_control, tsn=tsn, command_id=command_id
    )
    return hdr.serialize() + payload


def default_response(
    cluster: SimulatedCluster, hdr: foundation.ZCLHeader, status: foundation.Status
) -> list[bytes]:
    """Answer ``hdr`` with a Default Response, unless it is a success not asked for."""
    if (
        hdr.frame_control.disable_default_response
        and status == foundation.Status.SUCCESS
    ):
        return []
    payload = t.uint8_t(hdr.command_id).serialize() + status.serialize()
    return [cluster.frame(hdr.tsn, GENERAL.Default_Response, payload)]
