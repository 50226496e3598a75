"""Timers at SE UTC times, for the client role's status reports.

``LoopScheduler`` runs them on the asyncio loop; ``ManualScheduler`` runs them
when told to advance its ``ManualClock``, so tests step through time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
import heapq
import itertools
from typing import Protocol

from .clock import Clock, ManualClock
from .tasks import BackgroundTasks

type TimerCallback = Callable[[], Awaitable[None]]


class Timer(Protocol):
    """A scheduled call that can be called off."""

    def cancel(self) -> None:
        """Call off the timer; nothing happens if it already ran."""
        ...


class Scheduler(Protocol):
    """Runs a coroutine function at an SE UTC time."""

    def call_at(self, when: int, callback: TimerCallback) -> Timer:
        """Call ``callback`` at ``when``, or at once if that has passed."""
        ...


class LoopScheduler:
    """Timers on the running asyncio loop, measured by a ``Clock``."""

    def __init__(self, clock: Clock, tasks: BackgroundTasks) -> None:
        self._clock = clock
        self._tasks = tasks

    def call_at(self, when: int, callback: TimerCallback) -> Timer:
        """Call ``callback`` at ``when``, or at once if that has passed."""
        delay = max(0, when - self._clock.now())
        return asyncio.get_running_loop().call_later(
            delay, self._start, callback, f"se_gateway timer at {when}"
        )

    def _start(self, callback: TimerCallback, name: str) -> None:
        self._tasks.spawn(_run(callback), name)


async def _run(callback: TimerCallback) -> None:
    await callback()


@dataclass(order=True)
class _ManualTimer:
    when: int
    order: int
    callback: TimerCallback = field(compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class ManualScheduler:
    """Timers that run only when ``advance`` moves its clock past them."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self._timers: list[_ManualTimer] = []
        self._order = itertools.count()

    def call_at(self, when: int, callback: TimerCallback) -> Timer:
        """Call ``callback`` when the clock reaches ``when``."""
        timer = _ManualTimer(when, next(self._order), callback)
        heapq.heappush(self._timers, timer)
        return timer

    @property
    def pending(self) -> int:
        """Return how many timers wait to run."""
        return sum(not timer.cancelled for timer in self._timers)

    async def advance(self, seconds: int = 0) -> None:
        """Move the clock ``seconds`` on, running due timers in time order."""
        target = self.clock.now() + seconds
        while self._timers and self._timers[0].when <= target:
            timer = heapq.heappop(self._timers)
            if timer.cancelled:
                continue
            self.clock.set(timer.when)
            await timer.callback()
        self.clock.set(target)
