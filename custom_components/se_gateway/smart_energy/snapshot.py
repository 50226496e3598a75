"""A copy of the engine's state that entities and the calendar read.

The engine's facade returns records, not when a "start now" event started or
how far a load control event was cut. The snapshot rebuilds the engine's own
tables from ``to_dict()`` (its public, versioned state) so the entities use
the engine's semantics (the price in force, supersede and cancel cuts)
without reaching into it, and can never change it. The runtime takes one
snapshot per change; status reports and confirmations are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from ..engine import DeviceRef, DrlcEvent, GatewayEngine
from ..engine.client_state import ServerLists, next_boundary
from ..engine.server_state import ServerState
from ..engine.store import from_dict
from ..engine.tables import MessageEntry, MessageTable, PriceEntry, PriceTable

type EventKind = Literal["price", "drlc", "message"]


@dataclass(frozen=True, kw_only=True)
class TimedEvent:
    """An event and when it runs; ``source`` is None for the gateway's own."""

    source: DeviceRef | None
    kind: EventKind
    event_id: int
    start: int
    end: int | None
    record: Any

    @property
    def uid(self) -> str:
        """Return an id unique across sources and kinds."""
        owner = "gateway" if self.source is None else self.source.ieee
        return f"{owner}-{self.kind}-{self.event_id}"


@dataclass(frozen=True, kw_only=True)
class RunningDrlc:
    """A load control event that runs now."""

    record: DrlcEvent
    start: int
    end: int | None
    opted_out: bool = False


@dataclass(frozen=True)
class Snapshot:
    """The engine's tables at ``now`` (SE UTC seconds)."""

    now: int
    server: ServerState = field(default_factory=ServerState)
    client: dict[DeviceRef, ServerLists] = field(default_factory=dict)

    @classmethod
    def of(cls, engine: GatewayEngine, now: int) -> Snapshot:
        """Return a copy of ``engine``'s tables."""
        data = engine.to_dict()
        data["server"] = {**data["server"], "reports": [], "confirmations": []}
        server, client = from_dict(data)
        return cls(now, server, client)

    # --- Price ------------------------------------------------------------------

    def prices(self, source: DeviceRef | None) -> PriceTable:
        """Return the gateway's prices (None) or those a server sent."""
        if source is None:
            return self.server.prices
        lists = self.client.get(source)
        return PriceTable() if lists is None else lists.prices

    def active_price(self, source: DeviceRef | None) -> PriceEntry | None:
        """Return the price in force."""
        return self.prices(source).active(self.now)

    def next_price_change(self, source: DeviceRef | None) -> int | None:
        """Return when a price starts or ends next."""
        return next_boundary(self.prices(source), self.now)

    # --- Load control -------------------------------------------------------------

    def running_drlc(self, source: DeviceRef | None) -> RunningDrlc | None:
        """Return the load control event that started last (stored last on a tie)."""
        running = sorted(self._running_drlc(source), key=lambda event: event.start)
        return running[-1] if running else None

    def _running_drlc(self, source: DeviceRef | None) -> Iterator[RunningDrlc]:
        if source is None:
            for entry in self.server.drlc.upcoming(self.now):
                if entry.has_started(self.now) and entry.device_class_at(self.now):
                    yield RunningDrlc(
                        record=entry.record, start=entry.start, end=entry.end
                    )
            return
        lists = self.client.get(source)
        for held in [] if lists is None else lists.drlc.values():
            if held.started:
                yield RunningDrlc(
                    record=held.record,
                    start=held.start,
                    end=held.stops_at(),
                    opted_out=held.opted_out,
                )

    # --- Messages -------------------------------------------------------------------

    def messages(self, source: DeviceRef | None) -> MessageTable:
        """Return the gateway's messages (None) or those a server sent."""
        if source is None:
            return self.server.messages
        lists = self.client.get(source)
        return MessageTable() if lists is None else lists.messages

    def last_message(self, source: DeviceRef | None) -> MessageEntry | None:
        """Return the message that started last (stored last on a tie)."""
        started = [
            entry
            for entry in self.messages(source).upcoming(self.now)
            if entry.has_started(self.now)
        ]
        return started[-1] if started else None

    # --- Every event ----------------------------------------------------------------

    def timeline(self) -> Iterator[TimedEvent]:
        """Yield every price and load control event, of every source."""
        sources: list[tuple[DeviceRef | None, PriceTable]] = [
            (None, self.server.prices),
            *((device, lists.prices) for device, lists in self.client.items()),
        ]
        for source, prices in sources:
            for entry in prices:
                yield TimedEvent(
                    source=source,
                    kind="price",
                    event_id=entry.event_id,
                    start=entry.start,
                    end=entry.end,
                    record=entry.record,
                )
        for drlc in self.server.drlc:
            yield TimedEvent(
                source=None,
                kind="drlc",
                event_id=drlc.event_id,
                start=drlc.start,
                end=drlc.end,
                record=drlc.record,
            )
        for device, lists in self.client.items():
            for held in lists.drlc.values():
                yield TimedEvent(
                    source=device,
                    kind="drlc",
                    event_id=held.event_id,
                    start=held.start,
                    end=held.stops_at(),
                    record=held.record,
                )

    def next_change(self) -> int | None:
        """Return the next time an event of any table starts or ends."""
        times = [
            time
            for event in self.timeline()
            for time in (event.start, event.end)
            if time is not None and time > self.now
        ]
        tables = [self.server.messages, *(c.messages for c in self.client.values())]
        boundaries = (next_boundary(table, self.now) for table in tables)
        times.extend(time for time in boundaries if time is not None)
        return min(times, default=None)
