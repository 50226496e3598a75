"""The lock's outgoing reports: one in flight until acknowledged, then the next.

Tuya's lock standard asks a device that reports data to set "disable default
response" to 0 and take the gateway's Default Response as the acknowledgement.
An unacknowledged report is sent again with the same ZCL sequence number (and
so the same bytes), more than 250 ms apart and for less than about 3 s.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
import logging

_LOGGER = logging.getLogger(__name__)


@dataclass
class PendingReport:
    """A report (0x02 or 0x23) and the state of its delivery.

    ``payload`` is the Tuya payload (2-byte sequence and the rest); ``tsn``
    and ``frame`` (the whole ZCL frame) are set when it is first sent, and
    every retransmission sends that same frame.
    """

    command_id: int
    payload: bytes
    tsn: int | None = None
    frame: bytes = b""
    sent_at: float = 0.0
    retries: int = 0


@dataclass
class ReportOutbox:
    """Reports waiting to go out, in order, with at most one in flight."""

    ack_timeout_s: float
    max_retries: int
    queue: deque[PendingReport] = field(default_factory=deque)
    in_flight: PendingReport | None = None
    delivered: list[PendingReport] = field(default_factory=list)
    undelivered: list[PendingReport] = field(default_factory=list)

    def push(self, report: PendingReport) -> None:
        """Queue a report behind the others."""
        self.queue.append(report)

    def start_next(self, now: float) -> PendingReport | None:
        """Return the next report to send (once), if none is in flight."""
        if self.in_flight is not None or not self.queue:
            return None
        self.in_flight = self.queue.popleft()
        self.in_flight.sent_at = now
        return self.in_flight

    def acknowledge(self, tsn: int, command_id: int) -> bool:
        """Take a Default Response; return True if it acknowledged the report."""
        report = self.in_flight
        if report is None or report.tsn != tsn or report.command_id != command_id:
            return False
        self.delivered.append(report)
        self.in_flight = None
        return True

    def retransmission_due(self, now: float) -> PendingReport | None:
        """Return the report to send again now, if its acknowledgement is late.

        A report that used up its retries is given up and kept in
        ``undelivered``.
        """
        report = self.in_flight
        if report is None or now - report.sent_at < self.ack_timeout_s:
            return None
        if report.retries >= self.max_retries:
            _LOGGER.warning(
                "Gave up report 0x%02X (tsn %s) after %d retries",
                report.command_id,
                report.tsn,
                report.retries,
            )
            self.undelivered.append(report)
            self.in_flight = None
            return None
        report.retries += 1
        report.sent_at = now
        return report
