"""The load control client's event list: when to report which status.

This is the state machine of a DRLC client (the gateway as the manual's aux
gateway), as SE 075356r15 D.2 and Silicon Labs' certified client read it:

- An accepted event is reported "received" (0x01) at once, "started" (0x02)
  at its start plus the start randomization, and "completed" (0x03) at its end
  plus the end randomization. Randomization applies only when the event's
  Event Control asks for it, up to the client's Start/Duration Randomization
  Minutes.
- A user who opts out of an event that has not started is reported "opted
  out" (0x04) when it would start; opting out of or in to a running event is
  reported at once (0x04 / 0x05) and makes the event end "partially
  completed" (0x08 / 0x09). An event the user sat out ends 0x0A.
- A newer event overlapping in time and device class supersedes an event:
  at once if that has not started, else when the newer one starts. The
  superseded event is reported 0x07.
- A cancel ends the event at its effective time (0: now), plus the event's end
  randomization when cancel control bit 0 asks for it, and is reported
  cancelled (0x06). An effective time after the event's end is rejected 0xF9.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from ..clusters.types import EventControl, EventStatus
from .records import DrlcEvent

RANDOMIZE_START: Final = int(EventControl.Randomize_Start_Time)
RANDOMIZE_END: Final = int(EventControl.Randomize_End_Time)
CANCEL_WITH_RANDOMIZATION: Final = 0x01


@dataclass(kw_only=True)
class ClientDrlcEntry:
    """A load control event the client holds, and where it stands."""

    record: DrlcEvent
    received_at: int
    start_delay: int = 0
    end_delay: int = 0
    started: bool = False
    opted_out: bool = False
    partial: bool = False
    cancel_at: int | None = None
    superseded_at: int | None = None

    @property
    def event_id(self) -> int:
        """Return the issuer event id."""
        return self.record.issuer_event_id

    @property
    def scheduled_start(self) -> int:
        """Return the start the event gives (0 is when it was received)."""
        return self.record.start_time or self.received_at

    @property
    def scheduled_end(self) -> int:
        """Return the end the event gives, without randomization."""
        return self.scheduled_start + 60 * self.record.duration_in_minutes

    @property
    def start(self) -> int:
        """Return when the event starts here, randomization included."""
        return self.scheduled_start + self.start_delay

    @property
    def end(self) -> int:
        """Return when the event ends here, randomization included."""
        return self.scheduled_end + self.end_delay

    def stops_at(self) -> int:
        """Return when the event stops: superseded, cancelled or completed."""
        return min(
            time
            for time in (self.superseded_at, self.cancel_at, self.end)
            if time is not None
        )

    def next_change(self) -> int:
        """Return the time of the event's next status report."""
        return self.stops_at() if self.started else min(self.start, self.stops_at())

    def completion_status(self) -> EventStatus:
        """Return the status the event ends with, from the user's choices."""
        if self.partial:
            return (
                EventStatus.Event_Partially_Completed_With_User_Opt_Out
                if self.opted_out
                else EventStatus.Event_Partially_Completed_Due_To_User_Opt_In
            )
        return (
            EventStatus.Event_Completed_No_User_Participation
            if self.opted_out
            else EventStatus.Event_Completed
        )

    def overlaps(self, other: ClientDrlcEntry) -> bool:
        """Return True if two events share time and a device class."""
        return bool(
            self.record.device_class & other.record.device_class
            and self.start < other.stops_at()
            and other.start < self.stops_at()
        )

    def cancel(self, effective_time: int, cancel_control: int, now: int) -> bool:
        """Schedule the cancel; return False if the effective time is invalid."""
        if effective_time > self.scheduled_end:
            return False
        randomization = (
            self.end_delay if cancel_control & CANCEL_WITH_RANDOMIZATION else 0
        )
        self.cancel_at = max(now, effective_time or now) + randomization
        return True


def supersede(entries: list[ClientDrlcEntry], newer: ClientDrlcEntry, now: int) -> None:
    """Mark the events ``newer`` supersedes."""
    for older in entries:
        if older.superseded_at is None and older.overlaps(newer):
            older.superseded_at = max(now, newer.start) if older.started else now


def due_reports(
    entries: list[ClientDrlcEntry], now: int
) -> tuple[list[tuple[ClientDrlcEntry, EventStatus]], list[ClientDrlcEntry]]:
    """Return the reports due at ``now``, and the events still held after them.

    Events that stop are reported before events that start, so a superseded
    event is reported before the event that superseded it starts.
    """
    reports: list[tuple[ClientDrlcEntry, EventStatus]] = []
    held: list[ClientDrlcEntry] = []
    for entry in sorted(entries, key=lambda entry: (entry.start, entry.event_id)):
        if entry.superseded_at is not None and entry.superseded_at <= now:
            reports.append((entry, EventStatus.Event_Superseded))
        elif entry.cancel_at is not None and entry.cancel_at <= now:
            reports.append((entry, EventStatus.Event_Cancelled))
        elif entry.started and entry.end <= now:
            reports.append((entry, entry.completion_status()))
        else:
            held.append(entry)
    still_held: list[ClientDrlcEntry] = []
    for entry in held:
        if not entry.started and entry.start <= now:
            entry.started = True
            reports.append(
                (
                    entry,
                    EventStatus.User_Opted_Out
                    if entry.opted_out
                    else EventStatus.Event_Started,
                )
            )
            if entry.end <= now:
                reports.append((entry, entry.completion_status()))
                continue
        still_held.append(entry)
    return reports, still_held
