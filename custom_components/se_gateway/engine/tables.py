"""Event tables with the manual's and Smart Energy 1.x's semantics.

Rules common to the price, load control and message tables:

- A start time of 0 means "now": the event starts when the table stores it.
- An event ends ``duration_in_minutes`` after it starts; a price or message
  lasting 0xFFFF minutes lasts "until changed" and never ends by itself.
- Ended events are dropped; an event that has ended before it is stored is
  refused with INVALID_FIELD (0x85).
- Ids are unique: storing a known id is refused with DUPLICATE_EXISTS (0x8A).
- ``upcoming(now, start_time, count)`` answers the Get Scheduled requests: the
  events that end after ``start_time`` (0 is now), by start time, at most
  ``count`` of them (0 is all).

Load control events (SE 075356r15 D.2, as Silicon Labs' certified stack
reads it):

- Supersede: a new event supersedes a stored one when they overlap in time,
  share a device class bit and share an enrollment group (0 is every group).
  The stored event is cut for the shared classes only: at once if it has not
  started, or when the new event starts if it is running. A cut event is sent
  with the device classes it keeps; it is gone once no class is left.
- Cancel: takes effect at ``effective_time`` (0 is now) for the classes of the
  cancel. An effective time after the event's end is INVALID_FIELD (the
  client's 0xF9); an unknown event is NOT_FOUND. Cancel control bit 0 asks
  each client to end a running event with the end randomization of the
  original event, so a client may keep shedding up to its
  DurationRandomizationMinutes after the effective time. The server cannot know
  that delay and must never send the event again, so its table ends the event
  at the effective time in both cases; the client role applies the delay.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final, Protocol

from zigpy.zcl.foundation import Status

from .records import (
    ALL_ENROLLMENT_GROUPS,
    UNTIL_CHANGED,
    CancelDrlcEvent,
    DrlcEvent,
    MessageEvent,
    PriceEvent,
)

ALL_CLASS_BITS: Final = 0xFFFF


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


class EventTable[E: TableEntry[Any]]:
    """Stored events by id."""

    def __init__(self) -> None:
        self._entries: dict[int, E] = {}

    def __contains__(self, event_id: int) -> bool:
        return event_id in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[E]:
        """Iterate over the entries by start time, then by order of storing."""
        order = {event_id: index for index, event_id in enumerate(self._entries)}
        return iter(
            sorted(
                self._entries.values(),
                key=lambda entry: (entry.start, order[entry.event_id]),
            )
        )

    def get(self, event_id: int) -> E | None:
        """Return the entry of ``event_id``, if stored."""
        return self._entries.get(event_id)

    def newest(self) -> E | None:
        """Return the entry stored last."""
        return next(reversed(self._entries.values()), None)

    def store(self, entry: E, now: int) -> Status:
        """Store ``entry``: SUCCESS, or DUPLICATE_EXISTS, or INVALID_FIELD."""
        self.expire(now)
        if entry.event_id in self._entries:
            return Status.DUPLICATE_EXISTS
        if entry.has_ended(now):
            return Status.INVALID_FIELD
        self._entries[entry.event_id] = entry
        return Status.SUCCESS

    def put(self, entry: E) -> None:
        """Store ``entry`` as is (for restoring a saved table)."""
        self._entries[entry.event_id] = entry

    def remove(self, event_id: int) -> E | None:
        """Remove and return the entry of ``event_id``."""
        return self._entries.pop(event_id, None)

    def clear(self) -> list[E]:
        """Remove and return every entry."""
        entries = list(self)
        self._entries.clear()
        return entries

    def expire(self, now: int) -> None:
        """Drop the entries that have ended."""
        for entry in list(self._entries.values()):
            if entry.has_ended(now):
                del self._entries[entry.event_id]

    def upcoming(self, now: int, start_time: int = 0, count: int = 0) -> list[E]:
        """Return events ending after ``start_time`` (0: now), ``count`` (0: all)."""
        self.expire(now)
        since = start_time or now
        entries = [entry for entry in self if entry.end is None or entry.end > since]
        return entries[:count] if count else entries


# --- Price ------------------------------------------------------------------

type PriceEntry = TableEntry[PriceEvent]


class PriceTable(EventTable[PriceEntry]):
    """Prices by issuer event id."""

    def add(self, record: PriceEvent, now: int) -> Status:
        """Store a new price."""
        return self.store(TableEntry(record=record, created_at=now), now)

    def active(self, now: int) -> PriceEntry | None:
        """Return the price in force: of those running, the newest issuer id."""
        running = [entry for entry in self.upcoming(now) if entry.has_started(now)]
        return max(running, key=lambda entry: entry.event_id, default=None)


# --- Messaging ------------------------------------------------------------------

type MessageEntry = TableEntry[MessageEvent]


class MessageTable(EventTable[MessageEntry]):
    """Messages by message id."""

    def add(self, record: MessageEvent, now: int) -> Status:
        """Store a new message."""
        return self.store(TableEntry(record=record, created_at=now), now)

    def last(self, now: int) -> MessageEntry | None:
        """Return the message stored last that has not ended."""
        self.expire(now)
        return self.newest()


# --- Demand Response and Load Control ----------------------------------------


class CutReason(StrEnum):
    """Why a load control event stops early for some device classes."""

    SUPERSEDED = "superseded"
    CANCELLED = "cancelled"


@dataclass(frozen=True, kw_only=True)
class Cut:
    """From ``at`` on, the event no longer applies to ``device_class``."""

    device_class: int
    at: int
    reason: CutReason
    by: int | None = None


@dataclass(kw_only=True)
class DrlcEntry(TableEntry[DrlcEvent]):
    """A stored load control event and the device classes cut from it."""

    cuts: list[Cut] = field(default_factory=list)

    @property
    def cut_time(self) -> int | None:
        """Return when the cuts have taken every device class of the event."""
        removed = 0
        for cut in sorted(self.cuts, key=lambda cut: cut.at):
            removed |= cut.device_class
            if self.record.device_class & ~removed == 0:
                return cut.at
        return None

    def device_class_at(self, now: int) -> int:
        """Return the device classes the event still applies to at ``now``."""
        removed = 0
        for cut in self.cuts:
            if cut.at <= now:
                removed |= cut.device_class
        return self.record.device_class & ~removed

    def classes_left(self) -> int:
        """Return the device classes no cut, present or future, has taken."""
        removed = 0
        for cut in self.cuts:
            removed |= cut.device_class
        return self.record.device_class & ~removed


def groups_overlap(group: int, other: int) -> bool:
    """Return True if two utility enrollment groups share devices (0 is all)."""
    return ALL_ENROLLMENT_GROUPS in (group, other) or group == other


def drlc_addresses(
    device_class: int,
    enrollment_group: int,
    client_device_class: int | None,
    client_enrollment_group: int | None,
) -> bool:
    """Return True if an event for these classes and group addresses a client.

    The client's attributes are None when unknown, which matches. A device
    class must share a bit; the groups must match or either be 0 (as Silicon
    Labs' load control client checks them).
    """
    if client_device_class is not None and not device_class & client_device_class:
        return False
    return client_enrollment_group is None or groups_overlap(
        enrollment_group, client_enrollment_group
    )


def _overlap(entry: TableEntry[Any], other: TableEntry[Any]) -> bool:
    """Return True if two events share some time."""
    entry_end, other_end = entry.end, other.end
    return (other_end is None or entry.start < other_end) and (
        entry_end is None or other.start < entry_end
    )


class DrlcTable(EventTable[DrlcEntry]):
    """Load control events by issuer event id, with supersede and cancel."""

    def add(self, record: DrlcEvent, now: int) -> tuple[Status, list[int]]:
        """Store a new event; return the status and the ids it superseded."""
        entry = DrlcEntry(record=record, created_at=now)
        self.expire(now)
        if record.issuer_event_id in self:
            return Status.DUPLICATE_EXISTS, []
        if entry.has_ended(now):
            return Status.INVALID_FIELD, []
        superseded = [
            older.event_id for older in self if self._supersede(older, entry, now)
        ]
        self.put(entry)
        return Status.SUCCESS, superseded

    @staticmethod
    def _supersede(older: DrlcEntry, newer: DrlcEntry, now: int) -> bool:
        """Cut ``older`` for the classes ``newer`` takes over; True if it did."""
        shared = older.classes_left() & newer.record.device_class
        if not (
            shared
            and groups_overlap(
                older.record.utility_enrollment_group,
                newer.record.utility_enrollment_group,
            )
            and _overlap(older, newer)
        ):
            return False
        at = max(now, newer.start) if older.has_started(now) else now
        older.cuts.append(
            Cut(
                device_class=shared,
                at=at,
                reason=CutReason.SUPERSEDED,
                by=newer.event_id,
            )
        )
        return True

    def cancel(self, record: CancelDrlcEvent, now: int) -> Status:
        """Cancel one event for the cancel's device classes."""
        self.expire(now)
        entry = self.get(record.issuer_event_id)
        if entry is None:
            return Status.NOT_FOUND
        classes = entry.device_class_at(now) & record.device_class
        if not classes:
            return Status.NOT_FOUND
        effective = record.effective_time or now
        end = entry.end
        if end is not None and effective > end:
            return Status.INVALID_FIELD
        entry.cuts.append(
            Cut(
                device_class=classes,
                at=max(now, effective),
                reason=CutReason.CANCELLED,
            )
        )
        self.expire(now)
        return Status.SUCCESS

    def cancel_all(self, now: int) -> list[int]:
        """Cancel every event at once; return their ids."""
        entries = self.upcoming(now)
        for entry in entries:
            entry.cuts.append(
                Cut(device_class=ALL_CLASS_BITS, at=now, reason=CutReason.CANCELLED)
            )
        self.expire(now)
        return [entry.event_id for entry in entries]
