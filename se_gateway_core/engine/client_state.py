"""What the client role (aux gateway) keeps for each remote server."""

from __future__ import annotations

from dataclasses import dataclass, field

from .client_drlc import ClientDrlcEntry
from .records import ALL_DEVICE_CLASSES, ALL_ENROLLMENT_GROUPS
from .scheduler import Timer
from .tables import MessageTable, PriceTable


@dataclass(frozen=True, kw_only=True)
class DrlcClientSettings:
    """The gateway's own DRLC client attributes (SE defaults)."""

    device_class: int = ALL_DEVICE_CLASSES
    utility_enrollment_group: int = ALL_ENROLLMENT_GROUPS
    start_randomization_minutes: int = 0x1E
    duration_randomization_minutes: int = 0x00


@dataclass
class ServerLists:
    """What one server sent: its prices, load control events and messages."""

    prices: PriceTable = field(default_factory=PriceTable)
    drlc: dict[int, ClientDrlcEntry] = field(default_factory=dict)
    messages: MessageTable = field(default_factory=MessageTable)
    active_price: int | None = None
    active_drlc: tuple[int, ...] = ()
    active_messages: tuple[int, ...] = ()
    timers: dict[str, Timer] = field(default_factory=dict)
