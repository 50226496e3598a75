"""What entities and the calendar read: the engine's tables at one moment.

A ``Snapshot`` is the engine's read-only view (``GatewayEngine.view``) and the
time ``now`` its readers ask about. It copies nothing, so the runtime takes a
new one on every change at the same cost however many events are stored, and
its answers follow the engine's own semantics (the price in force, supersede
and cancel cuts). Nothing here changes the engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from ..core.engine import DeviceRef, DrlcEvent, EngineView, GatewayEngine
from ..core.engine.client_drlc import ClientDrlcEntry
from ..core.engine.tables import (
    DrlcEntry,
    MessageEntry,
    PriceEntry,
    PriceTableView,
    TableView,
)

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
        return event_uid(self.source, self.kind, self.event_id)


def event_uid(source: DeviceRef | None, kind: EventKind, event_id: int) -> str:
    """Return the id of an event unique across sources and kinds."""
    owner = "gateway" if source is None else source.ieee
    return f"{owner}-{kind}-{event_id}"


def price_event(source: DeviceRef | None, entry: PriceEntry) -> TimedEvent:
    """Return a stored price as a timed event."""
    return TimedEvent(
        source=source,
        kind="price",
        event_id=entry.event_id,
        start=entry.start,
        end=entry.end,
        record=entry.record,
    )


def drlc_event(entry: DrlcEntry) -> TimedEvent:
    """Return one of the gateway's load control events as a timed event."""
    return TimedEvent(
        source=None,
        kind="drlc",
        event_id=entry.event_id,
        start=entry.start,
        end=entry.end,
        record=entry.record,
    )


def received_drlc_event(source: DeviceRef, held: ClientDrlcEntry) -> TimedEvent:
    """Return a load control event a server sent as a timed event."""
    return TimedEvent(
        source=source,
        kind="drlc",
        event_id=held.event_id,
        start=held.start,
        end=held.stops_at(),
        record=held.record,
    )


@dataclass(frozen=True, kw_only=True)
class RunningDrlc:
    """A load control event that runs now."""

    record: DrlcEvent
    start: int
    end: int | None
    opted_out: bool = False


@dataclass(frozen=True)
class Snapshot:
    """The engine's tables, read at ``now`` (SE UTC seconds)."""

    now: int
    view: EngineView = field(default_factory=EngineView)

    @classmethod
    def of(cls, engine: GatewayEngine, now: int) -> Snapshot:
        """Return ``engine``'s tables at ``now``, read in place."""
        return cls(now, engine.view)

    # --- Price ------------------------------------------------------------------

    def prices(self, source: DeviceRef | None) -> PriceTableView:
        """Return the gateway's prices (None) or those a server sent."""
        return self.view.prices(source)

    def active_price(self, source: DeviceRef | None) -> PriceEntry | None:
        """Return the price in force."""
        return self.prices(source).active(self.now)

    def next_price_change(self, source: DeviceRef | None) -> int | None:
        """Return when a price starts or ends next."""
        return self.prices(source).next_boundary(self.now)

    # --- Load control -------------------------------------------------------------

    def running_drlc(self, source: DeviceRef | None) -> RunningDrlc | None:
        """Return the load control event that started last (stored last on a tie)."""
        running = sorted(self._running_drlc(source), key=lambda event: event.start)
        return running[-1] if running else None

    def _running_drlc(self, source: DeviceRef | None) -> Iterator[RunningDrlc]:
        if source is None:
            for entry in self.view.drlc().running(self.now):
                if entry.device_class_at(self.now):
                    yield RunningDrlc(
                        record=entry.record, start=entry.start, end=entry.end
                    )
            return
        for held in self.view.received_drlc(source).values():
            if held.started:
                yield RunningDrlc(
                    record=held.record,
                    start=held.start,
                    end=held.stops_at(),
                    opted_out=held.opted_out,
                )

    # --- Messages -------------------------------------------------------------------

    def messages(self, source: DeviceRef | None) -> TableView[MessageEntry]:
        """Return the gateway's messages (None) or those a server sent."""
        return self.view.messages(source)

    def last_message(self, source: DeviceRef | None) -> MessageEntry | None:
        """Return the message that started last (stored last on a tie)."""
        started = self.messages(source).running(self.now)
        return started[-1] if started else None

    # --- Every event ----------------------------------------------------------------

    def timeline(self) -> Iterator[TimedEvent]:
        """Yield every price and load control event, of every source."""
        view = self.view
        for source in (None, *view.sources):
            for entry in view.prices(source):
                yield price_event(source, entry)
        for drlc in view.drlc():
            yield drlc_event(drlc)
        for device in view.sources:
            for held in view.received_drlc(device).values():
                yield received_drlc_event(device, held)

    def next_change(self) -> int | None:
        """Return the next time an event of any table starts or ends."""
        view, now = self.view, self.now
        sources = (None, *view.sources)
        tables: list[TableView[Any]] = [
            view.drlc(),
            *(view.prices(source) for source in sources),
            *(view.messages(source) for source in sources),
        ]
        times = [
            time for table in tables if (time := table.next_boundary(now)) is not None
        ]
        times.extend(
            time
            for device in view.sources
            for held in view.received_drlc(device).values()
            for time in (held.start, held.stops_at())
            if time is not None and time > now
        )
        return min(times, default=None)
