"""Which remote unlock request a result (DP 22, DP 49) answers.

Without this, any result arriving after a send would count, so a late answer
to an earlier request that timed out could be taken as the answer to the
current one, and report success for an unlock that did not happen now.

What a result says about its request:

- Answered in a data response (0x01), it carries the 2-byte 0xEF00 sequence
  of the gateway's data request (0x00): the standard's 0x01 is the MCU's
  answer to a data request, the module maps the MCU's serial answer (same
  serial seq as the command, as a ``_TYST12_srptwvak`` capture shows:
  EDIT-Aeterna/tuya-zigbee-lock-local, tests/fixtures/target_srptwvak/
  remote_unlock/) back to that sequence. The standard's frame images are not
  public, so the echo itself is assumed; the simulated lock does it.
- Sent as a report (0x02) or record, it carries the lock's own sequence, not
  the request's. The MCU handles one serial command at a time and answers in
  order, so such a result answers the oldest request still unanswered.
- A DP 49 answer carries the key id, which must be the request's.

A request the caller gave up on (timed out) stays unanswered for
`late_window_s`, so that its late result is recognised and dropped rather
than taken for a newer request's. A result that answers no request is stale.
Fail-safe: a result is never taken for a request it does not provably (by
seq) or in order (by report) answer; if a lock never answers a request, a
reported result within the window goes to that request, and the newer one
times out instead of succeeding.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Final

from .events import RemoteUnlockResult

LATE_WINDOW_S: Final = 60.0


@dataclass(frozen=True, slots=True)
class UnlockRequest:
    """A remote unlock the gateway sent: its seq and, for DP 49, its key id."""

    seq: int
    key_id: int | None
    sent_at: float


class UnlockResultMatcher:
    """Pair remote unlock results with the requests they answer (HA-free)."""

    def __init__(self, late_window_s: float = LATE_WINDOW_S) -> None:
        """Start with no request outstanding."""
        self._late_window_s = late_window_s
        self._pending: deque[UnlockRequest] = deque()

    def sent(self, seq: int, key_id: int | None, now: float) -> None:
        """Note a request sent with `seq` (and, for DP 49, `key_id`)."""
        self._expire(now)
        self._pending.append(UnlockRequest(seq, key_id, now))

    def match(self, result: RemoteUnlockResult, now: float) -> UnlockRequest | None:
        """Return the request `result` answers, and forget it; None if stale."""
        self._expire(now)
        for request in self._pending:
            if result.key_id is not None and request.key_id not in (
                None,
                result.key_id,
            ):
                continue
            if result.answers_seq is None or result.answers_seq == request.seq:
                self._pending.remove(request)
                return request
        return None

    @property
    def outstanding(self) -> tuple[UnlockRequest, ...]:
        """Return the requests not answered yet, oldest first."""
        return tuple(self._pending)

    def _expire(self, now: float) -> None:
        while self._pending and now - self._pending[0].sent_at > self._late_window_s:
            self._pending.popleft()
