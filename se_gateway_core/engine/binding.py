"""Listening to the Smart Energy clusters of every device of a zigpy network.

zigpy decodes a frame with the cluster object of the device that sent it and
then calls ``cluster_command(tsn, command_id, args)`` on the cluster's
listeners. The binding adds one context listener (which zigpy calls with the
cluster first) to the Price, DRLC and Messaging clusters of each device, and
follows the application's device events: a device that finished its
interview or a re-interview gets fresh subscriptions (zigpy may have replaced
its objects), a removed device loses them.

Requests a client sends (decoded on the device's client cluster) go to
``on_request``; commands a server sends (on its server cluster) to
``on_command``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from zigpy.application import ControllerApplication
from zigpy.device import BaseDevice, Device
import zigpy.types as t
from zigpy.util import CatchingTaskMixin
from zigpy.zcl import Cluster

from .network import se_clusters

type ClusterCallback = Callable[[Cluster, int, int, Any], None]


class _ClusterListener:
    """The object zigpy calls back on every subscribed cluster."""

    def __init__(self, dispatch: ClusterCallback) -> None:
        self._dispatch = dispatch

    def cluster_command(
        self, cluster: Cluster, tsn: int, command_id: int, args: Any
    ) -> None:
        """Take a cluster command zigpy decoded."""
        self._dispatch(cluster, tsn, command_id, args)


class ZigbeeBinding:
    """Subscriptions to the SE clusters of the devices of one application."""

    def __init__(
        self,
        on_request: ClusterCallback,
        on_command: ClusterCallback,
        on_device_ready: Callable[[Device], None],
    ) -> None:
        self._on_request = on_request
        self._on_command = on_command
        self._on_device_ready = on_device_ready
        self._listener = _ClusterListener(self._dispatch)
        self._subscribed: dict[t.EUI64, list[Cluster]] = {}
        self.app: ControllerApplication | None = None

    def attach(self, app: ControllerApplication) -> None:
        """Listen to every device of ``app`` and to devices it adds later."""
        self.detach()
        self.app = app
        app.add_listener(self)
        for device in app.devices.values():
            self._subscribe(device)

    def detach(self) -> None:
        """Stop listening."""
        for ieee in list(self._subscribed):
            self._unsubscribe(ieee)
        if self.app is not None:
            self.app.remove_listener(self)
            self.app = None

    def _subscribe(self, device: BaseDevice) -> None:
        self._unsubscribe(device.ieee)
        if not isinstance(device, Device):
            return
        clusters = list(se_clusters(device))
        for cluster in clusters:
            cluster.add_context_listener(cast(CatchingTaskMixin, self._listener))
        self._subscribed[device.ieee] = clusters

    def _unsubscribe(self, ieee: t.EUI64) -> None:
        for cluster in self._subscribed.pop(ieee, []):
            cluster.remove_listener(self._listener)

    # --- zigpy application events ----------------------------------------------

    def device_initialized(self, device: BaseDevice) -> None:
        """Subscribe to a device that finished its interview, and announce it."""
        self._subscribe(device)
        if isinstance(device, Device):
            self._on_device_ready(device)

    def device_reinterviewed(self, device: BaseDevice) -> None:
        """Subscribe to the new objects of a re-interviewed device."""
        self._subscribe(device)

    def device_removed(self, device: BaseDevice) -> None:
        """Forget a removed device."""
        self._unsubscribe(device.ieee)

    # --- Routing --------------------------------------------------------------------

    def _dispatch(self, cluster: Cluster, tsn: int, command_id: int, args: Any) -> None:
        """Route by the side that sent the command, as its payload type tells."""
        request = cluster.server_commands.get(command_id)
        command = cluster.client_commands.get(command_id)
        if cluster.is_client and request and isinstance(args, request.schema):
            self._on_request(cluster, tsn, command_id, args)
        elif cluster.is_server and command and isinstance(args, command.schema):
            self._on_command(cluster, tsn, command_id, args)
