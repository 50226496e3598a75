"""Where a table keeps its events: by id, indexed by start and by end.

``EventTable`` stores ``TableEntry`` objects (a record, when it was stored, and
how it was cut short) and answers by time without a pass over every entry:
storing, removing and expiring cost a binary search, the read-only queries
(``TableView``) look at the entries that have started or at the first
boundary after ``now``, and iterating follows start time, then the order of
storing. Each change is noted for ``changed_since``, so a reader can follow
the changes instead of reading everything again. ``tables`` gives the entries
their meaning.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final, Protocol

from zigpy.zcl.foundation import Status

from .records import UNTIL_CHANGED


class TimedRecord(Protocol):
    """A record with an id, a start time and a duration."""

    @property
    def event_id(self) -> int:
        """Return the id, unique within a table."""
        ...

    @property
    def start_time(self) -> int:
        """Return the start time; 0 is "when stored"."""
        ...

    @property
    def duration_in_minutes(self) -> int:
        """Return the duration; 0xFFFF is "until changed"."""
        ...

    def to_dict(self) -> dict[str, Any]:
        """Return the record as a JSON-able dict."""
        ...


@dataclass(kw_only=True)
class TableEntry[R: TimedRecord]:
    """A stored event: its record, when it was stored, and an early end."""

    record: R
    created_at: int
    cut_at: int | None = None

    @property
    def event_id(self) -> int:
        """Return the record's id."""
        return self.record.event_id

    @property
    def starts_now(self) -> bool:
        """Return True if the record's start time is 0 ("now")."""
        return self.record.start_time == 0

    @property
    def start(self) -> int:
        """Return the SE time the event starts."""
        return self.record.start_time or self.created_at

    @property
    def scheduled_end(self) -> int | None:
        """Return when the record says the event ends; None is "until changed"."""
        if self.record.duration_in_minutes == UNTIL_CHANGED:
            return None
        return self.start + 60 * self.record.duration_in_minutes

    @property
    def end(self) -> int | None:
        """Return when the event ends, cut short or not; None is never."""
        return _earliest(self.scheduled_end, self.cut_time)

    @property
    def cut_time(self) -> int | None:
        """Return when the event was cut short, if it was."""
        return self.cut_at

    def has_started(self, now: int) -> bool:
        """Return True once the event has started."""
        return self.start <= now

    def has_ended(self, now: int) -> bool:
        """Return True once the event has ended."""
        end = self.end
        return end is not None and end <= now

    def remaining_minutes(self, now: int) -> int:
        """Return the whole minutes left from ``now`` (rounded up), or 0xFFFF."""
        end = self.end
        if end is None:
            return UNTIL_CHANGED
        return max(0, -((now - end) // 60))


def _earliest(*times: int | None) -> int | None:
    known = [time for time in times if time is not None]
    return min(known) if known else None


class TableView[E](Protocol):
    """What may be read of a table; nothing here changes it.

    ``now`` is the caller's: entries that have ended by then are skipped, not
    dropped. ``revision`` counts the table's changes; ``changed_since`` names
    the events changed (stored, cut or removed) after a revision, or returns
    None when the table no longer remembers that far back.
    """

    def __len__(self) -> int:
        """Return how many entries are stored."""
        ...

    def __iter__(self) -> Iterator[E]:
        """Iterate over the entries by start time, then by order of storing."""
        ...

    def get(self, event_id: int) -> E | None:
        """Return the entry of ``event_id``, if stored."""
        ...

    def running(self, now: int) -> list[E]:
        """Return the entries that have started and not ended at ``now``."""
        ...

    def next_boundary(self, now: int) -> int | None:
        """Return the next start or end of a stored entry after ``now``."""
        ...

    @property
    def revision(self) -> int:
        """Return the number of changes so far."""
        ...

    def changed_since(self, revision: int) -> list[int] | None:
        """Return the ids changed after ``revision``; None if forgotten."""
        ...


# Ids of changes a table remembers beyond its entries (removed events).
REMEMBERED_REMOVALS: Final = 256
# Sorts after every (time, order, id) key of the same time.
_AFTER: Final = (1 << 63, 1 << 63)


class EventTable[E: TableEntry[Any]]:
    """Stored events by id, indexed by start and by end.

    Storing, removing and expiring cost a binary search, not a pass over every
    entry, and the read-only queries (``TableView``) look only at the entries
    that have started or at the first boundary after ``now``. Each change is
    noted for ``changed_since``.
    """

    def __init__(self) -> None:
        self._entries: dict[int, E] = {}
        self._order: dict[int, int] = {}
        self._stored = 0
        self._by_start: list[tuple[int, int, int]] = []
        self._by_end: list[tuple[int, int, int]] = []
        self._ends: dict[int, int] = {}
        self._revision = 0
        self._changes: dict[int, int] = {}
        self._forgotten = 0

    def __contains__(self, event_id: int) -> bool:
        return event_id in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[E]:
        """Iterate over the entries by start time, then by order of storing."""
        entries = self._entries
        return iter([entries[event_id] for _, _, event_id in self._by_start])

    def get(self, event_id: int) -> E | None:
        """Return the entry of ``event_id``, if stored."""
        return self._entries.get(event_id)

    def newest(self) -> E | None:
        """Return the entry stored last."""
        return next(reversed(self._entries.values()), None)

    # --- Changes ----------------------------------------------------------------

    def store(self, entry: E, now: int) -> Status:
        """Store ``entry``: SUCCESS, or DUPLICATE_EXISTS, or INVALID_FIELD."""
        self.expire(now)
        if entry.event_id in self._entries:
            return Status.DUPLICATE_EXISTS
        if entry.has_ended(now):
            return Status.INVALID_FIELD
        self.put(entry)
        return Status.SUCCESS

    def put(self, entry: E) -> None:
        """Store ``entry`` as is (for restoring a saved table)."""
        event_id = entry.event_id
        if event_id in self._entries:
            self._unindex(event_id)
        else:
            self._order[event_id] = self._stored
            self._stored += 1
        self._entries[event_id] = entry
        insort(self._by_start, (entry.start, self._order[event_id], event_id))
        self._index_end(entry)
        self._changed(event_id)

    def remove(self, event_id: int) -> E | None:
        """Remove and return the entry of ``event_id``."""
        if event_id not in self._entries:
            return None
        self._unindex(event_id)
        del self._order[event_id]
        self._changed(event_id)
        return self._entries.pop(event_id)

    def clear(self) -> list[E]:
        """Remove and return every entry."""
        entries = list(self)
        for entry in entries:
            self._changed(entry.event_id)
        self._entries.clear()
        self._order.clear()
        self._by_start.clear()
        self._by_end.clear()
        self._ends.clear()
        return entries

    def expire(self, now: int) -> None:
        """Drop the entries that have ended."""
        ended = bisect_right(self._by_end, (now, *_AFTER))
        for _, _, event_id in self._by_end[:ended]:
            entry = self._entries.pop(event_id)
            del self._ends[event_id]
            key = (entry.start, self._order.pop(event_id), event_id)
            del self._by_start[bisect_left(self._by_start, key)]
            self._changed(event_id)
        del self._by_end[:ended]

    def reindexed(self, entry: E) -> None:
        """Note that ``entry``'s end moved (a load control event was cut)."""
        event_id = entry.event_id
        if (old := self._ends.pop(event_id, None)) is not None:
            key = (old, self._order[event_id], event_id)
            del self._by_end[bisect_left(self._by_end, key)]
        self._index_end(entry)
        self._changed(entry.event_id)

    def _index_end(self, entry: E) -> None:
        end = entry.end
        if end is not None:
            self._ends[entry.event_id] = end
            insort(self._by_end, (end, self._order[entry.event_id], entry.event_id))

    def _unindex(self, event_id: int) -> None:
        order = self._order[event_id]
        entry = self._entries[event_id]
        del self._by_start[bisect_left(self._by_start, (entry.start, order, event_id))]
        if (end := self._ends.pop(event_id, None)) is not None:
            del self._by_end[bisect_left(self._by_end, (end, order, event_id))]

    def _changed(self, event_id: int) -> None:
        self._revision += 1
        self._changes.pop(event_id, None)
        self._changes[event_id] = self._revision
        while len(self._changes) > len(self._entries) + REMEMBERED_REMOVALS:
            oldest = next(iter(self._changes))
            self._forgotten = self._changes.pop(oldest)

    # --- Reading ----------------------------------------------------------------

    def upcoming(self, now: int, start_time: int = 0, count: int = 0) -> list[E]:
        """Return events ending after ``start_time`` (0: now), ``count`` (0: all)."""
        self.expire(now)
        since = start_time or now
        entries = [entry for entry in self if entry.end is None or entry.end > since]
        return entries[:count] if count else entries

    def running(self, now: int) -> list[E]:
        """Return the entries that have started and not ended at ``now``."""
        started = self._by_start[: bisect_right(self._by_start, (now, *_AFTER))]
        entries = (self._entries[event_id] for _, _, event_id in started)
        return [entry for entry in entries if not entry.has_ended(now)]

    def next_boundary(self, now: int) -> int | None:
        """Return the next start or end of a stored entry after ``now``."""
        times = [
            index[position][0]
            for index in (self._by_start, self._by_end)
            if (position := bisect_right(index, (now, *_AFTER))) < len(index)
        ]
        return min(times, default=None)

    @property
    def revision(self) -> int:
        """Return the number of changes so far."""
        return self._revision

    def changed_since(self, revision: int) -> list[int] | None:
        """Return the ids changed after ``revision``; None if forgotten."""
        if revision < self._forgotten:
            return None
        changed: list[int] = []
        for event_id, changed_at in reversed(self._changes.items()):
            if changed_at <= revision:
                break
            changed.append(event_id)
        return changed
