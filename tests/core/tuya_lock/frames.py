"""What a lock sends, encoded for the tests (the product only decodes it)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from custom_components.se_gateway.core.tuya_lock.datapoints import (
    Datapoint,
    encode_datapoints,
)


def record(
    seq: int, when: datetime | None, datapoints: Iterable[Datapoint], flag: int = 1
) -> bytes:
    """A 0x23 payload: seq, flag, GMT seconds (0 for None), datapoints."""
    seconds = 0 if when is None else int(when.timestamp())
    return (
        seq.to_bytes(2)
        + bytes((flag,))
        + seconds.to_bytes(4)
        + encode_datapoints(datapoints)
    )


def report(seq: int, datapoints: Iterable[Datapoint]) -> bytes:
    """A 0x01/0x02 payload."""
    return seq.to_bytes(2) + encode_datapoints(datapoints)
