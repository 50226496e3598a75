"""The ``inactivity_failed_transmissions`` setting: clients that stop answering.

The manual's gateway counts a client as inactive once that many transmissions
to it failed in a row. ``FailedTransmissions`` follows the result of every
fan-out: a device that got nothing counts one more failure, a device that got
the events starts again from zero. An inactive device is skipped in fan-outs
until a frame from it arrives (``heard_from``). Any device that missed a
delivery (one failure is enough, inactive or not) gets the active events
again when a frame from it next arrives, whether or not it rejoined.

The counts are kept with the Smart Energy state (``to_dict`` / ``restore``),
so a device that was inactive before a restart stays inactive until it is
heard from, and one that missed some transmissions keeps counting.
"""

from __future__ import annotations

from collections.abc import Callable

import zigpy.types as t

from ..core.engine import SendResult


def _nothing() -> None:
    """Take a change nobody follows."""


class FailedTransmissions:
    """Failed transmissions in a row, per device."""

    def __init__(
        self, limit: Callable[[], int], on_change: Callable[[], None] = _nothing
    ) -> None:
        """Count a device inactive after ``limit()`` failures in a row.

        ``on_change`` is called after every change of a count.
        """
        self._limit = limit
        self._on_change = on_change
        self._failures: dict[t.EUI64, int] = {}

    def record(self, result: SendResult) -> None:
        """Count the devices a fan-out did not reach; reset those it reached."""
        reached = {t.EUI64.convert(device.ieee) for device in result.device_list}
        failed = {t.EUI64.convert(device.ieee) for device in result.errors} - reached
        changed = False
        for ieee in reached:
            changed |= self._failures.pop(ieee, None) is not None
        for ieee in failed:
            self._failures[ieee] = self._failures.get(ieee, 0) + 1
            changed = True
        if changed:
            self._on_change()

    def is_inactive(self, ieee: t.EUI64) -> bool:
        """Return True if the last ``limit()`` transmissions to ``ieee`` failed."""
        return self._failures.get(ieee, 0) >= self._limit()

    def heard_from(self, ieee: t.EUI64) -> bool:
        """Start ``ieee`` again from zero; return True if it missed a delivery."""
        if self._failures.pop(ieee, None) is None:
            return False
        self._on_change()
        return True

    def to_dict(self) -> dict[str, int]:
        """Return the counts for storage, by IEEE address."""
        return {str(ieee): count for ieee, count in self._failures.items()}

    def restore(self, data: object, dropped: list[str]) -> None:
        """Take the counts ``to_dict`` returned; describe bad ones in ``dropped``."""
        self._failures = {}
        if data is None:
            return
        if not isinstance(data, dict):
            dropped.append("the failed transmission counts (not an object)")
            return
        for address, count in data.items():
            try:
                ieee = t.EUI64.convert(address)
            except TypeError, ValueError:
                ieee = None
            if (
                ieee is None
                or not isinstance(count, int)
                or isinstance(count, bool)
                or count < 1
            ):
                dropped.append(f"failed transmission count of {address!r}")
                continue
            self._failures[ieee] = count
