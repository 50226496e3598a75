"""A bounded memory of recently seen frames, to drop retransmissions."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable


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
