"""What clients reported, kept per device and per event.

The server role records every Report Event Status and Message Confirmation.
The log keeps the latest ``per_event`` records of each (device, event) pair
and forgets the oldest pairs beyond ``max_pairs``, so it cannot grow without
bound on a long-running gateway.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Final

from .delivery import DeviceRef
from .records import Record

MAX_PAIRS: Final = 512
PER_EVENT: Final = 16


@dataclass(frozen=True)
class Received[R: Record]:
    """A record and the device endpoint that sent it."""

    device: DeviceRef
    record: R

    def as_dict(self) -> dict[str, Any]:
        """Return the sender and the record as a JSON-able dict."""
        return {**self.device.as_dict(), "record": self.record.to_dict()}


class ReceivedLog[R: Record]:
    """Records received from clients, by device and event id, oldest first."""

    def __init__(self, max_pairs: int = MAX_PAIRS, per_event: int = PER_EVENT) -> None:
        self._max_pairs = max_pairs
        self._per_event = per_event
        self._log: OrderedDict[tuple[DeviceRef, int], list[R]] = OrderedDict()

    def add(self, device: DeviceRef, event_id: int, record: R) -> None:
        """Keep ``record`` as the newest of ``device`` about ``event_id``."""
        key = (device, event_id)
        records = self._log.setdefault(key, [])
        records.append(record)
        del records[: -self._per_event]
        self._log.move_to_end(key)
        while len(self._log) > self._max_pairs:
            self._log.popitem(last=False)

    def get(
        self, event_id: int | None = None, device: DeviceRef | None = None
    ) -> list[Received[R]]:
        """Return the records about ``event_id`` from ``device`` (None: any)."""
        return [
            Received(sender, record)
            for (sender, about), records in self._log.items()
            if (event_id is None or about == event_id)
            and (device is None or sender == device)
            for record in records
        ]

    def items(self) -> list[tuple[DeviceRef, int, list[R]]]:
        """Return every (device, event id, records) entry, oldest first."""
        return [
            (device, event_id, list(records))
            for (device, event_id), records in self._log.items()
        ]
