"""Everything the server (ESI) role keeps: its tables and what clients reported."""

from __future__ import annotations

from dataclasses import dataclass, field

from .records import EventStatusReport, MessageConfirmation
from .reports import ReceivedLog
from .tables import DrlcTable, MessageTable, PriceTable


@dataclass
class ServerState:
    """The server's event tables, status reports and message confirmations."""

    prices: PriceTable = field(default_factory=PriceTable)
    drlc: DrlcTable = field(default_factory=DrlcTable)
    messages: MessageTable = field(default_factory=MessageTable)
    reports: ReceivedLog[EventStatusReport] = field(default_factory=ReceivedLog)
    confirmations: ReceivedLog[MessageConfirmation] = field(default_factory=ReceivedLog)
    # The last issuer event / message id the gateway generated itself.
    last_issued_id: int = 0
