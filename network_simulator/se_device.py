"""What the simulated Smart Energy devices share.

Commands are decoded and encoded with our cluster definitions
(``se_gateway_core.clusters``); importing them imports
the integration, and so Home Assistant (about 3 s, no other set-up needed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
import logging
import time
from typing import Any, Final, override

from zigpy.zcl import foundation

from se_gateway_core.clusters.types import datetime_to_utc_time

from .cluster_io import RequestingCluster, cluster_frame, default_response
from .device import SimulatedDevice
from .zcl import SimulatedCluster

_LOGGER = logging.getLogger(__name__)

SE_ENDPOINT: Final = 1
STARTUP_DELAY_S: Final = 2.0
Status = foundation.Status


def se_time_now() -> int:
    """Return the current Smart Energy UTCTime (seconds since 2000)."""
    return datetime_to_utc_time(datetime.now(UTC))


@dataclass(frozen=True)
class ReceivedCommand:
    """A cluster command a device received, decoded by our cluster definitions."""

    cluster_id: int
    name: str
    tsn: int
    payload: Any


@dataclass(frozen=True)
class ReceivedAnswer:
    """An answer to a request the device sent (Default Response, read response)."""

    cluster_id: int
    command_id: int
    tsn: int
    payload: Any


@dataclass
class SmartEnergyDevice(SimulatedDevice):
    """A device whose clusters decode Smart Energy commands and keep them.

    ``startup_delay_s`` after it (re)joins, when the gateway has had time to
    interview it, `on_start` runs. The network's report loop drives `tick`;
    ``clock`` (monotonic seconds) is the same clock.
    """

    startup_delay_s: float = STARTUP_DELAY_S
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    inbox: list[ReceivedCommand] = field(default_factory=list)
    answers: list[ReceivedAnswer] = field(default_factory=list)
    _joined_at: float | None = field(default=None, init=False, repr=False)
    _started: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        self.behaviours.append(self._behaviour)

    @property
    def on_air(self) -> bool:
        """Return True when the device can reach the gateway."""
        return self.online and self.joined

    def commands_named(self, name: str) -> list[Any]:
        """Return the payloads of the received commands called ``name``."""
        return [command.payload for command in self.inbox if command.name == name]

    # Hooks for the devices ---------------------------------------------------

    def on_start(self) -> None:
        """Act once the gateway has interviewed the device."""

    def on_tick(self, now: float) -> None:
        """Advance timers to ``now``."""

    def on_command(
        self,
        _cluster: SimulatedCluster,
        _hdr: foundation.ZCLHeader,
        _command: ReceivedCommand,
    ) -> list[bytes]:
        """Act on a decoded command; return replies (none: a Default Response)."""
        return []

    # Joining and the clock -------------------------------------------------------

    @override
    def announce(self) -> None:
        """Announce, then start again after ``startup_delay_s``."""
        super().announce()
        self._joined_at = self.clock()
        self._started = False

    def tick(self, now: float) -> None:
        """Start when due, then advance the device's timers."""
        if not self.on_air or self._joined_at is None:
            return
        if not self._started and now - self._joined_at >= self.startup_delay_s:
            self._started = True
            self.on_start()
        self.on_tick(now)

    def _behaviour(self, _device: SimulatedDevice, now: float) -> None:
        self.tick(now)

    # Sending and receiving ----------------------------------------------------

    def send_command(
        self, cluster: SimulatedCluster, command_id: int, payload: Any
    ) -> int:
        """Send a cluster command with a new sequence number; return it."""
        tsn = self.next_tsn()
        frame = cluster_frame(cluster, tsn, command_id, payload.serialize())
        self.send_zcl(SE_ENDPOINT, cluster, frame)
        return tsn

    def handle_command(
        self, cluster: SimulatedCluster, hdr: foundation.ZCLHeader, payload: bytes
    ) -> list[bytes]:
        """Decode a cluster command, keep it in ``inbox`` and act on it."""
        definition = cluster.definition
        commands = (
            definition.server_commands
            if cluster.is_server
            else definition.client_commands
        )
        command = commands.get(hdr.command_id)
        if command is None:
            return default_response(cluster, hdr, Status.UNSUP_CLUSTER_COMMAND)
        try:
            value, _rest = command.schema.deserialize(payload)
        except ValueError as err:
            _LOGGER.warning("%s: malformed %s: %s", self.ieee, command.name, err)
            return default_response(cluster, hdr, Status.MALFORMED_COMMAND)
        received = ReceivedCommand(cluster.cluster_id, command.name, hdr.tsn, value)
        self.inbox.append(received)
        replies = self.on_command(cluster, hdr, received)
        return replies or default_response(cluster, hdr, Status.SUCCESS)

    def take_answer(
        self, cluster: RequestingCluster, hdr: foundation.ZCLHeader, answer: Any
    ) -> None:
        """Keep an answer to one of the device's requests."""
        self.answers.append(
            ReceivedAnswer(cluster.cluster_id, hdr.command_id, hdr.tsn, answer)
        )


def se_cluster(
    device: SmartEnergyDevice, definition: type, *, server: bool, **values: Any
) -> RequestingCluster:
    """Return a cluster whose commands and answers go to ``device``.

    ``values`` are attribute values by name.
    """
    cluster = RequestingCluster(
        definition,
        is_server=server,
        command_handler=device.handle_command,
        on_answer=device.take_answer,
    )
    for name, value in values.items():
        cluster.set(name, value)
    return cluster
