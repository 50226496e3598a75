"""Background tasks the engine starts from zigpy callbacks and timers."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
import logging
from typing import Any, Final

_LOGGER: Final = logging.getLogger(__name__)


class BackgroundTasks:
    """Tasks that run on their own; failures are logged, never raised."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        """Run ``coro`` as a task and keep a reference until it ends."""
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            _LOGGER.error("Task %s failed", task.get_name(), exc_info=exc)

    async def join(self) -> None:
        """Wait until no task is left, including tasks started meanwhile."""
        while pending := [task for task in self._tasks if not task.done()]:
            await asyncio.gather(*pending, return_exceptions=True)

    def cancel(self) -> None:
        """Cancel every task."""
        for task in self._tasks:
            task.cancel()
