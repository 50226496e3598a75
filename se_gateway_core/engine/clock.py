"""Clocks that tell SE UTC time: whole seconds since 2000-01-01 00:00 UTC.

The engine asks a ``Clock`` for the time and never reads the system clock
itself, so tests and simulations can move time by hand.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from ..clusters.types import datetime_to_utc_time, utc_time_to_datetime

__all__ = [
    "Clock",
    "ManualClock",
    "SystemClock",
    "datetime_to_utc_time",
    "utc_time_to_datetime",
]


class Clock(Protocol):
    """Source of the current SE UTC time."""

    def now(self) -> int:
        """Return the current SE UTC time."""
        ...


class SystemClock:
    """The host's clock."""

    def now(self) -> int:
        """Return the current SE UTC time."""
        return datetime_to_utc_time(datetime.now(UTC))


class ManualClock:
    """A clock that only moves when told to."""

    def __init__(self, now: int) -> None:
        self._now = now

    def now(self) -> int:
        """Return the time the clock was set to."""
        return self._now

    def set(self, now: int) -> None:
        """Move the clock to ``now``; it never goes back."""
        self._now = max(self._now, now)
