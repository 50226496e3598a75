"""Drop malformed Smart Energy cluster commands instead of raising into zigpy.

zigpy decodes an incoming frame with ``Cluster.deserialize`` and hands the
result to ``Cluster.handle_message``. A cluster command whose payload is cut
short (or whose length fields point past its end) makes ``deserialize`` raise.
``RobustCommandsMixin`` catches that, logs one warning per cluster command for
each device cluster (later ones at debug level) and returns the payload as
``MalformedPayload``; ``handle_message`` then drops it without a reply.

Extra bytes after the last known field are not an error: later SE revisions
append fields, and zigpy leaves them undecoded.

Profile-wide (foundation) frames keep zigpy's own handling, which drops an
undecodable frame and fails the request waiting for it with ``ParsingError``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, ClassVar, Final

from zigpy.zcl import Cluster, foundation

if TYPE_CHECKING:
    from zigpy.endpoint import Endpoint

    _ClusterBase = Cluster
else:
    _ClusterBase = object

_LOGGER: Final = logging.getLogger(__name__)


class MalformedPayload(bytes):
    """Payload of a cluster command that did not decode."""


class RobustCommandsMixin(_ClusterBase):
    """Cluster mixin: malformed cluster commands are logged and dropped.

    ``answered_requests`` lists the client-to-server commands that the gateway
    answers with a command of its own (the ESI's Get requests). zigpy would send
    a Default Response SUCCESS first; ZCL sends one only when no other answer
    follows, so those get none here.
    """

    answered_requests: ClassVar[frozenset[int]] = frozenset()

    def __init__(self, endpoint: Endpoint, is_server: bool = True) -> None:
        super().__init__(endpoint, is_server)
        self._reported_malformed: set[tuple[foundation.Direction, int]] = set()

    def deserialize(
        self, data: bytes
    ) -> tuple[foundation.ZCLHeader, foundation.CommandSchema | bytes]:
        """Decode a frame; a malformed cluster command yields ``MalformedPayload``."""
        try:
            return super().deserialize(data)
        except Exception as exc:  # any failure: zigpy would only log it at debug
            # Raises (chained) if even the header is broken: such a frame never
            # reaches a cluster, zigpy's device drops it first.
            hdr, payload = foundation.ZCLHeader.deserialize(data)

            if not hdr.frame_control.is_cluster:
                raise

            self._report_malformed(hdr, payload, exc)
            return hdr, MalformedPayload(payload)

    def handle_message(
        self, hdr: foundation.ZCLHeader, args: list[Any] | MalformedPayload
    ) -> None:
        """Handle a decoded frame; drop a malformed one."""
        if isinstance(args, MalformedPayload):
            return

        super().handle_message(hdr, args)

    def handle_cluster_request(
        self,
        hdr: foundation.ZCLHeader,
        args: list[Any],
        *,
        dst_addressing: Any = None,
    ) -> None:
        """Skip zigpy's Default Response for requests the gateway answers."""
        if (
            hdr.direction == foundation.Direction.Client_to_Server
            and hdr.command_id in self.answered_requests
        ):
            return
        super().handle_cluster_request(hdr, args, dst_addressing=dst_addressing)

    def _report_malformed(
        self, hdr: foundation.ZCLHeader, payload: bytes, exc: Exception
    ) -> None:
        """Warn the first time a command arrives malformed, then log at debug."""
        key = (hdr.direction, hdr.command_id)
        level = logging.DEBUG if key in self._reported_malformed else logging.WARNING
        self._reported_malformed.add(key)

        commands = (
            self.client_commands
            if hdr.direction == foundation.Direction.Server_to_Client
            else self.server_commands
        )
        name = commands[hdr.command_id].name

        device = self.endpoint.device
        _LOGGER.log(
            level,
            "[%s:0x%04x:%s:0x%04x] Dropped malformed %s (0x%02x, TSN %d): %s;"
            " payload %s",
            device.ieee,
            device.nwk,
            self.endpoint.endpoint_id,
            self.cluster_id,
            name,
            hdr.command_id,
            hdr.tsn,
            exc,
            payload.hex(" "),
        )
