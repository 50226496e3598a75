"""The engine's tables as whoever shows them reads them: in place, read-only.

``GatewayEngine.view`` returns an ``EngineView``. It copies nothing, so taking
one costs the same however many events are stored, and it always reads the
engine's current tables. Its accessors return the tables as ``TableView``
protocols, which hold only methods that never change a table: a reader asks
about its own ``now``, and ended events are skipped rather than dropped.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Final

from .client_drlc import ClientDrlcEntry
from .client_state import ServerLists
from .delivery import DeviceRef
from .server_state import ServerState
from .tables import (
    DrlcEntry,
    MessageEntry,
    MessageTable,
    PriceTable,
    PriceTableView,
    TableView,
)

# What a server the gateway never heard from has sent: nothing.
_NOTHING: Final = ServerLists()


class EngineView:
    """Read-only access to the server role's tables and the client role's lists."""

    def __init__(
        self,
        server: ServerState | None = None,
        client: Mapping[DeviceRef, ServerLists] | None = None,
    ) -> None:
        """Read ``server`` and ``client`` in place (None: nothing stored)."""
        self._server = ServerState() if server is None else server
        self._client: Mapping[DeviceRef, ServerLists] = {} if client is None else client

    @property
    def sources(self) -> Collection[DeviceRef]:
        """Return the remote servers whose events the gateway keeps."""
        return self._client.keys()

    def prices(self, source: DeviceRef | None) -> PriceTableView:
        """Return the gateway's prices (None) or those a server sent."""
        table: PriceTable = (
            self._server.prices if source is None else self._lists(source).prices
        )
        return table

    def messages(self, source: DeviceRef | None) -> TableView[MessageEntry]:
        """Return the gateway's messages (None) or those a server sent."""
        table: MessageTable = (
            self._server.messages if source is None else self._lists(source).messages
        )
        return table

    def drlc(self) -> TableView[DrlcEntry]:
        """Return the gateway's own load control events."""
        return self._server.drlc

    def received_drlc(self, source: DeviceRef) -> Mapping[int, ClientDrlcEntry]:
        """Return the load control events a server sent, by issuer event id."""
        return self._lists(source).drlc

    def _lists(self, source: DeviceRef) -> ServerLists:
        return self._client.get(source, _NOTHING)
