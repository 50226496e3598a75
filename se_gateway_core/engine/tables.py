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

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final, Protocol

from zigpy.zcl.foundation import Status

from .event_table import (
    REMEMBERED_REMOVALS,
    EventTable,
    TableEntry,
    TableView,
    TimedRecord,
)
from .records import (
    ALL_ENROLLMENT_GROUPS,
    CancelDrlcEvent,
    DrlcEvent,
    MessageEvent,
    PriceEvent,
)

__all__ = [
    "ALL_CLASS_BITS",
    "REMEMBERED_REMOVALS",
    "Cut",
    "CutReason",
    "DrlcEntry",
    "DrlcTable",
    "EventTable",
    "MessageEntry",
    "MessageTable",
    "PriceEntry",
    "PriceTable",
    "PriceTableView",
    "TableEntry",
    "TableView",
    "TimedRecord",
    "drlc_addresses",
    "groups_overlap",
]

ALL_CLASS_BITS: Final = 0xFFFF


# --- Price ------------------------------------------------------------------

type PriceEntry = TableEntry[PriceEvent]


class PriceTable(EventTable[PriceEntry]):
    """Prices by issuer event id."""

    def add(self, record: PriceEvent, now: int) -> Status:
        """Store a new price."""
        return self.store(TableEntry(record=record, created_at=now), now)

    def active(self, now: int) -> PriceEntry | None:
        """Return the price in force: of those running, the newest issuer id."""
        return max(self.running(now), key=lambda entry: entry.event_id, default=None)


class PriceTableView(TableView[PriceEntry], Protocol):
    """What may be read of a price table."""

    def active(self, now: int) -> PriceEntry | None:
        """Return the price in force: of those running, the newest issuer id."""
        ...


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

    def _cut(self, entry: DrlcEntry, cut: Cut) -> None:
        entry.cuts.append(cut)
        self.reindexed(entry)

    def _supersede(self, older: DrlcEntry, newer: DrlcEntry, now: int) -> bool:
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
        self._cut(
            older,
            Cut(
                device_class=shared,
                at=at,
                reason=CutReason.SUPERSEDED,
                by=newer.event_id,
            ),
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
        self._cut(
            entry,
            Cut(
                device_class=classes,
                at=max(now, effective),
                reason=CutReason.CANCELLED,
            ),
        )
        self.expire(now)
        return Status.SUCCESS

    def cancel_all(self, now: int) -> list[int]:
        """Cancel every event at once; return their ids."""
        entries = self.upcoming(now)
        for entry in entries:
            self._cut(
                entry,
                Cut(device_class=ALL_CLASS_BITS, at=now, reason=CutReason.CANCELLED),
            )
        self.expire(now)
        return [entry.event_id for entry in entries]
