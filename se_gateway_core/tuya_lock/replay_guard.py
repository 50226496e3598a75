"""Bounded memories of recently seen frames and records, to drop repeats.

Tuya's lock standard (shared/seeds/004, "数据上报的要求") has a device send an
unacknowledged report again with the same ZCL Transaction Sequence Number,
more than 250 ms apart and for less than about 3 s; the 2-byte 0xEF00
sequence is in the payload, so a byte-identical retransmission keeps it too,
while each new report gets a new one.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Final

SIGHTINGS_PER_RECORD: Final = 8


class ReplayGuard:
    """Remember up to `size` keys, each for at most `max_age` seconds.

    `max_age` None keeps keys until `size` newer ones push them out.
    """

    def __init__(self, size: int, max_age: float | None = None) -> None:
        self._size = size
        self._max_age = max_age
        self._seen: OrderedDict[Hashable, float] = OrderedDict()

    def first_time(self, key: Hashable, now: float) -> bool:
        """Return True unless `key` was seen recently; remember it either way.

        Seeing a key again restarts its age, so a run of retransmissions is
        dropped for as long as it lasts.
        """
        seen_at = self._seen.get(key)
        fresh = seen_at is None or (
            self._max_age is not None and now - seen_at > self._max_age
        )
        self._seen[key] = now
        self._seen.move_to_end(key)
        if len(self._seen) > self._size:
            self._seen.popitem(last=False)
        return fresh

    def __len__(self) -> int:
        """Return the number of remembered keys."""
        return len(self._seen)


@dataclass(frozen=True, slots=True)
class _Sighting:
    seq: int
    tsn: int
    at: float


class RecordGuard:
    """Tell a record sent again from a new record with the same content.

    Two records with the same content (the lock's time, to the second, and
    the same datapoints) are one record sent again when they carry the same
    0xEF00 sequence (however late: an unacknowledged record replayed after a
    rejoin), or the same ZCL TSN within `window_s` seconds (a retransmission,
    should a module renumber its payload). Otherwise, e.g. two unlocks by one
    finger within one second, each is a new record. Up to `size` contents
    are remembered, each with its last few sightings.
    """

    def __init__(self, size: int, window_s: float) -> None:
        self._size = size
        self._window_s = window_s
        self._seen: OrderedDict[Hashable, deque[_Sighting]] = OrderedDict()

    def first_time(self, content: Hashable, *, seq: int, tsn: int, now: float) -> bool:
        """Return True for a new record; remember this sighting either way."""
        sightings = self._seen.get(content)
        if sightings is None:
            sightings = deque(maxlen=SIGHTINGS_PER_RECORD)
            self._seen[content] = sightings
        repeat = any(
            seen.seq == seq or (seen.tsn == tsn and now - seen.at <= self._window_s)
            for seen in sightings
        )
        sightings.append(_Sighting(seq, tsn, now))
        self._seen.move_to_end(content)
        if len(self._seen) > self._size:
            self._seen.popitem(last=False)
        return not repeat

    def __len__(self) -> int:
        """Return the number of remembered record contents."""
        return len(self._seen)
