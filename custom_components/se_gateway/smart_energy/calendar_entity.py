"""The calendar of price and load control events, scheduled and past.

It shows the gateway's own events and those servers sent it, from the
runtime's ``EventHistory``. An event that was cut before it started never ran
and is left out.
"""

from __future__ import annotations

from datetime import datetime
from typing import override

from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.core import HomeAssistant

from ..core.clusters.types import datetime_to_utc_time
from .entity import SmartEnergyEntity
from .history import CalendarItem
from .runtime import SmartEnergyRuntime, se_now
from .values import se_datetime


def gateway_calendars(runtime: SmartEnergyRuntime) -> list[EventCalendar]:
    """Return the calendar of the gateway's events."""
    return [EventCalendar(runtime)]


class EventCalendar(SmartEnergyEntity, CalendarEntity):
    """Price and load control events."""

    def __init__(self, runtime: SmartEnergyRuntime) -> None:
        """Create the calendar."""
        super().__init__(runtime, "events")

    def _events(self, now: int) -> list[tuple[int, int, CalendarItem]]:
        """Return (start, end, item) of the events that ran or will run."""
        history = self.runtime.history
        spans = [
            (item.start, history.end_of(item, now), item)
            for item in history.items.values()
        ]
        return sorted(
            (span for span in spans if span[1] > span[0]),
            key=lambda span: (span[0], span[1], span[2].uid),
        )

    @staticmethod
    def _calendar_event(start: int, end: int, item: CalendarItem) -> CalendarEvent:
        start_at, end_at = se_datetime(start), se_datetime(end)
        assert start_at is not None
        assert end_at is not None
        return CalendarEvent(
            start=start_at,
            end=end_at,
            summary=item.summary,
            description=item.description,
            uid=item.uid,
        )

    @property
    @override
    def event(self) -> CalendarEvent | None:
        """Return the event running now, or the next one."""
        now = se_now()
        for start, end, item in self._events(now):
            if end > now:
                return self._calendar_event(start, end, item)
        return None

    @override
    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Return the events between ``start_date`` and ``end_date``."""
        since = datetime_to_utc_time(start_date)
        until = datetime_to_utc_time(end_date)
        return [
            self._calendar_event(start, end, item)
            for start, end, item in self._events(se_now())
            if start < until and end > since
        ]
