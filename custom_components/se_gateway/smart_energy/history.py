"""The calendar's memory: price and load control events, scheduled and past.

The engine drops events once they end; the calendar should still show them.
``EventHistory`` records every event a snapshot holds, with when it runs, and
keeps it after the engine forgets it: for ``KEEP_DAYS`` days, at most
``MAX_ITEMS`` events. An event that disappears before its end was cancelled
or withdrawn: it ends when that was noticed, or is dropped if it had not
started. The history is saved with the engine's state.

An update describes only what changed: the tables note their changes
(``TableView.changed_since``), and the items are indexed by start and end, so
the cost of a change does not grow with the number of events stored. The
load control events servers sent (a handful) are compared in full; the first
update, a restore or a new server takes one full pass.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from functools import partial
from typing import Any, Final

from ..core.engine import DeviceRef
from ..core.engine.tables import TableView
from .snapshot import (
    EventKind,
    Snapshot,
    TimedEvent,
    drlc_event,
    event_uid,
    price_event,
    received_drlc_event,
)
from .values import drlc_attributes, price_unit, price_value

KEEP_DAYS: Final = 31
MAX_ITEMS: Final = 500
DAY: Final = 86_400


@dataclass(frozen=True, kw_only=True)
class CalendarItem:
    """One event as the calendar shows it; times are SE UTC seconds."""

    uid: str
    kind: EventKind
    source: str | None
    event_id: int
    start: int
    end: int | None
    summary: str
    description: str

    def to_dict(self) -> dict[str, Any]:
        """Return the item as a JSON-able dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CalendarItem:
        """Return the item saved by ``to_dict``."""
        return cls(**data)


def describe(event: TimedEvent) -> CalendarItem:
    """Return the calendar item of an event."""
    source = None if event.source is None else event.source.ieee
    origin = "Sent by the gateway" if source is None else f"Received from {source}"
    if event.kind == "price":
        record = event.record
        unit = price_unit(record)
        summary = f"Price {price_value(record)}" + (f" {unit}" if unit else "")
        details = {
            "rate_label": record.rate_label,
            "price_tier": record.price_tier,
            "issuer_event_id": record.issuer_event_id,
        }
    else:
        summary = f"Load control, criticality {event.record.criticality_level}"
        details = {
            name: value
            for name, value in drlc_attributes(event.record).items()
            if value is not None
        }
    lines = [origin, *(f"{name}: {value}" for name, value in details.items())]
    return CalendarItem(
        uid=event.uid,
        kind=event.kind,
        source=source,
        event_id=event.event_id,
        start=event.start,
        end=event.end,
        summary=summary,
        description="\n".join(lines),
    )


type TableKey = tuple[EventKind, DeviceRef | None]
type GroupKey = tuple[EventKind, str | None]


@dataclass(frozen=True)
class _Table:
    """A table of the snapshot and how its entries become timed events."""

    key: TableKey
    table: TableView[Any]
    event: Callable[[Any], TimedEvent]


def _tables(snapshot: Snapshot) -> list[_Table]:
    """Return the price and load control tables of every source."""
    view = snapshot.view
    return [
        _Table(("drlc", None), view.drlc(), drlc_event),
        *(
            _Table(("price", source), view.prices(source), partial(price_event, source))
            for source in (None, *view.sources)
        ),
    ]


class EventHistory:
    """Every price and load control event seen lately, by uid."""

    def __init__(self, items: Iterable[CalendarItem] = ()) -> None:
        """Hold ``items`` (from ``from_list``); the first update checks them all."""
        self.items: dict[str, CalendarItem] = {}
        self._order: dict[str, int] = {}
        self._added = 0
        self._by_start: list[tuple[int, int, str]] = []
        self._by_end: list[tuple[int, int, str]] = []
        self._groups: dict[GroupKey, set[str]] = {}
        self._seen: dict[TableKey, tuple[TableView[Any], int]] = {}
        for item in items:
            self._put(item)

    def to_list(self) -> list[dict[str, Any]]:
        """Return the items as JSON-able dicts, by start time."""
        return [self.items[uid].to_dict() for _, _, uid in self._by_start]

    @classmethod
    def from_list(cls, data: Iterable[Mapping[str, Any]]) -> EventHistory:
        """Return the history saved by ``to_list``."""
        return cls(CalendarItem.from_dict(item) for item in data)

    def update(self, snapshot: Snapshot) -> bool:
        """Record the events of ``snapshot``; return True if anything changed."""
        now = snapshot.now
        changes = self._changes(snapshot)
        if changes is None:
            current = {event.uid: event for event in snapshot.timeline()}
            events, gone = list(current.values()), self.items.keys() - current
        else:
            events, gone = changes
        changed = False
        for event in events:
            changed |= self._put(describe(event))
        for uid in gone:
            changed |= self._gone(uid, now)
        self._seen = {
            table.key: (table.table, table.table.revision)
            for table in _tables(snapshot)
        }
        return self._trim(now) or changed

    def _changes(self, snapshot: Snapshot) -> tuple[list[TimedEvent], set[str]] | None:
        """Return the events changed since the last update and the uids gone.

        Return None when only a full pass can tell.
        """
        tables = _tables(snapshot)
        if {table.key for table in tables} != self._seen.keys():
            return None
        events: list[TimedEvent] = []
        gone: set[str] = set()
        for table in tables:
            seen, revision = self._seen[table.key]
            changed = table.table.changed_since(revision)
            if seen is not table.table or changed is None:
                return None
            kind, source = table.key
            for event_id in changed:
                if (entry := table.table.get(event_id)) is None:
                    gone.add(event_uid(source, kind, event_id))
                else:
                    events.append(table.event(entry))
        received: dict[str, set[str]] = {}
        view = snapshot.view
        for source in view.sources:
            present = received.setdefault(source.ieee, set())
            for held in view.received_drlc(source).values():
                event = received_drlc_event(source, held)
                events.append(event)
                present.add(event.uid)
        for owner, present in received.items():
            gone |= self._groups.get(("drlc", owner), set()) - present
        return events, gone

    def _gone(self, uid: str, now: int) -> bool:
        """Keep an event the engine no longer holds, as it ran; True if changed.

        One that ended is kept as it is; one that was running ends now (it was
        cancelled or withdrawn); one that had not started never ran.
        """
        if (item := self.items.get(uid)) is None or (
            item.end is not None and item.end <= now
        ):
            return False
        if item.start < now:
            return self._put(replace(item, end=now))
        self._drop(uid)
        return True

    def _trim(self, now: int) -> bool:
        """Forget what ended ``KEEP_DAYS`` ago, then the earliest beyond the limit."""
        trimmed = False
        while self._by_end and self._by_end[0][0] <= now - KEEP_DAYS * DAY:
            self._drop(self._by_end[0][2])
            trimmed = True
        while len(self.items) > MAX_ITEMS:
            self._drop(self._by_start[0][2])
            trimmed = True
        return trimmed

    def _put(self, item: CalendarItem) -> bool:
        """Add or replace an item; return True if it is new or differs."""
        uid = item.uid
        if (old := self.items.get(uid)) is not None:
            if old == item:
                return False
            self._unindex(old)
        else:
            self._order[uid] = self._added
            self._added += 1
            self._groups.setdefault((item.kind, item.source), set()).add(uid)
        self.items[uid] = item
        order = self._order[uid]
        insort(self._by_start, (item.start, order, uid))
        if item.end is not None:
            insort(self._by_end, (item.end, order, uid))
        return True

    def _drop(self, uid: str) -> None:
        item = self.items.pop(uid)
        self._unindex(item)
        del self._order[uid]
        self._groups[(item.kind, item.source)].discard(uid)

    def _unindex(self, item: CalendarItem) -> None:
        order = self._order[item.uid]
        start = (item.start, order, item.uid)
        del self._by_start[bisect_left(self._by_start, start)]
        if item.end is not None:
            end = (item.end, order, item.uid)
            del self._by_end[bisect_left(self._by_end, end)]

    def end_of(self, item: CalendarItem, now: int) -> int:
        """Return when an item ends on the calendar.

        An event "until changed" lasts until the next event of the same kind and
        source starts, or a day past ``now`` while none is known.
        """
        if item.end is not None:
            return item.end
        later = [
            other.start
            for other in self.items.values()
            if (other.kind, other.source) == (item.kind, item.source)
            and other.start > item.start
        ]
        return min(later, default=max(now, item.start) + DAY)
