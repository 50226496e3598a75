"""The calendar's memory: price and load control events, scheduled and past.

The engine drops events once they end; the calendar should still show them.
``EventHistory`` records every event a snapshot holds, with when it runs, and
keeps it after the engine forgets it: for ``KEEP_DAYS`` days, at most
``MAX_ITEMS`` events. An event that disappears before its end was cancelled
or withdrawn: it ends when that was noticed, or is dropped if it had not
started. The history is saved with the engine's state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any, Final

from .snapshot import EventKind, Snapshot, TimedEvent
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


class EventHistory:
    """Every price and load control event seen lately, by uid."""

    def __init__(self, items: Iterable[CalendarItem] = ()) -> None:
        self.items = {item.uid: item for item in items}

    def to_list(self) -> list[dict[str, Any]]:
        """Return the items as JSON-able dicts."""
        return [item.to_dict() for item in self.items.values()]

    @classmethod
    def from_list(cls, data: Iterable[Mapping[str, Any]]) -> EventHistory:
        """Return the history saved by ``to_list``."""
        return cls(CalendarItem.from_dict(item) for item in data)

    def update(self, snapshot: Snapshot) -> bool:
        """Record the events of ``snapshot``; return True if anything changed."""
        now = snapshot.now
        current = {event.uid: describe(event) for event in snapshot.timeline()}
        items: dict[str, CalendarItem] = {}
        for uid, item in self.items.items():
            if uid in current or (item.end is not None and item.end <= now):
                items[uid] = item
            elif item.start < now:
                items[uid] = replace(item, end=now)
        items.update(current)
        kept = sorted(
            (
                item
                for item in items.values()
                if item.end is None or item.end > now - KEEP_DAYS * DAY
            ),
            key=lambda item: item.start,
        )[-MAX_ITEMS:]
        changed = kept != list(self.items.values())
        self.items = {item.uid: item for item in kept}
        return changed

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
