"""The ``inactivity_failed_transmissions`` setting: clients that stop answering.

The manual's gateway counts a client as inactive once that many transmissions
to it failed in a row. ``FailedTransmissions`` follows the result of every
fan-out: a device that got nothing counts one more failure, a device that got
the events starts again from zero. An inactive device is skipped in fan-outs
until a frame from it arrives (``heard_from``); the runtime then sends it the
active events again.
"""

from __future__ import annotations

from collections.abc import Callable

import zigpy.types as t

from ..core.engine import SendResult


class FailedTransmissions:
    """Failed transmissions in a row, per device."""

    def __init__(self, limit: Callable[[], int]) -> None:
        """Count a device inactive after ``limit()`` failures in a row."""
        self._limit = limit
        self._failures: dict[t.EUI64, int] = {}

    def record(self, result: SendResult) -> None:
        """Count the devices a fan-out did not reach; reset those it reached."""
        reached = {t.EUI64.convert(device.ieee) for device in result.device_list}
        failed = {t.EUI64.convert(device.ieee) for device in result.errors} - reached
        for ieee in reached:
            self._failures.pop(ieee, None)
        for ieee in failed:
            self._failures[ieee] = self._failures.get(ieee, 0) + 1

    def is_inactive(self, ieee: t.EUI64) -> bool:
        """Return True if the last ``limit()`` transmissions to ``ieee`` failed."""
        return self._failures.get(ieee, 0) >= self._limit()

    def heard_from(self, ieee: t.EUI64) -> bool:
        """Start ``ieee`` again from zero; return True if it was inactive."""
        was_inactive = self.is_inactive(ieee)
        self._failures.pop(ieee, None)
        return was_inactive
